"""``POST /api/v1/…`` with an ``Idempotency-Key`` header runs once per key and credential."""

import hashlib
import io
import json
import logging
import re
from datetime import timedelta

from django.conf import settings
from django.db import DatabaseError, DataError, IntegrityError, transaction
from django.db.models import Q
from django.http import HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from rest_framework import exceptions, status

from cxportal.api import API_PREFIX

logger = logging.getLogger(__name__)


IDEMPOTENCY_HEADER = "Idempotency-Key"
IDEMPOTENCY_KEY_MAX_LENGTH = 255
IDEMPOTENCY_TTL = timedelta(hours=24)
# A request still "in flight" after this long died with its worker; its key may be used again.
IDEMPOTENCY_IN_FLIGHT_TIMEOUT = timedelta(minutes=10)
# Answers that say nothing about the request itself: authenticate, get the scope or wait, then retry; or ask
# for JSON (406) or send it as JSON (415) — refused before the view ran, so nothing was done.
_NOT_STORED = {
    status.HTTP_401_UNAUTHORIZED,
    status.HTTP_403_FORBIDDEN,
    status.HTTP_406_NOT_ACCEPTABLE,
    status.HTTP_415_UNSUPPORTED_MEDIA_TYPE,
    status.HTTP_429_TOO_MANY_REQUESTS,
}
IDEMPOTENCY_KEY_PATTERN = r"^[\x20-\x7e]+$"  # printable ASCII
_PRINTABLE_ASCII = re.compile(IDEMPOTENCY_KEY_PATTERN)


def _error(detail: str, code: int) -> JsonResponse:
    return JsonResponse({"detail": detail}, status=code)


def _credential(request) -> str | None:
    """Whose key space the key lives in: the API key, else the signed-in person; None when neither."""
    from cxportal.api.authentication import ApiKeyAuthentication

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

    The first request stores its answer (any status below 500 except 401, 403, 406, 415 and 429); a repeat with
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
                _("The request body is larger than %(limit)s bytes; send fewer rows at a time.")
                % {"limit": f"{body_limit():,}"},
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
                _(
                    "This %(header)s was used for another request (%(method)s %(path)s with a different body); "
                    "use a new key for a new request."
                )
                % {"header": IDEMPOTENCY_HEADER, "method": first.method, "path": first.path},
                status.HTTP_422_UNPROCESSABLE_ENTITY,
            )
        if first is None or first.status_code is None:
            return _error(
                _("A request with this %(header)s is still being processed; retry in a moment.")
                % {"header": IDEMPOTENCY_HEADER},
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
