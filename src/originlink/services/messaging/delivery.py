"""The delivery worker: sends queued messages, retries with back-off, gives up into DEAD.

Each round claims due messages (a lease, see :mod:`originlink.store.repos.outbox`), sends them
concurrently through the transport, and records the outcome only while still holding the claim:

* the partner's signed receipt says DELIVERED, DELIVERED_WITH_WARNINGS or DUPLICATE → DELIVERED
  (a business response may already have moved the message further; that is kept);
* the receipt says NOT_READABLE, or the partner refuses with 4xx → DEAD at once (retrying the
  same bytes cannot succeed), with the partner's code in ``last_error``;
* the partner cannot be reached, times out or answers 5xx/429 → RETRYING after an exponential
  back-off with full jitter, and DEAD when the retry budget is spent. A DEAD message can be
  queued again by hand (``originlink messages resend``), with the same message id.

A worker killed mid-send leaves its claim to expire; the next worker sends again with the same
message id and the receiver answers DUPLICATE without a second effect. The same round also
pulls what hybrid notifications announced and polls the mailboxes of partners marked ``poll``.
"""

from __future__ import annotations

import json
import logging
import random
import socket
import threading
import uuid
from base64 import b64encode
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from tenacity import RetryError

from originlink.domain.errors import (
    InputError,
    OriginLinkError,
    PartnerTimeout,
    PartnerUnavailable,
)
from originlink.domain.safejson import compact_json, loads_bounded
from originlink.exchange.transport import Transport
from originlink.exchange.wire import MAX_MESSAGE_BYTES, WireMessage, decode_message
from originlink.services.context import Node
from originlink.services.messaging import backoff
from originlink.services.messaging.delivery_outcomes import (
    RetryPolicy,
    SendOutcome,
    endpoint_of,
    read_receipt,
)
from originlink.store.repos.outbox import OutboxMessage

log = logging.getLogger("originlink.delivery")

#: How often a running worker records that it is alive (``/health/ready`` reads it).
HEARTBEAT_EVERY = timedelta(seconds=10)
#: Most messages in one request to a partner, and a bound on the request's size.
BATCH_SIZE = 20
BATCH_BYTES = 4 * 1024 * 1024


