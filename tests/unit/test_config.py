"""config.py and node_config.py: every setting from the environment, node.toml or its default,
with where it came from; wrong values and unknown keys named precisely."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from originlink.cli.main import app
from originlink.config import SETTINGS, env_name, environment, load_settings, resolve_home
from originlink.domain.errors import ConfigurationError
from originlink.node_config import NodeConfig, load_config, make_identity

SRC = Path(__file__).resolve().parents[2] / "src" / "originlink"


def _home(tmp_path: Path, extra: str = "") -> Path:
    home = tmp_path / "node"
    home.mkdir(parents=True)
    (home / "node.toml").write_text(
        '[node]\nparticipant_id = "SG-CUSTOMS"\nname = "Singapore Customs"\ncountry = "SG"\n'
        'agreements = ["RCEP"]\n\n[server]\nport = 8081\n' + extra,
        "utf-8",
    )
    return home


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    for key in list(os.environ):
        if key.upper().startswith("ORIGINLINK_"):
            monkeypatch.delenv(key)


def test_the_environment_wins_over_the_file_which_wins_over_the_default(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = _home(tmp_path)
    monkeypatch.setenv("ORIGINLINK_HOST", "0.0.0.0")
    loaded = load_settings(home)
    assert loaded.settings.port == 8081 and loaded.sources["port"] == "file"
    assert loaded.settings.host == "0.0.0.0" and loaded.sources["host"] == "environment"
    assert loaded.settings.timezone == "UTC" and loaded.sources["timezone"] == "default"
    monkeypatch.setenv("ORIGINLINK_PORT", "9090")
    assert load_settings(home).settings.port == 9090


def test_limits_come_from_the_file_into_the_node_settings(tmp_path: Path) -> None:
    home = _home(tmp_path, "\n[limits]\nreplay_window_seconds = 60\nclock_skew_seconds = 30\n")
    config = load_config(home)
    assert config.settings.replay_window.total_seconds() == 60
    assert config.settings.clock_skew.total_seconds() == 30


def test_the_activation_code_lifetime_comes_from_the_web_section(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert load_config(_home(tmp_path)).settings.activation_valid.total_seconds() == 72 * 3600
    home = _home(tmp_path / "other", "\n[web]\nactivation_hours = 24\n")
    assert load_config(home).settings.activation_valid.total_seconds() == 24 * 3600
    monkeypatch.setenv("ORIGINLINK_WEB_ACTIVATION_HOURS", "0")
    with pytest.raises(ConfigurationError, match="ORIGINLINK_WEB_ACTIVATION_HOURS"):
        load_config(home)


def test_a_wrong_value_names_where_it_came_from(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = _home(tmp_path, "\n[limits]\npage_size_max = 0\n")
    with pytest.raises(ConfigurationError, match=r"node.toml \[limits\] page_size_max"):
        load_settings(home)
    monkeypatch.setenv("ORIGINLINK_PORT", "eighty")
    with pytest.raises(ConfigurationError, match="ORIGINLINK_PORT"):
        load_settings(_home(tmp_path / "other"))


def test_unknown_sections_and_keys_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match=r"\[serverr\] is not a section"):
        load_settings(_home(tmp_path, "\n[serverr]\nport = 1\n"))
    with pytest.raises(ConfigurationError, match=r"\[server\] prot is not a setting"):
        load_settings(_home(tmp_path / "b", "prot = 1\n"))


def test_no_node_toml_says_how_to_create_one(tmp_path: Path) -> None:
    with pytest.raises(ConfigurationError, match="originlink node init"):
        load_settings(tmp_path / "nothing-here")


def test_home_comes_from_the_option_then_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert resolve_home(None) == Path(".originlink")
    monkeypatch.setenv("ORIGINLINK_HOME", str(tmp_path))
    assert resolve_home(None) == tmp_path
    assert resolve_home(tmp_path / "x") == tmp_path / "x"


def test_lists_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ORIGINLINK_PDF_FONTS", "/a.ttf:/b.ttf")
    monkeypatch.setenv("ORIGINLINK_AGREEMENTS", "RCEP, ATIGA")
    settings = environment()
    assert settings.pdf_fonts == (Path("/a.ttf"), Path("/b.ttf"))
    assert settings.agreements == ("RCEP", "ATIGA")


def test_secrets_and_passwords_are_never_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ORIGINLINK_KEY_PASSPHRASE", "hunter2")
    home = _home(tmp_path, '\n[database]\nurl = "postgresql://app:s3cret@db.example/co"\n')
    rows = {row["name"]: row for row in load_settings(home).describe()}
    text = json.dumps(rows)
    assert "hunter2" not in text and "s3cret" not in text
    assert rows["key_passphrase"]["value"] == "********"
    assert rows["database_url"]["value"] == "postgresql://app:***@db.example/co"


def test_every_setting_is_described_with_its_variable_and_place(tmp_path: Path) -> None:
    rows = load_settings(_home(tmp_path)).describe()
    assert [row["name"] for row in rows] == list(SETTINGS)
    for row in rows:
        assert row["environment"] == env_name(row["name"])
        place = SETTINGS[row["name"]]
        assert row["file"] == (f"[{place.section}] {place.key}" if place.section else None)


def test_node_show_config_prints_every_setting_and_its_source(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = _home(tmp_path)
    monkeypatch.setenv("ORIGINLINK_PUBLIC_URL", "https://verify.example.sg")
    result = CliRunner().invoke(app, ["node", "show", "--config", "--home", str(home), "--json"])
    assert result.exit_code == 0, result.output
    rows = {row["name"]: row for row in json.loads(result.output)["settings"]}
    assert rows["public_url"] == {
        "name": "public_url",
        "value": "https://verify.example.sg",
        "source": "environment",
        "file": "[node] public_base_url",
        "environment": "ORIGINLINK_PUBLIC_URL",
    }
    assert rows["port"]["source"] == "file" and rows["host"]["source"] == "default"
    text = CliRunner().invoke(app, ["node", "show", "--config", "--home", str(home)])
    assert "port                   = 8081  (file; node.toml [server] port" in text.output


def test_the_written_node_toml_reads_back_even_with_quotes_in_a_name(tmp_path: Path) -> None:
    identity = make_identity(
        {"participant_id": "X-1", "name": 'Chamber "North"', "country": "AU"}, origin="test"
    )
    config = NodeConfig(home=tmp_path, identity=identity, database_url="sqlite:///x.db")
    (tmp_path / "node.toml").write_text(config.as_toml(), "utf-8")
    assert load_config(tmp_path).identity.name == 'Chamber "North"'


def test_nothing_but_the_config_module_reads_the_environment() -> None:
    readers = []
    for path in SRC.rglob("*.py"):
        if path.name == "config.py" and path.parent == SRC:
            continue
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if (
                isinstance(node, ast.Attribute)
                and node.attr in {"environ", "getenv"}
                and isinstance(node.value, ast.Name)
                and node.value.id == "os"
            ):
                readers.append(f"{path.relative_to(SRC)}:{node.lineno}")
            if isinstance(node, ast.keyword) and node.arg == "envvar":
                readers.append(f"{path.relative_to(SRC)}:{node.value.lineno}")
    # The demo hands its own environment down to the gateways it starts; it reads no setting.
    assert readers == ["demo/network.py:85"] or all(
        r.startswith("demo/network.py") for r in readers
    )
