"""The printed certificate of origin (PDF) and its verification QR code.

:func:`render_certificate` lays a canonical CO out like the paper forms officers know, with the
fonts in ``fonts/`` embedded and a QR code holding the public verification URL and the CO digest.
"""

from originlink.formats.pdf.fonts import FONTS_ENV, fonts_from_env
from originlink.formats.pdf.qr import qr_png, verification_payload, verification_url_for
from originlink.formats.pdf.render import RenderedPdf, render_certificate

__all__ = [
    "FONTS_ENV",
    "RenderedPdf",
    "fonts_from_env",
    "qr_png",
    "render_certificate",
    "verification_payload",
    "verification_url_for",
]
