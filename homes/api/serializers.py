"""Youth homes over the API: what a home shows, its slots, bookings and places in line."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field, inline_serializer
from rest_framework import serializers

from franchise.models import HomeListing

from .. import selectors, standard
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
    committee = serializers.CharField(help_text="The code of the committee it belongs to")
    meets_standard = serializers.BooleanField()
    url = serializers.CharField(help_text="Its page, on its committee's portal")


class MapCellSerializer(serializers.Serializer):
    lat = serializers.FloatField(help_text="The mean position of the homes counted")
    lng = serializers.FloatField()
    count = serializers.IntegerField()


class MapSerializer(serializers.Serializer):
    total = serializers.IntegerField(help_text="Homes in view")
    points = MapPointSerializer(many=True, help_text="Each home, when few enough are in view")
    cells = MapCellSerializer(many=True, help_text="Else the homes counted by area")


class MapQuery(serializers.Serializer):
    """The homes in view: ``bbox`` is west,south,east,north in degrees."""

    category = serializers.CharField(max_length=20, required=False, allow_blank=True, default="")
    bbox = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")

    def validate_bbox(self, value: str):
        if not value:
            return None
        try:
            west, south, east, north = (float(part) for part in value.split(","))
        except ValueError:
            raise serializers.ValidationError(
                _("Four numbers: west, south, east and north.")
            ) from None
        if not (-180 <= west < east <= 180 and -90 <= south < north <= 90):
            raise serializers.ValidationError(_("Four numbers: west, south, east and north."))
        return (west, south, east, north)


class StandardLineSerializer(serializers.Serializer):
    """An item of the youth-home standard in force and the home's record of it."""

    code = serializers.CharField()
    area = serializers.CharField()
    area_label = serializers.CharField()
    text = serializers.CharField()
    record = serializers.SerializerMethodField()

    @extend_schema_field(
        inline_serializer(
            "ComplianceRecord",
            {
                "id": serializers.IntegerField(),
                "is_met": serializers.BooleanField(),
                "evidence": serializers.CharField(),
                "observed_on": serializers.DateField(),
                "state": serializers.ChoiceField(choices=Compliance.State.choices),
                "checked_at": serializers.DateTimeField(allow_null=True),
                "check_note": serializers.CharField(),
            },
            allow_null=True,
        )
    )
    def get_record(self, line) -> dict | None:
        found = line.record
        if found is None:
            return None
        return {
            "id": found.pk,
            "is_met": found.is_met,
            "evidence": found.evidence,
            "observed_on": found.observed_on.isoformat(),
            "state": found.state,
            "checked_at": found.checked_at.isoformat() if found.checked_at else None,
            "check_note": found.check_note,
        }


class StandardSerializer(serializers.Serializer):
    """``homes.standard.Measure``."""

    version = serializers.IntegerField(allow_null=True)
    meets_standard = serializers.BooleanField()
    awaiting_check = serializers.IntegerField(help_text="Records the parent has yet to check")
    lines = StandardLineSerializer(many=True)


class ComplianceWriteSerializer(serializers.Serializer):
    item = serializers.SlugField(max_length=20)
    is_met = serializers.BooleanField()
    evidence = serializers.CharField(max_length=500)
    observed_on = serializers.DateField()


class ComplianceCheckSerializer(serializers.Serializer):
    confirm = serializers.BooleanField(help_text="False returns the record with a note")
    note = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class SatisfactionSerializer(serializers.Serializer):
    ratings = serializers.IntegerField()
    stars = serializers.FloatField(allow_null=True, help_text="Mean stars of youths' ratings")
    not_as_described = serializers.IntegerField()


class PhotoSerializer(serializers.ModelSerializer):
    url = serializers.FileField(source="image", use_url=True, read_only=True)

    class Meta:
        model = HomePhoto
        fields = ["id", "url", "caption"]


class PhotoUploadSerializer(serializers.Serializer):
    image = serializers.FileField(help_text="PNG, JPEG, GIF or WebP, under 2 MB")
    caption = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class ArriveSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=200, help_text="What the home's door code carries")


class YouthHomeSerializer(YouthHomeItemSerializer):
    photos = PhotoSerializer(many=True, read_only=True)
    services = serializers.SerializerMethodField()
    satisfaction = serializers.SerializerMethodField()
    standard = serializers.SerializerMethodField(
        help_text="The youth-home standard in force, item by item, and whether it is met"
    )

    class Meta(YouthHomeItemSerializer.Meta):
        fields = [
            *YouthHomeItemSerializer.Meta.fields,
            "description",
            "contact",
            "photos",
            "services",
            "satisfaction",
            "standard",
        ]

    @extend_schema_field(StandardSerializer)
    def get_standard(self, home) -> dict:
        return StandardSerializer(standard.measure(home)).data

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


# ---------------------------------------------------------------- offline services (O2O)


class ListingSerializer(serializers.ModelSerializer):
    """A home of the national directory, suggested for an offline service."""

    committee = serializers.CharField(source="committee.code")
    committee_name = serializers.CharField(source="committee.name")
    latitude = serializers.FloatField()
    longitude = serializers.FloatField()

    class Meta:
        model = HomeListing
        fields = [
            "id",
            "home_id",
            "name",
            "address",
            "district",
            "latitude",
            "longitude",
            "categories",
            "meets_standard",
            "committee",
            "committee_name",
        ]


class SuggestQuery(serializers.Serializer):
    category = serializers.CharField(max_length=16)
    find = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")


class ReferSerializer(serializers.Serializer):
    listing = serializers.IntegerField(help_text="The home's id in the directory (suggested)")
    slot = serializers.IntegerField(
        required=False, allow_null=True, default=None, help_text="A home of this committee only"
    )
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class ReferredSerializer(serializers.Serializer):
    id = serializers.IntegerField(allow_null=True, help_text="The referral, when the home is ours")
    state = serializers.CharField(help_text="requested, offered, or sent to another committee")
    home = serializers.CharField()


class ReferralSerializer(serializers.ModelSerializer):
    home = serializers.CharField(source="home.name")
    slot = BookedSlotSerializer(allow_null=True)

    class Meta:
        model = Referral
        fields = [
            "id",
            "home",
            "state",
            "title",
            "thread",
            "note",
            "category",
            "source_committee",
            "slot",
            "offer_expires_at",
            "booking",
            "created_at",
        ]


class OfferSerializer(serializers.Serializer):
    slot = serializers.IntegerField()
