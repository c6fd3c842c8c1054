"""Entity candidates: gazetteer hits (Aho-Corasick) and suffix rules, each with its span and rule.

A suffix rule finds a name by how it ends (…产业技术研究院, …科技局, …计划) and walks left
over name characters until punctuation or a word that ends the text before a name
(推进, 与, 支持…). Generic phrases (高校院所, 各类孵化器, 省级重点实验室) name nothing and
are dropped. Areas may nest inside other names (崇阳 in 崇阳县钒产业技术研究院 is a mention
of 崇阳县); any other candidate inside a longer one is part of that name, not a mention.
Both automata are built once per process.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

import ahocorasick

from policykg.lexicon import gazetteer, official

MAX_PREFIX = 16  # characters a name may have before its suffix
QUOTES = "“”\"'‘’「」"
_NAME_CHAR = re.compile(r"[\u4e00-\u9fa5A-Za-z()（）·]")  # digits start counts (3家…), not names
_COUNT = re.compile(r"^.*?[一二三四五六七八九十两几多数][个家项所批次座类]")
# What follows a number when the walk stops at a digit: 2024年市开发区, 5个左右科技创新重大专项.
_AFTER_DIGITS = re.compile(r"^(?:年度?|月|日|[个家项所批次座类])?(?:左右|以上|以内|多)?")
# A level word inside a name after a platform's own name: 香城文创空间国家级众创空间 is 香城文创空间 rated 国家级.
_LEVEL_INSIDE = re.compile(r"(?:国家级|省级|市级)")
_LEVEL_FIRST = re.compile(r"^(?:国家级|省级|市级|县级|区级|全国)")  # 省级重点实验室: a class of platforms
_LEADING_QUALIFIERS = re.compile(
    r"^(?:国家级|省级|市级|县级|全国|国家|各级|各类|各领域|各|上级|相关|有关|重大|重要|重点|新|该|本|其)+"
)
_OUTLINE_MARKER = re.compile(r"^[(（][一二三四五六七八九十\d]+[)）]")
# A quoted term names a scheme when it ends like one (“科技贷”, “创新之星”), not a slogan (“两个确立”).
_QUOTED_SCHEME = re.compile(
    r"“([\u4e00-\u9fa5+]{1,8}(?:贷|星|奖|赛|汇|券|险|制|计划|工程|行动|基金)"
    r"|[\u4e00-\u9fa5]{2,12}(?:行动方案|实施方案|行动计划|工程|规划))”"
)
# “联百校·转千果”“鄂来拍”“鄂来揭”等成果转化对接活动: quoted terms listed before 等 and a kind of scheme
_QUOTED_LIST = re.compile(
    r"((?:“[\u4e00-\u9fa5·+]{2,12}”[、，,]?){2,})等[^，。；;\n]{0,10}?"
    r"(?:活动|计划|工程|行动|项目|专项|赛事|大赛)"
)
_QUOTED_BUILDING = re.compile(r"“([\u4e00-\u9fa5]{2,10})”建设")  # “三个一百”建设, “双一流”建设: a named campaign
_QUOTED_ITEM = re.compile(r"“([\u4e00-\u9fa5·+]{2,12})”")
# 市开发区, 我市高新区, and a bare 高新区: a city has one such zone, so this names it
_OWN_ZONE = re.compile(
    r"(?:我市|本市|市)?(?:高新区|高新技术产业开发区)"
    r"|(?:我市|本市|市)(?:开发区|经开区|经济技术开发区|经济开发区)"
)
# Platforms a province or city certifies in numbers (省重点实验室, 丹东市专业技术创新中心): with only a place and
# common modifiers before the suffix, the phrase names the class, not one platform; a zone is one per place.
_CERTIFIED_CLASSES = frozenset(
    {
        "孵化器",
        "众创空间",
        "星创天地",
        "重点实验室",
        "实验室",
        "工程技术研究中心",
        "工程研究中心",
        "临床医学研究中心",
        "技术创新中心",
        "新型研发机构",
        "院士工作站",
        "专家工作站",
        "博士后科研工作站",
        "博士后工作站",
    }
)
_PARTY_COMMITTEE = re.compile(r"(省|市|县|区)委(?![员托会])")
_ENTERPRISE_LIST_END = re.compile(
    r"等(?:\d+|[一二三四五六七八九十百几多数]+)?[家个]?(?:龙头|骨干|重点|科技型|高新技术|规上|规模以上)?(?:企业|公司)"
)
_ZONE_ENDINGS = ("园区", "开发区", "示范区", "管理区", "试验区")
_RELATIVE_PLACE = re.compile(r"^(?:省|市|县|区)+")  # 省科技厅 names one body; 省重点实验室 a class of them
_AGENCY_START = re.compile(r"^(?:我市|本市|市|省|县|区|中共|国家|中国|中央)")
_BRANCH = re.compile(r"分园|分院|分中心|分所|分基地|分市场|分站|市场|中心|基地")
_SHARED_PLACE = re.compile(r"(?:国家|省|市)(?=[\u4e00-\u9fa5]{2})")
_PLACE_PREFIX = re.compile(r"^(?:我市|本市|全市|市|省|县|区|国家|中央|全国|中国)(?![县区级])")  # not 市县两级


@dataclass
class Candidate:
    start: int
    end: int
    surface: str
    type: str
    extractor: str
    key: str | None = None  # canonical name when a gazetteer knows it
    codes: tuple[str, ...] = ()  # area codes a place name may denote
    shared_prefix: str = ""  # 省 of 省科技成果转化奖、科技进步奖, which the second item shares
    attributes: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class GazetteerEntry:
    type: str
    name: str
    codes: tuple[str, ...] = ()
    short: bool = False  # an area's short name (三明, 沙县): only trusted near the document's own place
    attributes: tuple[tuple[str, str], ...] = ()  # platform_type and level, program_type… from an official list


@cache
def gazetteer_automaton() -> ahocorasick.Automaton:
    entries: dict[str, list[GazetteerEntry]] = {}
    table = gazetteer.areas()
    for word, found in table.by_name.items():
        if len(word) < 2 or word in gazetteer.words("ambiguous_area_names.tsv"):
            continue
        for area in found:
            if word != area.name and area.name.endswith(_ZONE_ENDINGS):
                continue  # jionlp shortens 宿州马鞍山现代产业园区 to 产业园: a park, not a place name
            entries.setdefault(word, []).append(
                GazetteerEntry(area.level, area.name, (area.code,), short=word != area.name)
            )
    for university in gazetteer.universities():
        entries.setdefault(university.name, []).append(GazetteerEntry("Institution", university.name))
    for entry in official.listed():
        meaning = GazetteerEntry(entry.type, entry.name, attributes=_listed_attributes(entry))
        for word in (entry.name, *entry.aliases):
            if word == entry.name or word not in table.by_name:  # 滨海新区 the district stays a place
                entries.setdefault(word, []).insert(0, meaning)
    for name, entity_type, aliases in gazetteer.vocabulary("national_agencies.tsv"):
        for word in (name, *aliases.split(",")):
            if word:
                entries.setdefault(word, []).insert(0, GazetteerEntry(entity_type, name))
    automaton = ahocorasick.Automaton()
    for word, meanings in entries.items():
        automaton.add_word(word, (word, tuple(meanings)))
    automaton.make_automaton()
    return automaton


def _listed_attributes(entry: official.Listed) -> tuple[tuple[str, str], ...]:
    if entry.type == "Platform":
        return (("platform_type", entry.subtype), ("level", "国家级" if entry.level == "national" else entry.level))
    if entry.type == "Program":
        return (("program_type", entry.subtype),)
    return ()


@cache
def suffix_automaton() -> ahocorasick.Automaton:
    """Every suffix with the type it gives; the longest suffix ending at a point wins."""
    suffixes: dict[str, tuple[str, str, str]] = {}
    for file_name, entity_type in (
        ("program_suffixes.tsv", "Program"),
        ("enterprise_suffixes.tsv", "Enterprise"),
        ("institution_suffixes.tsv", "Institution"),
        ("agency_suffixes.tsv", "Agency"),
        ("platform_types.tsv", "Platform"),
    ):
        for row in gazetteer.vocabulary(file_name):
            suffixes[row[0]] = (entity_type, row[1] if len(row) > 1 else "", row[2] if len(row) > 2 else "strong")
    automaton = ahocorasick.Automaton()
    for suffix, (entity_type, subtype, strength) in suffixes.items():
        automaton.add_word(suffix, (suffix, entity_type, subtype, strength))
    automaton.make_automaton()
    return automaton


@cache
def _boundary_automaton() -> ahocorasick.Automaton:
    """Boundary words, and the words that hold one without ending anything (协同, 自由, 有色)."""
    automaton = ahocorasick.Automaton()
    for word in gazetteer.words("boundary_words.tsv"):
        automaton.add_word(word, (len(word), True))
    for word in gazetteer.words("boundary_exceptions.tsv"):
        automaton.add_word(word, (len(word), False))
    automaton.make_automaton()
    return automaton


def gazetteer_candidates(text: str) -> list[Candidate]:
    found = []
    for end, (word, entries) in gazetteer_automaton().iter(text):
        start = end + 1 - len(word)
        first = entries[0]
        codes = tuple(code for entry in entries if entry.type == first.type for code in entry.codes)
        extractor = "gazetteer:area-short" if first.short else f"gazetteer:{first.type.lower()}"
        if first.type == "Agency" and word.endswith("部") and text[end + 1 : end + 2] == "门":
            continue  # 科技部门 are the science departments, not 科技部
        found.append(
            Candidate(
                start,
                end + 1,
                word,
                first.type,
                extractor,
                key=None if first.codes else first.name,
                codes=codes,
                attributes=dict(first.attributes),
            )
        )
    return found


def suffix_candidates(text: str) -> list[Candidate]:
    best_at_end: dict[int, tuple[str, str, str, str]] = {}
    for end, hit in suffix_automaton().iter(text):
        if _continues_as_word(text, end, hit[0]):
            continue  # 奖励, 工程师, 战略合作: the suffix is the start of another word
        if end not in best_at_end or len(hit[0]) > len(best_at_end[end][0]):
            best_at_end[end] = hit
    found: list[Candidate] = []
    generic_spans: list[tuple[int, int]] = []
    for end, (suffix, entity_type, subtype, strength) in sorted(best_at_end.items(), reverse=True):
        start = _name_start(text, end + 1 - len(suffix))
        start, end = _drop_unbalanced_start(text, start, end + 1)
        level_cut = _own_name_before_level(text, start, end) if entity_type == "Platform" else None
        if level_cut is not None:
            end = level_cut
            suffix = _platform_suffix_of(text[start:end]) or suffix
        surface = text[start:end]
        if any(s <= start and end <= e for s, e in generic_spans) or any(
            (c.start, c.end) == (start, end) for c in found[-3:]
        ):
            continue  # 人才专项 inside 人才专项资金, 企业工程 inside 企业工程技术研究中心; a name cut at its level
        quoted = text[start - 1 : start] == "“" and text[end : end + 1] == "”"
        shared = _shared_prefix(text, start, surface, entity_type)
        if not shared and _is_generic(surface, suffix, entity_type, quoted):
            generic_spans.append((start, end))
            continue
        if (strength == "weak" and not (shared or _is_marked(surface))) or (
            entity_type in ("Platform", "Program") and _LEVEL_FIRST.match(surface)
        ):
            continue
        if entity_type == "Agency" and not (_AGENCY_START.match(surface) or _starts_with_area(surface)):
            continue  # 法治政府: a government body is named by its place
        if entity_type in ("Platform", "Institution"):
            end = _branch_end(text, end)
            surface = text[start:end]
        attributes: dict[str, Any] = {}
        if entity_type == "Platform":
            attributes = {
                "platform_type": _platform_type(suffix, subtype),
                "level": platform_level(text, start, level_cut or end),
            }
            if level_cut is not None:
                attributes["level"] = _LEVEL_INSIDE.match(text, level_cut).group()  # type: ignore[union-attr]
        elif entity_type == "Program":
            attributes = {"program_type": subtype}
        found.append(
            Candidate(start, end, surface, entity_type, f"suffix:{suffix}", attributes=attributes, shared_prefix=shared)
        )
    return found[::-1]


def _branch_end(text: str, end: int) -> int:
    """安徽科技大市场六安市场, …研究院合肥分院: a place and a branch word after a name make the branch's name."""
    window = text[end : end + 10]
    places = [
        len(word)
        for last, (word, entries) in gazetteer_automaton().iter(window)
        if last + 1 == len(word) and entries[0].codes
    ]
    for length in sorted(places, reverse=True):
        branch = _BRANCH.match(window, length)
        if branch and window[branch.end() : branch.end() + 1] not in ("城", "区", "镇"):  # 中心城区 is no branch
            return end + branch.end()
    return end


