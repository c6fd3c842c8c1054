"""Suffix rules: a name found by how it ends (…产业技术研究院, …科技局, …计划), walking left over name characters."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import ahocorasick

from policykg.ingest.candidates.base import MAX_PREFIX, NAME_CHAR, QUOTES, Candidate
from policykg.ingest.candidates.common_words import after_common_verb, general_phrase, words_of
from policykg.ingest.candidates.descriptive import only_descriptive_words
from policykg.ingest.candidates.known import gazetteer_automaton, leading_area_length, starts_with_area
from policykg.ingest.candidates.words import (
    PLACE_PREFIX,
    after_verb_before_name,
    first_place,
    is_place_word,
    last_boundary,
)
from policykg.ingest.spans import Covers
from policykg.lexicon import gazetteer, places

_COUNT = re.compile(
    r"^.*?[一二三四五六七八九十两几多数首][个家项所批次座类]"  # 3家, 一批, 首批
    r"|^.*?[国家省市县区乡镇村旗、]{1,8}[二三四五两]级"  # 国家、省、市三级: every level's, no one of them
)
# What follows a number when the walk stops at a digit: 2024年市开发区, 5个左右科技创新重大专项.


_AFTER_DIGITS = re.compile(r"^(?:多|余)?(?:年度?|月|日|[个家项所批次座类名位])?(?:左右|以上|以内|多|余)?")
# A level word inside a name after a platform's own name: 香城文创空间国家级众创空间 is 香城文创空间 rated 国家级.


_LEVEL_INSIDE = re.compile(r"(?:国家级|省级|市级)")


_LEVEL_FIRST = re.compile(r"^(?:国家级|省级|市级|县级|区级|全国)")  # 省级重点实验室: a class of platforms


# an outline's numbering (（一）, 第二十条) or a note in brackets (（此件公开发布）) before a name is not part of it
_OUTLINE_MARKER = re.compile(r"^(?:[(（][^()（）]{1,12}[)）]|第[一二三四五六七八九十百零〇\d]+[条章节款])+")


_CAPACITY = re.compile(
    r"[0-9一二三四五六七八九十两百千万]+[万千亿]?(?:吨|台|千瓦|兆瓦|立方米|平方米|公里|期)|[万千亿](?:吨|台)"
)
_UNIT_LETTERS = re.compile(r"(?:GW|MW|KW|kW|kV|KV|kWh|km|m|t|T)(?![A-Za-z])")
_BRANCHES = ("分行", "支行")  # a bank's branch: 中信银行贵阳分行
_CLASS_BEFORE = re.compile(r"(?:以上|以下|级|各类?|等|类|全国)$")
_OWN_ZONE = re.compile(
    r"(?:我市|本市|市)?(?:高新区|高新技术产业开发区|经开区|经济技术开发区)"
    r"|(?:我市|本市|市)(?:开发区|经济开发区)"
)


# 省科技厅 names one body; 省重点实验室 a class of them
_RELATIVE_PLACE = re.compile(rf"^(?:{places.relative_words()})+")


_AGENCY_START = re.compile(rf"^(?:{places.relative_words()}|中共|国家|中国|中央|国务院)")
_SINGLE_CHARACTER_BODY = ("局", "厅", "委", "办")  # 山东省厅: a body named by one character needs a name before it
_BODY_ENDINGS = "局厅委会室府办院"  # how the name of a government body ends
# kinds of park, lab and platform that plans qualify with general words (人工智能产业园区); an institute or
# incubator so named (新能源产业技术研究院) is one organisation
_GENERAL_KINDS = frozenset({"产业园", "实验室", "重点实验室", "公共服务平台", "示范基地", "功能区", "试验区", "科技园"})
MAX_HELD_WORD = 4  # characters of the longest word that holds a suffix (工作计划)
MAX_GENERAL_WORDS = 2  # 青年科技人才培养计划 is specific enough in general words; 人才工程 is not
_PLACED = re.compile(rf"^(?:{places.relative_words()})")  # 市人才工程: the city's own, named by its place
_LEVELS_IN_BRACKETS = re.compile(r"[（(][县市区、]+[）)]")  # 县（市、区）人民政府: every county's, no one body


_SHARED_PLACE = re.compile(r"(?:国家|省|市)(?=[\u4e00-\u9fa5]{2})")


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


def suffix_candidates(text: str) -> list[Candidate]:
    best_at_end: dict[int, tuple[str, str, str, str]] = {}
    for end, hit in suffix_automaton().iter(text):
        if _continues_as_word(text, end, hit[0]) or _ends_a_word(text, end, hit[0]):
            continue  # 奖励, 工程师, 战略合作: the suffix starts another word; 布局, 举办: it ends one
        if end not in best_at_end or len(hit[0]) > len(best_at_end[end][0]):
            best_at_end[end] = hit
    found: list[Candidate] = []
    generic_spans = Covers()
    for end, (suffix, entity_type, subtype, strength) in sorted(best_at_end.items(), reverse=True):
        start = _known_name_ending_at(text, _name_start(text, end + 1 - len(suffix)), end + 1)
        if entity_type == "Enterprise":
            start += after_common_verb(text[start : end + 1 - len(suffix)])  # 帮扶…使用银行: a company has no verb
        elif entity_type == "Agency":
            start += _last_body_start(text[start : end + 1 - len(suffix)])
        start, end = _drop_unbalanced_start(text, start, end + 1)
        level_cut = _own_name_before_level(text, start, end) if entity_type == "Platform" else None
        if level_cut is not None:
            end = level_cut
            suffix = _platform_suffix_of(text[start:end]) or suffix
        surface = text[start:end]
        if generic_spans.cover(start, end) or any((c.start, c.end) == (start, end) for c in found[-3:]):
            continue  # 人才专项 inside 人才专项资金, 企业工程 inside 企业工程技术研究中心; a name cut at its level
        if entity_type == "Platform" and _OWN_ZONE.fullmatch(surface) and _CLASS_BEFORE.search(text, 0, start):
            continue  # 省级以上高新技术产业开发区, 各类开发区: the class of zones, not the city's own
        if entity_type in ("Platform", "Program") and text[start - 1 : start] == "等" and not _names_a_place(surface):
            continue  # 数字科普资源、应用程序等智慧服务平台: after 等 comes the kind of what was listed
        quoted = text[start - 1 : start] == "“" and text[end : end + 1] == "”"
        shared = _shared_prefix(text, start, surface, entity_type)
        if not shared and _is_generic(surface, suffix, entity_type, quoted):
            generic_spans.add(start, end)
            continue
        if entity_type == "Program" and _builds_something(surface, suffix):
            continue  # 姚家平水利枢纽工程, 万吨磷酸二铵工程: construction, no programme
        if (strength == "weak" and not (shared or _is_marked(surface))) or (
            entity_type in ("Platform", "Program") and _LEVEL_FIRST.match(surface)
        ):
            continue
        if entity_type == "Agency" and not _names_a_body(surface, suffix):
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


@cache
def _certified_classes() -> frozenset[str]:
    return gazetteer.words("certified_platform_classes.tsv")


@cache
def _leading_qualifiers() -> re.Pattern[str]:
    words = "|".join(sorted(gazetteer.words("leading_qualifiers.tsv"), key=len, reverse=True))
    return re.compile(rf"^(?:{words})+")


@cache
def _branch() -> re.Pattern[str]:
    return re.compile("|".join(sorted(gazetteer.words("branch_words.tsv"), key=len, reverse=True)))


def _branch_end(text: str, end: int) -> int:
    """安徽科技大市场六安市场, …研究院合肥分院: a place and a branch word after a name make the branch's name."""
    window = text[end : end + 10]
    places = [
        len(word)
        for last, (word, entries) in gazetteer_automaton().iter(window)
        if last + 1 == len(word) and entries[0].codes
    ]
    for length in sorted(places, reverse=True):
        branch = _branch().match(window, length)
        if branch and window[branch.end() : branch.end() + 1] not in ("城", "区", "镇"):  # 中心城区 is no branch
            return end + branch.end()
    return end


