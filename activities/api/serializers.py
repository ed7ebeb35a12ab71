from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from franchise.models import CaseStudy

from ..models import (
    Activity,
    ActivityPhoto,
    Ballot,
    CheckIn,
    Entry,
    Idea,
    Registration,
    Squad,
)


class ActivityItemSerializer(serializers.ModelSerializer):
    category = serializers.CharField(source="category_id")
    organiser = serializers.SerializerMethodField()
    free = serializers.IntegerField(read_only=True)
    is_fake = serializers.SerializerMethodField(help_text="A report that it was fake was confirmed")
    cover = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    class Meta:
        model = Activity
        fields = [
            "id",
            "title",
            "category",
            "organiser",
            "is_online",
            "place",
            "latitude",
            "longitude",
            "starts_at",
            "ends_at",
            "registration_opens_at",
            "registration_closes_at",
            "capacity",
            "free",
            "audience",
            "allows_individuals",
            "allows_teams",
            "team_min",
            "team_max",
            "state",
            "is_fake",
            "cover",
            "url",
        ]

    def get_organiser(self, activity) -> str | None:
        return activity.organiser.name if activity.organiser_id else None

    def get_is_fake(self, activity) -> bool:
        return activity.fake_confirmed_at is not None

    def get_cover(self, activity) -> str | None:
        return activity.cover.url if activity.cover else None

    def get_url(self, activity) -> str:
        return reverse("activities:activity", args=[activity.pk])


class ActivityPhotoSerializer(serializers.ModelSerializer):
    image = serializers.SerializerMethodField()

    class Meta:
        model = ActivityPhoto
        fields = ["id", "image", "caption", "is_selected", "created_at"]

    def get_image(self, photo) -> str:
        return photo.image.url


class SquadSerializer(serializers.ModelSerializer):
    members = serializers.SerializerMethodField()
    invite = serializers.SerializerMethodField(help_text="The link members join by")

    class Meta:
        model = Squad
        fields = ["id", "name", "state", "captain", "members", "token", "invite"]

    def get_members(self, squad) -> int:
        return getattr(squad, "size", None) or squad.members.count()

    def get_invite(self, squad) -> str:
        return reverse("activities:team", args=[squad.token])


class TeamPreviewSerializer(serializers.ModelSerializer):
    """What the invitation link shows anyone: the team and its activity."""

    members = serializers.SerializerMethodField()
    activity = ActivityItemSerializer()

    class Meta:
        model = Squad
        fields = ["id", "name", "state", "members", "activity"]

    def get_members(self, squad) -> int:
        return squad.members.count()


class ActivityMineSerializer(serializers.Serializer):
    """What the requester has of the activity."""

    registration = serializers.IntegerField(allow_null=True)
    team = SquadSerializer(allow_null=True)
    waitlist = serializers.IntegerField(allow_null=True, help_text="Their place in line's id")
    checked_in = serializers.BooleanField()
    may_manage = serializers.BooleanField()


class ActivitySerializer(ActivityItemSerializer):
    photos = serializers.SerializerMethodField()

    class Meta(ActivityItemSerializer.Meta):
        fields = [*ActivityItemSerializer.Meta.fields, "description", "photos"]

    @extend_schema_field(ActivityPhotoSerializer(many=True))
    def get_photos(self, activity):
        return ActivityPhotoSerializer(activity.photos.filter(is_selected=True), many=True).data


class DetailSerializer(serializers.Serializer):
    activity = ActivitySerializer()
    mine = ActivityMineSerializer()


class ActivityWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=100)
    description = serializers.CharField(max_length=5000)
    category = serializers.CharField(max_length=16)
    organiser = serializers.IntegerField(
        required=False, allow_null=True, help_text="A team (organisation) of the committee"
    )
    is_online = serializers.BooleanField(default=False)
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    latitude = serializers.DecimalField(
        max_digits=9, decimal_places=6, min_value=-90, max_value=90, required=False, allow_null=True
    )
    longitude = serializers.DecimalField(
        max_digits=9,
        decimal_places=6,
        min_value=-180,
        max_value=180,
        required=False,
        allow_null=True,
    )
    starts_at = serializers.DateTimeField()
    ends_at = serializers.DateTimeField()
    registration_opens_at = serializers.DateTimeField(required=False, allow_null=True)
    registration_closes_at = serializers.DateTimeField(required=False, allow_null=True)
    capacity = serializers.IntegerField(min_value=1, max_value=100_000)
    audience = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    allows_individuals = serializers.BooleanField(default=True)
    allows_teams = serializers.BooleanField(default=False)
    team_min = serializers.IntegerField(min_value=1, max_value=50, default=2)
    team_max = serializers.IntegerField(min_value=1, max_value=50, default=10)
    cover = serializers.FileField(required=False, help_text="An image, under 2 MB")


