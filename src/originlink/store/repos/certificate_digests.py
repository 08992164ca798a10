"""The digests of every version of each CO (see ``tables.certificate_digests``)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection

from originlink.store.prepared import PreparedWrite
from originlink.store.tables import certificate_digests


@dataclass(frozen=True, slots=True)
class VersionDigest:
    certificate_id: str
    version: int
    status: str
    digest: str
    recorded_at: datetime


_KEYS = ["certificate_id", "version", "status", "digest", "recorded_at"]
_RECORD_PG = PreparedWrite(postgresql.insert(certificate_digests).on_conflict_do_nothing(), _KEYS)
_RECORD_SQLITE = PreparedWrite(sqlite.insert(certificate_digests).on_conflict_do_nothing(), _KEYS)


class CertificateDigests:
    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def record(
        self, *, certificate_id: str, version: int, status: str, digest: str, at: datetime
    ) -> None:
        """Remember the digest of one version; recording the same version again is a no-op
        (the first digest of a version is the one that was printed)."""
        statement = _RECORD_PG if self._c.dialect.name == "postgresql" else _RECORD_SQLITE
        statement(
            self._c,
            {
                "certificate_id": certificate_id,
                "version": version,
                "status": status,
                "digest": digest,
                "recorded_at": at,
            },
        )

    def of(self, certificate_ids: Sequence[str]) -> list[VersionDigest]:
        """Every recorded version of these certificates, oldest first."""
        if not certificate_ids:
            return []
        rows = self._c.execute(
            select(certificate_digests)
            .where(certificate_digests.c.certificate_id.in_(list(certificate_ids)))
            .order_by(certificate_digests.c.certificate_id, certificate_digests.c.version)
        )
        return [
            VersionDigest(r.certificate_id, r.version, r.status, r.digest, r.recorded_at)
            for r in rows
        ]
