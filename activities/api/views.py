"""Activities over the API: find and read activities, register alone or as a team, wait for
a place, scan the venue's code, add photos and rate; the organisers publish, change and
cancel, show the venue's rotating code, read the participants, mark them present, message
them and select photos. Each endpoint parses, calls one service or selector, and renders."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from core import access
from core.addresses import client_ip
from core.api.permissions import IsCommitteeStaff, committee_of
from core.api.throttling import ScopedAddressThrottle
from core.errors import ServiceError
from core.models import User
from core.qr import code_image
from franchise.models import CaseStudy
from ratings.serializers import RatingSerializer, RealRateRequestSerializer

from .. import campaigns, cases, checkin, ideas, registration, reports, selectors, services, voting
from ..models import (
    Activity,
    ActivityPhoto,
    Ballot,
    Entry,
    Idea,
    Registration,
    Squad,
)
from . import serializers as s


def _activity(pk: int) -> Activity:
    return get_object_or_404(selectors.visible(), pk=pk)


def _managed(request, pk: int) -> Activity:
    """An activity the requester runs (403 for anyone else)."""
    activity = _activity(pk)
    if not services.may_manage(request.user, activity):
        raise PermissionDenied
    return activity


def _readable(request, pk: int, *, by_name: bool = True) -> Activity:
    """An activity whose workbench view the requester may read: its figures for the
    committee's staff and readers from above, its participants and teams by name only for
    who may see them (``services.may_see_participants``)."""
    activity = _activity(pk)
    if services.may_manage(request.user, activity):
        return activity
    committee = committee_of(request)
    grant = access.access_to(request.user, committee)
    sees = services.may_see_participants(request.user, activity) if by_name else grant.can_read
    if not sees:
        raise PermissionDenied
    access.log_read_from_above(request, committee, grant)
    return activity


class ActivityListView(generics.ListAPIView):
    """Published activities: coming ones soonest first, or ``when=past``; by ``category``.
    POST publishes one (the committee's staff, or an organisation for itself; JSON or
    multipart with a cover image)."""

    permission_classes = [AllowAny]
    serializer_class = s.ActivityItemSerializer
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_permissions(self):
        if self.request.method == "POST":
            return [IsAuthenticated()]
        return super().get_permissions()

    @extend_schema(
        parameters=[
            OpenApiParameter("category", str, description="A standard category's code"),
            OpenApiParameter("when", str, enum=["upcoming", "past"]),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = self.request.query_params
        return selectors.listed(
            category=params.get("category") or None, when=params.get("when", "upcoming")
        )

    @extend_schema(request=s.ActivityWriteSerializer, responses={201: s.ActivitySerializer})
    def post(self, request):
        data = s.ActivityWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        organiser = fields.pop("organiser", None)
        activity = services.publish(actor=request.user, organiser=organiser, **fields)
        return Response(s.ActivitySerializer(activity).data, status=status.HTTP_201_CREATED)


def _mine(request, activity: Activity) -> dict:
    user = request.user
    registered = selectors.registration_of(activity, user)
    team = selectors.team_of(activity, user)
    line = selectors.line_of(activity, user)
    return {
        "registration": registered.pk if registered else None,
        "team": team,
        "waitlist": line.pk if line else None,
        "checked_in": bool(registered and hasattr(registered, "check_in")),
        "may_manage": bool(user.is_authenticated and services.may_manage(user, activity)),
    }


class ActivityMapView(APIView):
    """The coming activities with a venue, for the map: each as a point (at most
    ``MAP_POINTS``, the soonest)."""

    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[OpenApiParameter("category", str)], responses={200: s.ActivityMapSerializer}
    )
    def get(self, request):
        found = selectors.on_map(category=request.query_params.get("category") or None)
        return Response(s.ActivityMapSerializer(found).data)


class ActivityDetailView(APIView):
    """An activity, and what the requester has of it; PATCH changes it (its organisers)."""

    permission_classes = [AllowAny]

    def get_permissions(self):
        if self.request.method == "PATCH":
            return [IsAuthenticated()]
        return super().get_permissions()

    @extend_schema(responses={200: s.DetailSerializer})
    def get(self, request, pk):
        activity = _activity(pk)
        return Response(
            s.DetailSerializer({"activity": activity, "mine": _mine(request, activity)}).data
        )

    @extend_schema(request=s.ActivityChangeSerializer, responses={200: s.ActivitySerializer})
    def patch(self, request, pk):
        data = s.ActivityChangeSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        activity = services.change(
            activity=_activity(pk), actor=request.user, **data.validated_data
        )
        return Response(s.ActivitySerializer(activity).data)


class CancelActivityView(APIView):
    """Cancel the activity (its organisers): participants are told."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=s.CancelSerializer, responses={200: s.ActivitySerializer})
    def post(self, request, pk):
        data = s.CancelSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        activity = services.cancel(
            activity=_activity(pk), actor=request.user, **data.validated_data
        )
        return Response(s.ActivitySerializer(activity).data)


