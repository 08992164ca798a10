"""Evidence bundles: everything a node holds about one CO, in one signed file that can be
checked without the node.

A bundle (``originlink-evidence/1``) holds the CO as stored (its signed document, so its
signatures), the digest of every version it had, its status events and links, the messages
that carried it with their receipts and responses (the payload of every version sent), the
claims and verification cases about it with their files, and the audit records about all of
these, each with the hash that chains it — plus the chain's head when the bundle was made.
``content_digest`` is the SHA-256 of the RFC 8785 form of ``content``; ``signature`` is a
detached JWS over the same bytes by the node's key, its certificate chain inside.

:func:`verify_bundle` checks it offline: the digest, the node's signature, the CO's
issuing-authority signature over the certificate, and every audit record's hash. Given a
trust store (``--home``) it also checks that both signers chain to a pinned root and are
listed in an accepted trust list and not revoked.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from originlink.domain.authz import Actor, Permission
from originlink.domain.canonical import canonical_bytes
from originlink.domain.dataset import CODocument
from originlink.domain.errors import InputError, NotFound, TrustError
from originlink.domain.safejson import loads_bounded
from originlink.services.context import Node
from originlink.services.unit_of_work import UnitOfWork
from originlink.store.audit import record_hash
from originlink.trust.canonical import certificate_canonical_bytes
from originlink.trust.jws import format_signing_time, sign_detached, verify_detached
from originlink.trust.trustlist import TrustStore

FORMAT = "originlink-evidence/1"
TYP = "originlink-evidence+jws"


def gather(tx: UnitOfWork, certificate_id: str) -> dict[str, Any]:
    """The bundle's content for one CO, read in the unit of work ``tx``."""
    rows = tx.records.of_certificate(certificate_id)
    if rows is None:
        raise NotFound(f"no certificate {certificate_id!r} on this node")
    entities = [certificate_id]
    entities += [m["message_id"] for m in rows["messages_sent"] + rows["messages_received"]]
    entities += [c["id"] for c in rows["verification_cases"]]
    entities += [d["id"] for d in rows["claims"]]
    rows["audit"] = tx.records.audit_of(entities)
    rows["audit_head"] = tx.records.audit_head()
    return rows


def seal(node: Node, content: dict[str, Any]) -> dict[str, Any]:
    """``content`` as a signed bundle (the node's key)."""
    payload = canonical_bytes(content)
    signature = sign_detached(
        payload,
        node.require_gateway(),
        extra_headers={"typ": TYP, "sigT": format_signing_time(node.now())},
    )
    return {
        "format": FORMAT,
        "node": node.identity.participant_id,
        "country": node.identity.country,
        "certificate_id": content["certificate"]["id"],
        "created_at": node.now().isoformat(),
        "content_digest": hashlib.sha256(payload).hexdigest(),
        "signature": signature,
        "content": content,
    }


def build(node: Node, actor: Actor, certificate_id: str) -> dict[str, Any]:
    """The signed evidence bundle of one CO (administrators and officers)."""
    actor.require(Permission.AUDIT_READ)
    with node.store.read() as tx:
        content = gather(tx, certificate_id)
    return seal(node, content)


@dataclass
class BundleReport:
    """What :func:`verify_bundle` found: each check with ``ok`` or why it failed."""

    checks: dict[str, str] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return all(v == "ok" for v in self.checks.values())

    def as_dict(self) -> dict[str, Any]:
        return {"ok": self.ok, "checks": self.checks}


def verify_bundle(bundle: Any, *, trust: TrustStore | None = None) -> BundleReport:
    """Check a bundle offline (see the module docstring); never raises for a bad bundle."""
    if not isinstance(bundle, dict) or bundle.get("format") != FORMAT:
        raise InputError(f"not an evidence bundle: 'format' is not {FORMAT!r}")
    content = bundle.get("content")
    if not isinstance(content, dict) or not isinstance(content.get("certificate"), dict):
        raise InputError("the bundle has no 'content' with a 'certificate'")
    report = BundleReport()
    payload = canonical_bytes(content)
    digest = hashlib.sha256(payload).hexdigest()
    report.checks["content_digest"] = (
        "ok" if digest == bundle.get("content_digest") else f"content hashes to {digest}"
    )
    report.checks["node_signature"] = _check(
        lambda: _signature(str(bundle.get("signature", "")), payload, TYP, trust)
    )
    report.checks["certificate_signature"] = _check(lambda: _co_signature(content, trust))
    report.checks["audit_records"] = _check(lambda: _audit(content.get("audit") or []))
    return report


def _check(run: Any) -> str:
    try:
        run()
    except (TrustError, InputError) as exc:
        return exc.one_line()
    except (KeyError, TypeError, ValueError) as exc:
        return f"malformed: {type(exc).__name__}: {exc}"
    return "ok"


def _signature(token: str, payload: bytes, typ: str | None, trust: TrustStore | None) -> None:
    verified = verify_detached(token, payload, expected_type=typ)
    if trust is None:
        return
    trust.chain_path(verified.chain)
    listed = trust.listing(verified.leaf.sha256)
    if listed is None:
        raise TrustError(
            f"the signer {verified.leaf.sha256[:16]}… is in no accepted trust list",
            code="SIG_NOT_LISTED",
        )
    if listed.entry.revoked_by(trust.now()):
        raise TrustError("the signer's certificate is revoked", code="SIG_REVOKED")


def _co_signature(content: dict[str, Any], trust: TrustStore | None) -> None:
    document = loads_bounded(str(content["certificate"]["document"]), what="the stored CO")
    doc = CODocument.model_validate(document)
    block = doc.signatures.issuing_authority if doc.signatures else None
    if block is None:
        raise InputError("the CO carries no issuing-authority signature")
    _signature(block.value, certificate_canonical_bytes(doc.certificate), None, trust)


def _audit(records: list[dict[str, Any]]) -> None:
    for record in records:
        body = {**record, "at": datetime.fromisoformat(str(record["at"]))}
        if record_hash(body, str(record["prev_hash"])) != record["hash"]:
            raise InputError(f"audit record {record['seq']} does not hash to its stored hash")
