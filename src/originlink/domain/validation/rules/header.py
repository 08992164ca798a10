"""Rules on the certificate header, the parties and the record's lifecycle.

DS-04 and DS-05 (what must and must not be present for the status), DS-07 (one number, one CO),
DS-12 (country codes), DS-13 (export and import countries differ), DS-15 (exporter's address),
DS-16 (producers). DS-30 (changes between versions) is in :mod:`.lifecycle`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from originlink.domain import codelists
from originlink.domain.dataset import (
    ISSUER_OWNED_PATHS,
    Certificate,
    ProducerStatement,
    Relation,
)
from originlink.domain.findings import Finding, join_path
from originlink.domain.validation.rules.base import (
    APPLICATION_ONLY,
    ISSUED_ON,
    SUBMITTED_ON,
    Rule,
    Subject,
    info,
    severe,
    warning,
)

_C = "certificate"


def ds04_mandatory_by_status(s: Subject) -> Iterator[Finding]:
    """From ISSUED on the issuer's data and signature are present; from SUBMITTED on the
    exporter's declaration date."""
    c, status = s.cert, s.cert.status
    certification = c.declarations.certification if c.declarations else None
    exporter_declaration = c.declarations.exporter if c.declarations else None
    signatures = s.doc.signatures
    needed: list[tuple[str, object, str]] = []
    if status in ISSUED_ON:
        needed += [
            (f"{_C}.certificate_number", c.certificate_number, "the certificate number"),
            (f"{_C}.issue_datetime", c.issue_datetime, "the date and time of issue"),
            (
                f"{_C}.parties.certifying_official.name",
                c.parties.certifying_official,
                "the name of the certifying official",
            ),
            (
                f"{_C}.declarations.certification.datetime",
                certification.datetime if certification else None,
                "the date and time of certification",
            ),
            (
                "signatures.issuing_authority",
                signatures.issuing_authority if signatures else None,
                "the issuing authority's signature",
            ),
        ]
    if status in SUBMITTED_ON:
        needed.append(
            (
                f"{_C}.declarations.exporter.date",
                exporter_declaration.date if exporter_declaration else None,
                "the date of the exporter's declaration",
            )
        )
    uncarried = s.context.uncarried_paths
    for path, value, label in needed:
        if value is None and _within(path, uncarried) and s.context.purpose == "document":
            source = s.context.source_format or "source"
            yield warning(
                "DS-04",
                path,
                f"A CO in status {status.value} must give {label}, but the {source} format has "
                "no place for it: a received CO is not refused for its absence.",
                status=status,
                source_format=source,
            )
        elif value is None:
            yield severe(
                "DS-04", path, f"A CO in status {status.value} must give {label}.", status=status
            )


def _within(path: str, prefixes: frozenset[str]) -> bool:
    return any(path == p or path.startswith((p + ".", p + "[")) for p in prefixes)


def ds05_no_issuer_fields_in_application(s: Subject) -> Iterator[Finding]:
    """An application carries nothing the issuing authority sets at issuance."""
    c = s.cert
    if c.status not in APPLICATION_ONLY:
        return
    for parts in ISSUER_OWNED_PATHS:
        node: Any = c
        for part in parts:
            node = getattr(node, part, None)
            if node is None:
                break
        if node is not None:
            yield severe(
                "DS-05",
                join_path(_C, *parts),
                f"An application (status {c.status.value}) must not contain '{parts[-1]}': "
                "the issuing authority sets it at issuance.",
                status=c.status,
            )
    if s.doc.signatures is not None and s.doc.signatures.issuing_authority is not None:
        yield severe(
            "DS-05",
            "signatures.issuing_authority",
            f"An application (status {c.status.value}) cannot carry the issuing authority's "
            "signature: the CO is signed at issuance.",
            status=c.status,
        )


def authority_code(c: Certificate) -> str | None:
    """The issuing authority's code: its ``TRUSTLIST`` identifier, else its first identifier."""
    identifiers = c.parties.issuing_authority.identifiers or []
    for identifier in identifiers:
        if identifier.scheme == "TRUSTLIST":
            return identifier.value
    return identifiers[0].value if identifiers else None


def ds07_number_unique(s: Subject) -> Iterator[Finding]:
    """(issuing country, authority, number) names one CO record; a true copy repeats it."""
    c = s.cert
    number = c.certificate_number
    if number is None:
        return
    path = f"{_C}.certificate_number"
    originals = c.references.related(Relation.TRUE_COPY_OF) if c.references else []
    if c.flag("certified_true_copy") and any(r.number == number for r in originals):
        yield info(
            "DS-07",
            path,
            "A certified true copy repeats the number of the CO it copies; "
            "the number is not checked for uniqueness.",
        )
        return
    lookup = s.context.number_in_use
    if lookup is None:
        yield info(
            "DS-07",
            path,
            "Uniqueness of the certificate number was not checked: no register of issued "
            "numbers was available to this check.",
        )
        return
    authority = authority_code(c)
    if authority is None:
        yield info(
            "DS-07",
            path,
            "Uniqueness of the certificate number was not checked: the issuing authority "
            "has no identifier.",
        )
        return
    if lookup(c.issuing_country, authority, number):
        yield severe(
            "DS-07",
            path,
            f"Certificate number {number} of {authority} ({c.issuing_country}) is already "
            "used by another CO.",
            issuing_country=c.issuing_country,
            authority=authority,
            number=number,
        )


