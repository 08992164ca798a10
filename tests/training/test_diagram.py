"""training/diagram.py: the message log drawn as a sequence diagram — a push answered by a
receipt and a business response, a hub route as two arrows, a pull fetched by its recipient,
a message still retrying shown so; the SVG escapes what it writes."""

from __future__ import annotations

from typing import Any

from lxml import etree

from originlink.training.diagram import Arrow, render_svg, sequence
from tests.training.fakes import NOW, FakeView


def _message(at: str, recipient: str, status: str, route: str, **more: Any) -> dict[str, Any]:
    return {
        "created_at": f"2026-03-01T09:00:{at}+00:00",
        "message_type": more.get("message_type", "co.issued"),
        "recipient": recipient,
        "status": status,
        "route": route,
        "attempts": more.get("attempts", 1),
    }


def test_the_arrows_of_push_hub_pull_and_retry() -> None:
    view = FakeView()
    view.answers[("SG", "/api/v1/messages")] = [
        _message("03", "JP-CUSTOMS", "RETRYING", "push", attempts=3),
        _message("01", "JP-CUSTOMS", "ACCEPTED", "push"),
        _message("02", "NZ-CUSTOMS", "DELIVERED", "hub"),
        _message("04", "JP-CUSTOMS", "DELIVERED", "mailbox"),
    ]
    view.answers[("JP", "/api/v1/messages")] = [
        _message("05", "SG-CUSTOMS", "DELIVERED", "push", message_type="co.utilisation"),
        _message("01", "SG-CUSTOMS", "DELIVERED", "inline", message_type="business.response"),
        _message("06", "SG-CUSTOMS", "DELIVERED", "inline", message_type="verification.ack"),
    ]
    seq = sequence(view, NOW)
    assert seq.participants == ("SG-CUSTOMS", "APAC-HUB", "JP-CUSTOMS", "NZ-CUSTOMS")
    assert seq.arrows == (
        Arrow("SG-CUSTOMS", "JP-CUSTOMS", "co.issued"),
        Arrow("JP-CUSTOMS", "SG-CUSTOMS", "signed receipt", reply=True),
        Arrow("JP-CUSTOMS", "SG-CUSTOMS", "business response: ACCEPTED", reply=True),
        Arrow("SG-CUSTOMS", "APAC-HUB", "co.issued"),
        Arrow("APAC-HUB", "NZ-CUSTOMS", "co.issued (forwarded)"),
        Arrow("NZ-CUSTOMS", "SG-CUSTOMS", "signed receipt", reply=True),
        Arrow("SG-CUSTOMS", "JP-CUSTOMS", "co.issued (RETRYING, 3 tries)"),
        Arrow("JP-CUSTOMS", "SG-CUSTOMS", "pull by number", reply=True),
        Arrow("SG-CUSTOMS", "JP-CUSTOMS", "co.issued"),
        Arrow("JP-CUSTOMS", "SG-CUSTOMS", "signed receipt", reply=True),
        Arrow("JP-CUSTOMS", "SG-CUSTOMS", "co.utilisation"),
        Arrow("SG-CUSTOMS", "JP-CUSTOMS", "signed receipt", reply=True),
        Arrow("JP-CUSTOMS", "SG-CUSTOMS", "verification.ack", reply=True),
    )
    assert ("SG", "/api/v1/messages", {"since": NOW, "limit": 500}) in view.asked


def test_the_svg_is_well_formed_and_escapes_its_text() -> None:
    view = FakeView()
    view.answers[("SG", "/api/v1/messages")] = [_message("01", "JP-CUSTOMS", "ACCEPTED", "push")]
    seq = sequence(view, NOW)
    svg = render_svg(seq, title="<lesson> & more")
    root = etree.fromstring(svg.encode())
    ns = "{http://www.w3.org/2000/svg}"
    assert root.tag == f"{ns}svg"
    assert root.find(f"{ns}title").text == "<lesson> & more"
    texts = [t.text for t in root.iter(f"{ns}text")]
    assert texts[:4] == ["SG-CUSTOMS", "APAC-HUB", "JP-CUSTOMS", "NZ-CUSTOMS"]
    assert texts[4:] == ["co.issued", "signed receipt", "business response: ACCEPTED"]
    assert len(list(root.iter(f"{ns}line"))) == 4 + 3  # four lifelines, three arrows
    assert "<script" not in svg
