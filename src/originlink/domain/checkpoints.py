"""Signed checkpoints of the audit chain, the way Certificate Transparency makes a log
tamper-evident.

A hash chain alone only proves that the records agree with each other: whoever can write to
the database can delete the last records and roll the head back, or change a record and
recompute every later hash, and the chain still verifies. A checkpoint is the node's signed
statement "record ``seq`` of my chain has hash ``head``" at time ``at``. The node makes one at
a regular interval and on demand, and every message it sends carries its latest one; each
partner keeps the latest checkpoint it received from each node. A rewrite of any record at or
before a checkpoint a partner holds can then be shown, even by an administrator holding the
node's key: re-signing cannot change what the partner already holds.

This module is the pure part: the checkpoint's shape, the bytes its signature covers, and how
a chain is compared with the checkpoints that vouch for it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from pydantic import Field, ValidationError

from originlink.domain.dataset.types import DateTime, StrictModel
from originlink.domain.errors import InputError
from originlink.domain.safejson import loads_bounded

#: ``typ`` of a checkpoint's JWS, so that no other signature of the node passes for one.
CHECKPOINT_JWS_TYPE = "originlink-audit-checkpoint+jws"
#: The largest sequence number a checkpoint may name (a signed 64-bit integer).
MAX_SEQ = 2**63 - 1


class AuditCheckpoint(StrictModel):
    """One signed checkpoint: ``node`` says its record ``seq`` has hash ``head`` (at ``at``)."""

    node: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9._:\-]*$")
    seq: int = Field(ge=1, le=MAX_SEQ)
    head: str = Field(pattern=r"^[0-9a-f]{64}$")
    at: DateTime
    signature: str = Field(min_length=1, max_length=16384)

    def signed_part(self) -> dict[str, Any]:
        """What the signature covers (its RFC 8785 form is signed): all but ``signature``."""
        return self.model_dump(mode="json", exclude={"signature"})


#: ``held_by`` of the node's own checkpoints (the others are held by partners).
THIS_NODE = "this node"


@dataclass(frozen=True, slots=True)
class VouchedHead:
    """A checkpoint reduced to what a chain is compared with, and who holds it."""

    seq: int
    head: str
    at: str
    held_by: str = THIS_NODE

    @property
    def own(self) -> bool:
        return self.held_by == THIS_NODE


@dataclass(frozen=True, slots=True)
class CheckpointFailure:
    """The first record that fails against the checkpoints, and why."""

    seq: int
    reason: str


def compare_with_checkpoints(
    vouched: Iterable[VouchedHead],
    *,
    last_seq: int,
    hash_at: Callable[[int], str | None],
) -> CheckpointFailure | None:
    """Compare a chain (that verified on its own, ending at ``last_seq``) with signed heads.

    * A head for a record past the end of the chain: records were removed at the end; the
      first missing one is ``last_seq + 1``.
    * A head that differs from the chain's hash of that record: a record at or before it was
      changed and the later hashes recomputed. A hash chain cannot say which record from the
      hash alone, so the failure names the first record after the latest checkpoint that still
      matches (the first record no signature vouches for any more); with checkpoints on both
      sides of a changed record, that is the changed record itself.

    The node's own checkpoints count only while they agree with every checkpoint its partners
    hold: whoever holds the node's key can re-sign its own, never the partners'.
    """
    heads = sorted(vouched, key=lambda v: v.seq)
    note = ""
    own = {(v.seq, v.head) for v in heads if v.own}
    differing = next((v for v in heads if not v.own and (v.seq, v.head) not in own), None)
    if differing is not None:
        # Every checkpoint a partner holds was made here; if this node no longer has it as
        # the partner has it, its own were re-signed or removed, and prove nothing.
        heads = [v for v in heads if not v.own]
        note = (
            f"; this node's own checkpoints do not include the one {differing.held_by} holds "
            f"for record {differing.seq} (they were re-signed or removed), so only partners' "
            "checkpoints are relied on"
        )
    for v in heads:
        if v.seq > last_seq:
            break
        if hash_at(v.seq) == v.head:
            continue
        # Every checkpoint before this one matched; one of the same record that matches
        # proves nothing against this one.
        last_good = max((g.seq for g in heads if g.seq < v.seq), default=0)
        first = last_good + 1
        span = f"record {first} does" if first == v.seq else f"records {first} to {v.seq} do"
        return CheckpointFailure(
            first,
            f"{span} not lead to the head signed at {v.at} for record {v.seq} "
            f"(held by {v.held_by}): a record was changed and the later hashes recomputed"
            + (f"; record {last_good} still matches a checkpoint" if last_good else "")
            + note,
        )
    if heads and heads[-1].seq > last_seq:
        far = heads[-1]
        return CheckpointFailure(
            last_seq + 1,
            f"record {last_seq + 1} is missing: the log ends at record {last_seq}, but "
            f"{far.held_by} holds a checkpoint signed at {far.at} for record {far.seq} "
            "(records were removed at the end and the head rolled back)" + note,
        )
    return None


#: Name of the file format ``audit partner-checkpoints`` writes and ``audit verify`` reads.
EXPORT_FORMAT = "originlink.partner-checkpoints/1"
#: Bound on such a file (one checkpoint per partner is a few kilobytes).
MAX_EXPORT_BYTES = 4 * 1024 * 1024
_MEMBERS = ("node", "seq", "head", "at", "signature")


@dataclass(frozen=True, slots=True)
class HeldCheckpoints:
    """A partner's export: who holds the checkpoints, and the checkpoints."""

    held_by: str
    checkpoints: tuple[AuditCheckpoint, ...]


def read_export(data: bytes, *, source: str) -> HeldCheckpoints:
    """Parse a file written by ``audit partner-checkpoints``; :class:`InputError` says what is
    wrong and where (``source``: the file's name, for the message)."""
    document = loads_bounded(data, max_bytes=MAX_EXPORT_BYTES, what=source)
    if not isinstance(document, dict) or document.get("format") != EXPORT_FORMAT:
        raise InputError(f'{source}: not a checkpoints file (its "format" must be {EXPORT_FORMAT})')
    held_by = document.get("exported_by")
    items = document.get("checkpoints")
    if not isinstance(held_by, str) or not isinstance(items, list):
        raise InputError(f'{source}: "exported_by" (text) and "checkpoints" (a list) are required')
    checkpoints = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise InputError(f"{source}: checkpoints[{index}] is not an object")
        try:
            checkpoints.append(AuditCheckpoint.model_validate({k: item.get(k) for k in _MEMBERS}))
        except ValidationError as exc:
            first = exc.errors()[0]
            where = ".".join(str(p) for p in first["loc"])
            raise InputError(f"{source}: checkpoints[{index}].{where}: {first['msg']}") from None
    return HeldCheckpoints(held_by[:64], tuple(checkpoints))
