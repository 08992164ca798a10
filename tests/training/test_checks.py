"""training/checks.py and checks_more.py: each check passes only on what the nodes hold, says
what they hold instead when it does not, and hands its facts to the next steps."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from originlink.training import checks, checks_more
from tests.training.fakes import NOW, FakeView, application

STARTED = {"started_at": NOW.isoformat()}
CO = {
    **STARTED,
    "certificate_id": "c1",
    "number": "RCEP-SG-2026-000001",
    "country": "SG",
    "issuer": "SG",
}


@pytest.fixture
def view() -> FakeView:
    return FakeView()


def test_application_found_by_reference_since_the_lesson_started(view: FakeView) -> None:
    params = {"reference": "L01"}
    assert not checks.application(view, STARTED, params).ok
    view.answers[("SG", "/api/v1/applications")] = [application("L01", "DRAFT")]
    draft = checks.application(view, STARTED, params)
    assert not draft.ok and "DRAFT, not SUBMITTED" in draft.detail
    view.answers[("SG", "/api/v1/applications")] = [application("L01", "SUBMITTED")]
    found = checks.application(view, STARTED, params)
    assert found.ok and found.facts == {"application_id": "app-L01"}
    assert view.asked[-1][2] == {"created_from": NOW.isoformat(), "limit": 500}


def test_an_application_is_named_by_its_invoice_number_as_the_form_gives_it(
    view: FakeView,
) -> None:
    from_form = application("x", "SUBMITTED")
    from_form["content"] = {"certificate": {"references": {"invoices": [{"number": "L07"}]}}}
    view.answers[("SG", "/api/v1/applications")] = [from_form]
    assert checks.application(view, STARTED, {"reference": "L07"}).ok
    missing = checks.application(view, STARTED, {"reference": "L08"})
    assert missing.detail == (
        "SG holds no application with the invoice number L08 made since the lesson started"
    )


def test_issued_needs_the_kind_and_flag_asked_for(view: FakeView) -> None:
    view.answers[("SG", "/api/v1/applications")] = [
        application("L12", "ISSUED", kind="retroactive", certificate_id="c9")
    ]
    cert: dict[str, Any] = {
        "id": "c9",
        "number": "N-9",
        "issuing_country": "SG",
        "digest": "d",
        "document": {"certificate": {"flags": {}}},
    }
    view.answers[("SG", "/api/v1/certificates/c9")] = cert
    params = {"reference": "L12", "kind": "retroactive", "flag": "issued_retroactively"}
    assert "without issued_retroactively" in checks.issued(view, STARTED, params).detail
    assert not checks.issued(view, STARTED, {**params, "kind": "true_copy"}).ok
    cert["document"]["certificate"]["flags"] = {"issued_retroactively": True}
    found = checks.issued(view, STARTED, {**params, "as": "b_"})
    assert found.ok
    assert found.facts["b_number"] == "N-9" and found.facts["b_issuer"] == "SG"


def test_delivered_reports_the_state_and_error_of_the_message(view: FakeView) -> None:
    message = {
        "certificate_id": "c1",
        "status": "RETRYING",
        "last_error": "connection refused",
        "recipient": "JP-CUSTOMS",
        "attempts": 2,
        "message_id": "m1",
        "route": None,
    }
    view.answers[("SG", "/api/v1/messages")] = [message]
    waiting = checks.delivered(view, CO, {"statuses": ["ACCEPTED"]})
    assert not waiting.ok and "RETRYING (connection refused)" in waiting.detail
    assert checks.delivered(view, CO, {"statuses": ["RETRYING"]}).ok
    view.answers[("SG", "/api/v1/messages")] = [{**message, "certificate_id": "other"}]
    assert "has sent no co.issued" in checks.delivered(view, CO, {}).detail


def test_received_and_not_received_look_at_the_importing_side(view: FakeView) -> None:
    assert not checks.received(view, CO, {"node": "JP"}).ok
    assert checks.not_received(view, CO, {"node": "JP"}).ok
    held = {"id": "r1", "issuing_country": "SG", "number": CO["number"], "status": "RECEIVED"}
    view.answers[("JP", "/api/v1/certificates")] = [held]
    found = checks.received(view, CO, {"node": "JP"})
    assert found.ok and found.facts == {"received_id": "r1"}
    assert not checks.not_received(view, CO, {"node": "JP"}).ok
    assert (
        "as RECEIVED, not CANCELLED"
        in checks.status(view, CO, {"node": "JP", "status": "CANCELLED"}).detail
    )


def test_a_fact_an_earlier_step_did_not_find_is_named(view: FakeView) -> None:
    with pytest.raises(LookupError, match="new_number"):
        checks.received(view, CO, {"node": "JP", "of": "new_"})


def test_partner_model_and_outage_endpoint(view: FakeView) -> None:
    record = {"participant_id": "JP-CUSTOMS", "model": "push", "endpoint": "http://jp:1"}
    view.answers[("SG", "/api/v1/partners")] = {"items": [record]}
    assert checks.partner(view, STARTED, {"partner": "JP", "model": "push"}).ok
    assert not checks.partner(view, STARTED, {"partner": "JP", "model": "pull"}).ok
    assert not checks.partner(view, STARTED, {"partner": "JP", "endpoint": "elsewhere"}).ok
    record["endpoint"] = "http://127.0.0.1:9"
    assert checks.partner(view, STARTED, {"partner": "JP", "endpoint": "elsewhere"}).ok
    assert not checks.partner(view, STARTED, {"partner": "JP", "endpoint": "own"}).ok


def test_claim_counts_the_decisions_and_reasons(view: FakeView) -> None:
    granted = {"id": "D1", "lines": [{"decision": "GRANTED", "reason_codes": []}]}
    view.answers[("JP", "/api/v1/claims")] = [granted]
    assert checks_more.claim(view, CO, {"decision": "GRANTED"}).ok
    over = {"decision": "DENIED", "reason": "QUANTITY_EXCEEDED"}
    assert "0 declaration(s)" in checks_more.claim(view, CO, over).detail
    denied = {"id": "D2", "lines": [{"decision": "DENIED", "reason_codes": ["CO_CANCELLED"]}]}
    view.answers[("JP", "/api/v1/claims")] = [granted, denied]
    assert not checks_more.claim(view, CO, over).ok
    denied["lines"][0]["reason_codes"] = ["QUANTITY_EXCEEDED"]
    assert checks_more.claim(view, CO, over).ok


def test_utilisation_needs_a_use_reported(view: FakeView) -> None:
    path = ("SG", "/api/v1/certificates/c1/utilisation")
    view.answers[path] = {"items": [{"net_used": "0", "reports": []}]}
    assert not checks_more.utilisation(view, CO, {}).ok
    view.answers[path] = {
        "items": [{"net_used": "400", "reports": [{"reported_by": "JP-CUSTOMS"}]}]
    }
    found = checks_more.utilisation(view, CO, {})
    assert found.ok and "reported by JP-CUSTOMS" in found.detail


def test_case_and_clock_past_the_deadline(view: FakeView) -> None:
    held = {"id": "r1", "issuing_country": "SG", "number": CO["number"], "status": "RECEIVED"}
    view.answers[("JP", "/api/v1/certificates")] = [held]
    assert "opened no verification case" in checks_more.case(view, CO, {}).detail
    due = NOW + timedelta(days=90)
    case = {"id": "k1", "status": "OPEN", "due_at": due.isoformat(), "deadline": "RCEP"}
    view.answers[("JP", "/api/v1/verifications")] = [case]
    opened = checks_more.case(view, CO, {"statuses": ["OPEN"]})
    assert opened.ok and opened.facts == {"case_id": "k1", "due_at": due.isoformat()}
    assert not checks_more.case(view, CO, {"statuses": ["NO_REPLY"]}).ok
    assert not checks_more.clock_past(view, opened.facts, {"fact": "due_at"}).ok
    view.clock = due + timedelta(minutes=1)
    assert checks_more.clock_past(view, opened.facts, {"fact": "due_at"}).ok


def test_trust_list_published_then_held(view: FakeView) -> None:
    params = {"node": "NZ", "holder": "JP"}
    view.published["NZ"] = 1
    view.sequences[("JP", "NZ-CUSTOMS")] = 1
    assert "export a new version first" in checks_more.trust_published(view, {}, params).detail
    view.published["NZ"] = 2
    published = checks_more.trust_published(view, {}, params)
    assert published.ok and published.facts == {"published_sequence": 2}
    assert not checks_more.trust_held(view, published.facts, params).ok
    view.sequences[("JP", "NZ-CUSTOMS")] = 2
    assert checks_more.trust_held(view, published.facts, params).ok


def test_reconciled_needs_nothing_pending_and_everything_applied(view: FakeView) -> None:
    sent: dict[str, Any] = {
        "sent": {
            "pending": {"count": 1},
            "dead": {"count": 0},
            "accepted": {"count": 1, "message_ids": ["m1"]},
        },
    }
    got: dict[str, Any] = {"received": {"applied": {"count": 0, "message_ids": []}}}
    view.answers[("SG", "/api/v1/partners/JP-CUSTOMS/reconciliation")] = sent
    view.answers[("JP", "/api/v1/partners/SG-CUSTOMS/reconciliation")] = got
    assert "1 pending" in checks_more.reconciled(view, STARTED, {}).detail
    sent["sent"]["pending"]["count"] = 0
    assert "has not applied 1" in checks_more.reconciled(view, STARTED, {}).detail
    got["received"]["applied"]["message_ids"] = ["m1"]
    assert checks_more.reconciled(view, STARTED, {}).ok
