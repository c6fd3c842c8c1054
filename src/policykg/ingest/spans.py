"""Is a span inside one of the spans seen so far? Asked once per candidate, so it must not look at every span:
a document of n names would cost n² (issue #19: 2 MB took minutes)."""

from __future__ import annotations


class Covers:
    """Spans added so far, by start. A span covering [start, end) starts at most `longest` characters before
    `end`, so only that window of starts is looked at: names are short, whatever the document's length."""

    def __init__(self, spans: list[tuple[int, int]] | None = None) -> None:
        self._end_from: dict[int, int] = {}  # start -> the furthest end of a span starting there
        self._longest = 0
        for start, end in spans or ():
            self.add(start, end)

    def add(self, start: int, end: int) -> None:
        if end > self._end_from.get(start, -1):
            self._end_from[start] = end
        self._longest = max(self._longest, end - start)

    def cover(self, start: int, end: int) -> bool:
        """Some span added holds [start, end): it starts at or before `start` and ends at or after `end`."""
        return any(self._end_from.get(s, -1) >= end for s in range(max(end - self._longest, 0), start + 1))
