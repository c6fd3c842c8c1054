"""Document metadata as GUIDELINES.md defines it, each field with how it was found.

Sources, strongest first: the header labels government sites print above a document
(发布机构, 文号, 成文日期 …), the masthead (XX文件) and the 文号 under it, the title and the
issuing body before 关于, the signature block (issuer, then a date), and what the genre's own
header says: a work report's delivery line (——2018年1月10日在某市第五届人民代表大会第二次会议上),
speaker and address (我代表市人民政府), a regulation's adoption lines (…常务委员会第X次会议通过).
The year is the one the document plans: for a work report, the year its plan part's heading
names (or one after the year its review part reviews, or its delivery date); for a plan, its
title's year (a multi-year plan: the year it was issued, else its first year). A document that
never names its place gets the place its counties, districts and cities point to, at the level
it speaks of itself (全省 or 全市).

Every field's provenance says where it came from: `header:<label>`, `title`, `signature`,
`body:<what>`, or `inference:<why>` for a value the text implies without stating it. A repost
line (来源…时间:) never gives the date, and a 文号 cited in the body is never the document's own.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache

import ahocorasick

from policykg.ingest import numerals
from policykg.ingest.outline import extract_outline
from policykg.ingest.parts import HEADS_FILE, document_genre, document_parts, planned_year, speaker_line, years_named
from policykg.ingest.record import DocumentMeta, Part, Section
from policykg.lexicon import gazetteer, places

HEAD_LINES = 30  # the header, masthead, title and notice of a document sit in its first lines
TAIL_LINES = 12  # the signature block of a document without a notice sits in its last lines
OPENING = 1500  # a work report's delivery line, speaker and address, a regulation's adoption lines

# Header labels: the field they give, in order of trust for that field.
_LABELS = {
    "索引号": "index",
    "文号": "doc_number",
    "发文字号": "doc_number",
    "字号": "doc_number",
    "文件编号": "doc_number",
    "备注/文号": "doc_number",
    "发布机构": "issuer",
    "发文单位": "issuer",
    "发文机关": "issuer",
    "发布单位": "issuer",
    "制发机关": "issuer",
    "成文日期": "date",
    "发文日期": "date",
    "印发日期": "date",
    "公文生成日期": "date",
    "生成日期": "date",
    "发布日期": "date",
    "名称": "title",
    "标题": "title",
    "来源": "source",
    "时间": "repost_time",
    "发布时间": "repost_time",
    "主题分类": "other",
    "有效性": "other",
    "主题词": "other",
    "体裁分类": "other",
}
_NUMBER_LABELS = ("文号", "发文字号", "字号", "文件编号", "备注/文号")
_ISSUER_LABELS = ("发布机构", "发文机关", "发文单位", "发布单位", "制发机关")
_DATE_LABEL_RANK = ("成文日期", "发文日期", "印发日期", "公文生成日期", "生成日期", "发布日期")
_LABEL_RE = re.compile(
    "(?:^|(?<=[\\s•·|]))("
    + "|".join(r"\s*".join(map(re.escape, label)) for label in sorted(_LABELS, key=len, reverse=True))
    + r")\s*[:：]"
)

_DOC_NUMBER = re.compile(
    r"([\u4e00-\u9fff]{1,12}?)\s*[〔\[［【(（﹝〖]\s*((?:19|20)\d\d)\s*[〕\]］】)）﹞〗]"
    r"\s*(?:第\s*)?(\d{1,5})\s*号"
)
_DOC_NUMBER_LINE = re.compile(r"^\s*" + _DOC_NUMBER.pattern + r"\s*$")
# A regulation is numbered by the announcement that promulgates it.
_ANNOUNCEMENT = re.compile(
    r"((?:[\u4e00-\u9fff]{2,12}?第[一二三四五六七八九十]+届)?[\u4e00-\u9fff]{0,20}?公告)\s*[（(]?\s*第\s*(\d{1,4})\s*号"
)

_DATE = re.compile(r"((?:19|20)\d\d)\s*(?:年|-|/|\.)\s*(\d{1,2})\s*(?:月|-|/|\.)\s*(\d{1,2})\s*日?")
_CN_DATE = re.compile(
    r"([〇○零O一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,3})\s*日"
)
_ANY_DATE = "(?:" + _DATE.pattern + "|" + _CN_DATE.pattern + ")"
_DATE_LINE = re.compile(r"^\s*[（(]?\s*" + _ANY_DATE + r"\s*[）)]?\s*$")
# A signature run into one line: the issuer, then the date (…人民政府办公室2016年11月15日), not a print date (…印发).
_DATED = re.compile(_ANY_DATE + r"(?!\d)")
_SIGNER = re.compile(r"([\u4e00-\u9fff]{2,40})\s*$")  # the words just before a date
_PRINTED = re.compile(r"[日\s]*印发")  # a print line's date (…2016年11月16日印发), not the signing

_TITLE_WORDS = (
    "通知",
    "要点",
    "意见",
    "方案",
    "办法",
    "规划",
    "计划",
    "决定",
    "通报",
    "报告",
    "细则",
    "规定",
    "纲要",
    "措施",
    "批复",
    "公告",
    "总结",
    "安排",
    "指南",
    "条例",
    "函",
    "思路",
    "任务",
)
# A notice's title run into its addressees on one line: 关于…的通知各县（市、区）科技局：
_NOTICE_TITLE = re.compile(r"关于[^。；：:]{2,80}?的(?:" + "|".join(_TITLE_WORDS) + ")")
_AGENCY_END = re.compile(
    r"(?:局|厅|委员会|委|办公室|办公厅|办|人民政府|政府|部|中心|管委会|管理委员会|领导小组|"
    r"科学技术协会|科协|院)$"
)
_AGENCY_AT_START = re.compile(
    r"^((?:中共)?[\u4e00-\u9fff]{0,14}?(?:科学技术局|科技局|科学技术厅|科技厅|科学技术委员会|"
    r"科委|人民政府办公室|人民政府办公厅|人民政府|政府办公室|政府办|委员会|管委会|局|厅|委))"
    r"(?=关于|印发|转发|[\u4e00-\u9fff0-9《“\"])"
)
# Joint issuers written without a break (中共某县委某县人民政府): each ends as an agency does.
_AGENCY = re.compile(  # with the office that prints for it (某局办公室, 某县委办公室)
    r"(?:中共)?[\u4e00-\u9fff]{2,20}?(?:人民政府|委员会|管委会|办公室|局|厅|委(?!员))(?:办公室|办公厅)?"
)
_PARTY_COMMITTEE = re.compile(r"^(中共[\u4e00-\u9fff]{2,20}?[省市县区州旗盟])委$")  # 中共某县委 = 中共某县委员会
# A title run into what follows it on one line: its body (为…, 根据…, 第一条), or its addressees (各县（市、区）…：).
_RUN_ON_TITLE = re.compile(
    r"^([^。；：:]{4,80}?(?:" + "|".join(_TITLE_WORDS) + r")(?:[（(][^（）()]{1,12}[）)])?)"
    r"(?=为|根据|按照|现将|经[\u4e00-\u9fff]{0,6}研究|各[\u4e00-\u9fff]{1,20}[（(：:，、]|第一章|第一条)"
)
_TRAILING_NOTE = re.compile(r"(?:[（(][^（）()]{1,12}[）)]|\s)+$")
_CJK_ONLY = re.compile(r"[\u4e00-\u9fff]+")
_MASTHEAD = re.compile(r"^\s*([\u4e00-\u9fff]{2,30}?)\s*文\s*件\s*$")
_BODY_LINE = re.compile(r"[。；]")

# A work report's delivery line, speaker and address; a regulation's adoption lines.
_SESSION = (
    r"第?\s*([一二三四五六七八九十]+)\s*届\s*(?:人民代表大会|人大)\s*(常务委员会|常委会)?\s*"
    r"第?\s*([一二三四五六七八九十]+)\s*次(?:全体)?会议"
)
_DELIVERY = re.compile(_ANY_DATE + r"\s*(?:在|于)?\s*([^\n第，。、]{0,15}?)\s*" + _SESSION)
_DATED_LINE = re.compile(r"(?m)^[\s（(—－─-]*" + _ANY_DATE + r"[\s\u4e00-\u9fff·]{0,12}[）)]?\s*$")
_ADDRESS = re.compile(r"我代表\s*([\u4e00-\u9fff]{0,20}?)\s*(?:第?[一二三四五六七八九十]+届)?\s*(?:人民)?政府")
_ADOPTION = re.compile(
    _ANY_DATE + r"\s*([^\n，。]{0,30}?)\s*" + _SESSION + r"(?:[^\n，。《]{0,6}?|《[^》\n]{0,80}》)(通过|修订|修正|批准)"
)  # …会议《关于修改…的决定》修正: amended by a decision that names it
_PROMULGATION = re.compile(_ANY_DATE + r"[^\n。]{0,60}?公告[^\n。]{0,20}?公布")
CONGRESS_SESSIONS_MAX = 7  # a congress meets once a year over five: a higher session number is its standing committee's
OWN_BODIES_FILE = "own_bodies.tsv"  # 省委, 市政府 …: the leading bodies of a document's own place

_ANNIVERSARIES = (
    (re.compile(r"(?:中国共产党成立|建党|党的生日)\s*(\d{2,3}|[一二三四五六七八九十百]+)\s*周年"), 1921, "建党"),
    (
        re.compile(r"(?:新中国成立|中华人民共和国成立|建国)\s*(\d{2,3}|[一二三四五六七八九十百]+)\s*周年"),
        1949,
        "新中国成立",
    ),
    (re.compile(r"改革开放\s*(\d{2}|[一二三四五六七八九十]+)\s*周年"), 1978, "改革开放"),
)
_FIVE_YEAR = {"十一五": 2006, "十二五": 2011, "十三五": 2016, "十四五": 2021, "十五五": 2026, "十六五": 2031}
_FIVE_YEAR_CLUE = re.compile(
    r"(十[一二三四五六]五)[”\"』」]?\s*(?:时期|规划)?(?:的)?\s*"
    r"(开局之年|开局年|起步之年|第一年|开篇之年|收官之年|最后一年|决胜之年|第二年|第三年|第四年)"
)
_FIVE_YEAR_OFFSET = {
    "开局之年": 0,
    "开局年": 0,
    "起步之年": 0,
    "第一年": 0,
    "开篇之年": 0,
    "第二年": 1,
    "第三年": 2,
    "第四年": 3,
    "收官之年": 4,
    "最后一年": 4,
    "决胜之年": 4,
}
_IN_FORCE = re.compile(r"自\s*" + _ANY_DATE + r"\s*(?:起)?\s*(?:施行|实施|执行|生效)")
_YEAR_IS = re.compile(r"(?<![\d\-—~至])((?:19|20)\d\d)\s*年\s*是")
_YEAR_RANGE = re.compile(r"((?:19|20)\d\d)\s*年?\s*[-—~至到]\s*(?:19|20)?\d\d")
_SKIP_SHORT = frozenset({"城区", "郊区", "矿区", "新区", "市中", "市辖", "经开区", "高新区", "开发区", "示范区"})
_ZONE = re.compile(r"工业园|开发区|高新|新区|管理区|示范区|经济区|园区|实验区")  # their short names are generic words
COMMON_WORDS_FILE = "area_common_words.tsv"
COMMON_IDF = 8.0  # a county's short name more common than this in jionlp's IDF table is an everyday word


@dataclass(frozen=True)
class Clue:
    """A value and how it was found: header:<label>, title, signature, body:<what>, inference:<why>."""

    value: str
    how: str


@dataclass(frozen=True)
class Place:
    city: str | None
    county: str | None
    province: str | None
    how: str
    area: gazetteer.Area  # the document's own area: its county, city or province


@dataclass(frozen=True)
class Described:
    """What describe() finds: the metadata, how each field was found, and the document's parts."""

    meta: DocumentMeta
    provenance: dict[str, str]
    parts: list[Part]


