"""Reads that tolerate lag go to a PostgreSQL streaming replica (``DATABASE_REPLICA_URL``); everything else
stays on the primary.

The design is explicit, never implicit: a query goes to the replica only while all of these hold —

- it runs inside ``replica_reads()`` (the ``reads_from_replica`` decorator on the dashboard views and the
  metrics API's ``GET``): pages that show snapshots, where a few seconds of lag change nothing;
- a replica is configured (the ``replica`` alias exists);
- it is a read (``db_for_write`` is always the primary) and no transaction is open on the primary (a read
  inside ``atomic`` belongs to that transaction);
- nothing was written earlier in the same block (after a write, the rest of the request reads its writes);
- the client wrote nothing in the last ``DATABASE_REPLICA_STICKY_SECONDS`` (a cookie set by
  ``PrimaryAfterWriteMiddleware`` after every unsafe request), so a person who just created a target or a
  map sees it on the next page even while the replica lags.

Authentication, sessions, permission checks and middleware run outside the block, on the primary.
Migrations run only on the primary. Without ``DATABASE_REPLICA_URL`` everything is the primary.
"""

import time
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections
from django.template.response import SimpleTemplateResponse

REPLICA = "replica"
STICKY_COOKIE = "cx_wrote"

# None outside a block; inside, a dict {"wrote": bool} of that block.
_block: ContextVar[dict | None] = ContextVar("cx_replica_reads", default=None)


def replica_configured() -> bool:
    return REPLICA in connections.settings


class ReplicaRouter:
    """``DATABASE_ROUTERS``: see the module's docstring for when a read goes to the replica."""

    def db_for_read(self, model, **hints):
        block = _block.get()
        if block is None or block["wrote"] or not replica_configured():
            return DEFAULT_DB_ALIAS
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        return REPLICA

    def db_for_write(self, model, **hints):
        block = _block.get()
        if block is not None:
            block["wrote"] = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the same data on both

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS


@contextmanager
def replica_reads(*, enabled: bool = True):
    """Inside: reads go to the replica (if one is configured) until the first write."""
    token = _block.set({"wrote": False} if enabled else None)
    try:
        yield
    finally:
        _block.reset(token)


def _recent_writer(request) -> bool:
    try:
        wrote_at = float(request.COOKIES.get(STICKY_COOKIE, ""))
    except ValueError:
        return False
    return time.time() - wrote_at < settings.DATABASE_REPLICA_STICKY_SECONDS


def reads_from_replica(view):
    """Run a read-only view (a function view, or an APIView's ``get``) with its reads on the replica.

    The response is rendered inside the block, so a template's lazy querysets read from the replica too.
    """

    @wraps(view)
    def wrapper(*args, **kwargs):
        request = next(a for a in args if hasattr(a, "COOKIES"))
        with replica_reads(enabled=not _recent_writer(request)):
            response = view(*args, **kwargs)
            # A TemplateResponse renders later, outside the block; render it here. (A DRF Response holds its
            # data already and can render only after the view's content negotiation.)
            if isinstance(response, SimpleTemplateResponse) and not hasattr(response, "data"):
                response.render()
        return response

    return wrapper


class PrimaryAfterWriteMiddleware:
    """After an unsafe request (POST, PUT, PATCH, DELETE), the client reads from the primary for a while.

    Only when a replica is configured. The cookie holds a time, nothing else; a client that changes it only
    changes where its own reads go.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method not in ("GET", "HEAD", "OPTIONS", "TRACE") and replica_configured():
            response.set_cookie(
                STICKY_COOKIE,
                f"{time.time():.3f}",
                max_age=settings.DATABASE_REPLICA_STICKY_SECONDS,
                secure=request.is_secure(),
                httponly=True,
                samesite="Lax",
            )
        return response
