"""The JSON Schema of the canonical CO document, as ``originlink schema`` prints it.

Pydantic describes an optional member as ``anyOf [T, null]`` with ``default: null``; the dataset
says "absent, not null", so those null branches and defaults are removed here.
"""

from __future__ import annotations

from typing import Any

from pydantic.json_schema import GenerateJsonSchema

from originlink.domain.dataset.certificate import CODocument

SCHEMA_ID = "https://originlink.dev/schema/co/1.0/co-document.schema.json"


def _strip_nulls(node: Any) -> Any:
    if isinstance(node, dict):
        out = {k: _strip_nulls(v) for k, v in node.items()}
        any_of = out.get("anyOf")
        if isinstance(any_of, list):
            kept = [branch for branch in any_of if branch != {"type": "null"}]
            if len(kept) != len(any_of):
                if len(kept) == 1:
                    del out["anyOf"]
                    out.update(kept[0])
                else:
                    out["anyOf"] = kept
        if out.get("default", object()) is None:
            del out["default"]
        return out
    if isinstance(node, list):
        return [_strip_nulls(v) for v in node]
    return node


def co_document_schema() -> dict[str, Any]:
    schema = CODocument.model_json_schema(schema_generator=GenerateJsonSchema)
    cleaned: dict[str, Any] = _strip_nulls(schema)
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "OriginLink canonical e-CO document (dataset 1.0)",
        "description": (
            "A certificate of origin as OriginLink stores and exchanges it: the certificate "
            "and its signatures. Unknown members are errors except inside "
            "certificate.extensions; optional members are omitted, never null."
        ),
        **{k: v for k, v in cleaned.items() if k not in {"title", "description"}},
    }
