"""Targets and results: the quantitative statements of a document, each a goal or an achievement, never both.

`extract_figures` reads every quantity (ingest/quantities.py) and keeps those that state a figure
(GUIDELINES.md, Targets and results):

- after its metric (培育国家高新技术企业100家, 技术合同成交额达到70亿元): the clause before the number
  names the metric;
- before its noun (培育100名骨干专家人才): only after a verb that states a figure, so 30家重点企业 in
  对纳入…的30家重点企业 is a description;
- opening a clause whose noun then acts (3家企业挂牌上市, 87项专利获得授权);
- never inside 《》 or quotes, never a subsidy or reward (给予50万元奖励, 按…的10%给予补助), a threshold
  (年销售收入2000万元以上的企业), a procedural rule (原则上不超过1次), a rate per unit (每人每年), a
  ranking (居全省第3位), a description of the place (下辖3县2区); a single-digit Chinese count is
  rhetoric (四项措施, 两个维护) unless a goal verb sets it on a science-and-technology thing.

Each figure is then a target or a result. What the sentence itself says decides first, the cue
nearest the number winning: a past year or 去年, 已, a verb with 了, 预计 (the year just ended) make a
result; 力争, 确保, 目标, 到2025年 a target. Otherwise the part of the document it stands in
(ingest/parts.py: review → result, plan → target), else the genre (a review's figures are results;
a regulation states rules, not goals). Its kind: growth (增长18%, 提高1个百分点), ratio (a share or an
intensity: %, 比重, 每万人), stock (a level: 总数, 累计, a count that 达到) or flow (added, done or spent
in the period: 新增, 引进, 产值). Its comparator: >= (以上, 突破, 不少于), <= (以内, 控制在), growth, or =.
Its year: a target's is the year it names (到2025年, 十四五末) or the document's; a result's the year it
names, or the year before the document's (a work report reviews the year before the one it plans),
or the document's own for a review.

The words behind every rule are lexicon/data/figure_cues.tsv. A metric keeps the text's words; each
figure also names its concept of the SKOS metrics scheme (`metric_id`, `metric_label`) when one fits,
so the same measure of different cities is one metric. Values are also
given in one unit per kind (`value_normalised`, `unit_normalised`: 万元 → 亿元, 万家 → 家).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from itertools import accumulate

from policykg.ingest import numerals
from policykg.ingest.parts import part_at
from policykg.ingest.quantities import Quantity, base_unit, find_quantities, normalise_unit, unit_class
from policykg.ingest.record import Part, Result, Target
from policykg.lexicon import gazetteer
from policykg.ontology.vocabularies import Concept, fold_metric, match_metric

CUES_FILE = "figure_cues.tsv"
TARGET, RESULT = "target", "result"

_CLAUSE_HARD = re.compile(r"[。；;！？!?\n：:]")
_CLAUSE_SOFT = re.compile(r"[，,]")
_CLAUSE_END = re.compile(r"[，,；;。！？!?\n]")
_SENTENCE_END = re.compile(r"[；;。！？!?\n]")
# How far back a sentence's or clause's start is looked for. Figures of one sentence share its start (a list
# shares its metric and verb), so it must reach the start of the genre's long sentences (several hundred
# characters of 。-free review); past it a run without an end is read from here, never from the text's start.
_LOOK_BACK = 1000
# A sentence that says for whom ((第二条) 对…的企业，给予…), after an article's or item's number.
_FOR_WHOM = re.compile(r"\s*(?:第[^条\n]{1,5}条|[（(][^）)\n]{1,3}[）)]|\d{1,2}[.、．])?\s*对")
_GOAL_GENRES = ("plan", "work-report", "review", "task-table")  # genres whose sentences set or report goals
_END_AFTER = re.compile(r"\s*(?:$|[，,；;。、）)\n！？!?：:]|的|和|及|与|并|或)")
_YEAR = re.compile(r"((?:19|20)\d\d)\s*年")
_YEARS_AGO = {"去年": 1, "上年": 1, "前年": 2}
_CHANGED_FROM = re.compile(r"由[^，,；;。由]*?[0-9一二三四五六七八九十]")  # 由520家增加到, 由去年的61个、6个发展到
_REPORTED_YEAR = re.compile(rf"(?P<year>(?:19|20)\d\d)\s*年|(?P<ago>{'|'.join(_YEARS_AGO)})")
_RANGE_BEFORE = re.compile(r"[-—–~～至到]\s*$")
# The last year of each five-year plan: 到“十四五”末 is 2025.
_FIVE_YEAR_PLANS = {"十五": 2005, "十一五": 2010, "十二五": 2015, "十三五": 2020, "十四五": 2025, "十五五": 2030}
_FIVE_YEAR = re.compile(r"(?P<plan>十[一二三四五]?五)[”\"』」]?(?:末|期末|期间|时期|规划)")
_GENERIC_WORD_CHARS = re.compile(r"[^\u4e00-\u9fffA-Za-z]")
_ASIDE = re.compile(r"[（(][^）)]{0,12}[）)]")  # 省级以上科技企业孵化器（众创空间）: an aside, not the metric
_QUOTES = re.compile(r"[“”\"‘’「」]")
_LIST_ITEM = re.compile(r"\s*(?:以上|左右|及以上)?\s*[、和及与]\s*[^，,]*")  # what separates the items of a list
_COUNTED = frozenset({"count", "people", "event"})


@dataclass(frozen=True)
class Figures:
    targets: list[Target]
    results: list[Result]


# ---------------------------------------------------------------- the cue words (lexicon/data/figure_cues.tsv)

_ROLES = (
    "goal-verb",
    "strict-goal-verb",
    "st-thing",
    "subject-verb",
    "metric-lead",
    "metric-tail",
    "noun-stop",
    "generic-metric",
    "generic-verb",
    "tail",
    "threshold-noun",
    "support",
    "subsidy",
    "disburse",
    "cap",
    "threshold",
    "rule",
    "per-unit",
    "per-rate",
    "procedure",
    "number-opens",
    "scope",
    "transition",
    "ranking",
    "descriptive",
    "past",
    "estimate",
    "future",
    "aim",
    "this-year",
    "ge",
    "le",
    "growth",
    "stock-noun",
    "stock-verb",
    "flow-verb",
    "ratio-word",
    "baseline",
    "growth-noun",
    "ge-clause",
    "weak-goal-verb",
    "goal-noun",
    "small-count-unit",
    "same-count-unit",
    "level",
    "metric-filler",
    "glossary",
)


@cache
def _words() -> dict[str, tuple[str, ...]]:
    by_role: dict[str, list[str]] = {role: [] for role in _ROLES}
    for cue, role in gazetteer.vocabulary(CUES_FILE):
        if role not in by_role:
            raise ValueError(f"{CUES_FILE}: unknown role {role!r} of {cue!r}")
        by_role[role].append(cue)
    return {role: tuple(sorted(words, key=len, reverse=True)) for role, words in by_role.items()}


def _alternation(role: str) -> str:
    return "|".join(map(re.escape, _words()[role]))


@dataclass(frozen=True)
class _Patterns:
    goal_verb: re.Pattern[str]
    strict_goal_verb: re.Pattern[str]
    st_thing: re.Pattern[str]
    subject_verb: re.Pattern[str]
    leading: re.Pattern[str]
    trailing: re.Pattern[str]
    noun_stop: re.Pattern[str]
    generic: re.Pattern[str]
    generic_verb: re.Pattern[str]
    tail: re.Pattern[str]
    threshold_before: re.Pattern[str]
    neither: re.Pattern[str]  # support, cap, threshold, rule words in the clause before
    descriptive: re.Pattern[str]
    procedure: re.Pattern[str]
    per_unit: re.Pattern[str]  # 每人, 单个 just before the number
    per_rate: re.Pattern[str]  # 元/月, 元每人: right after it
    subsidy_after: re.Pattern[str]  # …的10%给予奖励, 50万元补助: the grant follows the number
    subsidy: re.Pattern[str]
    grant: re.Pattern[str]  # support and subsidy words: a sentence that grants
    disburse: re.Pattern[str]
    opens: re.Pattern[str]  # a count right after these opens its own noun phrase
    scope: re.Pattern[str]
    transition: re.Pattern[str]  # 提高到, 增加到: from a starting level to the one reached
    ranking: re.Pattern[str]
    tense: re.Pattern[str]  # past, estimate, future cues and years: the last one before the number decides
    target_year: re.Pattern[str]  # 到2025年, 十四五末, 三年内, 今年: the nearest before the number says for when
    aim: re.Pattern[str]  # 有 and 达到 before a count state a figure only in a clause that aims (争取年内有10名院士…)
    ge: re.Pattern[str]
    le: re.Pattern[str]
    growth: re.Pattern[str]
    growth_noun: re.Pattern[str]
    ge_clause: re.Pattern[str]
    weak_goal_verb: re.Pattern[str]
    goal_object: re.Pattern[str]  # …的招商引资任务 after a figure
    level: re.Pattern[str]
    glossary: re.Pattern[str]
    growth_tail: re.Pattern[str]
    stock_noun: re.Pattern[str]
    verbs: re.Pattern[str]  # stock and flow verbs: the nearest before the number decides
    ratio_word: re.Pattern[str]  # an intensity: per head, per unit of output
    baseline_before: re.Pattern[str]
    baseline_after: re.Pattern[str]


@cache
def _patterns() -> _Patterns:
    w = _alternation
    tense = (
        rf"(?P<year>(?:19|20)\d\d)\s*年|(?P<past>{w('past')})|(?P<estimate>{w('estimate')})|"
        rf"(?P<future>{w('future')})|(?P<this_year>{w('this-year')})|(?P<done>(?<![为除])了(?!解))|{_FIVE_YEAR.pattern}"
    )
    return _Patterns(
        goal_verb=re.compile(w("goal-verb")),
        strict_goal_verb=re.compile(w("strict-goal-verb")),
        st_thing=re.compile(w("st-thing")),
        subject_verb=re.compile(rf"([\u4e00-\u9fff]{{0,12}}?)({w('subject-verb')})"),
        leading=re.compile(rf"^(?:[，,、\s]|(?:19|20)\d\d年(?:底|末)?|{w('metric-lead')})+"),
        trailing=re.compile(rf"(?:{w('metric-tail')})+$"),
        noun_stop=re.compile(rf"[，,；;。、：:！？!?\n（(“”\"《0-9０-９]|(?<!级)以上|{w('noun-stop')}"),
        generic=re.compile(rf"^(?:{w('generic-metric')})$"),
        generic_verb=re.compile(rf"^(?:{w('generic-verb')})$"),
        tail=re.compile(w("tail")),
        threshold_before=re.compile(rf"(?:{w('threshold-noun')})$"),
        neither=re.compile("|".join(w(role) for role in ("support", "cap", "threshold", "rule"))),
        descriptive=re.compile(w("descriptive")),
        procedure=re.compile(w("procedure")),
        per_unit=re.compile(rf"(?:{w('per-unit')})[^，,；;。\n]{{0,4}}$"),
        per_rate=re.compile(rf"\s*(?:{w('per-rate')})"),
        subsidy_after=re.compile(rf"^[^，,；;。\n]{{0,12}}?(?:{w('support')}|{w('subsidy')})"),
        subsidy=re.compile(w("subsidy")),
        grant=re.compile(f"{w('support')}|{w('subsidy')}"),
        disburse=re.compile(w("disburse")),
        opens=re.compile(rf"(?:{w('number-opens')})\s*$"),
        scope=re.compile(rf"^(?:{w('scope')})$"),
        transition=re.compile(w("transition")),
        ranking=re.compile(rf"(?:{w('ranking')})[^，,；;。\n]{{0,8}}$|前$"),
        tense=re.compile(tense),
        target_year=re.compile(
            rf"(?P<year>(?:19|20)\d\d)\s*年|{_FIVE_YEAR.pattern}|(?P<within>[一二两三四五六七八九十]|\d{{1,2}})年(?:内|之内)|"
            rf"(?P<this_year>{w('this-year')})"
        ),
        aim=re.compile(w("aim")),
        ge=re.compile(rf"(?:{w('ge')})$"),
        le=re.compile(rf"(?:{w('le')})$"),
        growth=re.compile(rf"(?:{w('growth')})(?:保持|达到|达|在|为|超过|超)?$"),
        growth_noun=re.compile(w("growth-noun")),
        ge_clause=re.compile(w("ge-clause")),
        weak_goal_verb=re.compile(rf"^(?:{w('weak-goal-verb')})$"),
        goal_object=re.compile(rf"[^，,；;。\n]{{0,30}}?的([\u4e00-\u9fff]{{2,10}}?)(?:{w('goal-noun')})"),
        level=re.compile(w("level")),
        glossary=re.compile(w("glossary")),
        growth_tail=re.compile(rf"(?:{w('growth')})+$"),
        stock_noun=re.compile(w("stock-noun")),
        verbs=re.compile(rf"(?P<stock>{w('stock-verb')})|(?P<flow>{w('flow-verb')})"),
        ratio_word=re.compile(w("ratio-word")),
        baseline_before=re.compile(rf"(?:{w('baseline')})\s*$"),
        baseline_after=re.compile(rf"(?:底|末)?(?:的)?(?:{w('baseline')})"),  # used with match(text, pos): no ^
    )


# ---------------------------------------------------------------- figures


@dataclass
class _Candidate:
    quantity: Quantity
    tail_end: int
    metric: str
    comparator: str
    text_start: int
    extractor: str
    sentence: int  # where its sentence starts
    clause_prefix: str  # the clause before the number
    kind: str = "flow"
    year: int | None = None
    part: str | None = None


def extract_figures(text: str, year: int | None, parts: list[Part] | None = None, genre: str | None = None) -> Figures:
    """The document's targets and results, each once, in document order. `year` is the year the
    document plans (its metadata year), `parts` and `genre` as ingest/parts.py gives them."""
    targets: list[_Candidate] = []
    results: list[_Candidate] = []
    for candidate in _candidates(text, genre):
        part = part_at(parts, candidate.quantity.start) if parts else None
        if part == "other" and parts and _glossary(parts, candidate.quantity.start):
            continue  # 名词解释: a report's notes explain its words, they state no figures
        fact = _fact(text, candidate, year, _reading_part(parts, candidate.quantity.start) if parts else None, genre)
        if fact is None:
            continue
        sentence_prefix = _said_before(text, candidate)
        dated = replace(
            candidate,
            part=part,
            kind=_kind(candidate),
            year=_target_year(sentence_prefix, year) if fact == TARGET else _result_year(sentence_prefix, year, genre),
        )
        (targets if fact == TARGET else results).append(dated)
    return Figures(
        [_as_figure(text, c) for c in _dedupe(targets)],
        [_as_figure(text, c) for c in _dedupe(results)],
    )


@dataclass
class _List:
    """What the figures read so far in a sentence leave to the next: a list of figures shares its verb, metric and
    comparator (同比分别增长18%、12%: both growth)."""

    end: int = -1  # where the last figure ended
    metric: tuple[int, str] | None = None  # (sentence start, metric) of the last figure
    comparator: str = "="
    verb: tuple[int, str] | None = None  # (sentence start, goal verb) of the last figure counted before its noun


@dataclass(frozen=True)
class _Context:
    """Where a quantity stands: its tail (以上, 左右), its sentence, clause and list item, and the text before it."""

    quantity: Quantity
    tail_word: str
    tail_end: int
    sentence: int  # after the last 。；：or line break
    clause: int  # after the last comma too
    segment: int  # after the last list separator (、和及与) of a list of figures
    prefix: str  # the list item before the number (with the list's verb)
    clause_prefix: str  # the clause before the number


@dataclass(frozen=True)
class _Reading:
    metric: str
    extractor: str
    end: int
    start: int
    verb: str | None = None


def _candidates(text: str, genre: str | None = None) -> list[_Candidate]:
    """Every quantity that states a figure, with its metric, comparator and the clause it stands in."""
    quoted = _quoted(text)
    quantities = find_quantities(text)
    starts = [q.start for q in quantities]  # in order (find_quantities sorts them): the next one is a bisect away
    found: list[_Candidate] = []
    listed = _List()
    for quantity in quantities:
        if quoted(quantity.start):
            continue
        context = _context(text, quantity, listed)
        after = _END_AFTER.match(text, context.tail_end)
        if (
            _is_neither(text, context)
            or _is_rhetoric(text, context)
            or _is_threshold(text, context, after)
            or _is_grant_condition(text, context, genre)
        ):
            continue
        reading = None
        if after is None or text.startswith("的", context.tail_end):  # 3家企业挂牌上市, 86%的农民享受医保
            reading = _count_first(text, context, starts)
        if reading is None:
            reading = _after_metric(text, context, listed) if after is not None else _before_noun(text, context)
        listed.verb = (context.sentence, reading.verb) if reading and reading.verb else None
        if reading is None or not re.search(r"[\u4e00-\u9fff]", reading.metric):
            continue
        metric = reading.metric.strip()
        comparator = _comparator(context, listed)
        found.append(
            _Candidate(
                quantity,
                reading.end,
                normalise_metric(metric, quantity.unit),
                comparator,
                _skip_space(text, reading.start),
                reading.extractor,
                context.sentence,
                context.clause_prefix,
            )
        )
        listed.end, listed.metric, listed.comparator = reading.end, (context.sentence, metric), comparator
    return found


def _context(text: str, quantity: Quantity, listed: _List) -> _Context:
    p = _patterns()
    tail = p.tail.match(text, quantity.end)
    tail_end = tail.end() if tail else quantity.end
    sentence = _clause_start(text, quantity.start, soft=False)
    clause = _clause_start(text, quantity.start)
    segment = clause
    between = text[listed.end : quantity.start]
    if sentence <= listed.end < quantity.start and _LIST_ITEM.fullmatch(between):
        separator = re.search(r"[、和及与]", between)
        segment = max(clause, listed.end + (separator.end() if separator else 0))
    prefix = text[segment : quantity.start]
    if segment > clause and not prefix.strip() and listed.verb and listed.verb[0] >= sentence:
        prefix = listed.verb[1] + prefix  # 引进两个人才团队、三名院士: the list's items share its verb
    return _Context(
        quantity,
        tail.group() if tail else "",
        tail_end,
        sentence,
        clause,
        segment,
        prefix,
        text[clause : quantity.start],
    )


def _after_metric(text: str, c: _Context, listed: _List) -> _Reading:
    """A number after its metric (技术合同成交额达到70亿元): the clause before it names the metric, or the
    sentence's earlier figure does when the clause only says 总数, 占…比重 or 新增."""
    p = _patterns()
    metric = _clean_metric(c.prefix)
    earlier = listed.metric[1] if listed.metric and listed.metric[0] >= c.sentence else None
    if p.generic_verb.match(metric) and earlier:
        metric = earlier + metric  # …达到15家，新增3家: 新增 what the sentence counts
    elif (
        len(_GENERIC_WORD_CHARS.sub("", metric)) < 2
        or p.generic.match(metric)
        or metric.startswith(("占", "比重"))
        or c.prefix.lstrip(" ，,、").startswith("其中")
    ):
        if earlier:
            # …研发投入增长18%，占GDP比重达到1.3%: the share is of what the sentence measures, not of its growth
            metric = (p.growth_tail.sub("", earlier) if metric.startswith("占") else earlier) + metric
        else:
            before = text[_clause_start(text, c.clause - 1) if c.clause else 0 : max(c.clause - 1, 0)]
            metric = _clean_metric(before) + metric
    goal = p.goal_object.match(text, c.tail_end)
    if goal and goal.group(1) not in metric:  # 签约4项、开工1项的招商引资任务
        metric = goal.group(1) + metric
    return _Reading(metric, "rule:number-unit", c.tail_end, c.segment)


