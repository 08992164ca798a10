""" "What happened": the messages the nodes exchanged during a lesson, as a sequence diagram.

:func:`sequence` reads every node's message log since the lesson started (each node's outbox:
what it sent, by which route, in which delivery state) and turns it into arrows between the
nodes' lifelines: a message through the hub is two arrows, a CO kept for a pull is fetched by
its recipient, a delivered message is answered by a signed receipt, an accepted CO by a
business response. :func:`render_svg` draws them on the server as SVG (text escaped; no
script), so the page needs nothing from anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any
from xml.sax.saxutils import escape

from originlink.domain.errors import OriginLinkError
from originlink.training.probe import NetworkView

_COLUMN = 190
_ROW = 34
_TOP = 64
_ANSWERED = {"DELIVERED", "ACCEPTED", "REJECTED"}
_MAX_MESSAGES = 200


@dataclass(frozen=True, slots=True)
class Arrow:
    source: str
    target: str
    label: str
    reply: bool = False


@dataclass(frozen=True, slots=True)
class Sequence:
    participants: tuple[str, ...]
    arrows: tuple[Arrow, ...]


def _arrows(sender: str, message: dict[str, Any], hub: str) -> list[Arrow]:
    kind, target, status = message["message_type"], message["recipient"], message["status"]
    label = kind if status in _ANSWERED else f"{kind} ({status}, {message['attempts']} tries)"
    route = message.get("route")
    if route == "inline":  # answered in the HTTP response of the message it answers
        if kind == "business.response":
            return []  # drawn with that message (its status says the response)
        return [Arrow(sender, target, kind, reply=True)]
    if route == "hub":
        out = [Arrow(sender, hub, label), Arrow(hub, target, f"{kind} (forwarded)")]
    elif route == "mailbox":
        if status not in _ANSWERED:
            return [Arrow(sender, sender, f"{kind} kept for a pull")]
        out = [Arrow(target, sender, "pull by number", reply=True), Arrow(sender, target, kind)]
    else:
        out = [Arrow(sender, target, label)]
    if status in _ANSWERED:
        out.append(Arrow(target, sender, "signed receipt", reply=True))
    if status in {"ACCEPTED", "REJECTED"}:
        out.append(Arrow(target, sender, f"business response: {status}", reply=True))
    return out


def sequence(view: NetworkView, since: datetime | str) -> Sequence:
    """The arrows of everything the sandbox's gateways sent since ``since``, oldest first."""
    nodes = [n for n in view.manifest.nodes.values() if n.role != "hub"]
    hubs = [n.participant for n in view.manifest.nodes.values() if n.role == "hub"]
    hub = hubs[0] if hubs else "HUB"
    sent: list[tuple[str, str, dict[str, Any]]] = []
    for node in nodes:
        try:
            items = view.items(node.key, "/api/v1/messages", since=since)
        except OriginLinkError:
            continue  # a node down draws no arrows; the others still do
        sent.extend((m["created_at"], node.participant, m) for m in items[:_MAX_MESSAGES])
    sent.sort(key=lambda entry: entry[0])
    arrows = [a for _, sender, m in sent for a in _arrows(sender, m, hub)]
    order = [n.participant for n in nodes[:1]] + hubs + [n.participant for n in nodes[1:]]
    return Sequence(tuple(order), tuple(arrows))


def render_svg(seq: Sequence, *, title: str = "") -> str:
    """The diagram as an SVG document (lifelines, arrows, labels)."""
    columns = {p: _COLUMN // 2 + i * _COLUMN for i, p in enumerate(seq.participants)}
    width = max(1, len(seq.participants)) * _COLUMN
    height = _TOP + (len(seq.arrows) + 1) * _ROW
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}" '
        'font-family="sans-serif" font-size="12">',
        f"<title>{escape(title)}</title>",
        '<defs><marker id="head" markerWidth="8" markerHeight="8" refX="8" refY="4" '
        'orient="auto"><path d="M0,0 L8,4 L0,8 z"/></marker></defs>',
    ]
    for name, x in columns.items():
        out.append(
            f'<rect x="{x - 80}" y="8" width="160" height="28" rx="4" fill="#eef3f8" '
            f'stroke="#345"/><text x="{x}" y="27" text-anchor="middle" font-weight="bold">'
            f"{escape(name)}</text>"
            f'<line x1="{x}" y1="36" x2="{x}" y2="{height - 8}" stroke="#99a" '
            'stroke-dasharray="4 4"/>'
        )
    for row, arrow in enumerate(seq.arrows):
        y = _TOP + row * _ROW + _ROW // 2
        x1 = columns.get(arrow.source, 0)
        x2 = columns.get(arrow.target, 0)
        dash = ' stroke-dasharray="6 3"' if arrow.reply else ""
        label = escape(arrow.label)
        if x1 == x2:
            out.append(
                f'<path d="M{x1},{y - 8} h30 v16 h-30" fill="none" stroke="#234"{dash} '
                f'marker-end="url(#head)"/><text x="{x1 + 36}" y="{y + 4}">{label}</text>'
            )
            continue
        out.append(
            f'<line x1="{x1}" y1="{y}" x2="{x2}" y2="{y}" stroke="#234"{dash} '
            f'marker-end="url(#head)"/><text x="{(x1 + x2) // 2}" y="{y - 5}" '
            f'text-anchor="middle">{label}</text>'
        )
    out.append("</svg>")
    return "".join(out)