class ActivityChangeSerializer(ActivityWriteSerializer):
    """The fields to change (cover and organiser stay)."""

    def get_fields(self):
        fields = super().get_fields()
        fields.pop("organiser")
        fields.pop("cover")
        return fields


class CancelSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


class TeamFormSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=40)


class RegistrationSerializer(serializers.ModelSerializer):
    activity = ActivityItemSerializer()
    team = serializers.CharField(source="squad.name", default=None)
    checked_in = serializers.BooleanField(source="has_checked_in", default=False)

    class Meta:
        model = Registration
        fields = ["id", "activity", "team", "state", "checked_in", "created_at"]


class ParticipantSerializer(serializers.ModelSerializer):
    youth = serializers.SerializerMethodField()
    team = serializers.CharField(source="squad.name", default=None)
    checked_in_at = serializers.SerializerMethodField()
    check_in_method = serializers.SerializerMethodField()

    class Meta:
        model = Registration
        fields = ["id", "youth", "team", "state", "created_at", "checked_in_at", "check_in_method"]

    def get_youth(self, registration) -> int:
        return registration.youth_id

    def _check_in(self, registration) -> CheckIn | None:
        return getattr(registration, "check_in", None)

    def get_checked_in_at(self, registration) -> str | None:
        found = self._check_in(registration)
        return found.scanned_at.isoformat() if found else None

    def get_check_in_method(self, registration) -> str | None:
        found = self._check_in(registration)
        return found.method if found else None


class ActivityWaiterSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    activity = serializers.IntegerField(source="pool_id")
    places = serializers.IntegerField()
    state = serializers.CharField()
    offered_until = serializers.DateTimeField(allow_null=True)


class ScanSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=300, help_text="What the venue's QR carries")
    nonce = serializers.CharField(max_length=64, help_text="The scan's own random id")
    latitude = serializers.FloatField(min_value=-90, max_value=90, required=False, allow_null=True)
    longitude = serializers.FloatField(
        min_value=-180, max_value=180, required=False, allow_null=True
    )
    accuracy_m = serializers.FloatField(min_value=0, required=False, allow_null=True)
    is_offline = serializers.BooleanField(
        default=False, help_text="Made offline and uploaded now: its code may be older"
    )


class ActivityCheckInSerializer(serializers.ModelSerializer):
    activity = serializers.IntegerField(source="activity_id")
    title = serializers.CharField(source="activity.title")
    is_new = serializers.BooleanField(help_text="False: checked in already")

    class Meta:
        model = CheckIn
        fields = [
            "id",
            "activity",
            "title",
            "method",
            "scanned_at",
            "is_offline",
            "distance_m",
            "is_new",
        ]


class VenueCodeSerializer(serializers.Serializer):
    code = serializers.CharField()
    url = serializers.CharField(help_text="What the QR carries")
    expires_at = serializers.DateTimeField()
    svg = serializers.CharField(help_text="The QR code as SVG")


class PresentSerializer(serializers.Serializer):
    registration = serializers.IntegerField()


class MessageSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=500)


class SentSerializer(serializers.Serializer):
    sent_to = serializers.IntegerField()


class ActivityPhotoUploadSerializer(serializers.Serializer):
    image = serializers.FileField()
    caption = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class PhotoSelectSerializer(serializers.Serializer):
    is_selected = serializers.BooleanField()


class ReportSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class ReportMadeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reason = serializers.CharField()
    created_at = serializers.DateTimeField()


class FiguresSerializer(serializers.Serializer):
    registered = serializers.IntegerField()
    checked_in = serializers.IntegerField()
    teams = serializers.IntegerField()
    waiting = serializers.IntegerField()
    photos = serializers.IntegerField()
    ratings = serializers.IntegerField()
    stars = serializers.FloatField(allow_null=True)


