"""The synonym list's pages and API: ``console`` on the bare base domain, ``portal`` on a
committee's domain."""

from django.urls import path

from . import views
from .api import synonyms as api

console = (
    [path("synonyms/", views.central, name="synonyms")],
    "franchise",
)
portal = (
    [path("workbench/synonyms/", views.local, name="local-synonyms")],
    "franchise",
)

console_api = [
    path("synonyms/", api.CentralListView.as_view(), name="synonyms"),
    path("synonyms/versions/", api.VersionListView.as_view(), name="synonym-versions"),
    path(
        "synonyms/versions/<int:version>/",
        api.VersionDetailView.as_view(),
        name="synonym-version",
    ),
]
portal_api = [
    path("synonyms/", api.InForceView.as_view(), name="synonyms"),
    path("synonyms/local/", api.LocalView.as_view(), name="local-synonyms"),
]