def extract_metadata(text: str) -> tuple[DocumentMeta, dict[str, str]]:
    """The document's metadata and, for each field found, how it was found."""
    described = describe(text, extract_outline(text))
    return described.meta, described.provenance


def describe(text: str, sections: list[Section]) -> Described:
    """Metadata, provenance and parts of a document whose outline is known."""
    lines = _lines(text)
    head = _head(lines)
    labels = _header_labels(head)
    title = _title(head, labels)
    genre = document_genre(text, title.value if title else None)
    opening = text[:OPENING]
    header = _GenreHeader.read(opening, genre, title)

    issuer = _issuer_candidate(head, lines, labels, title)
    number = _doc_number(head, labels, opening, genre)
    published = header.date or _published(head, lines, labels)
    place = _place(text, genre, header, issuer, title)
    issuer = _resolved_issuer(genre, header, issuer, place)

    provisional = _year_before_parts(genre, title, header, published, number)
    parts = document_parts(text, sections, genre, int(provisional.value) if provisional else None)
    year = _year(text, genre, title, parts, provisional, number, published)
    if year and provisional and year.value != provisional.value:
        parts = document_parts(text, sections, genre, int(year.value))

    meta = DocumentMeta(
        title=title.value if title else None,
        city=place.city if place else None,
        province=place.province if place else None,
        year=int(year.value) if year else None,
        issuer=issuer.value if issuer else None,
        doc_number=number.value if number else None,
        published=published.value if published else None,
        county=place.county if place else None,
        genre=genre,
    )
    provenance = {
        field: clue.how
        for field, clue in (("title", title), ("issuer", issuer), ("doc_number", number), ("published", published))
        if clue
    }
    if year:
        provenance["year"] = year.how
    if place:
        for field in ("city", "county", "province"):
            if meta.get(field):
                provenance[field] = place.how
    provenance["genre"] = "title" if title and document_genre("", title.value) == genre else "body"
    return Described(meta, provenance, parts)


