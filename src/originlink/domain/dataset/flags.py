"""The flags of a CO (the forms' tick boxes, ``dataset.md`` §8) in one table: each flag's name
in the dataset, its label on a form, what an agreement must provide for it to be set, and the
words printed across a certificate that carries it.

Everything that names flags — the dataset model, agreement profiles, validation, printing —
reads this table, so a flag is added or reworded in one place.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class CoFlag:
    #: The member of ``certificate.flags``.
    name: str
    #: The tick box's label on a form.
    label: str
    #: What an agreement provides for when it allows the flag ("does not provide for …").
    provision: str
    #: Printed across the certificate when the flag is set (None: only ticked).
    marking: str | None = None


#: Every flag, in the forms' order.
CO_FLAGS: tuple[CoFlag, ...] = (
    CoFlag(
        "issued_retroactively",
        "Issued retroactively",
        "retroactive issuance",
        "ISSUED RETROACTIVELY",
    ),
    CoFlag(
        "certified_true_copy",
        "Certified true copy",
        "certified true copies",
        "CERTIFIED TRUE COPY",
    ),
    CoFlag("back_to_back", "Back-to-back", "back-to-back COs", "BACK-TO-BACK"),
    CoFlag(
        "third_party_invoicing",
        "Third-party invoicing",
        "third-party invoicing",
        "THIRD PARTY INVOICING",
    ),
    CoFlag("exhibition", "Exhibition", "goods sent to an exhibition", "EXHIBITION"),
    CoFlag("accumulation", "Accumulation", "accumulation"),
    CoFlag("partial_cumulation", "Partial cumulation", "partial cumulation"),
    CoFlag("de_minimis", "De minimis", "the de minimis tolerance"),
)
#: Names of the boolean flags, in form order.
FLAG_NAMES: tuple[str, ...] = tuple(flag.name for flag in CO_FLAGS)
#: Each flag by name.
FLAGS_BY_NAME: dict[str, CoFlag] = {flag.name: flag for flag in CO_FLAGS}
