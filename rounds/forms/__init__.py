"""Forms of the rounds app, one module per area."""

from django.core.exceptions import ValidationError


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


class ServiceErrorsMixin:
    def add_service_errors(self, error: ValidationError) -> None:
        add_service_errors(self, error)