def _shared_prefix(text: str, start: int, surface: str, entity_type: str) -> str:
    """省科技成果转化奖、科技进步奖: a programme listed as a bare kind after one of the same kind shares its place."""
    if entity_type != "Program" or text[start - 1 : start] != "、" or text[start - 2 : start - 1] != surface[-1]:
        return ""
    item_start = max(text.rfind(mark, 0, start - 1) for mark in "，,。；;：:、\n") + 1
    item_start += _last_boundary(text[item_start : start - 1])
    match = _SHARED_PLACE.match(text, item_start, start - 1)
    return match.group() if match and surface in gazetteer.words("program_suffixes.tsv") else ""


@cache
def _continuations() -> tuple[tuple[str, str], ...]:
    return tuple((row[0], row[1]) for row in gazetteer.vocabulary("suffix_continuations.tsv"))


def _continues_as_word(text: str, end: int, suffix: str) -> bool:
    following = text[end + 1 : end + 2]
    return bool(following) and any(suffix.endswith(ending) and following in chars for ending, chars in _continuations())


def _drop_unbalanced_start(text: str, start: int, end: int) -> tuple[int, int]:
    """各县(市、区)科技局: a name cannot begin inside brackets or a quote it does not open."""
    surface = text[start:end]
    for opening, closing in (("(", ")"), ("（", "）"), ("“", "”")):
        close_at = surface.find(closing)
        if close_at >= 0 and opening not in surface[:close_at]:
            return start + close_at + 1, end
    return start, end