def _shared_prefix(text: str, start: int, surface: str, entity_type: str) -> str:
    """省科技成果转化奖、科技进步奖: a programme listed as a bare kind after one of the same kind shares its place."""
    if entity_type != "Program" or text[start - 1 : start] != "、" or text[start - 2 : start - 1] != surface[-1]:
        return ""
    item_start = max(text.rfind(mark, 0, start - 1) for mark in "，,。；;：:、\n") + 1
    item_start += last_boundary(text[item_start : start - 1])
    match = _SHARED_PLACE.match(text, item_start, start - 1)
    return match.group() if match and surface in gazetteer.words("program_suffixes.tsv") else ""


@cache
def _continuations() -> tuple[tuple[str, str], ...]:
    return tuple((row[0], row[1]) for row in gazetteer.vocabulary("suffix_continuations.tsv"))


def _ends_a_word(text: str, end: int, suffix: str) -> bool:
    """布局, 举办: a word of its own, longer than the suffix, ends at `end`, so the suffix ends no name (财政局 is
    no 政局)."""
    window = text[max(0, end + 1 - MAX_HELD_WORD) : end + 1]
    held = gazetteer.word_automaton("suffix_held_words.tsv")
    return any(last == len(window) - 1 and length > len(suffix) for last, length in held.iter(window))


