"""Extraction quality on the samples, scored by ../shared/eval/score.py against its gold files.

The floors sit a little below what the extractor measured when they were set (see README):
a change that loses entities or cooperation partners fails here.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType

import pytest

from policykg.ingest.pipeline import extract_file

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"
FLOORS = {"entities": 0.94, "cooperation": 0.96, "entities.Program": 0.94, "entities.Platform": 0.89}


def load_scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("policykg_eval_score", EVAL / "score.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def totals() -> dict[str, dict[str, float]]:
    if not (EVAL / "score.py").exists():
        pytest.skip(f"no evaluation set at {EVAL}: the gold files live outside the repository")
    scorer = load_scorer()
    summed: dict[str, object] = {}
    for gold_path in sorted((EVAL / "gold").glob("*.json")):
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        record = extract_file(ROOT / "samples" / gold["file"])
        for key, tally in scorer.score_doc(gold, record).items():
            summed.setdefault(key, scorer.Tally()).add(tally)  # type: ignore[attr-defined]
    return {key: tally.row() for key, tally in summed.items()}  # type: ignore[attr-defined]


@pytest.mark.parametrize("measure", sorted(FLOORS))
def test_f1_stays_above_its_floor(totals: dict[str, dict[str, float]], measure: str) -> None:
    assert totals[measure]["f1"] >= FLOORS[measure], totals[measure]


def test_institutions_and_areas_are_nearly_all_found(totals: dict[str, dict[str, float]]) -> None:
    assert totals["entities.Institution"]["f1"] >= 0.95, totals["entities.Institution"]
    assert totals["entities.Area"]["f1"] >= 0.95, totals["entities.Area"]
