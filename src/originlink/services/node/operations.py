"""What an operator asks of a running node: the figures ``/metrics`` reports and whether a
delivery worker is alive (``/health/ready``). Counted from the database at the moment of the
question, so every instance answers the same and nothing is lost at a restart."""

from __future__ import annotations

from datetime import datetime, timedelta

from originlink.services.context import Node
from originlink.store.repos.operations import Figures


def figures(node: Node) -> Figures:
    """COs issued and received, messages per state, the outbox, claims and cases, now."""
    with node.store.read() as tx:
        return tx.operations.figures(node.now())


def delivery_latencies(node: Node, *, within: timedelta = timedelta(hours=1)) -> list[float]:
    """Seconds from queueing to delivery of the messages delivered in the last ``within``."""
    with node.store.read() as tx:
        return tx.operations.delivery_latencies(node.now() - within)


def worker_problem(node: Node, max_age: timedelta) -> str | None:
    """None when some worker beat within ``max_age``, else what is wrong."""
    with node.store.read() as tx:
        last: datetime | None = tx.operations.last_beat()
    if last is None:
        return "no delivery worker has ever run (start 'originlink worker' or 'serve')"
    age = node.now() - last
    if age > max_age:
        seconds, limit = int(age.total_seconds()), int(max_age.total_seconds())
        return f"the last worker heartbeat is {seconds} s old (limit {limit} s)"
    return None
