"""Quantitative targets: a number and a unit, the metric from its clause, a comparator and a year.

Two steps. `find_quantities` is the number/unit parser: Arabic and Chinese numerals
(ingest/numerals.py on the numeral span only, so 六安 never becomes 6安), ranges (5-8平方公里), 百分之N,
and 万/亿 kept in the unit (一亿元 → 1 亿元, 30万人次 → 30 万人次). `extract_targets` keeps
the quantities that state a goal (GUIDELINES.md, Targets):

- after its metric (培育国家高新技术企业100家, 技术合同成交额达到70亿元): the clause before
  the number names the metric;
- before its noun (培育100名骨干专家人才): only after a verb that sets a goal (培育, 建设, 引进 …),
  so 30家重点企业 in 对纳入…的30家重点企业 is a description, not a target;
- never inside 《》 or quotes (“三个一百”), never a threshold (20万元以上设备), a subsidy
  (给予50万元奖励) or a past figure;
- a single-digit Chinese numeral before a count unit is rhetoric (四项措施, 两个维护, 一批) unless
  it is what a goal verb sets (新建, 培育, 引进, 认定, 达到 …) and counts a science-and-technology
  thing (新建两个省级重点实验室, 新增国家级孵化器两家).

The comparator comes from the words around the number (以上/超过/突破/不少于 → >=,
增长/增幅 → growth, 以内/不超过 → <=, else =). The same target stated twice (in the goals
and again in a task) is one target. Metric names are normalised by `data/metrics.tsv`, and each
target names its concept of the SKOS metrics scheme (`metric_id`, `metric_label`) when one fits, so
the same measure of different cities is one metric. Values are also given in one unit per kind
(`value_normalised`, `unit_normalised`: 万元 → 亿元, 万家 → 家) for comparing across cities.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache

from policykg.ingest import numerals
from policykg.ingest.record import Target
from policykg.lexicon import gazetteer
from policykg.ontology.vocabularies import match_metric

DATA = gazetteer.DATA

# Units, longest first. Multipliers 万/亿/千万/百万 before them are kept in the unit.
COUNT_UNITS = (
    "家次",
    "项次",
    "人次",
    "家",
    "户",
    "项",
    "个",
    "名",
    "位",
    "人",
    "次",
    "场",
    "处",
    "件",
    "所",
    "座",
    "台",
    "套",
    "支",
    "批",
    "篇",
    "条",
    "部",
    "种",
    "期",
    "株",
    "枚",
    "辆",
    "栋",
    "幢",
    "间",
    "本",
)
MEASURE_UNITS = (
    "个百分点",
    "百分点",
    "平方公里",
    "平方千米",
    "平方米",
    "公顷",
    "公里",
    "千米",
    "美元",
    "元",
    "亩",
    "吨",
    "千瓦时",
    "千瓦",
    "兆瓦",
    "吉瓦",
    "倍",
    "%",
    "％",
    "‰",
)
_UNITS = sorted(COUNT_UNITS + MEASURE_UNITS, key=len, reverse=True)
_PEOPLE = frozenset({"人", "名", "位", "人次"})
_EVENTS = frozenset({"次", "场", "期", "家次", "项次"})
_SAME_CLASS = {"户": "家", "个": "家", "家": "家"}  # for recognising a restated target only

_DIGITS = r"[0-9０-９]+(?:[,，][0-9]{3})*(?:[.．][0-9０-９]+)?"
_CN_NUM = r"[一二两三四五六七八九十][零〇一二两三四五六七八九十百千]*(?:[万亿][零〇一二两三四五六七八九十百千]+)*"
_NUM = rf"(?:{_DIGITS}|{_CN_NUM})"
_QUANTITY = re.compile(
    rf"(?P<pct>百分之)?(?P<num>{_NUM})(?:\s*(?P<sep>[-－—–~～至到])\s*(?P<max>{_NUM}))?\s*(?P<approx>多|余)?"
    rf"(?P<mult>千万|百万|万|亿)?(?P<unit>{'|'.join(re.escape(u) for u in _UNITS)})?"
)
_ORDINAL_BEFORE = re.compile(r"(?:第|每|之|统|唯|逐|(?<!引)进|周|初|星期|礼拜|十|百)$")  # 进一步, not 引进
_TAIL = re.compile(r"(?:及)?以上|以内|以下|左右|上下")
_CLAUSE_HARD = re.compile(r"[。；;！？!?\n：:]")
_CLAUSE_SOFT = re.compile(r"[，,]")
_END_AFTER = re.compile(r"\s*(?:$|[，,；;。、）)\n！？!?：:]|的|和|及|与|并|或)")

# Verbs after which a number before its noun is a goal (培育100名骨干专家人才).
_GOAL_VERBS = (
    "新培育",
    "培育",
    "培养",
    "支持",
    "推动",
    "抓好",
    "实施",
    "建设",
    "建成",
    "组建",
    "引进",
    "引入",
    "新增",
    "新建",
    "创建",
    "争创",
    "认定",
    "备案",
    "制定",
    "组织",
    "举办",
    "开展",
    "打造",
    "选派",
    "招引",
    "实现",
    "规划",
    "扶持",
    "孵化",
    "引育",
    "遴选",
    "培训",
    "启动",
    "完成",
    "申报",
    "获批",
    "转化",
    "签约",
    "评选",
    "发布",
    "布局",
    "储备",
    "设立",
    "新上",
    "落地",
    "攻克",
    "突破",
    "推广",
    "示范",
    "新认定",
    "认证",
    "吸引",
    "集聚",
    "招引",
    "招收",
    "服务",
    "带动",
    "达到",
    "有",
)
_GOAL_VERB_RE = re.compile("|".join(sorted(_GOAL_VERBS, key=len, reverse=True)))
_REJECT_CUES = re.compile(
    r"给予|予以|补助|补贴|资助|奖补|最高|不超过|一次性|已经|已有|已建|已达|去年|上年|比上年|"
    r"截至|截止|目前|现有|投资额?在|注册资本|营业收入|年销售|年产值在"
)
_GE_CUES = re.compile(r"(?:超过|超出|突破|不少于|不低于|至少|高于|大于|超)$")
_LE_CUES = re.compile(r"(?:不超过|不高于|低于|控制在|以内|少于)$")
_GROWTH_CUES = re.compile(r"(?:年均增长|年增长|同比增长|增长|增幅|增速|比增|递增|增加)(?:保持|达到|达|在|为|超过|超)?$")
_LEADING_FILLER = re.compile(
    r"^(?:[，,、\s]|力争|争取|确保|全力|努力|积极|着力|重点|大力|进一步|其中|同时|并|再|要|另外|此外|"
    r"全年|年内|今年|当年|本年|每年|年底前|年底|到年底|至年底|到|至|截至|(?:19|20)\d\d年(?:底|末)?|年)+"
)
_TRAILING_VERBS = re.compile(
    r"(?:达到|达|突破|超过|超出|超|保持在|保持|稳定在|稳定|实现|发展到|增至|增加到|提高到|提升到|提高|提升|不少于|不低于|"
    r"至少|控制在|以上|为|在|有|共|累计|总计|力争|争取|确保|再|新增加|要|必须|将|可|年)+$"
)
_YEAR_IN = re.compile(r"(?:到|至|截至)?((?:19|20)\d\d)\s*年")
_PAST_YEAR = re.compile(r"((?:19|20)\d\d)\s*年")
_NOUN_STOP = re.compile(
    r"[，,；;。、：:！？!?\n（(“”\"《0-9０-９]|成为|来我|来本|来市|来|与|和|在|到|为|的|等|进行|"
    r"开展|并|实现|达到|(?<!级)以上|左右"
)  # 省级以上 is part of the noun
_GENERIC_METRIC = re.compile(
    r"^(?:总数|总量|总额|比重|占比|比例|数量|规模|人数|(?:同比|年均|年)?(?:增长|增幅|增速)|"
    r"其中)$"
)
_THRESHOLD_BEFORE = re.compile(r"(?:投资|收入|销售|产值|规模|资产|营收|注册资本)$")
_GOAL_OBJECT = re.compile(r"[^，,；;。\n]{0,30}?的([\u4e00-\u9fff]{2,10}?)(?:任务|目标|指标)")
_SUBJECT_VERB = re.compile(r"([\u4e00-\u9fff]{1,12}?)(列入|通过|获得|获批|入选|达到|实现|纳入)")
_LEVEL = re.compile(r"国家|国|省|市|县|区")
_FILLER = set("力争全年新增累计达到超过突破以上不少于左右保持稳定总数数量个家项人亿万元的和与及年")

# A single-digit Chinese numeral counts only as the object of one of these verbs, of one of these things.
_SMALL_COUNT_UNITS = frozenset({"家", "个", "项", "名", "位", "人", "所", "座", "件", "支", "处", "台", "套"})
_STRICT_GOAL_VERB = re.compile(
    r"新建|新增|建成|建设|组建|创建|争创|新培育|培育|培养|引进|引育|招引|新认定|认定|获批|"
    r"备案|设立|选派|达到"
)
_ST_THING = re.compile(
    r"实验室|研究院|研究所|研究中心|创新中心|技术中心|工作站|平台|基地|园区|孵化器|众创空间|"
    r"星创天地|企业|研发机构|院士|博士|专家|人才|团队|特派员|专利|科技成果|新品种|新产品"
)

# Units converted so that targets of different cities compare: money in 亿元, counts without 万/亿.
_MONEY_FACTORS = {"": 1e-8, "万": 1e-4, "百万": 1e-2, "千万": 0.1, "亿": 1.0}
_COUNT_FACTORS = {"万": 1e4, "百万": 1e6, "千万": 1e7, "亿": 1e8}
_SAME_UNIT = {"％": "%", "个百分点": "百分点", "平方千米": "平方公里", "千米": "公里"}


@dataclass(frozen=True)
class Quantity:
    start: int
    end: int
    value: float
    value_max: float | None
    unit: str
    chinese: bool  # the number was written in Chinese numerals
    approximate: bool = False  # 100余场, 50多家: more than the number


@cache
def _numeral_places() -> re.Pattern[str] | None:
    """Place names written with numeral characters (六安, 七台河, 十堰): never numbers."""
    names = {
        name
        for name in gazetteer.areas().by_name
        if len(name) >= 2 and re.search(r"[一二两三四五六七八九十百千万零〇]", name)
    }
    return re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))) if names else None


def find_quantities(text: str) -> list[Quantity]:
    """Every number with a unit: 100家, 5-8平方公里, 一亿元 (1 亿元), 百分之三十 (30 %), 30万人次."""
    places = _numeral_places()
    masked: set[int] = set()
    if places is not None:
        for match in places.finditer(text):
            if match.start() and re.match(r"[0-9零〇一二两三四五六七八九十百千万亿]", text[match.start() - 1]):
                continue  # 十四平方公里 holds 四平 but is a number
            quantity = _QUANTITY.match(text, match.start())
            if quantity and quantity.group("unit") and quantity.end("unit") > match.end():
                continue  # 四平方公里: the unit runs past the place name
            masked.update(range(match.start(), match.end()))
    found: list[Quantity] = []
    for match in _QUANTITY.finditer(text):
        unit = match.group("unit")
        pct = bool(match.group("pct"))
        if not unit and not pct:
            continue
        start, end = match.start(), match.end()
        if any(i in masked for i in range(start, end)):
            continue
        number = match.group("num")
        chinese = not re.match(r"[0-9０-９]", number)
        if chinese and _ORDINAL_BEFORE.search(text[max(0, start - 2) : start]):
            continue
        if not chinese and start and re.match(r"[0-9０-９.．A-Za-z]", text[start - 1]):
            continue
        value = numerals.number(number)
        value_max = numerals.number(match.group("max")) if match.group("max") else None
        if value is None or (match.group("max") and value_max is None):
            continue
        if pct:
            unit_text = "%"
            if match.group("unit") or match.group("mult"):
                end = match.start("mult") if match.group("mult") else match.start("unit")
        else:
            unit_text = (match.group("mult") or "") + unit
            if unit_text in ("％",):
                unit_text = "%"
        if value_max is not None and value_max <= value:
            value_max = None
            if match.group("sep") in ("至", "到"):
                continue
        found.append(Quantity(start, end, value, value_max, unit_text, chinese, bool(match.group("approx"))))
    return found


@cache
def _metric_rules() -> tuple[tuple[re.Pattern[str], str], ...]:
    with open(DATA / "metrics.tsv", encoding="utf-8") as handle:
        rows = [r for r in csv.reader(handle, delimiter="\t") if r and not r[0].startswith("#")][1:]
    return tuple((re.compile(row[0]), row[1] if len(row) > 1 else "") for row in rows)


def normalise_metric(metric: str, unit: str = "", comparator: str = "=") -> str:
    """The metric's generic name: synonyms replaced (data/metrics.tsv), a measure word added for counts."""
    for pattern, replacement in _metric_rules():
        metric = pattern.sub(replacement, metric)
    metric = metric.strip(' ，,、：:()（）“”"')
    base = unit[1:] if unit[:1] in ("万", "亿") and len(unit) > 1 else unit
    if base in _PEOPLE and not re.search(r"(?:人数|人次|数量|总数|规模)$", metric):
        metric += "人数"
    elif base in _EVENTS and not re.search(r"(?:次数|场次|数量)$", metric):
        metric += "次数"
    elif base in COUNT_UNITS and not re.search(r"(?:数|数量|总数|总量|规模|量)$", metric):
        metric += "数量"
    return metric


