"""Canonical fields an ALADI COD 1.8.0 (form A14 as in the sample) has no element for (§12.5)."""

from __future__ import annotations

from typing import Any

from originlink.domain.dataset import Certificate, CODocument
from originlink.formats._common import cpath
from originlink.formats.loss import LossReport

_GOODS_DROPPED = (
    "product_identifier",
    "hs_description",
    "hs_edition",
    "hs_extension_scheme",
    "origin_country",
    "packages",
    "producer_ref",
    "consignment_item",
)
_TRANSPORT_KEPT = frozenset({"mode_code", "mode_text", "loading_location"})


def report_drops(cert: Certificate, doc: CODocument, report: LossReport) -> None:
    parties, refs, declarations = cert.parties, cert.references, cert.declarations
    candidates: list[tuple[str, Any, str]] = [
        (cpath("uuid"), cert.uuid, "no COD element"),
        (cpath("version"), cert.version, "no COD element"),
        (cpath("title"), cert.title, "no COD element"),
        (cpath("status"), cert.status.value, "implicit in the signatures"),
        (cpath("validity_end_date"), cert.validity_end_date, "no COD element"),
        (cpath("issue_place"), cert.issue_place, "no COD element"),
        (cpath("official_remarks"), cert.official_remarks, "no COD element"),
        (cpath("extensions"), cert.extensions, "no COD element"),
        (
            cpath("is_preferential"),
            cert.is_preferential if not cert.is_preferential else None,
            "a COD is always preferential",
        ),
        (cpath("parties", "producers"), parties.producers, "no COD element"),
        (cpath("parties", "producer_statement"), parties.producer_statement, "no COD element"),
        (cpath("parties", "applicant"), parties.applicant, "no COD element"),
        (
            cpath("parties", "certifying_official"),
            parties.certifying_official,
            "only the subject of the official's signing certificate",
        ),
        (
            cpath("parties", "consignee"),
            parties.consignee,
            "† element not written (form XSD not available)",
        ),
        (
            cpath("parties", "invoicing_operator"),
            parties.invoicing_operator,
            "† ThirdOp block not written (form XSD not available)",
        ),
        (cpath("remarks"), cert.remarks, "† GeneralComments not written (form XSD not available)"),
        (
            cpath("references", "related_certificates"),
            refs.related_certificates if refs else None,
            "no COD element",
        ),
        (
            cpath("references", "additional_documents"),
            refs.additional_documents if refs else None,
            "no COD element",
        ),
        (cpath("flags"), cert.flags, "no COD element"),
        (cpath("attachments"), cert.attachments, "no COD element"),
    ]
    if cert.transport is not None:
        for key, value in cert.transport:
            if key not in _TRANSPORT_KEPT and value is not None:
                candidates.append((cpath("transport", key), value, "no COD element"))
        for key in ("loading_location", "discharge_location"):
            location = getattr(cert.transport, key)
            if location is not None and location.locode:
                candidates.append(
                    (cpath("transport", key, "locode"), location.locode, "no COD element")
                )
        location = cert.transport.discharge_location
        if location is not None and location.name:
            candidates.append(
                (
                    cpath("transport", "discharge_location", "name"),
                    location.name,
                    "† UnloadingPortName not written",
                )
            )
        if cert.transport.mode_text and cert.transport.mode_code:
            candidates.append(
                (
                    cpath("transport", "mode_code"),
                    cert.transport.mode_code.value,
                    "TransportMeans holds the mode text",
                )
            )
    for index, item in enumerate(cert.goods_items):
        for key in _GOODS_DROPPED:
            candidates.append(
                (
                    cpath("goods_items", index, key),
                    getattr(item, key),
                    "no element in GoodsList/Goods",
                )
            )
        if item.origin_declaration and item.origin_declaration.number:
            candidates.append(
                (
                    cpath("goods_items", index, "origin_declaration", "number"),
                    item.origin_declaration.number,
                    "† GoodsDeclarationNumber not written",
                )
            )
    if declarations and declarations.exporter:
        for key in ("statement", "place", "signatory_name", "signatory_job_title"):
            candidates.append(
                (
                    cpath("declarations", "exporter", key),
                    getattr(declarations.exporter, key),
                    "no COD element",
                )
            )
    if declarations and declarations.certification:
        for key in ("statement", "verification_url"):
            candidates.append(
                (
                    cpath("declarations", "certification", key),
                    getattr(declarations.certification, key),
                    "no COD element",
                )
            )
    for path, value, why in candidates:
        if value is not None:
            report.dropped(path, why, value)
    for role in ("exporter", "issuing_authority"):
        if doc.signatures is not None and getattr(doc.signatures, role) is not None:
            report.dropped(
                f"signatures.{role}",
                "the COD is written unsigned: the exporter and "
                "the authorised official sign it with their ALADI certificates",
            )
