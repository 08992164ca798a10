"""The printed certificate of origin (PDF) and its verification QR code.

:func:`render_certificate` lays a canonical CO out in the layout of the agreement's own paper
form (:mod:`.layouts`, named by the profile's ``[form]``), with the fonts of every script it
needs embedded and a QR code holding the public verification URL and the CO digest.
"""

from originlink.formats.pdf.fonts import MissingGlyphs
from originlink.formats.pdf.layouts import LAYOUTS, layout_named
from originlink.formats.pdf.qr import qr_png, verification_payload, verification_url_for
from originlink.formats.pdf.render import Progress, RenderedPdf, render_certificate

__all__ = [
    "LAYOUTS",
    "MissingGlyphs",
    "Progress",
    "RenderedPdf",
    "layout_named",
    "qr_png",
    "render_certificate",
    "verification_payload",
    "verification_url_for",
]
