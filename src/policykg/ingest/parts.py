"""A document's genre, and its parts: what looks back (review), what plans ahead (plan), the rest (other).

A 政府工作报告 reviews the past year (or five) and plans the coming one; a 工作要点 plans, sometimes
after a look back; a 工作总结 only reviews; a regulation neither. Facts are read differently in each
part (a number in a review is a result, in a plan a target), so every fact can say where it stands.

The genre comes from the document's own title (the one in 《》 when a notice issues it) by the
genre's title words (lexicon/data/genre_words.tsv), else from how the text opens (各位代表 …,
制定本办法). Parts come from headings: numbered ones (outline.py) and the short unnumbered lines
work reports use (**2017年工作回顾**), read with the genre's heading words
(lexicon/data/part_headings.tsv) and the year the document plans, since 2016年主要工作 plans in a
2016 report and reviews in a 2017 one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from policykg.ingest.record import GENRES, PART_KINDS, Part, Section
from policykg.lexicon import gazetteer

GENRE_WORDS_FILE = "genre_words.tsv"
PART_HEADINGS_FILE = "part_headings.tsv"
HEADS_FILE = "heads_of_government.tsv"  # 省长, 市长 …: who delivers a work report
HEADING_MAX = 40  # an unnumbered heading is a short line of its own
OPENING = 2000  # how a document opens (its address, its purpose) sits in its first characters

_FIVE_YEAR_PLANS = {"十五": 2001, "十一五": 2006, "十二五": 2011, "十三五": 2016, "十四五": 2021, "十五五": 2026}
# A five-year plan named: quoted (“十三五”), or before what only a plan period is followed by (十三五时期).
_FIVE_YEAR = re.compile(
    r"(?<![一二三四五六七八九十第])(十[一二三四五]?五)(?:[”\"』」]|(?=规划|时期|期间|期末|以来|发展|回顾|目标|$|[和及与、]))"
)
# A year as a heading writes it (2018年, 二〇一八年); not a range's end (2021—2025年) nor a vision (2035年远景).
_YEAR = re.compile(
    r"(?<![\d〇○零一二三四五六七八九—\-~至到])((?:19|20)\d\d|[一二][〇○零一二三四五六七八九]{3})\s*年(?!\s*远景)"
)
_CN_DIGIT = {ch: i for i, ch in enumerate("〇一二三四五六七八九")} | {"○": 0, "零": 0}
_PAST = re.compile(r"去年|上年|前一年|本届")
# Brackets a title ends with that do not name its genre: （试行）, （2017年修订）, （征求意见稿）.
_TRAILING_NOTE = re.compile(r"(?:[（(][^（）()]{1,12}[）)]|\s)+$")
_ISSUED = re.compile(r"印发|转发|颁布|公布")
_QUOTED = re.compile(r"《([^《》]{2,80})》")
_PARAGRAPH = re.compile(r"(?m)^[ \t\u3000*]*([^\n，。：；,:;]{2,60})[，。：；,:;]")  # a line's first clause
_YEAR_NOUN = re.compile(r"年$")  # a heading about a year: 攻坚奋斗的2022年, 收官之年
_FULL_DATE = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日")
_CJK = re.compile(r"[\u4e00-\u9fff]")
_REPORT_TITLE = re.compile(r"报告$")
_SENTENCE = re.compile(r"[。；;！!？?]")
_MARKER = re.compile(r"^(?:[一二三四五六七八九十]+[、．.]|[（(][一二三四五六七八九十]+[）)])\s*")
# A work report opens by addressing the congress: 各位代表 … 向大会报告工作 / 请予审议.
_ADDRESS = re.compile(r"各位代表|报告工作|请予审议|一并审议|向大会(?:作|报告)|人民代表大会[^。\n]{0,20}会议上")
_DRAWN_UP = re.compile(r"(?:特|现)?制定本([\u4e00-\u9fff]{1,6}?)(?:[。，,；]|$)")
_ARTICLES = re.compile(r"(?m)^[ \t\u3000]*第[一二]条")
_TASK_COLUMNS = re.compile(
    r"(?:序号|任务|工作内容|具体措施|主要措施)[^\n。]{0,40}\n?[^\n。]{0,40}(?:责任|牵头|配合)(?:单位|部门)"
)


# ---------------------------------------------------------------- genre


def document_genre(text: str, title: str | None) -> str:
    """One of record.GENRES, from the title's words, else from how the text opens."""
    opening = text[:OPENING]
    for name in _own_titles(title):
        genre = _genre_of_title(name)
        if genre == "review" and "工作报告" in name and _has_plan_heading(text):
            return "work-report"  # a report to a congress that plans as well as reviews
        if genre:
            return genre
    if _reads_as_work_report(text, opening):
        return "work-report"
    if _TASK_COLUMNS.search(opening):
        return "task-table"
    drawn_up = _DRAWN_UP.search(opening)
    if drawn_up:
        genre = _genre_of_title(drawn_up.group(1))
        if genre in ("plan", "regulation"):
            return genre
    if len(_ARTICLES.findall(text)) >= 2:
        return "regulation"
    return "other"


