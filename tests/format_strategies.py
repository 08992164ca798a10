"""Hypothesis strategies for random, structurally valid canonical CO documents.

Written for the format round-trip tests (``tests/strategies.py`` draws wilder data for the
dataset tests). Text here is trimmed and NFC, as any real form field is, because the XML and
edi3 readers trim text; optional members are absent or present independently, so every mapping
is exercised with and without its neighbours.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from hypothesis import strategies as st

from originlink.domain.dataset import CODocument

_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 .,-/&'éüñ中"
COUNTRIES = ["SG", "JP", "CN", "KR", "AU", "BR", "AR", "UY", "PY", "TH", "VN", "GB"]
UNITS = ["KGM", "GRM", "TNE", "H87", "LTR", "MTQ"]


def text(max_size: int = 40) -> st.SearchStrategy[str]:
    return (
        st.text(alphabet=_ALPHABET, min_size=1, max_size=max_size)
        .map(lambda s: " ".join(s.split()))
        .filter(bool)
    )


_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_DIGITS = "0123456789"
ident = st.builds(
    lambda a, b: a + b,
    st.sampled_from(_UPPER + _DIGITS),
    st.text(alphabet=_UPPER + _DIGITS + "-/.", max_size=12),
)
code = st.builds(
    lambda a, b: a + b,
    st.sampled_from(_UPPER),
    st.text(alphabet=_UPPER + _DIGITS + "_", max_size=8),
)


def digits(low: int, high: int) -> st.SearchStrategy[str]:
    return st.text(alphabet=_DIGITS, min_size=low, max_size=high)


country = st.sampled_from(COUNTRIES)
day = st.dates(date(1990, 1, 1), date(2089, 12, 31)).map(lambda d: d.isoformat())
moment = st.builds(
    lambda d, h, m, off: f"{d}T{h:02d}:{m:02d}:00{off}",
    day,
    st.integers(0, 23),
    st.integers(0, 59),
    st.sampled_from(["Z", "+08:00", "-03:00", "+09:00"]),
)
decimal = st.builds(
    lambda whole, frac: f"{whole}.{frac}" if frac else str(whole),
    st.integers(0, 10**6),
    st.sampled_from(["", "5", "25", "125"]),
)


def optional(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.none() | strategy


def _with_country(party: dict[str, Any] | None, code: str) -> dict[str, Any] | None:
    if party is not None:
        party["address"]["country_code"] = code
    return party


def pruned(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v is not None and v != {} and v != []}


_LINES = optional(st.lists(text(), min_size=1, max_size=3))
_PHONE = optional(digits(6, 12).map(lambda d: "+" + d))
_EMAIL = optional(st.just("office@example.org"))
_SITE = optional(st.just("https://www.example.org/"))
_IDENTIFIERS = optional(
    st.lists(
        st.builds(
            lambda s, v: {"scheme": s, "value": v},
            st.sampled_from(["AU:ABN", "SG:UEN", "GS1:GLN", "TAX", "ALADI:EH"]),
            ident,
        ),
        min_size=1,
        max_size=2,
    )
)
_TEXT = text()
_OPT_TEXT = optional(_TEXT)
_POSTCODE = optional(digits(4, 6))


@st.composite
def party(draw: st.DrawFn, country_code: str | None = None) -> dict[str, Any]:
    address = pruned(
        {
            "lines": draw(_LINES),
            "locality": draw(_OPT_TEXT),
            "city": draw(_OPT_TEXT),
            "postcode": draw(_POSTCODE),
            "subdivision": draw(_OPT_TEXT),
            "country_code": country_code or draw(country),
        }
    )
    contact = pruned(
        {
            "telephone": draw(_PHONE),
            "fax": draw(_PHONE),
            "email": draw(_EMAIL),
            "website": draw(_SITE),
        }
    )
    return pruned(
        {
            "name": draw(_TEXT),
            "identifiers": draw(_IDENTIFIERS),
            "address": address,
            "contact": contact,
        }
    )


_MEASURE = optional(
    st.builds(lambda v, u: {"value": v, "unit_code": u}, decimal, st.sampled_from(UNITS))
)
_CRITERION = optional(
    st.builds(
        lambda c, p, t: pruned({"code": c, "value_content_percent": p, "text": t}),
        optional(st.sampled_from(["WO", "PE", "RVC", "CTH", "A", "B"])),
        optional(st.sampled_from(["40", "45.5", "60"])),
        _OPT_TEXT,
    ).filter(bool)
)
_PRODUCT = optional(st.builds(lambda v: {"scheme": "GS1:GTIN", "value": v}, digits(13, 13)))
_HS = st.sampled_from(["848210", "220421", "870422", "87042210", "010121"])
_EDITION = optional(st.sampled_from(["HS2017", "HS2022"]))
_COUNTRY = optional(country)
_FOB = optional(
    st.builds(
        lambda v: {"value": v, "currency_code": "USD"},
        st.integers(0, 10**7).map(lambda n: f"{n}.00"),
    )
)
_PACKAGES = optional(
    st.builds(
        lambda c, t, m: pruned({"count": c, "type_code": t, "marks": m}),
        optional(st.integers(1, 500)),
        optional(st.sampled_from(["CT", "PK", "BX"])),
        _OPT_TEXT,
    ).filter(bool)
)
_DECLARATION = optional(
    st.builds(lambda n, d: pruned({"number": n, "date": d}), optional(ident), optional(day)).filter(
        bool
    )
)
_CONSIGNMENT_ITEM = optional(
    st.builds(lambda i, t: pruned({"id": i, "information": t}), optional(ident), _OPT_TEXT).filter(
        bool
    )
)


@st.composite
def goods_item(
    draw: st.DrawFn, sequence: int, invoices: int, producers: list[str]
) -> dict[str, Any]:
    item = {
        "sequence_number": sequence,
        "description": draw(_TEXT),
        "product_identifier": draw(_PRODUCT),
        "hs_code": draw(_HS),
        "hs_edition": draw(_EDITION),
        "hs_description": draw(_OPT_TEXT),
        "origin_country": draw(_COUNTRY),
        "origin_criterion": draw(_CRITERION),
        "quantity": draw(_MEASURE),
        "gross_weight": draw(_MEASURE),
        "net_weight": draw(_MEASURE),
        "fob_value": draw(_FOB),
        "packages": draw(_PACKAGES),
        "invoice_sequences": draw(
            optional(st.lists(st.integers(1, invoices), min_size=1, max_size=2, unique=True))
        )
        if invoices
        else None,
        "producer_ref": draw(optional(st.sampled_from(producers))) if producers else None,
        "origin_declaration": draw(_DECLARATION),
        "consignment_item": draw(_CONSIGNMENT_ITEM),
    }
    if item["hs_code"] == "87042210":
        item["hs_extension_scheme"] = "NALADISA"
    return pruned(item)


_OPT_IDENT = optional(ident)
_MODE = optional(st.sampled_from(["1", "3", "4", "2", "6"]))
_DEPARTURE = optional(day | moment)
_LOADING = optional(
    st.builds(lambda c, n: pruned({"locode": c, "name": n}), optional(st.just("SGSIN")), _TEXT)
)
_DISCHARGE = optional(
    st.builds(lambda c, n: pruned({"locode": c, "name": n}), st.just("JPOSA"), _OPT_TEXT)
)
_TRANSIT = optional(st.lists(country, min_size=1, max_size=2))
_TRANSPORT_PACKAGES = optional(
    st.lists(
        st.builds(
            lambda i, w: pruned({"package_id": i, "gross_weight": w}),
            ident,
            optional(st.builds(lambda v: {"value": v, "unit_code": "KGM"}, decimal)),
        ),
        min_size=1,
        max_size=2,
    )
)
_TWO_COUNTRIES = st.lists(country, min_size=2, max_size=2, unique=True)
_OPT_DAY = optional(day)
_INVOICE_URI = st.booleans()
_UUID = optional(st.uuids().map(str))
_AGREEMENT = st.sampled_from(["RCEP", "MERCOSUR", "ATIGA"])
_APPLICATION_STATUS = st.sampled_from(["DRAFT", "SUBMITTED"])
_REMARKS = optional(st.lists(_TEXT, min_size=1, max_size=2))
_IMPORTER = optional(party())
_OTHER_PARTY = optional(party())
_STATEMENT = optional(st.sampled_from(["SAME_AS_EXPORTER", "CONFIDENTIAL"]))
_FLAGS = optional(
    st.builds(
        lambda a, b: pruned({"accumulation": a, "de_minimis": b}),
        optional(st.just(True)),
        optional(st.just(True)),
    ).filter(bool)
)
_MOMENT = optional(moment)


@st.composite
def co_documents(draw: st.DrawFn) -> dict[str, Any]:
    """A structurally valid CO document as JSON data."""
    exporting, importing = draw(_TWO_COUNTRIES)
    issued = draw(st.booleans())
    n_invoices = draw(st.integers(0, 3))
    producers = [f"P{n + 1}" for n in range(draw(st.integers(0, 2)))]
    goods = [draw(goods_item(n + 1, n_invoices, producers)) for n in range(draw(st.integers(1, 4)))]
    invoices = [
        pruned(
            {
                "sequence": n + 1,
                "number": draw(ident),
                "issue_date": draw(_OPT_DAY),
                "uri": f"https://docs.example.org/inv/{n}" if draw(_INVOICE_URI) else None,
            }
        )
        for n in range(n_invoices)
    ]
    transport = pruned(
        {
            "consignment_reference": draw(_OPT_IDENT),
            "information": draw(_OPT_TEXT),
            "mode_code": draw(_MODE),
            "mode_text": draw(_OPT_TEXT),
            "means_id": draw(_OPT_IDENT),
            "means_name": draw(_OPT_TEXT),
            "journey_id": draw(_OPT_IDENT),
            "departure_datetime": draw(_DEPARTURE),
            "route_description": draw(_OPT_TEXT),
            "loading_location": draw(_LOADING),
            "discharge_location": draw(_DISCHARGE),
            "transit_countries": draw(_TRANSIT),
            "packages": draw(_TRANSPORT_PACKAGES),
        }
    )
    certificate: dict[str, Any] = {
        "certificate_number": draw(ident) if issued else None,
        "uuid": draw(_UUID),
        "version": draw(st.integers(1, 5)),
        "form_code": draw(code),
        "title": draw(_OPT_TEXT),
        "is_preferential": True,
        "agreement": {"code": draw(_AGREEMENT)},
        "status": "ISSUED" if issued else draw(_APPLICATION_STATUS),
        "issue_datetime": draw(moment) if issued else None,
        "issuing_country": exporting,
        "exporting_country": exporting,
        "importing_country": importing,
        "application_reference": draw(_OPT_IDENT),
        "remarks": draw(_REMARKS),
        "parties": pruned(
            {
                "exporter": draw(party(exporting)),
                "importer": _with_country(draw(_IMPORTER), importing),
                "consignee": draw(_OTHER_PARTY),
                "applicant": draw(_OTHER_PARTY),
                "issuing_authority": draw(party(exporting)),
                "producers": [{**draw(party()), "party_id": p} for p in producers],
                "producer_statement": draw(_STATEMENT),
                "certifying_official": {"name": draw(text())} if issued else None,
            }
        ),
        "transport": transport,
        "goods_items": goods,
        "references": pruned({"invoices": invoices}),
        "flags": draw(_FLAGS),
        "declarations": pruned(
            {
                "exporter": pruned(
                    {"date": draw(_MOMENT), "statement": draw(_OPT_TEXT), "place": draw(_OPT_TEXT)}
                ),
                "certification": pruned(
                    {
                        "datetime": draw(moment) if issued else None,
                        "control_code": draw(_OPT_IDENT) if issued else None,
                    }
                ),
            }
        ),
    }
    signatures = {"issuing_authority": {"format": "jws", "value": "eyJhbGciOiJFUzI1NiJ9.e30.sig"}}
    document = {"certificate": pruned(certificate)}
    if issued:
        document["signatures"] = signatures
    CODocument.model_validate(document)
    return document