def _own_name_before_level(text: str, start: int, end: int) -> int | None:
    """The end of a platform's own name when a level word follows it inside the candidate."""
    for match in _LEVEL_INSIDE.finditer(text, start, end):
        if match.start() > start and _platform_suffix_of(text[start : match.start()]):
            return match.start()
    return None


def _platform_suffix_of(name: str) -> str | None:
    hits = [
        word
        for end, (word, entity_type, _, _) in suffix_automaton().iter(name)
        if end == len(name) - 1 and entity_type == "Platform"
    ]
    return max(hits, key=len) if hits else None


def _platform_type(suffix: str, subtype: str) -> str:
    return _platform_types().get(suffix, subtype)


@cache
def _platform_types() -> dict[str, str]:
    return {row[0]: row[1] for row in gazetteer.vocabulary("platform_types.tsv")}


def quoted_candidates(text: str) -> list[Candidate]:
    """“揭榜挂帅”, “科特贷”: a short quoted term standing alone is a named scheme; so is each quoted term of a
    list closed by 等…活动/计划 (“鄂来拍”“鄂来揭”等对接活动)."""
    found = []
    for match in _QUOTED_SCHEME.finditer(text):
        found.append(Candidate(match.start(), match.end(), match.group(), "Program", "quoted-term", key=match.group(1)))
    for match in _QUOTED_BUILDING.finditer(text):
        found.append(
            Candidate(match.start(), match.end(), match.group(), "Program", "quoted-term", key=match.group(1) + "建设")
        )
    for listing in _QUOTED_LIST.finditer(text):
        for item in _QUOTED_ITEM.finditer(text, listing.start(1), listing.end(1)):
            found.append(Candidate(item.start(), item.end(), item.group(), "Program", "quoted-list", key=item.group(1)))
    return found


