"""Document metadata: title, city, province, year, issuer, 文号 and date, each with how it was found.

Sources, strongest first: the header labels government sites print above a document
(发布机构, 文号, 成文日期 …), the masthead (XX文件), the title and the issuing body before
关于, the signature block (issuer, then a date on a line of its own), year clues in the text
(建党90周年 → 2011, "十二五"开局之年 → 2011, 2024年是…), and for a document that never
names its city, the counties, districts and cities it mentions (via the administrative
divisions of the gazetteer, jionlp's data). A repost line (来源…时间:) never gives the date,
and a 文号 cited in the body is never taken for the document's own.
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

from policykg.ingest.record import DocumentMeta
from policykg.lexicon import gazetteer

HEAD_LINES = 30  # the header, masthead, title and notice of a document sit in its first lines
TAIL_LINES = 12  # the signature block of a document without a notice sits in its last lines

# Header labels: the field they give, in order of trust for that field.
_LABELS = {
    "索引号": "index",
    "文号": "doc_number",
    "发文字号": "doc_number",
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
_DATE_LABEL_RANK = ("成文日期", "发文日期", "印发日期", "公文生成日期", "生成日期", "发布日期")
_LABEL_RE = re.compile(
    "(?:^|(?<=[\\s•·|]))("
    + "|".join(r"\s*".join(map(re.escape, label)) for label in sorted(_LABELS, key=len, reverse=True))
    + r")\s*[:：]"
)

_BRACKETS = "〔〕[]［］【】()（）﹝﹞〖〗"
_DOC_NUMBER = re.compile(
    r"([\u4e00-\u9fff]{1,12}?)\s*[〔\[［【(（﹝〖]\s*((?:19|20)\d\d)\s*[〕\]］】)）﹞〗]"
    r"\s*(?:第\s*)?(\d{1,5})\s*号"
)
_DOC_NUMBER_LINE = re.compile(r"^\s*" + _DOC_NUMBER.pattern + r"\s*$")

_CN_DIGITS = {
    "〇": 0,
    "○": 0,
    "零": 0,
    "O": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    "十": 10,
}
_DATE = re.compile(r"((?:19|20)\d\d)\s*(?:年|-|/|\.)\s*(\d{1,2})\s*(?:月|-|/|\.)\s*(\d{1,2})\s*日?")
_CN_DATE = re.compile(
    r"([〇○零O一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月"
    r"([一二三四五六七八九十]{1,3})日"
)
_DATE_LINE = re.compile(r"^\s*[（(]?\s*(?:" + _DATE.pattern + "|" + _CN_DATE.pattern + r")\s*[）)]?\s*$")

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
_AGENCY_END = re.compile(
    r"(?:局|厅|委员会|委|办公室|办公厅|办|人民政府|政府|部|中心|管委会|管理委员会|领导小组|"
    r"科学技术协会|科协|院)$"
)
_AGENCY_AT_START = re.compile(
    r"^((?:中共)?[\u4e00-\u9fff]{0,14}?(?:科学技术局|科技局|科学技术厅|科技厅|科学技术委员会|"
    r"科委|人民政府办公室|人民政府办公厅|人民政府|政府办公室|政府办|委员会|管委会|局|厅|委))"
    r"(?=关于|印发|转发|[\u4e00-\u9fff0-9《“\"])"
)
_MASTHEAD = re.compile(r"^\s*([\u4e00-\u9fff]{2,30}?)\s*文\s*件\s*$")
_BODY_LINE = re.compile(r"[。；]")

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
_YEAR_IS = re.compile(r"(?<![\d\-—~至])((?:19|20)\d\d)\s*年\s*是")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)\s*年(?!\s*[-—~至到]\s*(?:19|20)?\d)")
_AREA_SUFFIX = ("自治州", "地区", "盟", "市", "州", "省", "自治区", "特别行政区", "县", "区", "旗")
_SKIP_SHORT = frozenset({"城区", "郊区", "矿区", "新区", "市中", "市辖", "经开区", "高新区", "开发区", "示范区"})
_ZONE = re.compile(r"工业园|开发区|高新|新区|管理区|示范区|经济区|园区|实验区")  # their short names are generic words
COMMON_WORDS_FILE = "area_common_words.tsv"
COMMON_IDF = 8.0  # a county's short name more common than this in jionlp's IDF table is an everyday word


def extract_metadata(text: str) -> tuple[DocumentMeta, dict[str, str]]:
    """The document's metadata and, for each field found, how it was found."""
    lines = _lines(text)
    head = _head(lines)
    labels = _header_labels(head)
    found: dict[str, tuple[object, str]] = {}

    title = _title(head, labels)
    if title:
        found["title"] = title
    _issuer_candidates(head, lines, labels, found, title[0] if title else None)
    number = _doc_number(head, labels)
    if number:
        found["doc_number"] = number
    published = _published(head, lines, labels)
    if published:
        found["published"] = published
    area = _area_from_names(found)
    if area is None:
        area = _area_inferred(text)
    city, province, area_how = area if area else (None, None, None)
    issuer = _resolve_issuer(found.get("issuer"), city, province)
    year = _year(text, lines, found)

    meta = DocumentMeta(
        title=_text_of(found, "title"),
        city=city,
        province=province,
        year=year[0] if year else None,
        issuer=issuer[0] if issuer else None,
        doc_number=_text_of(found, "doc_number"),
        published=_text_of(found, "published"),
    )
    provenance = {field: how for field, (_, how) in found.items() if field in meta and field != "issuer"}
    if issuer:
        provenance["issuer"] = issuer[1]
    if year:
        provenance["year"] = year[1]
    if city and area_how:
        provenance["city"] = area_how
    if province and area_how:
        provenance["province"] = area_how if not city else f"{area_how} → {province}"
    return meta, provenance


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