def _continues_as_word(text: str, end: int, suffix: str) -> bool:
    following = text[end + 1 : end + 2]
    return bool(following) and any(suffix.endswith(ending) and following in chars for ending, chars in _continuations())


def _last_body_start(prefix: str) -> int:
    """嘉兴市科学技术局嘉兴市财政局…: issuers written one after another; the last body starts at the last full
    area name that follows the end of another body's name."""
    starts = [
        last + 1 - len(word)
        for last, (word, entries) in gazetteer_automaton().iter(prefix)
        if entries[0].codes and not entries[0].short and last + 1 - len(word) > 0
    ]
    return max((s for s in starts if prefix[s - 1] in _BODY_ENDINGS), default=0)


def _known_name_ending_at(text: str, start: int, end: int) -> int:
    """复制推广郑洛新国家自主创新示范区: a name the official lists know, ending with the suffix, starts the name."""
    known = [
        start + last + 1 - len(word)
        for last, (word, entries) in gazetteer_automaton().iter(text[start:end])
        if start + last + 1 == end and not entries[0].codes and last + 1 - len(word) > 0
    ]
    first = min(known, default=start)
    return start if _ends_with_place(text[start:first]) else first  # 三明中关村科技园: a park of 三明


def _ends_with_place(text: str) -> bool:
    return any(
        last + 1 == len(text) and entries[0].codes for last, (_, entries) in gazetteer_automaton().iter(text)
    ) or bool(PLACE_PREFIX.fullmatch(text))


def _names_a_body(surface: str, suffix: str) -> bool:
    """A government body is named by its place (or the Party, the State Council), with more than a one-character
    body after it (山东省厅 is no name), and not for every county at once (县（市、区）人民政府)."""
    if not (_AGENCY_START.match(surface) or starts_with_area(surface)) or _LEVELS_IN_BRACKETS.search(surface):
        return False
    body = surface[leading_area_length(surface) :]
    return suffix not in _SINGLE_CHARACTER_BODY or len(_RELATIVE_PLACE.sub("", body)) >= len(suffix) + 2


def _drop_unbalanced_start(text: str, start: int, end: int) -> tuple[int, int]:
    """各县(市、区)科技局: a name cannot begin inside brackets or a quote it does not open."""
    surface = text[start:end]
    for opening, closing in (("(", ")"), ("（", "）"), ("“", "”")):
        close_at = surface.find(closing)
        if close_at >= 0 and opening not in surface[:close_at]:
            return start + close_at + 1, end
        open_at = surface.rfind(opening)
        if open_at >= 0 and closing not in surface[open_at:]:
            return start + open_at + 1, end  # 院校（不包括二级学院: nor before a bracket it leaves open
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
        if not NAME_CHAR.match(char):
            break
        start -= 1
    start = _with_leading_digits(text, start, floor)
    if start == floor > 0 and NAME_CHAR.match(text[floor - 1]):
        start = _next_word_start(text, floor)  # 布|局海洋…: a walk stopped by its length starts at a word
    prefix = text[start:suffix_start]
    count = _COUNT.match(prefix) or _OUTLINE_MARKER.match(prefix)
    if count is None and start > 0 and text[start - 1].isdigit():
        count = _AFTER_DIGITS.match(prefix)
    cut = count.end() if count else 0
    opening = prefix.find("“")
    # 干部联系群众“双联系”制度: before its quoted part, a name has only its place (…和省“151”人才工程)
    if opening > 0 and not is_place_word(prefix[last_boundary(prefix[:opening]) : opening]):
        cut = opening
    if start == 0 or text[start - 1] != "“":  # 省“重点外国专家项目”: an opening quote marks where the name begins
        cut = max(cut, last_boundary(prefix, text[suffix_start : suffix_start + 2]))
    cut += after_verb_before_name(prefix[cut:])
    return start + cut + first_place(prefix[cut:])


