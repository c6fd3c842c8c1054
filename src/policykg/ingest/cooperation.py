"""COOPERATES_WITH: the document's own place and each partner a sentence says it works with.

A cue word (data/cooperation_cues.tsv) governs its partner from one side: 与中科院合作 has the partner
before 合作, 对接中科院 after 对接. What a sentence builds with its partner is no partner (与中科院共建
研究院: the 研究院 stands after 共建). A cue inside a name (国际科技合作基地, 中韩经济合作交流会) is the
name's, not the sentence's; broad regions (成都平原经济区) are no partners, and a named city cluster
(长株潭) stands for its cities (candidates/relative.py). The partner is an institution not named after
the document's place, or an area, agency or platform of another place (GUIDELINES.md, Cooperation).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from itertools import accumulate

import ahocorasick

from policykg.ingest.candidates.base import Candidate
from policykg.ingest.candidates.common_words import at_word_boundaries, dictionary, words_of
from policykg.ingest.candidates.suffix import suffix_automaton
from policykg.ingest.place import Place
from policykg.ingest.record import Entity, EntityRef, Evidence, Relation
from policykg.ingest.resolution import area_entity
from policykg.ingest.sentences import Sentence
from policykg.lexicon import gazetteer, official

_CLAUSE_BREAK = re.compile(r"[，,；;：:]")
_WITH = re.compile(r"[与同]")  # 与…合作: whom the city works with
MAX_EVENT_NAME = 20  # characters an event's name may have before its ending
MAX_CLUSTER = 5  # cities a group named by their characters may have: more is a region


@dataclass(frozen=True)
class Cue:
    word: str
    partner: str  # where the partner stands: before, after or either
    reach: int  # > 0: how close to the cue the partner must stand


@cache
def _cue_automaton() -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for word, partner, reach in gazetteer.vocabulary("cooperation_cues.tsv"):
        automaton.add_word(word, Cue(word, partner, int(reach)))
    automaton.make_automaton()
    return automaton


@cache
def _event_name() -> re.Pattern[str]:
    endings = "|".join(sorted(gazetteer.words("event_endings.tsv"), key=len, reverse=True))
    return re.compile(rf"[^，,。；;：:、\s]{{2,{MAX_EVENT_NAME}}}?(?:{endings})")


@cache
def _region_endings() -> tuple[str, ...]:
    return tuple(gazetteer.words("region_endings.tsv"))


def cooperation(
    sentences: Iterable[Sentence], pairs: list[tuple[Candidate, Entity]], place: Place
) -> tuple[list[Relation], list[Entity]]:
    """One relation per partner per sentence whose cue governs it, and the cities of the named clusters it
    cooperates with (referred to by the cluster, not named themselves)."""
    nested = _nested_in_names(pairs)
    own = place.city or place.province  # a province's own document cooperates as the province
    if own is None:
        return [], []
    sentences = list(sentences)
    clusters = [(candidate, entity) for candidate, entity in _cluster_members(sentences, place)]
    pairs = pairs + clusters
    source = EntityRef(type=own.level if own is place.province else "City", name=own.name)
    relations: list[Relation] = []
    for sentence, inside in _by_sentence(sentences, pairs):
        events = _event_names(sentence)
        cues = _cues_outside_names(sentence, [candidate for candidate, _ in inside], events)
        if not cues:
            continue
        seen: set[str] = set()
        for candidate, entity in inside:
            if id(candidate) in nested or entity["name"] in seen or _owned_by_place(sentence, candidate):
                continue
            if _inside(candidate.start - sentence.start, candidate.end - sentence.start, events):
                continue  # 邯郸苏州招商引智恳谈会: a place in an event's name is the event's
            with_partner = _with_partner(_clause_before(sentence, candidate))
            cue = _governing_cue(sentence, candidate, cues)
            if (
                cue is not None
                and candidate.extractor == "city-cluster"
                and not _cue_in_clause(sentence, candidate, cues)
            ):
                continue  # 长株潭结合部…，…一体化: a group of cities is a partner only of a cue in its clause
            if cue is None or not is_partner(entity, place, with_partner):
                continue
            seen.add(entity["name"])
            relations.append(
                Relation(
                    type="COOPERATES_WITH",
                    source=source,
                    target=EntityRef(type=entity["type"], name=entity["name"]),
                    evidence=Evidence(start=sentence.start, end=sentence.end, text=sentence.text),
                    extractor=f"cue-word:{cue.word}"
                    + ("+city-cluster" if candidate.extractor == "city-cluster" else ""),
                    confidence=0.8 if len(seen) == 1 else 0.7,
                )
            )
    partners = {r["target"]["name"] for r in relations}
    return relations, [entity for _, entity in clusters if entity["name"] in partners]


def _cluster_members(sentences: list[Sentence], place: Place) -> list[tuple[Candidate, Entity]]:
    """长株潭, 宜荆荆: a few cities named together by their first characters are each of them (the document's own
    city stays its own side); a broad region (京津冀, 长三角, 粤港澳大湾区) is no partner (GUIDELINES.md)."""
    found: list[tuple[Candidate, Entity]] = []
    table = gazetteer.areas()
    entities: dict[str, Entity] = {}
    for sentence in sentences:
        for last, (word, cluster) in _cluster_automaton().iter(sentence.text):
            start = sentence.start + last + 1 - len(word)
            if not at_word_boundaries(sentence.text, last + 1 - len(word), last + 1):
                continue
            for member in cluster.members:
                area = next(iter(table.lookup(member, "City")), None)  # 长三角 names provinces: a region
                if area is None or (place.city is not None and area.code == place.city.code):
                    continue
                entity = entities.setdefault(area.code, area_entity(area))
                found.append(
                    (Candidate(start, start + len(word), word, area.level, "city-cluster", codes=(area.code,)), entity)
                )
    return found


@cache
def _cluster_automaton() -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for cluster in official.city_clusters():
        if len(cluster.members) > MAX_CLUSTER:
            continue
        for word in (cluster.name, *cluster.aliases):
            if len(word) <= len(cluster.members) + 1:  # the cities' characters: 长株潭, 襄十随神, 广佛同城
                automaton.add_word(word, (word, cluster))
    automaton.make_automaton()
    return automaton


def _by_sentence(
    sentences: Iterable[Sentence], pairs: list[tuple[Candidate, Entity]]
) -> Iterable[tuple[Sentence, list[tuple[Candidate, Entity]]]]:
    ordered = sorted(pairs, key=lambda pair: pair[0].start)
    index = 0
    for sentence in sentences:
        inside = []
        while index < len(ordered) and ordered[index][0].start < sentence.end:
            if ordered[index][0].start >= sentence.start:
                inside.append(ordered[index])
            index += 1
        if inside:
            yield sentence, inside


def _event_names(sentence: Sentence) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in _event_name().finditer(sentence.text)]


def _inside(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    return any(s <= start and end <= e and (s, e) != (start, end) for s, e in spans)


def _cues_outside_names(
    sentence: Sentence, candidates: list[Candidate], events: list[tuple[int, int]]
) -> list[tuple[int, int, Cue]]:
    """Cue words with their offsets in the sentence, leaving out those inside a name or an event's name."""
    names = [(c.start - sentence.start, c.end - sentence.start) for c in candidates] + events
    found = []
    suffixes = {last + 1 - len(hit[0]) for last, hit in suffix_automaton().iter(sentence.text)}
    for last, cue in _cue_automaton().iter(sentence.text):
        start, end = last + 1 - len(cue.word), last + 1
        named = end in suffixes or sentence.text.startswith(_platform_nouns(), end)  # 国际科技合作|基地: a name
        if not _inside(start, end, names) and not named:
            found.append((start, end, cue))
    return found