def _text_of(found: dict[str, tuple[object, str]], field: str) -> str | None:
    value = found[field][0] if field in found else None
    return value if isinstance(value, str) else None


def _empty(value: str | None) -> bool:
    return not value or value.strip() in ("无", "空", "-", "—", "/", "暂无", "null", "None")


# ---------------------------------------------------------------- title, issuer, number, date


def _title(head: list[str], labels: dict[str, str]) -> tuple[str, str] | None:
    for label in ("标题", "名称"):
        if not _empty(labels.get(label)):
            return labels[label], f"header:{label}"
    for i, line in enumerate(head):
        if _is_label_line(line) or _MASTHEAD.match(line) or _DOC_NUMBER_LINE.match(line) or _DATE_LINE.match(line):
            continue
        if _BODY_LINE.search(line) or line.endswith(("：", ":")) or len(line) > 80:
            if i > 0 and _BODY_LINE.search(line):
                break
            continue
        if "关于" in line and not line.endswith(_TITLE_WORDS) and i + 1 < len(head):
            following = head[i + 1]
            if following.endswith(_TITLE_WORDS) and not _BODY_LINE.search(following) and len(following) < 60:
                return line + following, "title:two lines"
        if line.endswith(_TITLE_WORDS) or ("关于" in line and len(line) < 80):
            return line, "title"
    return None


def _issuer_candidates(
    head: list[str],
    lines: list[tuple[int, str]],
    labels: dict[str, str],
    found: dict[str, tuple[object, str]],
    title: object,
) -> None:
    for label in ("发布机构", "发文机关", "发文单位", "发布单位", "制发机关"):
        value = labels.get(label)
        if value is not None and not _empty(value):
            found["issuer"] = (_first_body(value), f"header:{label}")
            return
    for line in head:
        masthead = _MASTHEAD.match(line)
        if masthead and _AGENCY_END.search(_first_body(masthead.group(1))):
            found["issuer"] = (_first_body(masthead.group(1)), "masthead")
            return
    if isinstance(title, str):
        before = title.split("关于", 1)[0] if "关于" in title[1:] else ""
        match = _AGENCY_AT_START.match(title)
        if before and _AGENCY_END.search(_first_body(before)):
            found["issuer"] = (_first_body(before), "title")
            return
        if match:
            found["issuer"] = (_first_body(match.group(1)), "title")
            return
    signature = _signature(head, lines)
    if signature:
        found["issuer"] = (signature, "signature")
        return
    source = labels.get("来源")
    if source is not None and not _empty(source):
        value = re.split(r"\s", source.strip())[0]
        if _AGENCY_END.search(value):
            found["issuer"] = (value, "header:来源")


def _first_body(value: str) -> str:
    """The first of joint issuers (中共X市委 X市人民政府 → 中共X市委)."""
    parts = [p for p in re.split(r"[\s、,，]+", value.strip()) if p]
    return parts[0] if parts else value.strip()


