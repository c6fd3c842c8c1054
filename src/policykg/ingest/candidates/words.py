"""Word-level helpers of the name rules: where a name starts after a boundary word, and which words only describe."""

from __future__ import annotations

import re
from functools import cache

import ahocorasick

from policykg.ingest.candidates.common_words import COMMON_WORD, dictionary, ends_in_common_verb, words_of
from policykg.ingest.candidates.known import gazetteer_automaton, leading_area_length
from policykg.lexicon import gazetteer, places

PLACE_PREFIX = re.compile(rf"^(?:{places.relative_words()}|国家|中央|全国|中国)(?![县区级])")  # not 市县两级


@cache
def _boundary_automaton() -> ahocorasick.Automaton:
    """Boundary words, and the words that hold one without ending anything (协同, 自由, 有色)."""
    automaton = ahocorasick.Automaton()
    for word in gazetteer.words("boundary_words.tsv"):
        automaton.add_word(word, (len(word), True))
    for word in gazetteer.words("boundary_exceptions.tsv"):
        automaton.add_word(word, (len(word), False))
    automaton.make_automaton()
    return automaton


def last_boundary(prefix: str, tail: str = "") -> int:
    """Where the name starts after the last boundary word; one inside a quote, a place name or a word that
    merely contains it (协同 holds 同, 将乐县 holds 将, 有色金属 holds 有; 提升工程 and 重点专项, reaching into
    the `tail` of text after the prefix, hold 提升 and 重点) does not end anything."""
    quoted = _quoted_spans(prefix)
    holders = [(end + 1 - len(word), end + 1) for end, (word, _) in gazetteer_automaton().iter(prefix)]
    hits = []
    for end, (length, is_boundary) in _boundary_automaton().iter(prefix + tail):
        if is_boundary and end < len(prefix):
            hits.append((end + 1 - length, end + 1))
        elif not is_boundary:
            holders.append((end + 1 - length, end + 1))
    cut = 0
    for start, end in hits:
        held = any(s <= start and end <= e and e - s > end - start for s, e in holders)
        if not held and not any(start < e and s < end for s, e in quoted):
            cut = max(cut, end)
    return cut


def _quoted_spans(prefix: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"“[^“”]*”", prefix)]


def first_place(prefix: str) -> int:
    """握三明学院 → 三明学院: one stray character before a place name is the tail of a verb (把握), not a name;
    two or more (光谷咸宁产业园) are part of it, unless they end in a common verb (复制推广|郑洛新…示范区, 开工|中科院
    大学智能制造学院): a known name right after a verb starts the name."""
    if not prefix or prefix[0] in "“(（":
        return 0
    starts = sorted(end + 1 - len(word) for end, (word, _) in gazetteer_automaton().iter(prefix))
    places = [end + 1 - len(word) for end, (word, entries) in gazetteer_automaton().iter(prefix) if entries[0].codes]
    first = min(places, default=0)
    if first == 1:
        return first
    return next((start for start in starts if start > 0 and ends_in_common_verb(prefix[:start])), 0)


def is_place_word(word: str) -> bool:
    """省, 我市, 国家, 辽宁省: what may stand before a name's quoted part (省“兴辽人才计划”)."""
    return bool(PLACE_PREFIX.fullmatch(word)) or 0 < leading_area_length(word) == len(word)


_NAME_STARTERS = re.compile(rf"(?:{places.relative_words()}|国家|中国|全国|“)")


def after_verb_before_name(prefix: str) -> int:
    """入选|省中试基地, 入库|嘉兴科技金融服务平台: a common verb right before a place, a level or a quotation ends the
    text before the name (a verb inside a name — 人才培养|计划 — is followed by the rest of the name instead)."""
    words, cut, position = dictionary(), 0, 0
    tokens = words_of(prefix)
    places_at = {end + 1 - len(word) for end, (word, entries) in gazetteer_automaton().iter(prefix) if entries[0].codes}
    for token in tokens[:-1]:
        position += len(token)
        frequency, tag = words.get(token, (0, ""))
        verb = len(token) >= 2 and tag in ("v", "vd") and frequency >= COMMON_WORD
        if verb and (position in places_at or _NAME_STARTERS.match(prefix, position)):
            cut = position
    return cut
