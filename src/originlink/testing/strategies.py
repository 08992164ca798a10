"""Hypothesis strategies for random *valid* canonical CO documents, and single-leaf changes.

``co_json()`` draws the JSON data of a CO document that :class:`~originlink.domain.dataset.
CODocument` accepts (random parties, items, decimals, dates, flags, references, attachments,
extensions); ``co_documents()`` parses it. The data is already in the model's normal form
(decimals as strings, date-times with ``Z`` or an offset, absent members omitted), so
``CODocument.model_validate(data).to_json_dict() == data``.

``leaf_paths`` and ``changed_leaf`` change exactly one scalar of a document to a different value
of the same kind (another digit, letter, enum member, integer or truth value), which is what a
forger or a corrupted transfer does; the result is usually still a valid CO.
"""

from __future__ import annotations

import copy
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from enum import StrEnum
from typing import Any

from hypothesis import strategies as st

from originlink.domain.dataset import (
    AttachmentPurpose,
    CODocument,
    HsEdition,
    ProducerStatement,
    Relation,
    Status,
    TransportMode,
)
from originlink.domain.dataset.types import datetime_to_json

_TEXT_ALPHABET = (
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789 ,.-/&'()éüßøñçÅ中日本語한국"
)
_COUNTRIES = ["SG", "JP", "CN", "KR", "AU", "NZ", "TH", "VN", "MY", "ID", "BR", "AR", "CL", "FR"]
_OFFSETS = [UTC, *(timezone(timedelta(minutes=m)) for m in (480, 540, -180, 330, -300, 345))]


_UPPER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_DIGITS = "0123456789"


def _text(max_size: int = 40) -> st.SearchStrategy[str]:
    return st.text(_TEXT_ALPHABET, min_size=1, max_size=max_size).map(str.strip).filter(bool)


