"""``originlink render CO_FILE --pdf OUT``: the printed certificate of a CO document file.

The CO is laid out in its agreement's own form (the profile's ``[form]`` layout). Rendering
runs here rather than through ``services.rendering.render_document_pdf`` only so that the
items placed can drive a progress bar; the verification URL and digest come from the same
service functions.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError
from rich.console import Console

from originlink.cli.io import dump_json, read_json_file, write_bytes_atomic
from originlink.config import environment
from originlink.domain.clock import SystemClock
from originlink.domain.dataset import CODocument
from originlink.domain.errors import InputError
from originlink.domain.errors import ValidationFailed as ValidationFailedError
from originlink.domain.findings import Finding, Level
from originlink.domain.profiles import bundled_profiles
from originlink.services.issuing.rendering import render_document_pdf
from originlink.terminal import progress_bar

out = Console(highlight=False, soft_wrap=True)
err = Console(stderr=True, highlight=False, soft_wrap=True)


def _path(loc: tuple[int | str, ...]) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _document(path: Path) -> CODocument:
    try:
        return CODocument.model_validate(read_json_file(path))
    except ValidationError as exc:
        findings = [
            Finding(Level.SEVERE, _path(tuple(e["loc"])), e["type"], e["msg"]) for e in exc.errors()
        ]
        first = findings[0]
        raise ValidationFailedError(
            f"{path} is not a canonical CO document: {first.code} at {first.path}: "
            f"{first.message} ({len(findings)} problem(s))",
            findings,
        ) from None


def render(
    co_file: Annotated[Path, typer.Argument(help="The CO document (canonical JSON; - for stdin).")],
    pdf: Annotated[Path, typer.Option("--pdf", help="Where to write the PDF.")],
    public_url: Annotated[
        str | None,
        typer.Option(
            "--public-url",
            help="Base URL of the issuing node, for the QR code when the CO carries no "
            "verification URL (default: $ORIGINLINK_PUBLIC_URL).",
        ),
    ] = None,
    font: Annotated[
        list[Path] | None,
        typer.Option(
            "--font",
            help="Fallback TrueType/OpenType font for scripts the bundled font lacks (CJK); "
            "repeatable (default: $ORIGINLINK_PDF_FONTS).",
        ),
    ] = None,
    status: Annotated[
        str | None,
        typer.Option(help="Status to print instead of the document's (e.g. EXPIRED)."),
    ] = None,
    allow_missing_glyphs: Annotated[
        bool,
        typer.Option(
            "--allow-missing-glyphs",
            help="Print characters no font has as U+FFFD (with a notice on the page) instead "
            "of failing with exit 1.",
        ),
    ] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print one JSON object; no progress bar.")
    ] = False,
) -> None:
    """Render a CO as the printed certificate: A4, in the layout of the agreement's own form,
    with its overleaf notes and the verification QR code (URL and CO digest). A character no
    font can print is an error naming it (exit 1) unless --allow-missing-glyphs."""
    doc = _document(co_file)
    if pdf.parent and not pdf.parent.is_dir():
        raise InputError(f"{pdf.parent} is not a directory")
    settings = environment()
    fonts = tuple(font or ()) or settings.pdf_fonts
    items = len(doc.certificate.goods_items)
    with progress_bar(f"rendering {items} item(s)", total=items, quiet=as_json) as bar:
        result = render_document_pdf(
            doc,
            profiles=bundled_profiles(),
            public_base_url=public_url or settings.public_url,
            status=status.upper() if status else None,
            fallback_fonts=fonts,
            now=SystemClock().now(),
            allow_missing_glyphs=allow_missing_glyphs,
            on_progress=lambda placed, total: bar.update(placed, total),
        )
    rendered = result.pdf
    write_bytes_atomic(pdf, rendered.data)
    missing = " ".join(f"U+{ord(c):04X}" for c in sorted(rendered.missing_characters))
    if as_json:
        summary = {
            "pdf": str(pdf),
            "pages": rendered.pages,
            "qr_payload": rendered.qr_payload,
            "missing_characters": missing.split() if missing else [],
        }
        out.print(dump_json(summary), markup=False)
        return
    out.print(f"wrote {pdf} ({rendered.pages} page(s))", markup=False)
    if rendered.qr_payload:
        out.print(f"QR code: {rendered.qr_payload}", markup=False)
    else:
        err.print(
            "warning: no verification URL (the CO carries none; give --public-url): "
            "the PDF has no QR code",
            markup=False,
        )
    if rendered.missing_characters:
        count = sum(rendered.missing_characters.values())
        err.print(
            f"warning: {count} character(s) no font has were printed as U+FFFD ({missing}); "
            "add a covering font with --font",
            markup=False,
        )


def register(app: typer.Typer) -> None:
    app.command("render")(render)
