"""Canonical CO → OpenAttestation v2 wrapped document (TradeTrust).

The CO is written in the edi3 shape TradeTrust's ``CHAFTA_COO`` renderer displays, beside the
OpenAttestation members: ``$template`` and ``issuers`` (those of the source document when the CO
was read from OpenAttestation, else a template and an issuer named after the issuing authority,
with a DNS-TXT identity proof at its domain: both ``SYNTHESISED``). Attachments are carried in
``attachments``; a signature image read from a TradeTrust document goes back where it was.
Every value is salted and the Merkle proof computed as ``wrapDocument`` does, so the reference
implementation verifies the result. Wrapping is not issuing: the issuer still records the Merkle
root in its document store, and the identity proof must name it.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any
from urllib.parse import urlsplit

from originlink.domain.dataset import Attachment, CODocument
from originlink.domain.profiles import AgreementProfile
from originlink.formats._common import cpath
from originlink.formats.edi3 import uris
from originlink.formats.edi3 import writer as edi3_writer
from originlink.formats.loss import Conversion, LossReport
from originlink.formats.openattestation import shapes
from originlink.formats.openattestation.proof import digest_v2
from originlink.formats.openattestation.salt import salt, unsalt

SCHEMA_V2 = "https://schema.openattestation.com/2.0/schema.json"
TEMPLATE = {
    "name": "CHAFTA_COO",
    "type": "EMBEDDED_RENDERER",
    "url": "https://generic-templates.tradetrust.io",
}
#: The reserved top-level domain (RFC 2606) written when the issuer's domain is unknown.
UNKNOWN_DOMAIN = "not-stated.invalid"
_ROLES = {
    "signature-exporter": ("exporter", "firstSignatoryAuthentication"),
    "signature-issuing-authority": ("issuing_authority", "secondSignatoryAuthentication"),
}


def write(doc: CODocument, *, profile: AgreementProfile | None) -> Conversion[bytes]:
    data, report = edi3_writer.build(doc, profile=profile, attachments=False)
    _merkle_signature(doc, data, report)
    source = _source_wrapper(doc)
    data["$template"] = source.get("$template") or dict(TEMPLATE)
    if "$template" not in source:
        report.synthesised("$.data.$template", "TradeTrust's renderer of edi3 COs", TEMPLATE)
    data["issuers"] = source.get("issuers") or [_issuer(doc, report)]
    if "network" in source:
        data["network"] = source["network"]
    _attachments(doc, data, report)
    salted = salt(data)
    target = digest_v2(salted, [])
    wrapped = {
        "version": SCHEMA_V2,
        "data": salted,
        "signature": {
            "type": "SHA3MerkleProof",
            "targetHash": target,
            "proof": [],
            "merkleRoot": target,
        },
    }
    report.synthesised(
        "$.signature",
        "a new Merkle proof over this content; the issuer must record its Merkle root in its "
        "document store for the document to verify as issued",
        target,
    )
    text = json.dumps(wrapped, ensure_ascii=False, indent=2)
    return Conversion((text + "\n").encode("utf-8"), report)


def _merkle_signature(doc: CODocument, data: dict[str, Any], report: LossReport) -> None:
    """A Merkle root read as the issuer's signature belongs to the source's proof, not here."""
    block = doc.signatures.issuing_authority if doc.signatures else None
    if block is None or block.format.value != "multihash" or not block.value.startswith("1b20"):
        return
    auth = data.get("secondSignatoryAuthentication") or {}
    if auth.get("signature") == block.value:
        del auth["signature"]
        if not auth:
            data.pop("secondSignatoryAuthentication", None)
    report.entries[:] = [e for e in report.entries if e.path != "signatures.issuing_authority"]
    report.dropped(
        "signatures.issuing_authority",
        "the Merkle root of the source's proof; this document has a proof of its own",
        block.value,
    )


def _source_wrapper(doc: CODocument) -> dict[str, Any]:
    """``$template``, ``issuers`` and ``network`` of the OpenAttestation document the CO was
    read from (its ``source_document`` attachment), if it was."""
    for attachment in doc.certificate.attachments or ():
        if attachment.purpose.value != "source_document" or not attachment.content_base64:
            continue
        try:
            raw = json.loads(base64.b64decode(attachment.content_base64))
        except (binascii.Error, ValueError):
            continue
        if not isinstance(raw, dict) or shapes.kind(raw) not in ("v2-wrapped", "v2-raw"):
            continue
        content = raw.get("data", raw)
        content = unsalt(content) if isinstance(content, dict) else {}
        return {k: content[k] for k in ("$template", "issuers", "network") if k in content}
    return {}


def _issuer(doc: CODocument, report: LossReport) -> dict[str, Any]:
    authority = doc.certificate.parties.issuing_authority
    domain = next(
        (i.value for i in authority.identifiers or () if i.scheme == uris.DNS_SCHEME), None
    )
    if domain is None and authority.contact and authority.contact.website:
        domain = urlsplit(authority.contact.website).hostname
    if domain is None:
        domain = UNKNOWN_DOMAIN
    issuer = {"name": authority.name, "identityProof": {"type": "DNS-TXT", "location": domain}}
    report.synthesised(
        "$.data.issuers[0].identityProof",
        "an OpenAttestation issuer needs an identity proof: a DNS-TXT record at the issuing "
        "authority's domain, which the authority must publish",
        domain,
    )
    return issuer


def _attachments(doc: CODocument, data: dict[str, Any], report: LossReport) -> None:
    out = []
    for index, attachment in enumerate(doc.certificate.attachments or ()):
        path = cpath("attachments", index)
        if attachment.purpose.value == "source_document":
            report.dropped(path, "the source document is not embedded again", attachment.filename)
            continue
        if attachment.content_base64 is None:
            report.dropped(
                path, "OpenAttestation carries attachments by content only", attachment.uri
            )
            continue
        if _signature_back(attachment, data, report, path):
            continue
        out.append(
            {
                "filename": attachment.filename or attachment.attachment_id,
                "type": attachment.mime_type,
                "data": attachment.content_base64,
            }
        )
        report.dropped(
            path + ".purpose", "OpenAttestation has no member for it", attachment.purpose.value
        )
    if out:
        data["attachments"] = out


def _signature_back(
    attachment: Attachment, data: dict[str, Any], report: LossReport, path: str
) -> bool:
    """A signature image read from a signatory authentication goes back into it."""
    role = _ROLES.get(attachment.attachment_id)
    if role is None or not attachment.mime_type.startswith("image/"):
        return False
    auth = data.setdefault(role[1], {})
    if "signature" in auth:
        return False
    auth["signature"] = f"data:{attachment.mime_type};base64,{attachment.content_base64}"
    report.derived(
        path, f"back in {role[1]}.signature as the image it was", attachment.attachment_id
    )
    return True
