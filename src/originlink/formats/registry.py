"""One entry point for every format conversion ("translation at the edge").

:func:`read_document` reads any format OriginLink reads (``auto`` detects it) leniently into a
:class:`~originlink.formats.reading.Reading`: the canonical data, the model when complete, the
loss report and the findings. ``from_format`` is the strict form the gateway uses on received
messages (a document with a SEVERE reading finding, or one that is not a complete CO, raises
:class:`~originlink.domain.errors.ValidationFailed`); ``to_format`` writes a CO; ``convert``
chains them. With ``strict=True`` any loss raises
:class:`~originlink.domain.errors.LossyConversionRefused` listing every loss.
"""

from __future__ import annotations

from collections.abc import Callable

from originlink.domain.dataset import CODocument
from originlink.domain.errors import InputError, ValidationFailed
from originlink.domain.findings import Level
from originlink.domain.profiles import AgreementProfile, ProfileRegistry, bundled_profiles
from originlink.formats import canonical, igl
from originlink.formats._common import validate_document
from originlink.formats.aladi_cod import reader as aladi_reader
from originlink.formats.aladi_cod import writer as aladi_writer
from originlink.formats.detect import detect_format
from originlink.formats.edi3 import reader as edi3_reader
from originlink.formats.edi3 import writer as edi3_writer
from originlink.formats.loss import Conversion, LossReport
from originlink.formats.openattestation import reader as oa_reader
from originlink.formats.openattestation import writer as oa_writer
from originlink.formats.reading import Draft, Reading, settle
from originlink.formats.ubl import reader as ubl_reader
from originlink.formats.ubl import writer as ubl_writer

#: Formats a partner exchanges COs in (G2G payload formats).
FORMATS: tuple[str, ...] = ("canonical", "ubl", "uncefact", "aladi-cod")
#: Formats OriginLink reads; ``auto`` recognises each from the content.
READ_FORMATS: tuple[str, ...] = (*FORMATS, "openattestation", "igl")
#: Formats OriginLink writes.
WRITE_FORMATS: tuple[str, ...] = (*FORMATS, "openattestation")
AUTO = "auto"
#: File name extensions a format is usually stored under.
EXTENSIONS: dict[str, str] = {
    "canonical": ".json",
    "ubl": ".xml",
    "uncefact": ".json",
    "aladi-cod": ".xml",
    "openattestation": ".tt",
    "igl": ".json",
}

_READERS: dict[str, Callable[..., Draft]] = {
    "canonical": lambda data, profiles: canonical.read(data),
    "ubl": ubl_reader.read,
    "uncefact": edi3_reader.read,
    "aladi-cod": aladi_reader.read,
    "openattestation": oa_reader.read,
    "igl": igl.read,
}


def check_format(fmt: str, formats: tuple[str, ...] = FORMATS) -> str:
    if fmt not in formats:
        raise InputError(f"unknown format {fmt!r}; formats: {', '.join(formats)}")
    return fmt


def read_document(data: bytes, fmt: str = AUTO, *, profiles: ProfileRegistry) -> Reading:
    """Read ``data`` leniently; only what cannot be read at all raises :class:`InputError`."""
    if fmt == AUTO:
        fmt = detect_format(data)
    check_format(fmt, READ_FORMATS)
    return settle(_READERS[fmt](data, profiles=profiles))


def to_format(
    doc: CODocument,
    fmt: str,
    *,
    profile: AgreementProfile | None,
    originlink_extension: bool = True,
    strict: bool = False,
) -> Conversion[bytes]:
    """Write ``doc`` in ``fmt``. ``profile`` is the CO's agreement profile (ALADI COD needs it;
    edi3 and OpenAttestation use its agreement string and time zones). ``originlink_extension``
    adds the UBL block that carries the ‡ members between OriginLink gateways."""
    check_format(fmt, WRITE_FORMATS)
    if fmt == "canonical":
        out = canonical.write(doc)
    elif fmt == "ubl":
        out = ubl_writer.write(doc, originlink_extension=originlink_extension)
    elif fmt == "uncefact":
        out = edi3_writer.write(doc, profile=profile)
    elif fmt == "openattestation":
        out = oa_writer.write(doc, profile=profile)
    else:
        out = aladi_writer.write(doc, profile=profile)
    if strict:
        out.loss.refuse_if_lossy(f"conversion to {fmt}")
    return out


def from_format(
    data: bytes, fmt: str, *, profiles: ProfileRegistry, strict: bool = False
) -> Conversion[CODocument]:
    """Read a CO in ``fmt`` (or ``auto``) strictly: the complete CO or
    :class:`ValidationFailed` with every SEVERE reading finding."""
    reading = read_document(data, fmt, profiles=profiles)
    what = f"the {reading.format} document"
    severe = [f for f in reading.findings if f.level is Level.SEVERE]
    if reading.model is None:
        try:
            validate_document(reading.document, what=what)
        except ValidationFailed as exc:
            raise ValidationFailed(str(exc), [*severe, *exc.findings]) from None
    if reading.model is None or severe:
        first = severe[0].one_line() if severe else "the document is not a complete CO"
        raise ValidationFailed(f"{what} cannot be taken as a CO: {first}", severe)
    if strict:
        reading.loss.refuse_if_lossy(f"conversion from {reading.format}")
    return Conversion(reading.model, reading.loss, reading.uncarried)


def convert(
    data: bytes,
    src: str,
    dst: str,
    *,
    strict: bool,
    profiles: ProfileRegistry | None = None,
    originlink_extension: bool = True,
) -> Conversion[bytes]:
    """Read ``data`` as ``src`` (strictly) and write it as ``dst``; the loss report covers
    both steps."""
    check_format(dst, WRITE_FORMATS)
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
