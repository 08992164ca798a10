"""Hypothesis strategies for random canonical CO documents that the dataset models accept.

``co_documents()`` draws the JSON data of a structurally valid CO in *normal form* (decimals
without leading zeros, date-times with ``Z`` for UTC and three-digit milliseconds when any, lower-
case UUIDs), so parsing then serialising must give the same data back. The values are random
within the dataset's types (NFC text in any script, decimals at their digit limits, all optional
members present or absent), not realistic: the rules of ``dataset.md`` §14 are not respected.

The trust helper keeps a similar module at ``originlink.testing.strategies`` on its branch; the
two are to be unified.
"""

from __future__ import annotations

import base64
import hashlib
import unicodedata
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from enum import StrEnum
from typing import Any

from hypothesis import strategies as st

from originlink.domain.dataset import (
    AttachmentPurpose,
    HsEdition,
    ProducerStatement,
    Relation,
    SignatureFormat,
    Status,
    TransportMode,
)
from originlink.domain.dataset.types import datetime_to_json

Strategy = st.SearchStrategy

_OFFSETS = [UTC, *(timezone(timedelta(minutes=m)) for m in (-720, -180, 330, 345, 480, 840))]
_TEXT_CHARS = st.characters(exclude_categories=("Cc", "Cs"))


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def text(max_len: int, *, multiline: bool = False) -> Strategy[str]:
    """NFC text without control characters (line feed only in multi-line fields)."""
    chars = st.one_of(_TEXT_CHARS, st.just("\n")) if multiline else _TEXT_CHARS
    # 12 characters stay within every limit (>= 50) even where NFC composes or expands them.
    return st.text(chars, min_size=1, max_size=12).map(_nfc)


def ident(max_len: int = 35) -> Strategy[str]:
    """An identifier: no control characters, no surrounding white space."""
    inner = max_len - 2
    return st.from_regex(
        rf"[^\s\x00-\x1f\x7f](?:[^\x00-\x1f\x7f]{{0,{min(inner, 12)}}}[^\s\x00-\x1f\x7f])?",
        fullmatch=True,
    )


def code() -> Strategy[str]:
    return st.from_regex(r"[A-Za-z0-9][A-Za-z0-9_:.\-]{0,12}", fullmatch=True)


def country() -> Strategy[str]:
    return st.from_regex(r"[A-Z]{2}", fullmatch=True)


def decimal_text(max_digits: int, max_places: int, *, signed: bool = False) -> Strategy[str]:
    """A decimal string in normal form with at most ``max_digits`` significant digits."""

    def build(units: int, places: int, negative: bool) -> str:
        value = Decimal(units).scaleb(-places)
        return ("-" if negative and units else "") + format(value, "f")

    return st.builds(
        build,
        st.integers(0, 10**max_digits - 1),
        st.integers(0, max_places),
        st.booleans() if signed else st.just(False),
    )


def percent() -> Strategy[str]:
    return st.builds(
        lambda hundredths: format(Decimal(hundredths).scaleb(-2), "f"), st.integers(0, 10000)
    )


def day() -> Strategy[str]:
    return st.dates(date(2000, 1, 1), date(2040, 12, 31)).map(date.isoformat)


