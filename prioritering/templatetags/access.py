from django import template

from prioritering import access

register = template.Library()


@register.simple_tag
def may(user, action, obj=None):
    """``{% may user "action" obj as allowed %}`` — the same answer views get."""
    return access.may(user, action, obj)
