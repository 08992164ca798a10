"""The wording of the markings printed on a certificate — ISSUED RETROACTIVELY, CERTIFIED TRUE
COPY, BACK-TO-BACK, THIRD PARTY INVOICING, EXHIBITION, REPLACEMENT CERTIFICATE — in one place.

An agreement profile may give its own words for the retroactive and true-copy markings (the
EUR.1 says ISSUED RETROSPECTIVELY and DUPLICATE); everything else is worded by the domain's
one table of CO flags (:mod:`originlink.domain.dataset.flags`).
"""

from __future__ import annotations

from originlink.domain.dataset import CO_FLAGS, Relation
from originlink.domain.dataset.certificate import Certificate
from originlink.domain.profiles import AgreementProfile

#: Flag → the words printed, in the order they are printed (the domain's table of CO flags).
MARKING_WORDS: dict[str, str] = {flag.name: flag.marking for flag in CO_FLAGS if flag.marking}
#: Printed when the CO replaces another one.
REPLACEMENT_WORDS = "REPLACEMENT CERTIFICATE"


def marking_words(profile: AgreementProfile | None) -> dict[str, str]:
    """:data:`MARKING_WORDS` with the profile's own wording where it has one."""
    wording = dict(MARKING_WORDS)
    rules = profile.rules if profile else None
    if rules and rules.retroactive and rules.retroactive.marking:
        wording["issued_retroactively"] = rules.retroactive.marking
    if rules and rules.true_copy and rules.true_copy.marking:
        wording["certified_true_copy"] = rules.true_copy.marking
    return wording


def markings(cert: Certificate, profile: AgreementProfile | None) -> tuple[str, ...]:
    """The markings of the certificate, in the profile's wording where it has one."""
    out = [text for flag, text in marking_words(profile).items() if cert.flag(flag)]
    if cert.references and cert.references.related(Relation.REPLACES):
        out.append(REPLACEMENT_WORDS)
    return tuple(out)