def platform_level(text: str, start: int, end: int) -> str | None:
    """国家级/省级/市级 from the name itself or the words just before it."""
    window = text[max(0, start - 6) : end]
    for marker, level in (("国家", "国家级"), ("全国", "国家级"), ("省级", "省级"), ("省", "省级"), ("市级", "市级")):
        if marker in window:
            return level
    return None


def _name_start(text: str, suffix_start: int) -> int:
    """Walk left from a suffix over name characters (and a quoted part), then past the last boundary word."""
    start = suffix_start
    floor = max(0, suffix_start - MAX_PREFIX)
    while start > floor:
        char = text[start - 1]
        if char == "”":  # “科技特派员+”制度: a quoted part belongs to the name
            opening = text.rfind("“", floor, start - 1)
            if opening < 0:
                break
            start = opening
            continue
        if not _NAME_CHAR.match(char):
            break
        start -= 1
    prefix = text[start:suffix_start]
    count = _COUNT.match(prefix) or _OUTLINE_MARKER.match(prefix)
    if count is None and start > 0 and text[start - 1].isdigit():
        count = _AFTER_DIGITS.match(prefix)
    cut = count.end() if count else 0
    opening = prefix.find("“")
    if opening > 0 and not _is_place_word(prefix[:opening]):
        cut = opening  # 干部联系群众“双联系”制度: before its quoted part, a name has only its place
    if start == 0 or text[start - 1] != "“":  # 省“重点外国专家项目”: an opening quote marks where the name begins
        cut = max(cut, _last_boundary(prefix, text[suffix_start : suffix_start + 2]))
    return start + cut + _first_place(prefix[cut:])


