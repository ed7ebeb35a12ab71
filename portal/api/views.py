"""Notices over the API: anyone reads the published ones; staff of this committee write."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.response import Response
from rest_framework.views import APIView

from core import access
from core.api.permissions import ReadOpenWriteStaff, committee_of
from portal import selectors, services

from .serializers import NoticeEditSerializer, NoticeSerializer


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
