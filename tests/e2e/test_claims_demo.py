"""The claims part of ``make demo`` runs on two in-process gateways and reports success."""

from __future__ import annotations

import io
from pathlib import Path

from rich.console import Console

from originlink.demo.claims import run_claims_demo
from tests.exchange_support import issue, two_gateways


def test_the_claims_demo_runs_on_two_gateways(tmp_path: Path) -> None:
    net = two_gateways(tmp_path)
    sg, jp = net["SG-CUSTOMS"], net["JP-CUSTOMS"]
    issued = issue(sg)
    net.drain()
    buffer = io.StringIO()
    ok = run_claims_demo(
        sg,
        jp,
        number=issued.certificate.number,
        settle=net.drain,
        advance=net.advance,
        console=Console(file=buffer, width=120),
    )
    text = buffer.getvalue()
    assert ok, text
    assert "QUANTITY_EXCEEDED" in text and "NO_REPLY" in text and "FAIL" not in text
    net.close()
