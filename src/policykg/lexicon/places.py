"""Place words, in one place: how a document names its own place (我市, 省, 州) and how area names end.

Extraction reads these to resolve relative names (市科技局 in a Sanming plan is 三明市科学技术局) and to
read a document's place from its title and header.
"""

from __future__ import annotations

import re
from functools import cache

from policykg.lexicon import gazetteer

# How the name of an administrative area ends, longest first (自治州 before 州).
AREA_SUFFIXES = ("特别行政区", "自治区", "自治州", "自治县", "自治旗", "地区", "盟", "市", "州", "省", "县", "区", "旗")
# 市级, 市县两级, 省市县: a level or a list of levels; 市场, 区域, 县域, 市民, 市长, 省外: another word
NOT_A_BODY = "级县区两场域块民长位间别分外内"


@cache
def relative_levels() -> dict[str, str]:
    """我市 → City, 省 → Province, 区 → County …"""
    return {word: level for word, level in gazetteer.vocabulary("relative_places.tsv")}


def relative_words() -> str:
    """The relative place words as a regular-expression alternation, longest first."""
    return "|".join(sorted(relative_levels(), key=len, reverse=True))


@cache
def relative_prefix() -> re.Pattern[str]:
    """A relative place word at the start of a name, followed by the body it qualifies (市科技局, 州政府)."""
    return re.compile(rf"^({relative_words()})(?=[\u4e00-\u9fa5\d“])(?![{NOT_A_BODY}])")  # 省“151”人才工程


@cache
def own_place_mention() -> re.Pattern[str]:
    """我市, 本省, 全省, 我区: words that mention the document's own place by themselves."""
    words = [word for word in relative_levels() if word[0] in "我本全"]
    return re.compile("|".join(sorted(words, key=len, reverse=True)))
