"""``{% submit_key %}``: the key that makes a form's submission count once.

Every POST form carries one, beside ``{% csrf_token %}``. The server answers a
second request with the same key (a double click, a browser sending the form
again) with the first request's response and writes nothing
(:mod:`prioritering.transactions`); ``static/js/submission.js`` gives the form a
fresh key once an htmx answer has come, so adding again on purpose is new.
"""

import uuid

from django import template
from django.utils.html import format_html

from prioritering.transactions import KEY_FIELD

register = template.Library()


@register.simple_tag
def submit_key():
    """A hidden field with a fresh random key: a new one each time the form is shown."""
    return format_html('<input type="hidden" name="{}" value="{}">', KEY_FIELD, uuid.uuid4())
