"""Companies named in a list closed by 等…企业 (南玻节能玻璃、真奥金银花等5家企业, 三安、矽品等龙头企业,
慧芯激光、中石光芯等项目): each listed name that looks like a company's is one."""

from __future__ import annotations

import re
from functools import cache

from policykg.ingest.candidates.base import NAME_CHAR, Candidate
from policykg.ingest.candidates.common_words import after_common_verb, general_phrase
from policykg.ingest.candidates.descriptive import only_descriptive_words
from policykg.ingest.candidates.words import last_boundary
from policykg.lexicon import gazetteer, official

MAX_BETWEEN = 10  # characters between 等 and the noun that closes the list (5家龙头, 6家银行, 一批重点)
_GENERIC_PARTS = ("产业", "行业", "领域", "企业", "单位", "机构", "高校")
_PHASE = re.compile(r"(?<=..)[一二三四五六七八九十\d]+期$")
# A listed project names its company first, then what it builds: 振华新材料5000吨…, 华能焦化公司五号焦炉
_CAPACITY = re.compile(
    r"(?:年产)?[0-9０-９.一二三四五六七八九十两百千万]+[万千亿]?(?:吨|台|号|条|套|个|头|只|亩|千瓦|兆瓦|GW|MW)"
)


@cache
def _list_end() -> re.Pattern[str]:
    heads = "|".join(sorted(gazetteer.words("company_list_heads.tsv"), key=len, reverse=True))
    # nothing but a count and modifiers between: 皖西学院、X学院等本地高校与企业 lists colleges, not companies
    return re.compile(rf"等[^，,。；;：:、\n“”与和及或同]{{0,{MAX_BETWEEN}}}?(?:{heads})")


def enterprise_list_candidates(text: str) -> list[Candidate]:
    found = []
    for match in _list_end().finditer(text):
        clause_start = max(text.rfind(mark, 0, match.start()) for mark in "，,。；;：:\n")
        clause = text[clause_start + 1 : match.start()]
        items = clause.split("、")
        if len(items) < 2:
            continue
        offset = clause_start + 1
        first_cut = last_boundary(items[0])
        listed = []
        for index, item in enumerate(items):
            cut = first_cut if index == 0 else 0
            name = _company_part(item[cut:])
            if looks_like_company(name):
                listed.append(Candidate(offset + cut, offset + cut + len(name), name, "Enterprise", "list:等企业"))
            offset += len(item) + 1
        if 2 * len(listed) >= len(items):  # 石墨烯、新能源电池、北斗导航…等新技术企业: a list of trades, not companies
            found.extend(listed)
    return found


def looks_like_company(name: str) -> bool:
    """A short proper name: not a place, an industry, a kind, a project or a common word."""
    if not 2 <= len(name) <= 12 or not all(NAME_CHAR.match(char) for char in name) or name.startswith("第"):
        return False  # 第六章附则: an outline, not a name
    if name in gazetteer.words("generic_phrases.tsv"):
        return False
    if name in gazetteer.areas().by_name or name in official.by_name() or name.endswith(_facility_words()):
        return False
    if name in gazetteer.words("industries.tsv") or only_descriptive_words(name):
        return False
    if general_phrase(name) and not _brand_and_trade(name):
        return False
    return not any(word in name for word in _GENERIC_PARTS)


def _brand_and_trade(name: str) -> bool:
    """东风重工, 北方重工: a brand of two characters, common word or not, then a trade: a company's short name."""
    brand, trade = name[:2], name[2:]
    industry = brand in gazetteer.words("industries.tsv") or only_descriptive_words(brand)
    return trade in gazetteer.words("company_trades.tsv") and not industry


def _company_part(item: str) -> str:
    """振华新材料5000吨锂离子正极材料 → 振华新材料, 双良二期 → 双良: a project up to its capacity or phase;
    投产中化乙烯 → 中化乙烯."""
    capacity = _CAPACITY.search(item)
    item = item[: capacity.start()] if capacity and capacity.start() >= 2 else item
    item = _PHASE.sub("", item)  # 双良二期: the company's second phase
    return item[after_common_verb(item, whole=True) :]


@cache
def _facility_words() -> tuple[str, ...]:
    return tuple(gazetteer.words("facility_words.tsv"))
