"""Candidates that need the document's own place: 我市 and 我省, 省 of 省科技厅, abbreviation pairs (京闽, 沪明)."""

from __future__ import annotations

import re
from functools import cache

from policykg.ingest.candidates.base import Candidate
from policykg.ingest.place import Place
from policykg.lexicon import gazetteer, places
from policykg.lexicon.gazetteer import Area

_ABBREVIATION_PAIR = re.compile(r"([\u4e00-\u9fa5])([\u4e00-\u9fa5])(?=科技|科创|同城|对口|合作|协作|一体化|两地)")


def abbreviation_candidates(text: str, place: Place) -> list[Candidate]:
    """京闽, 沪明, 合六同城化: two one-character abbreviations, one of them the document's own place."""
    if place.city is None:
        return []
    found = []
    for match in _ABBREVIATION_PAIR.finditer(text):
        found_areas = [_abbreviated_area(char, place) for char in match.groups()]
        areas = [a for a in found_areas if a is not None]
        if len(areas) != len(found_areas) or [place.owns(a) for a in areas].count(True) != 1:
            continue
        for offset, area in enumerate(areas):
            start = match.start() + offset
            found.append(
                Candidate(
                    start,
                    start + 1,
                    text[start],
                    area.level,
                    "abbreviation",
                    codes=(area.code,),
                )
            )
    return found


def relative_place_candidates(text: str, place: Place) -> list[Candidate]:
    """我市, 本省, 我区 are mentions of the document's own city, province or district."""
    found = []
    for match in places.own_place_mention().finditer(text):
        area = place.named_by(match.group())
        if area is not None:
            found.append(
                Candidate(match.start(), match.end(), match.group(), area.level, "relative-place", codes=(area.code,))
            )
    return found


def relative_province_candidates(candidates: list[Candidate], place: Place) -> list[Candidate]:
    """省 in 省科技厅, 省政府, 我省…计划 is a mention of the document's own province, often its only one."""
    found = []
    for candidate in candidates:
        match = None if candidate.codes else places.relative_prefix().match(candidate.surface)
        area = place.named_by(match.group(1)) if match else None
        if match and area is not None and area is place.province:
            start = candidate.start + match.start(1)
            found.append(
                Candidate(
                    start, start + len(match.group(1)), match.group(1), area.level, "relative-place", codes=(area.code,)
                )
            )
    return found


def _abbreviated_area(char: str, place: Place) -> Area | None:
    """A province by its 简称; the own city by any character of its name (沪明: 明 is 三明); a
    neighbouring city of the same province by its first character (合六: 合 is 合肥)."""
    if place.city and char in place.city.short:
        return place.city
    provinces = _province_abbreviations()
    if char in provinces:
        return provinces[char]
    if place.province is None:
        return None
    neighbours = _cities_by_first_char().get((place.province.code, char), ())
    return neighbours[0] if len(neighbours) == 1 else None


@cache
def _province_abbreviations() -> dict[str, Area | None]:
    """京 → 北京市: the first row for a character wins."""
    table = gazetteer.areas()
    found: dict[str, Area | None] = {}
    for abbreviation, name in gazetteer.vocabulary("abbreviations.tsv"):
        found.setdefault(abbreviation, next(iter(table.lookup(name, "Province")), None))
    return found


@cache
def _cities_by_first_char() -> dict[tuple[str, str], tuple[Area, ...]]:
    """The cities of each province by the first character of their short name, built once per process."""
    index: dict[tuple[str, str], list[Area]] = {}
    for area in gazetteer.areas().by_code.values():
        if area.level == "City" and area.parent_code and area.short:
            index.setdefault((area.parent_code, area.short[0]), []).append(area)
    return {key: tuple(cities) for key, cities in index.items()}
