"""Notices over the API: anyone reads the published ones; staff of this committee write."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from core import access
from core.api.permissions import ReadOpenWriteStaff, committee_of
from portal import mine, selectors, services
from portal.presenters import home_content

from .serializers import HomeSerializer, MineSerializer, NoticeEditSerializer, NoticeSerializer


def _staff_view(request) -> bool:
    return access.access_to(request.user, committee_of(request)).can_read


class NoticeListView(generics.ListAPIView):
    permission_classes = [ReadOpenWriteStaff]
    write_kinds = ("cadre", "admin")
    serializer_class = NoticeSerializer

    def get_queryset(self):
        return selectors.notices_for(include_drafts=_staff_view(self.request))

    @extend_schema(
        request=NoticeSerializer,
        responses={201: NoticeSerializer},
        summary="Publish a notice now, or schedule it with publish_at",
    )
    def post(self, request):
        data = NoticeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        notice = services.post_notice(author=request.user, **data.validated_data)
        return Response(NoticeSerializer(notice).data, status=status.HTTP_201_CREATED)


class NoticeDetailView(APIView):
    permission_classes = [ReadOpenWriteStaff]
    write_kinds = ("cadre", "admin")

    def _notice(self, request, pk):
        return get_object_or_404(selectors.notices_for(include_drafts=_staff_view(request)), pk=pk)

    @extend_schema(responses={200: NoticeSerializer})
    def get(self, request, pk):
        return Response(NoticeSerializer(self._notice(request, pk)).data)

    @extend_schema(request=NoticeEditSerializer, responses={200: NoticeSerializer})
    def patch(self, request, pk):
        data = NoticeEditSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        notice = services.edit_notice(notice=self._notice(request, pk), **data.validated_data)
        return Response(NoticeSerializer(notice).data)

    @extend_schema(responses={204: None})
    def delete(self, request, pk):
        services.withdraw_notice(notice=self._notice(request, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class HomeView(APIView):
    """The portal's home: hot and recently answered questions, notices, service alliances."""

    permission_classes = [AllowAny]

    @extend_schema(responses={200: HomeSerializer}, summary="What the portal's home page shows")
    def get(self, request):
        return Response(HomeSerializer(home_content(committee_of(request))).data)


class MineView(APIView):
    """我的: the signed-in account's sections on this portal (my questions, notifications,
    profile), each with its number and latest items."""

    @extend_schema(responses={200: MineSerializer}, summary="My questions, notifications, profile")
    def get(self, request):
        body = {
            "name": request.user.name,
            "phone": request.user.masked_phone,
            "sections": mine.sections_for(request),
        }
        return Response(MineSerializer(body).data)