def _registration_data(request, pk: int) -> dict:
    found = selectors.registrations_of(request.user).get(pk=pk)
    return s.RegistrationSerializer(found).data


class RegisterView(APIView):
    """Register alone (报名): a full activity answers 409 ``full``; DELETE cancels my
    registration before the start."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={201: s.RegistrationSerializer})
    def post(self, request, pk):
        made = registration.register(activity=_activity(pk), youth=request.user)
        return Response(_registration_data(request, made.pk), status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: s.RegistrationSerializer})
    def delete(self, request, pk):
        found = selectors.registration_of(_activity(pk), request.user)
        if found is None:
            raise ServiceError(
                "not_registered", _("You have not registered for this activity."), status=404
            )
        registration.withdraw(registration=found, youth=request.user)
        return Response(_registration_data(request, found.pk))


class WaitView(APIView):
    """Join a full activity's waitlist (候补), alone: offered a place in turn, held 6 h."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={201: s.ActivityWaiterSerializer})
    def post(self, request, pk):
        waiter = registration.join_waitlist(activity=_activity(pk), youth=request.user)
        return Response(s.ActivityWaiterSerializer(waiter).data, status=status.HTTP_201_CREATED)


class TeamsView(APIView):
    """Form a team for the activity (I am its captain); GET lists its teams (organisers)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: s.SquadSerializer(many=True)})
    def get(self, request, pk):
        activity = _readable(request, pk)
        return Response(s.SquadSerializer(selectors.teams(activity), many=True).data)

    @extend_schema(request=s.TeamFormSerializer, responses={201: s.SquadSerializer})
    def post(self, request, pk):
        data = s.TeamFormSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        squad = registration.form_team(
            activity=_activity(pk), captain=request.user, **data.validated_data
        )
        return Response(s.SquadSerializer(squad).data, status=status.HTTP_201_CREATED)


def _team_by_token(token: str) -> Squad:
    return get_object_or_404(Squad.objects.select_related("activity"), token=token)


class TeamInvitationView(APIView):
    """What a team's invitation link shows: the team and its activity."""

    permission_classes = [AllowAny]

    @extend_schema(responses={200: s.TeamPreviewSerializer})
    def get(self, request, token):
        return Response(s.TeamPreviewSerializer(_team_by_token(token)).data)


class JoinTeamView(APIView):
    """Join the team whose invitation link this is."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={201: s.SquadSerializer})
    def post(self, request, token):
        member = registration.join_team(squad=_team_by_token(token), youth=request.user)
        return Response(s.SquadSerializer(member.squad).data, status=status.HTTP_201_CREATED)


def _my_team(request, pk: int) -> Squad:
    return get_object_or_404(
        Squad.objects.select_related("activity"), pk=pk, members__youth=request.user
    )


class TeamStepView(APIView):
    """A step of my team: ``register`` (the captain; all its places or none, 409 ``full``),
    ``wait`` (the captain puts it in line as one), ``leave`` (the captain leaving disbands
    it)."""

    permission_classes = [IsAuthenticated]
    step = ""

    @extend_schema(request=None, responses={200: s.SquadSerializer})
    def post(self, request, pk):
        squad = _my_team(request, pk)
        if self.step == "register":
            registration.register_team(squad=squad, captain=request.user)
        elif self.step == "wait":
            registration.team_waits(squad=squad, captain=request.user)
        else:
            registration.leave_team(squad=squad, youth=request.user)
        squad.refresh_from_db()
        return Response(s.SquadSerializer(squad).data)


class MyRegistrationsView(generics.ListAPIView):
    """My registrations here, the latest activity first, with whether I checked in."""

    permission_classes = [IsAuthenticated]
    serializer_class = s.RegistrationSerializer

    def get_queryset(self):
        return selectors.registrations_of(self.request.user)


class MyLineView(generics.ListAPIView):
    """Where I (or my team) wait, or am offered places, for an activity here."""

    permission_classes = [IsAuthenticated]
    serializer_class = s.ActivityWaiterSerializer

    def get_queryset(self):
        return selectors.places_in_line(self.request.user)


class LineStepView(APIView):
    """``accept`` the places held for me (they become my, or my team's, registrations) or
    ``leave`` the line."""

    permission_classes = [IsAuthenticated]
    step = ""

    @extend_schema(request=None, responses={200: s.ActivityWaiterSerializer})
    def post(self, request, pk):
        waiter = get_object_or_404(selectors.places_in_line(request.user), pk=pk)
        if self.step == "accept":
            registration.accept_offer(waiter=waiter, youth=request.user)
        else:
            registration.leave_line(waiter=waiter, youth=request.user)
        waiter.refresh_from_db()
        return Response(s.ActivityWaiterSerializer(waiter).data)


class ScanView(APIView):
    """I scanned the venue's code (签到): checked in once, however often the scan is sent
    (its ``nonce``); ``is_offline`` for a scan made offline and uploaded now."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=s.ScanSerializer,
        responses={201: s.ActivityCheckInSerializer, 200: s.ActivityCheckInSerializer},
    )
    def post(self, request):
        data = s.ScanSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        done = checkin.scan(youth=request.user, **data.validated_data)
        found = done.check_in
        found.is_new = done.is_new
        return Response(
            s.ActivityCheckInSerializer(found).data,
            status=status.HTTP_201_CREATED if done.is_new else status.HTTP_200_OK,
        )


