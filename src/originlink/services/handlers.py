"""Importing this module registers every inbound message handler (one place, so a node that
starts anywhere — server, worker, tests — handles the same message types)."""

from __future__ import annotations

from originlink.services import (
    receiving,
    responses,
    utilisation,
    verification,
    verification_issuer,
)

REGISTERED_MODULES = (receiving, responses, utilisation, verification, verification_issuer)
