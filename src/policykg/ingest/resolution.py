"""Resolution: one entity per real-world thing, named canonically, every other form an alias.

Relative references resolve against the document's own place (市农科院 in a Sanming plan
is 三明市农业科学研究院, 省科技厅 is 福建省科学技术厅); short forms expand (科技局 →
科学技术局, 高新区 → 高新技术产业开发区); areas get their code and parent from the
gazetteer, so the same place in two documents gets the same canonical name and code.
"""

from __future__ import annotations

import re
from functools import cache

from policykg.ingest.candidates.base import QUOTES, Candidate
from policykg.ingest.candidates.known import gazetteer_automaton
from policykg.ingest.place import Place
from policykg.ingest.record import AreaRef, Entity
from policykg.ingest.spans import Covers
from policykg.lexicon import gazetteer, official, places
from policykg.lexicon.gazetteer import Area

_PARTY_COMMITTEE = re.compile(r"(?:中共)?(\S+?[省市县区])党?委")
MAX_PLACE_NAME = 12  # characters of the longest area name (新疆维吾尔自治区…)
_SESSION = re.compile(r"第?[一二三四五六七八九十百\d]+届(?=人民代表大会|人大|政协|中国人民政治协商会议)")
_QUOTE_CHARS = re.compile(f"[{QUOTES}]")  # “双联系”制度 is named 双联系制度: quotes mark a name, not part of it
_BARE_OWN_ZONES = ("高新区", "高新技术产业开发区", "经开区", "经济技术开发区")


def resolve_area(candidate: Candidate, place: Place) -> Area | None:
    """The area a place name denotes: the document's own first; a county's short name only there."""
    table = gazetteer.areas()
    options = [table.by_code[code] for code in candidate.codes]
    named = [a for a in options if a.level == candidate.type] or options  # the level the name is best known at
    short_county = candidate.extractor == "gazetteer:area-short" and all(a.level == "County" for a in named)
    # 泰山, 中原: a county's short name is a word or a mountain more often than a county of another city
    near = place.city if short_county and place.city else place.province
    own = [a for a in options if place.owns(a) or (near and table.contains(near, a))]
    if own:
        return own[0]  # 甘南 in a 齐齐哈尔 report is its county, not the prefecture of 甘肃
    if short_county:
        return None  # 合作, 新平: a county elsewhere named by its short form is almost always a word
    return min(named, key=lambda a: ("Province", "City", "County").index(a.level)) if named else None


@cache
def _expansions(file_name: str) -> tuple[tuple[str, str], ...]:
    rows = [(row[0], row[1]) for row in gazetteer.vocabulary(file_name)]
    return tuple(sorted(rows, key=lambda row: -len(row[0])))


def canonical_name(candidate: Candidate, place: Place) -> str:
    """The fullest form: place resolved, short suffixes expanded, quotation marks dropped."""
    if candidate.key:
        return candidate.key
    name = _expand_leading_institution(candidate.shared_prefix + _QUOTE_CHARS.sub("", candidate.surface))
    if candidate.type == "Platform" and name in _BARE_OWN_ZONES:
        name = "市" + name  # a bare 高新区 or 经开区 in a city's plan is the city's own zone
    name = _resolve_relative(name, place)
    if candidate.type == "Agency":
        name = _agency_name(name, place)
    elif candidate.type == "Institution":
        name = _expand(name, "institution_expansions.tsv")
    elif candidate.type == "Platform":
        name = platform_key(name)
    elif candidate.type == "Program":
        name = _national_programme(name)
    return name


def _national_programme(name: str) -> str:
    """重点研发计划 with no place before it is the national one (国家重点研发计划), by the official list."""
    national = "国家" + name
    listed = official.by_name().get(national)
    return national if listed and listed.type == "Program" else name


def _expand_leading_institution(name: str) -> str:
    """中科院丹东技术转移中心 → 中国科学院丹东技术转移中心: a known institution's alias at the start."""
    for end, (word, entries) in gazetteer_automaton().iter(name):
        if end + 1 == len(word) and entries[0].type == "Institution" and word != entries[0].name:
            return entries[0].name + name[len(word) :]
    return name


def _resolve_relative(name: str, place: Place) -> str:
    match = places.relative_prefix().match(name)
    if not match:
        return name
    area = place.named_by(match.group(1))
    return _full_area_name(area) + name[match.end() :] if area else name


def _full_area_name(area: Area) -> str:
    """A district is named with its city (台州市椒江区: 鼓楼区 are in several cities); others by their own name."""
    parent = gazetteer.areas().parent(area)
    if area.level == "County" and area.name.endswith("区") and parent is not None and parent.level == "City":
        return parent.name + area.name
    return area.name