def _reads_as_work_report(text: str, opening: str) -> bool:
    """Two of a work report's marks: its address (各位代表, 请予审议), delivery line, speaker (市长 某某),
    or, with no title at all, a first heading that looks back followed by one that plans."""
    marks = set(_ADDRESS.findall(opening)) | ({"speaker"} if speaker_line().search(opening) else set())
    if len(marks) >= 2:
        return True
    kinds = [_direction(h.title, None) for h in _headings(text, []) if h.level <= 1]
    decided = [kind for kind in kinds if kind]
    return decided[:1] == ["review"] and (len(marks) == 1 or "plan" in decided)


@cache
def speaker_line() -> re.Pattern[str]:
    """A work report's speaker line: (place, title) of 某市人民政府市长 某某, 省长 某某, 自治区主席 某某."""
    titles = "|".join(sorted((t for t, _ in gazetteer.vocabulary(HEADS_FILE)), key=len, reverse=True))
    return re.compile(
        rf"(?m)^[\s—－─-]*([\u4e00-\u9fff]{{0,20}}?)(?:人民政府)?(?:代理|代)?({titles})[\u4e00-\u9fff·\s]{{0,8}}$"
    )


def _own_titles(title: str | None) -> list[str]:
    """The titles that say what the document is: the one a notice issues (《…》) first, then its own."""
    if not title:
        return []
    issued = _QUOTED.findall(title) if _ISSUED.search(title) else []
    return [*issued, title]


def _genre_of_title(title: str) -> str | None:
    name = _TRAILING_NOTE.sub("", title.strip("《》“”\"' \t"))
    for word, genre, match in _genre_words():
        if (match == "any" and word in name) or (match == "end" and name.endswith(word)):
            return genre
    return None


@cache
def _genre_words() -> tuple[tuple[str, str, str], ...]:
    rows = tuple((word, genre, match) for word, genre, match in gazetteer.vocabulary(GENRE_WORDS_FILE))
    unknown = {genre for _, genre, _ in rows} - set(GENRES)
    if unknown:
        raise ValueError(f"{GENRE_WORDS_FILE}: genres not in record.GENRES: {sorted(unknown)}")
    return rows


def _has_plan_heading(text: str) -> bool:
    return any(_direction(h.title, None, strong_only=True) == "plan" for h in _headings(text, []))


# ---------------------------------------------------------------- parts

# The kind a document's text has where no heading says otherwise.
_DEFAULT_KIND = {
    "plan": "plan",
    "task-table": "plan",
    "review": "review",
    "regulation": "other",
    "work-report": "other",
    "other": "other",
}
_HEADED = ("plan", "work-report", "task-table")  # genres whose headings can open parts of another kind


