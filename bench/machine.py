"""The machine and code a benchmark ran on, printed with every figure."""

from __future__ import annotations

import os
import platform
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or "unknown"


def ram_gb() -> float:
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            return int(line.split()[1]) / 1024**2
    return 0.0


def commit() -> str:
    result = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True, text=True)
    return result.stdout.strip() or "unknown"


def describe() -> dict[str, object]:
    return {
        "cores": os.cpu_count(),
        "ram_gb": round(ram_gb(), 1),
        "cpu": cpu_model(),
        "python": platform.python_version(),
        "commit": commit(),
    }


def _pss_bytes(pid: int) -> int:
    """Proportional set size: pages shared with other processes (a forked save child's copy-on-write pages)
    counted in proportion, so a tree's sum is the memory it really holds."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def tree_rss_bytes(root_pid: int, excluding: str | None = None, proportional: bool = False) -> int:
    """Resident memory of a process and all its descendants (Linux /proc), leaving out the processes whose
    name contains `excluding` together with their descendants (e.g. the store's server, whose memory is the
    graph's, not the ingest's, and its forks: FalkorDB's index collector forks from a thread named
    'thread-pool-0'). RSS counts a page shared by two processes twice (the store and its fork); `proportional`
    sums PSS."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    names: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            statm = (entry / "statm").read_text().split()
        except OSError:
            continue
        pid, ppid = int(entry.name), int(stat.rsplit(")", 1)[1].split()[1])
        names[pid] = stat[stat.index("(") + 1 : stat.rindex(")")]
        children.setdefault(ppid, []).append(pid)
        rss[pid] = int(statm[1]) * os.sysconf("SC_PAGE_SIZE")
    total, stack = 0, [root_pid]
    while stack:
        pid = stack.pop()
        if excluding is not None and excluding in names.get(pid, ""):
            continue
        total += _pss_bytes(pid) if proportional else rss.get(pid, 0)
        stack += children.get(pid, [])
    return total
