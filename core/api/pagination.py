from rest_framework import serializers
from rest_framework.pagination import PageNumberPagination

from .fields import IntegerField
from .query import parse_query

MAX_PAGE_SIZE = 100


class PageQuery(serializers.Serializer):
    page = IntegerField(min_value=1, max_value=10**9, required=False)
    page_size = IntegerField(min_value=1, max_value=MAX_PAGE_SIZE, required=False)


class Pagination(PageNumberPagination):
    """Page numbers and sizes as whole numbers written 0–9 (400 otherwise); a page past the
    last is 404."""

    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def paginate_queryset(self, queryset, request, view=None):
        self._query = parse_query(PageQuery, request)
        return super().paginate_queryset(queryset, request, view)

    def get_page_size(self, request):
        return self._query.get("page_size", self.page_size)

    def get_page_number(self, request, paginator):
        return self._query.get("page", 1)

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            parameter["schema"]["minimum"] = 1
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"]["maximum"] = MAX_PAGE_SIZE
        return parameters
