"""The document's own place: its city and province, against which relative names (我市, 市科技局) resolve."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from policykg.ingest.candidates.base import Candidate
from policykg.lexicon import gazetteer
from policykg.lexicon.gazetteer import Area


@dataclass(frozen=True)
class Place:
    """The document's own city and province, against which relative references resolve."""

    city: Area | None
    province: Area | None

    def owns(self, area: Area) -> bool:
        """An area is the document's own when it is its city, inside it, or its province."""
        table = gazetteer.areas()
        if self.city and table.contains(self.city, area):
            return True
        return bool(self.province and area.code == self.province.code)


def document_place(city: str | None, province: str | None, candidates: list[Candidate]) -> Place:
    """The metadata's city and province when known; else the city its place names point to most."""
    table = gazetteer.areas()
    province_area = next(iter(table.lookup(province, "Province")), None) if province else None
    city_area = next(iter(table.lookup(city, "City", within=province_area)), None) if city else None
    if city_area is None:
        city_area = _most_mentioned_city(candidates)
    if city_area is not None and province_area is None:
        province_area = table.province_of(city_area)
    return Place(city_area, province_area)


def _most_mentioned_city(candidates: list[Candidate]) -> Area | None:
    """A plan that never names its city (sample 001) still names its counties and parks."""
    table = gazetteer.areas()
    votes: Counter[str] = Counter()
    for candidate in candidates:
        for code in candidate.codes[:1]:
            area = table.by_code[code]
            city = area if area.level == "City" else table.parent(area) if area.level == "County" else None
            if city is not None and city.level == "City":
                votes[city.code] += 2 if candidate.extractor != "gazetteer:area-short" else 1
    return table.by_code[votes.most_common(1)[0][0]] if votes else None
