"""The canonical CO document as JSON bytes: the format every other one converts through.

Reading is strict (:func:`~originlink.domain.safejson.loads_bounded`: no duplicate members, no
``NaN``, bounded size and depth) and builds the dataset models; writing is the document's own
JSON form (absent members omitted, decimals as strings). Nothing is ever lost either way.
"""

from __future__ import annotations

import json

from originlink.domain.dataset import CODocument
from originlink.domain.safejson import loads_bounded
from originlink.formats._common import validate_document
from originlink.formats.loss import Conversion, LossReport


def write(doc: CODocument) -> Conversion[bytes]:
    text = json.dumps(doc.to_json_dict(), ensure_ascii=False, indent=2)
    return Conversion((text + "\n").encode("utf-8"), LossReport())


def read(data: bytes, *, what: str = "canonical CO") -> Conversion[CODocument]:
    return Conversion(validate_document(loads_bounded(data, what=what), what=what), LossReport())
