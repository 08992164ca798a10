"""services/verification/public.py: public verification as a use case — the outcome and its
yes/no/unknown authenticity, what each outcome reveals, the JSON twin, refused input naming the
field, and the version digests the hooks keep (once per version). The page and the JSON over
HTTP are in ``tests/integration/test_public_verify.py``."""

from __future__ import annotations

import pytest

from originlink.domain.errors import InputError
from originlink.services.issuing import status_changes
from originlink.services.verification import public
from originlink.services.verification.public import Outcome, verify_public
from originlink.testing.nodes import TestNode
from tests.claims_support import co_document, receive
from tests.services.support import issued


def test_each_outcome_says_yes_no_or_not_known_about_authenticity(sg: TestNode) -> None:
    co = issued(sg).certificate
    number = co.number
    current = verify_public(sg.node, "SG", number, co.digest)
    unchecked = verify_public(sg.node, "SG", number, None)
    forged = verify_public(sg.node, "SG", number, "A" * 43)
    missing = verify_public(sg.node, "SG", "RCEP-SG-2025-009999", co.digest)
    assert [(r.outcome, r.authentic) for r in (current, unchecked, forged, missing)] == [
        (Outcome.AUTHENTIC, True),
        (Outcome.NOT_CHECKED, None),
        (Outcome.NOT_AUTHENTIC, False),
        (Outcome.NOT_FOUND, None),
    ]
    assert current.summary is not None and current.matched_version == current.current_version == 1
    assert unchecked.status == "ISSUED" and unchecked.summary is None
    assert unchecked.matched_version is None and unchecked.current_version is None
    assert forged.status is None and forged.issuing_authority is None
    assert forged.as_json() == {
        "issuing_country": "SG",
        "number": number,
        "outcome": "not_authentic",
        "authentic": False,
        "checked_at": "2025-03-04T01:00:00+00:00",
    }
    assert "authentic" not in missing.as_json() and missing.as_json()["outcome"] == "not_found"


def test_an_authentic_answer_summarises_without_prices_quantities_or_names(
    sg: TestNode,
) -> None:
    co = issued(sg).certificate
    answer = verify_public(sg.node, "SG", co.number, co.digest).as_json()
    assert answer["issue_date"] == "2025-03-04" and answer["valid_until"] == "2026-03-04"
    assert answer["issuing_authority"] == "Singapore Customs"
    assert answer["summary"] == {
        "form_code": "FORM_RCEP",
        "form_name": "Form RCEP",
        "agreement_code": "RCEP",
        "agreement_name": "Regional Comprehensive Economic Partnership",
        "exporting_country": "SG",
        "importing_country": "JP",
        "item_count": 1,
        "items": (
            {"sequence_number": 1, "hs_code": "848210", "description": "Ball bearings, 10 cartons"},
        ),
    }


def test_a_print_made_before_a_cancellation_is_an_earlier_authentic_version(
    sg: TestNode,
) -> None:
    co = issued(sg).certificate
    cancelled = status_changes.cancel_certificate(sg.node, sg.officer, co.id, reason="error")
    earlier = verify_public(sg.node, "SG", co.number, co.digest)
    assert (earlier.outcome, earlier.status) == (Outcome.AUTHENTIC_EARLIER_VERSION, "CANCELLED")
    assert (earlier.matched_version, earlier.current_version) == (1, 2)
    now = verify_public(sg.node, "SG", co.number, cancelled.digest)
    assert (now.outcome, now.matched_version) == (Outcome.AUTHENTIC, 2)


def test_only_cos_issued_here_are_answered(sg: TestNode) -> None:
    received = receive(sg.node, co_document(number="RCEP-SG-2025-000777"), sender="JP-CUSTOMS")
    answer = verify_public(sg.node, "SG", "RCEP-SG-2025-000777", received.digest)
    assert answer.outcome is Outcome.NOT_FOUND


def test_malformed_input_is_refused_naming_the_field(sg: TestNode) -> None:
    for country, number, digest, pointer in [
        ("sg", "RCEP-SG-2025-000001", None, "path:issuing_country"),
        ("SGP", "RCEP-SG-2025-000001", None, "path:issuing_country"),
        ("SG", "RCEP SG", None, "path:number"),
        ("SG", "X" * 36, None, "path:number"),
        ("SG", "RCEP-SG-2025-000001", "short", "query:d"),
        ("SG", "RCEP-SG-2025-000001", "A" * 42 + "=", "query:d"),
    ]:
        with pytest.raises(InputError) as info:
            verify_public(sg.node, country, number, digest)
        assert info.value.pointer == pointer, (country, number, digest)


def test_each_versions_digest_is_kept_once(sg: TestNode) -> None:
    co = issued(sg).certificate
    with sg.node.store.transaction() as tx:
        public.record_version_digest(tx, sg.node, co)  # the issuing hook ran already
        public.record_version_digest(tx, sg.node, co)
    with sg.node.store.read() as tx:
        kept = tx.certificate_digests.of([co.id])
    assert [(d.version, d.status, d.digest) for d in kept] == [(1, "ISSUED", co.digest)]
    assert public.verification_path("SG", co.number) == f"/verify/SG/{co.number}"
