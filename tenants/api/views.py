"""Committees over the API: the central office onboards and manages; a portal shows its brand;
a committee admin manages its staff."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from core import services as accounts
from core.api.permissions import IsCentralAdmin, IsCommitteeStaff, committee_of
from core.api.query import parse_query
from core.models import Role
from tenants import selectors, services
from tenants.models import Committee, OutboxMessage

from .serializers import (
    BrandingSerializer,
    CommitteeQuery,
    CommitteeSerializer,
    CommitteeUpdateSerializer,
    DeadMessageSerializer,
    DirectoryEntrySerializer,
    DirectoryQuery,
    DiscardSerializer,
    GrantSerializer,
    OutboxMessageSerializer,
    ProvisionSerializer,
    StaffSerializer,
)


class CommitteeListView(generics.ListAPIView):
    """All committees (central office). Filter with ?level=, ?parent=<code>, ?status=."""

    permission_classes = [IsCentralAdmin]
    serializer_class = CommitteeSerializer

    def get_queryset(self):
        committees = Committee.objects.select_related("parent").prefetch_related("domains")
        query = parse_query(CommitteeQuery, self.request)
        for field, lookup in (("level", "level"), ("status", "status"), ("parent", "parent__code")):
            if query.get(field):
                committees = committees.filter(**{lookup: query[field]})
        return committees

    @extend_schema(parameters=[CommitteeQuery])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    @extend_schema(
        request=ProvisionSerializer,
        responses={201: CommitteeSerializer},
        summary="Onboard a committee: schema, domain, branding and first admin at once",
    )
    def post(self, request):
        data = ProvisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        committee = services.provision_committee(**data.validated_data)
        return Response(CommitteeSerializer(committee).data, status=status.HTTP_201_CREATED)


class CommitteeDetailView(APIView):
    permission_classes = [IsCentralAdmin]

    @extend_schema(responses={200: CommitteeSerializer})
    def get(self, request, code):
        return Response(CommitteeSerializer(get_object_or_404(Committee, code=code)).data)

    @extend_schema(
        request=CommitteeUpdateSerializer,
        responses={200: CommitteeSerializer},
        summary="Suspend, reactivate or rebrand a committee",
    )
    def patch(self, request, code):
        committee = get_object_or_404(Committee, code=code)
        data = CommitteeUpdateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        changes = dict(data.validated_data)
        new_status = changes.pop("status", None)
        if new_status:
            services.set_status(committee=committee, status=new_status)
        if changes:
            services.update_branding(committee=committee, **changes)
        return Response(CommitteeSerializer(committee).data)


class PortalView(APIView):
    """The branding of the portal at this domain, for mini-programs and apps."""

    permission_classes = [AllowAny]

    @extend_schema(
        responses={200: BrandingSerializer}, summary="This portal's committee and branding"
    )
    def get(self, request):
        committee = committee_of(request)
        body = BrandingSerializer(committee, context={"request": request}).data
        body.update(code=committee.code, name=committee.name, level=committee.level)
        return Response(body)


class StaffListView(generics.ListAPIView):
    """Staff roles in this committee; its admins grant them."""

    permission_classes = [IsCommitteeStaff]
    write_kinds = (Role.Kind.ADMIN,)
    serializer_class = StaffSerializer

    def get_queryset(self):
        roles = Role.objects.filter(committee=committee_of(self.request)).select_related("user")
        return roles.order_by("granted_at", "pk")  # pages need a stable order

    @extend_schema(
        request=GrantSerializer,
        responses={201: StaffSerializer},
        summary="Give an account a staff role here",
    )
    def post(self, request):
        data = GrantSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        user = accounts.account_by_phone(data.validated_data["phone"])
        role = accounts.grant_role(
            user=user, committee=committee_of(request), kind=data.validated_data["kind"]
        )
        return Response(StaffSerializer(role).data, status=status.HTTP_201_CREATED)


class StaffDetailView(APIView):
    permission_classes = [IsCommitteeStaff]
    write_kinds = (Role.Kind.ADMIN,)

    @extend_schema(responses={204: None}, summary="Take a staff role away")
    def delete(self, request, pk):
        role = get_object_or_404(Role, pk=pk, committee=committee_of(request))
        accounts.revoke_role(user=role.user, committee=role.committee, kind=role.kind)
        return Response(status=status.HTTP_204_NO_CONTENT)


class DirectoryView(generics.ListAPIView):
    """The directory of portals, on every domain and for anyone: committees found by name
    (``?q=``), the branch below one committee (``?parent=<code>``), or the tree's roots.
    Serves the landing page's finder and the workbench's transfer picker."""

    permission_classes = [AllowAny]
    serializer_class = DirectoryEntrySerializer

    def get_queryset(self):
        query = parse_query(DirectoryQuery, self.request)
        return selectors.directory(q=query["q"], parent=query["parent"])

    @extend_schema(parameters=[DirectoryQuery])
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)


class DeadMessageListView(generics.ListAPIView):
    """Dead outbox messages (failed ``OUTBOX_MAX_ATTEMPTS`` times), the oldest first: each
    holds up its receiver's later messages until it is retried or discarded."""

    permission_classes = [IsCentralAdmin]
    serializer_class = DeadMessageSerializer

    def get_queryset(self):
        return selectors.dead_messages()


class DeadMessageRetryView(APIView):
    permission_classes = [IsCentralAdmin]

    @extend_schema(
        request=None,
        responses={200: OutboxMessageSerializer},
        summary="Deliver a dead message again, ahead of its receiver's later ones",
    )
    def post(self, request, pk):
        message = get_object_or_404(OutboxMessage, pk=pk)
        message = services.retry_message(message=message, actor=request.user)
        return Response(OutboxMessageSerializer(message).data)


class DeadMessageDiscardView(APIView):
    permission_classes = [IsCentralAdmin]

    @extend_schema(
        request=DiscardSerializer,
        responses={200: OutboxMessageSerializer},
        summary="Give a dead message up for good, so that its receiver's later ones go on",
    )
    def post(self, request, pk):
        message = get_object_or_404(OutboxMessage, pk=pk)
        data = DiscardSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        message = services.discard_message(
            message=message, actor=request.user, reason=data.validated_data["reason"]
        )
        return Response(OutboxMessageSerializer(message).data)
