"""services/context.py: what every use case is given — the node's identity and time zone, its
clock, settings and hooks, and the ports it may lack (trust store, transport, key), each
refused with the command that sets it up."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from originlink.config import Settings
from originlink.domain.clock import FrozenClock
from originlink.domain.errors import ConfigurationError
from originlink.exchange.transport import InProcessNetwork, InProcessTransport
from originlink.services.context import NodeHooks, NodeIdentity, NodeSettings
from originlink.testing import TestCA
from tests.services.fakes import FakeStorage
from tests.services.support import SG_IDENTITY, node_on

NOW = datetime(2025, 3, 4, 20, 30, tzinfo=UTC)


def test_a_node_without_trust_transport_or_key_says_what_to_run() -> None:
    node = node_on(FakeStorage())
    for require, command in [
        (node.require_trust, "originlink trustlist import"),
        (node.require_gateway, "originlink keys init"),
        (node.require_transport, "no transport to reach partners"),
    ]:
        with pytest.raises(ConfigurationError, match=command) as info:
            require()
        assert info.value.exit_code == 2 and info.value.http_status == 500


def test_a_node_with_them_hands_them_out(ca: TestCA) -> None:
    node = node_on(FakeStorage(), trust=ca.trust_store())
    key = ca.issue("SG-CUSTOMS", "SG")
    node.gateway = key
    node.transport = InProcessTransport(key, node.clock, InProcessNetwork())
    assert node.require_trust() is node.trust
    assert node.require_gateway() is key
    assert node.require_transport() is node.transport


def test_time_comes_from_the_clock_in_utc_and_locally_in_the_node_time_zone() -> None:
    node = node_on(FakeStorage(), now=NOW)
    assert node.now() == NOW and node.now().tzinfo == UTC
    local = node.local_now()
    assert local.isoformat() == "2025-03-05T04:30:00+08:00"  # already the next day in Singapore
    assert local == NOW
    assert isinstance(node.clock, FrozenClock)
    node.clock.advance(timedelta(hours=1))
    assert node.now() == NOW + timedelta(hours=1)


def test_the_identity_names_its_time_zone_and_defaults_to_every_node_role() -> None:
    plain = NodeIdentity("NZ-CUSTOMS", "New Zealand Customs Service", "NZ", "NZ-CUSTOMS")
    assert plain.tz.key == "UTC"
    assert plain.roles == frozenset({"issuing-authority", "customs", "gateway"})
    assert plain.agreements == () and plain.public_base_url is None
    assert SG_IDENTITY.tz.utcoffset(NOW) == timedelta(hours=8)


def test_default_settings_are_those_a_configured_node_gets_by_default() -> None:
    """A node built without settings (tests, embedding programs) accepts what a node whose
    ``node.toml`` and environment set nothing accepts."""
    settings, fields = NodeSettings(), Settings.model_fields
    assert settings.clock_skew == timedelta(seconds=fields["clock_skew_seconds"].default)
    assert settings.replay_window == timedelta(seconds=fields["replay_window_seconds"].default)
    assert settings.max_document_bytes == fields["max_document_bytes"].default
    assert settings.max_attachment_bytes == fields["max_attachment_bytes"].default
    assert settings.page_size_max == fields["page_size_max"].default
    assert settings.pdf_fonts == tuple(fields["pdf_fonts"].default)
    assert settings.audit_checkpoint_seconds == fields["audit_checkpoint_seconds"].default
    for name in (
        "max_message_bytes",
        "g2g_partner_rate_per_minute",
        "g2g_partner_burst",
        "g2g_address_rate_per_minute",
        "g2g_address_burst",
        "g2g_refused_samples_per_minute",
    ):
        assert getattr(settings, name) == fields[name].default, name


def test_each_node_has_hooks_and_settings_of_its_own() -> None:
    first, second = node_on(FakeStorage()), node_on(FakeStorage())
    first.hooks.on_message_queued.append(lambda: None)
    first.hooks.periodic.clear()
    assert second.hooks.on_message_queued == []
    assert len(second.hooks.periodic) == 5
    assert first.settings == second.settings
    bare = NodeHooks()
    assert (bare.on_issued, bare.on_status_changed, bare.on_delivered) == ([], [], [])
    assert bare.on_issued is not NodeHooks().on_issued