def _count_first(text: str, c: _Context, starts: list[int]) -> _Reading | None:
    """A count that opens its clause or noun phrase, its noun then acting: 3家企业挂牌上市, …和3家村镇银行开业,
    …等26个项目获得支持; not when the clause states its own figure (30家重点企业实现产值400亿元: whose)."""
    p = _patterns()
    opening = _clean_metric(c.prefix)
    if opening and not p.scope.match(opening) and not p.opens.search(c.clause_prefix):
        return None
    subject = p.subject_verb.match(text, c.tail_end + text.startswith("的", c.tail_end))
    if subject is None:
        return None
    end = _clause_end(text, c.tail_end)
    following = bisect.bisect_left(starts, c.tail_end)  # the first quantity after this one's tail
    later = starts[following] if following < len(starts) and starts[following] < end else None
    if later is not None:
        joined = p.opens.search(text, subject.end(), later)  # …开业和4家企业获评…: the next count opens its own
        if joined is None or joined.end() != later:
            return None
        end = joined.start()
    return _Reading(subject.group(1) + text[subject.start(2) : end], "rule:number-subject", end, c.quantity.start)


def _before_noun(text: str, c: _Context) -> _Reading | None:
    """A number before its noun, set by a goal verb: 培育100名骨干专家人才."""
    verb = _goal_verb(c.prefix, c.clause_prefix)
    if verb is None:
        return None
    noun_end = min(_noun_end(text, c.tail_end), c.tail_end + 24)
    if noun_end - c.tail_end < 2:
        return None
    return _Reading(verb + text[c.tail_end : noun_end], "rule:number-noun", noun_end, c.segment, verb)