class DeliveryWorker:
    """One worker; several may run at once, in one process or many."""

    def __init__(
        self,
        node: Node,
        transport: Transport,
        *,
        worker_id: str | None = None,
        batch: int = 160,
        concurrency: int = 8,
        senders: int = 4,
        lease: timedelta | None = None,
        policy: RetryPolicy | None = None,
        rng: random.Random | None = None,
        max_backoff: float = 60.0,
    ) -> None:
        self.node = node
        self.transport = transport
        self.worker_id = worker_id or f"worker-{uuid.uuid4().hex[:8]}"
        self.batch = batch
        self.senders = senders
        self.lease = lease or node.settings.delivery_lease
        self.policy = policy or RetryPolicy()
        self.rng = rng or random.Random()  # noqa: S311 - jitter, not secrets
        self.max_backoff = max_backoff
        self._last_beat: datetime | None = None
        self._pool = ThreadPoolExecutor(max_workers=concurrency, thread_name_prefix=self.worker_id)
        self.wake = threading.Event()
        self.extra_tasks: list[Callable[[], int]] = []

    # --- one round ----------------------------------------------------------------------------

    def run_once(self) -> int:
        """Send what is due (in batches, one request per partner endpoint and up to
        :data:`BATCH_SIZE` messages); run the other periodic tasks; return the work done."""
        now = self.node.now()
        with self.node.store.transaction() as tx:
            claimed = tx.outbox.claim_due(
                now=now, worker=self.worker_id, lease_until=now + self.lease, limit=self.batch
            )
        if claimed:
            list(self._pool.map(self._deliver_batch, self._batches(claimed)))
        return len(claimed) + self._run_tasks()

    def _run_tasks(self) -> int:
        """The periodic tasks, unless another instance holds the node-wide lock for them."""
        done = 0
        with self.node.store.exclusive("periodic") as mine:
            for task in self.extra_tasks if mine else ():
                try:
                    done += task()
                except OriginLinkError as exc:
                    log.warning("periodic task failed: %s", exc.one_line())
        return done

    def _batches(
        self, claimed: list[OutboxMessage]
    ) -> list[tuple[str | None, list[OutboxMessage]]]:
        """Claimed messages grouped by the endpoint they go to, in bounded batches."""
        groups: dict[str | None, list[OutboxMessage]] = {}
        with self.node.store.read() as tx:
            partners = {p.participant_id: p for p in tx.partners.all()}
        for message in claimed:
            try:
                endpoint: str | None = endpoint_of(partners, message)
            except PartnerUnavailable as exc:
                self._record(message, self._retry_or_die(message, exc.detail))
                continue
            groups.setdefault(endpoint, []).append(message)
        batches: list[tuple[str | None, list[OutboxMessage]]] = []
        for endpoint, messages in groups.items():
            current: list[OutboxMessage] = []
            size = 0
            for message in messages:
                weight = len(message.payload) * 4 // 3 + len(message.envelope) + 64
                if current and (len(current) >= BATCH_SIZE or size + weight > BATCH_BYTES):
                    batches.append((endpoint, current))
                    current, size = [], 0
                current.append(message)
                size += weight
            if current:
                batches.append((endpoint, current))
        return batches

    def drain(self, *, max_rounds: int = 1000) -> int:
        """Run rounds until one finds nothing to do (tests and the demo)."""
        total = 0
        for _ in range(max_rounds):
            done = self.run_once()
            total += done
            if done == 0:
                return total
        return total

    def run_forever(self, stop: threading.Event, *, idle: float = 1.0) -> None:
        """Run until ``stop``: several sender loops keep requests to partners in flight at
        once (each claims a batch, sends it, records it, claims again), so the two gateways
        work in parallel instead of taking turns; this thread beats the heartbeat and runs
        the periodic tasks, in one instance of the node at a time (see :meth:`periodic`).

        An idle loop waits ``idle`` seconds (at least one) between looks unless woken (a
        message queued in this process); a failing database is retried with exponential
        back-off and jitter (tenacity), one log line per step."""
        idle = max(1.0, idle)
        senders = [
            threading.Thread(
                target=self._sender_loop,
                args=(stop, idle),
                name=f"{self.worker_id}-sender-{n}",
                daemon=True,
            )
            for n in range(self.senders)
        ]
        senders.append(
            threading.Thread(
                target=self.node.store.watch,
                args=(self.wake.set, stop),
                name=f"{self.worker_id}-watch",
                daemon=True,
            )
        )
        for thread in senders:
            thread.start()
        retrying = backoff.retrying(stop, "periodic work", max_wait=self.max_backoff)
        while not stop.is_set():
            try:
                retrying(self.periodic)
            except RetryError:
                break
            stop.wait(idle)
        self.wake.set()
        for thread in senders:
            thread.join(timeout=30)

    def periodic(self) -> int:
        """Beat the heartbeat, then run the periodic tasks (deadlines, pulls, polling) if no
        other instance is running them: a node-wide lock (a PostgreSQL advisory lock) makes
        sure they never run twice at once."""
        now = self.node.now()
        if self._last_beat is None or now - self._last_beat >= HEARTBEAT_EVERY:
            with self.node.store.transaction() as tx:
                tx.operations.beat(self.worker_id, socket.gethostname(), now)
            self._last_beat = now
        return self._run_tasks()

    def send_round(self) -> int:
        """One round of a sender loop: claim a batch of what is due and send it. Returns how
        many messages were claimed; an idle round costs one read and takes no write lock."""
        now = self.node.now()
        with self.node.store.read() as tx:
            due = tx.outbox.any_due(now)
        if not due:  # only then take the write lock (other processes share the database)
            return 0
        with self.node.store.transaction() as tx:
            claimed = tx.outbox.claim_due(
                now=now, worker=self.worker_id, lease_until=now + self.lease, limit=BATCH_SIZE
            )
        for batch in self._batches(claimed):
            self._deliver_batch(batch)
        return len(claimed)

    def _sender_loop(self, stop: threading.Event, idle: float) -> None:
        retrying = backoff.retrying(stop, "delivery round", max_wait=self.max_backoff)
        while not stop.is_set():
            try:
                claimed = retrying(self.send_round)
            except RetryError:
                return
            if not claimed:
                # woken at once by a message queued in this process; one queued by another
                # process (the CLI, another instance) is found at the next look
                self.wake.wait(idle)
                self.wake.clear()

    def close(self) -> None:
        self._pool.shutdown(wait=True)

    # --- one batch ----------------------------------------------------------------------------

    def _deliver_batch(self, batch: tuple[str | None, list[OutboxMessage]]) -> None:
        endpoint, messages = batch
        try:
            outcomes = self._send(endpoint or "", messages)
        except (PartnerUnavailable, PartnerTimeout) as exc:
            outcomes = [self._retry_or_die(m, exc.detail) for m in messages]
        except Exception as exc:  # never lose a message to a bug: retry later, logged
            log.exception("sending %d message(s) to %s failed", len(messages), endpoint)
            outcomes = [self._retry_or_die(m, f"{type(exc).__name__}: {exc}") for m in messages]
        results = list(zip(messages, outcomes, strict=True))
        replies = self._checked_replies(results)  # signatures checked before the lock is taken
        with self.node.store.batch():  # the replies and the outcomes commit together
            self._apply_replies(replies)
            self._record_all(results)

    def _send(self, endpoint: str, messages: list[OutboxMessage]) -> list[SendOutcome]:
        items = [
            {"envelope": json.loads(m.envelope), "payload": b64encode(m.payload).decode()}
            for m in messages
        ]
        single = len(items) == 1
        body = compact_json(items[0] if single else {"messages": items})
        url = endpoint.rstrip("/") + "/g2g/v1/messages"
        response = self.transport.request("POST", url, body)
        try:
            data = loads_bounded(response.body, max_bytes=MAX_MESSAGE_BYTES, what="answer")
        except InputError:
            data = None
        if single or not (isinstance(data, dict) and isinstance(data.get("receipts"), list)):
            if not single and response.status < 400:
                raise PartnerUnavailable(f"{url} answered a batch without receipts")
            receipt = read_receipt(self.node, data, url, response.status, messages[0].message_id)
            if not single:  # the whole batch was refused (e.g. our request signature)
                return [receipt for _ in messages]
            return [receipt]
        receipts = data["receipts"]
        if len(receipts) != len(messages):
            raise PartnerUnavailable(
                f"{url} answered {len(receipts)} receipts for {len(messages)} messages"
            )
        return [
            read_receipt(self.node, r, url, 200, m.message_id)
            for r, m in zip(receipts, messages, strict=True)
        ]

    def _checked_replies(
        self, results: list[tuple[OutboxMessage, SendOutcome]]
    ) -> list[tuple[WireMessage, str]]:
        """The answers that came inside the HTTP answer (business responses), each checked
        like any message from that partner; what fails is logged and left out."""
        from originlink.services.messaging.inbound import check_message

        checked = []
        for message, outcome in results:
            for data in outcome.replies:
                try:
                    reply = decode_message(data)
                except InputError as exc:
                    log.warning("unreadable reply from %s: %s", message.recipient, exc.detail)
                    continue
                problem = check_message(self.node, reply, message.recipient)
                if problem is not None:
                    log.warning("reply from %s refused: %s", message.recipient, problem[1])
                    continue
                checked.append((reply, message.recipient))
        return checked

    def _apply_replies(self, replies: list[tuple[WireMessage, str]]) -> None:
        """Apply the checked replies, before the deliveries they answer are recorded."""
        from originlink.services.messaging.inbound import apply_message

        for reply, sender in replies:
            apply_message(self.node, reply, caller=sender, via="reply")

    def _retry_or_die(self, message: OutboxMessage, error: str) -> SendOutcome:
        if message.attempts + 1 >= self.policy.max_attempts:
            return SendOutcome("DEAD", f"gave up after {message.attempts + 1} attempts: {error}")
        return SendOutcome("RETRYING", error)

    def _record(self, message: OutboxMessage, outcome: SendOutcome) -> None:
        self._record_all([(message, outcome)])

    def _record_all(self, results: list[tuple[OutboxMessage, SendOutcome]]) -> None:
        """Record the outcomes of one batch in one transaction, each only while this worker
        still holds the message's claim."""
        now = self.node.now()
        with self.node.store.transaction() as tx:
            outbox = tx.outbox
            for message, outcome in results:
                values: dict[str, Any] = {
                    "status": outcome.status,
                    "attempts": message.attempts + 1,
                    "last_error": outcome.error,
                    "updated_at": now,
                    "claimed_by": None,
                    "claimed_until": None,
                }
                if outcome.receipt is not None:
                    values["receipt"] = outcome.receipt
                if outcome.status == "RETRYING":
                    values["next_attempt_at"] = now + self.policy.delay(message.attempts, self.rng)
                moved = outbox.update(
                    message.message_id, expect_claimed_by=self.worker_id, **values
                )
                if not moved and outcome.status == "DELIVERED":
                    # decided meanwhile by its business response: keep that status
                    del values["status"]
                    outbox.release(message.message_id, self.worker_id, **values)
                if moved and outcome.status in {"DELIVERED", "DEAD"}:
                    tx.audit.append(
                        at=now,
                        actor=f"gateway:{self.node.identity.participant_id}",
                        action=f"message.{outcome.status.lower()}",
                        entity_type="message",
                        entity_id=message.message_id,
                        details={
                            "recipient": message.recipient,
                            "attempts": message.attempts + 1,
                            "error": outcome.error,
                        },
                    )
            tx.after_commit(lambda: self._after_recorded(results))

    def _after_recorded(self, results: list[tuple[OutboxMessage, SendOutcome]]) -> None:
        """Once the outcomes are committed (with the batch they are part of, if any)."""
        retrying: dict[str, list[tuple[OutboxMessage, SendOutcome]]] = {}
        for message, outcome in results:
            if outcome.status == "DELIVERED" and outcome.wire is not None:
                for hook in self.node.hooks.on_delivered:
                    hook(self.node, message, outcome.wire)
            if outcome.status == "RETRYING":
                retrying.setdefault(message.recipient, []).append((message, outcome))
        for recipient, failed in retrying.items():
            # one line per partner and back-off step, not one per message
            first, outcome = failed[0]
            log.warning(
                "partner %s: %d message(s) to retry after attempt %d (%s)",
                recipient,
                len(failed),
                first.attempts + 1,
                outcome.error,
                extra={"message_id": first.message_id},
            )


def worker_for(node: Node, *, worker_id: str | None = None, **options: Any) -> DeliveryWorker:
    """The node's worker, running the node's periodic tasks every round (pulling what hybrid
    notifications announced, polling partners' mailboxes, verification deadlines: the list
    the composition root made, ``node.hooks.periodic``)."""
    worker = DeliveryWorker(node, node.require_transport(), worker_id=worker_id, **options)
    worker.extra_tasks.extend(partial(task, node) for task in node.hooks.periodic)
    return worker
