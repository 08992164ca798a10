"""Parties (``dataset.md`` §4): one structure for every role, plus the role group."""

from __future__ import annotations

from pydantic import Field

from originlink.domain.dataset.enums import ProducerStatement
from originlink.domain.dataset.types import (
    AbsoluteUri,
    Code,
    CountryCode,
    Email,
    Id35,
    Id64,
    Postcode,
    StrictModel,
    Text50,
    Text256,
)


class Identifier(StrictModel):
    """``{scheme, value}``: a tax number, registration, GLN, authority code (§1)."""

    scheme: Code
    value: Id64


class Address(StrictModel):
    lines: list[Text256] | None = Field(default=None, min_length=1, max_length=4)
    locality: Text256 | None = None
    city: Text256 | None = None
    postcode: Postcode | None = None
    subdivision: Text256 | None = None
    country_code: CountryCode


class Contact(StrictModel):
    telephone: Text50 | None = None
    fax: Text50 | None = None
    email: Email | None = None
    website: AbsoluteUri | None = None


class Party(StrictModel):
    """§4.1. ``address`` is required for every party (only ``country_code`` inside it)."""

    name: Text256
    identifiers: list[Identifier] | None = Field(default=None, min_length=1)
    address: Address
    contact: Contact | None = None


class Producer(Party):
    """A producer adds the local key goods items refer to (``producer_ref``)."""

    party_id: Id35


class CertifyingOfficial(StrictModel):
    """The official who certified the CO (issuer-owned)."""

    name: Text256
    job_title: Text256 | None = None
    email: Email | None = None


class Parties(StrictModel):
    """§4.2."""

    exporter: Party
    producers: list[Producer] | None = Field(default=None, min_length=1)
    producer_statement: ProducerStatement | None = None
    importer: Party | None = None
    consignee: Party | None = None
    invoicing_operator: Party | None = None
    applicant: Party | None = None
    issuing_authority: Party
    certifying_official: CertifyingOfficial | None = None