@dataclass(frozen=True)
class _Heading:
    start: int
    level: int  # 0 for an unnumbered heading line, else the outline's level
    title: str


def document_parts(text: str, sections: list[Section], genre: str, year: int | None) -> list[Part]:
    """Non-overlapping parts covering the text, each opened by the heading that says what it is.

    `year` is the year the document plans (its metadata year); without it, the headings' own years
    say it (2017年工作回顾 → 2018)."""
    default = _DEFAULT_KIND.get(genre, "other")
    if not text or genre not in _HEADED:
        return [Part(kind=default, start=0, end=len(text), heading="")]
    headings = _headings(text, sections)
    if genre != "work-report":  # a plan's look back is a part of its own (一、2022年工作总结), not one of its items
        headings = [h for h in headings if h.level <= 1]
    if year is None:
        year = _year_from_headings(headings)
    opened = _opening_kinds(headings, default, year)
    if genre == "work-report":
        opened = _with_unheaded_parts(text, _with_unheaded_review(text, opened), year)
    else:  # a plan is plan throughout, but for a look back its headings announce (一、2022年工作总结)
        kept = [opened[0], *(o for o in opened[1:] if o[1] != "other")]
        opened = [o for i, o in enumerate(kept) if i == 0 or o[1] != kept[i - 1][1]]
    return _spans(opened, len(text))


def part_at(parts: list[Part], offset: int) -> str | None:
    """The kind of the part an offset falls in (parts as document_parts gives them), None outside all."""
    low, high = 0, len(parts)
    while low < high:  # parts are sorted and do not overlap: bisect on their ends
        middle = (low + high) // 2
        if parts[middle]["end"] <= offset:
            low = middle + 1
        else:
            high = middle
    if low < len(parts) and parts[low]["start"] <= offset:
        return parts[low]["kind"]
    return None


def _headings(text: str, sections: list[Section]) -> list[_Heading]:
    """Numbered headings (enumerations such as 一是 and a regulation's articles left out) and unnumbered ones."""
    numbered = {
        s["start"]: _Heading(s["start"], s["level"], s["title"])
        for s in sections
        if not s["marker"].endswith("是") and not s["marker"].endswith("条")
    }
    found = dict(numbered)
    position = 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip(" \t\u3000\xa0\r\n*#")
        start = position + line.find(stripped[:1]) if stripped else position
        position += len(line)
        if not stripped or start in numbered or len(stripped) > HEADING_MAX:
            continue
        if _SENTENCE.search(stripped.rstrip("：:")) or _FULL_DATE.search(stripped):
            continue  # a sentence, or a signature (某局2017年8月4日)
        level = 1 if _MARKER.match(stripped) else 0  # numbered, though the outline did not take it
        found.setdefault(start, _Heading(start, level, _MARKER.sub("", stripped).rstrip("：:")))
    return sorted(found.values(), key=lambda h: h.start)


@cache
def _cues() -> dict[tuple[str, str], re.Pattern[str]]:
    """(strength, kind) → the heading words of that kind and strength, as one pattern."""
    rows = gazetteer.vocabulary(PART_HEADINGS_FILE)
    unknown = {kind for _, kind, _ in rows} - set(PART_KINDS)
    if unknown:
        raise ValueError(f"{PART_HEADINGS_FILE}: kinds not in record.PART_KINDS: {sorted(unknown)}")
    words: dict[tuple[str, str], list[str]] = {}
    for word, kind, strength in rows:
        words.setdefault((strength, kind), []).append(re.escape(word))
    return {key: re.compile("|".join(found)) for key, found in words.items()}