def _is_rhetoric(text: str, c: _Context) -> bool:
    """四项措施, 两个维护, 一次科技大讲堂: a small Chinese count that is rhetoric or too vague to count."""
    q = c.quantity
    return (
        q.chinese
        and q.value < 10
        and base_unit(q.unit) == q.unit  # 一万家 is ten thousand
        and unit_class(q.unit) in _COUNTED
        and not _small_count_is_figure(text, q, c.prefix, c.tail_end)
    )


def _is_neither(text: str, c: _Context) -> bool:
    """A subsidy, threshold, rule, rate per unit, ranking or description: no figure at all."""
    p = _patterns()
    quantity, prefix, clause_prefix, tail_end = c.quantity, c.prefix, c.clause_prefix, c.tail_end
    unit_kind = unit_class(quantity.unit)
    if p.neither.search(clause_prefix) or p.subsidy_after.search(text[tail_end : tail_end + 16]):
        return True  # 给予50万元奖励, 原则上不超过1次, 最高补助50万元, 按…的10%给予补助
    if _is_starting_level(text, c):
        return True  # 由520家增加到550家: the figure is the level reached
    if unit_kind == "money" and p.subsidy.search(clause_prefix) and not p.disburse.search(clause_prefix):
        return True  # 补助50万元 is a grant; 发放人才补助5.4亿元 reports money paid
    if p.per_unit.search(prefix) or p.per_rate.match(text, tail_end):
        return True  # 每人每年, 单个项目, 1000元/月: a rate, not a total
    if unit_kind in ("money", "rate") and re.search(r"按[^，,；;。\n]{0,20}$", prefix):
        return True  # 按计税报酬总额的50%, 按20%的税率: a rate applied to a base
    if quantity.value == 1 and re.search(r"每[\u4e00-\u9fff]{1,3}$", prefix):
        return True  # 每新增1名…奖励: per one
    if quantity.start and text[quantity.start - 1] == "第":
        return True  # 第3位, 第二批: an ordinal
    if unit_kind in ("people", "event") and p.procedure.search(clause_prefix + text[tail_end : tail_end + 8]):
        return True  # 评审专家不少于3名, 验收专家组成员5人: a procedural minimum
    if unit_kind not in ("rate", "change") and p.descriptive.search(clause_prefix):
        return True  # 下辖3县2区, 常住人口320万人: the place described (常住人口城镇化率 is a figure)
    return quantity.unit in ("位", "名") and bool(p.ranking.search(clause_prefix))


