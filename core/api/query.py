"""Query parameters read by serializers, for the API and the pages that take the same ones."""

from rest_framework import serializers

from core.errors import InvalidInput


def parse_query(serializer_class: type[serializers.Serializer], request, **context) -> dict:
    """The request's query parameters as ``serializer_class`` reads them; any it refuses
    raise ``InvalidInput``: 400 with the fields in the API, a 400 page elsewhere."""
    params = request.query_params if hasattr(request, "query_params") else request.GET
    parsed = serializer_class(data=params, context=context)
    if not parsed.is_valid():
        raise InvalidInput(parsed.errors)
    return dict(parsed.validated_data)
