"""Shared API conventions: pagination, errors, ``Idempotency-Key`` replays and the schema's common parts.

- Lists are paginated ``{"count", "next", "previous", "results"}`` (``page``, ``page_size`` ≤ 500).
- Errors are ``{"detail": "…"}`` or field errors ``{"<field>": ["…"]}``; service errors are translated here.
- ``POST /api/v1/…`` with an ``Idempotency-Key`` header runs once per key and credential; a repeat gets the
  first answer again (see ``IdempotencyMiddleware``).
- ``schema_add_conventions`` documents the shared headers and error answers on every operation.
"""

import hashlib
import io
import json
import logging
import re
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DatabaseError, DataError, IntegrityError, models, transaction
from django.db.models import Q
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.views import defaults
from rest_framework import exceptions, serializers, status
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from cxportal.errors import ApplicationError

API_PREFIX = "/api/v1/"
logger = logging.getLogger(__name__)


DATE_TIME_MIN_YEAR = 1900
DATE_TIME_TOO_EARLY = "Give a date-time from the year 1900 on."
DATE_TIME_TOO_LATE = "Give a date-time before the year 10000."


def date_time_validate(when: datetime) -> datetime:
    """``when`` as an aware date-time in the site time zone, or a ValidationError if the portal refuses it.

    Naive values are in the site time zone. Refused: years before 1900 — the time-zone database gives
    them local mean time offsets (Berlin: +00:53:28), which are no valid ISO 8601/RFC 3339 offsets, and no
    customer experience happened then — and times past the end of year 9999 in UTC or in the site time
    zone, which cannot be stored or shown. The one rule for every date-time the API takes: model
    serializers (``DateTimeField``) and the bulk ingestion of customers, events, transactions, responses.
    """
    site = timezone.get_default_timezone()
    try:
        aware = timezone.make_aware(when, site) if timezone.is_naive(when) else when
        local = aware.astimezone(site)
        aware.astimezone(UTC)
    except OverflowError:
        message = DATE_TIME_TOO_EARLY if when.year < DATE_TIME_MIN_YEAR else DATE_TIME_TOO_LATE
        raise DjangoValidationError(message, code="range") from None
    if local.year < DATE_TIME_MIN_YEAR:
        raise DjangoValidationError(DATE_TIME_TOO_EARLY, code="range")
    return local


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


class Pagination(PageNumberPagination):
    page_size_query_param = "page_size"
    max_page_size = 500


