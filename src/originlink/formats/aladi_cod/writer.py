"""Canonical CO → ALADI COD 1.8.0, unsigned (``dataset.md`` §11.3, §12.5).

Only the exporter and the authorised official can sign a COD, with their ALADI-registered
certificates, so the writer produces the unsigned stage and reports the canonical signatures as
dropped. Dates are written as local time of the issuing country (from the profile) without an
offset. Only the elements of the A14 1.8.0 sample are written: the † elements of other forms
need ALADI's XSD for the form, which is not available, and are reported as dropped.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from lxml import etree

from originlink.domain.dataset import CODocument, Party
from originlink.domain.dataset.types import decimal_to_json
from originlink.domain.errors import ConfigurationError, ValidationFailed
from originlink.domain.findings import Finding, Level
from originlink.domain.profiles import AgreementProfile
from originlink.formats._common import cpath, require_zone
from originlink.formats.aladi_cod import codes
from originlink.formats.aladi_cod.drops import report_drops
from originlink.formats.aladi_cod.write_goods import rules_text, write_weight
from originlink.formats.edi3.common import dotted_hs
from originlink.formats.loss import Conversion, LossReport
from originlink.formats.ubl.names import sub


def write(doc: CODocument, *, profile: AgreementProfile | None) -> Conversion[bytes]:
    if profile is None or not profile.aladi_acronym:
        code = doc.certificate.agreement_code
        raise ConfigurationError(
            f"an ALADI COD needs an agreement profile with an ALADI acronym; "
            f"agreement {code or '(none)'} has none"
        )
    report = LossReport()
    root = _Writer(doc, profile, report).build()
    data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return Conversion(data, report)


class _Writer:
    def __init__(self, doc: CODocument, profile: AgreementProfile, report: LossReport) -> None:
        self.doc, self.cert, self.profile, self.report = doc, doc.certificate, profile, report
        self.zone = require_zone(profile, self.cert.issuing_country, "an ALADI COD")

    def local(self, value: datetime, path: str) -> str:
        self.report.degraded(
            path, f"written as local time of {self.zone.key} without offset", value.isoformat()
        )
        return value.astimezone(self.zone).replace(tzinfo=None).isoformat(timespec="seconds")

    def build(self) -> etree._Element:
        cert, profile = self.cert, self.profile
        root = etree.Element(
            codes.soap("Envelope"), nsmap={"ns1": codes.SOAP_NS, "ds": codes.DS_NS}
        )
        codeh = sub(sub(root, codes.soap("CertOrigin")), "CODEH", id="CODEH")
        cod = sub(sub(codeh, "CODExporter"), "COD", id="COD")
        sub(cod, "CODVer", codes.COD_VERSION)
        sub(cod, "CODSubmitterType", codes.SUBMITTER)
        agreement = sub(cod, "Agreement")
        name = cert.agreement.name if cert.agreement and cert.agreement.name else profile.name
        if cert.agreement and cert.agreement.name == profile.name:
            self.report.degraded(
                cpath("agreement", "name"),
                "equals the profile's name; a reader takes it for the default",
                profile.name,
            )
        sub(agreement, "AgreementName", name)
        sub(agreement, "AgreementAcronym", profile.aladi_acronym)
        form_name = codes.form_element(profile.aladi_acronym or "", profile.aladi_form)
        if cert.form_code != profile.form_codes[0]:
            self.report.degraded(
                cpath("form_code"),
                f"the COD form is {form_name}; a reader gives {profile.form_codes[0]}",
                cert.form_code,
            )
        form = sub(cod, form_name)
        self.party(
            form,
            "Exporter",
            cert.parties.exporter,
            "exporter",
            ("exporting_country", cert.exporting_country),
            ("Locality", "City", "Telephone", "Email"),
        )
        self.invoices(form)
        self.goods(form)
        importer = cert.parties.importer
        if importer is None:
            block = sub(form, "Importer")
            sub(block, "ImporterCountry", cert.importing_country)
            self.report.synthesised(
                f"{form_name}/Importer",
                "no importer: only the country is written",
                cert.importing_country,
            )
        else:
            self.party(
                form,
                "Importer",
                importer,
                "importer",
                ("importing_country", cert.importing_country),
                ("Locality",),
            )
        self.transport(form)
        self.declaration(form)
        self.issuing_entity(codeh)
        self.certification(codeh)
        report_drops(self.cert, self.doc, self.report)
        return root

    def party(
        self,
        form: etree._Element,
        prefix: str,
        party: Party,
        key: str,
        country: tuple[str, str],
        extras: tuple[str, ...],
    ) -> None:
        path = cpath("parties", key)
        block = sub(form, prefix)
        sub(block, f"{prefix}Country", party.address.country_code)
        if country[1] != party.address.country_code:
            self.report.dropped(
                cpath(country[0]), f"one element carries the {key}'s country", country[1]
            )
        sub(block, f"{prefix}BusinessName", party.name)
        lines = party.address.lines or []
        if lines:
            sub(block, f"{prefix}Address", ", ".join(lines))
            if len(lines) > 1:
                self.report.degraded(path + ".address.lines", "joined into one address", lines)
        contact = party.contact
        values = {
            "Locality": party.address.locality,
            "City": party.address.city,
            "Telephone": contact.telephone if contact else None,
            "Email": contact.email if contact else None,
        }
        for element in extras:
            if values[element]:
                sub(block, f"{prefix}{element}", values[element])
        for canonical, element, value in (
            ("address.city", "City", party.address.city),
            ("contact.telephone", "Telephone", values["Telephone"]),
            ("contact.email", "Email", values["Email"]),
            ("contact.fax", "Fax", contact.fax if contact else None),
            ("contact.website", "URL", contact.website if contact else None),
            ("address.postcode", "", party.address.postcode),
            ("address.subdivision", "", party.address.subdivision),
            ("identifiers", "", party.identifiers),
        ):
            if value is not None and element not in extras:
                self.report.dropped(f"{path}.{canonical}", "no element in this COD form", value)

    def invoices(self, form: etree._Element) -> None:
        invoices = (self.cert.references.invoices if self.cert.references else None) or []
        if not invoices:
            return
        block = sub(form, "Invoices")
        sub(block, "InvoiceQty", len(invoices))
        for index, invoice in enumerate(invoices):
            element = sub(block, "Invoice")
            sub(element, "InvoiceOrderNo", invoice.sequence)
            sub(element, "InvoiceNo", invoice.number)
            if invoice.issue_date:
                sub(element, "InvoiceDate", invoice.issue_date.isoformat())
            for key in ("uri", "issued_by_invoicing_operator"):
                if getattr(invoice, key) is not None:
                    self.report.dropped(
                        cpath("references", "invoices", index, key),
                        "no COD element",
                        getattr(invoice, key),
                    )

    def goods(self, form: etree._Element) -> None:
        block = sub(form, "GoodsList")
        sub(block, "GoodsQty", len(self.cert.goods_items))
        for index, item in enumerate(self.cert.goods_items):
            path = cpath("goods_items", index)
            goods = sub(block, "Goods")
            sub(goods, "GoodsOrderNo", item.sequence_number)
            sub(goods, "GoodsItemCode", dotted_hs(item.hs_digits))
            if item.hs_code != item.hs_digits:
                self.report.degraded(
                    path + ".hs_code", "written dotted; read back as digits", item.hs_code
                )
            sub(goods, "GoodsItemName", item.description)
            write_weight(goods, item, path, self.report)
            if item.fob_value is not None:
                self.fob(goods, index)
            rules = rules_text(item, path, self.report)
            if rules:
                sub(goods, "GoodsItemOriginRules", rules)
            if item.invoice_sequences:
                sub(goods, "GoodsInvoiceOrderNo", item.invoice_sequences[0])
                for later in item.invoice_sequences[1:]:
                    self.report.dropped(path + ".invoice_sequences", "one invoice per item", later)
            declaration = item.origin_declaration
            if declaration and declaration.date:
                sub(goods, "GoodsDeclarationDate", declaration.date.isoformat())

    def fob(self, goods: etree._Element, index: int) -> None:
        fob = self.cert.goods_items[index].fob_value
        assert fob is not None
        path = cpath("goods_items", index, "fob_value")
        expected = self.profile.fob_currency
        if expected is None:
            raise ConfigurationError(
                f"agreement profile {self.profile.code} names no FOB "
                "currency; GoodsItemFOB cannot be written"
            )
        if fob.currency_code != expected:
            finding = Finding(
                Level.SEVERE,
                path + ".currency_code",
                "CONVERSION-FOB-CURRENCY",
                f"GoodsItemFOB is in {expected} under {self.profile.code}; "
                f"{fob.currency_code} is not converted",
            )
            raise ValidationFailed(f"{path}: {finding.message}", [finding])
        sub(goods, "GoodsItemFOB", decimal_to_json(fob.value))
        self.report.dropped(
            path + ".currency_code",
            f"no COD element; {expected} is implied by the agreement profile",
            expected,
        )

    def transport(self, form: etree._Element) -> None:
        transport = self.cert.transport
        if transport is None:
            return
        means = transport.mode_text
        if means is not None and means in codes.MODE_WORDS.values():
            self.report.degraded(
                cpath("transport", "mode_text"),
                "a mode word of the table; a reader takes it for the coded mode",
                means,
            )
        if means is None and transport.mode_code is not None:
            means = codes.MODE_WORDS.get(transport.mode_code)
            self.report.degraded(
                cpath("transport", "mode_code"), "written as a word in TransportMeans", means
            )
        loading = transport.loading_location.name if transport.loading_location else None
        if means or loading:
            block = sub(form, "Transport")
            if means:
                sub(block, "TransportMeans", means)
            if loading:
                sub(block, "TransportPortOfLoading", loading)

    def declaration(self, form: etree._Element) -> None:
        exporter = self.cert.declarations.exporter if self.cert.declarations else None
        if not (exporter and exporter.date) and not self.cert.application_reference:
            return
        block = sub(form, "Declaration")
        if exporter and exporter.date:
            sub(
                block,
                "DeclarationDate",
                self.local(exporter.date, cpath("declarations", "exporter", "date")),
            )
        if self.cert.application_reference:
            sub(block, "DeclarationRequestNo", self.cert.application_reference)

    def issuing_entity(self, codeh: etree._Element) -> None:
        authority = self.cert.parties.issuing_authority
        path = cpath("parties", "issuing_authority")
        block = sub(codeh, "EH")
        identifiers = authority.identifiers or []
        chosen = next((i for i in identifiers if i.scheme == codes.EH_SCHEME), None)
        if chosen is None and identifiers:
            chosen = identifiers[0]
            self.report.degraded(
                path + ".identifiers[0]",
                f"written as EHId; read back with scheme {codes.EH_SCHEME}",
                chosen.scheme,
            )
        if chosen is not None:
            sub(block, "EHId", chosen.value)
        for index, identifier in enumerate(identifiers):
            if identifier is not chosen:
                self.report.dropped(f"{path}.identifiers[{index}]", "one EHId", identifier.value)
        if chosen is not None and identifiers.index(chosen) != 0:
            self.report.degraded(path + ".identifiers", "only the EHId comes back", chosen.value)
        sub(block, "EHCountry", authority.address.country_code)
        if self.cert.issuing_country != authority.address.country_code:
            self.report.dropped(
                cpath("issuing_country"),
                "one element (EHCountry) carries it",
                self.cert.issuing_country,
            )
        sub(block, "EHName", authority.name)
        address, contact = authority.address, authority.contact
        values: list[tuple[str, Any]] = [
            ("EHAddress", ", ".join(address.lines) if address.lines else None),
            ("EHLocality", address.locality),
            ("EHCity", address.city),
            ("EHFax", contact.fax if contact else None),
            ("EHEmail", contact.email if contact else None),
            ("EHURL", contact.website if contact else None),
        ]
        for element, value in values:
            if value:
                sub(block, element, value)
        if address.lines and len(address.lines) > 1:
            self.report.degraded(path + ".address.lines", "joined into EHAddress", address.lines)
        for canonical, value in (
            ("address.postcode", address.postcode),
            ("address.subdivision", address.subdivision),
            ("contact.telephone", contact.telephone if contact else None),
        ):
            if value is not None:
                self.report.dropped(f"{path}.{canonical}", "no element in EH (1.8.0)", value)

    def certification(self, codeh: etree._Element) -> None:
        cert = self.cert
        certification = cert.declarations.certification if cert.declarations else None
        control = certification.control_code if certification else None
        moment = certification.datetime if certification else None
        if moment is None and cert.issue_datetime is not None:
            moment = cert.issue_datetime
        if cert.issue_datetime is not None:
            why = (
                "local time without offset"
                if cert.issue_datetime == moment
                else "CertificateDate carries the certification time only"
            )
            self.report.degraded(
                cpath("issue_datetime"),
                f"in CertificateDate: {why}",
                cert.issue_datetime.isoformat(),
            )
        if not (control or moment or cert.certificate_number):
            return
        block = sub(codeh, "CertificationEH")
        if control:
            sub(block, "CertificateControlCode", control)
        if moment is not None:
            path = cpath("declarations", "certification", "datetime")
            sub(block, "CertificateDate", self.local(moment, path))
        if cert.certificate_number:
            sub(block, "CertificateID", cert.certificate_number)