def _joined(*parts: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.tuples(*parts).map("".join)


def _ident(max_size: int = 20) -> st.SearchStrategy[str]:
    """An identifier such as an invoice number: letters, digits, inner hyphens."""
    return _joined(
        st.sampled_from(_UPPER + _DIGITS), st.text(_UPPER + _DIGITS + "-", max_size=max_size - 1)
    )


def _code() -> st.SearchStrategy[str]:
    return _joined(st.sampled_from(_UPPER), st.text(_UPPER + _DIGITS + "_", max_size=8))


def _decimal(max_int_digits: int, max_places: int) -> st.SearchStrategy[str]:
    """A plain decimal string with at most ``max_int_digits`` before the point."""

    def build(units: int, places: int) -> str:
        return format(Decimal(units % 10 ** (max_int_digits + places)).scaleb(-places), "f")

    return st.builds(
        build, st.integers(0, 10 ** (max_int_digits + max_places)), st.integers(0, max_places)
    )


def _percent() -> st.SearchStrategy[str]:
    """0 to 100 with at most two decimals."""

    def build(units: int, places: int) -> str:
        return format(Decimal(units % (100 * 10**places + 1)).scaleb(-places), "f")

    return st.builds(build, st.integers(0, 10_000), st.integers(0, 2))


def _date() -> st.SearchStrategy[str]:
    return st.dates(date(2000, 1, 1), date(2035, 12, 31)).map(date.isoformat)


def _datetime() -> st.SearchStrategy[str]:
    moments = st.datetimes(
        datetime(2000, 1, 1), datetime(2035, 12, 31), timezones=st.sampled_from(_OFFSETS)
    )
    return moments.map(
        lambda d: datetime_to_json(d.replace(microsecond=d.microsecond // 1000 * 1000))
    )


def _enum(kind: type[StrEnum]) -> st.SearchStrategy[str]:
    return st.sampled_from([member.value for member in kind])


_COUNTRY = st.sampled_from(_COUNTRIES)
_MEASURE = st.fixed_dictionaries(
    {"value": _decimal(8, 3), "unit_code": st.sampled_from(["KGM", "H87", "LTR", "MTR", "C62"])}
)
_AMOUNT = st.fixed_dictionaries(
    {"value": _decimal(10, 2), "currency_code": st.sampled_from(["USD", "EUR", "JPY", "SGD"])}
)
_PARTY = st.fixed_dictionaries(
    {
        "name": _text(60),
        "address": st.fixed_dictionaries(
            {"country_code": _COUNTRY},
            optional={
                "lines": st.lists(_text(), min_size=1, max_size=3),
                "city": _text(),
                "postcode": _ident(8),
            },
        ),
    },
    optional={
        "identifiers": st.lists(
            st.fixed_dictionaries({"scheme": _code(), "value": _ident()}), min_size=1, max_size=2
        ),
        "contact": st.fixed_dictionaries({}, optional={"telephone": _ident(15)}),
    },
)
_GOODS_ITEM = st.fixed_dictionaries(
    {
        "description": _text(80),
        "hs_code": _joined(st.text(_DIGITS, min_size=6, max_size=6), st.sampled_from(["", "90"])),
    },
    optional={
        "hs_edition": _enum(HsEdition),
        "origin_country": _COUNTRY,
        "origin_criterion": st.fixed_dictionaries(
            {"code": st.sampled_from(["WO", "PE", "RVC", "CTH", "CTSH"])},
            optional={"value_content_percent": _percent(), "text": _text()},
        ),
        "quantity": _MEASURE,
        "gross_weight": _MEASURE,
        "net_weight": _MEASURE,
        "fob_value": _AMOUNT,
        "packages": st.fixed_dictionaries(
            {}, optional={"count": st.integers(1, 5000), "type_code": st.sampled_from(["CT", "BX"])}
        ),
        "origin_declaration": st.fixed_dictionaries({"number": _ident(), "date": _date()}),
        "invoice_sequences": st.lists(st.integers(1, 3), min_size=1, max_size=3, unique=True),
    },
)
_INVOICE = st.fixed_dictionaries({"number": _ident()}, optional={"issue_date": _date()})
_CERTIFICATE = st.fixed_dictionaries(
    {
        "version": st.integers(1, 50),
        "form_code": _code(),
        "status": _enum(Status),
        "issuing_country": _COUNTRY,
        "exporting_country": _COUNTRY,
        "importing_country": _COUNTRY,
        "parties": st.fixed_dictionaries(
            {"exporter": _PARTY, "issuing_authority": _PARTY},
            optional={
                "importer": _PARTY,
                "consignee": _PARTY,
                "producer_statement": _enum(ProducerStatement),
                "certifying_official": st.fixed_dictionaries({"name": _text()}),
            },
        ),
    },
    optional={
        "certificate_number": _ident(30),
        "uuid": st.uuids().map(str),
        "title": _text(),
        "issue_datetime": _datetime(),
        "issue_place": st.fixed_dictionaries(
            {},
            optional={
                "locode": _joined(
                    st.text(_UPPER, min_size=2, max_size=2),
                    st.text(_UPPER + "23456789", min_size=3, max_size=3),
                )
            },
        ),
        "validity_end_date": _date(),
        "remarks": st.lists(_text(100), min_size=1, max_size=2),
        "extensions": st.fixed_dictionaries(
            {
                "RCEP": st.dictionaries(
                    _code(), st.one_of(_text(), st.integers(-1000, 10**6)), max_size=3
                )
            }
        ),
        "transport": st.fixed_dictionaries(
            {},
            optional={
                "mode_code": _enum(TransportMode),
                "departure_datetime": st.one_of(_date(), _datetime()),
                "means_name": _text(),
                "transit_countries": st.lists(_COUNTRY, min_size=1, max_size=2),
            },
        ),
        "flags": st.fixed_dictionaries(
            {}, optional={"issued_retroactively": st.booleans(), "accumulation": st.booleans()}
        ),
        "declarations": st.fixed_dictionaries(
            {},
            optional={
                "exporter": st.fixed_dictionaries(
                    {"date": _datetime()}, optional={"place": _text()}
                ),
                "certification": st.fixed_dictionaries({"datetime": _datetime()}),
            },
        ),
        "attachments": st.lists(
            st.fixed_dictionaries(
                {
                    "attachment_id": _ident(),
                    "purpose": _enum(AttachmentPurpose),
                    "mime_type": st.just("application/pdf"),
                    "sha256": st.text("0123456789abcdef", min_size=64, max_size=64),
                    "uri": st.just("https://docs.example/a.pdf"),
                }
            ),
            min_size=1,
            max_size=2,
        ),
        "references": st.fixed_dictionaries(
            {
                "related_certificates": st.lists(
                    st.fixed_dictionaries(
                        {
                            "relation": _enum(Relation),
                            "number": _ident(),
                            "issue_date": _date(),
                            "issuing_country": _COUNTRY,
                        }
                    ),
                    min_size=1,
                    max_size=1,
                )
            }
        ),
    },
)
_AGREEMENT = st.sampled_from(["RCEP", "ATIGA", "CPTPP", "ChAFTA"])


@st.composite
def co_json(draw: st.DrawFn, *, max_items: int = 12) -> dict[str, Any]:
    """The JSON data of a random valid CO document (no signatures)."""
    certificate: dict[str, Any] = draw(_CERTIFICATE)
    if draw(st.booleans()):
        certificate["is_preferential"] = True
        certificate["agreement"] = {"code": draw(_AGREEMENT)}
    else:
        certificate["is_preferential"] = False
    items: list[dict[str, Any]] = draw(st.lists(_GOODS_ITEM, min_size=1, max_size=max_items))
    invoices: list[dict[str, Any]] = draw(st.lists(_INVOICE, max_size=3))
    for index, item in enumerate(items):
        item["sequence_number"] = index + 1
        picks: list[int] | None = item.pop("invoice_sequences", None)
        if picks and invoices:
            item["invoice_sequences"] = sorted({(p - 1) % len(invoices) + 1 for p in picks})
    certificate["goods_items"] = items
    if invoices:
        references: dict[str, Any] = certificate.setdefault("references", {})
        references["invoices"] = [{"sequence": i + 1, **inv} for i, inv in enumerate(invoices)]
    return {"certificate": certificate}


def co_documents(*, max_items: int = 12) -> st.SearchStrategy[CODocument]:
    """Random valid :class:`CODocument` objects."""
    return co_json(max_items=max_items).map(CODocument.model_validate)


# --- single-leaf changes -------------------------------------------------------------------------

_ENUM_MEMBERS: dict[str, list[str]] = {
    "status": [m.value for m in Status],
    "producer_statement": [m.value for m in ProducerStatement],
    "relation": [m.value for m in Relation],
    "purpose": [m.value for m in AttachmentPurpose],
    "mode_code": [m.value for m in TransportMode],
    "hs_edition": [m.value for m in HsEdition],
}

Path = tuple[str | int, ...]


def leaf_paths(value: Any, prefix: Path = ()) -> list[Path]:
    """The paths of every scalar (string, number, boolean) inside ``value``."""
    if isinstance(value, dict):
        return [p for key, child in value.items() for p in leaf_paths(child, (*prefix, key))]
    if isinstance(value, list):
        return [p for index, child in enumerate(value) for p in leaf_paths(child, (*prefix, index))]
    return [prefix]


def _swap(ch: str) -> str:
    """A different character of the same class: 0↔1, 2↔3 … a↔b … Y↔Z."""
    base = "0" if ch.isdigit() else "a" if ch.islower() else "A"
    offset = ord(ch) - ord(base)
    return chr(ord(base) + (offset ^ 1))


def changed_value(key: str | int | None, value: Any) -> Any:
    """A value of the same kind as ``value`` that differs from it."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1 if value < 999 else value - 1
    if isinstance(key, str) and key in _ENUM_MEMBERS and value in _ENUM_MEMBERS[key]:
        members = _ENUM_MEMBERS[key]
        return members[(members.index(value) + 1) % len(members)]
    if isinstance(value, str):
        for wanted in (str.isdigit, str.isalpha):
            positions = [i for i, ch in enumerate(value) if ch.isascii() and wanted(ch)]
            if positions:
                i = positions[-1]
                return value[:i] + _swap(value[i]) + value[i + 1 :]
        return value[:-1] + ("A" if value[-1] != "A" else "B")
    raise TypeError(f"cannot change a {type(value).__name__}")


def changed_leaf(data: dict[str, Any], path: Path) -> dict[str, Any]:
    """A deep copy of ``data`` with the scalar at ``path`` changed by :func:`changed_value`."""
    out = copy.deepcopy(data)
    node: Any = out
    for step in path[:-1]:
        node = node[step]
    node[path[-1]] = changed_value(path[-1], node[path[-1]])
    return out