# ---------------------------------------------------------------- lines and header


def _lines(text: str) -> list[tuple[int, str]]:
    out, position = [], 0
    for raw in text.splitlines(keepends=True):
        stripped = raw.strip().strip("•·").strip()
        if stripped:
            out.append((position, stripped))
        position += len(raw)
    return out


def _head(lines: list[tuple[int, str]]) -> list[str]:
    """The lines before the body: at most HEAD_LINES, ending at the first outline heading."""
    head = []
    for _, line in lines[:HEAD_LINES]:
        if re.match(r"^[一二三四五六七八九十]+、", line):
            break
        head.append(line)
    return head


def _header_labels(head: list[str]) -> dict[str, str]:
    """label → value for every `label: value` pair of the header (several may share a line)."""
    labels: dict[str, str] = {}
    for line in head:
        matches = list(_LABEL_RE.finditer(line))
        for i, match in enumerate(matches):
            label = re.sub(r"\s+", "", match.group(1))
            end = matches[i + 1].start() if i + 1 < len(matches) else len(line)
            value = line[match.end() : end].strip(" \t•·|")
            if label not in labels:
                labels[label] = value
    return labels


def _is_label_line(line: str) -> bool:
    return bool(_LABEL_RE.search(line))


def _empty(value: str | None) -> bool:
    return not value or value.strip() in ("无", "空", "-", "—", "/", "暂无", "null", "None")


# ---------------------------------------------------------------- a genre's own header


