"""Youth homes over the API: find homes (near me, by category, open now), read a home and
its slots, book, cancel, wait for a place and take it; the home's staff check youths in and
read the day's arrivals. Each endpoint parses, calls one service or selector, and renders."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from capacity import waitlist
from capacity.models import Waiter
from core.api.permissions import IsCommitteeStaff
from core.models import Role

from .. import selectors, services
from ..models import Booking, Schedule, Service, Slot, YouthHome
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


class HomeMapView(APIView):
    """The committee's published homes as points for the service map, unpaged, found as the
    list finds them (near a point, by category, open now)."""

    permission_classes = [AllowAny]

    @extend_schema(parameters=[s.NearQuery], responses={200: s.MapPointSerializer(many=True)})
    def get(self, request):
        query = s.NearQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        homes = selectors.found_by(query.validated_data)
        return Response(selectors.map_points(homes))


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
            _home(self.kwargs["pk"]), service=int(service) if service.isdigit() else None
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

    @extend_schema(request=s.RateRequestSerializer, responses={201: s.RatingSerializer})
    def post(self, request, pk):
        data = s.RateRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        booking = get_object_or_404(Booking, pk=pk, youth=request.user)
        rating = services.rate(booking=booking, youth=request.user, **data.validated_data)
        return Response(s.RatingSerializer(rating).data, status=status.HTTP_201_CREATED)


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
