"""``originlink validate`` and ``originlink demo``: exit codes, messages, hostile input."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tracemalloc
from pathlib import Path
from typing import Any

import pytest

from originlink.cli.main import run
from tests.conftest import EXAMPLES

VALID = EXAMPLES / "valid" / "rcep-th-au-multi-item-rvc-fob.json"
MINIMAL = EXAMPLES / "valid" / "rcep-sg-jp-minimal.json"
NO_FOB = EXAMPLES / "invalid" / "ds-21-rvc-without-fob.json"


def invoke(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        run(list(args))
    out, err = capsys.readouterr()
    code = info.value.code
    return (code if isinstance(code, int) else 1), out, err


def one_line_error(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    return lines[0]


# --- outcomes ----------------------------------------------------------------------------------


def test_a_valid_co_exits_0_with_a_summary(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = invoke(capsys, "validate", str(VALID), "--at", "2026-02-15")
    assert (code, err) == (0, "")
    assert out.splitlines()[-1].startswith(f"VALID {VALID} (RCEP): 0 severe, 0 warning(s)")
    assert "INFO    DS-07" in out


def test_an_invalid_co_exits_1_with_one_line_per_finding(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = invoke(capsys, "validate", str(NO_FOB), "--at", "2026-02-15")
    assert code == 1
    lines = out.splitlines()
    assert lines[0].startswith("SEVERE  DS-21       certificate.goods_items[1].fob_value: Item 2")
    assert lines[-1].startswith("NOT VALID")
    assert "1 severe" in lines[-1]


def test_json_report(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = invoke(capsys, "validate", str(NO_FOB), "--json")
    report: dict[str, Any] = json.loads(out)
    assert code == 1
    assert report["file"] == str(NO_FOB)
    assert report["ok"] is False and report["agreement"] == "RCEP"
    first = report["findings"][0]
    assert (first["level"], first["code"], first["path"]) == (
        "SEVERE",
        "DS-21",
        "certificate.goods_items[1].fob_value",
    )


def test_validity_at_a_date_and_for_a_claim(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = invoke(capsys, "validate", str(MINIMAL), "--at", "2026-03-05")
    assert code == 0 and "INFO    DS-11" in out
    code, out, _ = invoke(
        capsys, "validate", str(MINIMAL), "--at", "2026-03-05", "--purpose", "claim"
    )
    assert code == 1 and "SEVERE  DS-11" in out
    code, _, _ = invoke(
        capsys, "validate", str(MINIMAL), "--at", "2026-03-04", "--purpose", "claim"
    )
    assert code == 0


def test_agreement_override(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = invoke(capsys, "validate", str(MINIMAL), "--agreement", "ATIGA")
    assert code == 1
    assert "WARNING DS-29" in out and "checked against ATIGA" in out
    assert "'FORM_RCEP' is not a form of ATIGA" in out


def test_unknown_agreement_exits_2_listing_the_known_ones(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, err = invoke(capsys, "validate", str(MINIMAL), "--agreement", "NAFTA")
    assert (code, out) == (2, "")
    line = one_line_error(err)
    assert "unknown agreement 'NAFTA'" in line and "ATIGA" in line and "RCEP" in line


@pytest.mark.parametrize(
    "args",
    [("--at", "15/02/2026"), ("--purpose", "audit")],
)
def test_bad_options_exit_2(capsys: pytest.CaptureFixture[str], args: tuple[str, str]) -> None:
    code, _, err = invoke(capsys, "validate", str(MINIMAL), *args)
    assert code == 2
    assert args[0] in err and "Traceback" not in err


def test_reads_standard_input(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    class Stdin:
        buffer = MINIMAL.open("rb")

    monkeypatch.setattr(sys, "stdin", Stdin)
    code, out, _ = invoke(capsys, "validate", "-")
    Stdin.buffer.close()
    assert code == 0 and "standard input (RCEP)" in out


# --- input that cannot be read -----------------------------------------------------------------


def _write(tmp_path: Path, content: bytes) -> Path:
    path = tmp_path / "input.json"
    path.write_bytes(content)
    return path


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"certificate: RCEP-SG-1\n", "is not JSON"),
        (b"", "is empty"),
        (b"[1, 2, 3]", "found an array"),
        (b'"a CO"', "found a string"),
        (b'{"certificate": {"goods_items": "bearings"}}', "certificate.goods_items"),
        (b'{"certificate": [], "signatures": 5}', "more member(s) of the wrong type"),
        (b'{"certificate": {"version": 1, "version": 2}}', "duplicate member 'version'"),
        (b'{"certificate": {"version": NaN}}', "NaN is not a JSON number"),
        (b'{"certificate": "caf\xe9"}', "is not UTF-8"),
        (b"[" * 10_000 + b"]" * 10_000, "nested more deeply"),
        (b'{"a":' * 10_000 + b"1" + b"}" * 10_000, "nested more deeply"),
    ],
)
def test_unreadable_input_exits_2_with_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: bytes, words: str
) -> None:
    code, out, err = invoke(capsys, "validate", str(_write(tmp_path, content)))
    assert (code, out) == (2, "")
    line = one_line_error(err)
    assert line.startswith("error: INPUT_")
    assert words in line


def test_missing_file_and_directory_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = invoke(capsys, "validate", str(tmp_path / "none.json"))
    assert code == 2 and "no such file" in one_line_error(err)
    code, _, err = invoke(capsys, "validate", str(tmp_path))
    assert code == 2 and "not a regular file" in one_line_error(err)


def test_a_50_mb_file_is_refused_before_it_is_read(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    big = tmp_path / "big.json"
    with big.open("wb") as handle:
        handle.truncate(50 * 1024 * 1024)  # sparse: costs no disk
    opened: list[Path] = []
    real_open = Path.open

    def spy(self: Path, *args: Any, **kwargs: Any) -> Any:
        opened.append(self)
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", spy)
    tracemalloc.start()
    try:
        code, _, err = invoke(capsys, "validate", str(big))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert code == 2
    line = one_line_error(err)
    assert "INPUT_TOO_LARGE" in line and "52,428,800 bytes" in line
    assert big not in opened
    assert peak < 5 * 1024 * 1024


def test_the_installed_script_gives_one_line_and_exit_codes(tmp_path: Path) -> None:
    script = shutil.which("originlink", path=str(Path(sys.executable).parent))
    assert script is not None, "the originlink script is installed with the package"
    bad = _write(tmp_path, b'{"certificate": {"a":' * 5_000 + b"1" + b"}}" * 5_000)
    done = subprocess.run(
        [script, "validate", str(bad)], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 2
    assert done.stdout == ""
    assert one_line_error(done.stderr).startswith("error: INPUT_TOO_DEEP")
    done = subprocess.run(
        [script, "validate", str(NO_FOB), "--json"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert json.loads(done.stdout)["findings"][0]["code"] == "DS-21"


# --- demo --------------------------------------------------------------------------------------


def test_demo_validates_every_bundled_example(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = invoke(capsys, "demo", "--examples", str(EXAMPLES))
    assert (code, err) == (0, "")
    count = len(json.loads((EXAMPLES / "expected.json").read_text("utf-8"))["examples"])
    assert f"{count} of {count} examples as expected" in out
    assert "ok   invalid/ds-21-rvc-without-fob.json  exit 1 (expected 1)" in out
    assert "SEVERE  DS-21" in out  # the SEVERE findings of each example are shown
    assert "unreadable: INPUT_UNREADABLE" in out


def _examples_copy(tmp_path: Path, *names: str) -> Path:
    root = tmp_path / "examples"
    manifest = json.loads((EXAMPLES / "expected.json").read_text("utf-8"))
    manifest["examples"] = {n: manifest["examples"][n] for n in names}
    for name in names:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(EXAMPLES / name, root / name)
    (root / "expected.json").write_text(json.dumps(manifest), "utf-8")
    return root


def test_demo_fails_when_an_example_has_another_outcome(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    root = _examples_copy(
        tmp_path, "valid/rcep-sg-jp-minimal.json", "invalid/ds-21-rvc-without-fob.json"
    )
    shutil.copy(
        EXAMPLES / "valid/rcep-sg-jp-minimal.json", root / "invalid/ds-21-rvc-without-fob.json"
    )
    shutil.copy(MINIMAL, root / "valid/unlisted.json")
    code, out, _ = invoke(capsys, "demo", "--examples", str(root))
    assert code == 1
    assert "FAIL invalid/ds-21-rvc-without-fob.json  exit 0 (expected 1)" in out
    assert "expected codes not found: DS-21" in out
    assert "FAIL valid/unlisted.json" in out and "not listed in expected.json" in out
    assert "1 of 3 examples as expected" in out


def test_demo_refuses_a_missing_folder_or_a_bad_manifest(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = invoke(capsys, "demo", "--examples", str(tmp_path / "nowhere"))
    assert code == 2 and "is not a folder of examples" in one_line_error(err)
    (tmp_path / "expected.json").write_text('{"examples": []}', "utf-8")
    code, _, err = invoke(capsys, "demo", "--examples", str(tmp_path))
    assert code == 2 and "not a valid examples manifest" in one_line_error(err)
