"""Routes that every domain serves: accounts, dashboards, health, API docs, language, media."""

from captcha import views as captcha_views
from django.urls import include, path, re_path
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from core import urls as core_urls
from core import views as core_views
from homes.api import views as homes
from portal import views as portal_views
from reporting import urls as reporting_urls
from tenants.api import views as committees


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema of the domain asked: the console's API or a portal's."""

    @extend_schema(exclude=True)
    def get(self, request, *args, **kwargs):
        self.urlconf = getattr(request, "urlconf", None)
        return super().get(request, *args, **kwargs)


# The icon and web manifest of the portal (or the console) at this domain.
shell = (
    [
        path("favicon.png", portal_views.favicon, name="favicon"),
        path("favicon.ico", portal_views.favicon, name="favicon-ico"),
        path("manifest.webmanifest", portal_views.web_manifest, name="manifest"),
    ],
    "portal-shell",
)

urlpatterns = [
    path("", include(core_urls)),
    path("", include(shell)),
    path("", include(reporting_urls)),
    path("healthz", core_views.healthz, name="healthz"),
    path("healthz/live", core_views.healthz_live, name="healthz-live"),
    path("healthz/ready", core_views.healthz_ready, name="healthz-ready"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/schema/", SchemaView.as_view(), name="api-schema"),
    # The split view serves its start-up script as a file: the policy allows no inline script.
    path(
        "api/v1/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"
    ),
    # The picture challenge's image (core.challenges); the library's other routes are not used.
    re_path(
        r"^captcha/image/(?P<key>[0-9a-f]{40})/$",
        captcha_views.captcha_image,
        {"scale": 1},
        name="captcha-image",
    ),
    # Logos and banners are served by the app itself, like the static files.
    re_path(r"^media/(?P<path>.*)$", core_views.media, name="media"),
]


def api(*patterns):
    """The API under /api/v1/: the routes every domain serves plus ``patterns``."""
    shared = [
        *core_urls.api_urlpatterns,
        *reporting_urls.api_urlpatterns,
        # The map beside the figures, of a subtree or the nation (from the directory).
        path("reports/homes/map/", homes.SubtreeMapView.as_view(), name="report-homes-map"),
        path("directory/", committees.DirectoryView.as_view(), name="directory"),
    ]
    return path("api/v1/", include(([*shared, *patterns], "api")))
