"""sandbox/actions.py: what the player sends in a learner's place — an application dated on
the network's clock, a retroactive one shipped in the past, a back-to-back one from New
Zealand naming the original — and a refusal by a node becomes ActionFailed with its answer."""

from __future__ import annotations

from datetime import timedelta

import httpx2
import pytest

from originlink.sandbox import actions
from originlink.sandbox.actions import ActionFailed, Player
from originlink.training.manifest import SandboxUser
from tests.training.fakes import NOW, FakeView

ORIGINAL = {
    "certificate_id": "c1", "number": "RCEP-SG-2026-000007", "country": "SG", "issuer": "SG",
}  # fmt: skip


def _player() -> tuple[Player, FakeView]:
    view = FakeView()
    view.manifest.users.append(SandboxUser("SG-CUSTOMS", "exporter", "exporter", "pw", "tok-exp"))
    return Player(view.manifest, view), view


def test_an_application_is_dated_on_the_network_s_clock() -> None:
    player, view = _player()
    view.clock = NOW + timedelta(days=91)
    content = actions._content(player, {"reference": "L02", "importing": "JP"}, {})
    cert = content["certificate"]
    assert cert["application_reference"] == "L02" and cert["importing_country"] == "JP"
    assert cert["references"]["invoices"][0]["number"] == "L02"  # what the form names it by
    shipped = cert["transport"]["departure_datetime"]
    assert shipped == (view.clock.date() + timedelta(days=1)).isoformat()


def test_a_retroactive_application_was_shipped_in_the_past() -> None:
    player, _view = _player()
    params = {"reference": "L12", "importing": "JP", "shipped_days_ago": 10}
    cert = actions._content(player, params, {})["certificate"]
    assert cert["transport"]["departure_datetime"] == (NOW - timedelta(days=10)).date().isoformat()


def test_a_back_to_back_application_names_the_original() -> None:
    player, view = _player()
    view.answers[("SG", "/api/v1/certificates/c1")] = {
        "issue_datetime": "2026-03-01T17:00:00+08:00"
    }
    params = {"node": "NZ", "reference": "L11-B", "importing": "JP", "kind": "back_to_back"}
    cert = actions._content(player, params, ORIGINAL)["certificate"]
    assert cert["exporting_country"] == "NZ"
    assert cert["transport"]["loading_location"]["locode"] == "NZAKL"
    assert {g["origin_country"] for g in cert["goods_items"]} == {"SG"}
    assert cert["references"]["related_certificates"] == [
        {
            "relation": "back_to_back_of", "number": "RCEP-SG-2026-000007",
            "issue_date": "2026-03-01", "issuing_country": "SG",
        }
    ]  # fmt: skip


def test_a_refusal_by_a_node_is_an_action_failed(monkeypatch: pytest.MonkeyPatch) -> None:
    player, _view = _player()
    sent: list[tuple[str, str, dict[str, str]]] = []

    def request(method: str, url: str, **kw: object) -> httpx2.Response:
        headers = kw["headers"]
        assert isinstance(headers, dict)
        sent.append((method, url, headers))
        return httpx2.Response(422, text='{"title": "Validation failed"}')

    monkeypatch.setattr(actions.httpx2, "request", request)
    with pytest.raises(ActionFailed, match="POST /api/v1/claims at SG: 422"):
        player.call("SG", "exporter", "POST", "/api/v1/claims", {})
    assert sent == [("POST", "http://sg:1/api/v1/claims", {"Authorization": "Bearer tok-exp"})]