def moment() -> Strategy[str]:
    instants = st.datetimes(
        datetime(2000, 1, 1), datetime(2040, 12, 31), timezones=st.sampled_from(_OFFSETS)
    )
    return instants.map(
        lambda d: datetime_to_json(d.replace(microsecond=d.microsecond // 1000 * 1000))
    )


def enum(kind: type[StrEnum]) -> Strategy[str]:
    return st.sampled_from([member.value for member in kind])


def obj(required: dict[str, Strategy[Any]], optional: dict[str, Strategy[Any]]) -> Strategy[Any]:
    """A JSON object with every required member and any subset of the optional ones."""
    return st.fixed_dictionaries(required, optional=optional)


def some(element: Strategy[Any], max_size: int = 2) -> Strategy[list[Any]]:
    return st.lists(element, min_size=1, max_size=max_size)


def measure() -> Strategy[Any]:
    return obj(
        {
            "value": decimal_text(16, 6, signed=True),
            "unit_code": st.from_regex(r"[A-Z0-9]{2,3}", fullmatch=True),
        },
        {},
    )


def amount() -> Strategy[Any]:
    return obj(
        {
            "value": decimal_text(18, 4, signed=True),
            "currency_code": st.from_regex(r"[A-Z]{3}", fullmatch=True),
        },
        {},
    )


def uri() -> Strategy[str]:
    return st.from_regex(r"https://[a-z]{1,10}\.example/[A-Za-z0-9/._-]{0,20}", fullmatch=True)


def identifier() -> Strategy[Any]:
    return obj({"scheme": code(), "value": ident(64)}, {})


def address() -> Strategy[Any]:
    return obj(
        {"country_code": country()},
        {
            "lines": some(text(256), 4),
            "locality": text(256),
            "city": text(256),
            "postcode": ident(17),
            "subdivision": text(256),
        },
    )


def party_fields() -> tuple[dict[str, Strategy[Any]], dict[str, Strategy[Any]]]:
    contact = obj(
        {},
        {
            "telephone": text(50),
            "fax": text(50),
            "email": st.from_regex(r"[a-z0-9.]{1,10}@[a-z]{1,10}\.example", fullmatch=True),
            "website": uri(),
        },
    )
    return {"name": text(256), "address": address()}, {
        "identifiers": some(identifier()),
        "contact": contact,
    }


def party() -> Strategy[Any]:
    return obj(*party_fields())


def producer() -> Strategy[Any]:
    required, optional = party_fields()
    return obj({**required, "party_id": ident()}, optional)


def parties() -> Strategy[Any]:
    official = obj({"name": text(256)}, {"job_title": text(256)})
    return obj(
        {"exporter": party(), "issuing_authority": party()},
        {
            "producers": some(producer(), 2),
            "producer_statement": enum(ProducerStatement),
            "importer": party(),
            "consignee": party(),
            "invoicing_operator": party(),
            "applicant": party(),
            "certifying_official": official,
        },
    )


def transport() -> Strategy[Any]:
    location = obj(
        {}, {"locode": st.from_regex(r"[A-Z]{2}[A-Z2-9]{3}", fullmatch=True), "name": text(256)}
    )
    package = obj({}, {"package_id": ident(), "gross_weight": measure(), "gross_volume": measure()})
    return obj(
        {},
        {
            "consignment_reference": ident(),
            "information": text(2048, multiline=True),
            "mode_code": enum(TransportMode),
            "mode_text": text(256),
            "means_id": ident(),
            "means_name": text(256),
            "journey_id": ident(),
            "departure_datetime": st.one_of(day(), moment()),
            "route_description": text(2048, multiline=True),
            "loading_location": location,
            "discharge_location": location,
            "transit_countries": some(country()),
            "packages": some(package, 2),
        },
    )


def goods_item(sequence: int) -> Strategy[Any]:
    criterion = obj(
        {}, {"code": code(), "value_content_percent": percent(), "text": text(1024, multiline=True)}
    )
    packages = obj(
        {},
        {
            "count": st.integers(1, 10**6),
            "type_code": st.from_regex(r"[A-Z0-9]{2}", fullmatch=True),
            "marks": text(512),
        },
    )
    return obj(
        {
            "sequence_number": st.just(sequence),
            "description": text(2048, multiline=True),
            "hs_code": st.from_regex(r"[0-9]{6}(?:[0-9. ]{0,6})", fullmatch=True),
        },
        {
            "product_identifier": identifier(),
            "hs_edition": enum(HsEdition),
            "hs_extension_scheme": code(),
            "hs_description": text(512),
            "origin_country": country(),
            "origin_criterion": criterion,
            "quantity": measure(),
            "gross_weight": measure(),
            "net_weight": measure(),
            "fob_value": amount(),
            "packages": packages,
            "invoice_sequences": some(st.integers(1, 50)),
            "producer_ref": ident(),
            "origin_declaration": obj({}, {"number": ident(), "date": day()}),
            "consignment_item": obj(
                {}, {"id": ident(2048), "information": text(2048, multiline=True)}
            ),
        },
    )


def goods_items() -> Strategy[list[Any]]:
    """0 to 3 items numbered 1..n (an empty list is structurally valid; DS-01 refuses it)."""

    def renumber(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{**item, "sequence_number": n + 1} for n, item in enumerate(items)]

    return st.lists(goods_item(1), max_size=3).map(renumber)


def references() -> Strategy[Any]:
    invoice = obj(
        {"sequence": st.integers(1, 50), "number": ident()},
        {"issue_date": day(), "issued_by_invoicing_operator": st.booleans(), "uri": uri()},
    )
    related = obj(
        {
            "relation": enum(Relation),
            "number": st.from_regex(r"[A-Za-z0-9/.\-]{1,35}", fullmatch=True),
            "issue_date": day(),
            "issuing_country": country(),
        },
        {"issuing_authority_name": text(256), "origin_country": country()},
    )
    document = obj(
        {"type_code": st.from_regex(r"[0-9]{1,3}", fullmatch=True), "number": ident()},
        {"issue_date": day(), "uri": uri()},
    )
    return obj(
        {},
        {
            "invoices": some(invoice),
            "related_certificates": some(related),
            "additional_documents": some(document),
        },
    )


def flags() -> Strategy[Any]:
    names = (
        "issued_retroactively",
        "certified_true_copy",
        "back_to_back",
        "third_party_invoicing",
        "exhibition",
        "accumulation",
        "partial_cumulation",
        "de_minimis",
    )
    return obj({}, {**{name: st.booleans() for name in names}, "true_copy_issue_date": day()})


def attachment() -> Strategy[Any]:
    def build(content: bytes, with_content: bool) -> dict[str, Any]:
        out: dict[str, Any] = {"sha256": hashlib.sha256(content).hexdigest()}
        if with_content:
            out["content_base64"] = base64.b64encode(content).decode()
        return out

    return st.builds(
        lambda base, extra: {**base, **extra},
        obj(
            {
                "attachment_id": ident(),
                "purpose": enum(AttachmentPurpose),
                "mime_type": st.sampled_from(["application/pdf", "application/xml", "image/png"]),
            },
            {"filename": text(256), "uri": uri(), "size_bytes": st.integers(0, 10**7)},
        ),
        st.builds(build, st.binary(min_size=1, max_size=64), st.booleans()),
    )


def json_values() -> Strategy[Any]:
    scalars = st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(10**12), 10**12),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(max_size=10),
    )
    return st.recursive(
        scalars,
        lambda inner: st.one_of(
            st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=3)
        ),
        max_leaves=8,
    )