def _quoted_spans(text: str) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    for pattern in (r"《[^《》\n]{0,80}》", r"“[^“”\n]{0,40}”", r"\"[^\"\n]{0,40}\"", r"「[^「」\n]{0,40}」"):
        spans.extend((m.start(), m.end()) for m in re.finditer(pattern, text))
    return spans


def _clause_start(text: str, position: int, soft: bool = True) -> int:
    start = 0
    for pattern in (_CLAUSE_HARD, _CLAUSE_SOFT) if soft else (_CLAUSE_HARD,):
        window = text[max(0, position - 200) : position]
        found = [m.end() for m in pattern.finditer(window)]
        if found:
            start = max(start, max(0, position - 200) + found[-1])
    return start


def _sentence_of(text: str, position: int) -> int:
    return _clause_start(text, position, soft=False)


@dataclass
class _Candidate:
    quantity: Quantity
    tail_end: int
    metric: str
    comparator: str
    year: int | None
    text_start: int
    extractor: str
    sentence: int


def _clean_metric(prefix: str) -> str:
    metric = _LEADING_FILLER.sub("", prefix.strip())
    metric = _TRAILING_VERBS.sub("", metric.strip())
    return metric.strip(" ，,、")


def extract_targets(text: str, year: int | None) -> list[Target]:
    """The document's quantitative targets, each once, in document order."""
    quantities = find_quantities(text)
    quoted = _quoted_spans(text)
    candidates: list[_Candidate] = []
    previous_end = -1
    previous_metric: tuple[int, str] | None = None  # (clause start, metric) of the last target
    previous_verb: tuple[int, str] | None = None  # (clause start, goal verb) of the last target counted before its noun
    for quantity in quantities:
        if any(a <= quantity.start < b for a, b in quoted):
            continue
        tail = _TAIL.match(text, quantity.end)
        tail_end = tail.end() if tail else quantity.end
        tail_word = tail.group() if tail else ""
        hard = _clause_start(text, quantity.start, soft=False)
        clause = _clause_start(text, quantity.start)
        segment = clause
        if hard <= previous_end < quantity.start and re.fullmatch(
            r"\s*(?:以上|左右|及以上)?\s*[、和及与]\s*[^，,]*", text[previous_end : quantity.start]
        ):
            between = text[previous_end : quantity.start]
            separator = re.search(r"[、和及与]", between)
            segment = max(clause, previous_end + (separator.end() if separator else 0))
        prefix = text[segment : quantity.start]
        if segment > clause and not prefix.strip() and previous_verb and previous_verb[0] >= hard:
            prefix = previous_verb[1] + prefix  # 引进两个人才团队、三名院士: the list's items share its verb
        clause_prefix = text[clause : quantity.start]
        if _REJECT_CUES.search(clause_prefix) or _past(text[hard : quantity.start], year):
            continue
        if quantity.unit.endswith("元") and re.search(r"奖励|奖金", clause_prefix):
            continue  # a prize, not a goal
        if (
            quantity.chinese
            and quantity.value < 10
            and quantity.unit in COUNT_UNITS
            and not _small_count_is_goal(text, quantity, prefix, tail_end)
        ):
            continue  # 四项措施, 两个维护, 一次科技大讲堂: rhetoric or too vague to count
        after = _END_AFTER.match(text, tail_end)
        threshold = tail_word in ("以上", "以下", "及以上") or _THRESHOLD_BEFORE.search(prefix.rstrip())
        if after is not None and threshold and text.startswith("的", after.end() - 1):
            continue  # 年销售收入2000万元以上的企业: a threshold that picks whom a measure is for
        verb: str | None = None
        if after is not None:
            extractor = "rule:number-unit"
            metric = _clean_metric(prefix)
            if (
                len(re.sub(r"[^\u4e00-\u9fffA-Za-z]", "", metric)) < 2
                or _GENERIC_METRIC.match(metric)
                or metric.startswith(("占", "比重"))
                or prefix.lstrip(" ，,、").startswith("其中")
            ):
                if previous_metric and previous_metric[0] >= hard:
                    metric = previous_metric[1] + metric
                else:
                    before = text[_clause_start(text, clause - 1) if clause else 0 : max(clause - 1, 0)]
                    metric = _clean_metric(before) + metric
            goal = _GOAL_OBJECT.match(text, tail_end)
            if goal and goal.group(1) not in metric:  # 签约4项、开工1项的招商引资任务
                metric = goal.group(1) + metric
            text_start = segment
        elif not prefix.strip() and previous_end >= hard and (subject := _SUBJECT_VERB.match(text, tail_end)):
            # a list of targets goes on with one whose count comes first: …100项,25项成果列入省推广计划
            end = _clause_end(text, tail_end)
            extractor = "rule:number-subject"
            metric = subject.group(1) + text[subject.start(2) : end]
            tail_end = end
            text_start = quantity.start
        else:
            verb = _goal_verb(prefix, clause_prefix)
            if verb is None:
                continue
            noun = _NOUN_STOP.search(text, tail_end)
            noun_end = noun.start() if noun else min(len(text), tail_end + 20)
            noun_end = min(noun_end, tail_end + 24)
            if noun_end - tail_end < 2:
                continue
            extractor = "rule:number-noun"
            metric = verb + text[tail_end:noun_end]
            tail_end = noun_end
            text_start = segment
        previous_verb = (hard, verb) if verb else None
        metric = metric.strip()
        if not re.search(r"[\u4e00-\u9fff]", metric):
            continue
        comparator = _comparator(prefix, clause_prefix, tail_word, quantity)
        candidates.append(
            _Candidate(
                quantity,
                tail_end,
                normalise_metric(metric, quantity.unit, comparator),
                comparator,
                _target_year(text[hard : quantity.start], year),
                _skip_space(text, text_start),
                extractor,
                _sentence_of(text, quantity.start),
            )
        )
        previous_end = tail_end
        previous_metric = (hard, metric)
    return [_as_target(text, c) for c in _dedupe(candidates)]


