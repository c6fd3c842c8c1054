"""General Chinese vocabulary (jieba's dictionary: word, frequency, part of speech), to tell a name from words.

A company is rarely named with a common verb (帮扶…使用银行), and a listed item made only of common
words (新能源电池, 股权转让) is a thing, not a name; rare words and single characters (中石光芯, 三一筑工)
and proper names (南山食品) are what names are made of.
"""

from __future__ import annotations

import logging
import os
from functools import cache

import jieba

COMMON_WORD = 300  # a word this frequent in general Chinese is a word, not a name
_PROPER_TAGS = frozenset({"nr", "nrt", "nrfg", "ns", "nt", "nz", "j"})  # jieba's tags of proper names
_GENERAL_TAGS = frozenset({"n", "v", "vn", "a", "an", "l", "i"})
_VERB_TAGS = frozenset({"v", "vn"})

jieba.setLogLevel(logging.WARNING)  # its dictionary-loading messages are not the user's business


@cache
def dictionary() -> dict[str, tuple[int, str]]:
    """word → (frequency, part of speech)."""
    entries = {}
    with open(os.path.join(os.path.dirname(jieba.__file__), "dict.txt"), encoding="utf-8") as handle:
        for line in handle:
            word, frequency, tag = line.split()
            entries[word] = (int(frequency), tag)
    return entries


def words_of(text: str) -> list[str]:
    return jieba.lcut(text, HMM=False)


def general_phrase(name: str) -> bool:
    """新能源电池, 股权转让, 财政补贴: general words, not a name."""
    words = dictionary()
    tokens = words_of(name)
    if len(tokens) == 1:
        frequency, tag = words.get(name, (0, ""))
        if tag in _PROPER_TAGS:
            return False  # 嵩山, 南山: a proper name however frequent
        return frequency >= COMMON_WORD or (len(name) >= 3 and tag in _GENERAL_TAGS)
    return all(len(token) >= 2 and token in words and words[token][1] not in _PROPER_TAGS for token in tokens)


def after_common_verb(text: str, whole: bool = False) -> int:
    """Where a name starts after the last common verb in `text` (帮扶…使用|银行, 取得|股份, 投产|中化乙烯); a rare
    verb (腾升香料) or a one-character one (开磷集团) may be part of a company's name. `whole`: the text is the
    whole name, so a cut leaves at least its last word."""
    words, start, position = dictionary(), 0, 0
    tokens = words_of(text)
    for token in tokens[:-1] if whole else tokens:
        position += len(token)
        frequency, tag = words.get(token, (0, ""))
        if len(token) >= 2 and tag in _VERB_TAGS and frequency >= COMMON_WORD:
            start = position
    return start


def ends_in_common_verb(text: str) -> bool:
    """开工, 复制推广: the text ends with a common verb of two characters or more."""
    tokens = words_of(text)
    frequency, tag = dictionary().get(tokens[-1], (0, "")) if tokens else (0, "")
    return len(tokens[-1]) >= 2 and tag in _VERB_TAGS and frequency >= COMMON_WORD if tokens else False


CONTEXT = 4  # characters either side that segmentation looks at


def at_word_boundaries(text: str, start: int, end: int) -> bool:
    """Whether the text's words (jieba, around the span) begin at `start` and end at `end`."""
    window_start = max(0, start - CONTEXT)
    position, bounds = window_start, {window_start}
    for token in words_of(text[window_start : end + CONTEXT]):
        position += len(token)
        bounds.add(position)
    return start in bounds and end in bounds
