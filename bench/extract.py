"""Extraction speed: characters and documents per second, one process and all cores.

python bench/extract.py [--documents 300] [--seed 1]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import tempfile
import time
from pathlib import Path

from bench.corpus import generate
from bench.machine import describe
from policykg.app.batch import warm_up_extractor
from policykg.ingest.pipeline import extract_file


def characters(path: Path) -> int:
    return len(extract_file(path).get("text") or "")


def measure(paths: list[Path], workers: int) -> dict[str, float]:
    started = time.perf_counter()
    if workers == 1:
        chars = sum(characters(p) for p in paths)
    else:
        with multiprocessing.get_context("spawn").Pool(workers, initializer=warm_up_extractor) as pool:
            pool.map(abs, range(workers))  # wait for the workers to start before the clock matters
            started = time.perf_counter()
            chars = sum(pool.imap_unordered(characters, paths, chunksize=4))
    seconds = time.perf_counter() - started
    return {
        "workers": workers,
        "documents": len(paths),
        "chars": chars,
        "seconds": round(seconds, 2),
        "docs_per_s": round(len(paths) / seconds, 1),
        "chars_per_s": round(chars / seconds),
        "chars_per_s_per_core": round(chars / seconds / workers),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        paths = generate(Path(folder), args.documents, args.seed, formats=("txt", "gbk", "html"))
        warm_up_extractor()
        results = [measure(paths, 1), measure(paths, os.cpu_count() or 1)]
    line = json.dumps({"bench": "extract", "machine": describe(), "results": results}, ensure_ascii=False)
    print(line)
    with Path(__file__).with_name("results.jsonl").open("a", encoding="utf-8") as handle:
        handle.write(line + "\n")


if __name__ == "__main__":
    main()
