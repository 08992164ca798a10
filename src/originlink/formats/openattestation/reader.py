"""OpenAttestation documents (TradeTrust) → canonical CO.

Read: version 2 wrapped documents (``data`` salted as ``<uuid>:<type>:<value>``, with the
``signature`` Merkle proof), version 2 documents before wrapping (and the TradeTrust document
creator's ``{"data": ...}`` files), version 3 / W3C verifiable credentials whose
``credentialSubject`` is the CO. The CO is found whatever the rendering template: the edi3 shape
(TradeTrust's ``CHAFTA_COO``, the edi3 samples' ``custom``), the ``SIMPLE_COO`` form, or either
one or two levels down. A document that holds no CO is refused, naming what it holds.

The Merkle proof is recomputed (:mod:`.proof`) and reported: integrity ok (INFO) or failed
(SEVERE); the identity proof is reported as not checked (WARNING), with what would need DNS or a
ledger. The wrapped original is kept unchanged as the ``source_document`` attachment; the
document's own ``attachments`` become canonical attachments.
"""

from __future__ import annotations

from typing import Any

from originlink.domain.errors import InputError
from originlink.domain.findings import Level
from originlink.domain.profiles import ProfileRegistry
from originlink.domain.safejson import loads_bounded
from originlink.formats._common import cpath
from originlink.formats.edi3.read_parts import data_attachment, keep_source
from originlink.formats.edi3.reader import read_into
from originlink.formats.openattestation import shapes, simple_coo
from originlink.formats.openattestation.proof import check_v2, check_v3
from originlink.formats.openattestation.salt import unsalt
from originlink.formats.reading import Draft, Integrity

FORMAT = "openattestation"
LABEL = "the TradeTrust certificate of origin"
#: Members OpenAttestation (not the CO) puts beside a version 2 CO.
WRAPPER = ("$template", "issuers", "network", "recipient", "documentUrl", "links", "attachments")
#: Multihash prefix of a Keccak-256 digest (code 0x1b, 32 bytes).
KECCAK_MULTIHASH = "1b20"


def read(data: bytes, *, profiles: ProfileRegistry) -> Draft:
    raw = loads_bounded(data, what="OpenAttestation document")
    if not isinstance(raw, dict):
        raise InputError("the OpenAttestation document is not a JSON object")
    shape = shapes.kind(raw)
    if shape is None:
        raise InputError(
            "not an OpenAttestation document or verifiable credential: no wrapped 'data' with "
            "its 'signature', no 'credentialSubject', no '$template'/'issuers' beside a CO"
        )
    draft = Draft(FORMAT, {})
    if shape == "v3":
        content, root = raw["credentialSubject"], "$.credentialSubject"
        draft.integrity = _v3_integrity(raw)
        wrapper: dict[str, Any] = {k: v for k, v in raw.items() if k != "credentialSubject"}
    else:
        content, root = (raw["data"], "$.data") if "data" in raw else (raw, "$")
        if shape == "v2-wrapped" and shapes.salted(content):
            draft.integrity = check_v2(raw, _identity_v2(unsalt(content), raw))
            content = unsalt(content)
            _obfuscated(draft, raw)
        else:
            draft.integrity = Integrity(
                "OpenAttestation v2", "absent", "the document is not wrapped: it has no proof"
            )
        wrapper = {k: content[k] for k in WRAPPER if k in content}
        content = {k: v for k, v in content.items() if k not in WRAPPER}
    base = "$" if shape == "v3" else root
    found = shapes.find_co(content)
    if found is None:
        template = _template_name(wrapper)
        raise InputError(
            f"the OpenAttestation document{template} holds no certificate of origin: "
            f"{root} has {', '.join(sorted(content)[:12]) or 'no members'}"
        )
    form, steps = found
    for step in steps:
        _drop_siblings(draft, content, step, root)
        content, root = content[step], f"{root}.{step}"
    if form == "edi3":
        state = read_into(draft, content, profiles=profiles, root=root, label=LABEL)
        attachments = state.attachments
    else:
        attachments = simple_coo.read_into(
            draft, content, profiles=profiles, root=root, wrapper=wrapper
        )
    cert = draft.document["certificate"]
    _attachments(draft, wrapper, attachments, base)
    if attachments:
        cert["attachments"] = attachments
    _wrapper_losses(draft, wrapper, base)
    _issuer_signature(draft)
    keep_source(draft, data, "application/json", "source.json")
    _report_integrity(draft)
    return draft


def _drop_siblings(draft: Draft, content: dict[str, Any], step: str, root: str) -> None:
    for key, value in content.items():
        if key != step:
            draft.loss.dropped(
                f"{root}.{key}", "beside the CO; kept in the source_document attachment", value
            )


def _template_name(wrapper: dict[str, Any]) -> str:
    template = wrapper.get("$template") or (
        (wrapper.get("openAttestationMetadata") or {}).get("template")
        if isinstance(wrapper.get("openAttestationMetadata"), dict)
        else None
    )
    name = template.get("name") if isinstance(template, dict) else template
    return f" (template {name})" if isinstance(name, str) else ""


