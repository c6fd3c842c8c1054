"""Settings: read from the environment in one place only, validated with errors naming the variable, overridden
by the command line's store options, handed whole to worker processes, and documented in one README table."""

from __future__ import annotations

import ast
import pickle
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policykg.app.cli import app
from policykg.settings import VARIABLES, ApiSettings, Settings, SettingsError, StoreSettings
from tests.conftest import ROOT

SRC = ROOT / "src" / "policykg"

EVERYTHING = {
    "POLICYKG_STORE": "neo4j+s://example.org:7687",
    "POLICYKG_DATA_DIR": "/var/lib/policykg",
    "POLICYKG_NEO4J_USER": "reader",
    "POLICYKG_NEO4J_PASSWORD": "secret",
    "POLICYKG_NEO4J_DATABASE": "policy",
    "POLICYKG_NEO4J_BATCH_ROWS": "250",
    "POLICYKG_QUERY_MEMORY_MB": "64",
    "POLICYKG_API_TOKEN": "tok",
    "POLICYKG_CYPHER_TIMEOUT_MS": "750",
    "POLICYKG_CYPHER_ROW_CAP": "10",
    "POLICYKG_CYPHER_CONCURRENCY": "3",
    "POLICYKG_CYPHER_PER_CLIENT": "2",
    "POLICYKG_DOC_TIMEOUT": "30",
    "POLICYKG_MAX_UPLOAD_MB": "3",
    "POLICYKG_CORS_ORIGINS": "https://a.example, https://b.example,",
    "POLICYKG_CACHE_MB": "0",
    "POLICYKG_CACHE_VERSION_MS": "0",
    "POLICYKG_CACHE_WARM": "off",
    "POLICYKG_ALLOWED_HOSTS": "policy.example.org, 10.0.0.5,",
    "POLICYKG_GRAPH_TIMEOUT_S": "60",
}


def test_an_environment_without_settings_gives_the_defaults() -> None:
    assert Settings.from_env({"HOME": "/root", "PATH": "/bin"}) == Settings()
    assert Settings().store.is_embedded and Settings().store.data_dir == Path("./policykg-data")


def test_every_variable_reaches_its_setting() -> None:
    assert set(EVERYTHING) == set(VARIABLES)
    assert Settings.from_env(EVERYTHING) == Settings(
        store=StoreSettings(
            uri="neo4j+s://example.org:7687",
            data_dir=Path("/var/lib/policykg"),
            user="reader",
            password="secret",
            neo4j_database="policy",
            batch_rows=250,
            query_memory_mb=64,
        ),
        api=ApiSettings(
            api_token="tok",
            cypher_timeout_ms=750,
            cypher_row_cap=10,
            cypher_concurrency=3,
            cypher_per_client=2,
            max_upload_bytes=3 * 2**20,
            cors_origins=("https://a.example", "https://b.example"),
            cache_mb=0,
            cache_version_ms=0,
            cache_warm=False,
            allowed_hosts=("policy.example.org", "10.0.0.5"),
            graph_timeout_s=60,
            extract_timeout_s=30,
        ),
    )


def test_an_empty_value_counts_as_unset() -> None:
    assert Settings.from_env(dict.fromkeys(VARIABLES, "")) == Settings()


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("POLICYKG_STORE", "postgres://x"),
        ("POLICYKG_NEO4J_BATCH_ROWS", "0"),
        ("POLICYKG_CYPHER_TIMEOUT_MS", "5s"),
        ("POLICYKG_CYPHER_ROW_CAP", "-1"),
        ("POLICYKG_MAX_UPLOAD_MB", "1.5"),
        ("POLICYKG_CACHE_MB", "lots"),
        ("POLICYKG_CACHE_VERSION_MS", "-20"),
        ("POLICYKG_CACHE_WARM", "maybe"),
        ("POLICYKG_QUERY_MEMORY_MB", "0"),
        ("POLICYKG_CYPHER_CONCURRENCY", "0"),
        ("POLICYKG_CYPHER_PER_CLIENT", "none"),
        ("POLICYKG_DOC_TIMEOUT", "0"),
    ],
)
def test_a_value_that_cannot_be_used_is_an_error_naming_its_variable(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=f"^{name} must be .*{re.escape(repr(value))}"):
        Settings.from_env({name: value})


def test_an_unknown_policykg_variable_is_an_error_not_silently_ignored() -> None:
    with pytest.raises(SettingsError, match="unknown setting POLICYKG_CACHE_VERSON_MS"):
        Settings.from_env({"POLICYKG_CACHE_VERSON_MS": "0"})


def test_settings_survive_the_trip_to_a_worker_process() -> None:
    settings = Settings.from_env(EVERYTHING)
    assert pickle.loads(pickle.dumps(settings)) == settings  # spawn pickles a Process's arguments


def test_the_command_lines_options_override_the_environment(tmp_path: Path) -> None:
    runner = CliRunner()
    env = {"POLICYKG_DATA_DIR": str(tmp_path / "from-env")}
    from_env = runner.invoke(app, ["store", "status"], env=env)
    assert from_env.exit_code == 1 and "from-env" in from_env.output
    given = runner.invoke(app, ["store", "status", "--data-dir", str(tmp_path / "given")], env=env)
    assert given.exit_code == 1 and "given" in given.output and "from-env" not in given.output


def test_the_command_line_reports_a_bad_setting_by_name() -> None:
    result = CliRunner().invoke(app, ["store", "status"], env={"POLICYKG_CACHE_MB": "lots"})
    assert result.exit_code == 2
    assert "POLICYKG_CACHE_MB must be a whole number" in result.output


ENVIRONMENT = {"environ", "environb", "getenv", "putenv"}


def _reads_the_environment(path: Path) -> bool:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and node.attr in ENVIRONMENT:
            return True
        if isinstance(node, ast.ImportFrom) and node.module == "os" and {a.name for a in node.names} & ENVIRONMENT:
            return True
    return False


def test_no_module_but_settings_touches_the_environment() -> None:
    readers = {str(p.relative_to(SRC)) for p in SRC.rglob("*.py") if _reads_the_environment(p)}
    assert readers == {"settings.py"}


def test_the_readme_lists_every_variable_once_in_one_table() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| `(POLICYKG_\w+)` \|", readme, flags=re.MULTILINE)
    assert sorted(rows) == sorted(VARIABLES)
    mentioned = set(re.findall(r"POLICYKG_[A-Z0-9_]*[A-Z0-9]", readme))
    assert mentioned <= set(VARIABLES), f"the README names settings that do not exist: {mentioned - set(VARIABLES)}"
