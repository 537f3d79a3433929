"""Error answers: ``{"detail": "…"}`` or field errors ``{"<field>": ["…"]}``; service errors are translated here."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from cxportal.errors import ApplicationError


def exception_handler(exc, context):
    if isinstance(exc, OverflowError | DataError):
        # A value the database cannot hold, e.g. an id filter beyond its integer range: the client's mistake.
        return Response(
            {"detail": _("A value in the request is out of range for its field.")}, status=status.HTTP_400_BAD_REQUEST
        )
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


def not_found(request, exception=None):
    """``handler404``: API paths that match no route answer JSON like every other API error."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": _("Not found.")}, status=status.HTTP_404_NOT_FOUND)
    return defaults.page_not_found(request, exception)
