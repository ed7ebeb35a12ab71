"""Youth homes over the API: find homes (near me, by category, open now), read a home and
its slots, book, cancel, wait for a place and take it; the home's staff check youths in and
read the day's arrivals. Each endpoint parses, calls one service or selector, and renders."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from capacity import waitlist
from capacity.models import Waiter
from casework import cases
from core.api.permissions import IsCommitteeStaff, committee_of
from core.links import on_portal
from core.models import Role
from franchise.models import HomeListing
from ratings.serializers import RatingSerializer, RealRateRequestSerializer
from reporting.scope import scope_of

from .. import directory, referrals, selectors, services, standard
from ..models import (
    Booking,
    Compliance,
    HomePhoto,
    Referral,
    Schedule,
    Service,
    Slot,
    YouthHome,
)
from . import serializers as s


class IsCommitteeAdmin(IsCommitteeStaff):
    write_kinds = (Role.Kind.ADMIN,)


class HomeListView(generics.ListAPIView):
    """The committee's published youth homes: near a point (``lat``, ``lng``, ``radius_km``)
    nearest first, else by name; by ``category`` of service; ``open_now``. POST opens a home
    (the committee's admins)."""

    permission_classes = [AllowAny]
    serializer_class = s.YouthHomeItemSerializer

    def get_permissions(self):
        if self.request.method == "POST":
            return [IsCommitteeAdmin()]
        return super().get_permissions()

    @extend_schema(request=s.HomeWriteSerializer, responses={201: s.YouthHomeSerializer})
    def post(self, request):
        data = s.HomeWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        home = services.open_home(**data.validated_data)
        return Response(
            s.YouthHomeSerializer(selectors.with_services(YouthHome.objects).get(pk=home.pk)).data,
            status=status.HTTP_201_CREATED,
        )

    @extend_schema(parameters=[s.NearQuery])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        query = s.NearQuery(data=self.request.query_params)
        query.is_valid(raise_exception=True)
        homes = selectors.found_by(query.validated_data)
        return selectors.with_services(homes)


def _home(pk: int) -> YouthHome:
    return get_object_or_404(selectors.with_services(selectors.published()), pk=pk)


class HomeDetailView(APIView):
    """A published home; PATCH changes its details or publication (the committee's admins,
    who also reach a home not published)."""

    permission_classes = [AllowAny]

    def get_permissions(self):
        if self.request.method == "PATCH":
            return [IsCommitteeAdmin()]
        return super().get_permissions()

    @extend_schema(responses={200: s.YouthHomeSerializer})
    def get(self, request, pk):
        return Response(s.YouthHomeSerializer(_home(pk)).data)

    @extend_schema(request=s.HomeChangeSerializer, responses={200: s.YouthHomeSerializer})
    def patch(self, request, pk):
        home = get_object_or_404(YouthHome, pk=pk)
        data = s.HomeChangeSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        services.change_home(home=home, **data.validated_data)
        return Response(
            s.YouthHomeSerializer(selectors.with_services(YouthHome.objects).get(pk=pk)).data
        )


class ConsultView(APIView):
    """Ask the home a question (咨询): it goes to the home's staff, and is followed and rated
    as any question (``/api/v1/questions/<id>/``)."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=s.ConsultSerializer, responses={201: s.AskedSerializer})
    def post(self, request, pk):
        data = s.ConsultSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        question = services.consult(home=_home(pk), youth=request.user, **data.validated_data)
        shown = {
            "id": question.pk,
            "state": question.state,
            "url": reverse("qa:question", args=[question.pk]),
        }
        return Response(s.AskedSerializer(shown).data, status=status.HTTP_201_CREATED)


class HomeServicesView(APIView):
    """Add a service to a home (the committee's admins)."""

    permission_classes = [IsCommitteeAdmin]

    @extend_schema(request=s.ServiceWriteSerializer, responses={201: s.ServiceSerializer})
    def post(self, request, pk):
        home = get_object_or_404(YouthHome, pk=pk)
        data = s.ServiceWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        service = services.add_service(home=home, **data.validated_data)
        return Response(s.ServiceSerializer(service).data, status=status.HTTP_201_CREATED)


class SchedulesView(generics.ListCreateAPIView):
    """A service's weekly openings (staff read them); POST adds one and makes its slots (the
    committee's admins)."""

    permission_classes = [IsCommitteeAdmin]
    serializer_class = s.ScheduleSerializer

    def _service(self) -> Service:
        return get_object_or_404(Service, pk=self.kwargs["pk"])

    def get_queryset(self):
        return Schedule.objects.filter(service=self._service()).order_by("weekday", "starts")

    def create(self, request, *args, **kwargs):
        data = s.ScheduleSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        schedule = services.add_schedule(service=self._service(), **data.validated_data)
        return Response(s.ScheduleSerializer(schedule).data, status=status.HTTP_201_CREATED)


class EndScheduleView(APIView):
    """The schedule makes no more slots; its coming slots nobody booked go."""

    permission_classes = [IsCommitteeAdmin]

    @extend_schema(request=None, responses={200: s.ScheduleSerializer})
    def post(self, request, pk):
        schedule = services.end_schedule(schedule=get_object_or_404(Schedule, pk=pk))
        return Response(s.ScheduleSerializer(schedule).data)


class HomeSlotsView(generics.ListAPIView):
    """The home's slots of the coming two weeks with their free places (``service=`` one)."""

    permission_classes = [AllowAny]
    serializer_class = s.SlotSerializer

    def get_queryset(self):
        service = self.request.query_params.get("service", "")
        return selectors.upcoming_slots(
            _home(self.kwargs["pk"]), service=int(service) if service.isdecimal() else None
        )


def _slot(pk: int) -> Slot:
    return get_object_or_404(Slot.objects.filter(service__home__is_published=True), pk=pk)


class BookView(APIView):
    """Book places of a slot (预约): all of them or none; a full slot answers 409 ``full``."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=s.BookRequestSerializer, responses={201: s.BookingSerializer})
    def post(self, request, pk):
        data = s.BookRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        booking = services.book(slot=_slot(pk), youth=request.user, **data.validated_data)
        return Response(s.BookingSerializer(booking).data, status=status.HTTP_201_CREATED)


class WaitView(APIView):
    """Join a full slot's waitlist (候补): offered places in turn, held for two hours."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=s.WaitRequestSerializer, responses={201: s.WaiterSerializer})
    def post(self, request, pk):
        data = s.WaitRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        waiter = services.join_waitlist(slot=_slot(pk), youth=request.user, **data.validated_data)
        return Response(s.WaiterSerializer(waiter).data, status=status.HTTP_201_CREATED)


class MyBookingsView(generics.ListAPIView):
    """My bookings here with their check-in codes, the latest slot first."""

    permission_classes = [IsAuthenticated]
    serializer_class = s.BookingSerializer

    def get_queryset(self):
        return selectors.bookings_of(self.request.user)


class CancelView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: s.BookingSerializer})
    def post(self, request, pk):
        booking = get_object_or_404(Booking, pk=pk, youth=request.user)
        services.cancel(booking=booking, youth=request.user)
        return Response(s.BookingSerializer(selectors.bookings_of(request.user).get(pk=pk)).data)