@dataclass(frozen=True)
class _GenreHeader:
    """What a work report's or a regulation's opening says of its place, body, date and year."""

    place: str | None = None  # as written: 某市, 某省, or a bare 市/省 that only gives the level
    level: str | None = None  # Province, City or County, when the header says it
    body: str | None = None  # 人民政府, 人民代表大会常务委员会 or 人民代表大会
    body_how: str = ""
    date: Clue | None = None  # the delivery or promulgation date
    year: Clue | None = None  # the year the header's dates give (a regulation's last adoption)
    place_how: str = ""

    @classmethod
    def read(cls, opening: str, genre: str, title: Clue | None) -> _GenreHeader:
        if genre == "work-report":
            return cls._work_report(opening)
        if genre == "regulation":
            adopted = cls._regulation(opening)
            if adopted.body is None and title and _TRAILING_NOTE.sub("", title.value).endswith("条例"):
                return cls(body="人民代表大会常务委员会", body_how="inference:a local 条例 is its 人大常委会's")
            return adopted
        return cls()

    @classmethod
    def _work_report(cls, opening: str) -> _GenreHeader:
        places: list[tuple[str, str]] = []  # (place as written, how)
        date = None
        delivery = _DELIVERY.search(opening)
        if delivery:
            published = _parse_date(delivery.group(0))
            date = Clue(published, "header:delivery") if published else None
            places.append((delivery.group(7).strip(), "header:delivery"))
        else:
            dated = _DATED_LINE.search(opening[:300])  # （2006年1月14日 某某）: the day it was delivered
            published = _parse_date(dated.group(0)) if dated else None
            date = Clue(published, "header:date line") if published else None
        for line in opening.splitlines()[:12]:
            speaker = speaker_line().match(line.strip())
            if speaker:
                places.append((speaker.group(1) or speaker.group(2), "header:speaker"))
                break
        address = _ADDRESS.search(opening)
        if address:
            places.append((address.group(1), "body:我代表…政府"))
        named = [(p, how) for p, how in places if _area_at_start(p) is not None]
        level = next((_level_words()[p] for p, _ in places if p in _level_words()), None)
        place, how = named[0] if named else (None, "")
        body_how = "body:我代表…人民政府" if address else "inference:a work report is its government's"
        return cls(place, level, "人民政府", body_how, date, None, how)

    @classmethod
    def _regulation(cls, opening: str) -> _GenreHeader:
        adoptions = list(_ADOPTION.finditer(opening))
        own = [a for a in adoptions if a.group(11) != "批准"]
        if not own:
            return cls()
        first = own[0]
        standing = bool(first.group(9)) or (numerals.integer(first.group(10)) or 0) > CONGRESS_SESSIONS_MAX
        body = "人民代表大会常务委员会" if standing else "人民代表大会"
        written = first.group(7).strip()
        dates = [(d, a) for a in adoptions if (d := _parse_date(a.group(0)))]
        promulgated = _PROMULGATION.search(opening)
        date = None
        if promulgated:
            date = Clue(_parse_date(promulgated.group(0)) or "", "header:公布")
        elif not any(a.group(11) == "批准" for a in adoptions) and dates:
            date = Clue(max(d for d, _ in dates), "header:通过")  # no approval awaited: in force as adopted
        year = None
        if date and date.value:
            year = Clue(date.value[:4], date.how)
        elif dates:
            latest, adoption = max(dates)
            year = Clue(latest[:4], f"header:{adoption.group(11)}")
        level = _level_words().get(written)
        place = written if _area_at_start(written) else None
        return cls(place, level, body, "header:通过", date if date and date.value else None, year, "header:通过")


# ---------------------------------------------------------------- title, issuer, number, date


def _title(head: list[str], labels: dict[str, str]) -> Clue | None:
    for label in ("标题", "名称"):
        value = labels.get(label)
        if value is not None and not _empty(value):
            return Clue(value, f"header:{label}")
    for i, line in enumerate(head):
        if _is_label_line(line) or _MASTHEAD.match(line) or _DOC_NUMBER_LINE.match(line) or _DATE_LINE.match(line):
            continue
        run_on = _RUN_ON_TITLE.match(line)
        if run_on and i < 8:
            return Clue(run_on.group(1), "title")
        if _BODY_LINE.search(line) or line.endswith(("：", ":")) or len(line) > 80:
            notice = _NOTICE_TITLE.search(line[:200])
            if notice and i < 8:
                return Clue(_issuer_prefix(line[: notice.start()]) + notice.group(0), "title")
            if i > 0 and _BODY_LINE.search(line):
                break
            continue
        if "关于" in line and not line.endswith(_TITLE_WORDS) and i + 1 < len(head):
            following = head[i + 1]
            if following.endswith(_TITLE_WORDS) and not _BODY_LINE.search(following) and len(following) < 60:
                return Clue(line + following, "title")
        if _TRAILING_NOTE.sub("", line).endswith(_TITLE_WORDS) or ("关于" in line and len(line) < 80):
            return Clue(line, "title")  # 政府工作报告（摘要）, 实施办法（试行） end as their kind does
    return None


def _issuer_prefix(before: str) -> str:
    """The issuing bodies just before 关于 in a run-on header line, without the 文号 or masthead before them."""
    tail = re.split(r"号|文件|\s", before)[-1]
    return tail if _AGENCY_END.search(tail) else ""


def _issuer_candidate(
    head: list[str], lines: list[tuple[int, str]], labels: dict[str, str], title: Clue | None
) -> Clue | None:
    for label in _ISSUER_LABELS:
        value = labels.get(label)
        if value is not None and not _empty(value):
            return Clue(_issuing_bodies(value), f"header:{label}")
    for line in head:
        masthead = _MASTHEAD.match(line)
        if masthead and _AGENCY_END.search(_issuing_bodies(masthead.group(1))):
            return Clue(_issuing_bodies(masthead.group(1)), "header:masthead")
    if title:
        before = title.value.split("关于", 1)[0] if "关于" in title.value[1:] else ""
        match = _AGENCY_AT_START.match(title.value)
        if before and _AGENCY_END.search(before.strip()):
            return Clue(_issuing_bodies(before), "title")
        if match:
            return Clue(_issuing_bodies(match.group(1)), "title")
    signature = _signature(head, lines)
    if signature:
        return Clue(_issuing_bodies(signature.value), signature.how)
    source = labels.get("来源")
    if source is not None and not _empty(source):
        value = re.split(r"\s", source.strip())[0]
        if _AGENCY_END.search(value):
            return Clue(value, "header:来源")
    return None


def _issuing_bodies(value: str) -> str:
    """The issuer of a joint document: its lead body (the 文号 is the lead's), except that a party
    committee and the government of the same place issue as one (中共某县委员会、某县人民政府)."""
    parts = [p for p in re.split(r"[\s、,，]+", value.strip()) if p]
    if len(parts) == 1:
        parts = _AGENCY.findall(parts[0]) or parts
        if "".join(parts) != value.strip():
            parts = [value.strip()]
    if not parts:
        return value.strip()
    lead = parts[0]
    party = _PARTY_COMMITTEE.match(lead) or re.match(r"^(中共[\u4e00-\u9fff]{2,20}?)委员会$", lead)
    if party and len(parts) > 1:
        place = party.group(1)[2:]
        if parts[1] == place + "人民政府":
            return f"{party.group(1)}委员会、{parts[1]}"
    return lead


