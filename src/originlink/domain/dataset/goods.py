"""Goods items (``dataset.md`` §6): one per numbered line of the certificate."""

from __future__ import annotations

from pydantic import Field

from originlink.domain.dataset.enums import HsEdition
from originlink.domain.dataset.measures import Amount, Measure
from originlink.domain.dataset.parties import Identifier
from originlink.domain.dataset.types import (
    Code,
    CountryCode,
    Date,
    HsCodeText,
    Id35,
    LongId,
    PackageTypeCode,
    Percent,
    PositiveInt,
    SequenceNumber,
    StrictModel,
    Text512,
    Text1024,
    Text2048,
)


class OriginCriterion(StrictModel):
    code: Code | None = None
    value_content_percent: Percent | None = None
    text: Text1024 | None = None


class Packages(StrictModel):
    count: PositiveInt | None = None
    type_code: PackageTypeCode | None = None
    marks: Text512 | None = None


class OriginDeclaration(StrictModel):
    number: Id35 | None = None
    date: Date | None = None


class ConsignmentItem(StrictModel):
    id: LongId | None = None
    information: Text2048 | None = None


class GoodsItem(StrictModel):
    sequence_number: SequenceNumber
    description: Text2048
    product_identifier: Identifier | None = None
    hs_code: HsCodeText
    hs_edition: HsEdition | None = None
    hs_extension_scheme: Code | None = None
    hs_description: Text512 | None = None
    origin_country: CountryCode | None = None
    origin_criterion: OriginCriterion | None = None
    quantity: Measure | None = None
    gross_weight: Measure | None = None
    net_weight: Measure | None = None
    fob_value: Amount | None = None
    packages: Packages | None = None
    invoice_sequences: list[PositiveInt] | None = Field(default=None, min_length=1)
    producer_ref: Id35 | None = None
    origin_declaration: OriginDeclaration | None = None
    consignment_item: ConsignmentItem | None = None

    @property
    def hs_digits(self) -> str:
        """The HS code with dots and spaces removed (DS-17 normalisation)."""
        return "".join(filter(str.isdigit, self.hs_code))
