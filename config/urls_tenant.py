"""A committee's portal: youth pages, the staff workbench and the portal's API."""

from django.urls import include, path

from franchise.api import views as standards
from portal import views as portal
from portal.api import views as notices
from qa.api import views as questions
from tenants.api import views as committees

from .urls_common import api
from .urls_common import urlpatterns as common

app_portal = (
    [
        path("", portal.home, name="home"),
        path("notices/<int:pk>/", portal.notice_detail, name="notice"),
        path("workbench/", portal.workbench, name="workbench"),
    ],
    "portal",
)

urlpatterns = [
    path("", include(app_portal)),
    path("", include("qa.urls")),
    api(
        path("portal/", committees.PortalView.as_view(), name="portal"),
        path("staff/", committees.StaffListView.as_view(), name="staff"),
        path("staff/<int:pk>/", committees.StaffDetailView.as_view(), name="staff-detail"),
        path("notices/", notices.NoticeListView.as_view(), name="notices"),
        path("notices/<int:pk>/", notices.NoticeDetailView.as_view(), name="notice"),
        path("questions/classify/", standards.ClassifyView.as_view(), name="classify"),
        path("questions/", questions.QuestionListView.as_view(), name="questions"),
        path("questions/mine/", questions.MyQuestionsView.as_view(), name="my-questions"),
        path("questions/similar/", questions.SimilarQuestionsView.as_view(), name="similar"),
        path("questions/<int:pk>/", questions.QuestionDetailView.as_view(), name="question"),
    ),
    *common,
]

handler404 = "config.errors.not_found"
handler403 = "config.errors.forbidden"
handler500 = "config.errors.server_error"
