"""Routes that every domain serves: accounts, dashboards, health, API docs, language, media."""

from django.conf import settings
from django.urls import include, path, re_path
from django.views.static import serve
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from core import urls as core_urls
from core import views as core_views
from reporting import urls as reporting_urls


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema of the domain asked: the console's API or a portal's."""

    def get(self, request, *args, **kwargs):
        self.urlconf = getattr(request, "urlconf", None)
        return super().get(request, *args, **kwargs)


urlpatterns = [
    path("", include(core_urls)),
    path("", include(reporting_urls)),
    path("healthz", core_views.healthz, name="healthz"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/schema/", SchemaView.as_view(), name="api-schema"),
    path("api/v1/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    # Logos and banners are served by the app itself, like the static files.
    re_path(r"^media/(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT}),
]


def api(*patterns):
    """The API under /api/v1/: the routes every domain serves plus ``patterns``."""
    shared = [*core_urls.api_urlpatterns, *reporting_urls.api_urlpatterns]
    return path("api/v1/", include(([*shared, *patterns], "api")))