def _signature(head: list[str], lines: list[tuple[int, str]]) -> Clue | None:
    """An agency on the line just before a date standing on its own line, or run into it (the signature block);
    else the office on the print line (某局办公室2016年11月16日印发)."""
    candidates = [*head, *(line for _, line in lines[-TAIL_LINES:])]
    for i in range(1, len(candidates)):
        if _DATE_LINE.match(candidates[i]) or re.fullmatch(r"(?:19|20)\d{5,6}", candidates[i]):
            before = candidates[i - 1].replace(" ", "")
            if _AGENCY_END.search(before) and len(before) <= 30 and not _BODY_LINE.search(before):
                return Clue(before, "signature")
    for printed, how in ((False, "signature"), (True, "signature:印发")):
        for line in reversed(candidates):
            signed = _signed(line, printed)
            if signed:
                return Clue(signed[0], how)
    return None


def _signed(line: str, printed: bool = False) -> tuple[str, str] | None:
    """(agency, date) of a signature run into one line, such as 某县人民政府办公室2016年11月15日
    (or, `printed`, of the print line under it: 某县人民政府办公室2016年11月16日印发)."""
    for dated in _DATED.finditer(line):
        if bool(_PRINTED.match(line, dated.end())) != printed:
            continue
        signer = _SIGNER.search(line, max(0, dated.start() - 60), dated.start())
        agency = _AGENCY.findall(signer.group(1)) if signer else []
        date = _parse_date(dated.group(0))
        if signer and agency and date and signer.group(1).endswith(agency[-1]):
            return signer.group(1)[signer.group(1).find(agency[0]) :], date
    return None


def _doc_number(head: list[str], labels: dict[str, str], opening: str, genre: str) -> Clue | None:
    for label in _NUMBER_LABELS:
        value = labels.get(label)
        if value is not None and not _empty(value):
            match = _DOC_NUMBER.search(value)
            if match:
                return Clue(_canonical_number(match), f"header:{label}")
    for line in head[:12]:  # a 文号 on a line of its own under the masthead; never one cited in the body
        match = _DOC_NUMBER_LINE.match(line)
        if match:
            return Clue(_canonical_number(match), "header:文号 line")
    for line in head[:3]:  # issuers (or a masthead), 文号 and title run into one line
        number = _number_after_issuers(line)
        if number:
            return Clue(number, "header:文号 line")
    if genre == "regulation":
        announced = _ANNOUNCEMENT.search(opening)
        if announced:
            return Clue(f"{announced.group(1)}第{int(announced.group(2))}号", "header:公告")
    return None


def _number_after_issuers(line: str) -> str | None:
    """The 文号 right after the issuing bodies or masthead a line opens with (某市科学技术局某科综〔2018〕47号…)."""
    bracket = _DOC_NUMBER.search(line)
    if bracket is None:
        return None
    before = re.sub(r"^[A-Za-z0-9—\-]+", "", line[: bracket.start(2)])  # an index number (JLH00—2017—0012) first
    position = 0
    while match := _AGENCY.match(before, position):
        position = match.end()
    if before.startswith("文件", position):
        position += 2
    code = re.sub(r"\s", "", before[position:]).rstrip("〔[［【(（﹝〖")
    if position == 0 or not 1 <= len(code) <= 8 or not _CJK_ONLY.fullmatch(code):
        return None
    return f"{code}〔{bracket.group(2)}〕{int(bracket.group(3))}号"


def _canonical_number(match: re.Match[str]) -> str:
    """明科[2023]3号 and 明科（2023）第3号 are written 明科〔2023〕3号 (GB/T 9704)."""
    return f"{match.group(1)}〔{match.group(2)}〕{int(match.group(3))}号"


def _parse_date(text: str) -> str | None:
    match = _DATE.search(text)
    if match:
        year, month, day = (int(g) for g in match.groups())
    else:
        match = _CN_DATE.search(text)
        if not match:
            return None
        year = numerals.digit_sequence(match.group(1).replace("O", "〇")) or 0  # 二O二一: a letter O for 〇
        month, day = numerals.integer(match.group(2)) or 0, numerals.integer(match.group(3)) or 0
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def _published(head: list[str], lines: list[tuple[int, str]], labels: dict[str, str]) -> Clue | None:
    for label in _DATE_LABEL_RANK[:1]:
        date = _parse_date(labels.get(label) or "")
        if date:
            return Clue(date, f"header:{label}")
    candidates = [*head, *(line for _, line in lines[-TAIL_LINES:])]
    for i, line in enumerate(candidates):
        if _DATE_LINE.match(line) and i > 0:
            before = candidates[i - 1].replace(" ", "")
            if _AGENCY_END.search(before) or _MASTHEAD.match(before) or line.lstrip().startswith(("（", "(")):
                date = _parse_date(line)
                if date:
                    return Clue(date, "signature")
    for printed, how in ((False, "signature"), (True, "signature:印发")):
        for line in reversed(candidates):
            signed = _signed(line, printed)
            if signed:
                return Clue(signed[1], how)
    for label in _DATE_LABEL_RANK[1:]:
        date = _parse_date(labels.get(label) or "")
        if date:
            return Clue(date, f"header:{label}")
    return None


# ---------------------------------------------------------------- city, county and province


