"""Field types of the canonical dataset (``dataset.md`` §1), with the error codes they raise.

Every type parses exactly one JSON shape and serialises back to it, so parsing then serialising
a CO is lossless: decimals are JSON strings held as :class:`~decimal.Decimal`, dates are
``YYYY-MM-DD``, date-times carry an offset, integers and booleans are JSON integers and booleans.
A failing check raises a pydantic custom error whose *type* is the finding code (``DS-31``,
``DS-33``, ``SCHEMA-TYPE`` ...), so the validator turns it into a finding without guessing.

Dates and date-times live in :mod:`originlink.domain.dataset.times` and are re-exported here,
so every field type is imported from this module.

The constraints are small classes used as ``Annotated`` metadata (``Annotated[str, Text(256)]``)
so that mypy sees plain ``str``/``int``/``Decimal`` and pydantic sees the check.
"""

from __future__ import annotations

import re
import unicodedata
import uuid as uuid_module
from collections.abc import Callable
from decimal import Decimal
from typing import Annotated, Any

from originlink.domain.dataset.checks import Check as _Check
from originlink.domain.dataset.checks import StrictModel as StrictModel
from originlink.domain.dataset.checks import fail as fail
from originlink.domain.dataset.times import (  # the date and time types, re-exported
    DATETIME_PATTERN as DATETIME_PATTERN,
)
from originlink.domain.dataset.times import (
    Date as Date,
)
from originlink.domain.dataset.times import (
    DateCheck as DateCheck,
)
from originlink.domain.dataset.times import (
    DateOrDateTime as DateOrDateTime,
)
from originlink.domain.dataset.times import (
    DateOrDateTimeCheck as DateOrDateTimeCheck,
)
from originlink.domain.dataset.times import (
    DateTime as DateTime,
)
from originlink.domain.dataset.times import (
    DateTimeCheck as DateTimeCheck,
)
from originlink.domain.dataset.times import (
    as_date as as_date,
)
from originlink.domain.dataset.times import (
    as_utc as as_utc,
)
from originlink.domain.dataset.times import (
    date_or_datetime_to_json as date_or_datetime_to_json,
)
from originlink.domain.dataset.times import (
    datetime_to_json as datetime_to_json,
)
from originlink.domain.dataset.times import (
    parse_date as parse_date,
)
from originlink.domain.dataset.times import (
    parse_datetime as parse_datetime,
)

# --- text --------------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f]")
_CONTROL_OR_LF = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class Text(_Check):
    """UTF-8 text: NFC, no control characters (line feed only if multi-line), bounded (DS-31)."""

    def __init__(self, max_len: int, *, multiline: bool = False) -> None:
        self.max_len = max_len
        self.multiline = multiline
        self.json_schema = {"type": "string", "minLength": 1, "maxLength": max_len}

    def validate(self, value: Any) -> str:
        if not isinstance(value, str):
            raise fail("SCHEMA-TYPE", "expected a JSON string")
        if value == "":
            raise fail("SCHEMA-EMPTY", "empty strings are not allowed: omit the member")
        if (_CONTROL if self.multiline else _CONTROL_OR_LF).search(value):
            allowed = " (only line feed is allowed here)" if self.multiline else ""
            raise fail("DS-31", f"text contains a control character{allowed}")
        if not unicodedata.is_normalized("NFC", value):
            raise fail("DS-31", "text is not in Unicode normalisation form NFC")
        if len(value) > self.max_len:
            raise fail("DS-31", f"text is {len(value)} characters; at most {self.max_len} allowed")
        return value


class Pattern(_Check):
    """A string matching a regular expression; failures carry ``code``."""

    def __init__(self, regex: str, code: str, what: str, max_len: int | None = None) -> None:
        self.regex = re.compile(regex)
        self.code = code
        self.what = what
        self.max_len = max_len
        self.json_schema = {"type": "string", "pattern": f"^{regex}$"}
        if max_len is not None:
            self.json_schema["maxLength"] = max_len

    def validate(self, value: Any) -> str:
        if not isinstance(value, str):
            raise fail("SCHEMA-TYPE", "expected a JSON string")
        if value == "":
            raise fail("SCHEMA-EMPTY", "empty strings are not allowed: omit the member")
        if self.max_len is not None and len(value) > self.max_len:
            raise fail(self.code, f"{self.what} is {len(value)} characters; at most {self.max_len}")
        if not self.regex.fullmatch(value):
            raise fail(self.code, f"{value[:40]!r} is not {self.what}")
        return value


Text50 = Annotated[str, Text(50)]
Text256 = Annotated[str, Text(256)]
Text512 = Annotated[str, Text(512)]
Text1024 = Annotated[str, Text(1024, multiline=True)]
Text2048 = Annotated[str, Text(2048, multiline=True)]

