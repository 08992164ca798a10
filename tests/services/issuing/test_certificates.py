"""services/issuing/certificates.py: reading certificates — the effective status (a live CO
past its validity reads EXPIRED), one certificate with its history, links and findings, pages
of certificates, and what an exporter of another organisation may not see."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from originlink.domain.errors import NotFound
from originlink.services.issuing import certificates as certs
from originlink.services.issuing import status_changes
from originlink.store.repos.certificates import CertificateFilter
from originlink.testing.nodes import TestNode
from tests.claims_support import receive
from tests.services.support import CUSTOMS, STRANGER, issued

TODAY = date(2025, 3, 4)


def test_a_live_co_past_its_validity_reads_as_expired(sg: TestNode) -> None:
    record = issued(sg).certificate
    cases = [
        ("ISSUED", TODAY - timedelta(days=1), "EXPIRED"),
        ("ISSUED", TODAY, "ISSUED"),  # valid through its last day
        ("ISSUED", None, "ISSUED"),
        ("RECEIVED", TODAY - timedelta(days=1), "EXPIRED"),
        ("CANCELLED", TODAY - timedelta(days=1), "CANCELLED"),
        ("REPLACED", TODAY - timedelta(days=1), "REPLACED"),
        ("REJECTED", TODAY - timedelta(days=1), "REJECTED"),
    ]
    for status, end, effective in cases:
        changed = record.with_(status=status, validity_end_date=end)
        assert certs.effective_status(changed, TODAY) == effective, (status, end)


def test_one_certificate_with_its_history_links_and_effective_status(sg: TestNode) -> None:
    old = issued(sg).certificate
    new = issued(sg, kind="replacement", related=old.id).certificate
    view = certs.get_certificate(sg.node, sg.officer, old.id)
    assert (view["status"], view["effective_status"]) == ("REPLACED", "REPLACED")
    assert [h["to_status"] for h in view["history"]] == ["ISSUED", "REPLACED"]
    assert view["links"] == [{"direction": "in", "relation": "replaces", "certificate_id": new.id}]
    assert view["document"]["certificate"]["certificate_number"] == old.number
    sg.clock.advance(timedelta(days=366))
    later = certs.get_certificate(sg.node, sg.officer, new.id)
    assert (later["status"], later["effective_status"]) == ("ISSUED", "EXPIRED")


def test_findings_are_shown_only_when_there_are_some(sg: TestNode) -> None:
    clean = issued(sg).certificate
    flagged = receive(sg.node, sender="JP-CUSTOMS", signature_broken=True)
    assert "findings" not in certs.get_certificate(sg.node, sg.officer, clean.id)
    view = certs.get_certificate(sg.node, sg.officer, flagged.id)
    assert view["status"] == "REJECTED"
    assert [f["code"] for f in view["findings"]] == ["SIG_INTEGRITY"]
    bare = certs.certificate_view(sg.node, clean, history=[], links=[], with_document=False)
    assert "document" not in bare and bare["history"] == [] and bare["links"] == []


def test_an_exporter_sees_only_its_organisations_certificates(sg: TestNode) -> None:
    co = issued(sg).certificate
    for read in (certs.get_certificate, certs.get_record):
        with pytest.raises(NotFound, match="no such certificate"):
            read(sg.node, STRANGER, co.id)
        with pytest.raises(NotFound):
            read(sg.node, sg.officer, "nope")
    everything = CertificateFilter()
    assert certs.list_certificates(sg.node, STRANGER, everything, limit=10, offset=0) == ([], 0)
    # an exporter's filter is always its own organisation, whatever it asks for
    widened = CertificateFilter(organisation="OTHER-ORG")
    mine, total = certs.list_certificates(sg.node, sg.exporter, widened, limit=10, offset=0)
    assert [m["id"] for m in mine] == [co.id] and total == 1
    for reader in (sg.officer, sg.admin, CUSTOMS):
        assert certs.get_record(sg.node, reader, co.id) == co


def test_pages_of_certificates_carry_their_effective_status(sg: TestNode) -> None:
    first = issued(sg).certificate
    second = issued(sg).certificate
    status_changes.cancel_certificate(sg.node, sg.officer, second.id, reason="error")
    receive(sg.node, sender="JP-CUSTOMS")
    exported = CertificateFilter(side="export")
    page, total = certs.list_certificates(sg.node, sg.officer, exported, limit=10, offset=0)
    assert total == 2
    assert {(p["number"], p["effective_status"]) for p in page} == {
        (first.number, "ISSUED"),
        (second.number, "CANCELLED"),
    }
    sg.clock.advance(timedelta(days=400))
    live = CertificateFilter(side="export", status="ISSUED")
    page, total = certs.list_certificates(sg.node, sg.officer, live, limit=1, offset=0)
    assert total == 1 and page[0]["effective_status"] == "EXPIRED"
    everything, total = certs.list_certificates(
        sg.node, sg.officer, CertificateFilter(), limit=2, offset=2
    )
    assert total == 3 and len(everything) == 1
