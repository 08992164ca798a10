"""OpenAPI fragments for bodies the API parses itself (strictly, see ``deps.json_body``)."""

from __future__ import annotations

from typing import Any

from originlink.domain.dataset.schema import co_document_schema


def _schema_without_meta() -> dict[str, Any]:
    schema = co_document_schema()
    return {k: v for k, v in schema.items() if not k.startswith("$") or k == "$defs"}


CO_DOCUMENT_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "description": 'A CO document: {"certificate": {...}} (dataset.md). Unknown members, '
        "nulls, duplicate keys and numbers written as JSON numbers are refused.",
        "content": {"application/json": {"schema": _schema_without_meta()}},
    }
}


PROBLEM_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "RFC 9457 problem details; `code` is stable, `detail` says what and why.",
    "required": ["type", "title", "status", "detail", "code"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "code": {"type": "string"},
        "instance": {"type": "string"},
        "pointer": {"type": "string"},
        "errors": {"type": "array", "items": {"type": "object"}},
    },
}

_PROBLEM_WHY: dict[int, str] = {
    400: "The request cannot be read (no body, not JSON, duplicate keys, too deep).",
    401: "No API token, or one that is unknown, revoked or expired.",
    403: "The token's role may not do this, or the record is another organisation's.",
    404: "No such record (or not one this user may see).",
    405: "The method is not allowed on this path.",
    409: "The record is not in a state that allows this, or it changed meanwhile.",
    413: "The request body is larger than the node accepts.",
    422: "The request or the document is invalid; `errors` lists each finding.",
    429: "Too many requests from this client; retry after `Retry-After` seconds.",
    503: "Storage or a partner is unavailable for now; retry after `Retry-After` seconds.",
}


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for the problem+json answers a route can give (every status code
    and content type a route answers is declared: schemathesis checks it)."""
    return {
        status: {
            "description": _PROBLEM_WHY[status],
            "content": {"application/problem+json": {"schema": PROBLEM_SCHEMA}},
        }
        for status in statuses
    }


#: What every back-office route may answer besides its success.
BACKOFFICE_PROBLEMS = problem_responses(400, 401, 403, 404, 405, 409, 413, 422, 503)


def answer(description: str, *media_types: str) -> dict[str, Any]:
    """One declared answer that may come in several media types (HTML page or JSON twin)."""
    return {"description": description, "content": {m: {} for m in media_types}}
