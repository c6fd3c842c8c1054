"""The span lookup that replaced comparing every candidate with every earlier span (issue #19, item 8): the same
answers as the comparison it replaced, on random spans."""

from __future__ import annotations

import random

from policykg.ingest.spans import Covers


def test_covers_answers_as_comparing_with_every_span() -> None:
    rng = random.Random(19)
    for _ in range(200):
        covers, spans = Covers(), []
        for _ in range(30):
            start = rng.randrange(0, 200)
            end = start + rng.randrange(0, 25)
            if rng.random() < 0.5:
                covers.add(start, end)
                spans.append((start, end))
            else:
                assert covers.cover(start, end) == any(s <= start and end <= e for s, e in spans)
