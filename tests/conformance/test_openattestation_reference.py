"""OriginLink's OpenAttestation proofs against the reference implementation.

``@govtechsg/open-attestation`` (pinned in ``openattestation/package-lock.json``, installed by
``scripts/ensure-openattestation.sh``, which ``make test`` runs) wraps real documents; OriginLink
recomputes their proofs. And OriginLink's ``--to openattestation`` output is given to the
reference implementation to verify. Skipped, saying why, where Node.js or the package is absent.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from originlink.domain.profiles import bundled_profiles
from originlink.formats import read_document, to_format
from originlink.formats.openattestation.proof import check_v2, check_v3

HERE = Path(__file__).parent
PACKAGE = HERE / "openattestation"
DOCUMENTS = HERE / "documents"


@pytest.fixture(scope="module")
def reference() -> Any:
    node = shutil.which("node")
    if node is None:
        pytest.skip("Node.js is not installed: the OpenAttestation reference cannot run")
    if not (PACKAGE / "node_modules" / "@govtechsg" / "open-attestation").is_dir():
        pytest.skip(
            "@govtechsg/open-attestation is not installed in tests/conformance/openattestation "
            "(run sh scripts/ensure-openattestation.sh, which make test runs)"
        )

    def run(command: str, document: Any) -> Any:
        done = subprocess.run(
            [node, str(PACKAGE / "reference.cjs"), command],
            input=json.dumps(document).encode(),
            capture_output=True,
            check=False,
            timeout=60,
            cwd=PACKAGE,
        )
        assert done.returncode == 0, done.stderr.decode()
        return json.loads(done.stdout)

    return run


def _raw(name: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DOCUMENTS / name).read_text())
    return data


@pytest.mark.parametrize(
    "document",
    [
        pytest.param(_raw("tradetrust-simple-coo-raw.json"), id="simple-coo"),
        pytest.param(
            {
                "$template": {"type": "EMBEDDED_RENDERER", "name": "CHAFTA_COO", "url": "x"},
                "issuers": [
                    {
                        "name": "wfa",
                        "identityProof": {"type": "DNS-TXT", "location": "wfa.org.au"},
                    }
                ],
                **_raw("tradetrust-creator-data-file-coo.json")["data"],
            },
            id="chafta-data-file",
        ),
    ],
)
def test_documents_wrapped_by_the_reference_verify_here(reference: Any, document: Any) -> None:
    wrapped = reference("wrap", document)
    assert check_v2(wrapped, "").status == "ok"
    reading = read_document(json.dumps(wrapped).encode(), profiles=bundled_profiles())
    assert reading.integrity is not None and reading.integrity.status == "ok"
    assert reading.document["certificate"]["goods_items"]
    wrapped["data"]["issuers"][0]["name"] = wrapped["data"]["issuers"][0]["name"] + "x"
    assert check_v2(wrapped, "").status == "failed"
    assert reference("verify", wrapped) == {"valid": False}


@pytest.mark.parametrize(
    "name",
    [
        "tradetrust-coo-selective-disclosure.json",
        "edi3-OA-Sample-full.json",
        "tradetrust-invoice-wrapped.json",
        "openattestation-v3-did-wrapped.json",
    ],
)
def test_published_documents_verify_in_both(reference: Any, name: str) -> None:
    document = _raw(name)
    ours = check_v2(document, "") if "signature" in document else check_v3(document, "")
    assert reference("verify", document) == {"valid": True}
    assert ours.status == "ok"


@pytest.mark.parametrize(
    "name",
    [
        "tradetrust-coo-selective-disclosure.json",
        "igl-trade-portal-chafta.json",
        "edi3-CertificateOfOrigin.sampleFull.json",
    ],
)
def test_our_openattestation_output_verifies_in_the_reference(reference: Any, name: str) -> None:
    reading = read_document((DOCUMENTS / name).read_bytes(), profiles=bundled_profiles())
    assert reading.model is not None
    profile = bundled_profiles().get(reading.model.certificate.agreement_code or "")
    written = json.loads(to_format(reading.model, "openattestation", profile=profile).result)
    assert reference("verify", written) == {"valid": True}
    data = reference("data", written)
    source = reading.model.certificate
    assert data["iD"].endswith(f":coo:{source.certificate_number}")
    assert data["issuers"][0]["identityProof"]["type"] in ("DNS-TXT", "DNS-DID", "DID")
    again = read_document(json.dumps(written).encode(), profiles=bundled_profiles())
    assert again.integrity is not None and again.integrity.status == "ok"
    assert again.model is not None
    assert again.model.certificate.certificate_number == source.certificate_number
    assert [i.description for i in again.model.certificate.goods_items] == [
        i.description for i in source.goods_items
    ]