def _small_count_is_goal(text: str, quantity: Quantity, prefix: str, tail_end: int) -> bool:
    """Whether 两个/三家… is a goal: the object of a goal verb (新建两个省级重点实验室) or the figure of a
    clause that sets one (新增国家级孵化器两家), and a science-and-technology thing is what it counts."""
    if quantity.unit not in _SMALL_COUNT_UNITS:
        return False  # 一批, 一次: a batch or an occasion, not a number of things
    verb_before = re.search(rf"(?:{_STRICT_GOAL_VERB.pattern})了?$", prefix.rstrip())
    if verb_before:
        noun = _NOUN_STOP.search(text, tail_end)
        return bool(_ST_THING.search(text[tail_end : min(noun.start() if noun else len(text), tail_end + 24)]))
    return (
        _END_AFTER.match(text, tail_end) is not None
        and bool(_STRICT_GOAL_VERB.search(prefix))
        and bool(_ST_THING.search(prefix))
    )


def normalise_unit(value: float | None, unit: str) -> tuple[float | None, str]:
    """A value in the unit all cities' values of its kind are compared in: 5000 万元 → 0.5 亿元, 3 万家 → 30000 家."""
    multiplier = re.match(r"(?:千万|百万|万|亿)(?=.)", unit)
    prefix = multiplier.group() if multiplier else ""
    base = unit[len(prefix) :]
    if base in ("元", "美元"):
        factor, unit = _MONEY_FACTORS[prefix], "亿" + base
    elif prefix:
        factor, unit = _COUNT_FACTORS[prefix], base
    else:
        factor, unit = 1.0, _SAME_UNIT.get(base, base)
    if value is None:
        return None, unit
    scaled = round(value * factor, 10)
    return (int(scaled) if scaled.is_integer() else scaled), unit


