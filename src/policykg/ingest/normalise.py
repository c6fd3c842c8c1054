"""The text extraction reads: the document as read, with markup blanked and look-alike characters unified.

Offsets must point into the text as read (GUIDELINES.md), so the view has exactly its length:
every character maps to one character. Markdown that some sources carry (`**bold**`, `# title`,
`---`, table pipes) becomes blanks or line breaks, so it neither joins nor splits a name, and
evidence text drops it. Compatibility characters that PDFs printed by browsers produce (Kangxi
radicals ⼯⼤⽐, CJK compatibility ideographs) and full-width letters and digits become the
ordinary characters every name, metric and number rule is written in.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

BLANK = " "  # what markup becomes; evidence text leaves it out
# Markup, by the character it becomes: inline emphasis and rules blank, a table's cell border a line break
# (each cell reads as its own line). A heading's hashes count only at a line start.
_INLINE_MARKUP = re.compile(r"\*\*|__|^[ \t]*#{1,6}(?=[ \t])|^[ \t]*(?:-{3,}|\*{3,})[ \t]*$", re.M)
_TABLE_RULE = re.compile(r"^\|?(?:[ \t]*:?-{3,}:?[ \t]*\|)+[ \t]*:?-*:?[ \t]*$", re.M)
_TABLE_BORDER = re.compile(r"^[ \t]*\||\|[ \t]*$|(?<=\S)[ \t]*\|[ \t]*(?=\S)", re.M)
# Ranges whose characters NFKC maps to one ordinary character: Kangxi radicals, CJK radicals supplement,
# CJK compatibility ideographs (and their supplement), full-width digits and Latin letters.
_COMPATIBLE = ((0x2E80, 0x2EFF), (0x2F00, 0x2FDF), (0xF900, 0xFAFF), (0x2F800, 0x2FA1F), (0xFF10, 0xFF19),
               (0xFF21, 0xFF3A), (0xFF41, 0xFF5A))  # fmt: skip


@dataclass(frozen=True)
class TextView:
    """The text as read (`original`) and the same-length text the rules match (`view`)."""

    original: str
    view: str
    blanked: frozenset[int]  # offsets of markup characters, left out of evidence text

    def clean(self, start: int, end: int) -> str:
        """Text between two offsets as a reader should see it: normalised, without markup."""
        if not self.blanked:
            return self.view[start:end]
        return "".join(ch for i, ch in enumerate(self.view[start:end], start) if i not in self.blanked)


def normalise(text: str) -> TextView:
    chars = list(text.translate(_compatibility_table())) if _has_compatible(text) else list(text)
    blanked: set[int] = set()
    if "*" in text or "_" in text or "#" in text or "-" in text:
        for match in _INLINE_MARKUP.finditer(text):
            _blank(chars, blanked, match.start(), match.end(), BLANK)
    if "|" in text:
        for match in _TABLE_RULE.finditer(text):
            _blank(chars, blanked, match.start(), match.end(), BLANK)
        for match in _TABLE_BORDER.finditer(text):
            _blank(chars, blanked, match.start(), match.end(), "\n")
    view = "".join(chars)
    return TextView(text, view, frozenset(blanked))


def _blank(chars: list[str], blanked: set[int], start: int, end: int, filler: str) -> None:
    for i in range(start, end):
        if not chars[i].isspace():
            chars[i] = filler
            blanked.add(i)


def _has_compatible(text: str) -> bool:
    return _compatible_pattern().search(text) is not None


@cache
def _compatible_pattern() -> re.Pattern[str]:
    return re.compile("[" + "".join(f"{chr(low)}-{chr(high)}" for low, high in _COMPATIBLE) + "]")


@cache
def _compatibility_table() -> dict[int, str]:
    table = {}
    for low, high in _COMPATIBLE:
        for code in range(low, high + 1):
            mapped = unicodedata.normalize("NFKC", chr(code))
            if len(mapped) == 1 and mapped != chr(code):
                table[code] = mapped
    return table