def _agency_name(name: str, place: Place) -> str:
    """市委 → 中共三明市委员会; 三明市政府 → 三明市人民政府; 北京市科委 → 北京市科学技术委员会."""
    committee = _PARTY_COMMITTEE.fullmatch(name)
    if committee:
        return "中共" + committee.group(1) + "委员会"
    name = _SESSION.sub("", name)  # 杭州市第十二届人民代表大会常务委员会 is the standing committee of every term
    if name.endswith("政府") and not name.endswith("人民政府"):
        return name[:-2] + "人民政府"
    return _expand(name, "agency_expansions.tsv")


def _expand(name: str, file_name: str) -> str:
    for short, full in _expansions(file_name):
        if name.endswith(short) and not name.endswith(full):
            return name[: -len(short)] + full
    return name


def platform_key(name: str) -> str:
    """三明国家高新区 and 三明高新技术产业开发区 are one park: expand the short type, drop 国家 inside."""
    for short, full in _expansions("platform_expansions.tsv"):
        if name.endswith(short):
            name = name[: -len(short)] + full
            break
    if name.endswith("高新技术产业开发区") or name.endswith("农业科技园区") or name.endswith("经济技术开发区"):
        name = re.sub(r"(?<=[\u4e00-\u9fa5]{2})(?:国家|省级)(?=[\u4e00-\u9fa5])", "", name, count=1)
    if name.endswith(("开发区", "科技园", "园区")):
        for area in _leading_city(name):
            name = area.short + name[len(area.name) :]
    return name


def _leading_city(name: str) -> list[Area]:
    """六安市经济技术开发区 and 六安经济技术开发区 are one park: a city's name before a park loses its 市."""
    table = gazetteer.areas()
    return [a for size in (2, 3, 4) for a in table.lookup(name[: size + 1], "City") if name.startswith(a.name)][:1]


def area_entity(area: Area) -> Entity:
    table = gazetteer.areas()
    entity = Entity(type=area.level, name=area.name, aliases=[], mentions=[], code=area.code)
    parent = table.parent(area)
    if parent is not None and parent.code != area.code:
        entity["parent"] = {"type": parent.level, "name": parent.name, "code": parent.code}
    if area.lon is not None and area.lat is not None:
        entity["attributes"] = {"lon": area.lon, "lat": area.lat}
    return entity


@cache
def _listed_parents() -> dict[str, tuple[str, str]]:
    """An official list's organisation → the listed institution it belongs to (CAS institutes and branches to
    中国科学院); a parent that is a ministry (教育部 of a university) supervises rather than contains."""
    listed = official.by_name()
    return {
        entry.name: (entry.type, entry.parent)
        for entry in listed.values()
        if entry.type == "Institution" and entry.parent in listed and listed[entry.parent].type == "Institution"
    }


def organisation_parent(entity: Entity) -> dict[str, str] | None:
    """The organisation an institution belongs to, by the official lists."""
    if entity["type"] != "Institution":
        return None
    parent = _listed_parents().get(entity["name"])
    return {"type": "Institution", "name": parent[1]} if parent else None


@cache
def _institution_cities() -> dict[str, str]:
    """Where the gazetteers place each university and listed organisation, by the name of its city."""
    cities = {university.name: university.city for university in gazetteer.universities()}
    cities.update({entry.name: entry.city for entry in official.listed() if entry.city})
    return cities


def organisation_location(entity: Entity, place: Place) -> AreaRef | None:
    """The area an organisation or platform is in: the gazetteer's city, else the area its name begins with."""
    if entity["type"] not in ("Institution", "Platform", "Agency", "Enterprise"):
        return None
    city = _institution_cities().get(entity["name"])
    # 北京市, 上海市…: a municipality is a Province in the table and the city all the same
    areas = (gazetteer.areas().lookup(city, "City") or gazetteer.areas().lookup(city, "Province")) if city else []
    area = areas[0] if len(areas) == 1 else area_in_name(entity["name"], place)
    if area is None:
        return None
    return AreaRef(type=area.level, name=area.name, code=area.code, lon=area.lon, lat=area.lat)


def area_in_name(name: str, place: Place) -> Area | None:
    """The area a name begins with (三明高新…, 武汉东湖…, 崇阳县钒…)."""
    table = gazetteer.areas()
    for size in (4, 3, 2):
        for area in table.lookup(name[:size], within=place.city or place.province):
            if len(name) > size and (area.name == name[:size] or area.level != "County" or place.owns(area)):
                return area
    return None


