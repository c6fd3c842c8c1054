"""Candidates the lists know: areas, universities, official national lists and national agencies (Aho-Corasick)."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache

import ahocorasick

from policykg.ingest.candidates.base import Candidate
from policykg.ingest.candidates.common_words import at_word_boundaries
from policykg.lexicon import gazetteer, official

_ZONE_ENDINGS = ("园区", "开发区", "示范区", "管理区", "试验区")
_PLACE_BEFORE = re.compile(r"[省市县区州盟旗]$")  # 省 of 省自然科学基金, 市 of 市重点研发计划
SHORT_NAME = 2  # a name this short is a mention only where the text's words begin and end with it
MIN_BARE_PROGRAMME = 4  # 重点研发计划 stands for the national one; a shorter remainder is too common a word


@dataclass(frozen=True)
class GazetteerEntry:
    type: str
    name: str
    codes: tuple[str, ...] = ()
    short: bool = False  # an area's short name (三明, 沙县): only trusted near the document's own place
    attributes: tuple[tuple[str, str], ...] = ()  # platform_type and level, program_type… from an official list
    without_country: bool = False  # 重点研发计划 for 国家重点研发计划: national only when no place stands before it


@cache
def gazetteer_automaton() -> ahocorasick.Automaton:
    entries: dict[str, list[GazetteerEntry]] = {}
    table = gazetteer.areas()
    for word, found in table.by_name.items():
        if len(word) < 2 or word in gazetteer.words("ambiguous_area_names.tsv"):
            continue
        for area in found:
            if word != area.name and area.name.endswith(_ZONE_ENDINGS):
                continue  # jionlp shortens 宿州马鞍山现代产业园区 to 产业园: a park, not a place name
            entries.setdefault(word, []).append(
                GazetteerEntry(area.level, area.name, (area.code,), short=word != area.name)
            )
    for university in gazetteer.universities():
        entries.setdefault(university.name, []).append(GazetteerEntry("Institution", university.name))
    for entry in official.listed():
        meaning = GazetteerEntry(entry.type, entry.name, attributes=_listed_attributes(entry))
        for word in (entry.name, *entry.aliases):
            if word == entry.name or word not in table.by_name:  # 滨海新区 the district stays a place
                entries.setdefault(word, []).insert(0, meaning)
        bare = entry.name.removeprefix("国家")
        if entry.type == "Program" and bare != entry.name and _distinctive(bare):
            entries.setdefault(bare, []).append(replace(meaning, without_country=True))
    for name, entity_type, aliases in gazetteer.vocabulary("national_agencies.tsv"):
        for word in (name, *aliases.split(",")):
            if word:
                entries.setdefault(word, []).insert(0, GazetteerEntry(entity_type, name))
    automaton = ahocorasick.Automaton()
    for word, meanings in entries.items():
        automaton.add_word(word, (word, tuple(meanings)))
    automaton.make_automaton()
    return automaton


def _distinctive(bare: str) -> bool:
    """重点研发计划 and 自然科学基金 still name the national scheme without 国家; 科技计划 names any plan."""
    words = [word for word in gazetteer.words("program_suffixes.tsv") if bare.endswith(word)]
    stem = bare[: len(bare) - max(map(len, words), default=0)]
    return len(bare) >= MIN_BARE_PROGRAMME and len(stem) >= 2 and stem not in gazetteer.words("descriptive_words.tsv")


def _listed_attributes(entry: official.Listed) -> tuple[tuple[str, str], ...]:
    if entry.type == "Platform":
        return (("platform_type", entry.subtype), ("level", "国家级" if entry.level == "national" else entry.level))
    if entry.type == "Program":
        return (("program_type", entry.subtype),)
    return ()


def gazetteer_candidates(text: str) -> list[Candidate]:
    found = []
    for end, (word, entries) in gazetteer_automaton().iter(text):
        start = end + 1 - len(word)
        first = entries[0]
        # 甘南 is a prefecture of 甘肃 and a county of 齐齐哈尔: every area so named, for the place to decide
        codes = tuple(code for entry in entries if _same_kind(entry.type, first.type) for code in entry.codes)
        extractor = "gazetteer:area-short" if first.short else f"gazetteer:{first.type.lower()}"
        if first.type == "Agency" and word.endswith("部") and text[end + 1 : end + 2] == "门":
            continue  # 科技部门 are the science departments, not 科技部
        if first.without_country and _PLACE_BEFORE.search(text, max(0, start - 8), start):
            continue  # 省自然科学基金 is the province's own: the suffix rule names it
        if len(word) <= SHORT_NAME and not at_word_boundaries(text, start, end + 1):
            continue  # 新和 in 科技创新和, 成电 in 建成电商, 苏大 in 金苏大道: inside other words, no mention
        found.append(
            Candidate(
                start,
                end + 1,
                word,
                first.type,
                extractor,
                key=None if first.codes else first.name,
                codes=codes,
                attributes=dict(first.attributes),
            )
        )
    return found


def starts_with_area(surface: str) -> bool:
    return any(end + 1 - len(word) == 0 for end, (word, _) in gazetteer_automaton().iter(surface))


def leading_area_length(name: str) -> int:
    """丹东市专业技术创新中心 → 3: the length of a full area name the name begins with."""
    return max(
        (
            len(word)
            for end, (word, entries) in gazetteer_automaton().iter(name[:8])
            if end + 1 == len(word) and entries[0].codes and not entries[0].short
        ),
        default=0,
    )


def area_ending_at(text: str, last: int) -> int | None:
    """Where a full area name ending at `last` (the 市 of 咸宁市) starts, if one does."""
    window_start = max(0, last - 8)
    starts = [
        window_start + end + 1 - len(word)
        for end, (word, entries) in gazetteer_automaton().iter(text[window_start : last + 1])
        if window_start + end == last and entries[0].codes and not entries[0].short
    ]
    return min(starts, default=None)


_AREA_TYPES = frozenset({"Province", "City", "County"})


def _same_kind(entry_type: str, first_type: str) -> bool:
    return entry_type == first_type or {entry_type, first_type} <= _AREA_TYPES