def _signature(head: list[str], lines: list[tuple[int, str]]) -> str | None:
    """An agency on the line just before a date standing on its own line (the signature block)."""
    candidates = [*head, *(line for _, line in lines[-TAIL_LINES:])]
    for i in range(1, len(candidates)):
        if _DATE_LINE.match(candidates[i]) or re.fullmatch(r"(?:19|20)\d{5,6}", candidates[i]):
            before = candidates[i - 1].replace(" ", "")
            if _AGENCY_END.search(before) and len(before) <= 30 and not _BODY_LINE.search(before):
                return before
    return None


def _doc_number(head: list[str], labels: dict[str, str]) -> tuple[str, str] | None:
    for label in ("文号", "发文字号", "备注/文号"):
        value = labels.get(label)
        if value is not None and not _empty(value):
            match = _DOC_NUMBER.search(value)
            if match:
                return _canonical_number(match), f"header:{label}"
    for line in head[:12]:  # a 文号 on a line of its own under the masthead; never one cited in the body
        match = _DOC_NUMBER_LINE.match(line)
        if match:
            return _canonical_number(match), "line under masthead"
    return None


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
        year = int("".join(str(_CN_DIGITS[ch]) for ch in match.group(1)))
        month, day = _small_cn_number(match.group(2)), _small_cn_number(match.group(3))
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def _small_cn_number(text: str) -> int:
    if text == "十":
        return 10
    if text.startswith("十"):
        return 10 + _CN_DIGITS[text[1]]
    if "十" in text:
        tens, _, ones = text.partition("十")
        return _CN_DIGITS[tens] * 10 + (_CN_DIGITS[ones] if ones else 0)
    return _CN_DIGITS[text]


def _published(head: list[str], lines: list[tuple[int, str]], labels: dict[str, str]) -> tuple[str, str] | None:
    for label in _DATE_LABEL_RANK[:1]:
        date = _parse_date(labels.get(label) or "")
        if date:
            return date, f"header:{label}"
    candidates = [*head, *(line for _, line in lines[-TAIL_LINES:])]
    for i, line in enumerate(candidates):
        if _DATE_LINE.match(line) and i > 0:
            before = candidates[i - 1].replace(" ", "")
            if _AGENCY_END.search(before) or _MASTHEAD.match(before) or line.lstrip().startswith(("（", "(")):
                date = _parse_date(line)
                if date:
                    return date, "signature"
    for label in _DATE_LABEL_RANK[1:]:
        date = _parse_date(labels.get(label) or "")
        if date:
            return date, f"header:{label}"
    return None


# ---------------------------------------------------------------- city and province


@cache
def _area_names() -> tuple[dict[str, list[gazetteer.Area]], re.Pattern[str]]:
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
    pattern = re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)))
    return names, pattern


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


def _area_at_start(name: str) -> gazetteer.Area | None:
    """The area a name starts with (三明市科学技术局 → 三明市, 丹东科技局 → 丹东市), longest first."""
    names, _ = _area_names()
    name = re.sub(r"^中共", "", name)
    for length in range(min(12, len(name)), 1, -1):
        found = names.get(name[:length])
        if found and (length > 2 or name[length : length + 1] not in "市县区"):
            return _prefer_high(found)
    return None


def _prefer_high(found: list[gazetteer.Area]) -> gazetteer.Area:
    order = {"Province": 0, "City": 1, "County": 2}
    return sorted(found, key=lambda a: order[a.level])[0]


def _area_from_names(found: dict[str, tuple[object, str]]) -> tuple[str | None, str | None, str] | None:
    for field in ("issuer", "title"):
        value = found.get(field)
        if value is None or not isinstance(value[0], str):
            continue
        area = _area_at_start(value[0])
        if area is None and field == "title":
            area = _area_in_title(value[0])
        if area is not None:
            city, province = _city_of(area)
            how = f"{field}:{area.name}" if area.level != "County" else f"{field}:county {area.name} → {city}"
            return city, province, how
    return None


def _area_in_title(title: str) -> gazetteer.Area | None:
    names, pattern = _area_names()
    hits = [_prefer_high(names[m.group()]) for m in pattern.finditer(title)]
    hits = [a for a in hits if a.level in ("City", "County") or a.name.endswith("市")]
    return hits[0] if hits else None


