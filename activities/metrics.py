"""What activities' events count in the central figures (``reporting.metrics``)."""

from django.utils.translation import gettext_lazy as _

from reporting.metrics import Count, Served, declare

from .models import ActivityEvent as Kind

declare(
    Count("activities_published", Kind.PUBLISHED, label=_("Activities published")),
    # Held: it ended with youths checked in.
    Count("activities_held", Kind.ENDED, at_least=("check_ins", 1), label=_("Activities held")),
    Count("activity_registrations", Kind.REGISTERED, label=_("Activity registrations")),
    Count("activity_promotions", Kind.PROMOTED, label=_("Registered from the waitlist")),
    Count("activity_withdrawals", Kind.WITHDRAWN),
    Count("activity_teams", Kind.TEAM_REGISTERED, label=_("Teams registered")),
    Count("activity_check_ins", Kind.CHECKED_IN, label=_("Activity check-ins")),
    Count("activity_photos", Kind.PHOTO, when={"after_end": True}, label=_("Photos after")),
    Count("activity_ratings", Kind.RATED, unless={"staff": True}, label=_("Activity ratings")),
    Count("activity_rating_stars", Kind.RATED, unless={"staff": True}, amount="stars"),
    Count(
        "activity_not_as_described",
        Kind.RATED,
        when={"real": False},
        unless={"staff": True},
        label=_("Activities not as described"),
    ),
    # The influence index's activity term is the first less the second.
    Count("activities_counted", Kind.COUNTED),
    Count("activities_uncounted", Kind.UNCOUNTED),
    Count("activity_entries", Kind.ENTERED, label=_("Entries")),
    Count("activity_votes", Kind.VOTED, label=_("Votes")),
    Count("activity_share_opens", Kind.SHARE_OPENED, label=_("Shares opened")),
    Count("activity_ideas", Kind.IDEA, label=_("Ideas proposed")),
    Count("activity_ideas_taken", Kind.IDEA_TAKEN, label=_("Ideas taken")),
    Count("activity_reports", Kind.REPORTED, label=_("Fake-activity reports")),
    Count("activities_fake", Kind.FAKE_CONFIRMED, label=_("Activities confirmed fake")),
    # A youth reached by an activity: checked in.
    Served(Kind.CHECKED_IN),
)
