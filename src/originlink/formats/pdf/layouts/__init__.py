"""The layouts of the printed certificate, one per paper form, by the name a profile gives."""

from __future__ import annotations

from originlink.formats.pdf.layouts.asean import FORM_AK, FORM_D, FORM_E
from originlink.formats.pdf.layouts.base import Box, Column, Layout
from originlink.formats.pdf.layouts.china import CHAFTA, CKFTA
from originlink.formats.pdf.layouts.eur1 import EUR1
from originlink.formats.pdf.layouts.mercosur import MERCOSUR
from originlink.formats.pdf.layouts.rcep import FORM_RCEP, GENERIC

#: Every layout by name (the ``layout`` of an agreement profile).
LAYOUTS: dict[str, Layout] = {
    layout.name: layout
    for layout in (FORM_RCEP, FORM_D, FORM_E, FORM_AK, CKFTA, CHAFTA, EUR1, MERCOSUR, GENERIC)
}

__all__ = ["GENERIC", "LAYOUTS", "Box", "Column", "Layout", "layout_named"]


def layout_named(name: str | None) -> Layout:
    """The layout of that name; the neutral one for None (no profile or no layout)."""
    if name is None:
        return GENERIC
    layout = LAYOUTS.get(name)
    if layout is None:
        known = ", ".join(sorted(LAYOUTS))
        raise KeyError(f"unknown form layout {name!r}; known layouts: {known}")
    return layout
