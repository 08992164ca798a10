"""The verification tests' starting point: SG's CO received at JP and claimed there."""

from __future__ import annotations

import pytest

from originlink.testing.network import Network
from tests.services.verification.support import Verification, received_co


@pytest.fixture
def v(net: Network) -> Verification:
    return received_co(net)