def _is_grant_condition(text: str, c: _Context, genre: str | None) -> bool:
    """对年销售收入3000万元以上的企业…给予补助: a number before the grant of a sentence that grants is its condition
    (or its amount). A policy's sentences grant; a plan's may set a goal before granting (新增100家，对…给予奖励), so
    there only a sentence opening with 对 (for whom) is a rule."""
    p = _patterns()
    end = _SENTENCE_END.search(text, c.tail_end)
    if not p.grant.search(text, c.tail_end, end.start() if end else len(text)):
        return False
    return genre not in _GOAL_GENRES or _FOR_WHOM.match(text, c.sentence) is not None


def _is_starting_level(text: str, c: _Context) -> bool:
    """由去年的61个发展到168个, 由1.8%提高到2.5%: a number between 由 and the change to the level reached."""
    p = _patterns()
    opened = c.clause_prefix.rfind("由")
    if opened == -1 or p.transition.search(c.clause_prefix, opened):
        return False
    return p.transition.search(text, c.tail_end, _clause_end(text, c.tail_end)) is not None


def _is_threshold(text: str, c: _Context, after: re.Match[str] | None) -> bool:
    """A threshold that picks whom a measure is for: 年销售收入2000万元以上的企业, 亿元以上项目 (money
    with 以上 before a noun), 投资超过1000万元的 (money or a share passing a bound, then 的)."""
    p = _patterns()
    quantity, prefix, tail_end = c.quantity, c.prefix, c.tail_end
    bounded = c.tail_word in ("以上", "以下", "及以上")
    if after is not None and text.startswith("的", after.end() - 1):
        if bounded or p.threshold_before.search(prefix.rstrip()):
            return True
        if unit_class(quantity.unit) in ("money", "rate") and p.ge.search(prefix.rstrip()):
            return True
    return (
        bounded
        and unit_class(quantity.unit) == "money"
        and after is None
        and bool(re.match(r"[\u4e00-\u9fff]", text[tail_end : tail_end + 1]))
    )


