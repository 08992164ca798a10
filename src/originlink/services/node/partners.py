"""Partners (P12): who this node exchanges with, from their signed trust lists."""

from __future__ import annotations

import threading
import time
from datetime import datetime
from weakref import WeakKeyDictionary

from originlink.domain.authz import Actor, Permission
from originlink.domain.errors import Conflict, InputError, NotFound
from originlink.formats.registry import FORMATS
from originlink.services.context import Node
from originlink.services.node.endpoints import normalise_endpoint, probe_endpoint
from originlink.store.repos.partners import MODELS, PartnerRecord


def add_partner(
    node: Node,
    actor: Actor,
    *,
    signed_trust_list: bytes | None = None,
    participant_id: str | None = None,
    model: str,
    endpoint: str | None = None,
    agreements: list[str] | None = None,
    payload_format: str = "canonical",
    hub: str | None = None,
    poll: bool = False,
) -> PartnerRecord:
    """Import the partner's trust list (checked against pinned roots or its previous list) and
    record how to exchange with it. Agreements default to those both sides list."""
    record, _ = add_partner_checked(
        node,
        actor,
        signed_trust_list=signed_trust_list,
        participant_id=participant_id,
        model=model,
        endpoint=endpoint,
        agreements=agreements,
        payload_format=payload_format,
        hub=hub,
        poll=poll,
        check=False,
    )
    return record


def add_partner_checked(
    node: Node,
    actor: Actor,
    *,
    signed_trust_list: bytes | None = None,
    participant_id: str | None = None,
    model: str,
    endpoint: str | None = None,
    agreements: list[str] | None = None,
    payload_format: str = "canonical",
    hub: str | None = None,
    poll: bool = False,
    check: bool = True,
) -> tuple[PartnerRecord, str | None]:
    """:func:`add_partner`, the endpoint read in any of its written forms and, with ``check``,
    tested first (:func:`~originlink.services.node.endpoints.probe_endpoint`): a wrong endpoint
    is refused and nothing is saved. Returns the partner and what the test found."""
    actor.require(Permission.PARTNER_MANAGE)
    if model not in MODELS:
        raise InputError(f"unknown exchange model {model!r}; models: {', '.join(MODELS)}")
    if payload_format not in FORMATS:
        raise InputError(
            f"unknown payload format {payload_format!r}; formats: {', '.join(FORMATS)}"
        )
    trust = node.require_trust()
    if signed_trust_list is not None:
        trust_list = trust.import_list(signed_trust_list)
    elif participant_id is not None:
        found = trust.participant(participant_id)
        if found is None:
            raise NotFound(f"no trust list of {participant_id} has been imported")
        trust_list = found
    else:
        raise InputError("give the partner's signed trust list (or the id of one imported)")
    if trust_list.participant_id == node.identity.participant_id:
        raise Conflict("a node is not its own partner")
    shared = [
        a
        for a in trust_list.agreements
        if not node.identity.agreements or a in node.identity.agreements
    ]
    chosen = list(agreements) if agreements else shared
    not_shared = [a for a in chosen if a not in trust_list.agreements]
    if not_shared:
        raise Conflict(
            f"{trust_list.participant_id}'s trust list does not list {', '.join(not_shared)}"
        )
    for code in chosen:
        node.profiles.require(code)
    written = endpoint or trust_list.endpoints.get("g2g")
    url = normalise_endpoint(written) if written else None
    connection = (
        probe_endpoint(node, trust_list.participant_id, url)
        if check and url and model != "hub"
        else None
    )
    now: datetime = node.now()
    with node.store.transaction() as tx:
        repo = tx.partners
        if model == "hub":
            if not hub:
                raise InputError("a partner reached through a hub needs --hub HUB_ID")
            hub_record = repo.get(hub)
            if hub_record is None or not hub_record.endpoint:
                raise NotFound(f"add the hub {hub} as a partner with its endpoint first")
        elif model in {"push", "hybrid"} and not url:
            raise InputError(f"{trust_list.participant_id} lists no g2g endpoint: give --endpoint")
        previous = repo.get(trust_list.participant_id)
        record = PartnerRecord(
            participant_id=trust_list.participant_id,
            name=trust_list.name,
            country=trust_list.country,
            model=model,
            endpoint=url,
            hub=hub,
            agreements=tuple(chosen),
            payload_format=payload_format,
            poll=poll,
            cursor=previous.cursor if previous else 0,
            created_at=previous.created_at if previous else now,
            updated_at=now,
        )
        repo.upsert(record)
        tx.audit.append(
            at=now,
            actor=actor.label,
            action="partner.add",
            entity_type="partner",
            entity_id=record.participant_id,
            before=previous.as_dict() if previous else None,
            after=record.as_dict(),
            details={"via": actor.via, **({"connection": connection} if connection else {})},
        )
    forget_partners(node)
    return record, connection


def list_partners(node: Node, actor: Actor) -> list[PartnerRecord]:
    actor.require(Permission.MESSAGE_READ)
    with node.store.read() as tx:
        return tx.partners.all()


def remove_partner(node: Node, actor: Actor, participant_id: str) -> None:
    actor.require(Permission.PARTNER_MANAGE)
    with node.store.transaction() as tx:
        repo = tx.partners
        previous = repo.get(participant_id)
        if previous is None:
            raise NotFound(f"{participant_id} is not a partner")
        repo.remove(participant_id)
        tx.audit.append(
            at=node.now(),
            actor=actor.label,
            action="partner.remove",
            entity_type="partner",
            entity_id=participant_id,
            before=previous.as_dict(),
            details={"via": actor.via},
        )
    forget_partners(node)


#: How long a node trusts its in-memory copy of the partner table. Partner changes made in this
#: process take effect at once; changes made by another process (the CLI beside a running
#: server) within this many seconds.
CACHE_SECONDS = 2.0
#: Per store object (weakly held: a disposed store's table goes with it, and a new store never
#: inherits it through a reused ``id``).
_CACHE: WeakKeyDictionary[object, tuple[float, dict[str, PartnerRecord]]] = WeakKeyDictionary()
_CACHE_LOCK = threading.Lock()


def cached_partners(node: Node) -> dict[str, PartnerRecord]:
    """The partner table, read at most every :data:`CACHE_SECONDS` (every message needs it)."""
    key: object = node.store
    now = time.monotonic()
    with _CACHE_LOCK:
        entry = _CACHE.get(key)
        if entry is not None and entry[0] > now:
            return entry[1]
    with node.store.read() as tx:
        table = {p.participant_id: p for p in tx.partners.all()}
    with _CACHE_LOCK:
        _CACHE[key] = (now + CACHE_SECONDS, table)
    return table


def forget_partners(node: Node) -> None:
    with _CACHE_LOCK:
        _CACHE.pop(node.store, None)
