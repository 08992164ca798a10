"""Canonical CO → edi3 (UN/CEFACT) certificate-of-origin JSON (``dataset.md`` §11.2, §12.3)."""

from __future__ import annotations

import json
from typing import Any

from originlink.domain.dataset import CODocument
from originlink.domain.dataset.types import datetime_to_json
from originlink.domain.profiles import AgreementProfile
from originlink.formats._common import cpath, is_datetime, midnight, zone_for
from originlink.formats._producers import plan_producers
from originlink.formats.edi3 import uris
from originlink.formats.edi3.common import OUTSIDE_LIFECYCLE, STATUS_TO_EDI3, measure_text
from originlink.formats.edi3.goods import write_consignment_items
from originlink.formats.edi3.parties import carried_party, trade_party
from originlink.formats.loss import Conversion, LossReport


def write(doc: CODocument, *, profile: AgreementProfile | None) -> Conversion[bytes]:
    data, report = build(doc, profile=profile)
    text = json.dumps(data, ensure_ascii=False, indent=2)
    return Conversion((text + "\n").encode("utf-8"), report)


def build(
    doc: CODocument, *, profile: AgreementProfile | None, attachments: bool = True
) -> tuple[dict[str, Any], LossReport]:
    """The edi3 object and its loss report. ``attachments=False``: the caller carries the
    attachments itself (OpenAttestation has a member for them)."""
    report = LossReport()
    writer = _Writer(doc, profile, report)
    writer.with_attachments = attachments
    return writer.build(), report


