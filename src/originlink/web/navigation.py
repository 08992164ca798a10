"""The menu of each role: the first entry is the role's home. A page of a role is listed here
so the menu and the role guard agree (see docs/architecture.md, "web")."""

from __future__ import annotations

from originlink.domain.authz import Role


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for marked messages
    """Marks a message for the catalogues; it is translated where it is shown."""
    return message


#: (path, label) of each role's pages, in menu order.
NAVIGATION: dict[Role, list[tuple[str, str]]] = {
    Role.EXPORTER: [
        ("/app/", N_("Home")),
        ("/app/exporter/applications", N_("Applications")),
        ("/app/exporter/applications/new", N_("New application")),
        ("/app/exporter/certificates", N_("Certificates")),
    ],
    Role.ISSUING_OFFICER: [
        ("/app/", N_("Home")),
        ("/app/officer/queue", N_("Queue")),
        ("/app/officer/certificates", N_("Certificates")),
        ("/app/officer/verifications", N_("Verification requests")),
    ],
    Role.CUSTOMS_OFFICER: [
        ("/app/", N_("Home")),
        ("/app/customs/certificates", N_("Received certificates")),
        ("/app/customs/claims", N_("Claims")),
        ("/app/customs/claims/new", N_("New claim")),
        ("/app/customs/reviews", N_("Claims for review")),
        ("/app/customs/verifications", N_("Verification cases")),
    ],
    Role.ADMIN: [
        ("/app/", N_("Home")),
        ("/app/admin/users", N_("Users")),
        ("/app/admin/partners", N_("Partners")),
        ("/app/admin/messages", N_("Messages")),
        ("/app/admin/audit", N_("Audit chain")),
        ("/app/admin/health", N_("Node health")),
    ],
}

#: On a training sandbox's desk (``[training] manifest``), every role's menu ends with this.
TRAINING_ENTRY = ("/app/training/", N_("Lessons"))

ROLE_NAMES = {
    Role.EXPORTER: N_("Exporter"),
    Role.ISSUING_OFFICER: N_("Issuing officer"),
    Role.CUSTOMS_OFFICER: N_("Customs officer"),
    Role.ADMIN: N_("Administrator"),
    Role.SYSTEM: N_("System"),
}
