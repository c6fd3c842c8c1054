"""Where entity candidates come from: a registry of candidate sources, each a function of the text.

Every source tags what it finds with its own extractor name (gazetteer:…, suffix:…, quoted-term…),
so a fact in the graph says which rule proposed it. Sources in `SOURCES` read the text alone; those in
`PLACE_SOURCES` need the document's own place (我市 is which city?) and the candidates found so far.
Adding a rule is one function, one entry here and one test.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from policykg.ingest.candidates.base import Candidate, select
from policykg.ingest.candidates.known import gazetteer_candidates
from policykg.ingest.candidates.lists import enterprise_list_candidates
from policykg.ingest.candidates.party import party_committee_candidates
from policykg.ingest.candidates.quoted import quoted_candidates
from policykg.ingest.candidates.relative import (
    abbreviation_candidates,
    relative_place_candidates,
    relative_province_candidates,
)
from policykg.ingest.candidates.suffix import suffix_candidates
from policykg.ingest.place import Place


@dataclass(frozen=True)
class CandidateSource:
    name: str
    find: Callable[[str], list[Candidate]]


@dataclass(frozen=True)
class PlaceSource:
    name: str
    find: Callable[[str, Place, list[Candidate]], list[Candidate]]


SOURCES: tuple[CandidateSource, ...] = (
    CandidateSource("gazetteer", gazetteer_candidates),  # areas, universities, CAS, national bodies and programmes
    CandidateSource("suffix", suffix_candidates),  # …产业技术研究院, …科技局, …计划: a name by how it ends
    CandidateSource("quoted-term", quoted_candidates),  # “揭榜挂帅”, “科特贷”: quoted scheme names
    CandidateSource("party-committee", party_committee_candidates),  # 市委, 中共咸宁市委
    CandidateSource("enterprise-list", enterprise_list_candidates),  # A、B等5家企业
)

PLACE_SOURCES: tuple[PlaceSource, ...] = (
    PlaceSource("abbreviation", lambda text, place, _: abbreviation_candidates(text, place)),  # 京闽, 沪明
    PlaceSource("relative-place", lambda text, place, _: relative_place_candidates(text, place)),  # 我市, 我省
    PlaceSource("relative-province", lambda _, place, found: relative_province_candidates(found, place)),  # 省科技厅
)


def find_candidates(text: str) -> list[Candidate]:
    """Candidates of every text source, overlaps settled (entities.select)."""
    return select(text_candidates(text))


def text_candidates(text: str) -> list[Candidate]:
    return [candidate for source in SOURCES for candidate in source.find(text)]


def place_candidates(text: str, place: Place, found: list[Candidate]) -> list[Candidate]:
    return [candidate for source in PLACE_SOURCES for candidate in source.find(text, place, found)]