def _noun_end(text: str, start: int) -> int:
    """Where the noun after a count ends: at a stop word or punctuation, reading through quoted words
    (2家“国字号”研发机构, 5家专精特新“小巨人”)."""
    p = _patterns()
    position = start
    while (stop := p.noun_stop.search(text, position, start + 24)) is not None:
        closing = text.find("”", stop.end(), stop.end() + 12) if stop.group() == "“" else -1
        if closing == -1:
            return stop.start()
        position = closing + 1
    return min(len(text), start + 20)


def _small_count_is_figure(text: str, quantity: Quantity, prefix: str, tail_end: int) -> bool:
    """Whether 两个/三家… is a figure: the object of a goal verb (新建两个省级重点实验室) or the figure of a
    clause that sets one (新增国家级孵化器两家), and a science-and-technology thing is what it counts."""
    p = _patterns()
    if quantity.unit not in _words()["small-count-unit"]:
        return False  # 一批, 一次: a batch or an occasion, not a number of things
    verb_before = re.search(rf"(?:{p.strict_goal_verb.pattern})了?$", prefix.rstrip())
    if verb_before:
        return bool(p.st_thing.search(text[tail_end : min(_noun_end(text, tail_end), tail_end + 24)]))
    return (
        _END_AFTER.match(text, tail_end) is not None
        and bool(p.strict_goal_verb.search(prefix))
        and bool(p.st_thing.search(prefix))
    )


