"""The words of the parties, transport and items boxes of the printed certificate.

Only plain text is decided here (see :mod:`.form` for the whole form); :mod:`.render` decides
where it goes, so the wording can be tested without drawing anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from originlink.domain.codelists import package_types, transport_modes
from originlink.domain.dataset.certificate import Certificate
from originlink.domain.dataset.enums import ProducerStatement
from originlink.domain.dataset.goods import GoodsItem
from originlink.domain.dataset.measures import Amount, Measure
from originlink.domain.dataset.parties import Party
from originlink.formats.pdf.units import country_words, unit_words

PRODUCER_STATEMENTS = {
    ProducerStatement.SAME_AS_EXPORTER: "SAME AS EXPORTER",
    ProducerStatement.AVAILABLE_ON_REQUEST: "AVAILABLE TO THE COMPETENT AUTHORITY UPON REQUEST",
    ProducerStatement.CONFIDENTIAL: "CONFIDENTIAL",
    ProducerStatement.NOT_AVAILABLE: "NOT AVAILABLE",
    ProducerStatement.SEE_ITEMS: "SEE THE PRODUCER GIVEN FOR EACH ITEM",
}


@dataclass(frozen=True, slots=True)
class ItemRow:
    """One line of the items table: the text of each column a layout may have, by key."""

    number: str
    cells: dict[str, str]

    def cell(self, key: str) -> str:
        return self.cells.get(key, "")


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
    """``1,200 pieces``, ``350.5 kg``: the unit in words (UN/ECE Rec 20)."""
    return f"{_number(measure.value)} {unit_words(measure.unit_code, measure.value)}"


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
    lines.append(country_words(address.country_code))
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
        prefix = "Consignee: " if blocks else ""
        blocks.append(prefix + party_text(parties.consignee))
    if not blocks:
        blocks.append(country_words(cert.importing_country))
    return "\n".join(blocks)


def _place(name: str | None, locode: str | None) -> str:
    if name and locode:
        return f"{name} ({locode})"
    return name or locode or ""


def transport_facts(cert: Certificate) -> dict[str, str]:
    """The transport details a form asks for, by fact: departure, vessel, loading, discharge,
    and ``other`` (transit, transport document, route)."""
    transport = cert.transport
    if transport is None:
        return {}
    facts: dict[str, str] = {}
    if transport.departure_datetime is not None:
        facts["departure"] = date_text(transport.departure_datetime)
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
        facts["vessel"] = ", ".join(p for p in (mode, means) if p)
    if transport.loading_location is not None:
        facts["loading"] = _place(
            transport.loading_location.name, transport.loading_location.locode
        )
    discharge = transport.discharge_location
    if discharge is not None:
        facts["discharge"] = _place(discharge.name, discharge.locode)
    other = []
    if transport.transit_countries:
        other.append("Transit: " + ", ".join(map(country_words, transport.transit_countries)))
    if transport.consignment_reference:
        other.append(f"Transport document: {transport.consignment_reference}")
    if transport.route_description:
        other.append(transport.route_description)
    if other:
        facts["other"] = "\n".join(other)
    return facts


def transport_text(cert: Certificate, prompts: tuple[tuple[str, str], ...]) -> str:
    """The transport box: each of the form's prompts with its fact, then what the form has
    no prompt for (port of loading on a form that only asks for discharge, route)."""
    facts = transport_facts(cert)
    if not facts:
        return ""
    lines = [
        f"{prompt}{'' if prompt.endswith(':') else ':'} {facts[key]}"
        for prompt, key in prompts
        if key in facts
    ]
    asked = {key for _, key in prompts}
    labels = {
        "departure": "Departure date:",
        "vessel": "Vessel/aircraft/vehicle:",
        "loading": "Port of loading:",
        "discharge": "Port of discharge:",
    }
    lines += [f"{labels[key]} {facts[key]}" for key in labels if key in facts and key not in asked]
    if "other" in facts:
        lines.append(facts["other"])
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


def _quantity_lines(item: GoodsItem, *, net: bool = True) -> list[str]:
    lines = []
    if item.quantity is not None:
        lines.append(measure_text(item.quantity))
    if item.gross_weight is not None:
        lines.append(f"G.W. {measure_text(item.gross_weight)}")
    if net and item.net_weight is not None:
        lines.append(f"N.W. {measure_text(item.net_weight)}")
    return lines


def _fob(item: GoodsItem) -> str:
    return f"FOB {amount_text(item.fob_value)}" if item.fob_value is not None else ""


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


def _item_cells(cert: Certificate, item: GoodsItem) -> dict[str, str]:
    marks = item.packages.marks if item.packages and item.packages.marks else "N/M"
    description = _description_text(item)
    hs = hs_text(item.hs_code)
    quantity = _quantity_lines(item)
    fob = _fob(item)
    net = item.net_weight or item.quantity
    gross = item.gross_weight or item.quantity
    return {
        "number": str(item.sequence_number),
        "marks": marks,
        "description": description,
        "description_hs": f"{description}\nHS {hs}",
        "eur1_goods": f"{item.sequence_number}. {marks}; {description}",
        "hs_code": hs,
        "criterion": _criterion_text(item),
        "origin": country_words(item.origin_country or cert.exporting_country),
        "quantity": "\n".join(quantity),
        "quantity_fob": "\n".join([*quantity, fob] if fob else quantity),
        "gross_mass": measure_text(gross) if gross is not None else "",
        "net_quantity": measure_text(net) if net is not None else "",
        "fob": amount_text(item.fob_value) if item.fob_value is not None else "",
        "invoice": _invoice_text(cert, item),
    }


def item_rows(cert: Certificate) -> tuple[ItemRow, ...]:
    return tuple(
        ItemRow(str(item.sequence_number), _item_cells(cert, item)) for item in cert.goods_items
    )
