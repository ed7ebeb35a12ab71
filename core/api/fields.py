"""Serializer fields that read numbers, ids and dates written with the digits 0–9 only.

Python and Django read any script's decimal digits as numbers (``int("٣") == 3``, full-width
"３" too) while the URL patterns take only 0–9; the platform takes 0–9 everywhere, so a value
means the same on every way in, and anything else is refused with 400 ``invalid``.
Serializers use these (and ``ModelSerializer``) instead of DRF's own.
"""

from django.db import models
from rest_framework import serializers

from core.forms import ASCII_DIGITS_ONLY, MAX_ID


class _AsciiDigits:
    def to_internal_value(self, data):
        if isinstance(data, str) and not data.isascii():
            raise serializers.ValidationError(str(ASCII_DIGITS_ONLY), code="invalid")
        return super().to_internal_value(data)  # type: ignore[misc]


class IntegerField(_AsciiDigits, serializers.IntegerField):
    pass


class IdField(IntegerField):
    """A row's id: a whole number from 1 to PostgreSQL's largest bigint."""

    def __init__(self, **kwargs):
        super().__init__(min_value=1, max_value=MAX_ID, **kwargs)


class PrimaryKeyRelatedField(_AsciiDigits, serializers.PrimaryKeyRelatedField):
    pass


class DateField(_AsciiDigits, serializers.DateField):
    pass


class DateTimeField(_AsciiDigits, serializers.DateTimeField):
    pass


class ModelSerializer(serializers.ModelSerializer):
    """A model serializer whose generated number, date and relation fields are the above."""

    serializer_field_mapping = {
        **serializers.ModelSerializer.serializer_field_mapping,
        **{
            field: IntegerField
            for field in (
                models.AutoField,
                models.BigAutoField,
                models.BigIntegerField,
                models.IntegerField,
                models.PositiveIntegerField,
                models.PositiveSmallIntegerField,
                models.SmallIntegerField,
            )
        },
        models.DateField: DateField,
        models.DateTimeField: DateTimeField,
    }
    serializer_related_field = PrimaryKeyRelatedField
