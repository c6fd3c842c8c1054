"""Party committees: 市委, 省委, 中共咸宁市委."""

from __future__ import annotations

import re

from policykg.ingest.candidates.base import Candidate
from policykg.ingest.candidates.known import area_ending_at

_PARTY_COMMITTEE = re.compile(r"(省|市|县|区)党?委(?![员托会])")  # 自治区党委 as 市委


def party_committee_candidates(text: str) -> list[Candidate]:
    """市委, 省委, 中共咸宁市委: the party committee of a place (市委市政府 names two bodies)."""
    found = []
    for match in _PARTY_COMMITTEE.finditer(text):
        start = match.start()
        place_start = area_ending_at(text, match.start(1))
        if place_start is not None:
            start = place_start
        elif text[max(0, start - 2) : start] == "自治":
            start -= 2  # 自治区党委: the region's own, named relatively
        if text[max(0, start - 2) : start] == "中共":
            start -= 2
        found.append(Candidate(start, match.end(), text[start : match.end()], "Agency", "party-committee"))
    return found
