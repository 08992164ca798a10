"""services/issuing/rendering.py: the printed CO of a stored certificate — its file name, the
effective status it carries (an ISSUED CO past its validity prints as EXPIRED), who may print
it, and which verification URL goes into the QR code. What the page itself shows is in
``tests/unit/test_pdf_render.py``."""

from __future__ import annotations

from datetime import timedelta

import pytest

from originlink.domain.errors import NotFound
from originlink.formats.pdf import verification_payload
from originlink.services.issuing import status_changes
from originlink.services.issuing.rendering import (
    certificate_pdf,
    document_verification_url,
    render_document_pdf,
)
from originlink.testing.nodes import TestNode
from originlink.trust.digests import certificate_digest
from tests.services.support import STRANGER, issued
from tests.unit.pdf_support import example_doc, pdf_metadata


def _status(data: bytes) -> str:
    keywords = pdf_metadata(data)["Keywords"]
    return next(k for k in keywords.split("; ") if k.startswith("status=")).split("=", 1)[1]


def test_the_print_of_a_stored_co_is_named_by_its_number_and_points_back_to_it(
    sg: TestNode,
) -> None:
    result = issued(sg)
    printed = certificate_pdf(sg.node, sg.exporter, result.certificate.id)
    assert printed.filename == "RCEP-SG-2025-000001.pdf"
    assert printed.pdf.data.startswith(b"%PDF-")
    cert = result.document.certificate
    assert printed.pdf.qr_payload == verification_payload(
        "https://verify.example.sg/verify/SG/RCEP-SG-2025-000001", certificate_digest(cert)
    )
    assert _status(printed.pdf.data) == "ISSUED"


def test_the_print_carries_the_effective_status(sg: TestNode) -> None:
    expiring = issued(sg).certificate
    cancelled = issued(sg).certificate
    status_changes.cancel_certificate(sg.node, sg.officer, cancelled.id, reason="error")
    assert _status(certificate_pdf(sg.node, sg.officer, cancelled.id).pdf.data) == "CANCELLED"
    sg.clock.advance(timedelta(days=366))
    assert _status(certificate_pdf(sg.node, sg.officer, expiring.id).pdf.data) == "EXPIRED"


def test_only_who_may_read_the_certificate_prints_it(sg: TestNode) -> None:
    co = issued(sg).certificate
    with pytest.raises(NotFound):
        certificate_pdf(sg.node, STRANGER, co.id)
    with pytest.raises(NotFound):
        certificate_pdf(sg.node, sg.officer, "nope")


def test_the_url_printed_is_the_cos_own_else_one_built_from_the_base_url() -> None:
    own = example_doc()
    assert own.certificate.declarations is not None
    assert own.certificate.declarations.certification is not None
    own.certificate.declarations.certification.verification_url = "https://a.example/v/1"
    assert document_verification_url(own, "https://b.example/") == "https://a.example/v/1"
    plain = example_doc()
    assert document_verification_url(plain, "https://b.example/") == (
        "https://b.example/verify/SG/RCEP-SG-2025-000123"
    )
    assert document_verification_url(plain, None) is None
    draft = example_doc(certificate_number=None, status="DRAFT")
    assert document_verification_url(draft, "https://b.example") is None


def test_a_document_in_hand_prints_under_a_file_name_safe_for_any_number(sg: TestNode) -> None:
    doc = example_doc(certificate_number="RCEP/SG/2025.7")
    rendered = render_document_pdf(doc, profiles=sg.node.profiles)
    assert rendered.filename == "RCEP_SG_2025.7.pdf"
    assert rendered.pdf.qr_payload is None  # no URL to print without a base URL
    assert _status(rendered.pdf.data) == "ISSUED"
    unnumbered = render_document_pdf(
        example_doc(certificate_number=None, status="DRAFT"), profiles=sg.node.profiles
    )
    assert unnumbered.filename == "certificate.pdf"
    assert _status(unnumbered.pdf.data) == "DRAFT"