_ID = r"[^\s\x00-\x1f\x7f](?:[^\x00-\x1f\x7f]{0,%d}[^\s\x00-\x1f\x7f])?"

#: A CO number: 1–35 letters, digits, ``-``, ``/``, ``.`` (DS-06).
CertificateNumber = Annotated[
    str,
    Pattern(r"[A-Za-z0-9/.\-]{1,35}", "DS-06", "a CO number (1-35 letters, digits, '-', '/', '.')"),
]
#: An identifier such as an invoice number: 1–35 characters, no surrounding space (DS-06).
Id35 = Annotated[
    str, Pattern(_ID % 33, "DS-06", "an identifier (1-35 characters, no surrounding space)")
]
#: A party identifier value (1–64).
Id64 = Annotated[
    str, Pattern(_ID % 62, "DS-06", "an identifier (1-64 characters, no surrounding space)")
]
#: A postal code (1–17).
Postcode = Annotated[str, Pattern(_ID % 15, "DS-31", "a postal code (1-17 characters)")]
#: An identifier or URI of up to 2,048 characters.
LongId = Annotated[str, Pattern(_ID % 2046, "DS-06", "an identifier (1-2048 characters)")]
#: A short code of a gateway code list (identifier scheme, agreement, form, criterion).
Code = Annotated[str, Pattern(r"[A-Za-z0-9][A-Za-z0-9_:.\-]{0,34}", "SCHEMA-VALUE", "a code")]
#: ISO 3166-1 alpha-2 form (membership is checked by DS-12).
CountryCode = Annotated[str, Pattern(r"[A-Z]{2}", "DS-12", "an ISO 3166-1 alpha-2 country code")]
#: ISO 4217 alphabetic form (membership is checked by DS-24).
CurrencyCode = Annotated[str, Pattern(r"[A-Z]{3}", "DS-24", "an ISO 4217 alphabetic currency code")]
#: UN/ECE Recommendation 20 form (membership is checked by DS-23).
UnitCode = Annotated[
    str, Pattern(r"[A-Z0-9]{2,3}", "DS-23", "a UN/ECE Recommendation 20 unit code")
]
#: UN/ECE Recommendation 21 form (membership is checked by DS-27).
PackageTypeCode = Annotated[
    str, Pattern(r"[A-Z0-9]{2}", "DS-27", "a UN/ECE Recommendation 21 package type code")
]
#: UN/LOCODE: country + 3 characters.
Locode = Annotated[
    str, Pattern(r"[A-Z]{2}[A-Z2-9]{3}", "SCHEMA-VALUE", "a UN/LOCODE such as SGSIN")
]
#: HS code as given: digits, optionally with dots or spaces (DS-17 normalises and counts).
HsCodeText = Annotated[
    str, Pattern(r"[0-9][0-9. ]{0,19}", "DS-17", "an HS code (digits, dots allowed)", 20)
]
#: UN/EDIFACT 1001 document name code.
DocumentTypeCode = Annotated[
    str, Pattern(r"[0-9]{1,3}", "SCHEMA-VALUE", "a UN/EDIFACT 1001 document name code")
]
Sha256Hex = Annotated[str, Pattern(r"[0-9a-f]{64}", "DS-32", "a lower-case hex SHA-256")]
Base64Text = Annotated[str, Pattern(r"[A-Za-z0-9+/]*={0,2}", "DS-32", "base64 (RFC 4648)")]
MediaType = Annotated[
    str,
    Pattern(
        r"[a-z0-9][a-z0-9!#$&^_.+\-]{0,126}/[a-z0-9][a-z0-9!#$&^_.+\-]{0,126}",
        "DS-32",
        "an IANA media type such as application/pdf",
    ),
]
Email = Annotated[
    str,
    Pattern(
        r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~\-]+@[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?"
        r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?)+",
        "SCHEMA-VALUE",
        "an e-mail address",
        256,
    ),
]
AbsoluteUri = Annotated[
    str,
    Pattern(
        r"[A-Za-z][A-Za-z0-9+.\-]*:[^\s\x00-\x1f\x7f]+", "SCHEMA-VALUE", "an absolute URI", 2048
    ),
]
HttpsUri = Annotated[
    str, Pattern(r"https?://[^\s\x00-\x1f\x7f]+", "SCHEMA-VALUE", "an absolute HTTP(S) URI", 2048)
]


# --- integers and booleans ---------------------------------------------------------------------


