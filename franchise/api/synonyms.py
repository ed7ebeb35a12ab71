"""The synonym list over the API: the central office's versions on the console, a
committee's list in force and its own additions on its portal."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api.permissions import IsCentralAdmin, IsCommitteeStaff, committee_of
from core.models import Role
from franchise import services, synonyms
from franchise.models import LocalSynonyms, SynonymList

MAX_TEXT_CHARS = 200_000

WORDS = {"type": "array", "items": {"type": "string", "maxLength": synonyms.MAX_WORD_CHARS}}
GROUPS = {"type": "array", "items": WORDS, "maxItems": synonyms.MAX_GROUPS}


@extend_schema_field(
    {
        "oneOf": [
            GROUPS,
            {
                "type": "string",
                "maxLength": MAX_TEXT_CHARS,
                "description": "One group per line, words separated by spaces",
            },
        ]
    }
)
class GroupsInput(serializers.Field):
    """Groups as a list of lists of words, or as text with one group per line."""

    default_error_messages = {
        "invalid": _("Give the groups as lists of words, or as text with one group per line."),
        "too_long": _("The text is too long."),
    }

    def to_internal_value(self, data):
        if isinstance(data, str):
            if len(data) > MAX_TEXT_CHARS:
                self.fail("too_long")
            return data
        if isinstance(data, list) and all(
            isinstance(group, list) and all(isinstance(word, str) for word in group)
            for group in data
        ):
            return data
        self.fail("invalid")

    def to_representation(self, value):
        return value


@extend_schema_field(GROUPS)
class GroupsOutput(serializers.ListField):
    child = serializers.ListField(child=serializers.CharField())


class CentralListInput(serializers.Serializer):
    groups = GroupsInput()
    note = serializers.CharField(max_length=200, allow_blank=True, default="")


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    saved_at = serializers.DateTimeField()
    saved_by = serializers.CharField(allow_null=True)
    note = serializers.CharField()
    group_count = serializers.IntegerField()


class CentralListSerializer(VersionSerializer):
    groups = GroupsOutput()


class VersionDetailSerializer(CentralListSerializer):
    added = GroupsOutput(help_text="Groups this version has that the one before did not")
    removed = GroupsOutput(help_text="Groups of the version before that this one has not")


def _version(row: SynonymList, **extra) -> dict:
    return {
        "version": row.version,
        "saved_at": row.saved_at,
        "saved_by": str(row.saved_by) if row.saved_by else None,
        "note": row.note,
        "group_count": len(row.groups),
        **extra,
    }


class CentralListView(APIView):
    """The central synonym list in force (同义词表); the central admin saves a new version."""

    permission_classes = [IsCentralAdmin]

    def _in_force(self) -> SynonymList:
        return get_object_or_404(SynonymList.objects.order_by("-version")[:1])

    @extend_schema(
        responses={200: CentralListSerializer}, summary="The central synonym list in force"
    )
    def get(self, request):
        row = self._in_force()
        return Response(CentralListSerializer(_version(row, groups=row.groups)).data)

    @extend_schema(
        request=CentralListInput,
        responses={200: CentralListSerializer},
        summary="Save the central synonym list as a new version, in force at once",
    )
    def put(self, request):
        data = CentralListInput(data=request.data)
        data.is_valid(raise_exception=True)
        row = services.publish(
            data.validated_data["groups"], note=data.validated_data["note"], author=request.user
        )
        return Response(CentralListSerializer(_version(row, groups=row.groups)).data)


class VersionListView(generics.ListAPIView):
    """Every version of the central synonym list, the newest first."""

    permission_classes = [IsCentralAdmin]
    serializer_class = VersionSerializer

    def get_queryset(self):
        return SynonymList.objects.select_related("saved_by").order_by("-version")

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(
            VersionSerializer([_version(row) for row in page], many=True).data
        )


class VersionDetailView(APIView):
    """One version of the central synonym list, with what it changed against the one before."""

    permission_classes = [IsCentralAdmin]

    @extend_schema(
        responses={200: VersionDetailSerializer},
        summary="One version of the central synonym list and its changes",
    )
    def get(self, request, version: int):
        row = get_object_or_404(SynonymList.objects.select_related("saved_by"), version=version)
        added, removed = synonyms.version_changes(row)
        return Response(
            VersionDetailSerializer(
                _version(row, groups=row.groups, added=added, removed=removed)
            ).data
        )


class Addition(serializers.Serializer):
    committee = serializers.CharField(help_text="The code of the committee that added them")
    groups = GroupsOutput()


class InForceSerializer(serializers.Serializer):
    central_version = serializers.IntegerField(allow_null=True)
    groups = GroupsOutput(help_text="The central list with every addition merged in")
    additions = Addition(many=True, help_text="The committee chain's additions, from the top")


class LocalInput(serializers.Serializer):
    groups = GroupsInput()


class LocalSerializer(serializers.Serializer):
    committee = serializers.CharField()
    groups = GroupsOutput()
    version = serializers.IntegerField(help_text="0 before the first save")
    updated_at = serializers.DateTimeField(allow_null=True)
    updated_by = serializers.CharField(allow_null=True)


class InForceView(APIView):
    """The synonym list in force on this portal: the central list and the additions of this
    committee and those above it."""

    permission_classes = [IsCommitteeStaff]

    @extend_schema(responses={200: InForceSerializer}, summary="The synonym list in force here")
    def get(self, request):
        parts = synonyms.in_force(committee_of(request))
        body = {
            "central_version": parts.central_version,
            "groups": synonyms.merged(parts.central, *(groups for _c, groups in parts.additions)),
            "additions": [{"committee": c, "groups": g} for c, g in parts.additions],
        }
        return Response(InForceSerializer(body).data)


def _local(committee) -> dict:
    row = LocalSynonyms.objects.select_related("updated_by").filter(committee=committee).first()
    return {
        "committee": committee.code,
        "groups": row.groups if row else [],
        "version": row.version if row else 0,
        "updated_at": row.updated_at if row else None,
        "updated_by": str(row.updated_by) if row and row.updated_by else None,
    }


class LocalView(APIView):
    """This committee's own additions to the synonym list; its admins replace them."""

    permission_classes = [IsCommitteeStaff]
    write_kinds = (Role.Kind.ADMIN,)

    @extend_schema(responses={200: LocalSerializer}, summary="This committee's own synonyms")
    def get(self, request):
        return Response(LocalSerializer(_local(committee_of(request))).data)

    @extend_schema(
        request=LocalInput,
        responses={200: LocalSerializer},
        summary="Replace this committee's own synonyms (an empty list removes them)",
    )
    def put(self, request):
        data = LocalInput(data=request.data)
        data.is_valid(raise_exception=True)
        committee = committee_of(request)
        services.set_local(committee, data.validated_data["groups"], author=request.user)
        return Response(LocalSerializer(_local(committee)).data)
