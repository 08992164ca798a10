"""``validate`` and ``convert`` on real published documents: every finding shown, one JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from originlink.cli.main import run

DOCUMENTS = Path(__file__).parents[1] / "conformance" / "documents"
TRADETRUST = DOCUMENTS / "tradetrust-coo-selective-disclosure.json"
EDI3 = DOCUMENTS / "edi3-CertificateOfOrigin.sampleFull.json"


def invoke(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        run(list(args))
    out, err = capsys.readouterr()
    return int(exited.value.code or 0), out, err


def test_validate_prints_every_finding_with_its_source(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = invoke(capsys, "validate", str(EDI3))
    assert code == 1
    lines = out.splitlines()
    ds23 = [line for line in lines if "DS-23" in line]
    assert len(ds23) == 3  # every one, no "and N more"
    assert "(source /supplyChainConsignment/includedConsignmentItems/0/tradeLineItems/0)" in ds23[0]
    assert "more" not in out.split("NOT VALID")[0].lower().replace("more than", "")
    assert lines[-1].startswith("NOT VALID") and "(uncefact, CHAFTA)" in lines[-1]


def test_validate_json_is_one_document_with_all_findings(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = invoke(capsys, "validate", "--json", str(TRADETRUST))
    assert code == 0 and err == ""
    report = json.loads(out)
    assert report["format"] == "openattestation" and report["ok"] is True
    assert report["integrity"]["integrity"] == "ok"
    assert report["integrity"]["identity"] == "not checked"
    codes = [f["code"] for f in report["findings"]]
    assert {"PROOF-INTEGRITY", "PROOF-IDENTITY", "DS-04"} <= set(codes)
    assert report["counts"]["SEVERE"] == 0
    assert len(report["findings"]) == sum(report["counts"].values())
    assert report["loss_report"]["entries"]


def test_convert_writes_the_output_even_with_severe_findings(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "co.xml"
    code, out, _ = invoke(capsys, "convert", "--to", "ubl", str(EDI3), str(target))
    assert code == 1  # the items give no measure
    assert target.read_bytes().startswith(b"<?xml")
    assert out.count("SEVERE  DS-23") == 3
    assert "loss report:" in out


def test_convert_openattestation_to_canonical_keeps_the_facts(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "co.json"
    code, _, _ = invoke(capsys, "convert", "--to", "canonical", str(TRADETRUST), str(target))
    assert code == 0
    cert = json.loads(target.read_text())["certificate"]
    assert cert["certificate_number"] == "WBC208899"
    assert cert["goods_items"][0]["gross_weight"] == {"value": "900", "unit_code": "KGM"}
    again = tmp_path / "again.tt"
    code, _, _ = invoke(
        capsys, "convert", "--from", "canonical", "--to", "openattestation", str(target), str(again)
    )
    # as canonical JSON, which has a place for the certifying official, its absence is SEVERE
    assert code == 1
    wrapped = json.loads(again.read_text())
    assert wrapped["data"]["iD"].endswith(":string:wfa.org.au:coo:WBC208899")


def test_strict_refuses_any_loss_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    target = tmp_path / "co.json"
    code, out, _ = invoke(
        capsys, "convert", "--strict", "--to", "canonical", str(TRADETRUST), str(target)
    )
    assert code == 1 and not target.exists()
    assert "refused (--strict)" in out


def test_a_document_without_a_co_exits_2_with_one_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, _, err = invoke(capsys, "validate", str(DOCUMENTS / "tradetrust-invoice-wrapped.json"))
    assert code == 2
    assert err.count("\n") == 1 and "holds no certificate of origin" in err
