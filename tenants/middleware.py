"""Choosing the committee (and so the schema) of each request from its host name."""

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django_tenants.middleware.main import TenantMainMiddleware

from .directory import directory


def is_api(request: HttpRequest) -> bool:
    return request.path.startswith("/api/")


class CommitteeMiddleware(TenantMainMiddleware):
    """Sets ``request.committee`` (None on the central console) and the schema and URLs."""

    def process_request(self, request: HttpRequest) -> HttpResponse | None:
        connection.set_schema_to_public()
        host = request.get_host().split(":")[0].lower()
        if host in (settings.BASE_DOMAIN, "127.0.0.1"):
            request.committee = None
            request.tenant = connection.tenant
            self.setup_url_routing(request, force_public=True)
            return None
        committee = directory.lookup(host)
        if committee is None:
            return self._refuse(
                request,
                404,
                "unknown_portal",
                _("There is no League committee portal at %(host)s.") % {"host": host},
                "tenants/unknown.html",
            )
        if committee.is_suspended and not request.path.startswith("/healthz"):
            return self._refuse(
                request,
                403,
                "portal_suspended",
                _("The portal of %(name)s is suspended.") % {"name": committee.title},
                "tenants/suspended.html",
                committee=committee,
            )
        request.committee = committee
        request.tenant = committee
        connection.set_tenant(committee)
        self.setup_url_routing(request)
        return None

    @staticmethod
    def _refuse(request, status, code, message, template, committee=None) -> HttpResponse:
        if is_api(request):
            return JsonResponse({"error": {"code": code, "message": message}}, status=status)
        context = {"message": message, "committee": committee, "base_domain": settings.BASE_DOMAIN}
        return render(request, template, context, status=status)
