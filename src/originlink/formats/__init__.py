"""Format converters: canonical JSON, OASIS UBL 2.4, UN/CEFACT (edi3) JSON, ALADI COD XML,
OpenAttestation (TradeTrust) and the IGL trade portal's form.

Public surface::

    from originlink.formats import detect_format, read_document, Reading
    from originlink.formats import FORMATS, READ_FORMATS, WRITE_FORMATS
    from originlink.formats import convert, from_format, to_format
    from originlink.formats import Conversion, LossEntry, LossKind, LossReport
"""

from originlink.formats.detect import detect_format
from originlink.formats.loss import Conversion, LossEntry, LossKind, LossReport
from originlink.formats.reading import Integrity, Reading
from originlink.formats.registry import (
    AUTO,
    FORMATS,
    READ_FORMATS,
    WRITE_FORMATS,
    convert,
    from_format,
    read_document,
    to_format,
)

__all__ = [
    "AUTO",
    "FORMATS",
    "READ_FORMATS",
    "WRITE_FORMATS",
    "Conversion",
    "Integrity",
    "LossEntry",
    "LossKind",
    "LossReport",
    "Reading",
    "convert",
    "detect_format",
    "from_format",
    "read_document",
    "to_format",
]