# ---------------------------------------------------------------- target or result, kind, year


def _part_index(parts: list[Part], offset: int) -> int:
    """The index of the part holding `offset` (parts sorted and apart, as ingest/parts.py gives them), or -1."""
    index = bisect.bisect_right([p["start"] for p in parts], offset) - 1
    return index if index >= 0 and offset < parts[index]["end"] else -1


def _reading_part(parts: list[Part], offset: int) -> str | None:
    """The kind of part a figure is read in: an 'other' part in the midst of a work report (政府自身建设不断加强 in
    the look back, 加强政府自身建设 in the plan) reads as the review or plan part before it."""
    index = _part_index(parts, offset)
    while index >= 0 and parts[index]["kind"] == "other":
        index -= 1
    return parts[index]["kind"] if index >= 0 else None


def _glossary(parts: list[Part], offset: int) -> bool:
    index = _part_index(parts, offset)
    return index >= 0 and _patterns().glossary.search(parts[index]["heading"]) is not None


def _fact(text: str, c: _Candidate, year: int | None, part: str | None, genre: str | None) -> str | None:
    """target, result, or None for a number a regulation states as a rule."""
    said = _said(_said_before(text, c), year, genre)
    if said is not None:
        return said
    if part == "review":
        return RESULT
    if part == "plan":
        return TARGET
    if genre == "review":
        return RESULT
    if genre == "regulation":
        return None  # a regulation's numbers are its rules (time limits, fines, shares), not goals
    return TARGET


def _said_before(text: str, c: _Candidate) -> str:
    """The sentence before the number, with the clause a colon ends when the sentence follows one: 根据“十三五”规划，
    主要预期目标是：地区生产总值年均增长9.5%… (what introduces a list governs its items)."""
    start = c.sentence
    if start and text[start - 1] in "：:":
        start = _clause_start(text, start - 1, soft=False)
    return text[start : c.quantity.start]


def _said(sentence_prefix: str, year: int | None, genre: str | None) -> str | None:
    """What the sentence says of the number: the tense cue nearest before it, if any."""
    p = _patterns()
    said: str | None = None
    for cue in p.tense.finditer(sentence_prefix):
        if cue.group("year"):
            named = int(cue.group("year"))
            if year is None or _is_baseline(sentence_prefix, cue.start(), cue.end()):
                continue
            in_range = _range_before(sentence_prefix, cue.start())  # 2021—2025年: a plan's period
            said = RESULT if named < year and not in_range else TARGET
        elif cue.group("past"):
            if not _is_baseline(sentence_prefix, cue.start(), cue.end()):
                said = RESULT
        elif cue.group("estimate"):
            later = [int(y) for y in _YEAR.findall(sentence_prefix, cue.end())]
            said = TARGET if later and year is not None and max(later) > year else RESULT
        elif cue.group("future"):
            said = TARGET
        elif cue.group("this_year"):
            said = RESULT if genre == "review" else TARGET  # 今年: the year planned, or the one a summary reviews
        elif cue.group("done"):
            said = RESULT
        elif cue.group("plan") and year is not None:
            said = TARGET if _FIVE_YEAR_PLANS[cue.group("plan")] >= year else RESULT  # 到“十四五”末, 十三五期间
    return said


def _range_before(text: str, position: int) -> bool:
    """A range dash (or 至, 到) ends text[:position], spaces aside: looked for from `position` back, not by a
    search of the whole prefix, which can be the whole document (a sentence found no end within 200 characters)."""
    while position > 0 and text[position - 1].isspace():
        position -= 1
    return position > 0 and _RANGE_BEFORE.match(text, position - 1, position) is not None


def _is_baseline(text: str, start: int, end: int) -> bool:
    """比上年, 较2020年, 以2020年为基数, 在2020年的基础上: a base of comparison, not what is reported."""
    p = _patterns()
    return bool(p.baseline_before.search(text[max(0, start - 3) : start]) or p.baseline_after.match(text, end))


