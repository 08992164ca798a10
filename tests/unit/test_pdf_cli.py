"""``originlink render CO_FILE --pdf OUT``: writes the PDF, says what is missing, one-line
errors with the right exit code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from originlink.cli.main import run
from originlink.trust.digests import certificate_digest
from tests.conftest import EXAMPLES
from tests.unit.pdf_support import example_doc, pdf_pages_text, pdf_qr_codes

MINIMAL = EXAMPLES / "valid" / "rcep-sg-jp-minimal.json"


def invoke(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        run(list(argv))
    captured = capsys.readouterr()
    code = info.value.code
    return (code if isinstance(code, int) else 1), captured.out, captured.err


def test_render_writes_the_pdf_with_the_qr_code(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ORIGINLINK_PUBLIC_URL", raising=False)
    out = tmp_path / "co.pdf"
    code, stdout, stderr = invoke(
        capsys, "render", str(MINIMAL), "--pdf", str(out), "--public-url", "https://v.example"
    )
    assert code == 0, stderr
    digest = certificate_digest(example_doc().certificate)
    payload = f"https://v.example/verify/SG/RCEP-SG-2025-000123?d={digest}"
    assert f"wrote {out} (2 page(s))" in stdout
    assert f"QR code: {payload}" in stdout
    data = out.read_bytes()
    assert pdf_qr_codes(data) == [payload]
    assert "RCEP-SG-2025-000123" in pdf_pages_text(data)[0]


def test_render_without_a_url_warns_that_there_is_no_qr(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ORIGINLINK_PUBLIC_URL", raising=False)
    code, _, stderr = invoke(capsys, "render", str(MINIMAL), "--pdf", str(tmp_path / "a.pdf"))
    assert code == 0
    assert "no verification URL" in stderr


def _with_importer(tmp_path: Path, name: str) -> Path:
    data = json.loads(MINIMAL.read_text("utf-8"))
    data["certificate"]["parties"]["importer"]["name"] = name
    source = tmp_path / "co.json"
    source.write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    return source


def test_a_character_no_font_has_exits_1_naming_it_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = _with_importer(tmp_path, "Osaka \ue000\ue001 KK")  # private use: no font has them
    out = tmp_path / "co.pdf"
    code, _, stderr = invoke(capsys, "render", str(source), "--pdf", str(out))
    assert code == 1
    assert stderr.startswith("error: MISSING_GLYPHS")
    assert "U+E000" in stderr and "U+E001" in stderr and "--font" in stderr
    assert stderr.count("\n") == 1
    assert not out.exists()


def test_missing_glyphs_can_be_allowed_and_a_status_given(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = _with_importer(tmp_path, "Osaka \ue000\ue001 KK")
    out = tmp_path / "co.pdf"
    code, _, stderr = invoke(
        capsys,
        "render",
        str(source),
        "--pdf",
        str(out),
        "--status",
        "cancelled",
        "--allow-missing-glyphs",
    )
    assert code == 0
    assert "2 character(s) no font has were printed as U+FFFD (U+E000 U+E001)" in stderr
    text = pdf_pages_text(out.read_bytes())[0]
    assert "CANCELLED" in text and "Osaka \ufffd\ufffd KK" in text


def test_render_json_prints_one_object_and_no_progress(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ORIGINLINK_PUBLIC_URL", raising=False)
    out = tmp_path / "co.pdf"
    code, stdout, stderr = invoke(
        capsys, "render", str(MINIMAL), "--pdf", str(out), "--json", "--public-url", "https://v.x"
    )
    assert code == 0 and stderr == ""
    summary = json.loads(stdout)
    assert summary["pages"] == 2 and summary["missing_characters"] == []
    assert summary["qr_payload"].startswith("https://v.x/verify/SG/RCEP-SG-2025-000123?d=")


def test_an_invalid_document_exits_1_naming_the_field(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = json.loads(MINIMAL.read_text("utf-8"))
    del data["certificate"]["parties"]["exporter"]["name"]
    source = tmp_path / "bad.json"
    source.write_text(json.dumps(data), "utf-8")
    code, _, stderr = invoke(capsys, "render", str(source), "--pdf", str(tmp_path / "x.pdf"))
    assert code == 1
    assert "certificate.parties.exporter.name" in stderr
    assert stderr.count("\n") == 1
    assert not (tmp_path / "x.pdf").exists()


def test_an_unreadable_file_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, stderr = invoke(
        capsys, "render", str(tmp_path / "none.json"), "--pdf", str(tmp_path / "x.pdf")
    )
    assert code == 2
    assert "no such file" in stderr
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", "utf-8")
    code, _, stderr = invoke(capsys, "render", str(bad), "--pdf", str(tmp_path / "x.pdf"))
    assert code == 2


def test_build_node_records_the_digest_of_every_version(tmp_path: Path) -> None:
    from originlink.bootstrap import build_node
    from originlink.node_config import NodeConfig, make_identity
    from originlink.services.verification import public as public_verification

    identity = make_identity(
        {"participant_id": "SG-C", "name": "SG", "country": "SG"}, origin="test"
    )
    node = build_node(
        NodeConfig(home=tmp_path, identity=identity, database_url=f"sqlite:///{tmp_path}/n.db")
    )
    assert public_verification.record_version_digest in node.hooks.on_issued
    assert public_verification.record_version_digest in node.hooks.on_status_changed