def _direction(title: str, year: int | None, strong_only: bool = False) -> str | None:
    """The part a heading opens, or None when it does not say (a topic heading, 推进科技创新)."""
    strong = _cue_kinds(title, "strong")
    if "review" in strong:
        return "review"  # 2017年工作回顾和2018年工作安排 opens with the look back
    if "other" in strong:
        return "other"
    timing = _timing(title, year)
    weak = _cue_kinds(title, "weak") | ({"plan"} if _YEAR_NOUN.search(title) and timing else set())
    if timing == "review" and (strong or weak):
        return "review"  # 2015年主要工作 in a 2016 report
    if strong:
        return "plan"
    if strong_only or not weak:
        return None
    if timing:
        return timing
    if year is None and (years_named(title) or period_named(title)):  # a time named, but which way is unknown
        return "review" if "review" in weak else "plan"  # “十一五”时期取得重大成就; 2016年主要工作
    return None


def _cue_kinds(title: str, strength: str) -> set[str]:
    title = title.replace("今年以来", "以来")  # since this year began: a look back, not this year's plan
    return {kind for (cue_strength, kind), words in _cues().items() if cue_strength == strength and words.search(title)}


def _timing(title: str, year: int | None) -> str | None:
    """Whether a heading's year or period lies before the year planned (review) or not (plan)."""
    if _PAST.search(title):
        return "review"
    if year is None:
        return None
    years = years_named(title)
    if years:
        return "review" if max(years) < year else "plan"
    period = period_named(title)
    if period is not None:
        return "review" if period[1] < year else "plan"
    return None


def years_named(text: str) -> list[int]:
    """The years a heading or title names on their own (2018年, 二〇一八年), not a range's end nor a vision's."""
    return [int(y) if y.isdecimal() else int("".join(str(_CN_DIGIT[ch]) for ch in y)) for y in _YEAR.findall(text)]


def period_named(text: str) -> tuple[int, int] | None:
    """The first and last year of the five-year plan a heading names (“十三五”时期 → 2016, 2020)."""
    match = _FIVE_YEAR.search(text)
    if match is None or match.group(1) not in _FIVE_YEAR_PLANS:
        return None
    first = _FIVE_YEAR_PLANS[match.group(1)]
    return first, first + 4


def _year_from_headings(headings: list[_Heading]) -> int | None:
    """The year planned, by the headings: 2018年工作安排 → 2018, 2017年工作回顾 → 2018, “十五”回顾 → 2006."""
    planned = []
    for heading in headings:
        if heading.level > 1:
            continue
        direction = _direction(heading.title, None)
        years = years_named(heading.title)
        period = period_named(heading.title)
        if direction == "plan" and years:
            planned.append(max(years))
        elif direction == "review" and years:
            planned.append(max(years) + 1)
        elif direction == "review" and period and "以来" not in heading.title:
            planned.append(period[1] + 1)
    return max(planned) if planned else None


def planned_year(parts: list[Part], near: int | None) -> tuple[int, str, bool] | None:
    """(year, heading, whether the heading states it) of the year a work report plans: the year its plan
    heading names (2018年工作安排), else one after the year its review heading names (2017年工作回顾, or
    the last of a five-year plan: “十五”时期回顾 → 2006), else the first year of the five-year plan its plan
    heading names. `near` (the delivery year) keeps years far from it out (2035年远景, 2013年以来)."""

    def close(year: int) -> bool:
        return near is None or abs(year - near) <= 1

    headed = [(p["kind"], p["heading"]) for p in parts if p["heading"]]
    for kind, heading in headed:
        years = [y for y in years_named(heading) if close(y)]
        if kind == "plan" and len(years) == 1:
            return years[0], heading, True
        if kind == "review" and years and _mixed(heading, near):
            return max(years), heading, True  # 2013年工作回顾和2014年工作总体要求
    for kind, heading in headed:
        period = period_named(heading)
        after = [y + 1 for y in years_named(heading) if close(y + 1)]
        if not after and period and "以来" not in heading and close(period[1] + 1):
            after = [period[1] + 1]
        if kind == "review" and after:
            return max(after), heading, False
    for kind, heading in headed:
        period = period_named(heading)
        if near is None and kind == "plan" and period:
            return period[0], heading, False
    return None


