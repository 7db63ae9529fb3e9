"""Forms of the rounds app, one module per area."""

from django.core.exceptions import ValidationError
from django.core.validators import ProhibitNullCharactersValidator


def add_service_errors(form, error: ValidationError) -> None:
    """Show a service's validation errors next to the fields they concern (the
    rest above the form)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def service_errors(error: ValidationError) -> dict[str, list[str]]:
    """A service's validation errors by field ("__all__" for the rest), for
    pages that lay out their own fields instead of a Django form."""
    if hasattr(error, "error_dict"):
        return error.message_dict
    return {"__all__": error.messages}


def text_errors(texts: dict[str, str]) -> dict[str, list[str]]:
    """Errors, by field, of texts a page reads from the request outside a form:
    a NUL character, which PostgreSQL cannot store, is refused with the message
    a form's CharField gives it."""
    errors: dict[str, list[str]] = {}
    for name, value in texts.items():
        try:
            ProhibitNullCharactersValidator()(value)
        except ValidationError as error:
            errors[name] = error.messages
    return errors


class ServiceErrorsMixin:
    def add_service_errors(self, error: ValidationError) -> None:
        add_service_errors(self, error)