def _identity_v2(data: dict[str, Any], raw: dict[str, Any]) -> str:
    issuers = data.get("issuers") if isinstance(data.get("issuers"), list) else []
    network = data.get("network") if isinstance(data.get("network"), dict) else {}
    parts = []
    for issuer in issuers or []:
        if not isinstance(issuer, dict):
            continue
        proof = issuer.get("identityProof") if isinstance(issuer.get("identityProof"), dict) else {}
        store = next(
            (
                f"{key} {issuer[key]}"
                for key in ("documentStore", "tokenRegistry", "certificateStore", "id")
                if isinstance(issuer.get(key), str)
            ),
            "no document store",
        )
        where = (proof or {}).get("location") or (proof or {}).get("key") or "?"
        parts.append(f"{(proof or {}).get('type', 'no identity proof')} at {where} naming {store}")
    chain = f" on {network.get('chain')} chain {network.get('chainId', '?')}" if network else ""
    root = (raw.get("signature") or {}).get("merkleRoot", "?")
    return (
        f"the issuer's identity ({'; '.join(parts) or 'no issuer named'}) and the document "
        f"store's record of Merkle root {root}{chain} can only be checked online (DNS and the "
        "ledger); OriginLink looks up neither"
    )


def _v3_integrity(raw: dict[str, Any]) -> Integrity:
    metadata = raw.get("openAttestationMetadata")
    proof = raw.get("proof") if isinstance(raw.get("proof"), dict) else None
    if proof is None:
        return Integrity("W3C verifiable credential", "absent", "the credential has no proof")
    if proof.get("type") != "OpenAttestationMerkleProofSignature2018":
        return Integrity(
            f"W3C verifiable credential ({proof.get('type')})",
            "not checked",
            f"a {proof.get('type')} proof needs the issuer's key material from outside; "
            "OriginLink recomputes OpenAttestation Merkle proofs only",
        )
    identity = metadata.get("identityProof") if isinstance(metadata, dict) else None
    method = metadata.get("proof") if isinstance(metadata, dict) else None
    detail = (
        f"the issuer's identity ({identity.get('type')} {identity.get('identifier')})"
        if isinstance(identity, dict)
        else "the issuer's identity"
    )
    if isinstance(method, dict):
        detail += f" and its {method.get('method')} {method.get('value')}"
    return check_v3(
        raw,
        f"{detail} can only be checked online (DNS and the ledger); OriginLink looks up neither",
    )


def _obfuscated(draft: Draft, raw: dict[str, Any]) -> None:
    privacy = raw.get("privacy") if isinstance(raw.get("privacy"), dict) else None
    hidden = (privacy or {}).get("obfuscatedData") or []
    if hidden:
        draft.note(
            Level.WARNING,
            "PROOF-OBFUSCATED",
            cpath(),
            f"{len(hidden)} value(s) were hidden by the holder (selective disclosure): only their "
            "hashes remain, so they are not in this CO.",
            "/privacy/obfuscatedData",
        )


def _attachments(
    draft: Draft, wrapper: dict[str, Any], out: list[dict[str, Any]], root: str
) -> None:
    for index, item in enumerate(wrapper.get("attachments") or []):
        path = f"{root}.attachments[{index}]"
        if not isinstance(item, dict) or not isinstance(item.get("data"), str):
            draft.loss.dropped(path, "an attachment without base64 data", item)
            continue
        name = item.get("filename") or item.get("fileName")
        mime = item.get("type") or item.get("mimeType")
        attachment = data_attachment(
            item["data"],
            f"attachment-{index + 1}",
            "supporting_document",
            name if isinstance(name, str) else None,
            path,
            draft.loss,
            mime if isinstance(mime, str) else None,
        )
        if attachment is not None:
            out.append(attachment)
            draft.loss.derived(
                cpath("attachments", len(out) - 1), "the document's attachment", name
            )


def _wrapper_losses(draft: Draft, wrapper: dict[str, Any], root: str) -> None:
    for key, value in wrapper.items():
        if key != "attachments":
            draft.loss.dropped(
                f"{root}.{key}",
                "OpenAttestation metadata, not CO data; kept in the source_document attachment",
                value,
            )


def _issuer_signature(draft: Draft) -> None:
    """Without a signature of its own, an OpenAttestation CO is signed by its Merkle root:
    what the issuer's document store records."""
    integrity = draft.integrity
    signatures = draft.document.setdefault("signatures", {})
    if integrity is None or "merkle_root" not in integrity.facts:
        if not signatures:
            del draft.document["signatures"]
        return
    if "issuing_authority" not in signatures:
        value = KECCAK_MULTIHASH + integrity.facts["merkle_root"]
        signatures["issuing_authority"] = {"format": "multihash", "value": value}
        draft.loss.derived(
            "signatures.issuing_authority",
            "the OpenAttestation Merkle root as a Keccak-256 multihash: what the issuer's "
            "document store records (its integrity recomputed, its issuance not checked online)",
            value,
        )


def _report_integrity(draft: Draft) -> None:
    integrity = draft.integrity
    if integrity is None:
        return
    v2 = integrity.method.startswith("OpenAttestation v2")
    level = {"ok": Level.INFO, "failed": Level.SEVERE}.get(integrity.status, Level.WARNING)
    draft.note(
        level,
        "PROOF-INTEGRITY",
        "signatures.issuing_authority",
        f"{integrity.method}: integrity {integrity.status}: {integrity.detail}.",
        None if integrity.status == "absent" else "/signature" if v2 else "/proof",
        **integrity.facts,
    )
    if integrity.identity_detail:
        draft.note(
            Level.WARNING,
            "PROOF-IDENTITY",
            cpath("parties", "issuing_authority"),
            f"Identity not checked: {integrity.identity_detail}.",
            "/data/issuers" if v2 else "/openAttestationMetadata",
        )
