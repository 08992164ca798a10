"""The words of the parties, transport and items boxes of the printed certificate.

Only plain text is decided here (see :mod:`.form` for the whole form); :mod:`.render` decides
where it goes, so the wording can be tested without drawing anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from originlink.domain.codelists import country_name, package_types, transport_modes
from originlink.domain.dataset.certificate import Certificate
from originlink.domain.dataset.enums import ProducerStatement
from originlink.domain.dataset.goods import GoodsItem
from originlink.domain.dataset.measures import Amount, Measure
from originlink.domain.dataset.parties import Party

PRODUCER_STATEMENTS = {
    ProducerStatement.SAME_AS_EXPORTER: "SAME AS EXPORTER",
    ProducerStatement.AVAILABLE_ON_REQUEST: "AVAILABLE TO THE COMPETENT AUTHORITY UPON REQUEST",
    ProducerStatement.CONFIDENTIAL: "CONFIDENTIAL",
    ProducerStatement.NOT_AVAILABLE: "NOT AVAILABLE",
    ProducerStatement.SEE_ITEMS: "SEE THE PRODUCER GIVEN FOR EACH ITEM",
}


@dataclass(frozen=True, slots=True)
class ItemRow:
    """One line of the items table (boxes 6-13)."""

    number: str
    marks: str
    description: str
    hs_code: str
    criterion: str
    origin: str
    quantity: str
    invoice: str

    def cells(self) -> tuple[str, ...]:
        return (
            self.number,
            self.marks,
            self.description,
            self.hs_code,
            self.criterion,
            self.origin,
            self.quantity,
            self.invoice,
        )


def date_text(value: date | datetime | None) -> str:
    if value is None:
        return ""
    return value.date().isoformat() if isinstance(value, datetime) else value.isoformat()


def _number(value: Decimal) -> str:
    """Decimals as printed on forms: thousands separated, never in exponent form."""
    text = format(value, "f")
    whole, _, fraction = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    grouped = f"{int(whole.lstrip('-') or '0'):,}"
    return f"{sign}{grouped}.{fraction}" if fraction else f"{sign}{grouped}"


def measure_text(measure: Measure) -> str:
    return f"{_number(measure.value)} {measure.unit_code}"


def amount_text(amount: Amount) -> str:
    return f"{amount.currency_code} {_number(amount.value)}"


def hs_text(code: str) -> str:
    """``848210`` → ``8482.10``; national digits follow in pairs (``8482.10.00``)."""
    digits = "".join(ch for ch in code if ch.isdigit())
    groups = [digits[:4], digits[4:6]] + [digits[i : i + 2] for i in range(6, len(digits), 2)]
    return ".".join(g for g in groups if g)


def party_text(party: Party) -> str:
    lines = [party.name]
    address = party.address
    lines += list(address.lines or ())
    if address.locality:
        lines.append(address.locality)
    city = " ".join(part for part in (address.postcode, address.city) if part)
    if city:
        lines.append(city)
    if address.subdivision:
        lines.append(address.subdivision)
    lines.append(country_name(address.country_code).upper())
    for identifier in party.identifiers or ():
        lines.append(f"{identifier.scheme} {identifier.value}")
    return "\n".join(lines)


def producer_text(cert: Certificate) -> str:
    parties = cert.parties
    blocks = [
        f"[{producer.party_id}] {party_text(producer)}" for producer in parties.producers or ()
    ]
    if parties.producer_statement is not None:
        blocks.insert(0, PRODUCER_STATEMENTS[parties.producer_statement])
    return "\n".join(blocks)


def consignee_text(cert: Certificate) -> str:
    parties = cert.parties
    blocks = []
    if parties.importer is not None:
        blocks.append(party_text(parties.importer))
    if parties.consignee is not None:
        blocks.append("Consignee: " + party_text(parties.consignee))
    if not blocks:
        blocks.append(country_name(cert.importing_country).upper())
    return "\n".join(blocks)


def _place(name: str | None, locode: str | None) -> str:
    if name and locode:
        return f"{name} ({locode})"
    return name or locode or ""


def transport_text(cert: Certificate) -> str:
    transport = cert.transport
    if transport is None:
        return ""
    lines = []
    if transport.departure_datetime is not None:
        lines.append(f"Departure date: {date_text(transport.departure_datetime)}")
    means = " ".join(
        part
        for part in (
            transport.means_name,
            f"({transport.means_id})" if transport.means_id else None,
            f"voyage/flight {transport.journey_id}" if transport.journey_id else None,
        )
        if part
    )
    mode = transport.mode_text or (
        transport_modes().get(transport.mode_code.value) if transport.mode_code else None
    )
    if mode or means:
        lines.append("Vessel/aircraft/vehicle: " + ", ".join(p for p in (mode, means) if p))
    loading = transport.loading_location
    if loading is not None:
        lines.append(f"Port of loading: {_place(loading.name, loading.locode)}")
    discharge = transport.discharge_location
    if discharge is not None:
        lines.append(f"Port of discharge: {_place(discharge.name, discharge.locode)}")
    if transport.transit_countries:
        lines.append("Transit: " + ", ".join(transport.transit_countries))
    if transport.consignment_reference:
        lines.append(f"Transport document: {transport.consignment_reference}")
    if transport.route_description:
        lines.append(transport.route_description)
    return "\n".join(lines)


def _criterion_text(item: GoodsItem) -> str:
    criterion = item.origin_criterion
    if criterion is None:
        return ""
    head = criterion.code or ""
    if criterion.value_content_percent is not None:
        head = f"{head} {_number(criterion.value_content_percent)}%".strip()
    return "\n".join(part for part in (head, criterion.text) if part)


def _description_text(item: GoodsItem) -> str:
    lines = []
    packages = item.packages
    if packages is not None and (packages.count is not None or packages.type_code is not None):
        kind = package_types().get(packages.type_code or "", packages.type_code or "packages")
        count = f"{packages.count} " if packages.count is not None else ""
        lines.append(f"{count}{kind}".upper())
    lines.append(item.description)
    if item.product_identifier is not None:
        lines.append(f"{item.product_identifier.scheme} {item.product_identifier.value}")
    if item.producer_ref:
        lines.append(f"Producer: [{item.producer_ref}]")
    declaration = item.origin_declaration
    if declaration is not None and (declaration.number or declaration.date):
        parts = " ".join(p for p in (declaration.number, date_text(declaration.date)) if p)
        lines.append(f"Declaration of origin: {parts}")
    return "\n".join(lines)


def _quantity_text(item: GoodsItem) -> str:
    lines = []
    if item.quantity is not None:
        lines.append(measure_text(item.quantity))
    if item.gross_weight is not None:
        lines.append(f"G.W. {measure_text(item.gross_weight)}")
    if item.net_weight is not None:
        lines.append(f"N.W. {measure_text(item.net_weight)}")
    if item.fob_value is not None:
        lines.append(f"FOB {amount_text(item.fob_value)}")
    return "\n".join(lines)


def _invoice_text(cert: Certificate, item: GoodsItem) -> str:
    invoices = cert.references.invoices if cert.references else None
    if not invoices:
        return ""
    wanted = item.invoice_sequences or ([invoices[0].sequence] if len(invoices) == 1 else [])
    lines = []
    for invoice in invoices:
        if invoice.sequence in wanted:
            lines.append(invoice.number)
            if invoice.issue_date is not None:
                lines.append(date_text(invoice.issue_date))
    return "\n".join(lines)


def item_rows(cert: Certificate) -> tuple[ItemRow, ...]:
    return tuple(
        ItemRow(
            number=str(item.sequence_number),
            marks=(item.packages.marks if item.packages and item.packages.marks else "N/M"),
            description=_description_text(item),
            hs_code=hs_text(item.hs_code),
            criterion=_criterion_text(item),
            origin=item.origin_country or cert.exporting_country,
            quantity=_quantity_text(item),
            invoice=_invoice_text(cert, item),
        )
        for item in cert.goods_items
    )
