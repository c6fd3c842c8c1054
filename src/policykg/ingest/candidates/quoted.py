"""Quoted terms that name a scheme: “揭榜挂帅”, “科特贷”, each quoted item of a list closed by 等…活动."""

from __future__ import annotations

import re

from policykg.ingest.candidates.base import Candidate

_QUOTED_SCHEME = re.compile(
    r"“([\u4e00-\u9fa5+]{1,8}(?:贷|星|奖|赛|汇|券|险|制|计划|工程|行动|基金)"
    r"|[\u4e00-\u9fa5]{2,12}(?:行动方案|实施方案|行动计划|工程|规划))”"
)
# “联百校·转千果”“鄂来拍”“鄂来揭”等成果转化对接活动: quoted terms listed before 等 and a kind of scheme


_QUOTED_LIST = re.compile(
    r"((?:“[\u4e00-\u9fa5·+]{2,12}”[、，,]?){2,})等[^，。；;\n]{0,10}?"
    r"(?:活动|计划|工程|行动|项目|专项|赛事|大赛)"
)


_QUOTED_BUILDING = re.compile(r"“([\u4e00-\u9fa5]{2,10})”建设")  # “三个一百”建设, “双一流”建设: the campaign “双一流”


_QUOTED_ITEM = re.compile(r"“([\u4e00-\u9fa5·+]{2,12})”")
# 市开发区, 我市高新区, and a bare 高新区: a city has one such zone, so this names it


def quoted_candidates(text: str) -> list[Candidate]:
    """“揭榜挂帅”, “科特贷”: a short quoted term standing alone is a named scheme; so is each quoted term of a
    list closed by 等…活动/计划 (“鄂来拍”“鄂来揭”等对接活动)."""
    found = []
    for match in _QUOTED_SCHEME.finditer(text):
        found.append(Candidate(match.start(), match.end(), match.group(), "Program", "quoted-term", key=match.group(1)))
    for match in _QUOTED_BUILDING.finditer(text):
        found.append(Candidate(match.start(), match.end(), match.group(), "Program", "quoted-term", key=match.group(1)))
    for listing in _QUOTED_LIST.finditer(text):
        for item in _QUOTED_ITEM.finditer(text, listing.start(1), listing.end(1)):
            found.append(Candidate(item.start(), item.end(), item.group(), "Program", "quoted-list", key=item.group(1)))
    return found