def _is_place_word(word: str) -> bool:
    """省, 我市, 国家, 辽宁省: what may stand before a name's quoted part (省“兴辽人才计划”)."""
    return bool(_PLACE_PREFIX.fullmatch(word)) or 0 < _leading_area_length(word) == len(word)


def _last_boundary(prefix: str, tail: str = "") -> int:
    """Where the name starts after the last boundary word; one inside a quote, a place name or a word that
    merely contains it (协同 holds 同, 将乐县 holds 将, 有色金属 holds 有; 提升工程 and 重点专项, reaching into
    the `tail` of text after the prefix, hold 提升 and 重点) does not end anything."""
    quoted = _quoted_spans(prefix)
    holders = [(end + 1 - len(word), end + 1) for end, (word, _) in gazetteer_automaton().iter(prefix)]
    hits = []
    for end, (length, is_boundary) in _boundary_automaton().iter(prefix + tail):
        if is_boundary and end < len(prefix):
            hits.append((end + 1 - length, end + 1))
        elif not is_boundary:
            holders.append((end + 1 - length, end + 1))
    cut = 0
    for start, end in hits:
        held = any(s <= start and end <= e and e - s > end - start for s, e in holders)
        if not held and not any(start < e and s < end for s, e in quoted):
            cut = max(cut, end)
    return cut


def _quoted_spans(prefix: str) -> list[tuple[int, int]]:
    return [(m.start(), m.end()) for m in re.finditer(r"“[^“”]*”", prefix)]


def _first_place(prefix: str) -> int:
    """握三明学院 → 三明学院: one stray character before a place name is the tail of a verb (把握), not a name;
    two or more (光谷咸宁产业园) are part of it."""
    if not prefix or prefix[0] in "“(（":
        return 0
    starts = [end + 1 - len(word) for end, (word, entries) in gazetteer_automaton().iter(prefix) if entries[0].codes]
    first = min(starts, default=0)
    return first if first <= 1 else 0