def _kind(c: _Candidate) -> str:
    """growth, ratio, stock or flow (GUIDELINES.md): only like kinds compare."""
    p = _patterns()
    unit_kind = unit_class(c.quantity.unit)
    if c.comparator == "growth" or unit_kind == "change":
        return "growth"
    if unit_kind == "rate":
        return "growth" if p.growth_noun.search(c.metric[-4:]) else "ratio"
    if p.ratio_word.search(c.metric):
        return "ratio"  # 每万人口发明专利拥有量, 万元GDP能耗: an intensity, whatever its unit
    if p.stock_noun.search(c.metric) or p.stock_noun.search(c.clause_prefix):
        return "stock"
    if unit_kind in _COUNTED:
        verbs = list(p.verbs.finditer(c.clause_prefix))
        if verbs and verbs[-1].group("stock"):
            return "stock"
    return "flow"


def _target_year(sentence_prefix: str, year: int | None) -> int | None:
    """The year a target is for: the nearest the sentence names before it (到2025年, 十四五末, 三年内, 今年), else
    the document's. A past year named is a base (以2020年为基数), not the year the target is for."""
    found = year
    for cue in _patterns().target_year.finditer(sentence_prefix):
        if cue.group("year"):
            named = int(cue.group("year"))
            found = named if year is None or named >= year else found
        elif cue.group("plan"):
            found = _FIVE_YEAR_PLANS[cue.group("plan")]
        elif cue.group("within") and year is not None:
            span = cue.group("within")
            found = year + (int(span) if span.isdigit() else numerals.integer(span.replace("两", "二")) or 0)
        elif cue.group("this_year"):
            found = year
    return found


def _result_year(sentence_prefix: str, year: int | None, genre: str | None) -> int | None:
    """The year a result reports on: the last it names (2022年, 去年; not a base of comparison: 比上年), else
    the year the document reviews: its own for a review (工作总结), the one before the year it plans for a work
    report or plan."""
    reported = None
    for named in _REPORTED_YEAR.finditer(sentence_prefix):
        if _is_baseline(sentence_prefix, named.start(), named.end()):
            continue
        if named.group("year"):
            reported = int(named.group("year")) if year is None or int(named.group("year")) <= year else reported
        elif year is not None:
            reported = year - _YEARS_AGO[named.group("ago")]
    if reported is not None or year is None:
        return reported
    return year if genre == "review" else year - 1


# ---------------------------------------------------------------- metric, comparator, clause helpers


def normalise_metric(metric: str, unit: str = "") -> str:
    """The metric in the text's own words, tidied: asides and quotes dropped, a measure word added for counts
    (高新技术企业 → 高新技术企业数量). What it measures across cities is its concept (`metric_id`), not its name."""
    metric = _ASIDE.sub("", metric).replace("＆", "&")
    metric = _QUOTES.sub("", metric).strip(" ，,、：:()（）")
    unit_kind = unit_class(unit)
    if unit_kind == "people" and not re.search(r"(?:人数|人次|数量|总数|规模)$", metric):
        metric += "人数"
    elif unit_kind == "event" and not re.search(r"(?:次数|场次|数量)$", metric):
        metric += "次数"
    elif unit_kind == "count" and not re.search(r"(?:数|数量|总数|总量|规模|量)$", metric):
        metric += "数量"
    return metric


def _quoted(text: str) -> Callable[[int], bool]:
    """Whether an offset lies inside 《》 or quotes (a title, a campaign's name: “百名博士进千企”)."""
    spans = sorted(
        (m.start(), m.end())
        for pattern in (r"《[^《》\n]{0,80}》", r"“[^“”\n]{0,40}”", r"\"[^\"\n]{0,40}\"", r"「[^「」\n]{0,40}」")
        for m in re.finditer(pattern, text)
    )
    starts = [start for start, _ in spans]
    ends = list(accumulate((end for _, end in spans), max))  # the furthest end of the spans starting so far

    def inside(offset: int) -> bool:
        before = bisect.bisect_right(starts, offset) - 1
        return before >= 0 and ends[before] > offset

    return inside


@lru_cache(maxsize=2)
def _punctuation(text: str) -> tuple[list[int], list[int]]:
    """Where sentences (。；：, line breaks) and clauses (commas) end, once per text (a str caches its hash)."""
    return [m.end() for m in _CLAUSE_HARD.finditer(text)], [m.end() for m in _CLAUSE_SOFT.finditer(text)]


def _clause_start(text: str, position: int, soft: bool = True) -> int:
    """Where the sentence (or with `soft` the clause) holding `position` starts: after the nearest end at most
    _LOOK_BACK characters back, else _LOOK_BACK characters back. It was the start of the text when no end lay
    within 200 characters: every number of a long sentence then rescanned all the text before it (quadratic),
    and the last tense cue anywhere before it decided whether it was a target."""
    window = max(position - _LOOK_BACK, 0)
    start = window
    for ends in _punctuation(text) if soft else _punctuation(text)[:1]:
        index = bisect.bisect_right(ends, position) - 1
        if index >= 0 and ends[index] >= window:
            start = max(start, ends[index])
    return start


def _clause_end(text: str, position: int) -> int:
    match = _CLAUSE_END.search(text, position)
    return match.start() if match else len(text)


