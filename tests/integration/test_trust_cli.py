"""The trust commands end to end: the README session, exit codes, key rotation, revocation."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from originlink.cli.main import run

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "valid" / "rcep-sg-jp-minimal.json"


class Cli:
    def __init__(self, capsys: pytest.CaptureFixture[str], home: Path) -> None:
        self.capsys = capsys
        self.home = home

    def __call__(self, *args: str, home: bool = True) -> tuple[int, str, str]:
        argv = [*args, "--home", str(self.home)] if home else list(args)
        with pytest.raises(SystemExit) as exit_:
            run(argv)
        out, err = self.capsys.readouterr()
        return int(exit_.value.code or 0), out, err

    def ok(self, *args: str) -> str:
        code, out, err = self(*args)
        assert code == 0, err
        return out


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> Cli:
    return Cli(capsys, tmp_path / "home")


@pytest.fixture
def network(cli: Cli, tmp_path: Path) -> Cli:
    """A home with a CA, SG-CUSTOMS's key and its accepted first trust list."""
    cli.ok("ca", "init", "--name", "Test Root")
    cli.ok(
        "keys", "init", "--participant", "SG-CUSTOMS", "--country", "SG",
        "--role", "issuing-authority", "--name", "Singapore Customs",
    )  # fmt: skip
    cli.ok(
        "trustlist", "export", "--participant", "SG-CUSTOMS", "--agreement", "RCEP",
        "--endpoint", "g2g=https://gw.sg.example/g2g", "--out", str(tmp_path / "sg.json"),
    )  # fmt: skip
    return cli


def readme_block(start: str, fence: str) -> str:
    text = (REPO / "README.md").read_text("utf-8")
    match = re.search(rf"{re.escape(start)}.*?```{fence}\n(.*?)```", text, re.S)
    assert match, f"README has no {fence} block after {start!r}"
    return match.group(1)