class RateView(APIView):
    """After attending: rate the service, once a booking, and say whether it happened as
    described."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=RealRateRequestSerializer, responses={201: RatingSerializer})
    def post(self, request, pk):
        data = RealRateRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        booking = get_object_or_404(Booking, pk=pk, youth=request.user)
        rating = services.rate(booking=booking, youth=request.user, **data.validated_data)
        return Response(RatingSerializer(rating).data, status=status.HTTP_201_CREATED)


class MyWaitlistView(generics.ListAPIView):
    """Where I wait, or am offered places, for a slot here."""

    permission_classes = [IsAuthenticated]
    serializer_class = s.WaiterSerializer

    def get_queryset(self):
        return selectors.places_in_line(self.request.user)


def _my_place(request, pk: int) -> Waiter:
    return get_object_or_404(selectors.places_in_line(request.user), pk=pk)


class AcceptOfferView(APIView):
    """Take the places the waitlist holds for me: they become my booking."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={201: s.BookingSerializer})
    def post(self, request, pk):
        booking = services.accept_offer(waiter=_my_place(request, pk), youth=request.user)
        booking = selectors.bookings_of(request.user).get(pk=booking.pk)
        return Response(s.BookingSerializer(booking).data, status=status.HTTP_201_CREATED)


class LeaveWaitlistView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: s.WaiterSerializer})
    def post(self, request, pk):
        waiter = waitlist.leave(_my_place(request, pk), youth=request.user)
        return Response(s.WaiterSerializer(waiter).data)


class CheckInView(APIView):
    """Check a youth in by their code (scanned at the door); a second scan changes nothing."""

    permission_classes = [IsCommitteeStaff]

    @extend_schema(request=s.CheckInSerializer, responses={200: s.ArrivalSerializer})
    def post(self, request):
        data = s.CheckInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        booking = services.check_in(code=data.validated_data["code"], actor=request.user)
        return Response(s.ArrivalSerializer(booking).data)