def _skip_space(text: str, start: int) -> int:
    while start < len(text) and text[start] in " \t\u3000，,、":
        start += 1
    return start


def _clean_metric(prefix: str) -> str:
    p = _patterns()
    changed = _CHANGED_FROM.search(prefix)
    if changed:
        prefix = prefix[: changed.start()]  # 规上工业企业由520家增加到: the metric is what changed
    metric = p.leading.sub("", prefix.strip())
    metric = p.trailing.sub("", metric.strip())
    return metric.strip(" ，,、")


def _goal_verb(prefix: str, clause_prefix: str) -> str | None:
    """The goal verb a number before its noun depends on, if any (培育100名…, …等5家企业创建…)."""
    p = _patterns()
    if clause_prefix.rstrip().endswith("等"):
        verbs = list(p.goal_verb.finditer(clause_prefix))
        return verbs[0].group() if verbs else None
    verbs = list(p.goal_verb.finditer(prefix))
    if not verbs:
        return None
    last = verbs[-1]
    between = prefix[last.end() :]
    if "的" in between or len(between) > 12 or re.search(r"[，,、]", between):
        return None
    if p.weak_goal_verb.match(last.group()) and not p.aim.search(clause_prefix):
        return None
    return last.group()


def _comparator(c: _Context, listed: _List) -> str:
    """>=, <=, growth or =, from the words right before the number and its tail; an item of a list without a word
    of its own has its list's (同比分别增长18%、12%)."""
    own = _own_comparator(c)
    bare_item = c.segment > c.clause and not c.clause_prefix[c.segment - c.clause :].strip()
    return listed.comparator if own == "=" and bare_item else own


def _own_comparator(c: _Context) -> str:
    p = _patterns()
    local = c.prefix.rstrip()
    if unit_class(c.quantity.unit) in ("rate", "change") and p.growth.search(local[-10:]):
        return "growth"
    floor = c.tail_word in ("以上", "及以上") or c.quantity.approximate  # 100家以上, 100余场
    if floor or p.ge.search(local) or p.ge_clause.search(c.clause_prefix):
        return ">="
    if c.tail_word in ("以内", "以下") or p.le.search(local):
        return "<="
    return "="


# ---------------------------------------------------------------- the same figure stated twice


def _key(metric: str) -> set[str]:
    filler = _filler_characters()
    return {ch for ch in metric if ch not in filler and not ch.isdigit() and not ch.isspace()}


@cache
def _filler_characters() -> frozenset[str]:
    return frozenset("".join(_words()["metric-filler"]))


def _same_figure(a: _Candidate, b: _Candidate) -> bool:
    """The same figure stated again (in the goals, then in a task): equal value, unit and year, and the same
    metric concept, or much the same words once folded (ontology/vocabularies.py)."""
    qa, qb = a.quantity, b.quantity
    if qa.value != qb.value or qa.value_max != qb.value_max or a.year != b.year:
        return False
    if _counted_as(qa.unit) != _counted_as(qb.unit):
        return False
    if a.sentence == b.sentence:
        return False  # two figures of one sentence are two figures
    levels_a, concept_a, ka = _figure_words(a.metric, qa.unit)
    levels_b, concept_b, kb = _figure_words(b.metric, qb.unit)
    if levels_a and levels_b and not levels_a & levels_b:
        return False  # 省级 and 市级 projects are different targets
    if concept_a is not None and concept_b is not None:
        return concept_a == concept_b  # 研发投入占GDP比重 and R&D/GDP: one measure, whatever the words
    if not ka or not kb:
        return False
    shared = len(ka & kb)
    return shared / min(len(ka), len(kb)) >= 0.6 and shared / len(ka | kb) >= 0.5  # not 引进总部项目/引进数字经济项目


@lru_cache(maxsize=65536)
def _figure_words(metric: str, unit: str) -> tuple[frozenset[str], Concept | None, frozenset[str]]:
    """What a figure is compared by when restated: its levels, its metric concept, and its folded words (研发投入
    and R&D经费支出 fold alike). Worked out once per metric, not once per pair of figures of equal value."""
    return (
        frozenset(_patterns().level.findall(metric)),
        match_metric(metric, unit),
        frozenset(_key(fold_metric(metric))),
    )


def _counted_as(unit: str) -> str:
    """家, 户 and 个 count firms alike when a figure is restated."""
    alike = _words()["same-count-unit"]
    return alike[0] if unit in alike else unit


def _dedupe(candidates: list[_Candidate]) -> list[_Candidate]:
    """A target in the goals and again in a task is one target (a result stated twice, one result)."""
    kept: list[_Candidate] = []
    # only equal values can be one figure
    by_value: dict[tuple[float, float | None, str, int | None], list[_Candidate]] = {}
    for candidate in candidates:
        q = candidate.quantity
        # the year too: figures of different years are never one (_same_figure), so never compared
        same_value = by_value.setdefault((q.value, q.value_max, _counted_as(q.unit), candidate.year), [])
        if not any(_same_figure(candidate, earlier) for earlier in same_value):
            kept.append(candidate)
            same_value.append(candidate)
    return kept


def _as_figure(text: str, c: _Candidate) -> Target:
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
        kind=c.kind,
        part=c.part,
    )
