"""Split text into sentences with their character offsets."""

from __future__ import annotations

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