class CriterionSerializer(serializers.Serializer):
    code = serializers.SlugField(max_length=20)
    name = serializers.CharField(max_length=40)
    weight = serializers.FloatField(min_value=0)


class EntrySerializer(serializers.ModelSerializer):
    image = serializers.SerializerMethodField()
    team = serializers.CharField(source="squad.name", default=None)

    class Meta:
        model = Entry
        fields = ["id", "title", "description", "team", "image", "created_at"]

    def get_image(self, entry) -> str | None:
        return entry.image.url if entry.image else None


class BallotSerializer(serializers.ModelSerializer):
    criteria = CriterionSerializer(many=True)
    entries = serializers.SerializerMethodField()
    is_open = serializers.SerializerMethodField()

    class Meta:
        model = Ballot
        fields = [
            "id",
            "activity",
            "title",
            "description",
            "votes_per_account",
            "opens_at",
            "closes_at",
            "is_open",
            "vote_weight",
            "panel_weight",
            "criteria",
            "entries",
        ]

    @extend_schema_field(EntrySerializer(many=True))
    def get_entries(self, ballot):
        return EntrySerializer(ballot.entries.filter(is_withdrawn=False), many=True).data

    def get_is_open(self, ballot) -> bool:
        from ..voting import is_open

        return is_open(ballot)


class BallotWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=100)
    description = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, default=""
    )
    opens_at = serializers.DateTimeField()
    closes_at = serializers.DateTimeField()
    votes_per_account = serializers.IntegerField(min_value=1, max_value=20, default=1)
    vote_weight = serializers.FloatField(min_value=0, default=1.0)
    panel_weight = serializers.FloatField(min_value=0, default=0.0)
    criteria = CriterionSerializer(many=True, required=False, default=list)


class EntryWriteSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=100)
    description = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, default=""
    )
    image = serializers.FileField(required=False)


class VoteMadeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    entry = serializers.IntegerField(source="entry_id")
    at = serializers.DateTimeField()


class StandingSerializer(serializers.Serializer):
    entry_id = serializers.IntegerField()
    title = serializers.CharField()
    votes = serializers.IntegerField()
    vote_share = serializers.FloatField()
    panel = serializers.FloatField(allow_null=True)
    final = serializers.FloatField()


class BurstSerializer(serializers.Serializer):
    address = serializers.CharField(help_text="A keyed hash of the address")
    since = serializers.CharField(help_text="When the burst's first vote came")
    votes = serializers.IntegerField(help_text="Its votes within a minute from the first")


class FlagsSerializer(serializers.Serializer):
    bursts = BurstSerializer(many=True)
    new_accounts = serializers.DictField(
        child=serializers.FloatField(), help_text="Entry id → share of its votes from new accounts"
    )


class AppointSerializer(serializers.Serializer):
    user = serializers.IntegerField(help_text="The account to seat on the panel")


class ScoreSerializer(serializers.Serializer):
    points = serializers.DictField(child=serializers.IntegerField(min_value=0, max_value=100))


class CaseSerializer(serializers.ModelSerializer):
    committee = serializers.CharField(source="committee.code")
    committee_name = serializers.CharField(source="committee.name")

    class Meta:
        model = CaseStudy
        fields = [
            "id",
            "committee",
            "committee_name",
            "activity_id",
            "title",
            "category",
            "theme",
            "summary",
            "link",
            "photos",
            "figures",
            "held_on",
            "state",
            "note",
        ]


class NominateSerializer(serializers.Serializer):
    summary = serializers.CharField(max_length=5000)


class CurationSerializer(serializers.Serializer):
    accept = serializers.BooleanField()
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class ReceivedCampaignSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    theme = serializers.CharField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    votes_per_account = serializers.IntegerField()


class IdeaSerializer(serializers.ModelSerializer):
    class Meta:
        model = Idea
        fields = ["id", "text", "votes", "is_taken", "answer", "created_at"]


class IdeaWriteSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=300)


class TakeSerializer(serializers.Serializer):
    answer = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class ActivityMapPointSerializer(serializers.Serializer):
    lat = serializers.FloatField()
    lng = serializers.FloatField()
    name = serializers.CharField()
    url = serializers.CharField()


class ActivityMapSerializer(serializers.Serializer):
    points = ActivityMapPointSerializer(many=True)
    cells = serializers.ListField(child=serializers.DictField(), help_text="Always empty")
    total = serializers.IntegerField()
