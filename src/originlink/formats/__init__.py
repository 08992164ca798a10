"""Format converters: canonical JSON, OASIS UBL 2.4, UN/CEFACT (edi3) JSON and ALADI COD XML.

Public surface::

    from originlink.formats import FORMATS, convert, from_format, to_format
    from originlink.formats import Conversion, LossEntry, LossKind, LossReport
"""

from originlink.formats.loss import Conversion, LossEntry, LossKind, LossReport
from originlink.formats.registry import FORMATS, convert, from_format, to_format

__all__ = [
    "FORMATS",
    "Conversion",
    "LossEntry",
    "LossKind",
    "LossReport",
    "convert",
    "from_format",
    "to_format",
]
