"""Shared API conventions: pagination and the translation of service errors into HTTP answers."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from cxportal.errors import ApplicationError


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500


def exception_handler(exc, context):
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            body = dict(exc.message_dict)
            if "__all__" in body:
                body["non_field_errors"] = body.pop("__all__")
        else:
            body = {"detail": " ".join(exc.messages)}
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, ApplicationError):
        return Response({"detail": exc.message, **exc.extra}, status=status.HTTP_400_BAD_REQUEST)
    return drf_exception_handler(exc, context)


class ServiceViewSetMixin:
    """Route a ModelViewSet's writes through services.

    ``create_service(**validated_data)`` creates (it may need ``by``: the request user, given when the
    viewset sets ``user_kwarg``); updates go through ``model_update`` over ``update_fields``, so the
    row is validated like every other write.
    """

    create_service = None
    update_fields: list[str] = []
    user_kwarg: str | None = None

    def perform_create(self, serializer):
        from cxportal.apikeys import ApiKeyUser

        kwargs = dict(serializer.validated_data)
        if self.user_kwarg:
            user = self.request.user
            kwargs[self.user_kwarg] = None if isinstance(user, ApiKeyUser) else user
        serializer.instance = type(self).create_service(**kwargs)

    def perform_update(self, serializer):
        from cxportal.services import model_update

        serializer.instance = model_update(
            instance=serializer.instance, data=serializer.validated_data, fields=self.update_fields
        )