def _opening_kinds(headings: list[_Heading], default: str, year: int | None) -> list[tuple[int, str, str]]:
    """(start, kind, heading) for every heading that says what it opens, even the kind it continues
    (过去五年工作回顾, 今后五年的目标任务, 2008年的工作: the last names the year planned).

    A top heading (unnumbered, or numbered at level 1) that says what it opens decides for everything
    under it; one that mixes (2017年工作回顾和2018年工作安排) or does not say lets its subheadings decide."""
    opened: list[tuple[int, str, str]] = [(0, default, "")]
    decided_level: int | None = None  # the level of the top heading that decided, while its section lasts
    for heading in headings:
        if _REPORT_TITLE.search(heading.title):
            continue  # the report's own title (2018年政府工作报告) opens nothing
        top = heading.level <= 1
        if decided_level is not None and heading.level > decided_level:
            continue  # inside a section its heading already decided
        direction = _direction(heading.title, year, strong_only=not top)
        # an unnumbered heading over numbered ones (**2006年工作安排**, then 一、…) leaves them free
        if heading.level == 1:
            decided_level = heading.level if direction and not _mixed(heading.title, year) else None
        if direction:
            opened.append((heading.start, direction, heading.title))
    return opened


def _mixed(title: str, year: int | None) -> bool:
    """A heading that names a look back and a plan (…成就和2021年主要工作)."""
    kinds = _cue_kinds(title, "strong")
    return "review" in kinds and ("plan" in kinds or _timing(title, year) == "plan")


def _with_unheaded_review(text: str, opened: list[tuple[int, str, str]]) -> list[tuple[int, str, str]]:
    """A work report whose first heading plans reviews before it, from the end of its address on."""
    if len(opened) < 2 or opened[0][1] != "other" or opened[1][1] != "plan":
        return opened
    first_plan = opened[1][0]
    addresses = list(_ADDRESS.finditer(text, 0, min(first_plan, OPENING)))
    if not addresses:
        return opened
    body = text.find("\n", addresses[-1].end())
    if body == -1 or body >= first_plan or not _CJK.search(text, body, first_plan):
        return opened
    return [opened[0], (body + 1, "review", ""), *opened[1:]]


def _with_unheaded_parts(text: str, opened: list[tuple[int, str, str]], year: int | None) -> list[tuple[int, str, str]]:
    """A work report whose headings never say they look back or plan (岳阳阔步迈入高质量发展新时代) does so
    in its paragraphs' first words: 过去的一年，… / 2019年，… opens its review, 今年是… / 2020年是… its plan."""
    kinds = {kind for _, kind, _ in opened}
    for wanted in ("review", "plan"):
        if wanted in kinds:
            continue
        after = max((start for start, kind, _ in opened if kind == "review"), default=0) if wanted == "plan" else 0
        before = min((start for start, kind, _ in opened if kind == "plan"), default=len(text))
        found = _paragraph_opening(text, wanted, year, after, before if wanted == "review" else len(text))
        if found is not None:
            opened = sorted([*opened, (found, wanted, "")], key=lambda o: o[0])
    return opened


def _paragraph_opening(text: str, wanted: str, year: int | None, start: int, end: int) -> int | None:
    """Where the first paragraph between two offsets whose first clause looks back (or plans) begins."""
    for paragraph in _PARAGRAPH.finditer(text, start, end):
        clause = paragraph.group(1)
        if len(clause) <= HEADING_MAX and _direction(clause, year) == wanted:
            return paragraph.start(1)
    return None


def _spans(opened: list[tuple[int, str, str]], length: int) -> list[Part]:
    parts: list[Part] = []
    for i, (start, kind, heading) in enumerate(opened):
        end = opened[i + 1][0] if i + 1 < len(opened) else length
        if end > start:
            parts.append(Part(kind=kind, start=start, end=end, heading=heading))
    return parts
