"""Extraction quality, scored by ../shared/eval/score.py: the five samples against their gold, and the real
documents of ../shared/eval/gold-real against theirs.

The floors sit a little below what the extractor measured when they were set (README, "Extraction quality"):
a change that loses entities or cooperation partners fails here. Quality is measured by the scorer, not
asserted by hand-picked cases; these floors only catch a change that makes it worse.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from policykg import SAMPLES_DIR

EVAL = Path(__file__).resolve().parent.parent.parent / "shared" / "eval"
REAL_DOCS = EVAL.parent / "realcorpus" / "docs"
SAMPLE_FLOORS = {
    "entities": 0.93,
    "cooperation": 0.93,
    "entities.Program": 0.90,
    "entities.Platform": 0.89,
    "entities.Institution": 0.93,
    "entities.Area": 0.95,
    "targets": 0.95,
}
REAL_FLOORS = {
    "entities": 0.83,
    "cooperation": 0.90,
    "entities.Area": 0.94,
    "entities.Agency": 0.92,
    "entities.Institution": 0.85,
    "entities.Enterprise": 0.77,
    "entities.Platform": 0.76,
    "entities.Program": 0.76,
    "targets": 0.97,
    "results": 0.95,
}
# Of the matched targets, how often the kind (stock, flow, growth, ratio) is right. The year is not held here: it
# follows the document's year, metadata's to get right.
KIND_FLOORS = {"samples": 0.9, "real": 0.95}


def scored(gold: Path, documents: list[Path], out: Path) -> dict[str, Any]:
    if not (EVAL / "score.py").exists() or not gold.is_dir():
        pytest.skip(f"no evaluation set at {gold}: the gold files live outside the repository, in ../shared")
    cli = Path(sys.executable).parent / "policykg"
    subprocess.run([str(cli), "extract", *map(str, documents), "-o", str(out)], check=True, capture_output=True)
    result = subprocess.run(
        [sys.executable, str(EVAL / "score.py"), str(gold), str(out), "--json"],
        check=True,
        capture_output=True,
        text=True,
    )
    report: dict[str, Any] = json.loads(result.stdout)
    return report


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    documents = sorted(SAMPLES_DIR.glob("*.txt"))
    return scored(EVAL / "gold", documents, tmp_path_factory.mktemp("quality") / "samples.jsonl")


@pytest.fixture(scope="module")
def real(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    gold = EVAL / "gold-real"
    files = [json.loads(p.read_text(encoding="utf-8"))["file"] for p in sorted(gold.glob("*.json"))]
    return scored(gold, [REAL_DOCS / name for name in files], tmp_path_factory.mktemp("quality") / "real.jsonl")


@pytest.mark.parametrize("measure", sorted(SAMPLE_FLOORS))
def test_samples_stay_above_their_floor(samples: dict[str, Any], measure: str) -> None:
    assert samples["scores"][measure]["f1"] >= SAMPLE_FLOORS[measure], samples["scores"][measure]


@pytest.mark.parametrize("measure", sorted(REAL_FLOORS))
def test_real_documents_stay_above_their_floor(real: dict[str, Any], measure: str) -> None:
    assert real["scores"][measure]["f1"] >= REAL_FLOORS[measure], real["scores"][measure]


@pytest.mark.parametrize("corpus", sorted(KIND_FLOORS))
def test_matched_targets_keep_their_kind(corpus: str, request: pytest.FixtureRequest) -> None:
    report = request.getfixturevalue(corpus)
    assert report["matched_target_accuracy"]["kind"] >= KIND_FLOORS[corpus], report["matched_target_accuracy"]


def test_every_annotated_real_document_was_extracted(real: dict[str, Any]) -> None:
    assert real["missing_predictions"] == []
