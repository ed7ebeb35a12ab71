"""The errors a request ends in on purpose: a service's refusal, and input that cannot be read."""

from django.core.exceptions import BadRequest


class ServiceError(Exception):
    def __init__(self, code: str, message: str, *, field: str | None = None, status: int = 400):
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        self.status = status


def checked_text(value: str, *, field: str, limit: int, required: str | None = None) -> str:
    """``value`` stripped, or a refusal naming ``field``: empty when ``required`` (the
    message to say so) or longer than ``limit`` characters."""
    from django.utils.translation import gettext as _

    value = (value or "").strip()
    if required and not value:
        raise ServiceError("required", required, field=field)
    if len(value) > limit:
        raise ServiceError(
            "too_long", _("Keep it under %(n)s characters.") % {"n": f"{limit:,}"}, field=field
        )
    return value


class InvalidInput(BadRequest):
    """Query parameters or form fields that do not parse: ``fields`` maps each to its
    messages. A page answers 400 with the first message, the API the error shape."""

    def __init__(self, fields: dict):
        self.fields = {name: [str(m) for m in messages] for name, messages in fields.items()}
        self.message = next((m[0] for m in self.fields.values() if m), "")
        super().__init__(self.message)