@cache
def _area_names() -> tuple[dict[str, list[gazetteer.Area]], ahocorasick.Automaton]:
    """Names to look for in a text: every full and former name, and short names that are unambiguous."""
    table = gazetteer.areas()
    common = gazetteer.words(COMMON_WORDS_FILE)
    names: dict[str, list[gazetteer.Area]] = {}
    for name, found in table.by_name.items():
        if len(name) < 2 or name in _SKIP_SHORT:
            continue
        full = [a for a in found if name in (a.name, *a.former)]
        if full:
            names[name] = full
        elif (
            len({a.code for a in found}) == 1
            and found[0].level != "Province"
            and name not in common
            and not _ZONE.search(found[0].name)
        ):
            names[name] = found  # a short name (鄄城, 六安) that only one area has and no everyday word
    automaton = ahocorasick.Automaton()
    for name in names:
        automaton.add_word(name, len(name))
    automaton.make_automaton()  # an alternation of 6,000 names as a regular expression is 50× slower
    return names, automaton


def _area_mentions(text: str) -> list[str]:
    """The area names a text holds, leftmost and longest first, none inside another (as an alternation finds them)."""
    _, automaton = _area_names()
    found = sorted((end - length + 1, -length) for end, length in automaton.iter(text))
    names, covered = [], 0
    for start, negative_length in found:
        if start >= covered:
            names.append(text[start : start - negative_length])
            covered = start - negative_length
    return names


@cache
def _province_short_names() -> re.Pattern[str]:
    """Provinces' short names no other area has (山东, 内蒙古; not 吉林), for a province that never names itself."""
    table = gazetteer.areas()
    shorts = [
        a.short
        for found in table.by_name.values()
        for a in found
        if a.level == "Province" and a.short and len({x.code for x in table.by_name.get(a.short, [])}) == 1
    ]
    return re.compile("|".join(sorted(set(shorts), key=len, reverse=True)))


def _city_of(area: gazetteer.Area) -> tuple[str | None, str]:
    """(prefecture-level city, province) of an area; a municipality is its own city and province."""
    table = gazetteer.areas()
    province = table.province_of(area)
    if area.level == "Province":
        municipal = area.name.endswith("市")
        return (area.name if municipal else None), area.name
    if area.level == "City":
        return area.name, province.name
    parent = table.parent(area)
    if parent is not None and parent.level == "City":
        return parent.name, province.name
    return (province.name if province.name.endswith("市") else None), province.name


def _area_at_start(name: str, context: str = "") -> gazetteer.Area | None:
    """The area a name starts with (三明市科学技术局 → 三明市, 丹东科技局 → 丹东市), longest first, and the
    area inside it named next (浙江省岱山经济开发区 → 岱山县). Of areas sharing a name (普陀区 of Shanghai
    and of Zhoushan), the one whose city or province the context names."""
    name = re.sub(r"^中共", "", name)
    found, length = _areas_at_start(name)
    if not found:
        return None
    area = _in_context(found, context)
    inner, _ = _areas_at_start(name[length:])
    inside = [a for a in inner if gazetteer.areas().contains(area, a) and a.code != area.code]
    return _prefer_high(inside) if inside else area


def _areas_at_start(name: str) -> tuple[list[gazetteer.Area], int]:
    names, _ = _area_names()
    for length in range(min(12, len(name)), 1, -1):
        found = names.get(name[:length])
        if found and (length > 2 or name[length : length + 1] not in "市县区"):
            return found, length
    return [], 0


def _in_context(found: list[gazetteer.Area], context: str) -> gazetteer.Area:
    if len({a.code for a in found}) > 1 and context:
        table = gazetteer.areas()
        named = [
            a for a in found if (up := table.parent(a)) is not None and (up.name in context or up.short in context)
        ]
        if len(named) == 1:
            return named[0]
    return _prefer_high(found)


def _prefer_high(found: list[gazetteer.Area]) -> gazetteer.Area:
    order = {"Province": 0, "City": 1, "County": 2}
    return sorted(found, key=lambda a: order[a.level])[0]


def _place_of(area: gazetteer.Area, how: str) -> Place:
    city, province = _city_of(area)
    county = area.name if area.level == "County" else None
    return Place(city, county, province, how, area)


def _place(text: str, genre: str, header: _GenreHeader, issuer: Clue | None, title: Clue | None) -> Place | None:
    """The document's own place: named by its header, issuer or title, else inferred at the level it speaks at."""
    named: list[tuple[str | None, str]] = [(header.place, header.place_how)]
    named += [(clue.value, clue.how) for clue in (issuer, title) if clue]
    for value, how in named:
        area = _area_at_start(value, text) if value else None
        if area is None and value and how == "title":
            area = _area_in_title(value, provinces=genre == "work-report")
        if area is not None:
            return _place_of(area, f"{how}:{area.name}")
    level = header.level or _self_level(text)
    if level == "Province":
        return _province_inferred(text)
    return _area_inferred(text)


def _area_in_title(title: str, provinces: bool = False) -> gazetteer.Area | None:
    """The first city or county a title names; a province too where it can only be the document's own
    (a work report's: 2011年某省政府工作报告), not a plan's (落实某省…的方案 is a city's)."""
    names, _ = _area_names()
    hits = [_prefer_high(names[name]) for name in _area_mentions(title)]
    hits = [a for a in hits if provinces or a.level in ("City", "County") or a.name.endswith("市")]
    return hits[0] if hits else None


@cache
def _level_words() -> dict[str, str]:
    """The level a header's bare place word (市, 自治区) or its speaker's title (省长, 市长) gives."""
    heads = {title: level for title, level in gazetteer.vocabulary(HEADS_FILE)}
    return {**places.relative_levels(), **heads}


