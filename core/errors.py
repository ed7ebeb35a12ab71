"""The errors a request ends in on purpose: a service's refusal, and input that cannot be read."""

from django.core.exceptions import BadRequest


class ServiceError(Exception):
    def __init__(self, code: str, message: str, *, field: str | None = None, status: int = 400):
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field
        self.status = status


class InvalidInput(BadRequest):
    """Query parameters or form fields that do not parse: ``fields`` maps each to its
    messages. A page answers 400 with the first message, the API the error shape."""

    def __init__(self, fields: dict):
        self.fields = {name: [str(m) for m in messages] for name, messages in fields.items()}
        self.message = next((m[0] for m in self.fields.values() if m), "")
        super().__init__(self.message)
