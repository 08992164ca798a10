"""The IGL trade portal's certificate form → canonical CO.

The trade portal of the Inter Government Ledger (IGL) pilots takes and returns a CO as
``{"certificateOfOrigin": {...}}``: the edi3 data with lower-case ``id``, the exporter and
importer as the consignment's ``consignor`` and ``consignee``, the agreement by its full name
("China-Australia Free Trade Agreement"), package measures as ``{"uom", "value"}`` and the PDF
as ``attachedFile.file`` (base64). It is read by the edi3 reader told these spellings; the file
becomes an attachment; the source is kept whole as the ``source_document`` attachment.
"""

from __future__ import annotations

from typing import Any

from originlink.domain.errors import InputError
from originlink.domain.profiles import ProfileRegistry
from originlink.domain.safejson import loads_bounded
from originlink.formats._common import cpath
from originlink.formats.edi3.access import IGL_ALIASES
from originlink.formats.edi3.read_parts import data_attachment, keep_source
from originlink.formats.edi3.reader import read_into
from originlink.formats.reading import Draft

FORMAT = "igl"
ROOT = "$.certificateOfOrigin"


def read(data: bytes, *, profiles: ProfileRegistry) -> Draft:
    raw = loads_bounded(data, what="IGL trade portal certificate")
    if not isinstance(raw, dict) or not isinstance(raw.get("certificateOfOrigin"), dict):
        raise InputError(
            "not an IGL trade portal certificate: it has no 'certificateOfOrigin' object"
        )
    draft = Draft(FORMAT, {})
    for key, value in raw.items():
        if key != "certificateOfOrigin":
            draft.loss.dropped(
                f"$.{key}", "beside the certificate; kept in the source_document attachment", value
            )
    certificate: dict[str, Any] = dict(raw["certificateOfOrigin"])
    attached = certificate.get("attachedFile")
    file = attached.get("file") if isinstance(attached, dict) else None
    if isinstance(file, str):
        certificate.pop("attachedFile")
    read_into(
        draft, certificate, profiles=profiles, root=ROOT, aliases=IGL_ALIASES, label="the IGL form"
    )
    if isinstance(file, str) and isinstance(attached, dict):
        mime = attached.get("mimeCode") or attached.get("mIMECode")
        attachment = data_attachment(
            file,
            "attached-file",
            "rendered_certificate",
            "certificate",
            f"{ROOT}.attachedFile.file",
            draft.loss,
            mime if isinstance(mime, str) else None,
        )
        if attachment is not None:
            cert = draft.document["certificate"]
            cert.setdefault("attachments", []).append(attachment)
            draft.loss.derived(
                cpath("attachments", len(cert["attachments"]) - 1),
                "the certificate's file (attachedFile.file)",
                attachment["size_bytes"],
            )
    keep_source(draft, data, "application/json", "source.json")
    return draft