def _clause_end(text: str, position: int) -> int:
    match = re.compile(r"[，,；;。！？!?\n]").search(text, position)
    return match.start() if match else len(text)


def _skip_space(text: str, start: int) -> int:
    while start < len(text) and text[start] in " \t\u3000，,、":
        start += 1
    return start


def _goal_verb(prefix: str, clause_prefix: str) -> str | None:
    """The goal verb a number before its noun depends on, if any (培育100名…, …等5家企业创建…)."""
    if clause_prefix.rstrip().endswith("等"):
        verbs = list(_GOAL_VERB_RE.finditer(clause_prefix))
        return verbs[0].group() if verbs else None
    verbs = list(_GOAL_VERB_RE.finditer(prefix))
    if not verbs:
        return None
    last = verbs[-1]
    between = prefix[last.end() :]
    if "的" in between or len(between) > 12 or re.search(r"[，,、]", between):
        return None
    if last.group() in ("有", "达到") and not re.search(r"力争|争取|确保|要", clause_prefix):
        return None
    return last.group()


def _comparator(prefix: str, clause_prefix: str, tail: str, quantity: Quantity) -> str:
    local = prefix.rstrip()
    if quantity.unit in ("%", "个百分点", "百分点", "倍") and _GROWTH_CUES.search(local[-10:]):
        return "growth"
    if tail in ("以上", "及以上") or quantity.approximate or _GE_CUES.search(local) or "超额" in clause_prefix:
        return ">="
    if tail in ("以内", "以下") or _LE_CUES.search(local):
        return "<="
    return "="