def _is_marked(surface: str) -> bool:
    """A weak suffix (活动, 机制) names a programme only when quoted or tied to a place."""
    return "”" in surface or bool(_PLACE_PREFIX.match(surface)) or _starts_with_area(surface)


def _starts_with_area(surface: str) -> bool:
    return any(end + 1 - len(word) == 0 for end, (word, _) in gazetteer_automaton().iter(surface))


def _is_generic(surface: str, suffix: str, entity_type: str, quoted: bool = False) -> bool:
    generic = gazetteer.words("generic_phrases.tsv")
    if quoted:  # 省“重点外国专家项目”: quotation marks make a name of what would otherwise be a kind
        return surface in generic or surface == suffix
    bare = _LEADING_QUALIFIERS.sub("", surface.strip(QUOTES))
    if entity_type == "Platform" and _OWN_ZONE.fullmatch(surface):
        return False  # 市开发区, 我市高新区, 高新区: a city has one such zone, so this names it
    if surface in generic or bare in generic:
        return True
    if entity_type == "Platform":
        unqualified, bare = bare, _RELATIVE_PLACE.sub("", bare)
        if unqualified == bare != surface and _only_descriptive_words(bare[: len(bare) - len(suffix)]):
            return True  # 国家创新型科技园区, 各类专业化孵化器: a title or a kind, qualified, is still no name
        if suffix in _CERTIFIED_CLASSES and _is_certified_class(bare, suffix):
            return True  # 省科技企业孵化器, 丹东市专业技术创新中心: a class the province or city certifies
        if bare == surface and _only_descriptive_words(bare[: len(bare) - len(suffix)]):
            return True  # 特色产业园, 专业化科技企业孵化器: a kind of platform, no name
    elif entity_type == "Program" and bare[: len(bare) - len(suffix)] in _program_suffixes():
        return True  # 行动计划专项资金: the funds of some plan, named by nothing
    elif _RELATIVE_PLACE.match(bare):
        return False  # 市政府, 省科技进步奖: the document's own body or award
    if bare == suffix:
        return True
    return len(bare) - len(suffix) < 2 and suffix not in ("政府", "科委", "科协")


def _is_certified_class(bare: str, suffix: str) -> bool:
    """Only a place and common words before the suffix (大庆市工程技术研究中心, 省科技企业孵化器); a place and 实验室
    alone is a named lab (江夏实验室)."""
    modifiers = bare[_leading_area_length(bare) : len(bare) - len(suffix)]
    return _only_descriptive_words(modifiers) or (not modifiers and suffix != "实验室" and bare != suffix)


def _leading_area_length(name: str) -> int:
    """丹东市专业技术创新中心 → 3: the length of a full area name the name begins with."""
    return max(
        (
            len(word)
            for end, (word, entries) in gazetteer_automaton().iter(name[:8])
            if end + 1 == len(word) and entries[0].codes and not entries[0].short
        ),
        default=0,
    )


@cache
def _program_suffixes() -> frozenset[str]:
    return gazetteer.words("program_suffixes.tsv")


@cache
def _descriptive_automaton() -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for word in gazetteer.words("descriptive_words.tsv"):
        automaton.add_word(word, len(word))
    automaton.make_automaton()
    return automaton


def _only_descriptive_words(prefix: str) -> bool:
    """True when the words before a platform's type are all common modifiers (科技, 特色, 专业化, 农业…),
    so nothing in it names one platform; a place, a brand or an institution's name is not among them."""
    if not prefix:
        return False
    covered = [0] * (len(prefix) + 1)  # covered[i]: prefix[:i] splits into descriptive words
    covered[0] = 1
    ending_at: dict[int, list[int]] = {}
    for end, length in _descriptive_automaton().iter(prefix):
        ending_at.setdefault(end + 1, []).append(length)
    for i in range(1, len(prefix) + 1):
        covered[i] = int(any(covered[i - length] for length in ending_at.get(i, [])))
    return bool(covered[len(prefix)])


