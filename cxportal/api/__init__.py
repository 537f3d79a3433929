"""Shared API conventions, one module per part.

- ``fields``: ``DateTimeField`` (ISO 8601 in the site time zone, the range of ``cxportal.datetimes``), used by
  every model serializer for model date-times.
- ``pagination``: lists are paginated ``{"count", "next", "previous", "results"}`` (``page``, ``page_size`` ≤ 500).
- ``errors``: the DRF exception handler — errors are ``{"detail": "…"}`` or field errors ``{"<field>": ["…"]}``;
  services' Django errors are translated here — and ``not_found`` (JSON 404 for unknown API paths).
- ``authentication``: ``Authorization: Api-Key <key>`` and the scope/role permission.
- ``viewsets``: ``ServiceViewSetMixin`` routes a ModelViewSet's writes through services.
- ``idempotency``: ``POST /api/v1/…`` with an ``Idempotency-Key`` header runs once per key and credential.
- ``throttling``: request budgets per API key, person and client address (429 with ``Retry-After``).
- ``schema``: ``schema_add_conventions`` documents the shared headers and error answers on every operation.
- ``root``: ``GET /api/v1/``, the index of the API.
"""

API_PREFIX = "/api/v1/"
