"""Companies named in a list closed by 等…企业 (南玻节能玻璃、真奥金银花等5家企业)."""

from __future__ import annotations

import re

from policykg.ingest.candidates.base import NAME_CHAR, Candidate
from policykg.ingest.candidates.descriptive import only_descriptive_words
from policykg.ingest.candidates.words import last_boundary
from policykg.lexicon import gazetteer

_ENTERPRISE_LIST_END = re.compile(
    r"等(?:\d+|[一二三四五六七八九十百几多数]+)?[家个]?(?:龙头|骨干|重点|科技型|高新技术|规上|规模以上)?(?:企业|公司)"
)


def enterprise_list_candidates(text: str) -> list[Candidate]:
    """组织南玻节能玻璃、真奥金银花等5家企业: the names listed before 等…企业 are companies."""
    found = []
    for match in _ENTERPRISE_LIST_END.finditer(text):
        clause_start = max(text.rfind(mark, 0, match.start()) for mark in "，,。；;：:\n")
        clause = text[clause_start + 1 : match.start()]
        offset = clause_start + 1
        items = clause.split("、")
        if len(items) < 2:
            continue
        first_cut = last_boundary(items[0])
        for index, item in enumerate(items):
            cut = first_cut if index == 0 else 0
            name = item[cut:]
            if _looks_like_company(name):
                found.append(Candidate(offset + cut, offset + cut + len(name), name, "Enterprise", "list:等企业"))
            offset += len(item) + 1
    return found


def _looks_like_company(name: str) -> bool:
    """A short proper name: not an industry (新能源), not a kind (科技型), not a clause."""
    if not 4 <= len(name) <= 12 or not all(NAME_CHAR.match(char) for char in name):
        return False
    if name in gazetteer.words("industries.tsv") or only_descriptive_words(name):
        return False
    return not any(word in name for word in ("产业", "行业", "领域", "企业", "单位", "机构", "高校"))
