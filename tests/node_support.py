"""Building blocks for tests that run a node: application contents made from the examples."""

from __future__ import annotations

import copy
from typing import Any

from originlink.domain.dataset import exporter_signed_view
from tests.conftest import load_example


def application_content(example: str = "valid/rcep-sg-jp-minimal.json") -> dict[str, Any]:
    """An example CO turned back into what an exporter submits: no issuer-owned members,
    no signatures, no gateway-owned members."""
    doc = load_example(example)
    cert = exporter_signed_view(copy.deepcopy(doc["certificate"]))
    for member in ("references",):
        refs = cert.get(member)
        if isinstance(refs, dict) and "related_certificates" in refs:
            refs["related_certificates"] = [
                r for r in refs["related_certificates"] if r.get("relation") == "back_to_back_of"
            ] or None
            if refs["related_certificates"] is None:
                del refs["related_certificates"]
            if not refs:
                del cert[member]
    return {"certificate": cert}
