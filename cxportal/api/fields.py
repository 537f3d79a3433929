"""Serializer fields shared by every API; importing this module makes ``DateTimeField`` the model default."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from rest_framework import serializers

from cxportal.datetimes import date_time_validate


class DateTimeField(serializers.DateTimeField):
    """ISO 8601 with the site time zone's offset, in the range ``date_time_validate`` takes.

    Every model serializer uses this field for model date-times (see below).
    """

    def enforce_timezone(self, value):
        try:
            date_time_validate(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages, code=exc.code) from None
        return super().enforce_timezone(value)


serializers.ModelSerializer.serializer_field_mapping[models.DateTimeField] = DateTimeField
