"""Where each setting of :mod:`originlink.config` lives in ``node.toml``: the table
``originlink node show --config`` and the README list follow. A new setting gets its line here
and its field in :class:`originlink.config.Settings`; config.py stays the one module that reads
the environment and the file.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SettingPlace:
    """Where a setting lives in ``node.toml`` (``None``: environment only)."""

    section: str | None
    key: str | None = None


#: Every setting: its place in ``node.toml``. The environment variable is ``ORIGINLINK_`` and
#: the setting's name in capitals.
SETTINGS: dict[str, SettingPlace] = {
    "home": SettingPlace(None),
    "participant_id": SettingPlace("node", "participant_id"),
    "name": SettingPlace("node", "name"),
    "country": SettingPlace("node", "country"),
    "authority_code": SettingPlace("node", "authority_code"),
    "roles": SettingPlace("node", "roles"),
    "timezone": SettingPlace("node", "timezone"),
    "agreements": SettingPlace("node", "agreements"),
    "public_url": SettingPlace("node", "public_base_url"),
    "issue_place_locode": SettingPlace("node", "issue_place_locode"),
    "issue_place_name": SettingPlace("node", "issue_place_name"),
    "host": SettingPlace("server", "host"),
    "port": SettingPlace("server", "port"),
    "database_url": SettingPlace("database", "url"),
    "sqlite_synchronous": SettingPlace("database", "sqlite_synchronous"),
    "public_rate_per_minute": SettingPlace("public", "rate_per_minute"),
    "public_burst": SettingPlace("public", "burst"),
    "clock_skew_seconds": SettingPlace("limits", "clock_skew_seconds"),
    "replay_window_seconds": SettingPlace("limits", "replay_window_seconds"),
    "max_document_bytes": SettingPlace("limits", "max_document_bytes"),
    "max_message_bytes": SettingPlace("limits", "max_message_bytes"),
    "max_attachment_bytes": SettingPlace("limits", "max_attachment_bytes"),
    "page_size_max": SettingPlace("limits", "page_size_max"),
    "pdf_fonts": SettingPlace("pdf", "fonts"),
    "audit_checkpoint_seconds": SettingPlace("audit", "checkpoint_seconds"),
    "g2g_partner_rate_per_minute": SettingPlace("g2g", "partner_rate_per_minute"),
    "g2g_partner_burst": SettingPlace("g2g", "partner_burst"),
    "g2g_address_rate_per_minute": SettingPlace("g2g", "address_rate_per_minute"),
    "g2g_address_burst": SettingPlace("g2g", "address_burst"),
    "g2g_refused_samples_per_minute": SettingPlace("g2g", "refused_samples_per_minute"),
    "web_session_idle_minutes": SettingPlace("web", "session_idle_minutes"),
    "web_session_max_hours": SettingPlace("web", "session_max_hours"),
    "web_lockout_failures": SettingPlace("web", "lockout_failures"),
    "web_lockout_minutes": SettingPlace("web", "lockout_minutes"),
    "web_require_second_factor": SettingPlace("web", "require_second_factor"),
    "web_activation_hours": SettingPlace("web", "activation_hours"),
    "clock": SettingPlace("clock", "mode"),
    "clock_file": SettingPlace("clock", "file"),
    "training_manifest": SettingPlace("training", "manifest"),
    "key_passphrase": SettingPlace(None),
    "ca_passphrase": SettingPlace(None),
    "debug": SettingPlace(None),
    "bench_pg_url": SettingPlace(None),
    "workers": SettingPlace("server", "workers"),
    "serve_worker": SettingPlace("server", "worker"),
    "forwarded_allow_ips": SettingPlace("server", "forwarded_allow_ips"),
    "ssl_certfile": SettingPlace("server", "ssl_certfile"),
    "ssl_keyfile": SettingPlace("server", "ssl_keyfile"),
    "redis_url": SettingPlace("state", "redis_url"),
    "metrics_allow": SettingPlace("metrics", "allow"),
    "log_format": SettingPlace("logging", "format"),
    "log_level": SettingPlace("logging", "level"),
    "heartbeat_max_age_seconds": SettingPlace("health", "heartbeat_max_age_seconds"),
    "key_file": SettingPlace("keys", "key_file"),
    "cert_file": SettingPlace("keys", "cert_file"),
    "key_passphrase_file": SettingPlace("keys", "passphrase_file"),
    "archive_dir": SettingPlace("retention", "archive_dir"),
    "delivery_lease_seconds": SettingPlace("worker", "lease_seconds"),
}
