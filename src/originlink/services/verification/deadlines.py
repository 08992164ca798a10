"""Deadlines that pass while nobody acts: verification cases past their reply deadline become
NO_REPLY, visits past their consent deadline NO_CONSENT — on both sides, since each side computes
the same deadline from the same profile and request time.

:func:`run_due` is a periodic task: the worker loop inside ``serve`` calls it every round
(``node.hooks.periodic``, listed by :func:`originlink.bootstrap.node_hooks`). Time comes from
the node's clock, so tests and the demo move a frozen clock to make deadlines pass.
"""

from __future__ import annotations

from originlink.domain.verification import WAITING
from originlink.services.context import Node
from originlink.services.verification.requests import lapse

BATCH = 500


def run_due(node: Node) -> int:
    """Apply every deadline that has passed; the number of cases changed."""
    now = node.now()
    with node.store.read() as tx:
        due = tx.cases.due(now, [s.value for s in WAITING], limit=BATCH)
    return sum(lapse(node, case.id) for case in due)
