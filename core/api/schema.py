"""The OpenAPI description of every operation lists the errors it can answer, in the one shape.

Declared by rule, from what the operation is, so that no view lists them by hand:

- 400 everywhere (a query or body that does not parse; control characters anywhere),
- 401 everywhere (a token that is wrong or expired is refused even where none is needed, and
  signing in refuses wrong credentials),
- 403 where permissions go beyond "anyone", for every write (a service refuses the account),
  and on a portal (a suspended portal refuses everything),
- 404 with ids in the path, on paginated lists (a page past the end), for every write (what the
  body names may not exist),
- 405 everywhere (another method on the same path),
- 409 for every write (what it acts on is no longer in a state that takes it),
- 413 and 415 where there is a body (too large, not JSON or a form),
- 429 for every write and where a throttle applies.
"""

from django.db import connection
from django_tenants.utils import get_public_schema_name
from drf_spectacular.authentication import SessionScheme as SpectacularSessionScheme
from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")

DESCRIPTIONS = {
    "400": "The query or the body is not valid; `fields` names what is wrong.",
    "401": "Not signed in, a wrong or expired token, or wrong credentials.",
    "403": "This account may not do this here (a read-only account writes nothing anywhere; "
    "or the portal is suspended).",
    "404": "Nothing is found at this address, or what the body names does not exist.",
    "405": "This address does not take this method.",
    "409": "What this acts on is no longer in a state that takes it.",
    "413": "The body is too large.",
    "415": "The body is neither JSON nor a form.",
    "429": "Too many requests: try again later.",
}

Error = inline_serializer(
    "Error",
    {
        "error": inline_serializer(
            "ErrorDetail",
            {
                "code": serializers.CharField(),
                "message": serializers.CharField(),
                "fields": serializers.DictField(
                    required=False,
                    help_text="Each refused field (or query parameter) with its messages",
                ),
            },
        )
    },
)


class AutoSchema(SpectacularAutoSchema):
    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        responses = operation.setdefault("responses", {})
        error = {"content": {"application/json": {"schema": self._error_schema()}}}
        for status in self._error_statuses(operation):
            responses.setdefault(status, {"description": DESCRIPTIONS[status], **error})
        return operation

    def _error_schema(self) -> dict:
        component = self.resolve_serializer(Error, "response")
        return component.ref

    def _error_statuses(self, operation: dict) -> list[str]:
        is_write = self.method not in SAFE_METHODS
        permissions = getattr(self.view, "permission_classes", [])
        on_portal = getattr(connection, "schema_name", None) != get_public_schema_name()
        has_ids = any(p.get("in") == "path" for p in operation.get("parameters", []))
        is_paginated = any(p.get("name") == "page" for p in operation.get("parameters", []))
        throttled = bool(getattr(self.view, "throttle_classes", []))
        statuses = {"400", "401", "405"}
        if is_write or on_portal or any(p is not AllowAny for p in permissions):
            statuses.add("403")
        if is_write or has_ids or is_paginated:
            statuses.add("404")
        if is_write:
            statuses.update({"409", "429"})
        if "requestBody" in operation:
            statuses.update({"413", "415"})
        if throttled:
            statuses.add("429")
        return sorted(statuses)


class SessionScheme(SpectacularSessionScheme):
    """The session sign-in of ``core.api.authentication`` is documented as DRF's."""

    target_class = "core.api.authentication.SessionAuthentication"


class TokenScheme(SimpleJWTScheme):
    """The bearer token of ``core.api.authentication`` is documented as simplejwt's."""

    target_class = "core.api.authentication.JWTAuthentication"