class _Writer:
    def __init__(
        self, doc: CODocument, profile: AgreementProfile | None, report: LossReport
    ) -> None:
        self.doc, self.cert, self.profile, self.report = doc, doc.certificate, profile, report
        self.zone = zone_for(profile, self.cert.issuing_country)
        self.with_attachments = True

    def date_time(self, value: Any, path: str, *, report_date: bool) -> str:
        if is_datetime(value):
            return datetime_to_json(value)
        if report_date:
            self.report.degraded(
                path,
                f"a date is written as 00:00 in the issuing country ({self.zone or 'UTC'})",
                value.isoformat(),
            )
        return datetime_to_json(midnight(value, self.zone))

    def build(self) -> dict[str, Any]:
        cert, report = self.cert, self.report
        out: dict[str, Any] = {"iD": self.document_id()}
        if cert.issue_datetime:
            out["issueDateTime"] = datetime_to_json(cert.issue_datetime)
        if cert.title:
            out["name"] = cert.title
        self.attachments(out)
        self.authentications(out)
        if cert.issue_place:
            location: dict[str, Any] = {}
            if cert.issue_place.locode:
                location["iD"] = uris.locode_uri(cert.issue_place.locode)
            if cert.issue_place.name:
                location["name"] = cert.issue_place.name
            out["issueLocation"] = location
        authority = cert.parties.issuing_authority
        out["issuer"] = trade_party(
            authority, cpath("parties", "issuing_authority"), report, skip=(uris.DNS_SCHEME,)
        )
        if cert.issuing_country != authority.address.country_code:
            report.dropped(
                cpath("issuing_country"), "edi3 has only the issuer's country", cert.issuing_country
            )
        out["status"] = STATUS_TO_EDI3[cert.status]
        if cert.status in OUTSIDE_LIFECYCLE:
            report.degraded(cpath("status"), "outside the edi3 lifecycle", cert.status.value)
        out["isPreferential"] = cert.is_preferential
        if cert.agreement:
            out["freeTradeAgreement"] = self.agreement_name(cert.agreement.code)
        out["supplyChainConsignment"] = self.consignment()
        self.report_dropped_members()
        return out

    def document_id(self) -> str:
        cert = self.cert
        if cert.certificate_number:
            authority = cert.parties.issuing_authority
            website = authority.contact.website if authority.contact else None
            domain = next(
                (i.value for i in authority.identifiers or () if i.scheme == uris.DNS_SCHEME),
                None,
            )
            return uris.certificate_uri(cert.certificate_number, website, domain)
        if cert.application_reference:
            return uris.kind_uri("application", cert.application_reference)
        value = uris.kind_uri("coo", "NOT-STATED")
        self.report.synthesised(
            "$.iD", "mandatory in edi3; no certificate number or application reference", value
        )
        return value

    def agreement_name(self, code: str) -> str:
        if self.profile and self.profile.code == code and self.profile.edi3_free_trade_agreement:
            return self.profile.edi3_free_trade_agreement
        self.report.derived(
            "$.freeTradeAgreement",
            "the profile names no edi3 agreement string; the agreement code is written",
            code,
        )
        return code

    def attachments(self, out: dict[str, Any]) -> None:
        if not self.with_attachments:
            return
        for index, attachment in enumerate(self.cert.attachments or ()):
            if index == 0 and attachment.uri:
                file: dict[str, Any] = {"uRI": attachment.uri, "mIMECode": attachment.mime_type}
                if attachment.size_bytes is not None:
                    file["size"] = str(attachment.size_bytes)
                out["attachedFile"] = file
            self.report.dropped(
                cpath("attachments", index),
                "edi3 carries one file by URI only (no content, hash, name or purpose)",
                attachment.attachment_id,
            )

    def authentications(self, out: dict[str, Any]) -> None:
        cert, signatures = self.cert, self.doc.signatures
        declarations = cert.declarations
        for key, role, block in (
            (
                "firstSignatoryAuthentication",
                "exporter",
                declarations.exporter if declarations else None,
            ),
            (
                "secondSignatoryAuthentication",
                "issuing_authority",
                declarations.certification if declarations else None,
            ),
        ):
            auth: dict[str, Any] = {}
            signature = getattr(signatures, role) if signatures else None
            if signature is not None:
                auth["signature"] = signature.value
                self.report.degraded(
                    f"signatures.{role}",
                    "written as an opaque value; it does not verify over the edi3 JSON (§9)",
                )
            moment = (
                getattr(block, "date", None)
                if role == "exporter"
                else getattr(block, "datetime", None)
            )
            if moment is not None:
                auth["actualDateTime"] = datetime_to_json(moment)
            if block is not None and block.statement:
                auth["statement"] = block.statement
            if auth:
                out[key] = auth

    def consignment(self) -> dict[str, Any]:
        cert, report = self.cert, self.report
        transport = cert.transport
        out: dict[str, Any] = {}
        if transport and transport.consignment_reference:
            out["iD"] = uris.kind_uri("consignment", transport.consignment_reference)
        if transport and transport.information:
            out["information"] = transport.information
        out["exportCountry"] = {"code": cert.exporting_country}
        out["exporter"] = trade_party(cert.parties.exporter, cpath("parties", "exporter"), report)
        out["importCountry"] = {"code": cert.importing_country}
        if cert.parties.importer:
            out["importer"] = trade_party(
                cert.parties.importer, cpath("parties", "importer"), report
            )
        producers = plan_producers(cert, report, carried_party)
        out["includedConsignmentItems"] = write_consignment_items(
            cert, producers, report, lambda v, p: self.date_time(v, p, report_date=False)
        )
        if transport:
            self.transport(out)
        return out

    def transport(self, out: dict[str, Any]) -> None:
        transport = self.cert.transport
        assert transport is not None
        for key, location in (
            ("loadingBaseportLocation", transport.loading_location),
            ("unloadingBaseportLocation", transport.discharge_location),
        ):
            if location and (location.locode or location.name):
                value: dict[str, Any] = {}
                if location.locode:
                    value["iD"] = uris.locode_uri(location.locode)
                if location.name:
                    value["name"] = location.name
                out[key] = value
        movement: dict[str, Any] = {}
        if transport.journey_id:
            movement["iD"] = uris.kind_uri("journey", transport.journey_id)
        if transport.route_description:
            movement["information"] = transport.route_description
        if transport.departure_datetime:
            movement["departureEvent"] = {
                "departureDateTime": self.date_time(
                    transport.departure_datetime,
                    cpath("transport", "departure_datetime"),
                    report_date=True,
                )
            }
        if transport.means_id or transport.means_name:
            means: dict[str, Any] = {}
            if transport.means_id:
                means["iD"] = uris.kind_uri("means", transport.means_id)
            if transport.means_name:
                means["name"] = transport.means_name
            movement["usedTransportMeans"] = means
        if movement:
            out["mainCarriageTransportMovement"] = movement
        packages = []
        for package in transport.packages or ():
            value = {}
            if package.package_id:
                value["iD"] = uris.kind_uri("package", package.package_id)
            if package.gross_volume:
                value["grossVolume"] = measure_text(package.gross_volume)
            if package.gross_weight:
                value["grossWeight"] = measure_text(package.gross_weight)
            packages.append(value)
        if packages:
            out["transportPackages"] = packages

    def report_dropped_members(self) -> None:
        cert, report = self.cert, self.report
        parties, refs, transport = cert.parties, cert.references, cert.transport
        declarations = cert.declarations
        candidates: list[tuple[str, Any]] = [
            (cpath("parties", "consignee"), parties.consignee),
            (cpath("parties", "invoicing_operator"), parties.invoicing_operator),
            (cpath("parties", "applicant"), parties.applicant),
            (cpath("parties", "certifying_official"), parties.certifying_official),
            (cpath("parties", "producer_statement"), parties.producer_statement),
            (cpath("uuid"), cert.uuid),
            (cpath("version"), cert.version),
            (cpath("form_code"), cert.form_code),
            (cpath("agreement", "name"), cert.agreement.name if cert.agreement else None),
            (cpath("remarks"), cert.remarks),
            (cpath("official_remarks"), cert.official_remarks),
            (cpath("validity_end_date"), cert.validity_end_date),
            (cpath("extensions"), cert.extensions),
            (cpath("flags"), cert.flags),
            (
                cpath("references", "related_certificates"),
                refs.related_certificates if refs else None,
            ),
            (
                cpath("references", "additional_documents"),
                refs.additional_documents if refs else None,
            ),
        ]
        if cert.certificate_number:
            candidates.append((cpath("application_reference"), cert.application_reference))
        if transport:
            candidates += [
                (cpath("transport", "mode_code"), transport.mode_code),
                (cpath("transport", "mode_text"), transport.mode_text),
                (cpath("transport", "transit_countries"), transport.transit_countries),
            ]
        if declarations and declarations.exporter:
            exporter = declarations.exporter
            candidates += [
                (cpath("declarations", "exporter", key), getattr(exporter, key))
                for key in ("place", "signatory_name", "signatory_job_title")
            ]
        if declarations and declarations.certification:
            certification = declarations.certification
            candidates += [
                (cpath("declarations", "certification", key), getattr(certification, key))
                for key in ("control_code", "verification_url")
            ]
        for path, value in candidates:
            if value is not None:
                report.dropped(path, "no edi3 member", value)
