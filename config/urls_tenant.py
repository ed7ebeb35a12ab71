"""A committee's portal: youth pages, the staff workbench and the portal's API."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from activities.api import views as activities
from casework.api import views as casework
from franchise import urls as synonyms
from franchise.api import views as standards
from helpcases.api import views as help_cases
from homes.api import views as homes
from portal import views as portal
from portal.api import views as notices
from qa.api import views as questions
from reactions.api import views as reactions
from suggestions.api import views as suggestions
from surveys.api import views as surveys
from tenants.api import views as committees

from .urls_common import api
from .urls_common import urlpatterns as common

setup = SimpleRouter()
setup.register("teams", casework.TeamViewSet)
setup.register("members", casework.MemberViewSet)
setup.register("routing-rules", casework.RoutingRuleViewSet)
setup.register("deadlines", casework.DeadlineViewSet)
setup.register("local-categories", casework.LocalCategoryViewSet)
setup.register("local-terms", casework.LocalTermViewSet)
setup.register("reply-templates", casework.ReplyTemplateViewSet)
setup.register("calendar-days", casework.CalendarAmendmentViewSet)

app_portal = (
    [
        path("", portal.home, name="home"),
        path("notices/", portal.notices, name="notices"),
        path("notices/<int:pk>/", portal.notice_detail, name="notice"),
        path("me/", portal.me, name="me"),
        path("workbench/", portal.workbench, name="workbench"),
    ],
    "portal",
)

urlpatterns = [
    path("", include(app_portal)),
    path("", include("qa.urls")),
    path("", include("casework.urls")),
    path("", include("helpcases.urls")),
    path("", include("homes.urls")),
    path("", include("activities.urls")),
    path("", include("surveys.urls")),
    path("", include("shares.urls")),
    path("", include("suggestions.urls")),
    path("", include("reactions.urls")),
    path("", include(synonyms.portal)),
    api(
        path("portal/", committees.PortalView.as_view(), name="portal"),
        path("staff/", committees.StaffListView.as_view(), name="staff"),
        path("staff/<int:pk>/", committees.StaffDetailView.as_view(), name="staff-detail"),
        path("home/", notices.HomeView.as_view(), name="home"),
        path("mine/", notices.MineView.as_view(), name="mine"),
        path("notices/", notices.NoticeListView.as_view(), name="notices"),
        path("notices/<int:pk>/", notices.NoticeDetailView.as_view(), name="notice"),
        path("questions/classify/", standards.ClassifyView.as_view(), name="classify"),
        path("questions/", questions.QuestionListView.as_view(), name="questions"),
        path("questions/mine/", questions.MyQuestionsView.as_view(), name="my-questions"),
        path("questions/similar/", questions.SimilarQuestionsView.as_view(), name="similar"),
        path("questions/open/", questions.OpenQuestionsView.as_view(), name="open-questions"),
        path("questions/<int:pk>/", questions.QuestionDetailView.as_view(), name="question"),
        *[
            path(f"questions/<int:pk>/{name}/", view.as_view(), name=f"question-{name}")
            for name, view in [
                ("answers", questions.AnswerView),
                ("follow-ups", questions.FollowUpView),
                ("solve", questions.SolveView),
                ("rating", questions.RateView),
                ("claim", questions.ClaimView),
                ("assign", questions.AssignView),
                ("route", questions.RouteView),
                ("reclassify", questions.ReclassifyView),
                ("transfer", questions.TransferView),
                ("close", questions.CloseView),
                ("release", questions.ReleaseView),
                ("reject", questions.RejectView),
            ]
        ],
        path("questions/<int:pk>/notes/", questions.NotesView.as_view(), name="question-notes"),
        path(
            "questions/<int:pk>/deflections/",
            questions.DeflectionView.as_view(),
            name="question-deflections",
        ),
        path(
            "questions/<int:pk>/attachments/<int:attachment>/",
            questions.AttachmentView.as_view(),
            name="attachment",
        ),
        path(
            "questions/<int:pk>/help-case/",
            help_cases.FromQuestionView.as_view(),
            name="question-help-case",
        ),
        path("help-cases/", help_cases.HelpCaseListView.as_view(), name="help-cases"),
        path("help-cases/mine/", help_cases.MyHelpCasesView.as_view(), name="my-help-cases"),
        path("help-cases/queue/", help_cases.HelpQueueView.as_view(), name="help-queue"),
        path("help-cases/group/", help_cases.GroupView.as_view(), name="help-cases-group"),
        path(
            "help-cases/actions/<int:pk>/done/",
            help_cases.ActionDoneView.as_view(),
            name="help-action-done",
        ),
        path("help-cases/<int:pk>/", help_cases.HelpCaseDetailView.as_view(), name="help-case"),
        path(
            "help-cases/<int:pk>/suggestions/",
            help_cases.SuggestionsView.as_view(),
            name="help-case-suggestions",
        ),
        # One name for every step (``step`` tells which), as the audit log describes them.
        *[
            path(
                f"help-cases/<int:pk>/{step}/",
                view.as_view(),
                {"step": step},
                name="help-case-step",
            )
            for step, view in help_cases.STEPS.items()
        ],
        path("organisations/", help_cases.OrganisationListView.as_view(), name="organisations"),
        path("homes/", homes.HomeListView.as_view(), name="homes"),
        path("homes/map/", homes.HomeMapView.as_view(), name="homes-map"),
        path("homes/suggested/", homes.SuggestedHomesView.as_view(), name="homes-suggested"),
        path("homes/<int:pk>/", homes.HomeDetailView.as_view(), name="home"),
        path("homes/<int:pk>/slots/", homes.HomeSlotsView.as_view(), name="home-slots"),
        path("homes/<int:pk>/services/", homes.HomeServicesView.as_view(), name="home-services"),
        path("homes/<int:pk>/questions/", homes.ConsultView.as_view(), name="home-questions"),
        path("homes/<int:pk>/standard/", homes.HomeStandardView.as_view(), name="home-standard"),
        path("homes/<int:pk>/photos/", homes.HomePhotosView.as_view(), name="home-photos"),
        path("home-photos/<int:pk>/", homes.HomePhotoView.as_view(), name="home-photo"),
        path("homes/<int:pk>/arrive/", homes.ArriveView.as_view(), name="home-arrive"),
        path("homes/<int:pk>/referrals/", homes.HomeReferralsView.as_view(), name="home-referrals"),
        path(
            "compliance/<int:pk>/check/",
            homes.ComplianceCheckView.as_view(),
            name="compliance-check",
        ),
        path("referrals/mine/", homes.MyReferralsView.as_view(), name="my-referrals"),
        path("referrals/<int:pk>/offer/", homes.OfferView.as_view(), name="referral-offer"),
        path(
            "referrals/<int:pk>/accept/", homes.AcceptReferralView.as_view(), name="referral-accept"
        ),
        path(
            "referrals/<int:pk>/decline/",
            homes.DeclineReferralView.as_view(),
            name="referral-decline",
        ),
        path(
            "questions/<int:pk>/refer/",
            homes.refer_view("qa.question", "Send the asker to a youth home (O2O)").as_view(),
            name="question-refer",
        ),
        path(
            "help-cases/<int:pk>/refer/",
            homes.refer_view(
                "helpcases.helpcase", "Send the youth to a youth home (O2O)"
            ).as_view(),
            name="help-case-refer",
        ),
        path("services/<int:pk>/schedules/", homes.SchedulesView.as_view(), name="schedules"),
        path("schedules/<int:pk>/end/", homes.EndScheduleView.as_view(), name="schedule-end"),
        path("homes/<int:pk>/arrivals/", homes.ArrivalsView.as_view(), name="home-arrivals"),
        path("slots/<int:pk>/book/", homes.BookView.as_view(), name="slot-book"),
        path("slots/<int:pk>/waitlist/", homes.WaitView.as_view(), name="slot-waitlist"),
        path("bookings/mine/", homes.MyBookingsView.as_view(), name="my-bookings"),
        path("bookings/<int:pk>/cancel/", homes.CancelView.as_view(), name="booking-cancel"),
        path("bookings/<int:pk>/rate/", homes.RateView.as_view(), name="booking-rate"),
        path("bookings/check-in/", homes.CheckInView.as_view(), name="check-in"),
        path("waitlist/mine/", homes.MyWaitlistView.as_view(), name="my-waitlist"),
        path("waitlist/<int:pk>/accept/", homes.AcceptOfferView.as_view(), name="waitlist-accept"),
        path("waitlist/<int:pk>/leave/", homes.LeaveWaitlistView.as_view(), name="waitlist-leave"),
        path("activities/", activities.ActivityListView.as_view(), name="activities"),
        path("activities/mine/", activities.MyRegistrationsView.as_view(), name="my-activities"),
        path("activities/map/", activities.ActivityMapView.as_view(), name="activities-map"),
        path("activities/check-ins/", activities.ScanView.as_view(), name="activity-scan"),
        path("activities/<int:pk>/", activities.ActivityDetailView.as_view(), name="activity"),
        *[
            path(f"activities/<int:pk>/{name}/", view.as_view(), name=f"activity-{name}")
            for name, view in [
                ("cancel", activities.CancelActivityView),
                ("registration", activities.RegisterView),
                ("waitlist", activities.WaitView),
                ("teams", activities.TeamsView),
                ("venue-code", activities.VenueCodeView),
                ("participants", activities.ParticipantsView),
                ("present", activities.PresentView),
                ("messages", activities.MessageView),
                ("photos", activities.PhotosView),
                ("figures", activities.FiguresView),
                ("reports", activities.ReportView),
                ("ballots", activities.BallotsView),
                ("case", activities.NominateView),
                ("ideas", activities.IdeasView),
            ]
        ],
        path(
            "activity-teams/<str:token>/",
            activities.TeamInvitationView.as_view(),
            name="activity-team-invitation",
        ),
        path(
            "activity-teams/<str:token>/join/",
            activities.JoinTeamView.as_view(),
            name="activity-team-join",
        ),
        *[
            path(
                f"activity-teams/<int:pk>/{step}/",
                activities.TeamStepView.as_view(step=step),
                name=f"activity-team-{step}",
            )
            for step in ("register", "wait", "leave")
        ],
        path("activity-waitlist/mine/", activities.MyLineView.as_view(), name="my-activity-line"),
        *[
            path(
                f"activity-waitlist/<int:pk>/{step}/",
                activities.LineStepView.as_view(step=step),
                name=f"activity-line-{step}",
            )
            for step in ("accept", "leave")
        ],
        path("ideas/<int:pk>/vote/", activities.IdeaVoteView.as_view(), name="idea-vote"),
        path("ideas/<int:pk>/take/", activities.IdeaTakeView.as_view(), name="idea-take"),
        path("cases/", activities.CaseListView.as_view(), name="cases"),
        path("cases/to-curate/", activities.ToCurateView.as_view(), name="cases-to-curate"),
        path("cases/<int:pk>/curation/", activities.CurationView.as_view(), name="case-curation"),
        path(
            "received-campaigns/",
            activities.ReceivedCampaignsView.as_view(),
            name="campaigns-received",
        ),
        path("surveys/", surveys.SurveyListView.as_view(), name="surveys"),
        path("surveys/<int:pk>/", surveys.SurveyDetailView.as_view(), name="survey"),
        path("surveys/<int:pk>/responses/", surveys.RespondView.as_view(), name="survey-responses"),
        path("surveys/<int:pk>/results/", surveys.ResultsView.as_view(), name="survey-results"),
        path(
            "surveys/<int:pk>/export.<str:fmt>",
            surveys.ExportView.as_view(),
            name="survey-export",
        ),
        path("reactions/", reactions.ReactionsView.as_view(), name="reactions"),
        path("suggestions/", suggestions.SuggestionListView.as_view(), name="suggestions"),
        path("suggestions/mine/", suggestions.MySuggestionsView.as_view(), name="my-suggestions"),
        path(
            "suggestions/figures/",
            suggestions.FiguresView.as_view(),
            name="suggestion-figures",
        ),
        path(
            "suggestions/<int:pk>/answer/",
            suggestions.AnswerView.as_view(),
            name="suggestion-answer",
        ),
        path(
            "suggestions/<int:pk>/adopt/", suggestions.AdoptView.as_view(), name="suggestion-adopt"
        ),
        path("ballots/<int:pk>/", activities.BallotView.as_view(), name="ballot"),
        path("ballots/<int:pk>/entries/", activities.EntriesView.as_view(), name="ballot-entries"),
        path("ballots/<int:pk>/results/", activities.ResultsView.as_view(), name="ballot-results"),
        path("ballots/<int:pk>/flags/", activities.FlagsView.as_view(), name="ballot-flags"),
        path(
            "ballots/<int:pk>/reviewers/",
            activities.ReviewersView.as_view(),
            name="ballot-reviewers",
        ),
        path("entries/<int:pk>/vote/", activities.VoteView.as_view(), name="entry-vote"),
        path("entries/<int:pk>/scores/", activities.ScoresView.as_view(), name="entry-scores"),
        path("truth-reviews/", casework.TruthReviewListView.as_view(), name="truth-reviews"),
        path(
            "truth-reviews/<int:pk>/decision/",
            casework.TruthDecisionView.as_view(),
            name="truth-review-decision",
        ),
        path("activity-photos/<int:pk>/", activities.PhotoView.as_view(), name="activity-photo"),
        path(
            "activity-registrations/<int:pk>/rating/",
            activities.RateView.as_view(),
            name="activity-rating",
        ),
        path("replies/<int:pk>/dislike/", questions.DislikeView.as_view(), name="reply-dislike"),
        path(
            "replies/<int:pk>/release/",
            questions.ReplyReviewView.as_view(decision="release"),
            name="reply-release",
        ),
        path(
            "replies/<int:pk>/reject/",
            questions.ReplyReviewView.as_view(decision="reject"),
            name="reply-reject",
        ),
        path("queues/review/replies/", questions.HeldRepliesView.as_view(), name="held-replies"),
        path("queues/<str:name>/", questions.QueueView.as_view(), name="queue"),
        path("supervision/", casework.SupervisionView.as_view(), name="supervision"),
        path("supervision/<int:pk>/urge/", casework.UrgeView.as_view(), name="supervision-urge"),
        path("workbench/desk/", questions.DeskView.as_view(), name="desk"),
        *synonyms.portal_api,
        path("", include(setup.urls)),
    ),
    *common,
]

handler400 = "config.errors.bad_request"
handler404 = "config.errors.not_found"
handler403 = "config.errors.forbidden"
handler500 = "config.errors.server_error"
