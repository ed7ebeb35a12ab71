"""Youth homes over the API: what a home shows, its slots, bookings and places in line."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .. import selectors
from ..models import Booking, Schedule, Service, Slot, YouthHome


class ServiceSerializer(serializers.ModelSerializer):
    category = serializers.CharField(source="category_id", help_text="Standard category code")

    class Meta:
        model = Service
        fields = ["id", "name", "category", "description", "group_max"]


class YouthHomeItemSerializer(serializers.ModelSerializer):
    latitude = serializers.FloatField()
    longitude = serializers.FloatField()
    distance_km = serializers.SerializerMethodField(
        help_text="Great-circle distance from the point asked about (near=)"
    )
    categories = serializers.SerializerMethodField(help_text="What its services are about")

    class Meta:
        model = YouthHome
        fields = [
            "id",
            "name",
            "address",
            "district",
            "latitude",
            "longitude",
            "opening_hours",
            "distance_km",
            "categories",
        ]

    def get_distance_km(self, home) -> float | None:
        distance = getattr(home, "distance_km", None)
        return None if distance is None else round(distance, 2)

    def get_categories(self, home) -> list[str]:
        return sorted({s.category_id for s in home.services.all() if s.is_active})


class MapPointSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    lat = serializers.FloatField()
    lng = serializers.FloatField()


class SatisfactionSerializer(serializers.Serializer):
    ratings = serializers.IntegerField()
    stars = serializers.FloatField(allow_null=True, help_text="Mean stars of youths' ratings")
    not_as_described = serializers.IntegerField()


class YouthHomeSerializer(YouthHomeItemSerializer):
    services = serializers.SerializerMethodField()
    satisfaction = serializers.SerializerMethodField()

    class Meta(YouthHomeItemSerializer.Meta):
        fields = [
            *YouthHomeItemSerializer.Meta.fields,
            "description",
            "contact",
            "services",
            "satisfaction",
        ]

    @extend_schema_field(SatisfactionSerializer)
    def get_satisfaction(self, home) -> dict:
        return SatisfactionSerializer(selectors.satisfaction(home)).data

    def get_services(self, home) -> list[dict]:
        active = [s for s in home.services.all() if s.is_active]
        return list(ServiceSerializer(active, many=True).data)


class SlotSerializer(serializers.ModelSerializer):
    service = serializers.IntegerField(source="service_id")
    service_name = serializers.CharField(source="service.name")
    free = serializers.IntegerField(help_text="Places free now")

    class Meta:
        model = Slot
        fields = ["id", "service", "service_name", "starts_at", "ends_at", "capacity", "free"]


class BookedSlotSerializer(serializers.ModelSerializer):
    service = serializers.CharField(source="service.name")
    home = serializers.IntegerField(source="service.home_id")
    home_name = serializers.CharField(source="service.home.name")

    class Meta:
        model = Slot
        fields = ["id", "service", "home", "home_name", "starts_at", "ends_at"]


class BookingSerializer(serializers.ModelSerializer):
    slot = BookedSlotSerializer()

    class Meta:
        model = Booking
        fields = [
            "id",
            "slot",
            "places",
            "state",
            "code",
            "note",
            "created_at",
            "cancelled_at",
            "checked_in_at",
        ]


class ArrivalSerializer(serializers.ModelSerializer):
    """A booking as the home's staff see it at the door: no code."""

    slot = BookedSlotSerializer()
    youth = serializers.CharField(source="youth.name", default="")

    class Meta:
        model = Booking
        fields = ["id", "slot", "youth", "places", "state", "checked_in_at"]


class BookRequestSerializer(serializers.Serializer):
    places = serializers.IntegerField(min_value=1, max_value=20, default=1)
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class WaitRequestSerializer(serializers.Serializer):
    places = serializers.IntegerField(min_value=1, max_value=20, default=1)


class WaiterSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slot = serializers.IntegerField(source="pool_id")
    places = serializers.IntegerField()
    state = serializers.CharField()
    offered_until = serializers.DateTimeField(allow_null=True)


class RateRequestSerializer(serializers.Serializer):
    stars = serializers.IntegerField(min_value=1, max_value=5)
    is_real = serializers.BooleanField(help_text="Whether it happened as described (真实度)")
    comment = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class RatingSerializer(serializers.Serializer):
    stars = serializers.IntegerField()
    comment = serializers.CharField()
    created_at = serializers.DateTimeField()


class ConsultSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=100)
    body = serializers.CharField(max_length=5000, required=False, allow_blank=True, default="")


class AskedSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="The question's id in the question loop")
    state = serializers.CharField()
    url = serializers.CharField(help_text="Its page, where the youth follows it")


class CheckInSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=32)


class NearQuery(serializers.Serializer):
    """Finding homes: near a point (the phone's location), by category, open now."""

    lat = serializers.FloatField(min_value=-90, max_value=90, required=False)
    lng = serializers.FloatField(min_value=-180, max_value=180, required=False)
    radius_km = serializers.FloatField(min_value=0.1, max_value=200, default=10)
    category = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    open_now = serializers.BooleanField(default=False)

    def validate(self, data):
        if ("lat" in data) != ("lng" in data):
            missing = "lng" if "lat" in data else "lat"
            raise serializers.ValidationError({missing: _("Give both the latitude and longitude.")})
        return data


# ---------------------------------------------------------------- set-up (admins)


class HomeWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=60)
    address = serializers.CharField(max_length=200)
    district = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    latitude = serializers.DecimalField(max_digits=9, decimal_places=6, min_value=-90, max_value=90)
    longitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, min_value=-180, max_value=180
    )
    opening_hours = serializers.CharField(
        max_length=200, required=False, allow_blank=True, default=""
    )
    contact = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    description = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, default=""
    )


class HomeChangeSerializer(HomeWriteSerializer):
    """A home's details changed (its name is its team's and stays), or its publication."""

    name = None  # type: ignore[assignment]
    is_published = serializers.BooleanField(required=False)


class ServiceWriteSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=100)
    category = serializers.CharField(max_length=16)
    description = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, default=""
    )
    group_max = serializers.IntegerField(min_value=1, max_value=20, default=1)


class ScheduleSerializer(serializers.ModelSerializer):
    weekday = serializers.IntegerField(min_value=0, max_value=6, help_text="0 is Monday")
    capacity = serializers.IntegerField(min_value=1, max_value=10000)

    class Meta:
        model = Schedule
        fields = ["id", "weekday", "starts", "ends", "capacity", "valid_from", "valid_until"]
        read_only_fields = ["id"]
        extra_kwargs = {"valid_from": {"required": False}}
