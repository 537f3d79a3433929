"""The one error type services raise besides Django's ValidationError/PermissionDenied."""

from django.core.exceptions import ValidationError


class ApplicationError(Exception):
    """A business rule refused the request; ``message`` is shown to the user as it is."""

    def __init__(self, message: str, *, extra: dict | None = None):
        super().__init__(message)
        self.message = message
        self.extra = extra or {}


def form_add_errors(form, exc: ValidationError | ApplicationError) -> None:
    """Put a service's error onto a bound form, on the named fields where it names them."""
    if isinstance(exc, ApplicationError):
        form.add_error(None, exc.message)
        return
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