class Int(_Check):
    """A JSON integer (never a string, float or boolean) within bounds (DS-33)."""

    def __init__(self, low: int, high: int | None = None) -> None:
        self.low = low
        self.high = high
        self.json_schema = {"type": "integer", "minimum": low}
        if high is not None:
            self.json_schema["maximum"] = high

    def validate(self, value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise fail("DS-33", "expected a JSON integer")
        if value < self.low or (self.high is not None and value > self.high):
            bound = f"{self.low}-{self.high}" if self.high is not None else f">= {self.low}"
            raise fail("DS-33", f"{value} is out of range ({bound})")
        return value


class StrictBoolean(_Check):
    def __init__(self) -> None:
        super().__init__({"type": "boolean"})

    def validate(self, value: Any) -> bool:
        if not isinstance(value, bool):
            raise fail("SCHEMA-TYPE", "expected JSON true or false")
        return value


Bool = Annotated[bool, StrictBoolean()]
PositiveInt = Annotated[int, Int(1)]
NonNegativeInt = Annotated[int, Int(0)]
SequenceNumber = Annotated[int, Int(1, 999)]


# --- decimals ----------------------------------------------------------------------------------

DECIMAL_PATTERN = r"-?[0-9]+(\.[0-9]+)?"
_DECIMAL_RE = re.compile(DECIMAL_PATTERN)


def decimal_to_json(value: Decimal) -> str:
    """Plain notation, never an exponent; trailing zeros kept (``18250.00`` stays)."""
    return format(value, "f")


def significant_digits(value: Decimal) -> int:
    digits = value.as_tuple().digits
    leading = 0
    while leading < len(digits) - 1 and digits[leading] == 0:
        leading += 1
    return len(digits) - leading


def decimal_places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def written_digits(text: str) -> tuple[int, int]:
    """:func:`significant_digits` and :func:`decimal_places` of a string that matches
    :data:`DECIMAL_PATTERN`, read off the text: it is what ``Decimal(text)`` holds (the digits as
    written, the exponent minus the fraction's length), without building its digit tuple twice
    for every amount and measure of a CO."""
    whole, _, fraction = text.lstrip("-").partition(".")
    return len((whole + fraction).lstrip("0")) or 1, len(fraction)


class Dec(_Check):
    """A decimal written as a JSON string, held as :class:`Decimal` (DS-33)."""

    def __init__(
        self,
        max_digits: int,
        max_places: int | None = None,
        low: Decimal | None = None,
        high: Decimal | None = None,
    ) -> None:
        self.max_digits = max_digits
        self.max_places = max_places
        self.low = low
        self.high = high
        self.json_schema = {"type": "string", "pattern": f"^{DECIMAL_PATTERN}$"}

    def serialize(self) -> Callable[[Any], Any]:
        return decimal_to_json

    def validate(self, value: Any) -> Decimal:
        if isinstance(value, str):  # the JSON form, so the common case: checked on the text
            if not _DECIMAL_RE.fullmatch(value):
                raise fail("DS-33", f"{value[:40]!r} is not a plain decimal (no exponent)")
            parsed = Decimal(value)
            digits, places = written_digits(value)
        elif isinstance(value, Decimal):
            parsed = value
            if not parsed.is_finite():
                raise fail("DS-33", "a decimal must be finite")
            digits, places = significant_digits(parsed), decimal_places(parsed)
        elif isinstance(value, bool | int | float):
            raise fail("DS-33", 'decimals are written as JSON strings, e.g. "12.50"')
        else:
            raise fail("SCHEMA-TYPE", "expected a decimal as a JSON string")
        if digits > self.max_digits:
            raise fail("DS-33", f"more than {self.max_digits} significant digits")
        if self.max_places is not None and places > self.max_places:
            raise fail("DS-33", f"more than {self.max_places} decimal places")
        if self.low is not None and parsed < self.low:
            raise fail("DS-33", f"{decimal_to_json(parsed)} is below {self.low}")
        if self.high is not None and parsed > self.high:
            raise fail("DS-33", f"{decimal_to_json(parsed)} is above {self.high}")
        return parsed


#: Money: ≤18 significant digits (the currency's minor unit is DS-24's business).
AmountValue = Annotated[Decimal, Dec(18)]
#: Measures: ≤16 significant digits, ≤6 decimals.
MeasureValue = Annotated[Decimal, Dec(16, 6)]
#: Percentages: 0–100, ≤2 decimals.
Percent = Annotated[Decimal, Dec(5, 2, Decimal(0), Decimal(100))]


# --- UUID --------------------------------------------------------------------------------------

_UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


class UuidCheck(_Check):
    def __init__(self) -> None:
        super().__init__({"type": "string", "format": "uuid"})

    def validate(self, value: Any) -> uuid_module.UUID:
        if isinstance(value, uuid_module.UUID):
            return value
        if not isinstance(value, str):
            raise fail("SCHEMA-TYPE", "expected a UUID as a JSON string")
        if not _UUID_RE.fullmatch(value):
            raise fail("SCHEMA-VALUE", f"{value[:40]!r} is not a lower-case UUID")
        return uuid_module.UUID(value)

    def serialize(self) -> Callable[[Any], Any]:
        return str


Uuid = Annotated[uuid_module.UUID, UuidCheck()]
