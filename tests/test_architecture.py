"""The one-way flow the README promises, checked on the source: no module imports a layer downstream of it.

lexicon, ontology → ingest (documents → records) → graph (records → rows → stores) → export, queries → api → app
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "policykg"
# A module may import its own layer and the layers before it; export and queries do not import each other.
RANK = {"": 0, "lexicon": 1, "ontology": 2, "ingest": 3, "graph": 4, "export": 5, "queries": 5, "api": 6, "app": 7}


def layer_of(module: str) -> str:
    """`policykg.graph.stores.protocol` → `graph`; the top-level package (settings, version) is layer ''."""
    parts = module.split(".")
    return parts[1] if len(parts) > 2 or (len(parts) == 2 and parts[1] in RANK) else ""


def imported_modules(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names if node.module == "policykg")
    return {m for m in found if m == "policykg" or m.startswith("policykg.")}


def module_name(path: Path) -> str:
    relative = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = relative.parts[:-1] if relative.name == "__init__" else relative.parts
    return ".".join(parts)


SOURCES = sorted(PACKAGE.rglob("*.py"))


def test_every_module_belongs_to_a_known_layer() -> None:
    assert SOURCES, f"no sources under {PACKAGE}"
    unknown = {module_name(p) for p in SOURCES if layer_of(module_name(p)) not in RANK}
    assert not unknown


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: module_name(p))
def test_no_import_points_upstream(path: Path) -> None:
    here = layer_of(module_name(path))
    wrong = []
    for target in imported_modules(path):
        there = layer_of(target)
        if there == here:
            continue
        if RANK[there] > RANK[here] or (RANK[there] == RANK[here] and there != here):
            wrong.append(f"{target} ({there})")
    assert not wrong, f"{module_name(path)} ({here or 'policykg'}) imports downstream: {', '.join(sorted(wrong))}"


def test_the_check_sees_a_downstream_import(tmp_path: Path) -> None:
    """The rule is not vacuous: an ingest module importing the graph is caught."""
    bad = tmp_path / "bad.py"
    bad.write_text("from policykg.graph.build import build\nimport policykg.api.app\n", encoding="utf-8")
    targets = imported_modules(bad)
    assert {layer_of(t) for t in targets} == {"graph", "api"}
    assert all(RANK[layer_of(t)] > RANK["ingest"] for t in targets)