@cache
def _platform_nouns() -> tuple[str, ...]:
    return tuple(gazetteer.words("cue_name_nouns.tsv"))


def _governing_cue(sentence: Sentence, candidate: Candidate, cues: list[tuple[int, int, Cue]]) -> Cue | None:
    """The cue that makes the candidate a partner: a strong cue anywhere in the sentence, unless the candidate is
    what a cue of its clause builds (与中科院共建|研究院); a close cue only within its reach on the partner's side
    (引进|清华大学, 中科院…|落地)."""
    start, end = candidate.start - sentence.start, candidate.end - sentence.start
    if _built_with_partner(sentence.text, start, cues):
        return None
    for cue_start, cue_end, cue in cues:
        if not cue.reach:
            return cue
        partner_after = cue_end <= start
        distance = start - cue_end if partner_after else cue_start - end
        side = "after" if partner_after else "before"
        listed = (
            partner_after
            and "、" in sentence.text[cue_end:start]
            and not _CLAUSE_BREAK.search(sentence.text, cue_end, start)
        )  # 落地建设A、B、C: the cue governs the whole list after it
        if (0 <= distance <= cue.reach or listed) and cue.partner in (side, "either"):
            return cue
    return None


def _cue_in_clause(sentence: Sentence, candidate: Candidate, cues: list[tuple[int, int, Cue]]) -> bool:
    clause = _clause_index(sentence.text, candidate.start - sentence.start)
    return any(_clause_index(sentence.text, start) == clause for start, _, _ in cues)


def _built_with_partner(text: str, start: int, cues: list[tuple[int, int, Cue]]) -> bool:
    """与中科院共建研究院: the nearest cue before the candidate in its clause takes its partner before it, and no
    与 stands between them, so the candidate is what is built, not whom with."""
    clause = _clause_index(text, start)
    before = [(s, e, cue) for s, e, cue in cues if e <= start and _clause_index(text, s) == clause and not cue.reach]
    if not before:
        return False
    _, cue_end, cue = max(before, key=lambda hit: hit[1])
    return cue.partner == "before" and not _WITH.search(text, cue_end, start)


