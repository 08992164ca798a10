"""Who may do what: roles, permissions and the ownership rule.

Roles are those of ``processes.md`` §1 as they appear at a node: the exporter (or its agent),
the issuing officer of the issuing authority, the customs officer of the importing side, and the
node administrator. An exporter sees and changes only what belongs to its organisation, and
applies only for COs whose exporter is its organisation or one it is recorded as representing.
The administrator manages users and the node but does not issue, cancel, decide or sign, and
cannot act through another account: a token is created only by its owner, or on the host
(separation of duties, see :mod:`originlink.services.node.users`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from originlink.domain.errors import Forbidden


class Role(StrEnum):
    EXPORTER = "exporter"
    ISSUING_OFFICER = "issuing_officer"
    CUSTOMS_OFFICER = "customs_officer"
    ADMIN = "admin"
    SYSTEM = "system"


class Permission(StrEnum):
    APPLICATION_WRITE = "application.write"
    APPLICATION_READ = "application.read"
    APPLICATION_DECIDE = "application.decide"
    CERTIFICATE_READ = "certificate.read"
    CERTIFICATE_CHANGE = "certificate.change"
    USER_MANAGE = "user.manage"
    AUDIT_READ = "audit.read"
    MESSAGE_READ = "message.read"
    MESSAGE_RESEND = "message.resend"
    PARTNER_MANAGE = "partner.manage"
    CLAIM_DECIDE = "claim.decide"
    CLAIM_READ = "claim.read"
    VERIFICATION_REQUEST = "verification.request"
    VERIFICATION_ANSWER = "verification.answer"
    VERIFICATION_READ = "verification.read"
    #: Move a training node's simulated clock (never a node on the real clock).
    CLOCK_MOVE = "clock.move"
    #: See every learner's progress in the training sandbox (the instructor's page).
    TRAINING_REVIEW = "training.review"


_P = Permission
MATRIX: dict[Role, frozenset[Permission]] = {
    Role.EXPORTER: frozenset({_P.APPLICATION_WRITE, _P.APPLICATION_READ, _P.CERTIFICATE_READ}),
    Role.ISSUING_OFFICER: frozenset(
        {
            _P.APPLICATION_READ,
            _P.APPLICATION_DECIDE,
            _P.CERTIFICATE_READ,
            _P.CERTIFICATE_CHANGE,
            _P.MESSAGE_READ,
            _P.VERIFICATION_ANSWER,
            _P.VERIFICATION_READ,
        }
    ),
    Role.CUSTOMS_OFFICER: frozenset(
        {
            _P.CERTIFICATE_READ,
            _P.MESSAGE_READ,
            _P.CLAIM_DECIDE,
            _P.CLAIM_READ,
            _P.VERIFICATION_REQUEST,
            _P.VERIFICATION_READ,
        }
    ),
    Role.ADMIN: frozenset(
        {
            _P.APPLICATION_READ,
            _P.CERTIFICATE_READ,
            _P.USER_MANAGE,
            _P.AUDIT_READ,
            _P.MESSAGE_READ,
            _P.MESSAGE_RESEND,
            _P.PARTNER_MANAGE,
            _P.CLAIM_READ,
            _P.VERIFICATION_READ,
            _P.CLOCK_MOVE,
            _P.TRAINING_REVIEW,
        }
    ),
    Role.SYSTEM: frozenset(Permission),
}

#: Roles whose reads are limited to their own organisation's records.
OWNERSHIP_BOUND = frozenset({Role.EXPORTER})


@dataclass(frozen=True, slots=True)
class Actor:
    """Who is acting, as the audit chain records it."""

    user_id: str
    username: str
    role: Role
    organisation: str | None = None
    via: str = "cli"
    #: Exporter identifiers this exporter is recorded as representing (``--represents``).
    represents: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        return f"{self.role.value}:{self.username}"

    def can(self, permission: Permission) -> bool:
        return permission in MATRIX.get(self.role, frozenset())

    def require(self, permission: Permission) -> None:
        if not self.can(permission):
            raise Forbidden(
                f"role {self.role.value} may not {permission.value.replace('.', ' ')}",
                permission=permission.value,
            )

    def owns(self, organisation: str | None) -> bool:
        """Ownership: exporters only reach their own organisation's records."""
        if self.role not in OWNERSHIP_BOUND:
            return True
        return organisation is not None and organisation == self.organisation

    def require_owner(self, organisation: str | None, what: str) -> None:
        if not self.owns(organisation):
            raise Forbidden(f"this {what} belongs to another organisation")

    @property
    def on_host(self) -> bool:
        """The node's own operator on its host (the CLI) or the node itself."""
        return self.role is Role.SYSTEM

    def require_applies_for(self, exporter_identifiers: list[tuple[str | None, str]]) -> None:
        """An exporter applies only for its organisation, or for exporters it represents.

        ``exporter_identifiers`` are the CO exporter's (scheme, value) pairs, each matched in
        every form it is written (:func:`identifier_forms`); 403 with the reason otherwise."""
        if self.role not in OWNERSHIP_BOUND:
            return
        mine = {_norm(v) for v in (self.organisation, *self.represents) if v}
        for scheme, value in exporter_identifiers:
            if mine & {_norm(form) for form in identifier_forms(scheme, value)}:
                return
        named = ", ".join(f"{s}:{v}" if s else v for s, v in exporter_identifiers)
        allowed = ", ".join([self.organisation or "-", *self.represents])
        raise Forbidden(
            f"the CO's exporter ({named or 'no identifier'}) is neither your organisation nor "
            f"one you are recorded as representing ({allowed}); representation is recorded on "
            "the node's host: 'originlink users add NAME --represents ID,...'",
            pointer="certificate.parties.exporter.identifiers",
        )


def _norm(value: str) -> str:
    return value.strip().upper()


def identifier_forms(scheme: str | None, value: str) -> list[str]:
    """The ways an exporter identifier is written: the bare value, ``scheme:value`` and
    ``scheme-value`` with the scheme's ``:`` as ``-`` (``SG:UEN`` ``201912345K`` is also
    ``SG-UEN-201912345K``, the README's ``--organisation`` form)."""
    forms = [value]
    if scheme:
        forms += [f"{scheme}:{value}", f"{scheme.replace(':', '-')}-{value}"]
    return forms


SYSTEM_ACTOR = Actor(user_id="system", username="system", role=Role.SYSTEM, via="system")
#: The operator at the node's host, through the ``originlink`` command (audited as ``host``).
HOST_ACTOR = Actor(user_id="host", username="host", role=Role.SYSTEM, via="host-cli")