class ArrivalsView(generics.ListAPIView):
    """Today's bookings at one home, for its staff."""

    permission_classes = [IsCommitteeStaff]
    serializer_class = s.ArrivalSerializer

    def get_queryset(self):
        home = get_object_or_404(YouthHome.objects.select_related("team"), pk=self.kwargs["pk"])
        if not services.may_check_in(self.request.user, home):
            raise PermissionDenied
        return selectors.todays_bookings(home)


# ---------------------------------------------------------------- the service map


def map_response(request, *, path: str | None) -> Response:
    """The directory's homes in view (``homes.directory.map_data``), each linked to its page
    on its committee's portal."""
    query = s.MapQuery(data=request.query_params)
    query.is_valid(raise_exception=True)
    found = directory.map_data(path=path, **query.validated_data)
    # The tenant URLconf names a home's page, on the console too.
    page = reverse("homes:home", urlconf="config.urls_tenant", args=[0])
    for point in found["points"]:
        point["url"] = on_portal(request, point["committee"], page.replace("0", str(point["id"])))
    return Response(s.MapSerializer(found).data)


class HomeMapView(APIView):
    """The published youth homes of this committee and every committee below it, for the
    service map (``bbox``: the view; ``category``): each home when few enough are in view,
    else counted by area."""

    permission_classes = [AllowAny]

    @extend_schema(parameters=[s.MapQuery], responses={200: s.MapSerializer})
    def get(self, request):
        return map_response(request, path=request.committee.path)


