"""Receiving a message (P2, P3): authenticate, check, apply once, answer with a signed receipt.

Order of checks, each failure answered with a signed ``NOT_READABLE`` receipt carrying its code:

1. size (``INPUT_TOO_LARGE``, 413);
2. the HTTP request signature: known key, inside the replay window, nonce not seen
   (``HTTPSIG_*``, 401);
3. the message shape (``INPUT_UNREADABLE``, 400);
4. the envelope: payload digest, JWS, signer listed by the sender (``MSG_*``, 401);
5. the envelope is for this node (``MSG_NOT_FOR_US``, 421); the caller is the sender or the hub
   the sender is reached through (``MSG_RELAY_NOT_ALLOWED``, 403); the sender is a partner
   (``UNKNOWN_SENDER``, 403) sharing the agreement (``AGREEMENT_NOT_SHARED``, 403).

Until step 4 passes the request is kept in the refused-traffic log only. After it, the message is
idempotent on ``message_id``: the first outcome (positive or not) is stored in the inbox with its
receipt in the same transaction as its effect, and every duplicate gets that same receipt back
and causes nothing.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

from originlink.domain.errors import (
    AlreadyStored,
    InputError,
    PermanentError,
    RetryableError,
    TrustError,
    ValidationFailed,
)
from originlink.domain.messages import CO_MESSAGES
from originlink.domain.safejson import compact_json
from originlink.exchange.envelopes import verify_message
from originlink.exchange.httpsig import NonceCache, signature_key_id, verify_request
from originlink.exchange.wire import (
    WireMessage,
    decode_message,
    is_batch,
    parse_body,
)
from originlink.services.context import Node
from originlink.services.messaging.handlers import Inbound
from originlink.services.messaging.receipts import (
    STATUS_FOR_CODE,
    Answer,
    duplicate_answer,
    inbox_row,
    not_readable,
    receipt_for,
    refuse,
    with_replies,
)
from originlink.services.node.checkpoints import keep_from_envelope
from originlink.services.node.partners import cached_partners

log = logging.getLogger("originlink.inbound")
_NONCES: dict[int, NonceCache] = {}


def nonce_cache(node: Node) -> NonceCache:
    cache = _NONCES.get(id(node))
    if cache is None:
        # a signature dated up to the allowed skew ahead stays acceptable that much longer
        cache = _NONCES[id(node)] = NonceCache(
            node.settings.replay_window + node.settings.clock_skew, state=node.shared_state
        )
    return cache


def key_lookup(node: Node) -> Any:
    """``keyid`` → (public key, participant) for keys listed, valid and not revoked now."""
    trust = node.require_trust()

    def lookup(key_id: str) -> tuple[Any, str] | None:
        listed = trust.listing(key_id)
        if listed is None:
            return None
        now = node.now()
        if listed.entry.revoked_by(now) or not listed.info.valid_at(now):
            return None
        return listed.info.certificate.public_key(), listed.participant.participant_id

    return lookup


def receive(
    node: Node,
    *,
    method: str,
    url: str,
    headers: list[tuple[str, str]],
    body: bytes,
    remote: str | None = None,
) -> Answer:
    """Handle ``POST /g2g/v1/messages``."""
    return handle_post(
        node, method=method, url=url, headers=headers, body=body, remote=remote, each=_receive_one
    )


def check_before_reading(
    node: Node,
    headers: list[tuple[str, str]],
    *,
    method: str,
    remote: str | None,
    declared_bytes: int,
) -> tuple[Answer | None, str | None]:
    """Before a request's body is read: its signature must name (``keyid``) a key the trust
    lists hold, valid and not revoked, so that noise never costs the reading of its body.
    Returns (the refusal of a POST, None) or (None, the participant the key belongs to, or
    None for a request without a body, which its route authenticates); the signature itself
    is verified once the body is read (:func:`handle_post`)."""
    try:
        key_id = signature_key_id(headers)
    except TrustError as exc:
        code, detail = exc.code, exc.detail
    else:
        found = key_lookup(node)(key_id)
        if found is not None:
            return None, found[1]
        code, detail = "HTTPSIG_UNKNOWN_KEY", f"key {key_id[:80]} is not in any trusted trust list"
    if method != "POST":
        return None, None
    refusal = refuse(
        node,
        code=code,
        detail=f"{detail} (refused before reading the body)",
        body=b"",
        body_bytes=declared_bytes,
        status=401,
        remote=remote,
    )
    return refusal, None


#: Messages of a batch applied per transaction. One commit then serves several messages,
#: and the write lock is still held for a few milliseconds at a time, not for the whole batch
#: (whose COs are each validated and stored), so other requests do not queue behind it.
APPLY_CHUNK = 5

#: A message's answer, or the step that applies it and gives its answer.
Staged = Answer | Callable[[], Answer]
#: What a node does with one message object of an authenticated request: decode and check it,
#: then answer at once (a refusal) or hand back the step that applies it. The checks (the
#: signatures above all) run before the request's transaction opens, so that it holds the
#: write lock only while the messages are applied.
PerMessage = Callable[[Node, Any, str, bytes, "str | None"], Staged]


def _answer(staged: Staged) -> Answer:
    return staged() if callable(staged) else staged


def handle_post(
    node: Node,
    *,
    method: str,
    url: str,
    headers: list[tuple[str, str]],
    body: bytes,
    remote: str | None,
    each: PerMessage,
) -> Answer:
    """The part of ``POST /g2g/v1/messages`` a gateway and a hub share: bound the body,
    authenticate the caller (RFC 9421), split a batch, answer one receipt per message."""
    limit = node.settings.max_message_bytes
    if len(body) > limit:
        return refuse(
            node,
            code="INPUT_TOO_LARGE",
            detail=f"the message is {len(body):,} bytes; the limit is {limit:,}",
            body=body[:300],
            body_bytes=len(body),
            status=413,
            remote=remote,
        )
    try:
        caller = verify_request(
            method=method,
            url=url,
            headers=headers,
            body=body,
            lookup=key_lookup(node),
            now=node.now(),
            nonces=nonce_cache(node),
            window=node.settings.replay_window,
        )
    except TrustError as exc:
        return refuse(node, code=exc.code, detail=exc.detail, body=body, status=401, remote=remote)
    try:
        items = parse_body(body, max_bytes=limit)
    except InputError as exc:
        return refuse(
            node,
            code=exc.code,
            detail=exc.detail,
            body=body,
            status=STATUS_FOR_CODE.get(exc.code, 400),
            caller=caller.participant,
            remote=remote,
        )
    if not is_batch(body):
        return _answer(each(node, items[0], caller.participant, body, remote))
    staged = [each(node, item, caller.participant, body, remote) for item in items]
    answers: list[Answer] = []
    for start in range(0, len(staged), APPLY_CHUNK):  # each message is still on its own
        with node.store.batch():
            answers += [_answer(step) for step in staged[start : start + APPLY_CHUNK]]
    receipts = [json.loads(answer.body) for answer in answers]
    return Answer(200, compact_json({"receipts": receipts}))


def _receive_one(node: Node, item: Any, caller: str, body: bytes, remote: str | None) -> Staged:
    try:
        message = decode_message(item)
    except InputError as exc:
        return refuse(
            node,
            code=exc.code,
            detail=exc.detail,
            body=body,
            status=STATUS_FOR_CODE.get(exc.code, 400),
            caller=caller,
            remote=remote,
        )
    problem = check_message(node, message, caller)
    if problem is not None:
        code, detail, status = problem
        return refuse(
            node,
            code=code,
            detail=detail,
            body=body,
            status=status,
            caller=caller,
            envelope=message.envelope,
            remote=remote,
        )
    return lambda: apply_message(node, message, caller=caller)


def check_message(node: Node, message: WireMessage, caller: str) -> tuple[str, str, int] | None:
    """Steps 4 and 5; None when the message may be applied."""
    envelope = message.envelope
    try:
        verify_message(message, node.require_trust(), now=node.now())
    except TrustError as exc:
        return exc.code, exc.detail, 401
    if envelope.recipient != node.identity.participant_id:
        return (
            "MSG_NOT_FOR_US",
            f"the message is for {envelope.recipient}, this node is {node.identity.participant_id}",
            421,
        )
    partner = cached_partners(node).get(envelope.sender)
    if partner is None:
        return (
            "UNKNOWN_SENDER",
            f"{envelope.sender} is trusted but is not a partner of this node",
            403,
        )
    if caller != envelope.sender and not (partner.model == "hub" and partner.hub == caller):
        return (
            "MSG_RELAY_NOT_ALLOWED",
            f"{caller} may not deliver messages from {envelope.sender}",
            403,
        )
    if envelope.message_type in CO_MESSAGES or envelope.agreement:
        if not envelope.agreement:
            return ("AGREEMENT_NOT_SHARED", "a CO message must name its agreement", 403)
        if envelope.agreement not in partner.agreements:
            return (
                "AGREEMENT_NOT_SHARED",
                f"this node does not exchange under {envelope.agreement} with {envelope.sender}",
                403,
            )
    return None


def apply_message(node: Node, message: WireMessage, *, caller: str, via: str = "push") -> Answer:
    """Apply an authenticated message exactly once and answer with its receipt."""
    envelope = message.envelope
    message_id = str(envelope.message_id)
    inbound = Inbound(
        envelope, message.payload, caller, inline=via == "push" and caller == envelope.sender
    )
    handler = node.handlers.get(envelope.message_type)
    try:
        with node.store.transaction() as tx:
            inbox = tx.inbox
            stored = inbox.get(message_id)
            if stored is not None:
                return duplicate_answer(stored)
            if handler is None:
                raise InputError(
                    f"this node does not handle {envelope.message_type.value} messages",
                    code_override="MSG_TYPE_NOT_HANDLED",
                )
            result = handler(tx, node, inbound)
            keep_from_envelope(tx, node, envelope)
            receipt = receipt_for(node, envelope, result, via)
            inbox.add(
                inbox_row(
                    node,
                    message,
                    status=result.status,
                    receipt=receipt,
                    certificate_id=result.certificate_id,
                    code=result.code,
                    response=result.response,
                    loss=result.loss_report,
                    replies=result.replies,
                )
            )
            tx.audit.append(
                at=node.now(),
                actor=f"partner:{envelope.sender}",
                action=f"message.receive.{envelope.message_type.value}",
                entity_type="message",
                entity_id=message_id,
                details={
                    "via": via,
                    "caller": caller,
                    "status": result.status,
                    "certificate_id": result.certificate_id,
                },
            )
        if receipt is None:
            return Answer(200, b"{}")
        return Answer(200, with_replies(receipt.to_json(), result.replies))
    except AlreadyStored:
        with node.store.read() as tx:
            stored = tx.inbox.get(message_id)
        if stored is None:
            raise
        return duplicate_answer(stored)
    except (InputError, ValidationFailed) as exc:
        code = exc.extra.get("code_override") or exc.code
        return not_readable(
            node,
            message,
            code=str(code),
            detail=exc.detail,
            findings=getattr(exc, "findings", None),
        )
    except TrustError as exc:
        return not_readable(node, message, code=exc.code, detail=exc.detail, findings=None)
    except RetryableError:
        raise
    except PermanentError as exc:
        return not_readable(node, message, code=exc.code, detail=exc.detail, findings=None)