def _clause_index(text: str, offset: int) -> int:
    return len(_CLAUSE_BREAK.findall(text, 0, offset))


def _clause_before(sentence: Sentence, candidate: Candidate) -> str:
    """与 must govern the candidate in its own clause: 加强与…合作，支持企业建设…中心 names no partner centre."""
    return _CLAUSE_BREAK.split(sentence.text[: candidate.start - sentence.start])[-1]


def _with_partner(clause_before: str) -> bool:
    """加强与|X, 我市与|X: the sentence says whom the city works with; 大数据与|人工智能实验室 joins two nouns of
    one name instead (a 与 right after a common noun)."""
    found = list(_WITH.finditer(clause_before))
    if not found:
        return False
    tokens = words_of(clause_before[: found[-1].start()])
    if not tokens:
        return True
    frequency, tag = dictionary().get(tokens[-1], (0, ""))
    return not (tag.startswith("n") and tag not in ("nr", "ns", "nt", "nz") and frequency > 0)


def _owned_by_place(sentence: Sentence, candidate: Candidate) -> bool:
    """武汉市属企业: a place before 属 qualifies the enterprises it owns, it is no partner."""
    return (
        bool(candidate.codes)
        and sentence.text[candidate.end - sentence.start : candidate.end - sentence.start + 1] == "属"
    )


def is_partner(entity: Entity, place: Place, with_partner: bool = True) -> bool:
    """Institutions not named after the city; areas, agencies and platforms only of another place; a platform of no
    known place or a national ministry only when the sentence says whom the city works with (与…对接); never a broad
    region."""
    table = gazetteer.areas()
    kind = entity["type"]
    if entity["name"].endswith(_region_endings()):
        return False
    if kind == "Institution":
        return not _named_after_own_place(entity["name"], place)
    if kind in ("Province", "City", "County"):
        area = table.by_code.get(entity.get("code") or "")
        return area is not None and not place.owns(area) and not _contains_own_place(area, place)
    if kind in ("Agency", "Platform"):
        located = entity.get("located_in")
        area = table.by_code.get((located.get("code") if located else None) or "")
        if area is not None:
            return not place.owns(area) and not _contains_own_place(area, place)
        if kind == "Agency":  # 深化与科技部…合作: a ministry is the other side when the sentence says so
            return with_partner and entity["name"] in _national_agencies()
        own_short = place.city.short if place.city else None
        return not (own_short and own_short in entity["name"]) and with_partner
    return False


@cache
def _national_agencies() -> frozenset[str]:
    return frozenset(row[0] for row in gazetteer.vocabulary("national_agencies.tsv"))


def _named_after_own_place(name: str, place: Place) -> bool:
    """三明市农业科学研究院, 丹东市中医院: the city's own institutions are its side of a cooperation."""
    own = place.city or place.province
    return bool(own and name.startswith((own.name, own.short)))


def _contains_own_place(area: gazetteer.Area, place: Place) -> bool:
    own = place.city or place.province
    return bool(own and gazetteer.areas().contains(area, own))


def _nested_in_names(pairs: list[tuple[Candidate, Entity]]) -> set[int]:
    """Places inside another name (武汉 in 武汉东湖高新区), institutions inside an institution's name
    (中机总院 in 中机总院海西分院) and national bodies inside any name (科技部 in 科技部高端外国专家项目):
    the named thing is the partner; the outer one is linked by PART_OF."""
    names = [(c.start, c.end) for c, _ in pairs if not c.codes]
    institutions = [(c.start, c.end) for c, _ in pairs if not c.codes and c.type == "Institution"]
    inside_name, inside_institution = _Containment(names), _Containment(institutions)
    return {
        id(c)
        for c, _ in pairs
        if (c.codes and inside_name.strictly_holds(c.start, c.end))
        or (c.type == "Institution" and inside_institution.strictly_holds(c.start, c.end))
        or (c.type == "Agency" and c.key and inside_name.strictly_holds(c.start, c.end))
    }


class _Containment:
    """Whether a span strictly holds a query span, in O(log n): spans sorted by start, the furthest end so far."""

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        spans = sorted(set(spans))
        self.starts = [s for s, _ in spans]
        self.furthest = list(accumulate((e for _, e in spans), max))
        self.furthest_from: dict[int, int] = {}  # start → the furthest end of the spans starting there
        for s, e in spans:
            self.furthest_from[s] = max(e, self.furthest_from.get(s, e))

    def strictly_holds(self, start: int, end: int) -> bool:
        before = bisect.bisect_left(self.starts, start) - 1  # spans starting before `start`
        if before >= 0 and self.furthest[before] >= end:
            return True
        return self.furthest_from.get(start, end) > end  # a span starting at `start` holds it only if it is longer
