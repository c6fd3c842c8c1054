"""Split text into sentences with their character offsets."""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from typing import NamedTuple

_SENTENCE = re.compile(r"[^。！？；!?;\n]+[。！？；!?;]?")


class Sentence(NamedTuple):
    start: int
    end: int
    text: str


def split_sentences(text: str) -> Iterator[Sentence]:
    for match in _SENTENCE.finditer(text):
        chunk = match.group()
        stripped = chunk.strip()
        if not stripped:
            continue
        start = match.start() + chunk.index(stripped)
        yield Sentence(start, start + len(stripped), stripped)


class SentenceIndex:
    """The sentence holding a character offset, by binary search over sentence starts."""

    def __init__(self, sentences: list[Sentence]) -> None:
        self.sentences = sentences
        self.starts = [s.start for s in sentences]

    def containing(self, offset: int) -> Sentence | None:
        index = bisect.bisect_right(self.starts, offset) - 1
        if index >= 0 and offset < self.sentences[index].end:
            return self.sentences[index]
        return None
