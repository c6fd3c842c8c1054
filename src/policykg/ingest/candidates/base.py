"""What every candidate source produces, and how overlapping candidates are settled."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Any

MAX_PREFIX = 16  # characters a name may have before its suffix


QUOTES = "“”\"'‘’「」"


NAME_CHAR = re.compile(r"[\u4e00-\u9fa5A-Za-z()（）·]")  # digits start counts (3家…), not names


@dataclass
class Candidate:
    start: int
    end: int
    surface: str
    type: str
    extractor: str
    key: str | None = None  # canonical name when a gazetteer knows it
    codes: tuple[str, ...] = ()  # area codes a place name may denote
    shared_prefix: str = ""  # 省 of 省科技成果转化奖、科技进步奖, which the second item shares
    attributes: dict[str, Any] = field(default_factory=dict)


class DisjointSpans:
    """Spans that never overlap one another, sorted, so the ones overlapping a query are found by bisection."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def overlapping(self, start: int, end: int) -> list[tuple[int, int]]:
        # disjoint spans sorted by start are sorted by end too: walk left from the last one starting before `end`
        index = bisect.bisect_left(self.starts, end) - 1
        found = []
        while index >= 0 and self.ends[index] > start:
            found.append((self.starts[index], self.ends[index]))
            index -= 1
        return found

    def add(self, start: int, end: int) -> None:
        index = bisect.bisect_left(self.starts, start)
        self.starts.insert(index, start)
        self.ends.insert(index, end)


def select(candidates: list[Candidate]) -> list[Candidate]:
    """Longest first; an area may sit inside another name, anything else inside a kept name is dropped."""
    ranked = sorted(candidates, key=lambda c: (-(c.end - c.start), c.extractor.startswith("suffix"), c.start))
    kept: list[Candidate] = []
    names = DisjointSpans()  # a name is kept only where no other name is, so they never overlap
    places = DisjointSpans()  # likewise places
    for candidate in ranked:
        around = names.overlapping(candidate.start, candidate.end)
        nested = bool(around) and all(s <= candidate.start and candidate.end <= e for s, e in around)
        if candidate.codes:  # a place may sit inside a name, never across one or inside another place
            if places.overlapping(candidate.start, candidate.end) or (around and not nested):
                continue
            places.add(candidate.start, candidate.end)
        elif around and not (nested and candidate.type in ("Institution", "Agency") and candidate.key):
            continue  # 中国科学院 inside 中国科学院丹东技术转移中心 is the academy; 科技部 in 科技部…项目 the ministry
        elif not around:
            names.add(candidate.start, candidate.end)
        kept.append(candidate)
    return sorted(kept, key=lambda c: c.start)
