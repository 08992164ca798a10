"""OASIS UBL 2.4 ``CertificateOfOrigin`` → canonical CO (``dataset.md`` §3–§11.1, §12.2).

The reader accepts any valid instance. Values the OriginLink writer synthesised (§11.1) are
recognised and not turned into canonical fields; ‡ members come from the OriginLink extension
when it is there, otherwise from what UBL implies (agreement from ``cbc:CertificateType`` via the
profiles, certification time from ``cbc:IssueDate``/``cbc:IssueTime``), reported ``DERIVED``.
Every element nothing read is reported ``DROPPED`` with its XPath.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any

from lxml import etree

from originlink.domain.dataset import Status
from originlink.domain.dataset.types import datetime_to_json
from originlink.domain.profiles import AgreementProfile, ProfileRegistry
from originlink.formats._common import clean_text, cpath, in_zone, zone_for
from originlink.formats.loss import LossReport
from originlink.formats.reading import Draft
from originlink.formats.ubl import extension
from originlink.formats.ubl.names import DOC, NOT_STATED, cac, cbc, ext
from originlink.formats.ubl.parties import read_party
from originlink.formats.ubl.read_goods import GoodsReader
from originlink.formats.ubl.read_parts import (
    read_packages,
    read_references,
    read_signature,
    read_stage,
)
from originlink.formats.xml_safety import parse_xml
from originlink.formats.xml_source import Source, report_unused, xpath_of

_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9_:.\-]{0,34}")
_OFFSET = re.compile(r"(Z|[+-][0-9]{2}:[0-9]{2})$")
_STATUSES = {s.value: s for s in Status}


def read(
    data: bytes,
    *,
    profiles: ProfileRegistry,
    what: str = "UBL CertificateOfOrigin",
) -> Draft:
    """Read a UBL instance; what the dataset refuses is judged by :func:`settle`."""
    root = parse_xml(data, what=what, root=(DOC, "CertificateOfOrigin"))
    report = LossReport()
    reader = _Reader(Source(root), report, profiles)
    document = reader.read()
    report_unused(reader.src, report, "no canonical field for this UBL element")
    return Draft("ubl", document, report)


class _Reader:
    def __init__(self, src: Source, report: LossReport, profiles: ProfileRegistry) -> None:
        self.src = src
        self.report = report
        self.profiles = profiles
        self.cert: dict[str, Any] = {}
        self.signatures: dict[str, Any] = {}

    def read(self) -> dict[str, Any]:
        src, root, cert = self.src, self.src.root, self.cert
        members = self.read_extension(root)
        src.one(root, cbc("UBLVersionID"))
        src.one(root, cbc("CustomizationID"))
        number = src.text(root, cbc("ID"))
        if number and number != NOT_STATED:
            cert["certificate_number"] = number
        self.put("uuid", src.text(root, cbc("UUID")))
        descriptions = src.all(root, cbc("Description"))
        if descriptions:
            self.put("title", clean_text(descriptions[0].text, 256, cpath("title"), self.report))
            for extra in descriptions[1:]:
                self.report.dropped(
                    xpath_of(extra), "only the first cbc:Description is kept", extra.text
                )
        version = src.text(root, cbc("VersionID"))
        cert["version"] = int(version) if version and version.isdigit() else 1
        if not (version and version.isdigit()):
            self.report.derived(cpath("version"), "no numeric cbc:VersionID; 1 assumed", version)
        app = src.one(root, cac("CertificateOfOriginApplication"))
        endorsement = src.one(root, cac("IssuerEndorsement"))
        cert["form_code"] = self.form_code(src.text(app, cbc("CertificateType")))
        cert["status"] = self.status(src.text(endorsement, cbc("ApprovalStatus")))
        parties = self.read_parties(root, app)
        issuing = src.text(app, cac("IssuingCountry"), cbc("IdentificationCode"))
        cert["issuing_country"] = issuing
        profile = self.profile(members, cert["form_code"])
        issue_date = src.text(root, cbc("IssueDate"))
        if issue_date:
            clock = src.text(root, cbc("IssueTime")) or "00:00:00"
            cert["issue_datetime"] = self.moment(
                issue_date, clock, profile, cpath("issue_datetime")
            )
        self.read_application(app, parties, profile)
        self.read_endorsement(endorsement, parties)
        cert["parties"] = parties
        signatures = self.signatures
        if members is not None:
            extension.strip_dagger(cert)
            extension.merge(cert, members)
        else:
            self.imply_dagger(profile)
        doc: dict[str, Any] = {"certificate": cert}
        if signatures:
            doc["signatures"] = signatures
        return doc

    def put(self, key: str, value: Any, target: dict[str, Any] | None = None) -> None:
        if value is not None:
            (self.cert if target is None else target)[key] = value

    def read_extension(self, root: etree._Element) -> dict[str, Any] | None:
        holder = root.find(ext("UBLExtensions"))
        if holder is None:
            return None
        self.src.used.add(holder)
        for element in holder.findall(ext("UBLExtension")):
            if (element.findtext(ext("ExtensionURI")) or "").strip() != extension.EXTENSION_URI:
                continue
            self.src.mark(element)
            content = element.find(f"{ext('ExtensionContent')}/{extension.CONTENT_TAG}")
            return extension.parse_content(content.text or "" if content is not None else "")
        return None

    def form_code(self, text: str | None) -> str | None:
        if text is None or _CODE.fullmatch(text):
            return text
        code = re.sub(r"[^A-Za-z0-9_:.\-]+", "_", text).strip("_")[:35] or "UNKNOWN"
        self.report.degraded(cpath("form_code"), "cbc:CertificateType is not a code", text)
        return code

    def status(self, text: str | None) -> str:
        if text and text.upper() in _STATUSES:
            return text.upper()
        self.report.degraded(
            cpath("status"), "cbc:ApprovalStatus is not a canonical status; read as ISSUED", text
        )
        return Status.ISSUED.value

    def profile(
        self, members: dict[str, Any] | None, form_code: str | None
    ) -> AgreementProfile | None:
        code = (members or {}).get("agreement", {}).get("code")
        if code:
            return self.profiles.get(code)
        return next((p for p in self.profiles if form_code in p.form_codes), None)

    def moment(self, day: str, clock: str, profile: AgreementProfile | None, path: str) -> str:
        if _OFFSET.search(clock):
            return f"{day}T{clock}"
        zone = zone_for(profile, self.cert.get("issuing_country") or "")
        try:
            naive = datetime.fromisoformat(f"{day}T{clock}")
        except ValueError:
            return f"{day}T{clock}"
        value = in_zone(naive, zone)
        self.report.degraded(
            path, f"no UTC offset in the source; read in {zone or 'UTC'}", f"{day}T{clock}"
        )
        return datetime_to_json(value)

    def read_parties(self, root: etree._Element, app: etree._Element | None) -> dict[str, Any]:
        src, report = self.src, self.report
        parties: dict[str, Any] = {}
        for key, tag in (("exporter", "ExporterParty"), ("importer", "ImporterParty")):
            at_root = read_party(src, src.one(root, cac(tag)), cpath("parties", key), report)
            in_app = read_party(src, src.one(app, cac(tag)), cpath("parties", key), LossReport())
            party = at_root or in_app
            if party is not None:
                parties[key] = party
            if at_root and in_app and at_root != in_app:
                report.dropped(
                    f"/CertificateOfOrigin/cac:CertificateOfOriginApplication/cac:{tag}",
                    "differs from the root party, which is kept",
                    in_app.get("name"),
                )
        issuer = read_party(
            src, src.one(app, cac("IssuerParty")), cpath("parties", "issuing_authority"), report
        )
        self.put("issuing_authority", issuer, parties)
        applicant = read_party(
            src, src.one(app, cac("PreparationParty")), cpath("parties", "applicant"), report
        )
        if applicant is not None and applicant != parties.get("exporter"):
            parties["applicant"] = applicant
        return parties

    def read_application(
        self, app: etree._Element | None, parties: dict[str, Any], profile: AgreementProfile | None
    ) -> None:
        src, report, cert = self.src, self.report, self.cert
        number = cert.get("certificate_number")
        reference = src.text(app, cbc("ReferenceID"))
        if reference not in (None, NOT_STATED, number):
            cert["application_reference"] = reference
        if src.text(app, cbc("OriginalJobID")) not in (reference, None):
            app_job = app.find(cbc("OriginalJobID")) if app is not None else None
            if app_job is not None:
                src.used.discard(app_job)
        remarks = [
            clean_text(e.text, 2048, cpath("remarks"), report, multiline=True)
            for e in src.all(app, cbc("Remarks"))
        ]
        self.put("remarks", [r for r in remarks if r] or None)
        shipment = src.one(app, cac("Shipment"))
        transport: dict[str, Any] = {}
        information = src.all(shipment, cbc("Information"))
        if information:
            self.put(
                "information",
                clean_text(
                    information[0].text,
                    2048,
                    cpath("transport", "information"),
                    report,
                    multiline=True,
                ),
                transport,
            )
        consignment = src.one(shipment, cac("Consignment"))
        reference = src.text(consignment, cbc("ID"))
        if reference not in (None, NOT_STATED, number):
            transport["consignment_reference"] = reference
        consignee = read_party(
            src, src.one(consignment, cac("ConsigneeParty")), cpath("parties", "consignee"), report
        )
        self.put("consignee", consignee, parties)
        self.put(
            "importing_country",
            src.text(consignment, cac("FinalDestinationCountry"), cbc("IdentificationCode")),
        )
        transit = [
            src.text(c, cbc("IdentificationCode"))
            for c in src.all(consignment, cac("TransitCountry"))
        ]
        self.put("transit_countries", [c for c in transit if c] or None, transport)
        goods = GoodsReader(src, report)
        cert["goods_items"] = goods.read(shipment)
        stages = src.all(shipment, cac("ShipmentStage"))
        if stages:
            read_stage(src, stages[0], transport, report)
            for extra in stages[1:]:
                src.used.discard(extra)
        if "departure_datetime" in transport and "T" in transport["departure_datetime"]:
            day, clock = transport["departure_datetime"].split("T")
            transport["departure_datetime"] = self.moment(
                day, clock, profile, cpath("transport", "departure_datetime")
            )
        self.put("packages", read_packages(src, shipment) or None, transport)
        self.put(
            "exporting_country", src.text(shipment, cac("ExportCountry"), cbc("IdentificationCode"))
        )
        for key, party_key in (
            ("exporting_country", "exporter"),
            ("importing_country", "importer"),
        ):
            if key not in cert and parties.get(party_key):
                cert[key] = parties[party_key]["address"].get("country_code")
                report.derived(cpath(key), f"absent; the {party_key}'s country is used", cert[key])
        if transport:
            cert["transport"] = transport
        self.read_exporter_endorser(app, parties)
        refs = read_references(src, app, report) if app is not None else {}
        self.put("invoicing_operator", refs.pop("invoicing_operator", None), parties)
        self.put("attachments", refs.pop("attachments", None))
        self.link_goods(goods, refs, parties)
        if refs:
            cert["references"] = refs
        statement, signature = read_signature(src, app, "exporter", report)
        if signature:
            self.signatures["exporter"] = signature
        if statement:
            self.declaration("exporter")["statement"] = statement

    def declaration(self, key: str) -> dict[str, Any]:
        return self.cert.setdefault("declarations", {}).setdefault(key, {})  # type: ignore[no-any-return]

    def link_goods(self, goods: GoodsReader, refs: dict[str, Any], parties: dict[str, Any]) -> None:
        invoices = refs.get("invoices", [])
        for index, (item, links) in enumerate(
            zip(self.cert["goods_items"], goods.invoice_links, strict=True)
        ):
            sequences = []
            for number, issued in links:
                match = next(
                    (
                        i
                        for i in invoices
                        if i["number"] == number and i.get("issue_date") == issued
                    ),
                    None,
                )
                if match is None:
                    self.report.dropped(
                        cpath("goods_items", index, "invoice_sequences"),
                        "invoice reference matches no invoice of the application",
                        number,
                    )
                elif match["sequence"] not in sequences:
                    sequences.append(match["sequence"])
            if sequences:
                item["invoice_sequences"] = sequences
        if goods.producers:
            parties["producers"] = [
                {**p, "party_id": f"P{n + 1}"} for n, p in enumerate(goods.producers)
            ]

    def read_exporter_endorser(self, app: etree._Element | None, parties: dict[str, Any]) -> None:
        src, report = self.src, self.report
        path = cpath("declarations", "exporter")
        for endorser in app.findall(cac("EndorserParty")) if app is not None else ():
            if (endorser.findtext(cbc("RoleCode")) or "").strip() != "exporter":
                continue
            src.mark(endorser)
            contact = endorser.find(cac("SignatoryContact"))
            name_text = contact.findtext(cbc("Name")) if contact is not None else None
            name = clean_text(name_text, 256, path + ".signatory_name", LossReport())
            title_text = contact.findtext(cbc("JobTitle")) if contact is not None else None
            title = clean_text(title_text, 256, path + ".signatory_job_title", report)
            if name and name != parties.get("exporter", {}).get("name"):
                clean_text(name_text, 256, path + ".signatory_name", report)
                self.declaration("exporter")["signatory_name"] = name
            if title:
                self.declaration("exporter")["signatory_job_title"] = title
            return

    def read_endorsement(self, endorsement: etree._Element | None, parties: dict[str, Any]) -> None:
        src, report, cert = self.src, self.report, self.cert
        control = src.text(endorsement, cbc("DocumentID"))
        if control not in (None, NOT_STATED, cert.get("certificate_number")):
            self.declaration("certification")["control_code"] = control
        remarks = [
            clean_text(e.text, 2048, cpath("official_remarks"), report, multiline=True)
            for e in src.all(endorsement, cbc("Remarks"))
        ]
        self.put("official_remarks", [r for r in remarks if r] or None)
        endorser = src.one(endorsement, cac("EndorserParty"))
        if endorser is not None:
            src.mark(endorser)
            contact = endorser.find(cac("SignatoryContact"))
            official: dict[str, Any] = {}
            for key, tag in (("name", "Name"), ("job_title", "JobTitle")):
                text = contact.findtext(cbc(tag)) if contact is not None else None
                value = clean_text(
                    text, 256, cpath("parties", "certifying_official", key), LossReport()
                )
                if value:
                    official[key] = value
            email = contact.findtext(cbc("ElectronicMail")) if contact is not None else None
            if email and email.strip():
                official["email"] = email.strip()
            authority = parties.get("issuing_authority", {}).get("name")
            if official and official != {"name": authority}:
                parties["certifying_official"] = official
                for key, tag in (("name", "Name"), ("job_title", "JobTitle")):
                    text = contact.findtext(cbc(tag)) if contact is not None else None
                    clean_text(text, 256, cpath("parties", "certifying_official", key), report)
        statement, signature = read_signature(src, endorsement, "issuing_authority", report)
        if signature:
            self.signatures["issuing_authority"] = signature
        if statement:
            self.declaration("certification")["statement"] = statement

    def imply_dagger(self, profile: AgreementProfile | None) -> None:
        """Without the OriginLink extension: what UBL implies for ‡ members."""
        cert, report = self.cert, self.report
        if profile is not None:
            cert["agreement"] = {"code": profile.code}
            cert["is_preferential"] = True
            report.derived(
                cpath("agreement", "code"),
                "from cbc:CertificateType via the agreement profiles",
                profile.code,
            )
        else:
            cert["is_preferential"] = False
            report.derived(
                cpath("is_preferential"),
                "no agreement profile lists cbc:CertificateType",
                cert.get("form_code"),
            )
        if "issue_datetime" in cert:
            self.declaration("certification")["datetime"] = cert["issue_datetime"]
            report.derived(
                cpath("declarations", "certification", "datetime"),
                "from cbc:IssueDate/cbc:IssueTime",
                cert["issue_datetime"],
            )
