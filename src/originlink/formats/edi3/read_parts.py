"""edi3 parties, signatory authentications and packages → canonical parts.

Signatures: a JWS (or any short opaque value) becomes the signature block it was; an image
(``data:image/jpeg;base64,...``, as TradeTrust's CHAFTA documents carry a scanned signature) is
no cryptographic signature and may be far longer than a block holds, so it is kept as an
attachment of its own, with its media type, size and SHA-256.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from typing import Any

from originlink.domain.findings import Level
from originlink.formats._common import clean_text, cpath
from originlink.formats.edi3 import uris
from originlink.formats.edi3.access import ReadState
from originlink.formats.edi3.common import parse_measure
from originlink.formats.loss import LossReport
from originlink.formats.reading import Draft, pointer

PARTY = frozenset({"iD", "name", "postalAddress"})
_JWS = re.compile(r"[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]*\.[A-Za-z0-9_\-]+")
_DATA_URI = re.compile(r"data:([a-z]+/[a-z0-9.+\-]+);base64,(.*)", re.S)
#: A signature block's value holds at most this many characters (``SignatureBlock``).
BLOCK_LIMIT = 65_536
_EXTENSIONS = {"image/jpeg": ".jpg", "image/png": ".png", "image/gif": ".gif"}


def put(target: dict[str, Any], key: str, value: Any) -> None:
    if value is not None and value != {} and value != []:
        target[key] = value


def party(
    state: ReadState,
    node: dict[str, Any],
    path: str,
    canonical: str,
    *,
    known: frozenset[str] = PARTY,
) -> dict[str, Any] | None:
    if not node:
        return None
    js, report = state.js, state.draft.loss
    js.unknown(node, known, path)
    state.source(canonical, path)
    out: dict[str, Any] = {}
    put(out, "name", clean_text(js.text(node, "name", path), 256, canonical + ".name", report))
    uri = js.text(node, "iD", path)
    if uri:
        scheme, value, registered = uris.parse_identifier(uri)
        if not registered:
            report.degraded(
                canonical + ".identifiers[0]",
                "no identifier scheme is registered for this URI prefix; the whole URI is kept "
                "(and written back unchanged)",
                uri,
            )
        out["identifiers"] = [{"scheme": scheme, "value": value}]
    postal = js.obj(node, "postalAddress", path)
    ppath = js.path(path, node, "postalAddress")
    address: dict[str, Any] = {}
    lines = [js.text(postal, key, ppath) for key in ("line1", "line2")]
    put(
        address,
        "lines",
        [clean_text(v, 256, canonical + ".address.lines", report) for v in lines if v],
    )
    for key, member, limit in (
        ("city", "cityName", 256),
        ("postcode", "postcode", 17),
        ("subdivision", "countrySubDivisionName", 256),
    ):
        put(
            address,
            key,
            clean_text(js.text(postal, member, ppath), limit, f"{canonical}.address.{key}", report),
        )
    put(address, "country_code", js.text(postal, "countryCode", ppath))
    out["address"] = address
    return out


def authentications(state: ReadState, raw: dict[str, Any]) -> dict[str, Any]:
    """The two signatory authentications: declarations, and signatures as blocks or (images)
    attachments."""
    js, root, report = state.js, state.root, state.draft.loss
    signatures: dict[str, Any] = {}
    for key, role, declaration, moment in (
        ("firstSignatoryAuthentication", "exporter", "exporter", "date"),
        ("secondSignatoryAuthentication", "issuing_authority", "certification", "datetime"),
    ):
        node = js.obj(raw, key, root)
        path = f"{root}.{key}"
        js.unknown(node, frozenset({"signature", "actualDateTime", "statement"}), path)
        block: dict[str, Any] = {}
        put(block, moment, js.text(node, "actualDateTime", path))
        put(
            block,
            "statement",
            clean_text(
                js.text(node, "statement", path),
                2048,
                cpath("declarations", declaration, "statement"),
                report,
                multiline=True,
            ),
        )
        if block:
            state.cert.setdefault("declarations", {})[declaration] = block
            state.source(cpath("declarations", declaration), path)
        value = js.text(node, "signature", path)
        if value:
            signature = _signature(state, value, role, f"{path}.signature")
            if signature is not None:
                signatures[role] = signature
    return signatures


def _signature(state: ReadState, value: str, role: str, path: str) -> dict[str, Any] | None:
    report = state.draft.loss
    image = _DATA_URI.fullmatch(value)
    if image is None and len(value) <= BLOCK_LIMIT:
        fmt = "jws" if _JWS.fullmatch(value) else "multihash"
        report.degraded(
            f"signatures.{role}",
            "taken over as an opaque value; not verified over the edi3 source (§9)",
            fmt,
        )
        state.source(f"signatures.{role}", path)
        return {"format": fmt, "value": value}
    identifier = f"signature-{role.replace('_', '-')}"
    attachment = data_attachment(value, identifier, "other", identifier, path, report)
    if attachment is None:
        return None
    report.derived(
        cpath("attachments", len(state.attachments)),
        f"the {role.replace('_', ' ')}'s signature is an image, not a verifiable signature; "
        "kept as an attachment",
        f"{attachment['mime_type']}, {attachment['size_bytes']:,} bytes",
    )
    state.attachments.append(attachment)
    return None


def data_attachment(
    value: str,
    attachment_id: str,
    purpose: str,
    filename: str | None,
    path: str,
    report: LossReport,
    mime_type: str | None = None,
) -> dict[str, Any] | None:
    """A canonical attachment from a data URI or plain base64 text; None (reported) when the
    text is neither."""
    match = _DATA_URI.fullmatch(value)
    text = match.group(2) if match else value
    mime = match.group(1) if match else mime_type or "application/octet-stream"
    try:
        content = base64.b64decode("".join(text.split()), validate=True)
    except (binascii.Error, ValueError):
        report.dropped(path, "neither a base64 data URI nor base64 content", value[:80])
        return None
    out: dict[str, Any] = {
        "attachment_id": attachment_id[:35],
        "purpose": purpose,
        "mime_type": mime,
        "content_base64": base64.b64encode(content).decode("ascii"),
        "size_bytes": len(content),
        "sha256": hashlib.sha256(content).hexdigest(),
    }
    if filename:
        out["filename"] = filename + _EXTENSIONS.get(mime, "") if "." not in filename else filename
    return out


def measure(state: ReadState, value: Any, path: str) -> dict[str, str] | None:
    """``"450 Kg"`` (edi3, TradeTrust) or ``{"uom": "Kg", "value": "450"}`` (IGL) as a
    canonical measure; anything else is reported and left out."""
    report = state.draft.loss
    if isinstance(value, dict) and {"uom", "value"} <= set(value):
        text = f"{value['value']} {value['uom']}"
    elif isinstance(value, str):
        text = value
    else:
        report.dropped(path, "not a measure ('<decimal> <unit>')", value)
        return None
    parsed, normalised = parse_measure(text)
    if parsed is None:
        report.dropped(path, "not '<decimal> <unit>' with a known unit", text)
        state.draft.note(
            Level.WARNING,
            "READ-VALUE",
            path,
            f"{path} ({text!r}) is not a decimal and a unit; it was left out.",
            pointer(path),
        )
        return None
    if normalised:
        report.derived(path, "unit symbol read as a Rec 20 code", text)
    return parsed


def package(state: ReadState, node: dict[str, Any], path: str) -> dict[str, Any]:
    """One ``transportPackages`` element as a canonical transport package."""
    js = state.js
    js.unknown(node, frozenset({"iD", "grossWeight", "grossVolume"}), path)
    out: dict[str, Any] = {}
    uri = js.text(node, "iD", path)
    if uri:
        out["package_id"], _ = uris.parse_kind("package", uri)
    for key, member in (("gross_weight", "grossWeight"), ("gross_volume", "grossVolume")):
        raw = node.get(js.key(node, member))
        if raw is not None:
            put(out, key, measure(state, raw, f"{path}.{js.key(node, member)}"))
    return out


SOURCE_ATTACHMENT_ID = "source-document"


def keep_source(draft: Draft, data: bytes, mime_type: str, filename: str) -> None:
    """The source file, unchanged, as the ``source_document`` attachment."""
    cert = draft.document.setdefault("certificate", {})
    attachments = cert.setdefault("attachments", [])
    attachments.append(
        {
            "attachment_id": SOURCE_ATTACHMENT_ID,
            "purpose": "source_document",
            "filename": filename,
            "mime_type": mime_type,
            "content_base64": base64.b64encode(data).decode("ascii"),
            "size_bytes": len(data),
            "sha256": hashlib.sha256(data).hexdigest(),
        }
    )
    draft.loss.derived(
        cpath("attachments", len(attachments) - 1),
        "the source document kept unchanged as source_document",
        SOURCE_ATTACHMENT_ID,
    )
