"""The official national lists (data/official/*.tsv), each row with the list it comes from.

High-tech and development zones, 国家级新区, innovation demonstration zones, agricultural and
university science parks, science centres, national laboratories and innovation centres, CAS
units, the national academies, central state-owned enterprises, national programmes and awards,
universities with their usual abbreviations; and named city clusters with their member cities.
A name found in a text is typed, levelled and located from these lists, never from one document.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

OFFICIAL = Path(__file__).parent / "data" / "official"
CLUSTERS = "city_clusters.tsv"
MIN_ALIAS = 2  # a one-character alias (京, 沪) is never a name on its own


@dataclass(frozen=True)
class Listed:
    """One entry of an official list."""

    name: str
    aliases: tuple[str, ...]
    type: str  # the entity type it is: Platform, Institution, Enterprise, Program, Agency
    subtype: str  # 高新区, 国家重点实验室, 中央企业, 奖励…
    level: str  # national
    province: str
    city: str
    county: str
    parent: str  # the organisation it belongs to or is hosted by (中国科学院, a university)
    listed_in: str  # the list's file name without .tsv


@dataclass(frozen=True)
class CityCluster:
    """A named group of cities (长株潭, 京津冀) that a plan may name as one partner."""

    name: str
    aliases: tuple[str, ...]
    kind: str  # 城市群, 都市圈, 区域 or grouping
    members: tuple[str, ...]  # official names of its cities (or provinces, for a region)


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as handle:
        lines = [line for line in handle if not line.startswith("#")]
    return [{k: (v or "").strip() for k, v in row.items()} for row in csv.DictReader(lines, delimiter="\t")]


def _split(cell: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.split(",") if len(part.strip()) >= MIN_ALIAS)


@cache
def listed() -> tuple[Listed, ...]:
    entries = []
    for path in sorted(OFFICIAL.glob("*.tsv")):
        if path.name == CLUSTERS:
            continue
        for row in _rows(path):
            entries.append(
                Listed(
                    name=row["name"],
                    aliases=_split(row.get("aliases", "")),
                    type=row["type"],
                    subtype=row.get("subtype", ""),
                    level=row.get("level", ""),
                    province=row.get("province", ""),
                    city=row.get("city", ""),
                    county=row.get("county", ""),
                    parent=row.get("parent", ""),
                    listed_in=path.stem,
                )
            )
    return tuple(entries)


@cache
def by_name() -> dict[str, Listed]:
    return {entry.name: entry for entry in listed()}


@cache
def city_clusters() -> tuple[CityCluster, ...]:
    return tuple(
        CityCluster(row["name"], _split(row.get("aliases", "")), row.get("kind", ""), _split(row.get("members", "")))
        for row in _rows(OFFICIAL / CLUSTERS)
    )