class VenueCodeView(APIView):
    """The venue's code now, as the QR shows it, and when it changes (its organisers)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: s.VenueCodeSerializer})
    def get(self, request, pk):
        code = checkin.venue_code(_activity(pk), actor=request.user)
        absolute = request.build_absolute_uri(code.url)
        return Response(
            s.VenueCodeSerializer(
                {
                    "code": code.code,
                    "url": absolute,
                    "expires_at": code.expires_at,
                    "svg": str(code_image(absolute)),
                }
            ).data
        )


class ParticipantsView(generics.ListAPIView):
    """The activity's registrations with their check-ins (its organisers, readers above)."""

    permission_classes = [IsAuthenticated]
    serializer_class = s.ParticipantSerializer

    def get_queryset(self):
        return selectors.participants(_readable(self.request, self.kwargs["pk"]))


class PresentView(APIView):
    """Mark a registered youth present from the list (its organisers)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=s.PresentSerializer, responses={200: s.ParticipantSerializer})
    def post(self, request, pk):
        activity = _managed(request, pk)
        data = s.PresentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        found = get_object_or_404(
            Registration, pk=data.validated_data["registration"], activity=activity
        )
        checkin.mark_present(registration=found, actor=request.user)
        return Response(
            s.ParticipantSerializer(selectors.participants(activity).get(pk=found.pk)).data
        )


class MessageView(APIView):
    """Send the participants a message (its organisers)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=s.MessageSerializer, responses={201: s.SentSerializer})
    def post(self, request, pk):
        data = s.MessageSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        sent = services.message(activity=_activity(pk), actor=request.user, **data.validated_data)
        return Response({"sent_to": sent}, status=status.HTTP_201_CREATED)


class PhotosView(APIView):
    """The photos shown (its organisers see every photo); POST adds one (organisers and
    participants, once it started; multipart)."""

    permission_classes = [AllowAny]
    parser_classes = [MultiPartParser, FormParser]

    def get_permissions(self):
        if self.request.method == "POST":
            return [IsAuthenticated()]
        return super().get_permissions()

    @extend_schema(responses={200: s.ActivityPhotoSerializer(many=True)})
    def get(self, request, pk):
        activity = _activity(pk)
        photos = activity.photos.all()
        if not (request.user.is_authenticated and services.may_manage(request.user, activity)):
            photos = selectors.shown_photos(activity)
        return Response(s.ActivityPhotoSerializer(photos, many=True).data)

    @extend_schema(
        request=s.ActivityPhotoUploadSerializer, responses={201: s.ActivityPhotoSerializer}
    )
    def post(self, request, pk):
        data = s.ActivityPhotoUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        photo = services.add_photo(
            activity=_activity(pk),
            upload=data.validated_data["image"],
            caption=data.validated_data["caption"],
            by=request.user,
        )
        return Response(s.ActivityPhotoSerializer(photo).data, status=status.HTTP_201_CREATED)