def _area_inferred(text: str) -> tuple[str | None, str | None, str] | None:
    """The city most of the document's places belong to: cities count double, short names half."""
    names, pattern = _area_names()
    score: Counter[str] = Counter()  # weights are halves and wholes: Counter adds floats as well
    evidence: dict[str, list[str]] = {}
    provinces: dict[str, str] = {}
    for name in dict.fromkeys(match.group() for match in pattern.finditer(text)):  # each name counts once
        found = names[name]
        if len(found) > 1:
            continue  # a name several areas share (和平区) tells nothing alone
        area = found[0]
        city, province = _city_of(area)
        if city is None:
            continue
        full = name in (area.name, *area.former)
        weight = (2.0 if area.level in ("City", "Province") else 1.0) * (1.0 if full else 0.5)
        if area.level == "Province":
            weight *= 0.5  # a province-level city named in passing (北京, 上海) is often a partner
        score[city] += weight  # type: ignore[assignment]
        provinces[city] = province
        if len(evidence.setdefault(city, [])) < 3 and name not in evidence[city]:
            evidence[city].append(name if area.level != "County" else f"county {name}")
    if not score:
        return None
    ranked = score.most_common(2)
    best, best_score = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0.0
    if best_score < 1.0 or best_score < 1.5 * runner_up:
        return None
    return best, provinces[best], f"inferred:{', '.join(evidence[best])} → {best}"


# ---------------------------------------------------------------- issuer


@cache
def _expansions() -> tuple[tuple[str, str], ...]:
    rows = gazetteer.vocabulary("agency_expansions.tsv")
    return tuple(sorted(((s, f) for s, f, *_ in rows if s != f and len(s) > 1), key=lambda r: -len(r[0])))


def _resolve_issuer(found: tuple[object, str] | None, city: str | None, province: str | None) -> tuple[str, str] | None:
    """The issuer's full name: 市科技局 in a Heze plan is 菏泽市科学技术局."""
    if found is None or not isinstance(found[0], str):
        return None
    name, how = found[0].replace(" ", ""), found[1]
    for short, full in _expansions():
        if name.endswith(short) and not name.endswith(full):
            name = name[: -len(short)] + full
            break
    if name.startswith("市") and city:
        name, how = city + name[1:], f"{how}, relative 市 → {city}"
    elif name.startswith("省") and province:
        name, how = province + name[1:], f"{how}, relative 省 → {province}"
    else:
        area = _area_at_start(name)
        as_written = area is None or any(name.startswith(n) for n in (area.name, *area.former))
        if area is not None and not as_written and area.short and name.startswith(area.short):
            name = area.name + name[len(area.short) :]  # 丹东科技局 → 丹东市科学技术局; 沙县 stays 沙县
    return name, how


# ---------------------------------------------------------------- year


def _cn_or_int(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    try:
        import cn2an

        return int(cn2an.cn2an(text, "smart"))
    except (ValueError, KeyError, ImportError):
        return None


def _year(text: str, lines: list[tuple[int, str]], found: dict[str, tuple[object, str]]) -> tuple[int, str] | None:
    title = found.get("title")
    if title and isinstance(title[0], str):
        match = _YEAR.search(title[0]) or re.search(r"((?:19|20)\d\d)\s*[-—~至到]", title[0])
        if match:
            return int(match.group(1)), "title"
    opening = text[:3000]
    match = _YEAR_IS.search(opening)
    if match:
        return int(match.group(1)), f"year-clue:{match.group(0).replace(' ', '')}"
    for pattern, base, label in _ANNIVERSARIES:
        match = pattern.search(opening)
        if match:
            count = _cn_or_int(match.group(1))
            if count:
                return base + count, f"year-clue:{label}{match.group(1)}周年"
    match = _FIVE_YEAR_CLUE.search(opening)
    if match:
        return (
            _FIVE_YEAR[match.group(1)] + _FIVE_YEAR_OFFSET[match.group(2)],
            f"year-clue:{match.group(1)}{match.group(2)}",
        )
    number = found.get("doc_number")
    if number and isinstance(number[0], str):
        match = re.search(r"〔(\d{4})〕", number[0])
        if match:
            return int(match.group(1)), "doc_number"
    published = found.get("published")
    if published and isinstance(published[0], str):
        return int(published[0][:4]), "published"
    years = Counter(int(m.group(1)) for m in _YEAR.finditer(text[:5000]))
    if years:
        year, count = years.most_common(1)[0]
        if count >= 2:
            return year, f"most frequent year ({count}×)"
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
