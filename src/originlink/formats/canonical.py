"""The canonical CO document as JSON bytes: the format every other one converts through.

Reading is strict JSON (:func:`~originlink.domain.safejson.loads_bounded`: no duplicate members,
no ``NaN``, bounded size and depth); what the dataset refuses is judged by
:func:`~originlink.formats.reading.settle`. Writing is the document's own JSON form (absent
members omitted, decimals as strings). Nothing is ever lost either way.
"""

from __future__ import annotations

import json
from typing import Any

from originlink.domain.dataset import CODocument
from originlink.domain.errors import InputError
from originlink.domain.safejson import loads_bounded
from originlink.formats.loss import Conversion, LossReport
from originlink.formats.reading import Draft


def write(doc: CODocument) -> Conversion[bytes]:
    return Conversion(dump(doc.to_json_dict()), LossReport())


def dump(data: dict[str, Any]) -> bytes:
    """Canonical JSON text of already JSON-ready data (also of an incomplete document)."""
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def read(data: bytes, *, what: str = "canonical CO") -> Draft:
    raw = loads_bounded(data, what=what)
    if not isinstance(raw, dict) or not isinstance(raw.get("certificate"), dict):
        raise InputError(f"the {what} is not a JSON object with a 'certificate' object")
    return Draft("canonical", raw)