@pytest.mark.slow
def test_the_readme_session_runs_as_written_and_a_third_party_verifies(tmp_path: Path) -> None:
    session = readme_block("<!-- trust-session:start -->", "sh")
    third_party = readme_block("A third party needs only", "python")
    script = (
        f"{session}\ncat > third_party.py <<'PY'\n{third_party}PY\n"
        "python third_party.py && echo THIRD-PARTY-VERIFIED\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "ORIGINLINK_HOME"}
    env["PATH"] = f"{Path(sys.executable).parent}:{env.get('PATH', '')}"
    env["TMPDIR"] = str(tmp_path)
    done = subprocess.run(
        ["bash", "-c", script], cwd=REPO, env=env, capture_output=True, text=True, timeout=240
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("signed.json: VERIFIED signed by SG-CUSTOMS") == 2
    assert "tampered.json: NOT VERIFIED" in done.stdout
    assert "FAILED  SIG_INTEGRITY" in done.stdout
    assert "exit code 1" in done.stdout
    assert "accepted    SG-CUSTOMS sequence 1" in done.stdout
    assert "THIRD-PARTY-VERIFIED" in done.stdout


def test_verify_exit_codes_are_0_1_and_2(network: Cli, tmp_path: Path) -> None:
    signed = tmp_path / "signed.json"
    network.ok("sign", str(EXAMPLE), "--participant", "SG-CUSTOMS", "--out", str(signed))
    assert network("verify", str(signed))[0] == 0

    data = json.loads(signed.read_text())
    data["certificate"]["importing_country"] = "KR"
    tampered = tmp_path / "tampered.json"
    tampered.write_text(json.dumps(data))
    code, out, _ = network("verify", str(tampered), "--json")
    report = json.loads(out)
    assert code == 1
    assert report["ok"] is False
    assert report["integrity"]["code"] == "SIG_INTEGRITY"
    assert report["signer"]["status"] == "ok"

    (tmp_path / "junk.json").write_text("{not json")
    data["certificate"]["goods_items"] = []
    data["certificate"]["colour"] = "red"
    (tmp_path / "invalid.json").write_text(json.dumps(data))
    for name in ("missing.json", "junk.json", "invalid.json"):
        code, _, err = network("verify", str(tmp_path / name))
        assert code == 2, name
        assert err.startswith("error: INPUT_UNREADABLE")
    assert "not a canonical CO document: certificate.colour" in err


def test_an_untrusting_node_reports_the_signer_and_exit_1(network: Cli, tmp_path: Path) -> None:
    signed = tmp_path / "signed.json"
    network.ok("sign", str(EXAMPLE), "--participant", "SG-CUSTOMS", "--out", str(signed))
    other = Cli(network.capsys, tmp_path / "other")
    code, out, _ = other("verify", str(signed))
    assert code == 1
    assert "SIG_CHAIN_UNTRUSTED" in out
    assert "revocation           NOT_CHECKED" in out


def test_show_lists_roots_and_participants(network: Cli) -> None:
    out = network.ok("trustlist", "show")
    assert out.startswith("root  CN=Test Root")
    assert "SG-CUSTOMS  Singapore Customs  SG  sequence 1" in out
    assert "endpoint g2g https://gw.sg.example/g2g" in out
    shown = json.loads(network.ok("trustlist", "show", "SG-CUSTOMS", "--json"))
    assert shown["trust_lists"][0]["agreements"] == ["RCEP"]
    assert len(shown["roots"]) == 1
    code, _, err = network("trustlist", "show", "NOBODY")
    assert code == 2 and "NOBODY" in err


def test_contact_details_are_published_kept_and_checked(network: Cli) -> None:
    network.ok(
        "trustlist", "export", "--participant", "SG-CUSTOMS",
        "--contact-email", "verify@customs.example.sg", "--contact-phone", "+65 6355 2000",
        "--contact-web", "https://customs.example.sg/origin",
    )  # fmt: skip
    network.ok("trustlist", "export", "--participant", "SG-CUSTOMS")  # the next list keeps them
    shown = json.loads(network.ok("trustlist", "show", "SG-CUSTOMS", "--json"))
    assert shown["trust_lists"][0]["contact"] == {
        "email": "verify@customs.example.sg",
        "phone": "+65 6355 2000",
        "web": "https://customs.example.sg/origin",
    }
    assert "contact email verify@customs.example.sg" in network.ok("trustlist", "show")
    code, _, err = network(
        "trustlist", "export", "--participant", "SG-CUSTOMS", "--contact-web", "www.example.sg"
    )
    assert code == 2 and "--contact-web" in err


def test_import_refuses_an_older_list_with_exit_1(network: Cli, tmp_path: Path) -> None:
    first = tmp_path / "sg.json"
    network.ok("trustlist", "export", "--participant", "SG-CUSTOMS")
    code, _, err = network("trustlist", "import", str(first))
    assert code == 1
    assert "TRUSTLIST_OLDER_SEQUENCE" in err


def test_revocation_before_the_signature_fails_verification(network: Cli, tmp_path: Path) -> None:
    signed = tmp_path / "signed.json"
    network.ok("sign", str(EXAMPLE), "--participant", "SG-CUSTOMS", "--out", str(signed))
    fingerprint = json.loads(network.ok("trustlist", "show", "--json"))["trust_lists"][0][
        "certificates"
    ][0]["sha256"]
    before = (datetime.now(UTC) - timedelta(minutes=1)).strftime("%Y-%m-%dT%H:%M:%SZ")
    code, _, err = network(
        "trustlist", "export", "--participant", "SG-CUSTOMS", "--revoke", f"{fingerprint}@{before}"
    )
    # the only key is now revoked: it may not sign the list that revokes it
    assert code == 1 and "TRUSTLIST_NO_SIGNER" in err
    network.ok(
        "trustlist", "export", "--participant", "SG-CUSTOMS", "--sign-with-ca",
        "--revoke", f"sha256:{fingerprint[:16]}@{before}", "--revocation-reason", "compromised",
    )  # fmt: skip
    code, out, _ = network("verify", str(signed))
    assert code == 1
    assert "SIG_REVOKED" in out and "compromised" in out
    code, _, err = network(
        "trustlist", "export", "--participant", "SG-CUSTOMS", "--revoke", f"{fingerprint}@noon"
    )
    assert code == 2 and "ISO 8601" in err


def test_rotation_through_the_command_line(network: Cli, tmp_path: Path) -> None:
    out = network.ok(
        "keys", "init", "--participant", "SG-CUSTOMS", "--country", "SG",
        "--role", "issuing-authority", "--rotate", "--algorithm", "EdDSA",
    )  # fmt: skip
    assert "previous    kept as" in out
    second = json.loads(network.ok("trustlist", "export", "--participant", "SG-CUSTOMS"))
    assert second["trust_list"]["sequence"] == 2
    assert len(second["trust_list"]["certificates"]) == 2
    signed = tmp_path / "signed.json"
    network.ok("sign", str(EXAMPLE), "--participant", "SG-CUSTOMS", "--out", str(signed))
    assert network("verify", str(signed))[0] == 0
    code, _, err = network(
        "keys", "init", "--participant", "SG-CUSTOMS", "--country", "SG",
        "--role", "issuing-authority",
    )  # fmt: skip
    assert code == 1 and "--rotate" in err


def test_a_request_is_certified_by_the_ca_elsewhere_and_keys_can_be_encrypted(
    cli: Cli, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("ORIGINLINK_KEY_PASSPHRASE", raising=False)
    secret = tmp_path / "secret.txt"
    secret.write_text("s3cret passphrase\n")
    out = cli.ok(
        "keys", "init", "--participant", "JP-CUSTOMS", "--country", "JP",
        "--role", "issuing-authority", "--passphrase-file", str(secret),
    )  # fmt: skip
    assert "encrypted" in out and "send the request to the network's CA" in out
    keys = cli.home / "keys"
    ca_home = Cli(capsys, tmp_path / "ca-node")
    ca_home.ok("ca", "init", "--name", "Network Root")
    ca_home.ok("ca", "issue", "--csr", str(keys / "JP-CUSTOMS.csr.pem"), "--days", "30")
    assert (keys / "JP-CUSTOMS.cert.pem").is_file() and (keys / "JP-CUSTOMS.chain.pem").is_file()
    cli.ok("trustlist", "pin-root", str(tmp_path / "ca-node" / "ca" / "ca.cert.pem"))
    code, _, err = cli("trustlist", "export", "--participant", "JP-CUSTOMS")
    assert code == 2 and "encrypted" in err
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("nope")
    code, _, err = cli(
        "trustlist", "export", "--participant", "JP-CUSTOMS", "--passphrase-file", str(wrong)
    )
    assert code == 2 and "wrong passphrase" in err
    exported = cli.ok(
        "trustlist", "export", "--participant", "JP-CUSTOMS", "--agreement", "RCEP",
        "--passphrase-file", str(secret),
    )  # fmt: skip
    assert json.loads(exported)["trust_list"]["participant_id"] == "JP-CUSTOMS"


def test_exporter_and_authority_signatures_from_the_command_line(
    network: Cli, tmp_path: Path
) -> None:
    network.ok(
        "keys", "init", "--participant", "SG-EXPORTER-1", "--country", "SG", "--role", "exporter"
    )
    data: dict[str, Any] = json.loads(EXAMPLE.read_text())
    data.pop("signatures")
    unsigned = tmp_path / "unsigned.json"
    unsigned.write_text(json.dumps(data))
    declared = tmp_path / "declared.json"
    network.ok(
        "sign",
        str(unsigned),
        "--participant",
        "SG-EXPORTER-1",
        "--exporter",
        "--out",
        str(declared),
    )
    issued = tmp_path / "issued.json"
    network.ok("sign", str(declared), "--participant", "SG-CUSTOMS", "--out", str(issued))
    code, out, _ = network("verify", str(issued))
    assert code == 0
    assert "exporter integrity   ok" in out
    assert "exporter revocation  NOT_APPLICABLE" in out
    code, _, err = network("sign", str(unsigned), "--participant", "SG-CUSTOMS", "--exporter")
    assert code == 1 and "SIGN_ROLE_MISMATCH" in err
    code, _, err = network("sign", str(unsigned), "--participant", "NOBODY")
    assert code == 2 and "no key for participant" in err


def test_ca_init_refuses_to_overwrite_and_bad_identities_are_usage_errors(network: Cli) -> None:
    code, _, err = network("ca", "init", "--name", "Again")
    assert code == 1 and "CONFLICT" in err
    for bad in (["--country", "sg"], ["--role", "king"], ["--participant", "../x"]):
        args = {"--participant": "X", "--country": "SG", "--role": "customs"}
        args[bad[0]] = bad[1]
        code, _, err = network("keys", "init", *[t for kv in args.items() for t in kv])
        assert code == 2, bad


def test_bench_sign_quick_prints_the_four_figures(cli: Cli) -> None:
    code, out, _ = cli("bench", "sign", "--quick", "--json", home=False)
    assert code == 0
    figures = json.loads(out)
    for key in ("sign_per_s", "verify_per_s", "sign_ratio_to_raw", "verify_ratio_to_raw"):
        assert figures[key] > 0
    assert figures["items"] == 10
    code, out, _ = cli("bench", "sign", "--quick", "--algorithm", "EdDSA", home=False)
    assert code == 0 and "ratio" in out and "EdDSA" in out


def test_malformed_export_options_are_usage_errors(network: Cli) -> None:
    code, _, err = network(
        "trustlist", "export", "--participant", "SG-CUSTOMS", "--endpoint", "https://x"
    )
    assert code == 2 and "NAME=URL" in err
    code, _, err = network(
        "trustlist",
        "export",
        "--participant",
        "SG-CUSTOMS",
        "--revoke",
        "ab" * 8 + "@2025-01-01T00:00:00",
    )
    assert code == 2 and "UTC offset" in err


def test_every_code_is_documented_in_the_readme() -> None:
    from originlink.trust.codes import ADMIN_CODES, SIGNATURE_CODES

    readme = (REPO / "README.md").read_text("utf-8")
    missing = [c for c in [*SIGNATURE_CODES, *ADMIN_CODES] if c not in readme]
    assert missing == []
