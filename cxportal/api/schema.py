"""The schema's shared parts: the error answers and headers every API operation has."""

from cxportal.api import API_PREFIX
from cxportal.api.idempotency import IDEMPOTENCY_HEADER, IDEMPOTENCY_KEY_MAX_LENGTH, IDEMPOTENCY_KEY_PATTERN

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
_RATE_LIMIT_HEADERS = {
    "RateLimit-Limit": {
        "description": "Requests allowed in the current window for this API key, person or address.",
        "schema": {"type": "integer"},
    },
    "RateLimit-Remaining": {
        "description": "Requests left in the current window.",
        "schema": {"type": "integer"},
    },
    "RateLimit-Reset": {
        "description": "Seconds until the window frees a request again.",
        "schema": {"type": "integer"},
    },
}
_IDEMPOTENCY_PARAMETER = {
    "in": "header",
    "name": IDEMPOTENCY_HEADER,
    "required": False,
    "schema": {
        "type": "string",
        "minLength": 1,
        "maxLength": IDEMPOTENCY_KEY_MAX_LENGTH,
        "pattern": IDEMPOTENCY_KEY_PATTERN,
    },
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
            for code, response in responses.items():
                if code.startswith("2"):
                    responses[code] = {**response, "headers": {**response.get("headers", {}), **_RATE_LIMIT_HEADERS}}
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