def _next_word_start(text: str, position: int) -> int:
    """The first word start at or after `position`, words cut with the characters before it in view."""
    context = max(0, position - MAX_HELD_WORD)
    offset = context
    for word in words_of(text[context : position + MAX_PREFIX]):
        if offset >= position:
            return offset
        offset += len(word)
    return position


def _with_leading_digits(text: str, start: int, floor: int) -> int:
    """5G产业示范基地, 3D打印研究院: digits that a Latin letter follows are a term of the name, not a count."""
    if start >= len(text) or not ("A" <= text[start] <= "Z" or "a" <= text[start] <= "z"):
        return start
    unit = _UNIT_LETTERS.match(text, start)
    if unit and start > 0 and text[start - 1].isdigit():
        return unit.end()  # 3GW电子材料产业园: a capacity before the name
    while start > floor and text[start - 1].isdigit():
        start -= 1
    return start


def _is_marked(surface: str) -> bool:
    """A weak suffix (活动, 机制) names a programme only when quoted, or tied to a place with words of its own
    (杭州市科技活动, 金华市人才发展体制机制 are a place's kind of activity)."""
    if "”" in surface:
        return True
    place = places.relative_prefix().match(surface)  # 市场化引才机制 is no 市's
    length = place.end() if place else leading_area_length(surface)
    award = surface.endswith("奖")  # 省科技成果转化奖: a place's award is a named one whatever its words
    stem = _before_core_suffix(surface[length:])
    # however many general words (人才发展体制, 优秀人才选拔培养), a place's mechanism or activity is a kind of one
    return length > 0 and (award or not (stem == "" or general_phrase(stem)) or _known(stem))


def _builds_something(surface: str, suffix: str) -> bool:
    """A 工程 whose name holds a facility or a capacity is a construction project (…水利枢纽主体工程, 一期工程)."""
    stem = surface[: len(surface) - len(suffix)]
    return suffix.endswith("工程") and (any(word in stem for word in _facility_words()) or bool(_CAPACITY.search(stem)))


@cache
def _facility_words() -> frozenset[str]:
    return gazetteer.words("facility_words.tsv")