def resolve(candidates: list[Candidate], place: Place) -> tuple[list[Entity], list[tuple[Candidate, Entity]]]:
    """Entities with aliases and mentions, and each kept candidate paired with the entity it names."""
    entities: dict[tuple[str, str], Entity] = {}
    pairs: list[tuple[Candidate, Entity]] = []
    for candidate in _drop_places_inside_institutions(candidates):
        entity = _entity_for(candidate, place, entities)
        if entity is None:
            continue
        surface = candidate.surface
        if surface != entity["name"] and surface not in entity["aliases"]:
            entity["aliases"].append(surface)
        entity["mentions"].append({"start": candidate.start, "end": candidate.end, "extractor": candidate.extractor})
        pairs.append((candidate, entity))
    _merge_names_without_their_place(entities, pairs)
    for entity in entities.values():
        if entity["type"] in gazetteer.AREA_LEVELS.values():
            continue
        parent = organisation_parent(entity)
        if parent and "parent" not in entity and parent["name"] != entity["name"]:
            entity["parent"] = parent
        location = organisation_location(entity, place)
        if location and "located_in" not in entity:
            entity["located_in"] = location
    return list(entities.values()), pairs


def _drop_places_inside_institutions(candidates: list[Candidate]) -> list[Candidate]:
    """厦门 in 厦门大学 names the university, not a place the plan talks about."""
    institutions = Covers([(c.start, c.end) for c in candidates if c.type == "Institution" and not c.codes])
    return [c for c in candidates if not (c.codes and institutions.cover(c.start, c.end))]


def _merge_names_without_their_place(
    entities: dict[tuple[str, str], Entity], pairs: list[tuple[Candidate, Entity]]
) -> None:
    """东湖高新区 after 武汉东湖高新区, 科技创新年活动 after 南阳市科技创新年活动: in one document, a platform or
    programme named without its place is the same one as the document's fuller name."""
    for kind in ("Platform", "Program"):
        named = [e for e in entities.values() if e["type"] == kind]
        by_form: dict[str, list[Entity]] = {}
        for short in named:
            if short["name"] not in official.by_name():  # 中关村科技园区 is the listed zone wherever it is named
                for form in {short["name"], *short["aliases"]}:
                    by_form.setdefault(form, []).append(short)
        fuller_of: dict[int, list[Entity]] = {}
        for fuller in named:
            for short in _named_after_a_place(fuller["name"], by_form):
                if short is not fuller:
                    fuller_of.setdefault(id(short), []).append(fuller)
        for short in named:
            fullers = fuller_of.get(id(short), [])
            if len(fullers) == 1 and (kind, short["name"]) in entities and (kind, fullers[0]["name"]) in entities:
                _merge_into(fullers[0], short, entities, pairs)


def _named_after_a_place(name: str, by_form: dict[str, list[Entity]]) -> list[Entity]:
    """The entities named by what follows a place at the start of `name` (武汉|东湖高新区)."""
    table = gazetteer.areas()
    return [
        entity
        for split in range(2, min(len(name), MAX_PLACE_NAME + 1))
        if table.by_name.get(name[:split])
        for entity in by_form.get(name[split:], [])
    ]


def _merge_into(
    target: Entity, short: Entity, entities: dict[tuple[str, str], Entity], pairs: list[tuple[Candidate, Entity]]
) -> None:
    for alias in (short["name"], *short["aliases"]):
        if alias not in target["aliases"] and alias != target["name"]:
            target["aliases"].append(alias)
    target["mentions"] += short["mentions"]
    del entities[(short["type"], short["name"])]
    pairs[:] = [(c, target if e is short else e) for c, e in pairs]


def _entity_for(candidate: Candidate, place: Place, entities: dict[tuple[str, str], Entity]) -> Entity | None:
    if candidate.codes:
        area = resolve_area(candidate, place)
        if area is None:
            return None
        key = (area.level, area.code)
        if key not in entities:
            entities[key] = area_entity(area)
        return entities[key]
    name = canonical_name(candidate, place)
    if places.relative_prefix().match(name):
        return None  # 市科技局 of a document whose city is unknown: one city's body, but which is not known
    key = (candidate.type, name)
    if key not in entities:
        entities[key] = Entity(type=candidate.type, name=name, aliases=[], mentions=[])
        if candidate.attributes:
            entities[key]["attributes"] = {k: v for k, v in candidate.attributes.items() if v}
    return entities[key]
