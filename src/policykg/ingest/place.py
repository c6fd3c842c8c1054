"""The document's own place: its county, city and province, against which relative names (我市, 市科技局) resolve.

It comes from the document's metadata alone (its header, title, signature, or the one inference with a
threshold that metadata.py makes): when that is uncertain, relative names stay unresolved rather than
resolved to a guess.
"""

from __future__ import annotations

from dataclasses import dataclass

from policykg.lexicon import gazetteer
from policykg.lexicon.gazetteer import Area


@dataclass(frozen=True)
class Place:
    city: Area | None
    province: Area | None
    county: Area | None = None  # for a county's, county-level city's or district's document

    def owns(self, area: Area) -> bool:
        """An area is the document's own when it is its city, inside it, or its province."""
        table = gazetteer.areas()
        if self.city and table.contains(self.city, area):
            return True
        return bool(self.province and area.code == self.province.code)

    def named_by(self, word: str) -> Area | None:
        """The area a relative place word means here: 市 is a county-level city's own in its document, else the
        city's; 区 a district's own, else an autonomous region's; 州 and 盟 the prefecture's; 省 the province's."""
        ending = word[-1]
        if ending == "区" and word != "自治区":  # 区 alone: a district's own; the region's only in its own document
            county = self.county if self.county and self.county.name.endswith("区") else None
            region = self.province if self.city is None and self.province else None
            return county or (region if region and region.name.endswith("自治区") else None)
        for area in (self.county, self.city, self.province):
            if area is not None and area.name.endswith(ending):
                return area
        return None


def document_place(city: str | None, province: str | None, county: str | None = None) -> Place:
    table = gazetteer.areas()
    province_area = next(iter(table.lookup(province, "Province")), None) if province else None
    city_area = next(iter(table.lookup(city, "City", within=province_area)), None) if city else None
    if city_area is None and province_area is not None and city == province:
        city_area = province_area  # 北京市, 上海市…: a municipality is its own city
    county_area = (
        next(iter(table.lookup(county, "County", within=city_area or province_area)), None) if county else None
    )
    if city_area is not None and province_area is None:
        province_area = table.province_of(city_area)
    return Place(city_area, province_area, county_area)