class PhotoView(APIView):
    """Show or hide a photo (its organisers); DELETE removes it (they, or who added it)."""

    permission_classes = [IsAuthenticated]

    def _photo(self, pk: int) -> ActivityPhoto:
        return get_object_or_404(ActivityPhoto.objects.select_related("activity"), pk=pk)

    @extend_schema(request=s.PhotoSelectSerializer, responses={200: s.ActivityPhotoSerializer})
    def patch(self, request, pk):
        data = s.PhotoSelectSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        photo = services.select_photo(
            photo=self._photo(pk), actor=request.user, **data.validated_data
        )
        return Response(s.ActivityPhotoSerializer(photo).data)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, pk):
        services.remove_photo(photo=self._photo(pk), actor=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class RateView(APIView):
    """After checking in: rate the activity, once, and say whether it happened as
    described."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=RealRateRequestSerializer, responses={201: RatingSerializer})
    def post(self, request, pk):
        data = RealRateRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        found = get_object_or_404(Registration, pk=pk, youth=request.user)
        rating = services.rate(registration=found, youth=request.user, **data.validated_data)
        return Response(RatingSerializer(rating).data, status=status.HTTP_201_CREATED)


class ReportView(APIView):
    """Report the activity as fake or not as published (虚假活动举报): it goes to the
    committee above for review; once an account."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=s.ReportSerializer, responses={201: s.ReportMadeSerializer})
    def post(self, request, pk):
        data = s.ReportSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        made = reports.report(activity=_activity(pk), reporter=request.user, **data.validated_data)
        return Response(s.ReportMadeSerializer(made).data, status=status.HTTP_201_CREATED)


class FiguresView(APIView):
    """The activity's figures for its organisers (and readers above)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: s.FiguresSerializer})
    def get(self, request, pk):
        activity = _readable(request, pk, by_name=False)
        return Response(s.FiguresSerializer(selectors.figures(activity)).data)


# ---------------------------------------------------------------- votes and review


class BallotsView(APIView):
    """The activity's votes; POST opens one (its organisers), with its published rule."""

    permission_classes = [AllowAny]

    def get_permissions(self):
        if self.request.method == "POST":
            return [IsAuthenticated()]
        return super().get_permissions()

    @extend_schema(responses={200: s.BallotSerializer(many=True)})
    def get(self, request, pk):
        return Response(s.BallotSerializer(_activity(pk).ballots.order_by("id"), many=True).data)

    @extend_schema(request=s.BallotWriteSerializer, responses={201: s.BallotSerializer})
    def post(self, request, pk):
        data = s.BallotWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ballot = voting.open_ballot(
            activity=_activity(pk), actor=request.user, **data.validated_data
        )
        return Response(s.BallotSerializer(ballot).data, status=status.HTTP_201_CREATED)


def _ballot(pk: int) -> Ballot:
    return get_object_or_404(Ballot.objects.select_related("activity"), pk=pk)


class BallotView(APIView):
    """A vote, its rule and its entries."""

    permission_classes = [AllowAny]

    @extend_schema(responses={200: s.BallotSerializer})
    def get(self, request, pk):
        return Response(s.BallotSerializer(_ballot(pk)).data)


class EntriesView(APIView):
    """Submit an entry (a participant, a team's captain for the team, or the organisers;
    multipart with an image, or JSON)."""

    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    @extend_schema(request=s.EntryWriteSerializer, responses={201: s.EntrySerializer})
    def post(self, request, pk):
        data = s.EntryWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry = voting.submit_entry(ballot=_ballot(pk), by=request.user, **data.validated_data)
        return Response(s.EntrySerializer(entry).data, status=status.HTTP_201_CREATED)


class VoteView(APIView):
    """Vote for the entry: once an entry, as many entries as the vote gives an account
    (409 ``no_votes_left``); rate-limited."""

    permission_classes = [IsAuthenticated]
    throttle_classes = [ScopedAddressThrottle]
    throttle_scope = "vote"

    @extend_schema(request=None, responses={201: s.VoteMadeSerializer})
    def post(self, request, pk):
        entry = get_object_or_404(Entry.objects.select_related("ballot__activity"), pk=pk)
        made = voting.vote(entry=entry, voter=request.user, address=client_ip(request._request))
        return Response(s.VoteMadeSerializer(made).data, status=status.HTTP_201_CREATED)


class ResultsView(APIView):
    """The live results: every entry by the final ranking (a few seconds old at most)."""

    permission_classes = [AllowAny]

    @extend_schema(responses={200: s.StandingSerializer(many=True)})
    def get(self, request, pk):
        return Response(s.StandingSerializer(voting.standings(_ballot(pk)), many=True).data)


class FlagsView(APIView):
    """Anomaly flags of the vote (its organisers): bursts from one address, entries with
    many votes from accounts made just before."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: s.FlagsSerializer})
    def get(self, request, pk):
        ballot = _ballot(pk)
        if not services.may_manage(request.user, ballot.activity):
            raise PermissionDenied
        return Response(s.FlagsSerializer(voting.anomalies(ballot)).data)


class ReviewersView(APIView):
    """Seat an account on the vote's review panel (its organisers)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=s.AppointSerializer, responses={201: None})
    def post(self, request, pk):
        data = s.AppointSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = get_object_or_404(User, pk=data.validated_data["user"])
        voting.appoint(ballot=_ballot(pk), actor=request.user, user=user)
        return Response(status=status.HTTP_201_CREATED)


class ScoresView(APIView):
    """A panel member scores the entry on every criterion (0–100); again, to change."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=s.ScoreSerializer, responses={200: None})
    def post(self, request, pk):
        data = s.ScoreSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        entry = get_object_or_404(Entry.objects.select_related("ballot"), pk=pk)
        voting.score(entry=entry, reviewer_user=request.user, points=data.validated_data["points"])
        return Response(status=status.HTTP_200_OK)


# ---------------------------------------------------------------- the case library


class CaseListView(generics.ListAPIView):
    """The case library (案例库): accepted cases of every committee, the latest held first;
    by ``category``, ``theme``, ``region`` (a committee's code: its subtree) and ``q``
    (words). For the staff of any committee."""

    permission_classes = [IsCommitteeStaff]
    serializer_class = s.CaseSerializer

    @extend_schema(
        parameters=[
            OpenApiParameter("category", str),
            OpenApiParameter("theme", str),
            OpenApiParameter("region", str, description="A committee's code"),
            OpenApiParameter("q", str, description="Words"),
        ]
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        params = self.request.query_params
        return cases.library(
            category=params.get("category", ""),
            theme=params.get("theme", ""),
            region=params.get("region", ""),
            words=params.get("q", "")[:100],
        )


class NominateView(APIView):
    """Nominate the activity, once it was held, as a case (its organisers)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=s.NominateSerializer, responses={201: s.CaseSerializer})
    def post(self, request, pk):
        data = s.NominateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case = cases.nominate(activity=_activity(pk), actor=request.user, **data.validated_data)
        return Response(s.CaseSerializer(case).data, status=status.HTTP_201_CREATED)


class ToCurateView(generics.ListAPIView):
    """Nominations of the committees below to curate (this committee's admins; the central
    admin sees every one)."""

    permission_classes = [IsAuthenticated]
    serializer_class = s.CaseSerializer

    def get_queryset(self):
        return cases.to_curate(self.request.user).order_by("created_at", "id")


class CurationView(APIView):
    """Accept a nominated case into the library, or decline it (an admin above it)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=s.CurationSerializer, responses={200: s.CaseSerializer})
    def post(self, request, pk):
        data = s.CurationSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        case = get_object_or_404(CaseStudy.objects.select_related("committee"), pk=pk)
        case = cases.curate(case=case, actor=request.user, **data.validated_data)
        return Response(s.CaseSerializer(case).data)


class ReceivedCampaignsView(generics.ListAPIView):
    """The campaigns this committee received from above (its staff)."""

    permission_classes = [IsCommitteeStaff]
    serializer_class = s.ReceivedCampaignSerializer

    def get_queryset(self):
        return campaigns.received()


# ---------------------------------------------------------------- ideas


class IdeasView(APIView):
    """The activity's ideas, the most voted first (创意互动); POST proposes one, until it
    starts."""

    permission_classes = [AllowAny]

    def get_permissions(self):
        if self.request.method == "POST":
            return [IsAuthenticated()]
        return super().get_permissions()

    @extend_schema(responses={200: s.IdeaSerializer(many=True)})
    def get(self, request, pk):
        return Response(s.IdeaSerializer(ideas.of(_activity(pk)), many=True).data)

    @extend_schema(request=s.IdeaWriteSerializer, responses={201: s.IdeaSerializer})
    def post(self, request, pk):
        data = s.IdeaWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        idea = ideas.propose(activity=_activity(pk), author=request.user, **data.validated_data)
        return Response(s.IdeaSerializer(idea).data, status=status.HTTP_201_CREATED)


def _idea(pk: int) -> Idea:
    return get_object_or_404(Idea.objects.select_related("activity"), pk=pk)


class IdeaVoteView(APIView):
    """Vote an idea up, once (not one's own)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: s.IdeaSerializer})
    def post(self, request, pk):
        return Response(s.IdeaSerializer(ideas.vote_up(idea=_idea(pk), youth=request.user)).data)


class IdeaTakeView(APIView):
    """Mark the idea taken, with the organisers' answer (its organisers)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=s.TakeSerializer, responses={200: s.IdeaSerializer})
    def post(self, request, pk):
        data = s.TakeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        idea = ideas.take(idea=_idea(pk), actor=request.user, **data.validated_data)
        return Response(s.IdeaSerializer(idea).data)