def exception_handler(exc, context):
    if isinstance(exc, OverflowError | DataError):
        # A value the database cannot hold, e.g. an id filter beyond its integer range: the client's mistake.
        return Response(
            {"detail": "A value in the request is out of range for its field."}, status=status.HTTP_400_BAD_REQUEST
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


def not_found(request, exception=None):
    """``handler404``: API paths that match no route answer JSON like every other API error."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=status.HTTP_404_NOT_FOUND)
    return defaults.page_not_found(request, exception)


# --- Idempotency-Key ------------------------------------------------------------------------------------

IDEMPOTENCY_HEADER = "Idempotency-Key"
IDEMPOTENCY_KEY_MAX_LENGTH = 255
IDEMPOTENCY_TTL = timedelta(hours=24)
# A request still "in flight" after this long died with its worker; its key may be used again.
IDEMPOTENCY_IN_FLIGHT_TIMEOUT = timedelta(minutes=10)
# Answers that say nothing about the request itself: authenticate, get the scope or wait, then retry.
_NOT_STORED = {status.HTTP_401_UNAUTHORIZED, status.HTTP_403_FORBIDDEN, status.HTTP_429_TOO_MANY_REQUESTS}
_PRINTABLE_ASCII = re.compile(r"^[\x20-\x7e]+$")


def _error(detail: str, code: int) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=code)


def _credential(request) -> str | None:
    """Whose key space the key lives in: the API key, else the signed-in person; None when neither."""
    from cxportal.apikeys import ApiKeyAuthentication

    try:
        authenticated = ApiKeyAuthentication().authenticate(request)
    except exceptions.AuthenticationFailed:
        return None  # the view answers 401
    if authenticated is not None:
        return f"api-key:{authenticated[1].pk}"
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return None


class BodyTooLarge(Exception):
    pass


def body_limit() -> int:
    """The largest body the API reads for an ``Idempotency-Key`` request (``API_MAX_BODY_BYTES``)."""
    return int(getattr(settings, "API_MAX_BODY_BYTES", 20 * 1024 * 1024))


def _request_hash(request) -> str:
    # The raw body, read the way ``HttpRequest.body`` does but with our own limit (bulk bodies are larger than
    # DATA_UPLOAD_MAX_MEMORY_SIZE); the parsers then read the same bytes again. A declared or actual length
    # over the limit raises BodyTooLarge before more than the limit is read into memory.
    if not hasattr(request, "_body"):
        limit = body_limit()
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > limit:
            raise BodyTooLarge()
        body = request.read(limit + 1)
        if len(body) > limit:
            raise BodyTooLarge()
        request._body = body
        request._stream = io.BytesIO(request._body)
    digest = hashlib.sha256()
    for part in (request.method.encode(), request.get_full_path().encode(), request._body):
        digest.update(part)
        digest.update(b"\0")
    return digest.hexdigest()


def _replay(record) -> HttpResponse:
    # Compact and unescaped, like DRF's JSONRenderer.
    body = json.dumps(record.response_body, ensure_ascii=False, separators=(",", ":")).encode()
    if record.response_body is None:
        body = b""
    response = HttpResponse(body, status=record.status_code, content_type="application/json")
    response["Idempotent-Replayed"] = "true"
    return response


class IdempotencyMiddleware:
    """``POST /api/v1/…`` with ``Idempotency-Key: <key>`` runs at most once per key and credential.

    The first request stores its answer (any status below 500 except 401, 403 and 429); a repeat with
    the same key, method, path and body gets that answer again with ``Idempotent-Replayed: true`` and
    changes nothing. The same key with another request is a 422; a repeat while the first one still
    runs is a 409 (the database's unique constraint decides, so concurrent duplicates cannot both run).
    A 5xx is not stored, so the request can be retried with the same key. Keys live for 24 hours,
    scoped to the API key (or the signed-in person). Runs after ``AuthenticationMiddleware``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        record = getattr(request, "_idempotency_record", None)
        if record is not None:
            self._finish(record, response)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method != "POST" or not request.path.startswith(API_PREFIX):
            return None
        key = request.headers.get(IDEMPOTENCY_HEADER)
        if key is None:
            return None
        if not _PRINTABLE_ASCII.match(key) or not key.strip() or len(key) > IDEMPOTENCY_KEY_MAX_LENGTH:
            return _error(
                f"{IDEMPOTENCY_HEADER} must be 1 to {IDEMPOTENCY_KEY_MAX_LENGTH} printable ASCII characters, "
                "e.g. a UUID.",
                status.HTTP_400_BAD_REQUEST,
            )
        credential = _credential(request)
        if credential is None:
            return None  # not authenticated: the view refuses it, and there is nobody to scope the key to
        return self._start(request, credential=credential, key=key)

    def _start(self, request, *, credential: str, key: str):
        from cxportal.models import IdempotencyRecord

        try:
            request_hash = _request_hash(request)
        except BodyTooLarge:
            return _error(
                f"The request body is larger than {body_limit():,} bytes; send fewer rows at a time.",
                status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
            )
        now = timezone.now()
        # The lazy purge: expired records, and in-flight ones whose request died with its worker.
        IdempotencyRecord.objects.filter(
            Q(created_at__lt=now - IDEMPOTENCY_TTL)
            | Q(status_code__isnull=True, created_at__lt=now - IDEMPOTENCY_IN_FLIGHT_TIMEOUT)
        ).delete()
        try:
            with transaction.atomic():
                request._idempotency_record = IdempotencyRecord.objects.create(
                    credential=credential,
                    key=key,
                    method=request.method,
                    path=request.path.replace("\0", "\ufffd"),
                    request_hash=request_hash,
                    created_at=now,
                )
            return None
        except IntegrityError:
            pass
        first = IdempotencyRecord.objects.filter(credential=credential, key=key).first()
        if first is not None and first.request_hash != request_hash:
            return _error(
                f"This {IDEMPOTENCY_HEADER} was used for another request ({first.method} {first.path} with a "
                "different body); use a new key for a new request.",
                status.HTTP_422_UNPROCESSABLE_ENTITY,
            )
        if first is None or first.status_code is None:
            return _error(
                f"A request with this {IDEMPOTENCY_HEADER} is still being processed; retry in a moment.",
                status.HTTP_409_CONFLICT,
            )
        return _replay(first)

    @staticmethod
    def _finish(record, response) -> None:
        from cxportal.models import IdempotencyRecord

        stored = IdempotencyRecord.objects.filter(pk=record.pk)
        body = None
        storable = (
            response.status_code < 500
            and response.status_code not in _NOT_STORED
            and not getattr(response, "streaming", False)
        )
        if storable and response.content:
            try:
                body = json.loads(response.content)
            except ValueError:
                storable = False  # not JSON: nothing this API promises to replay
        try:
            # PostgreSQL's jsonb cannot hold NUL characters (e.g. echoed from a refused row's external id).
            if storable and b"\\u0000" not in response.content:
                try:
                    with transaction.atomic():
                        stored.update(status_code=response.status_code, response_body=body)
                    return
                except DataError:
                    pass
            stored.delete()
        except DatabaseError:
            # The answer stands; the key stays "in flight" until IDEMPOTENCY_IN_FLIGHT_TIMEOUT frees it.
            logger.warning("Could not store the answer to Idempotency-Key %r", record.key, exc_info=True)


# --- The schema's shared parts ---------------------------------------------------------------------------

_HTTP_METHODS = {"get", "put", "post", "delete", "patch"}
_ERROR_SCHEMA = {
    "type": "object",
    "description": "An error that concerns the request as a whole.",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
_VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "description": 'Field errors `{"<field>": ["message", …]}` (nested for nested fields and lists, '
    '`non_field_errors` for the whole object), or `{"detail": "…"}` for the request as a whole.',
    "additionalProperties": {},
    "example": {"due_date": ["This field is required."]},
}


def _error_response(description: str, schema: str = "Error") -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }


_ERROR_RESPONSES = {
    "400": _error_response("Invalid request: field errors, or `detail`. Nothing was changed.", "ValidationError"),
    "401": _error_response("No credentials, or an unknown, revoked or expired API key."),
    "403": _error_response("The API key lacks the scope, or the person the role, for this."),
}
_NOT_FOUND = _error_response("No such object, or not one the caller may see.")
_PAGE_NOT_FOUND = _error_response("The `page` is past the last page.")
_UNSUPPORTED_MEDIA_TYPE = _error_response("The body's `Content-Type` is not one this operation reads.")
_IDEMPOTENCY_RESPONSES = {
    "409": _error_response(f"A request with the same {IDEMPOTENCY_HEADER} is still being processed."),
    "422": _error_response(f"The {IDEMPOTENCY_HEADER} was used before for a different request."),
    "413": _error_response("The body is larger than the server reads (`API_MAX_BODY_BYTES`)."),
}
_REPLAYED_HEADER = {
    "description": f"`true` when this is the stored answer to an earlier request with the same {IDEMPOTENCY_HEADER}.",
    "schema": {"type": "string", "enum": ["true"]},
}
_IDEMPOTENCY_PARAMETER = {
    "in": "header",
    "name": IDEMPOTENCY_HEADER,
    "required": False,
    "schema": {"type": "string", "minLength": 1, "maxLength": IDEMPOTENCY_KEY_MAX_LENGTH},
    "description": "Any unique string, e.g. a UUID. A repeat of the same request with the same key within 24 "
    "hours gets the first answer again (with `Idempotent-Replayed: true`) and changes nothing; the same key "
    "with a different request is a 422, a repeat while the first still runs a 409. 5xx answers are not "
    "kept, so such a request can be retried with the same key.",
}


def schema_add_conventions(result, generator, request, public):
    """drf-spectacular postprocessing hook: the error answers and headers every API operation shares."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas["Error"] = _ERROR_SCHEMA
    schemas["ValidationError"] = _VALIDATION_ERROR_SCHEMA
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            if method not in _HTTP_METHODS:
                continue
            responses = operation.setdefault("responses", {})
            for code, response in _ERROR_RESPONSES.items():
                responses.setdefault(code, response)
            if "{" in path:
                responses.setdefault("404", _NOT_FOUND)
            if any(p.get("name") == "page" and p.get("in") == "query" for p in operation.get("parameters", [])):
                responses.setdefault("404", _PAGE_NOT_FOUND)
            if "requestBody" in operation:
                responses.setdefault("415", _UNSUPPORTED_MEDIA_TYPE)
            if method == "post" and path.startswith(API_PREFIX):
                operation.setdefault("parameters", []).append(_IDEMPOTENCY_PARAMETER)
                for code, response in responses.items():
                    if code.startswith(("2", "4")) and code not in {"401", "403", "409", "422", "429"}:
                        headers = {**response.get("headers", {}), "Idempotent-Replayed": _REPLAYED_HEADER}
                        responses[code] = {**response, "headers": headers}  # a copy: some are shared
                for code, response in _IDEMPOTENCY_RESPONSES.items():
                    responses.setdefault(code, response)
    return result
