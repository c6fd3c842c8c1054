"""The outline of a document: its numbered headings with their levels and the spans of their sections.

Markers, in the usual order of Chinese official documents: 第一章/第一节/第一条, 一、, （一）,
1. or 1、, （1）, ①, ⑴, ⒈, and enumerations 一是/二是. Levels are not fixed by marker kind but by
nesting, as the document uses them: a plan that goes 一、 → 1. gives 1. level 2, as (一)
would be elsewhere. A heading counts only where its number continues the sequence of its
kind (一 after nothing, 二 after 一 …), so a stray "3、" in a sentence is not a heading.
"""

from __future__ import annotations

import re

from policykg.ingest.numerals import CIRCLED, PARENTHESISED, WITH_PERIOD, integer
from policykg.ingest.record import Section

_CN = "零〇一二两三四五六七八九十百"
# kind, the pattern of its marker (group 1: the number); at a line start, after optional spaces.
_KINDS = (
    ("chapter", re.compile(rf"第([{_CN}]+|\d+)章")),
    ("part", re.compile(rf"第([{_CN}]+|\d+)节")),
    ("article", re.compile(rf"第([{_CN}]+|\d+)条")),
    ("cn", re.compile(rf"([{_CN}]+)(?:、|[，,．.](?!\d))")),  # 一、2017年工作回顾 is a heading, 一.5 is not
    ("cn-paren", re.compile(rf"[（(]([{_CN}]+)[）)]")),
    ("arabic", re.compile(r"(\d{1,2})(?:[、．]|\.(?!\d)|\s(?=[\u4e00-\u9fff]))")),
    ("arabic-paren", re.compile(r"[（(](\d{1,2})[）)]")),
    ("circled", re.compile(rf"([{CIRCLED}])")),
    ("parenthesised", re.compile(rf"([{PARENTHESISED}])")),
    ("full-stop", re.compile(rf"([{WITH_PERIOD}])")),
    ("shi", re.compile(rf"([{_CN}]+)是(?=[\u4e00-\u9fff])")),
)
_LINE_START = re.compile(r"(?m)^[ \t\u3000\xa0•·]*")
_SENTENCE_END = re.compile(r"[。；;！!？?：:]")
_TITLE_MAX = 60


def _candidates(text: str):
    """(start, kind, number, marker, title start) for every marker at a line start or after 。 (一是 only)."""
    for line in _LINE_START.finditer(text):
        position = line.end()
        for kind, pattern in _KINDS:
            match = pattern.match(text, position)
            if match:
                number = integer(match.group(1))
                if number:
                    yield position, kind, number, match.group(0).strip(), match.end()
                break
    for match in re.finditer(rf"(?<=[。；;])\s*([{_CN}]+)是(?=[\u4e00-\u9fff])", text):
        number = integer(match.group(1))
        if number is not None and number > 1:
            start = match.start(1)
            yield start, "shi", number, match.group(0).strip(), match.end()


def _title(text: str, start: int) -> str:
    line_end = text.find("\n", start)
    line = text[start : line_end if line_end != -1 else len(text)]
    cut = _SENTENCE_END.search(line)
    title = line[: cut.start()] if cut else line
    return title.strip()[:_TITLE_MAX]


def extract_outline(text: str) -> list[Section]:
    """Headings in document order; a section ends where the next heading of its level or above starts."""
    found = sorted(_candidates(text))
    last_number: dict[str, int] = {}  # the last number seen of each kind, kept when its level closes
    stack: list[str] = []  # marker kinds from the outermost level in
    heads: list[tuple[int, int, str, str, int]] = []  # start, level, marker, title, title start
    for start, kind, number, marker, title_start in found:
        if kind in stack:
            if number != last_number.get(kind, 0) + 1:
                continue
            del stack[stack.index(kind) + 1 :]
        else:  # a deeper level opens: numbered from 1, or on from where the kind left off (tasks 4. 5. under (二))
            if number != 1 and number != last_number.get(kind, 0) + 1:
                continue
            stack.append(kind)
        last_number[kind] = number
        title = _title(text, title_start)
        if not title:
            continue
        heads.append((start, len(stack), marker, title, title_start))
    sections: list[Section] = []
    for i, (start, level, marker, title, _) in enumerate(heads):
        end = len(text.rstrip())
        for later_start, later_level, *_ in heads[i + 1 :]:
            if later_level <= level:
                end = later_start
                break
        while end > start and text[end - 1].isspace():
            end -= 1
        sections.append(Section(level=level, marker=marker, title=title, start=start, end=end))
    return sections
