"""The console's pages and API, served on the console and on every portal (a portal's
dashboard shows its own committee's subtree)."""

from django.urls import path

from . import judgement_views as judgement
from . import views
from .api import views as api

app_name = "reporting"
urlpatterns = [
    path("reports/", views.dashboard, name="dashboard"),
    path("reports/export/<str:table>.<str:fmt>", views.export, name="export"),
    path("reports/audit/", views.audit_log, name="audit"),
    path("reports/homes/", views.home_map, name="homes-map"),
    path("reports/campaigns/", views.campaigns_page, name="campaigns"),
    path("reports/campaigns/<slug:code>/", views.campaign_page, name="campaign"),
    path("reports/assessment/", judgement.assessment_page, name="assessment"),
    path("reports/assessment/standard/", judgement.assessment_standard, name="assessment-standard"),
    path("reports/assessment.<str:fmt>", judgement.assessment_file, name="assessment-file"),
    path("reports/standing/", judgement.standing, name="standing"),
    path("reports/standing/<int:pk>/", judgement.standing_detail, name="standing-detail"),
    path("reports/standing/flags/", judgement.rating_flags, name="rating-flags"),
]
api_urlpatterns = [
    path("reports/overview/", api.OverviewView.as_view(), name="report-overview"),
    path("reports/ranking/", api.RankingView.as_view(), name="report-ranking"),
    path("reports/topics/", api.TopicsView.as_view(), name="report-topics"),
    path("reports/audit/", api.AuditLogView.as_view(), name="report-audit"),
    path("reports/assessment/", api.AssessmentView.as_view(), name="report-assessment"),
    path(
        "reports/assessment/standards/",
        api.AssessmentStandardListView.as_view(),
        name="report-assessment-standards",
    ),
    path(
        "reports/assessment.<str:fmt>",
        api.AssessmentFileView.as_view(),
        name="report-assessment-file",
    ),
    path("reports/standing/", api.StandingListView.as_view(), name="report-standing"),
    path(
        "reports/standing/<int:pk>/",
        api.StandingDetailView.as_view(),
        name="report-standing-detail",
    ),
    path("reports/rating-flags/", api.RatingFlagListView.as_view(), name="report-rating-flags"),
    path(
        "reports/rating-flags/<int:pk>/decision/",
        api.RatingFlagDecisionView.as_view(),
        name="report-rating-flag-decision",
    ),
    path("campaigns/", api.CampaignListView.as_view(), name="campaigns"),
    path("campaigns/<slug:code>/", api.CampaignDetailView.as_view(), name="campaign"),
]
