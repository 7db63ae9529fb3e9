"""A save refused because the door closed while the user typed: a colleague
handed the analysis or the report in, the round moved to its next phase, or
it was published. Whoever could write there a moment ago gets this page
instead of a bare 403: it says why in Swedish and holds everything they
typed, read-only and copyable (nothing is written). Whoever never could
write there gets the plain refusal; the views decide which
(:func:`prioritering.access.require` logs the refusal either way)."""

from dataclasses import dataclass

from django.shortcuts import render


@dataclass
class Typed:
    label: str
    value: str


def _words(field, raw) -> str:
    """A posted value as the user saw it: a choice by its label."""
    values = raw if isinstance(raw, list | tuple) else [raw]
    values = [str(value) for value in values if value not in (None, "")]
    choices = getattr(field, "choices", None)
    if choices is not None:
        labels = {str(key): str(label) for key, label in choices}
        values = [labels.get(value, value) for value in values]
    return ", ".join(values)


def typed_values(form) -> list[Typed]:
    """What the user typed into ``form`` (bound to the post), field by field,
    in the form's order; the empty fields and the hidden ones left out."""
    typed = []
    for bound in form:
        if bound.is_hidden:
            continue
        text = _words(bound.field, bound.data)
        if text.strip():
            typed.append(Typed(str(bound.label), text))
    return typed


def refused_while_typing(request, *, title, reason, form, back_url, back_label, round=None):
    """The page (403) of a save the door closed on: why, and what was typed."""
    context = {
        "title": title,
        "reason": reason,
        "typed": typed_values(form),
        "back_url": back_url,
        "back_label": back_label,
        "round": round,
    }
    return render(request, "rounds/refused_while_typing.html", context, status=403)
