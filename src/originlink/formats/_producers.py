"""Producers in formats that link them to goods by copying or grouping, not by a key.

UBL copies the producer onto each goods item; edi3 puts it on the consignment item. Both
readers give the producers they meet the ids ``P1``, ``P2`` ... in order of first use and merge
identical parties. :func:`plan_producers` predicts that on export, so the loss report names
exactly what will not come back: unreferenced producers, renamed ids, merged or reordered lists.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from originlink.domain.dataset import Certificate, Producer
from originlink.formats._common import cpath
from originlink.formats.loss import LossReport


def producer_id(number: int) -> str:
    return f"P{number}"


def plan_producers(
    cert: Certificate,
    report: LossReport,
    carried: Callable[[Producer], Any],
) -> dict[str, Producer]:
    """The producers each goods item refers to, by ``party_id``; losses are reported.

    ``carried`` projects a producer to what the target format keeps of it (two producers the
    target cannot tell apart come back as one)."""
    producers = {p.party_id: p for p in cert.parties.producers or ()}
    order: list[Any] = []
    new_ids: dict[str, str] = {}
    for index, item in enumerate(cert.goods_items):
        ref = item.producer_ref
        if ref is None:
            continue
        if ref not in producers:
            report.dropped(
                cpath("goods_items", index, "producer_ref"), "refers to no producer", ref
            )
            continue
        key = carried(producers[ref])
        if key not in order:
            order.append(key)
        new_id = producer_id(order.index(key) + 1)
        new_ids[ref] = new_id
        if new_id != ref:
            report.degraded(
                cpath("goods_items", index, "producer_ref"),
                f"producers are linked by position; the reader names this one {new_id}",
                ref,
            )
    for index, producer in enumerate(cert.parties.producers or ()):
        if producer.party_id not in new_ids:
            report.dropped(
                cpath("parties", "producers", index),
                "producer not referred to by any goods item",
                producer.name,
            )
    original = [(p.party_id, carried(p)) for p in cert.parties.producers or ()]
    predicted = [(producer_id(n + 1), key) for n, key in enumerate(order)]
    if cert.parties.producers and original != predicted:
        report.degraded(
            cpath("parties", "producers"),
            "the producer list comes back in order of first use, with ids P1, P2 ...",
        )
    return {ref: producers[ref] for ref in new_ids}