@cache
def _self_words() -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    """How a province's document names its own (全省, 省委), a city's its own (全市, 我州), and any
    lower body (市委, 县政府)."""
    own = {word: level for word, level in places.relative_levels().items() if word[0] in "我本全"}
    bodies = {body: level for body, level in gazetteer.vocabulary(OWN_BODIES_FILE)}

    def alternation(words: list[str]) -> re.Pattern[str]:
        return re.compile("|".join(sorted(words, key=len, reverse=True)))

    province = alternation([w for w, level in {**own, **bodies}.items() if level == "Province"])
    city = alternation([w for w, level in own.items() if level == "City"])
    lower = alternation([b for b, level in bodies.items() if level != "Province"])
    return province, city, lower


def _self_level(text: str) -> str | None:
    """Province when a document speaks of 全省/我省 far more than of 全市/我市, or of its province only."""
    own_province, own_city, lower_bodies = _self_words()
    province = len(own_province.findall(text))
    city = len(own_city.findall(text))
    only_province = province >= 1 and city == 0 and not lower_bodies.search(text)
    return "Province" if only_province or (province >= 3 and province > 3 * city) else None


def _province_inferred(text: str) -> Place | None:
    """The province a province's document belongs to, from the places it names and its short name."""
    names, _ = _area_names()
    table = gazetteer.areas()
    score: Counter[str] = Counter()
    areas: dict[str, gazetteer.Area] = {}
    for name in dict.fromkeys(_area_mentions(text)):
        found = names[name]
        if len({a.code for a in found}) > 1:
            continue
        province = table.province_of(found[0])
        score[province.name] += 2 if found[0].level == "Province" else 1
        areas[province.name] = province
    for short in dict.fromkeys(m.group() for m in _province_short_names().finditer(text)):
        province = _prefer_high(table.by_name[short])
        score[province.name] += 2
        areas[province.name] = province
    if not score:
        return None
    ranked = score.most_common(2)
    best, best_score = ranked[0]
    if best_score < 2 or (len(ranked) > 1 and best_score < 1.5 * ranked[1][1]):
        return None
    return _place_of(areas[best], f"inference:a province's document (全省), its places → {best}")


def _area_inferred(text: str) -> Place | None:
    """The city most of the document's places belong to: cities count double, short names half."""
    names, _ = _area_names()
    score: Counter[str] = Counter()  # weights are halves and wholes: Counter adds floats as well
    evidence: dict[str, list[str]] = {}
    areas: dict[str, gazetteer.Area] = {}
    for name in dict.fromkeys(_area_mentions(text)):  # each name counts once
        found = names[name]
        if len(found) > 1:
            continue  # a name several areas share (和平区) tells nothing alone
        area = found[0]
        city, _ = _city_of(area)
        if city is None:
            continue
        full = name in (area.name, *area.former)
        weight = (2.0 if area.level in ("City", "Province") else 1.0) * (1.0 if full else 0.5)
        if area.level == "Province":
            weight *= 0.5  # a province-level city named in passing (北京, 上海) is often a partner
        score[city] += weight  # type: ignore[assignment]
        if area.level != "County":
            areas[city] = area
        else:
            areas.setdefault(city, _city_area(area))
        if len(evidence.setdefault(city, [])) < 3 and name not in evidence[city]:
            evidence[city].append(name if area.level != "County" else f"county {name}")
    if not score:
        return None
    ranked = score.most_common(2)
    best, best_score = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
    if best_score < 1.0 or best_score < 1.5 * runner_up:
        return None
    return _place_of(areas[best], f"inference:places {', '.join(evidence[best])} → {best}")


def _city_area(county: gazetteer.Area) -> gazetteer.Area:
    table = gazetteer.areas()
    parent = table.parent(county)
    return parent if parent is not None else table.province_of(county)


# ---------------------------------------------------------------- issuer


@cache
def _expansions() -> tuple[tuple[str, str], ...]:
    rows = gazetteer.vocabulary("agency_expansions.tsv")
    return tuple(sorted(((s, f) for s, f, *_ in rows if s != f and len(s) > 1), key=lambda r: -len(r[0])))


def _resolved_issuer(genre: str, header: _GenreHeader, found: Clue | None, place: Place | None) -> Clue | None:
    """The issuer's full name: 市科技局 in a Heze plan is 菏泽市科学技术局; a work report's is its 人民政府,
    a regulation's the 人民代表大会常务委员会 that adopted it."""
    if header.body and place is not None:
        how = header.body_how if place.how.startswith(("header", "title", "body")) else f"inference:{place.how}"
        return Clue(place.area.name + header.body, how)
    if found is None:
        return None
    return Clue(*_expanded(found.value.replace(" ", ""), found.how, place))


def _expanded(value: str, how: str, place: Place | None) -> tuple[str, str]:
    names = value.split("、")
    expanded = [_expanded_one(name, place) for name in names]
    if any(name.startswith(("市", "省")) for name in names) and place is not None:
        how = f"{how}, relative → {place.area.name}"
    return "、".join(expanded), how


def _expanded_one(name: str, place: Place | None) -> str:
    for short, full in _expansions():
        if name.endswith(short) and not name.endswith(full):
            name = name[: -len(short)] + full
            break
    party = _PARTY_COMMITTEE.match(name)
    if party:
        name = party.group(1) + "委员会"
    if name.startswith("市") and place is not None and place.city:
        return place.city + name[1:]
    if name.startswith("省") and place is not None and place.province:
        return place.province + name[1:]
    area = _area_at_start(name)
    as_written = area is None or any(name.startswith(n) for n in (area.name, *area.former))
    if area is not None and not as_written and area.short and name.startswith(area.short):
        name = area.name + name[len(area.short) :]  # 丹东科技局 → 丹东市科学技术局; 沙县 stays 沙县
    return name