def _past(clause_prefix: str, year: int | None) -> bool:
    if year is None:
        return False
    return any(
        int(m.group(1)) < year
        and not re.search(r"[-—~至到]\s*$", clause_prefix[: m.start()])
        and not re.match(r"(?:底|末)?(?:的)?(?:基础上|为基数|为基期|水平上)", clause_prefix[m.end() :])
        for m in _PAST_YEAR.finditer(clause_prefix)
    )


def _target_year(clause_prefix: str, year: int | None) -> int | None:
    found = [int(m.group(1)) for m in _YEAR_IN.finditer(clause_prefix)]
    return found[-1] if found else year


def _key(metric: str) -> set[str]:
    return {ch for ch in metric if ch not in _FILLER and not ch.isdigit() and not ch.isspace()}


def _same_target(a: _Candidate, b: _Candidate) -> bool:
    qa, qb = a.quantity, b.quantity
    if qa.value != qb.value or qa.value_max != qb.value_max:
        return False
    if _SAME_CLASS.get(qa.unit, qa.unit) != _SAME_CLASS.get(qb.unit, qb.unit):
        return False
    if a.sentence == b.sentence:
        return False  # two figures of one sentence are two targets
    levels_a, levels_b = set(_LEVEL.findall(a.metric)), set(_LEVEL.findall(b.metric))
    if levels_a and levels_b and not levels_a & levels_b:
        return False  # 省级 and 市级 projects are different targets
    ka, kb = _key(a.metric), _key(b.metric)
    if not ka or not kb:
        return False
    return len(ka & kb) / min(len(ka), len(kb)) >= 0.6


def _dedupe(candidates: list[_Candidate]) -> list[_Candidate]:
    kept: list[_Candidate] = []
    for candidate in candidates:
        if not any(_same_target(candidate, earlier) for earlier in kept):
            kept.append(candidate)
    return kept


def _as_target(text: str, c: _Candidate) -> Target:
    q = c.quantity
    start = c.text_start if c.text_start <= q.start else q.start
    concept = match_metric(c.metric, q.unit)
    value_normalised, unit_normalised = normalise_unit(q.value, q.unit)
    return Target(
        metric=c.metric,
        value=int(q.value) if q.value.is_integer() else q.value,
        value_max=(int(q.value_max) if q.value_max is not None and q.value_max.is_integer() else q.value_max),
        unit=q.unit,
        comparator=c.comparator,
        year=c.year,
        text=text[start : c.tail_end],
        start=start,
        end=c.tail_end,
        extractor=c.extractor,
        metric_id=concept.notation if concept else None,
        metric_label=concept.pref_label if concept else None,
        value_normalised=value_normalised,
        value_max_normalised=normalise_unit(q.value_max, q.unit)[0],
        unit_normalised=unit_normalised,
    )