def certificate() -> Strategy[Any]:
    declarations = obj(
        {},
        {
            "exporter": obj(
                {},
                {
                    "statement": text(2048, multiline=True),
                    "place": text(256),
                    "date": moment(),
                    "signatory_name": text(256),
                    "signatory_job_title": text(256),
                },
            ),
            "certification": obj(
                {},
                {
                    "datetime": moment(),
                    "statement": text(2048, multiline=True),
                    "control_code": ident(),
                    "verification_url": uri(),
                },
            ),
        },
    )
    return obj(
        {
            "version": st.integers(1, 10**6),
            "form_code": code(),
            "is_preferential": st.booleans(),
            "status": enum(Status),
            "issuing_country": country(),
            "exporting_country": country(),
            "importing_country": country(),
            "parties": parties(),
            "goods_items": goods_items(),
        },
        {
            "certificate_number": st.from_regex(r"[A-Za-z0-9/.\-]{1,35}", fullmatch=True),
            "uuid": st.uuids().map(str),
            "title": text(256),
            "agreement": obj({"code": code()}, {"name": text(512)}),
            "issue_datetime": moment(),
            "issue_place": obj(
                {},
                {
                    "locode": st.from_regex(r"[A-Z]{2}[A-Z2-9]{3}", fullmatch=True),
                    "name": text(256),
                },
            ),
            "validity_end_date": day(),
            "application_reference": ident(),
            "remarks": some(text(2048, multiline=True)),
            "official_remarks": some(text(2048, multiline=True)),
            "extensions": st.dictionaries(code(), json_values(), max_size=2),
            "transport": transport(),
            "references": references(),
            "flags": flags(),
            "declarations": declarations,
            "attachments": some(attachment(), 2),
        },
    )


def co_documents() -> Strategy[dict[str, Any]]:
    """JSON data of a structurally valid CO document, in normal form."""
    signature = obj(
        {"format": enum(SignatureFormat), "value": st.text(min_size=1, max_size=40)}, {}
    )
    return obj(
        {"certificate": certificate()},
        {"signatures": obj({}, {"issuing_authority": signature, "exporter": signature})},
    )
