"""One entry point for every format conversion ("translation at the edge").

``to_format`` writes a canonical CO in a format, ``from_format`` reads one, ``convert`` chains
them. Each returns a :class:`~originlink.formats.loss.Conversion`: the result and the loss
report. With ``strict=True`` a conversion that would drop or degrade anything raises
:class:`~originlink.domain.errors.LossyConversionRefused` listing every loss.
"""

from __future__ import annotations

from originlink.domain.dataset import CODocument
from originlink.domain.errors import InputError
from originlink.domain.profiles import AgreementProfile, ProfileRegistry, bundled_profiles
from originlink.formats import canonical
from originlink.formats.aladi_cod import reader as aladi_reader
from originlink.formats.aladi_cod import writer as aladi_writer
from originlink.formats.edi3 import reader as edi3_reader
from originlink.formats.edi3 import writer as edi3_writer
from originlink.formats.loss import Conversion, LossReport
from originlink.formats.ubl import reader as ubl_reader
from originlink.formats.ubl import writer as ubl_writer

FORMATS: tuple[str, ...] = ("canonical", "ubl", "uncefact", "aladi-cod")
#: File name extensions a format is usually stored under.
EXTENSIONS: dict[str, str] = {
    "canonical": ".json",
    "ubl": ".xml",
    "uncefact": ".json",
    "aladi-cod": ".xml",
}


def check_format(fmt: str) -> str:
    if fmt not in FORMATS:
        raise InputError(f"unknown format {fmt!r}; formats: {', '.join(FORMATS)}")
    return fmt


def to_format(
    doc: CODocument,
    fmt: str,
    *,
    profile: AgreementProfile | None,
    originlink_extension: bool = True,
    strict: bool = False,
) -> Conversion[bytes]:
    """Write ``doc`` in ``fmt``. ``profile`` is the CO's agreement profile (ALADI COD needs it;
    edi3 uses its agreement string and time zones). ``originlink_extension`` adds the UBL block
    that carries the ‡ members between OriginLink gateways."""
    check_format(fmt)
    if fmt == "canonical":
        out = canonical.write(doc)
    elif fmt == "ubl":
        out = ubl_writer.write(doc, originlink_extension=originlink_extension)
    elif fmt == "uncefact":
        out = edi3_writer.write(doc, profile=profile)
    else:
        out = aladi_writer.write(doc, profile=profile)
    if strict:
        out.loss.refuse_if_lossy(f"conversion to {fmt}")
    return out


def from_format(
    data: bytes, fmt: str, *, profiles: ProfileRegistry, strict: bool = False
) -> Conversion[CODocument]:
    """Read a CO in ``fmt``; ``profiles`` resolve the agreement, criteria and time zones."""
    check_format(fmt)
    if fmt == "canonical":
        out = canonical.read(data)
    elif fmt == "ubl":
        out = ubl_reader.read(data, profiles=profiles)
    elif fmt == "uncefact":
        out = edi3_reader.read(data, profiles=profiles)
    else:
        out = aladi_reader.read(data, profiles=profiles)
    if strict:
        out.loss.refuse_if_lossy(f"conversion from {fmt}")
    return out


def convert(
    data: bytes,
    src: str,
    dst: str,
    *,
    strict: bool,
    profiles: ProfileRegistry | None = None,
    originlink_extension: bool = True,
) -> Conversion[bytes]:
    """Read ``data`` as ``src`` and write it as ``dst``; the loss report covers both steps."""
    check_format(src)
    check_format(dst)
    registry = profiles if profiles is not None else bundled_profiles()
    read = from_format(data, src, profiles=registry)
    code = read.result.certificate.agreement_code
    profile = registry.get(code) if code else None
    written = to_format(
        read.result, dst, profile=profile, originlink_extension=originlink_extension
    )
    report = LossReport([*read.loss.entries, *written.loss.entries])
    if strict:
        report.refuse_if_lossy(f"conversion from {src} to {dst}")
    return Conversion(written.result, report)