def country_fields(c: Certificate) -> Iterator[tuple[str, str]]:
    """Every country code in the certificate, with its path."""
    yield f"{_C}.issuing_country", c.issuing_country
    yield f"{_C}.exporting_country", c.exporting_country
    yield f"{_C}.importing_country", c.importing_country
    p = c.parties
    for role in ("exporter", "importer", "consignee", "invoicing_operator", "applicant"):
        party = getattr(p, role)
        if party is not None:
            yield f"{_C}.parties.{role}.address.country_code", party.address.country_code
    yield (
        f"{_C}.parties.issuing_authority.address.country_code",
        (p.issuing_authority.address.country_code),
    )
    for i, producer in enumerate(p.producers or ()):
        yield (
            join_path(_C, "parties", "producers", i, "address", "country_code"),
            (producer.address.country_code),
        )
    if c.transport is not None:
        for i, code in enumerate(c.transport.transit_countries or ()):
            yield join_path(_C, "transport", "transit_countries", i), code
    for i, item in enumerate(c.goods_items):
        if item.origin_country is not None:
            yield join_path(_C, "goods_items", i, "origin_country"), item.origin_country
    if c.references is not None:
        for i, ref in enumerate(c.references.related_certificates or ()):
            base = (_C, "references", "related_certificates", i)
            yield join_path(*base, "issuing_country"), ref.issuing_country
            if ref.origin_country is not None:
                yield join_path(*base, "origin_country"), ref.origin_country


def ds12_country_codes(s: Subject) -> Iterator[Finding]:
    """Officially assigned ISO 3166-1 codes only; user-assigned ones only if the profile lists
    them as parties."""
    listed = set(s.profile.parties.countries) if s.profile else set()
    for path, code in country_fields(s.cert):
        if not codelists.is_country(code) and code not in listed:
            yield severe(
                "DS-12", path, f"'{code}' is not an ISO 3166-1 alpha-2 country code.", code=code
            )


def ds13_export_import_differ(s: Subject) -> Iterator[Finding]:
    """No profile allows exporting and importing country to be the same; the check always
    applies."""
    c = s.cert
    if c.exporting_country == c.importing_country:
        yield severe(
            "DS-13",
            f"{_C}.importing_country",
            f"The importing country is the exporting country ({c.exporting_country}); "
            "a CO covers goods going from one country to another.",
            country=c.exporting_country,
        )


def ds15_exporter_in_exporting_country(s: Subject) -> Iterator[Finding]:
    c = s.cert
    exporter_country = c.parties.exporter.address.country_code
    if exporter_country != c.exporting_country and not c.flag("back_to_back"):
        yield warning(
            "DS-15",
            f"{_C}.parties.exporter.address.country_code",
            f"The exporter's address is in {exporter_country}, but the goods are exported "
            f"from {c.exporting_country}.",
            exporter_country=exporter_country,
            exporting_country=c.exporting_country,
        )


def ds16_producers(s: Subject) -> Iterator[Finding]:
    p = s.cert.parties
    producers = p.producers or []
    seen: set[str] = set()
    for i, producer in enumerate(producers):
        if producer.party_id in seen:
            yield severe(
                "DS-16",
                join_path(_C, "parties", "producers", i, "party_id"),
                f"Producer id '{producer.party_id}' is used twice; each producer needs its own.",
            )
        seen.add(producer.party_id)
    if producers and p.producer_statement is ProducerStatement.SAME_AS_EXPORTER:
        yield severe(
            "DS-16",
            f"{_C}.parties.producers",
            "Producers are listed although the producer is declared to be the exporter "
            "(SAME_AS_EXPORTER); give one or the other.",
        )
    for i, item in enumerate(s.cert.goods_items):
        if item.producer_ref is not None and item.producer_ref not in seen:
            yield severe(
                "DS-16",
                join_path(_C, "goods_items", i, "producer_ref"),
                f"Item {item.sequence_number} refers to producer '{item.producer_ref}', "
                "which is not among the listed producers.",
                producer_ref=item.producer_ref,
                known=sorted(seen),
            )


RULES: tuple[Rule, ...] = (
    ds04_mandatory_by_status,
    ds05_no_issuer_fields_in_application,
    ds07_number_unique,
    ds12_country_codes,
    ds13_export_import_differ,
    ds15_exporter_in_exporting_country,
    ds16_producers,
)