# ---------------------------------------------------------------- year


def _year_before_parts(
    genre: str, title: Clue | None, header: _GenreHeader, published: Clue | None, number: Clue | None
) -> Clue | None:
    """The year a document plans as far as its header says, for reading its headings."""
    if genre == "work-report" and header.date:
        year, month = int(header.date.value[:4]), int(header.date.value[5:7])
        if month == 12:  # delivered in December, it plans the year after
            return Clue(str(year + 1), "inference:delivered in December → the year after")
        return Clue(str(year), "header:delivery")
    if header.year:
        return header.year
    return _title_year(title, published, number)


def _title_year(title: Clue | None, published: Clue | None, number: Clue | None) -> Clue | None:
    """A title's year; for a multi-year plan (2021—2023年) the year it was issued, else its first year."""
    if title is None:
        return None
    span = _YEAR_RANGE.search(title.value)
    if span is None:
        years = years_named(title.value)
        return Clue(str(years[0]), "title") if years else None
    issued = _issued_year(published, number)
    if issued:
        return Clue(issued.value, f"{issued.how} (a multi-year plan: the year issued)")
    return Clue(span.group(1), "title (a multi-year plan: its first year)")


def _issued_year(published: Clue | None, number: Clue | None) -> Clue | None:
    if published:
        return Clue(published.value[:4], published.how)
    if number:
        match = re.search(r"〔(\d{4})〕", number.value)
        if match:
            return Clue(match.group(1), f"{number.how} (its year)")
    return None


def _year(
    text: str,
    genre: str,
    title: Clue | None,
    parts: list[Part],
    provisional: Clue | None,
    number: Clue | None,
    published: Clue | None,
) -> Clue | None:
    if genre == "work-report":
        planned = _year_from_parts(parts, provisional)
        if planned:
            return planned
    if provisional:
        return provisional
    clue = _year_clue(_planning_text(text, genre, parts))
    if clue:
        return clue
    issued = _issued_year(published, number)  # never the year named most: in a plan that is the target year
    return issued or (_in_force_year(text) if genre != "work-report" else None)


def _in_force_year(text: str) -> Clue | None:
    """The year a policy takes effect (自2023年2月22日起施行), as the year it was issued; not when that is
    1 January (自2018年1月1日起施行 is set by a policy issued the year before)."""
    found = _IN_FORCE.search(text)
    date = _parse_date(found.group(0)) if found else None
    if date is None or date.endswith("-01-01"):
        return None
    return Clue(date[:4], f"inference:in force from {date}")


def _planning_text(text: str, genre: str, parts: list[Part]) -> str:
    """Where 今年 means the year planned: a work report's plan part (its review's 2017年是… is the year
    before), any other document's opening."""
    if genre != "work-report":
        return text[:3000]
    plan = next((p for p in parts if p["kind"] == "plan"), None)
    return text[plan["start"] : plan["start"] + 3000] if plan else ""


def _year_from_parts(parts: list[Part], provisional: Clue | None) -> Clue | None:
    found = planned_year(parts, int(provisional.value) if provisional else None)
    if found is None:
        return None
    year, heading, stated = found
    if stated:
        return Clue(str(year), f"body:plan heading {heading[:30]}")
    return Clue(str(year), f"inference:heading {heading[:30]} → {year}")


def _year_clue(opening: str) -> Clue | None:
    """今年 named by what year it is: 2024年是…, 建党90周年, “十二五”开局之年."""
    match = _YEAR_IS.search(opening)
    if match:
        return Clue(match.group(1), f"body:{match.group(0).replace(' ', '')}")
    for pattern, base, label in _ANNIVERSARIES:
        match = pattern.search(opening)
        if match:
            count = numerals.integer(match.group(1))
            if count:
                return Clue(str(base + count), f"body:{label}{match.group(1)}周年")
    match = _FIVE_YEAR_CLUE.search(opening)
    if match:
        year = _FIVE_YEAR[match.group(1)] + _FIVE_YEAR_OFFSET[match.group(2)]
        return Clue(str(year), f"body:{match.group(1)}{match.group(2)}")
    return None


def rebuild_common_words(out_name: str = COMMON_WORDS_FILE) -> int:
    """Write the county short names that are everyday words (合作, 和平, 长安) from jionlp's IDF table."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.find_spec("jionlp")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("rebuilding the common-word list needs jionlp installed")
    idf: dict[str, float] = {}
    source = Path(next(iter(spec.submodule_search_locations))) / "dictionary" / "idf.txt"
    for line in source.read_text(encoding="utf-8").splitlines():
        word, _, value = line.partition("\t")
        if value:
            idf[word] = float(value)
    rows = sorted(
        {
            (name, idf[name])
            for name, found in gazetteer.areas().by_name.items()
            for area in found
            if area.level == "County"
            and name not in (area.name, *area.former)
            and len(name) >= 2
            and idf.get(name, 99.0) < COMMON_IDF
        },
        key=lambda r: r[1],
    )
    with open(gazetteer.DATA / out_name, "w", encoding="utf-8") as handle:
        handle.write(
            f"# county short names that are everyday words (jionlp IDF < {COMMON_IDF}): "
            "never taken alone as a place when inferring a document's city\nname\tidf\n"
        )
        handle.writelines(f"{name}\t{value}\n" for name, value in rows)
    return len(rows)


if __name__ == "__main__":
    print(rebuild_common_words(), "common words written")
