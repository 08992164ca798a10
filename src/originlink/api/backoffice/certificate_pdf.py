"""``GET /api/v1/certificates/{id}.pdf``: the printed certificate, for whoever may read the CO.

Registered before the certificates router, whose ``/{certificate_id}`` would otherwise take
``{id}.pdf`` for an id.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from originlink.api.deps import ActorDep, IdPath, NodeDep
from originlink.services.issuing.rendering import certificate_pdf

router = APIRouter(prefix="/certificates", tags=["certificates"])


@router.get(
    "/{certificate_id}.pdf",
    summary="Print a certificate (PDF)",
    response_class=Response,
    responses={
        200: {"content": {"application/pdf": {}}, "description": "The PDF."},
        422: {
            "content": {"application/problem+json": {}},
            "description": "MISSING_GLYPHS: a name or address has characters no installed font "
            "can print (the problem names them); install the fonts (scripts/ensure-fonts.sh) or "
            "ask again with allow_missing_glyphs=true to print them as U+FFFD.",
        },
    },
)
def pdf(
    certificate_id: IdPath,
    node: NodeDep,
    actor: ActorDep,
    allow_missing_glyphs: Annotated[
        bool,
        Query(description="Print characters no font has as U+FFFD instead of refusing (422)."),
    ] = False,
) -> Response:
    """A4, laid out like the paper form of the agreement, with the verification QR code;
    watermarked when the CO is not ISSUED (CANCELLED, REPLACED, EXPIRED). Fallback fonts for
    scripts the installed Noto fonts lack come from the node's `pdf_fonts` setting."""
    result = certificate_pdf(
        node,
        actor,
        certificate_id,
        fallback_fonts=node.settings.pdf_fonts,
        allow_missing_glyphs=allow_missing_glyphs,
    )
    return Response(
        result.pdf.data,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="{result.filename}"',
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
        },
    )
