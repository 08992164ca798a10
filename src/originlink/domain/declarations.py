"""The inputs of preference claims as strict models: an import declaration (P4) with its lines,
and the utilisation notice the importing side sends the issuing side (P5, ``co.utilisation``).
Reading them (:func:`parse_input`) turns every pydantic error into a finding with its path, so
an entry point answers "what, where, why". The decision rules are in
:mod:`originlink.domain.claims`.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, Field, ValidationError, field_validator, model_validator

from originlink.domain.codelists import is_currency, is_unit
from originlink.domain.dataset.measures import Amount, Measure
from originlink.domain.dataset.parties import Identifier
from originlink.domain.dataset.types import (
    CertificateNumber,
    CountryCode,
    Date,
    DateTime,
    HsCodeText,
    MeasureValue,
    Pattern,
    SequenceNumber,
    StrictModel,
    Text256,
    fail,
)
from originlink.domain.errors import ValidationFailed
from originlink.domain.findings import Finding, Level, join_path
from originlink.domain.quantities import hs_digits

#: The largest quantity a ledger column holds, in whole units (BigInteger of millionths).
MAX_QUANTITY = Decimal(9_000_000_000_000)


DeclarationId = Annotated[
    str,
    Pattern(
        r"[A-Za-z0-9][A-Za-z0-9._:/\-]{0,63}",
        "SCHEMA-VALUE",
        "a declaration id (1-64 letters, digits, '.', '_', ':', '/', '-')",
    ),
]
AgreementCode = Annotated[
    str, Pattern(r"[A-Z0-9][A-Z0-9_\-]{1,19}", "SCHEMA-VALUE", "an agreement code such as RCEP")
]


class Importer(StrictModel):
    name: Text256
    identifier: Identifier | None = None


class CoReference(StrictModel):
    issuing_country: CountryCode
    number: CertificateNumber


class DeclarationLine(StrictModel):
    line_number: SequenceNumber
    co_item: SequenceNumber
    hs_code: HsCodeText
    quantity: Measure
    customs_value: Amount

    @field_validator("hs_code")
    @classmethod
    def _six_digits(cls, value: str) -> str:
        if len(hs_digits(value)) < 6:
            raise fail("DS-17", "the declared HS code needs at least 6 digits")
        return value

    @field_validator("quantity")
    @classmethod
    def _quantity(cls, value: Measure) -> Measure:
        if value.value <= 0:
            raise fail("DS-33", "the declared quantity must be above zero")
        if value.value > MAX_QUANTITY:
            raise fail("DS-33", f"the declared quantity is above {MAX_QUANTITY}")
        if not is_unit(value.unit_code):
            raise fail("DS-23", f"{value.unit_code!r} is not a UN/ECE Recommendation 20 unit")
        return value

    @field_validator("customs_value")
    @classmethod
    def _value(cls, value: Amount) -> Amount:
        if value.value < 0:
            raise fail("DS-33", "the customs value must not be negative")
        if not is_currency(value.currency_code):
            raise fail("DS-24", f"{value.currency_code!r} is not an ISO 4217 currency")
        return value


class Declaration(StrictModel):
    """An import declaration claiming preference on one CO."""

    id: DeclarationId
    importer: Importer
    date: Date
    agreement: AgreementCode | None = None
    certificate: CoReference
    lines: list[DeclarationLine] = Field(min_length=1, max_length=999)

    @model_validator(mode="after")
    def _unique_lines(self) -> Declaration:
        numbers = [line.line_number for line in self.lines]
        if len(set(numbers)) != len(numbers):
            raise fail("SCHEMA-VALUE", "two lines have the same line_number")
        return self

    def canonical(self) -> dict[str, Any]:
        """The declaration as JSON data, normalised (the idempotency digest is taken on it)."""
        data: dict[str, Any] = self.model_dump(mode="json", exclude_none=True)
        return data


M = TypeVar("M", bound=BaseModel)


def parse_input(model: type[M], data: Any, *, root: str, what: str) -> M:
    """Parse ``data`` into ``model`` or raise :class:`ValidationFailed` with one finding per
    problem, each with its path under ``root`` and the code the field type gives."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        findings = [_finding(error, root) for error in exc.errors()[:50]]
        first = findings[0]
        raise ValidationFailed(
            f"the {what} is not valid: {first.path}: {first.message}", findings
        ) from None


def _finding(error: Any, root: str) -> Finding:
    kind = str(error["type"])
    loc = tuple(error["loc"])
    path = join_path(root, *loc)
    if kind.startswith(("DS-", "SCHEMA-")):
        code = kind
    elif kind == "missing":
        code = "SCHEMA-REQUIRED"
    elif kind == "extra_forbidden":
        code = "SCHEMA-UNKNOWN"
    elif kind.endswith("_type") or kind == "model_attributes_type":
        code = "SCHEMA-TYPE"
    else:
        code = "SCHEMA-VALUE"
    message = str(error["msg"])
    if kind == "extra_forbidden":
        message = f"'{loc[-1]}' is not a member here"
    return Finding(Level.SEVERE, path, code, message, area="claim")


class UtilisationEntry(StrictModel):
    kind: Annotated[str, Pattern(r"USE|RECREDIT", "SCHEMA-VALUE", "USE or RECREDIT")]
    line_number: SequenceNumber
    item: SequenceNumber
    decision: (
        Annotated[str, Pattern(r"GRANTED|DENIED|REFERRED", "SCHEMA-VALUE", "a decision")] | None
    ) = None
    reason_codes: list[Annotated[str, Pattern(r"[A-Z_]{2,40}", "SCHEMA-VALUE", "a code")]] = Field(
        default_factory=list, max_length=20
    )
    quantity: MeasureValue
    unit_code: Annotated[str, Pattern(r"[A-Z0-9]{2,3}", "DS-23", "a unit code")] | None = None

    @field_validator("quantity")
    @classmethod
    def _quantity(cls, value: Decimal) -> Decimal:
        if value < 0 or value > MAX_QUANTITY:
            raise fail("DS-33", "the quantity must be between 0 and 9e12")
        return value


class UtilisationNotice(StrictModel):
    """Payload of ``co.utilisation`` (importing → issuing side)."""

    certificate: CoReference
    declaration_id: DeclarationId
    declaration_date: Date | None = None
    declaration_revision: int = Field(ge=1)
    declaration_status: Annotated[
        str, Pattern(r"DECIDED|AMENDED|INVALIDATED", "SCHEMA-VALUE", "a declaration status")
    ]
    reported_at: DateTime
    entries: list[UtilisationEntry] = Field(min_length=1, max_length=2000)
