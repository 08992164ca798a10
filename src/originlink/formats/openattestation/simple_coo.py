"""TradeTrust's ``SIMPLE_COO`` form → canonical CO.

The form (TradeTrust generic templates) names no issuing authority, no agreement and dates as
people write them (``21 September 2021, 3:05pm``). What it holds is mapped; what it lacks is
derived where a derivation is sound (the issuer from the OpenAttestation ``issuers``, the
issuing country from the exporting one, every derivation in the loss report) and otherwise left
to the findings: a SIMPLE_COO is read, never refused for what it does not say.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from originlink.domain.profiles import ProfileRegistry
from originlink.formats._common import clean_text, cpath
from originlink.formats.edi3.access import Json, ReadState
from originlink.formats.edi3.read_parts import authentications, put
from originlink.formats.edi3.reader import UNCARRIED
from originlink.formats.reading import Draft

LABEL = "the TradeTrust SIMPLE_COO form"
KNOWN = frozenset(
    {
        "documentName",
        "issueDateAndTime",
        "issueDate",
        "issueTime",
        "issueIn",
        "cooId",
        "iD",
        "exporterDetails",
        "importerDetails",
        "descriptionOfGoods",
        "firstSignatoryAuthentication",
        "secondSignatoryAuthentication",
    }
)
GOODS = frozenset(
    {
        "includedConsignments",
        "importerNameMarksAndNumber",
        "numberAndKindOfPackage",
        "hsCode",
        "invoiceNumber",
        "dateOfInvoice",
        "loadingBaseportLocationName",
        "mainCarriageTransportMovementId",
    }
)
_LOCODE = re.compile(r"[A-Z]{2}[A-Z2-9]{3}")
_FORMS = ("%d %B %Y, %I:%M%p", "%d %B %Y %I:%M%p", "%d %B %Y", "%Y-%m-%d", "%d %b %Y")


def moment(text: str | None) -> datetime | None:
    """A date or date and time as the form writes them, in UTC (the form gives no zone)."""
    if not text:
        return None
    cleaned = re.sub(r"\s+", " ", text.strip())
    for form in _FORMS:
        try:
            return datetime.strptime(cleaned, form).replace(tzinfo=UTC)
        except ValueError:
            continue
    try:
        parsed = datetime.fromisoformat(cleaned.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def read_into(
    draft: Draft,
    raw: dict[str, Any],
    *,
    profiles: ProfileRegistry,
    root: str,
    wrapper: dict[str, Any],
) -> list[dict[str, Any]]:
    """Read the SIMPLE_COO object ``raw`` into ``draft``; returns the attachments found."""
    state = ReadState(Json(draft, label=LABEL), profiles, root)
    draft.uncarried = draft.uncarried | UNCARRIED
    js, cert, report = state.js, state.cert, draft.loss
    js.unknown(raw, KNOWN, root)
    cert["version"] = 1
    title = js.text(raw, "documentName", root)
    put(cert, "title", clean_text(title, 256, cpath("title"), report))
    number = js.text(raw, "cooId", root) or js.text(raw, "iD", root)
    put(cert, "certificate_number", number)
    if number:
        state.source(cpath("certificate_number"), f"{root}.cooId")
    preferential = bool(title and "free trade agreement" in title.lower())
    cert["is_preferential"] = preferential
    report.derived(
        cpath("is_preferential"),
        "the form names no agreement; preference read from its title",
        preferential,
    )
    cert["status"] = "ISSUED"
    report.derived(cpath("status"), "a wrapped SIMPLE_COO is an issued document", "ISSUED")
    cert["form_code"] = "UNKNOWN" if preferential else "NON_PREFERENTIAL"
    report.derived(cpath("form_code"), "the form names no agreement", cert["form_code"])
    _issue(state, raw)
    parties: dict[str, Any] = {}
    for role, key, country_key, field in (
        ("exporter", "exporterDetails", "exportCountry", "exporting_country"),
        ("importer", "importerDetails", "importCountry", "importing_country"),
    ):
        details = js.obj(raw, key, root)
        put(parties, role, _party(state, details, f"{root}.{key}", role, country_key))
        put(cert, field, js.text(details, country_key, f"{root}.{key}"))
    parties["issuing_authority"] = _issuer(state, wrapper, cert.get("exporting_country"))
    cert["issuing_country"] = parties["issuing_authority"]["address"].get("country_code")
    signatures = authentications(state, _dated(raw))
    _goods(state, js.obj(raw, "descriptionOfGoods", root), f"{root}.descriptionOfGoods")
    cert["parties"] = parties
    document: dict[str, Any] = {"certificate": cert}
    if signatures:
        document["signatures"] = signatures
    draft.document = document
    return state.attachments


def _issue(state: ReadState, raw: dict[str, Any]) -> None:
    js, root, report = state.js, state.root, state.draft.loss
    text = js.text(raw, "issueDateAndTime", root) or " ".join(
        t for t in (js.text(raw, "issueDate", root), js.text(raw, "issueTime", root)) if t
    )
    when = moment(text)
    if when is not None:
        state.cert["issue_datetime"] = when.isoformat().replace("+00:00", "Z")
        state.cert.setdefault("declarations", {})["certification"] = {
            "datetime": state.cert["issue_datetime"]
        }
        report.derived(cpath("issue_datetime"), "read in UTC: the form gives no time zone", text)
    elif text:
        report.dropped(f"{root}.issueDateAndTime", "not a date the form's way", text)
    place = js.text(raw, "issueIn", root)
    if place:
        state.cert["issue_place"] = {"name": clean_text(place, 256, cpath("issue_place"), report)}


def _party(
    state: ReadState, node: dict[str, Any], path: str, role: str, country_key: str
) -> dict[str, Any] | None:
    js, report = state.js, state.draft.loss
    if not node:
        return None
    state.source(cpath("parties", role), path)
    prefix = role
    js.unknown(node, frozenset({country_key, f"{prefix}Name", f"{prefix}Address"}), path)
    address = js.obj(node, f"{prefix}Address", path)
    apath = f"{path}.{prefix}Address"
    js.unknown(address, frozenset({"line1", "line2", "postalCode"}), apath)
    out: dict[str, Any] = {}
    name = js.text(node, f"{prefix}Name", path)
    put(out, "name", clean_text(name, 256, cpath("parties", role, "name"), report))
    postal: dict[str, Any] = {}
    lines = [js.text(address, key, apath) for key in ("line1", "line2")]
    put(postal, "lines", [v for v in lines if v])
    put(postal, "postcode", js.text(address, "postalCode", apath))
    put(postal, "country_code", js.text(node, country_key, path))
    out["address"] = postal
    return out


def _issuer(state: ReadState, wrapper: dict[str, Any], country: str | None) -> dict[str, Any]:
    """The form has no issuing authority: the OpenAttestation issuer is the one."""
    report = state.draft.loss
    issuers = wrapper.get("issuers") if isinstance(wrapper.get("issuers"), list) else []
    first = (issuers or [{}])[0]
    name = first.get("name") if isinstance(first, dict) else None
    authority: dict[str, Any] = {"address": {}}
    if isinstance(name, str) and name.strip():
        authority["name"] = name.strip()
        report.derived(
            cpath("parties", "issuing_authority", "name"),
            "the form names no issuing authority; the OpenAttestation issuer's name",
            name,
        )
    if country:
        authority["address"]["country_code"] = country
        report.derived(
            cpath("parties", "issuing_authority", "address", "country_code"),
            "the exporting country (an authority issues for exports from its own country)",
            country,
        )
    return authority


def _dated(raw: dict[str, Any]) -> dict[str, Any]:
    """The form's signatory blocks with ``actualDate`` read as edi3's ``actualDateTime``."""
    out = dict(raw)
    for key in ("firstSignatoryAuthentication", "secondSignatoryAuthentication"):
        block = raw.get(key)
        if isinstance(block, dict):
            block = {k: v for k, v in block.items() if v not in ("", None)}
            when = moment(block.pop("actualDate", None))
            if when is not None:
                block["actualDateTime"] = when.isoformat().replace("+00:00", "Z")
            out[key] = block
    return out


def _goods(state: ReadState, node: dict[str, Any], path: str) -> None:
    js, cert, report = state.js, state.cert, state.draft.loss
    js.unknown(node, GOODS, path)
    if not node:
        cert["goods_items"] = []
        return
    item: dict[str, Any] = {"sequence_number": 1}
    state.source(cpath("goods_items", 0), path)
    text = js.text(node, "numberAndKindOfPackage", path)
    put(
        item, "description", clean_text(text, 2048, cpath("goods_items", 0), report, multiline=True)
    )
    code = js.text(node, "hsCode", path)
    if code:
        item["hs_code"] = "".join(ch for ch in code if ch.isdigit()) or code
    marks = js.text(node, "importerNameMarksAndNumber", path)
    if marks:
        item["packages"] = {"marks": clean_text(marks, 512, cpath("goods_items", 0), report)}
    invoice = js.text(node, "invoiceNumber", path)
    if invoice:
        entry: dict[str, Any] = {"sequence": 1, "number": invoice}
        issued = moment(js.text(node, "dateOfInvoice", path))
        if issued is not None:
            entry["issue_date"] = issued.date().isoformat()
        cert["references"] = {"invoices": [entry]}
        item["invoice_sequences"] = [1]
    cert["goods_items"] = [item]
    transport: dict[str, Any] = {}
    loading = js.text(node, "loadingBaseportLocationName", path)
    if loading:
        location: dict[str, Any] = {"name": loading}
        if _LOCODE.fullmatch(loading):
            location["locode"] = loading
            report.derived(cpath("transport", "loading_location", "locode"), "a UN/LOCODE", loading)
        transport["loading_location"] = location
    put(transport, "means_id", js.text(node, "mainCarriageTransportMovementId", path))
    put(cert, "transport", transport)
    if "includedConsignments" in node:
        report.dropped(
            f"{path}.includedConsignments",
            "no canonical field; kept in the source_document attachment",
            node["includedConsignments"],
        )