class SubtreeMapView(APIView):
    """The youth homes of a committee's subtree (``node``; the nation from the central
    console) for the map of the figures: each home when few enough are in ``bbox``, else
    counted by area. Read by whoever may read that committee's figures."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[OpenApiParameter("node", str, description="Whose subtree"), s.MapQuery],
        responses={200: s.MapSerializer},
    )
    def get(self, request):
        scope = scope_of(request, here=committee_of(request))
        return map_response(request, path=scope.node.path)


# ---------------------------------------------------------------- the youth-home standard


class HomeStandardView(APIView):
    """A published home against the youth-home standard in force, item by item; POST
    records an item (met or not, the evidence, the day it was seen: the committee's admins),
    which then awaits the check of an admin above."""

    permission_classes = [AllowAny]

    def get_permissions(self):
        if self.request.method == "POST":
            return [IsCommitteeAdmin()]
        return super().get_permissions()

    @extend_schema(responses={200: s.StandardSerializer})
    def get(self, request, pk):
        return Response(s.StandardSerializer(standard.measure(_home(pk))).data)

    @extend_schema(request=s.ComplianceWriteSerializer, responses={201: s.StandardSerializer})
    def post(self, request, pk):
        home = get_object_or_404(YouthHome, pk=pk)
        data = s.ComplianceWriteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        standard.record(home=home, actor=request.user, **data.validated_data)
        return Response(
            s.StandardSerializer(standard.measure(home)).data, status=status.HTTP_201_CREATED
        )


class ComplianceCheckView(APIView):
    """An admin of a committee above confirms a record of the standard, or returns it with
    a note."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=s.ComplianceCheckSerializer, responses={200: s.StandardSerializer})
    def post(self, request, pk):
        if not standard.may_check(request.user):
            raise PermissionDenied
        found = get_object_or_404(Compliance.objects.select_related("home"), pk=pk)
        data = s.ComplianceCheckSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        standard.check(compliance=found, actor=request.user, **data.validated_data)
        return Response(s.StandardSerializer(standard.measure(found.home)).data)


# ---------------------------------------------------------------- offline services (O2O)


class SuggestedHomesView(APIView):
    """Homes for an offline service in ``category``: nearest in the committee tree first;
    with ``find``, homes of any committee by name, district or address (staff)."""

    permission_classes = [IsCommitteeStaff]

    @extend_schema(parameters=[s.SuggestQuery], responses={200: s.ListingSerializer(many=True)})
    def get(self, request):
        query = s.SuggestQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        found = referrals.suggest(**query.validated_data)
        return Response(s.ListingSerializer(found, many=True).data)


def refer_view(subject_type: str, summary: str):
    """The one action that sends an item's youth to a youth home, for a case type."""

    class ReferView(APIView):
        permission_classes = [IsCommitteeStaff]

        @extend_schema(
            request=s.ReferSerializer,
            responses={201: s.ReferredSerializer},
            summary=summary,
            operation_id=f"{subject_type.split('.')[0]}_refer",
        )
        def post(self, request, pk):
            case_type = cases.of(subject_type)
            item = get_object_or_404(case_type.model._default_manager, pk=pk)
            data = s.ReferSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            listing = get_object_or_404(
                HomeListing.objects.select_related("committee"), pk=data.validated_data["listing"]
            )
            slot = referrals.slot_for(listing, data.validated_data["slot"])
            sent = referrals.refer(
                case_type,
                item,
                actor=request.user,
                listing=listing,
                slot=slot,
                note=data.validated_data["note"],
            )
            shown = (
                {"id": sent.pk, "state": sent.state, "home": listing.name}
                if isinstance(sent, Referral)
                else {"id": None, "state": "sent", "home": listing.name}
            )
            return Response(s.ReferredSerializer(shown).data, status=status.HTTP_201_CREATED)

    ReferView.__name__ = ReferView.__qualname__ = f"Refer{subject_type.split('.')[1].title()}View"
    return ReferView


class HomeReferralsView(generics.ListAPIView):
    """Youths sent to one home from questions and help cases, newest first (its staff)."""

    permission_classes = [IsCommitteeStaff]
    serializer_class = s.ReferralSerializer

    def get_queryset(self):
        home = get_object_or_404(YouthHome.objects.select_related("team"), pk=self.kwargs["pk"])
        if not services.may_check_in(self.request.user, home):
            raise PermissionDenied
        return selectors.referrals_to(home)


class OfferView(APIView):
    """Offer a referred youth a slot of the home: a place is held for them to confirm."""

    permission_classes = [IsCommitteeStaff]

    @extend_schema(request=s.OfferSerializer, responses={200: s.ReferralSerializer})
    def post(self, request, pk):
        referral = get_object_or_404(Referral.objects.select_related("home__team"), pk=pk)
        data = s.OfferSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        slot = get_object_or_404(Slot, pk=data.validated_data["slot"])
        referrals.offer(referral=referral, slot=slot, actor=request.user)
        return Response(s.ReferralSerializer(selectors.referrals_to(referral.home).get(pk=pk)).data)


class MyReferralsView(generics.ListAPIView):
    """What I was sent to a youth home here for, and the times offered to me."""

    permission_classes = [IsAuthenticated]
    serializer_class = s.ReferralSerializer

    def get_queryset(self):
        return selectors.referrals_of(self.request.user)


def _my_referral(request, pk: int) -> Referral:
    return get_object_or_404(selectors.referrals_of(request.user), pk=pk)


class AcceptReferralView(APIView):
    """Confirm the time offered: it becomes my booking, with its check-in code."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={201: s.BookingSerializer})
    def post(self, request, pk):
        booking = referrals.accept(referral=_my_referral(request, pk), youth=request.user)
        booking = selectors.bookings_of(request.user).get(pk=booking.pk)
        return Response(s.BookingSerializer(booking).data, status=status.HTTP_201_CREATED)


class DeclineReferralView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: s.ReferralSerializer})
    def post(self, request, pk):
        referral = referrals.decline(referral=_my_referral(request, pk), youth=request.user)
        return Response(
            s.ReferralSerializer(selectors.referrals_of(request.user).get(pk=referral.pk)).data
        )


class HomePhotosView(APIView):
    """Add a photo to a home (the committee's admins; multipart)."""

    permission_classes = [IsCommitteeAdmin]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request=s.PhotoUploadSerializer, responses={201: s.PhotoSerializer})
    def post(self, request, pk):
        home = get_object_or_404(YouthHome, pk=pk)
        data = s.PhotoUploadSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        photo = services.add_photo(
            home=home, upload=data.validated_data["image"], caption=data.validated_data["caption"]
        )
        return Response(
            s.PhotoSerializer(photo, context={"request": request}).data,
            status=status.HTTP_201_CREATED,
        )


class HomePhotoView(APIView):
    """Remove a photo of a home (the committee's admins)."""

    permission_classes = [IsCommitteeAdmin]

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, pk):
        services.remove_photo(photo=get_object_or_404(HomePhoto, pk=pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class ArriveView(APIView):
    """I scanned the home's code at its door: my booking there now is checked in."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=s.ArriveSerializer, responses={200: s.BookingSerializer})
    def post(self, request, pk):
        data = s.ArriveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        booking = services.arrive(
            home=_home(pk), code=data.validated_data["code"], youth=request.user
        )
        return Response(
            s.BookingSerializer(selectors.bookings_of(request.user).get(pk=booking.pk)).data
        )
