"""Extraction time against document length: is it near-linear? (issue #19, item 8)

Each size is one synthetic document made of real plans from ../shared/realcorpus laid end to end (in file
order, so the same bytes every run), cut to the size in UTF-8 bytes. Each size runs in its own process, so
the peak resident memory is that document's (the extractor's gazetteers and automata included, built by a
warm-up before the clock starts). Speed and the fit use the process's CPU time, not the wall clock, which
other work on the machine stretches. The exponent k of seconds ∝ size^k is fitted by least squares on the
logarithms, over the sizes of at least 0.5 MB (below that, fixed costs hide the growth).

python bench/extract_scaling.py [--sizes 0.1,0.5,1,2,5,10] [--timeout 900] [--profile 10]
"""

from __future__ import annotations

import argparse
import cProfile
import json
import math
import pstats
import resource
import subprocess
import sys
import time
from pathlib import Path

from bench.machine import ROOT, describe

CORPUS = ROOT.parent / "shared" / "realcorpus" / "docs"
MB = 1024 * 1024
FIT_FROM_MB = 0.5


def synthetic_text(size_mb: float) -> str:
    """Real documents end to end until `size_mb` of UTF-8, cut at a character boundary."""
    wanted = int(size_mb * MB)
    parts: list[str] = []
    used = 0
    while used < wanted:  # a corpus smaller than the size is laid down again: real text all the same
        for path in sorted(CORPUS.glob("*.txt")):
            text = path.read_text(encoding="utf-8")
            parts.append(text)
            used += len(text.encode("utf-8")) + 1
            if used >= wanted:
                break
    return "\n".join(parts).encode("utf-8")[:wanted].decode("utf-8", errors="ignore")


def measure_one(size_mb: float, profile: Path | None) -> dict[str, object]:
    """In the child: extract one document of the size, report time, speed and this process's peak RSS."""
    from policykg.app.batch import warm_up_extractor
    from policykg.ingest.pipeline import extract_text

    text = synthetic_text(size_mb)
    warm_up_extractor()
    profiler = cProfile.Profile() if profile else None
    started, cpu_started = time.perf_counter(), time.process_time()
    if profiler:
        profiler.enable()
    record = extract_text(text, f"synthetic-{size_mb}MB.txt")
    if profiler:
        profiler.disable()
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu_started  # what the fit uses: wall time on a shared machine is noise
    if profiler and profile:
        profiler.dump_stats(profile)
    return {
        "mb": size_mb,
        "chars": len(text),
        "seconds": round(seconds, 2),
        "cpu_seconds": round(cpu_seconds, 2),
        "chars_per_s": round(len(text) / cpu_seconds),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "entities": len(record["entities"]),
        "relations": len(record["relations"]),
    }


def run_child(size_mb: float, timeout: float, profile: Path | None) -> dict[str, object]:
    command = [sys.executable, "-m", "bench.extract_scaling", "--one", str(size_mb)]
    if profile:
        command += ["--profile-to", str(profile)]
    try:
        done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=timeout, check=True)
    except subprocess.TimeoutExpired:
        return {"mb": size_mb, "timed_out_after_s": timeout}
    return json.loads(done.stdout.strip().splitlines()[-1])


def fitted_exponent(results: list[dict[str, object]]) -> float | None:
    points = [
        (math.log(float(r["mb"])), math.log(float(r["cpu_seconds"])))  # type: ignore[arg-type]
        for r in results
        if "cpu_seconds" in r and float(r["mb"]) >= FIT_FROM_MB  # type: ignore[arg-type]
    ]
    if len(points) < 2:
        return None
    mean_x = sum(x for x, _ in points) / len(points)
    mean_y = sum(y for _, y in points) / len(points)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in points) / sum((x - mean_x) ** 2 for x, _ in points)
    return round(slope, 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="0.1,0.5,1,2,5,10", help="document sizes in MB")
    parser.add_argument("--timeout", type=float, default=900, help="seconds one size may take")
    parser.add_argument("--profile", type=float, help="also profile this size; prints the top functions")
    parser.add_argument("--one", type=float, help=argparse.SUPPRESS)  # the child's job
    parser.add_argument("--profile-to", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one is not None:
        print(json.dumps(measure_one(args.one, args.profile_to)))
        return
    machine = describe()
    print(json.dumps(machine), flush=True)
    results = []
    for size in (float(s) for s in args.sizes.split(",")):
        results.append(run_child(size, args.timeout, None))
        print(json.dumps(results[-1]), flush=True)
        if "timed_out_after_s" in results[-1]:
            break  # larger sizes would only time out too
    exponent = fitted_exponent(results)
    print(f"fitted exponent (sizes >= {FIT_FROM_MB} MB): {exponent}")
    if args.profile:
        stats_file = Path("/tmp") / f"policykg-extract-{args.profile}MB-{time.time_ns()}.prof"
        run_child(args.profile, args.timeout, stats_file)
        pstats.Stats(str(stats_file)).sort_stats("cumulative").print_stats(30)
    line = {"bench": "extract_scaling", "machine": machine, "results": results, "exponent": exponent}
    with Path(__file__).with_name("results.jsonl").open("a", encoding="utf-8") as handle:
        handle.write(json.dumps(line, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
