"""The bare base domain: the central console and onboarding."""

from django.urls import include, path

from core.admin_site import site as admin_site
from core.monitoring import metrics_view
from franchise import urls as synonyms
from tenants import views as console
from tenants.api import views as committees

from .urls_common import api
from .urls_common import urlpatterns as common

app_tenants = (
    [
        path("", console.console_home, name="console"),
        path("committees/new/", console.onboard, name="onboard"),
        path("committees/<str:code>/", console.committee_detail, name="detail"),
        path("outbox/", console.outbox, name="outbox"),
    ],
    "tenants",
)

urlpatterns = [
    path("", include(app_tenants)),
    path("", include(synonyms.console)),
    path("admin/", admin_site.urls),
    # For the operator's Prometheus only (core.monitoring); portals do not serve it.
    path("metrics", metrics_view, name="metrics"),
    api(
        path("committees/", committees.CommitteeListView.as_view(), name="committees"),
        path("committees/<str:code>/", committees.CommitteeDetailView.as_view(), name="committee"),
        path("outbox/dead/", committees.DeadMessageListView.as_view(), name="outbox-dead"),
        path(
            "outbox/dead/<int:pk>/retry/",
            committees.DeadMessageRetryView.as_view(),
            name="outbox-retry",
        ),
        path(
            "outbox/dead/<int:pk>/discard/",
            committees.DeadMessageDiscardView.as_view(),
            name="outbox-discard",
        ),
        *synonyms.console_api,
    ),
    *common,
]

handler400 = "config.errors.bad_request"
handler404 = "config.errors.not_found"
handler403 = "config.errors.forbidden"
handler500 = "config.errors.server_error"