def _is_generic(surface: str, suffix: str, entity_type: str, quoted: bool = False) -> bool:
    generic = gazetteer.words("generic_phrases.tsv")
    if quoted:  # 省“重点外国专家项目”: quotation marks make a name of what would otherwise be a kind
        return surface in generic or surface == suffix
    bare = _leading_qualifiers().sub("", surface.strip(QUOTES))
    place_length = leading_area_length(surface)
    if entity_type in ("Platform", "Program") and place_length and surface[place_length : place_length + 1] == "级":
        return True  # 嘉兴市级众创空间, 平湖市级重大科技计划: the class a city certifies, no one of them
    if entity_type == "Platform" and _OWN_ZONE.fullmatch(surface):
        return False  # 市开发区, 我市高新区, 高新区: a city has one such zone, so this names it
    if surface in generic or bare in generic:
        return True
    if entity_type == "Platform":
        unqualified, bare = bare, _RELATIVE_PLACE.sub("", bare)
        if unqualified == bare != surface and only_descriptive_words(bare[: len(bare) - len(suffix)]):
            return True  # 国家创新型科技园区, 各类专业化孵化器: a title or a kind, qualified, is still no name
        if suffix in _certified_classes() and _is_certified_class(bare, suffix):
            return True  # 省科技企业孵化器, 丹东市专业技术创新中心: a class the province or city certifies
        if bare == surface and only_descriptive_words(bare[: len(bare) - len(suffix)]):
            return True  # 特色产业园, 专业化科技企业孵化器: a kind of platform, no name
        placed = _PLACED.match(surface) or starts_with_area(surface)
        kind = _platform_types().get(suffix, "")
        if kind in _GENERAL_KINDS and not placed and _general_stem(bare[: len(bare) - len(suffix)]):
            return True  # 人工智能产业园区, 公众开放实验室: a kind of park or lab in general words, no place to name it
    elif entity_type == "Program":
        stem = bare[: len(bare) - len(suffix)]
        if stem in _program_suffixes():
            return True  # 行动计划专项资金: the funds of some plan, named by nothing
        if not _PLACED.match(bare) and _general_stem(_before_core_suffix(bare)):
            return True  # 产业基金, 人才工程, 年度工作计划: a kind of scheme in general words, no place to make it one
    elif entity_type == "Institution" and not (_PLACED.match(bare) or starts_with_area(bare)):
        return _general_stem(bare[: len(bare) - len(suffix)])  # 老年大学, 综合医院, 企业研究院: kinds, no names
    elif entity_type == "Enterprise":
        stem = _RELATIVE_PLACE.sub("", bare[leading_area_length(bare) :])
        modifiers = stem[: len(stem) - len(suffix)]
        if len(_RELATIVE_PLACE.sub("", surface[leading_area_length(surface) :])) - len(suffix) < 2:
            return True  # 分行, 子公司, 大集团: no name before the kind
        if suffix in _BRANCHES:
            return _branch_of_no_company(modifiers)
        return only_descriptive_words(modifiers)  # 企业集团, 村镇银行, 市属国企集团: kinds
    elif _RELATIVE_PLACE.match(bare):
        return False  # 市政府, 省科技进步奖: the document's own body or award
    if bare == suffix:
        return True
    return len(bare) - len(suffix) < 2 and suffix not in ("政府", "科委", "科协")


def _names_a_place(surface: str) -> bool:
    """海峡两岸（福州）农业合作试验区, 市人才工程: a place, named or relative, anywhere in the name."""
    return bool(_PLACED.match(surface)) or any(
        entries[0].codes for _, (_, entries) in gazetteer_automaton().iter(surface)
    )


def _branch_of_no_company(modifiers: str) -> bool:
    """6家银行贵阳分行: a branch of a kind of company (the 银行 before the branch's place) names none of them."""
    hits = gazetteer_automaton().iter(modifiers)
    place_starts = [end + 1 - len(word) for end, (word, entries) in hits if entries[0].codes]
    parent = modifiers[: max(place_starts)] if place_starts else modifiers
    return parent in _enterprise_suffixes() or only_descriptive_words(parent)


@cache
def _enterprise_suffixes() -> frozenset[str]:
    return gazetteer.words("enterprise_suffixes.tsv")


def _before_core_suffix(name: str) -> str:
    """What a programme's name says before its kind (高新技术企业培育 of …培育计划, whose kind is 计划)."""
    core = min((s for s in _program_suffixes() if name.endswith(s)), key=len, default="")
    return name[: len(name) - len(core)]


def _general_stem(stem: str) -> bool:
    """Nothing, or one or two words of general Chinese (人才, 年度工作, 产业): no name. A name the gazetteers know
    (科技部 of 科技部高端外国专家项目) is no general word."""
    if not stem:
        return True
    return len(words_of(stem)) <= MAX_GENERAL_WORDS and not _known(stem) and general_phrase(stem)


def _known(stem: str) -> bool:
    return any(gazetteer_automaton().exists(word) for word in words_of(stem))


def _is_certified_class(bare: str, suffix: str) -> bool:
    """Only a place and common words before the suffix (大庆市工程技术研究中心, 省科技企业孵化器); a place and 实验室
    alone is a named lab (江夏实验室)."""
    modifiers = bare[leading_area_length(bare) : len(bare) - len(suffix)]
    return only_descriptive_words(modifiers) or (not modifiers and suffix != "实验室" and bare != suffix)


@cache
def _program_suffixes() -> frozenset[str]:
    return gazetteer.words("program_suffixes.tsv")
