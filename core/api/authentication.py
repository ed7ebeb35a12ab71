"""The API's sign-ins: a bearer token (checked once a request), and the session (pages
calling it from the browser) with a refusal in Chinese."""

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions
from rest_framework_simplejwt import authentication as jwt

CHECKED = "_token_account"  # where a request keeps what its bearer token was found to be


class JWTAuthentication(jwt.JWTAuthentication):
    """simplejwt's, remembering its answer on the request: the read-only check before the
    view (``core.middleware``) and the view itself look the account up once between them."""

    def authenticate(self, request):
        raw = getattr(request, "_request", request)  # DRF's request or Django's
        if CHECKED not in raw.__dict__:
            try:
                raw.__dict__[CHECKED] = (super().authenticate(request), None)
            except exceptions.APIException as exc:
                raw.__dict__[CHECKED] = (None, exc)
        found, refused = raw.__dict__[CHECKED]
        if refused is not None:
            raise refused
        return found


class CsrfFailed(exceptions.PermissionDenied):
    default_detail = _(
        "This form has expired or came from another site. Reload the page and try again."
    )
    default_code = "csrf_failed"


class SessionAuthentication(authentication.SessionAuthentication):
    def enforce_csrf(self, request):
        try:
            super().enforce_csrf(request)
        except exceptions.PermissionDenied as refusal:
            raise CsrfFailed() from refusal
