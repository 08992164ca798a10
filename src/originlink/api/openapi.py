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
