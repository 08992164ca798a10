"""What one check of a step found: passed or not, a sentence that says what the nodes hold,
and the facts later steps build on (the CO's number, the case's deadline)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from originlink.training.probe import NetworkView


@dataclass(frozen=True, slots=True)
class Outcome:
    ok: bool
    detail: str
    facts: dict[str, Any] = field(default_factory=dict)


def passed(detail: str, **facts: Any) -> Outcome:
    return Outcome(True, detail, facts)


def failed(detail: str) -> Outcome:
    return Outcome(False, detail)


#: A check: the nodes, the facts found so far (``started_at`` among them), the step's params.
Check = Callable[[NetworkView, dict[str, Any], dict[str, Any]], Outcome]


def fact(facts: dict[str, Any], params: dict[str, Any], name: str) -> Any:
    """The fact ``name`` of the thing the step is about (``of`` names a prefix: ``of =
    "replacement_"`` reads ``replacement_certificate_id``)."""
    key = f"{params.get('of', '')}{name}"
    if key not in facts:
        raise LookupError(key)
    return facts[key]