class DisjointSpans:
    """Spans that never overlap one another, sorted, so the ones overlapping a query are found by bisection."""

    def __init__(self) -> None:
        self.starts: list[int] = []
        self.ends: list[int] = []

    def overlapping(self, start: int, end: int) -> list[tuple[int, int]]:
        # disjoint spans sorted by start are sorted by end too: walk left from the last one starting before `end`
        index = bisect.bisect_left(self.starts, end) - 1
        found = []
        while index >= 0 and self.ends[index] > start:
            found.append((self.starts[index], self.ends[index]))
            index -= 1
        return found

    def add(self, start: int, end: int) -> None:
        index = bisect.bisect_left(self.starts, start)
        self.starts.insert(index, start)
        self.ends.insert(index, end)


def select(candidates: list[Candidate]) -> list[Candidate]:
    """Longest first; an area may sit inside another name, anything else inside a kept name is dropped."""
    ranked = sorted(candidates, key=lambda c: (-(c.end - c.start), c.extractor.startswith("suffix"), c.start))
    kept: list[Candidate] = []
    names = DisjointSpans()  # a name is kept only where no other name is, so they never overlap
    places = DisjointSpans()  # likewise places
    for candidate in ranked:
        around = names.overlapping(candidate.start, candidate.end)
        nested = bool(around) and all(s <= candidate.start and candidate.end <= e for s, e in around)
        if candidate.codes:  # a place may sit inside a name, never across one or inside another place
            if places.overlapping(candidate.start, candidate.end) or (around and not nested):
                continue
            places.add(candidate.start, candidate.end)
        elif around and not (nested and candidate.type in ("Institution", "Agency") and candidate.key):
            continue  # 中国科学院 inside 中国科学院丹东技术转移中心 is the academy; 科技部 in 科技部…项目 the ministry
        elif not around:
            names.add(candidate.start, candidate.end)
        kept.append(candidate)
    return sorted(kept, key=lambda c: c.start)


def party_committee_candidates(text: str) -> list[Candidate]:
    """市委, 省委, 中共咸宁市委: the party committee of a place (市委市政府 names two bodies)."""
    found = []
    for match in _PARTY_COMMITTEE.finditer(text):
        start = match.start()
        place_start = _area_ending_at(text, match.start(1))
        if place_start is not None:
            start = place_start
        if text[max(0, start - 2) : start] == "中共":
            start -= 2
        found.append(Candidate(start, match.end(), text[start : match.end()], "Agency", "party-committee"))
    return found


def _area_ending_at(text: str, last: int) -> int | None:
    """Where a full area name ending at `last` (the 市 of 咸宁市) starts, if one does."""
    window_start = max(0, last - 8)
    starts = [
        window_start + end + 1 - len(word)
        for end, (word, entries) in gazetteer_automaton().iter(text[window_start : last + 1])
        if window_start + end == last and entries[0].codes and not entries[0].short
    ]
    return min(starts, default=None)


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
        first_cut = _last_boundary(items[0])
        for index, item in enumerate(items):
            cut = first_cut if index == 0 else 0
            name = item[cut:]
            if _looks_like_company(name):
                found.append(Candidate(offset + cut, offset + cut + len(name), name, "Enterprise", "list:等企业"))
            offset += len(item) + 1
    return found


def _looks_like_company(name: str) -> bool:
    """A short proper name: not an industry (新能源), not a kind (科技型), not a clause."""
    if not 4 <= len(name) <= 12 or not all(_NAME_CHAR.match(char) for char in name):
        return False
    if name in gazetteer.words("industries.tsv") or _only_descriptive_words(name):
        return False
    return not any(word in name for word in ("产业", "行业", "领域", "企业", "单位", "机构", "高校"))
