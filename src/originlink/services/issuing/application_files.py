"""Applications from a file or from an issued CO, and live checks of a draft (P1, P7, for the
exporter's pages).

An exporter may upload a CO document in any format the node reads (the canonical JSON, UBL,
UN/CEFACT edi3, ALADI COD, OpenAttestation, IGL: :func:`originlink.formats.read_document`
detects which). It is read leniently, the issuing authority's and gateway's members are
dropped (the issuer fills them at issuance), and it becomes a DRAFT like one typed in: the
reader's findings (what the format lost or could not read) come back with the draft's own, so
the page can show each next to the field it concerns.

:func:`check_draft` validates an application's content without storing anything, so a form can
say what is missing while it is being filled.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from originlink.domain.authz import Actor, Permission
from originlink.domain.dataset import Status, exporter_signed_view
from originlink.domain.errors import InputError, InputTooLarge
from originlink.formats import read_document
from originlink.services.context import Node
from originlink.services.issuing.applications import (
    check_application,
    create_application,
    normalise_content,
)
from originlink.services.issuing.certificates import get_record
from originlink.store.repos.applications import ApplicationRecord


@dataclass(frozen=True, slots=True)
class FileApplication:
    """The draft made from a file, the format it was read as, and the reader's findings."""

    application: ApplicationRecord
    format: str
    reading_findings: list[dict[str, Any]]


def create_from_file(
    node: Node,
    actor: Actor,
    data: bytes,
    *,
    filename: str = "",
    kind: str = "new",
    related_certificate_id: str | None = None,
) -> FileApplication:
    """A DRAFT application from an uploaded CO document (any format the node reads)."""
    actor.require(Permission.APPLICATION_WRITE)
    if len(data) > node.settings.max_document_bytes:
        raise InputTooLarge(
            f"{filename or 'the file'} has {len(data)} bytes; the node takes at most "
            f"{node.settings.max_document_bytes}"
        )
    if not data.strip():
        raise InputError(f"{filename or 'the file'} is empty")
    reading = read_document(data, profiles=node.profiles)
    certificate = reading.document.get("certificate")
    if not isinstance(certificate, dict):
        raise InputError(
            f"{filename or 'the file'} holds no certificate of origin the node can read "
            f"(read as {reading.format})"
        )
    content = {"certificate": exporter_signed_view(certificate)}
    record = create_application(
        node, actor, content, kind=kind, related_certificate_id=related_certificate_id
    )
    findings = [f.as_dict() for f in reading.locate(reading.findings) if f.area == "reading"]
    return FileApplication(record, reading.format, findings)


def request_replacement(node: Node, actor: Actor, certificate_id: str) -> ApplicationRecord:
    """P7: a DRAFT application to replace one of the exporter's ISSUED COs, starting from the
    original's content (the exporter corrects what was wrong, then submits)."""
    actor.require(Permission.APPLICATION_WRITE)
    original = get_record(node, actor, certificate_id)
    content = {"certificate": exporter_signed_view(original.document_dict()["certificate"])}
    return create_application(
        node, actor, content, kind="replacement", related_certificate_id=certificate_id
    )


def check_draft(node: Node, actor: Actor, content: Any) -> list[dict[str, Any]]:
    """The findings an application with ``content`` would have, without storing it."""
    actor.require(Permission.APPLICATION_WRITE)
    data = normalise_content(node, content, status=Status.DRAFT, app_uuid=str(uuid.uuid4()))
    return [f.as_dict() for f in check_application(node, data).findings]
