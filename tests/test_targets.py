"""Targets and results: the number/unit parser (with property tests), what makes a quantity a figure, whether it
is a goal or an achievement, its kind, comparator and year. Sentences are written for these tests in the genre's
wording, or come from the five samples."""

from __future__ import annotations

import cn2an
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policykg.ingest.quantities import find_quantities, unit_class
from policykg.ingest.record import Part
from policykg.ingest.targets import Figures, extract_figures, normalise_metric


def _targets(text: str, year: int | None = 2023) -> list[dict]:
    return [dict(t) for t in extract_figures(text, year).targets]


def _one(text: str, year: int | None = 2023) -> dict:
    figures = extract_figures(text, year)
    assert len(figures.targets) == 1 and not figures.results, figures
    return dict(figures.targets[0])


def _one_result(text: str, year: int | None = 2023, **context: object) -> dict:
    figures = extract_figures(text, year, **context)  # type: ignore[arg-type]
    assert len(figures.results) == 1 and not figures.targets, figures
    return dict(figures.results[0])


def _part(kind: str, text: str) -> list[Part]:
    return [Part(kind=kind, start=0, end=len(text), heading="")]


# ---------------------------------------------------------------- value, unit, comparator


@pytest.mark.parametrize(
    ("text", "value", "value_max", "unit", "comparator"),
    [
        ("培育国家高新技术企业100家。", 100, None, "家", "="),
        ("实施省级及以上科技计划项目100项以上。", 100, None, "项", ">="),
        ("技术合同登记额保持超1亿元。", 1, None, "亿元", ">="),
        ("高新技术企业总数突破400家。", 400, None, "家", ">="),
        ("科技特派员不少于500人。", 500, None, "人", ">="),
        ("力争引进高层次人才团队20个以上。", 20, None, "个", ">="),
        ("全社会研发经费年增长15%以上。", 15, None, "%", "growth"),
        ("高技术产业增加值增幅保持10%以上。", 10, None, "%", "growth"),
        ("R&D经费投入占GDP比重达到1.3%。", 1.3, None, "%", "="),
        ("城镇登记失业率控制在4.5%以内。", 4.5, None, "%", "<="),
        ("规划5-8平方公里交付建设园区。", 5, 8, "平方公里", "="),
        ("在沪举办1-2次专场科技招商活动。", 1, 2, "次", "="),
        ("培训农民30万人次。", 30, None, "万人次", "="),
        ("争取上级资金一亿元。", 1, None, "亿元", "="),
        ("争取上级科技专项资金两千万元。", 2000, None, "万元", "="),
        ("举办各类科技活动100余场。", 100, None, "场", ">="),
        ("新增就业岗位1万余个。", 1, None, "万个", ">="),
        ("开展应用场景对接活动5次左右。", 5, None, "次", "="),
        ("研发投入强度提高到2.3%以上。", 2.3, None, "%", ">="),
        ("科技成果转化率达到百分之三十。", 30, None, "%", "="),
        ("全年引进各类人才超万人。", 1, None, "万人", ">="),
        ("力争科技型企业达到万家以上。", 1, None, "万家", ">="),
        ("全市生产总值突破3万亿元。", 3, None, "万亿元", ">="),
    ],
)
def test_value_unit_and_comparator(
    text: str, value: float, value_max: float | None, unit: str, comparator: str
) -> None:
    target = _one(text)
    assert (target["value"], target["value_max"], target["unit"], target["comparator"]) == (
        value,
        value_max,
        unit,
        comparator,
    )
    assert text[target["start"] : target["end"]] == target["text"]


# ---------------------------------------------------------------- kind


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("到2025年，全市高新技术企业总数达到800家。", "stock"),
        ("至年底，省级科技小巨人企业达到120家。", "stock"),
        ("新能源汽车保有量达到5万辆。", "stock"),
        ("累计建成众创空间40家。", "stock"),
        ("金融机构本外币存款余额达到3000亿元。", "stock"),
        ("新增返乡创业服务站12个、达到45个。", "stock"),  # the second figure: the level reached
        ("新培育高新技术企业100家。", "flow"),
        ("引进高层次人才团队20个。", "flow"),
        ("实施重点科技项目100项。", "flow"),
        ("技术合同成交额达到20亿元。", "flow"),
        ("全社会研发投入10亿元。", "flow"),
        ("高新技术产业产值突破800亿元。", "flow"),
        ("地区生产总值增长7%左右。", "growth"),
        ("研发经费年均增长12%。", "growth"),
        ("工业增加值保持年均15%。", "growth"),
        ("常住人口城镇化率提高1个百分点。", "growth"),
        ("居民消费价格涨幅控制在3%以内。", "growth"),
        ("出口总额增长1.5倍。", "growth"),
        ("R&D经费投入占GDP比重达到2.5%。", "ratio"),
        ("科技进步贡献率达到60%。", "ratio"),
        ("行政村光纤覆盖率达到95%。", "ratio"),
        ("每万人口发明专利拥有量达到10件。", "ratio"),
        ("万元地区生产总值能耗降至0.5吨标准煤以下。", "ratio"),
    ],
)
def test_kind(text: str, kind: str) -> None:
    figures = extract_figures(text, 2023)
    assert [f["kind"] for f in figures.targets][-1:] == [kind], figures


def test_growth_and_its_level_in_one_sentence() -> None:
    targets = _targets("高新技术产业产值占规上工业比重达到40%，提高2个百分点。")
    assert [(t["value"], t["unit"], t["kind"], t["comparator"]) for t in targets] == [
        (40, "%", "ratio", "="),
        (2, "个百分点", "growth", "growth"),
    ]


# ---------------------------------------------------------------- target or result, and the year


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("2022年，全市新增高新技术企业52家。", 2022),  # a past year named in a plan
        ("去年全市技术合同成交额达到15亿元。", 2022),
        ("截至目前，已建成省级以上研发平台45个。", 2022),
        ("全市新增了国家级孵化器3家。", 2022),  # a verb with 了 (Chinese numeral: a goal verb on an S&T thing)
        ("预计全年规模以上工业增加值增长6.5%。", 2022),  # the estimate of the year just ended (a work report's)
    ],
)
def test_what_the_sentence_says_is_past_is_a_result(text: str, year: int) -> None:
    result = _one_result(text, 2023, parts=_part("plan", text))
    assert result["year"] == year


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("力争新增高新技术企业100家。", 2023),
        ("到2025年，高新技术企业达到1000家。", 2025),
        ("到“十四五”末，研发投入强度达到3%。", 2025),
        ("力争三年内建成人才公寓3000套。", 2026),
        ("预计到2025年，技术合同成交额突破100亿元。", 2025),
        ("力争地区生产总值比上年增长8%。", 2023),  # 上年 is the base of the growth, not the past reported
        ("力争以2020年为基数，研发投入年均增长10%。", 2023),
    ],
)
def test_what_the_sentence_aims_at_is_a_target_even_in_a_review(text: str, year: int) -> None:
    figures = extract_figures(text, 2023, _part("review", text), "work-report")
    assert [t["year"] for t in figures.targets] == [year] and not figures.results, figures


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("按照“十四五”规划部署，今年新增高新技术企业100家。", 2023),  # the nearest says for when
        ("根据“十三五”规划，主要预期目标是：地区生产总值年均增长9.5%。", 2020),  # what introduces a list governs it
        ("到2025年，力争两年内新增孵化器10家。", 2025),
    ],
)
def test_the_year_a_target_is_for(text: str, year: int) -> None:
    assert [t["year"] for t in _targets(text, 2023)] == [year]


def test_the_part_decides_when_the_sentence_does_not() -> None:
    review = "全年新增高新技术企业52家，技术合同成交额增长20.4%。"
    plan = "新增高新技术企业60家，技术合同成交额增长15%。"
    text = review + plan
    parts = [
        Part(kind="review", start=0, end=len(review), heading=""),
        Part(kind="plan", start=len(review), end=len(text), heading=""),
    ]
    figures = extract_figures(text, 2023, parts, "work-report")
    assert [(r["value"], r["year"], r["part"]) for r in figures.results] == [
        (52, 2022, "review"),
        (20.4, 2022, "review"),
    ]
    assert [(t["value"], t["year"], t["part"]) for t in figures.targets] == [(60, 2023, "plan"), (15, 2023, "plan")]


def test_a_work_reports_other_parts_read_as_the_part_before_them_and_its_notes_state_nothing() -> None:
    sections = [
        ("review", "一、2022年工作回顾", "全年新增高新技术企业52家。"),
        ("other", "政府自身建设不断加强", "办理人大代表建议120件。"),
        ("plan", "二、2023年工作安排", "新增高新技术企业60家。"),
        ("other", "名词解释", "“双百”：100家企业和100个项目。"),
    ]
    text, parts = "", []
    for kind, heading, body in sections:
        parts.append(Part(kind=kind, start=len(text), end=len(text) + len(heading) + 1 + len(body), heading=heading))
        text += heading + "\n" + body
    figures = extract_figures(text, 2023, parts, "work-report")
    assert [(r["value"], r["part"]) for r in figures.results] == [(52, "review"), (120, "other")]
    assert [(t["value"], t["part"]) for t in figures.targets] == [(60, "plan")]


def test_a_review_genre_reports_its_own_year_and_a_regulation_sets_no_goals() -> None:
    summary = "全年新增高新技术企业52家，技术合同成交额达到18亿元。"
    assert [(r["value"], r["year"]) for r in extract_figures(summary, 2022, None, "review").results] == [
        (52, 2022),
        (18, 2022),
    ]
    rule = "本市每年组织开展科技活动周不少于10场。科学技术普及经费增长幅度不低于2%。"
    assert extract_figures(rule, 2018, _part("other", rule), "regulation") == Figures([], [])


def test_without_parts_or_cues_a_figure_is_a_target() -> None:
    assert _one("新增高新技术企业60家。")["fact" if False else "year"] == 2023


# ---------------------------------------------------------------- what is neither


@pytest.mark.parametrize(
    "text",
    [
        "科技创新综合指数居全省第3位。",  # rankings
        "全市高新技术企业数量排名前10位。",
        "区域创新能力排名上升5位。",
        "于2023年3月15日前完成申报。",  # a date
        "召开市第十三届人民代表大会第二次会议。",  # session numbers
        "1. 培育创新型企业。（2）加强平台建设。",  # list numbering
        "对新认定的国家高新技术企业给予20万元奖励。",  # a subsidy
        "单个项目最高补助50万元。",  # a cap
        "按企业研发投入的10%给予奖励。",  # a rate of a base
        "按每人每月1000元标准发放生活补贴。",
        "给予1000元/月的生活补贴。",
        "评审专家不少于3名。",  # procedural minimums
        "验收专家组成员一般不少于5人。",
        "每个项目申请延期原则上不超过1次。",
        "全市下辖3个县、2个区。",  # what merely exists
        "常住人口320万人。",
        "支持年销售收入2000万元以上的企业建立研发中心。",  # thresholds
        "新开工5000万元以上产业项目。",
        "对纳入统计范围的30家重点企业加大扶持力度。",  # a description
        "强化四项措施，做到两个维护，抓好三个关键。",  # rhetoric in Chinese numerals
        "开展“百名博士进千企”活动。",  # a name in quotes
        "依据《三年行动方案（2022-2024年）》和鄂政办函[2020]23号文件。",
        "六安市、七台河市和十堰市的科技局。",
        "每新增1名正高职称人才奖励3万元。",
    ],
)
def test_what_is_neither_a_target_nor_a_result(text: str) -> None:
    assert extract_figures(text, 2023, _part("plan", text)) == Figures([], [])
    assert extract_figures(text, 2023, _part("review", text)) == Figures([], [])


@pytest.mark.parametrize(
    ("text", "metric", "value", "kind", "year"),
    [
        ("规模以上工业企业由520家增加到550家。", "规模以上工业企业数量", 550, "stock", 2022),
        ("研发投入强度由1.8%提高到2.5%。", "研发投入强度", 2.5, "ratio", 2022),
        ("城市污水处理率已由2018年的80%提高到去年的92%。", "城市污水处理率", 92, "ratio", 2022),
    ],
)
def test_a_change_reports_the_level_reached(text: str, metric: str, value: float, kind: str, year: int) -> None:
    result = _one_result(text, 2023, parts=_part("review", text), genre="work-report")
    assert (result["metric"], result["value"], result["kind"], result["year"]) == (metric, value, kind, year)


def test_the_conditions_of_a_grant_are_neither() -> None:
    rule = "对固定资产投资5000万元及以上，或设备投资1000万元以上的项目，按设备投资额的12%给予补助。"
    assert extract_figures(rule, 2023, _part("plan", rule), "plan") == Figures([], [])
    policy = "担保年月均余额达到8000万元及以上的，每年补助5万元。"
    assert extract_figures(policy, 2023, _part("other", policy), "other") == Figures([], [])
    plan = "新增高新技术企业100家，对首次认定的给予奖励。"  # a plan's goal before its incentive stays a goal
    assert [t["value"] for t in extract_figures(plan, 2023, _part("plan", plan), "plan").targets] == [100]


def test_money_paid_out_is_a_result_though_it_is_a_subsidy() -> None:
    text = "发放各类人才补贴3.2亿元。"
    assert _one_result(text, 2023, parts=_part("review", text))["value"] == 3.2


# ---------------------------------------------------------------- the metric


def test_metric_from_the_clause_and_from_the_noun() -> None:
    assert _one("全年申报高新技术企业160家。")["metric"] == "申报高新技术企业数量"
    assert _one("着力培育100家高新技术企业成为知名企业。")["metric"] == "培育高新技术企业数量"
    share = _targets("全社会R&D投入达到10亿元，占全市GDP的比重达到0.8%。", 2011)
    assert [t["metric"] for t in share] == ["全社会R&D投入", "全社会R&D投入占全市GDP的比重"]


def test_the_metric_keeps_the_texts_words_and_its_concept_is_separate() -> None:
    target = _one("全社会研究与试验发展经费投入强度达到2.6%。")
    assert target["metric"] == "全社会研究与试验发展经费投入强度"
    assert (target["metric_id"], target["metric_label"]) == ("rd-intensity", "研发经费投入强度")
    assert normalise_metric("高企（含后备）", "家") == "高企数量"
    assert normalise_metric("引进人才", "名") == "引进人才人数"


def test_a_count_that_opens_its_clause() -> None:
    text = "全市3家企业在主板上市，2家村镇银行开业和4家企业获评省级技术创新示范企业。"
    results = extract_figures(text, 2023, _part("review", text)).results
    assert [(r["value"], r["metric"]) for r in results] == [
        (3, "企业在主板上市数量"),
        (2, "村镇银行开业数量"),
        (4, "企业获评省级技术创新示范企业数量"),
    ]
    whose = _targets("力争30家重点企业年实现产值400亿元。")  # the 30 firms are whose output, not a figure
    assert [(t["value"], t["unit"]) for t in whose] == [(400, "亿元")]


def test_the_same_target_stated_twice_is_one_target() -> None:
    text = (
        "二、主要目标\n培育国家高新技术企业100家；支持市级科技计划项目100项以上；实施省级科技计划项目100项以上。\n"
        "三、重点任务\n1.培育企业。力争培育高新技术企业100家。研发投入强度达到2.5%。R&D/GDP达到2.5%。"
    )
    targets = _targets(text)
    assert [(t["value"], t["unit"]) for t in targets] == [(100, "家"), (100, "项"), (100, "项"), (2.5, "%")]


def test_different_targets_of_one_value_stay_apart() -> None:
    assert len(_targets("引进总部项目20个以上。引进数字经济项目20个以上。")) == 2


def test_a_list_sharing_one_cue_and_one_goal_noun() -> None:
    targets = _targets("成立招商专班，超额完成签约4项、开工1项的招商引资任务。", 2022)
    assert [(t["value"], t["comparator"]) for t in targets] == [(4, ">="), (1, ">=")]
    assert all("招商引资" in t["metric"] for t in targets)
    listed = _targets("力争新培育2家国家级专精特新“小巨人”企业、5家省级专精特新企业、20家创新型中小企业。")
    assert [t["value"] for t in listed] == [2, 5, 20]


# ---------------------------------------------------------------- property tests of the number/unit parser

_TEXT = st.text(
    alphabet=st.sampled_from(
        list(
            "0123456789.-%一二两三四五六七八九十百千万亿元家项个人次以上超过达到"
            "六安七台河，。、 高新技术企业平方公里“”《》的等培育①⑴⒈０１２〇去年力争"
        )
    ),
    max_size=60,
)


@settings(max_examples=300, deadline=None)
@given(
    _TEXT,
    st.sampled_from(["review", "plan", "other"]),
    st.sampled_from(["plan", "work-report", "review", "regulation"]),
)
def test_the_parser_never_crashes_and_spans_are_in_the_text(text: str, part: str, genre: str) -> None:
    for quantity in find_quantities(text):
        assert 0 <= quantity.start < quantity.end <= len(text)
        assert quantity.unit
    figures = extract_figures(text, 2023, _part(part, text), genre)
    for figure in figures.targets + figures.results:
        assert text[figure["start"] : figure["end"]] == figure["text"]
        assert figure["comparator"] in ("=", ">=", "<=", "growth")
        assert figure["kind"] in ("stock", "flow", "growth", "ratio")


@settings(max_examples=200, deadline=None)
@given(
    st.integers(min_value=10, max_value=99_999), st.sampled_from(["家", "项", "个", "人", "亿元", "万元", "平方公里"])
)
def test_arabic_and_chinese_numerals_agree(number: int, unit: str) -> None:
    """一万家 is 1 万家 by the guidelines' convention (一亿 → 1 亿元): compare amounts in the base unit."""
    chinese = cn2an.an2cn(number, "low")
    arabic_targets = _targets(f"新增高新技术企业{number}{unit}。")
    chinese_targets = _targets(f"新增高新技术企业{chinese}{unit}。")
    assert [_in_base(t["value"], t["unit"], unit) for t in arabic_targets] == [number]
    assert [_in_base(t["value"], t["unit"], unit) for t in chinese_targets] == [number], chinese


def _in_base(value: float, unit: str, base: str) -> float:
    prefix = unit[: len(unit) - len(base)] if unit.endswith(base) else None
    assert prefix is not None, (unit, base)
    return round(value * {"": 1, "万": 10_000, "亿": 100_000_000}[prefix], 6)


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(
        ["六安市", "六安", "七台河市", "十堰市", "三明", "四平市", "五指山市", "九台区", "万州区", "六盘水市"]
    ),
    st.sampled_from(["家", "个", "台", "所", "人", "项", "次"]),
    st.integers(min_value=1, max_value=999),
)
def test_no_number_where_the_text_had_a_place_name(place: str, unit: str, number: int) -> None:
    text = f"支持{place}{unit}建设，{place}新增企业{number}家。"
    values = [q.value for q in find_quantities(text)]
    assert values == [number], (text, values)


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from(["家", "项", "个", "名", "位", "人", "次", "场", "所", "座", "件", "批"]),
    st.sampled_from("一二两三四五六七八九"),
)
def test_single_chinese_digits_without_a_goal_verb_and_an_st_thing_are_rhetoric(unit: str, digit: str) -> None:
    assert unit_class(unit) in ("count", "people", "event")
    assert _targets(f"抓好{digit}{unit}重点工作。") == []
    assert _targets(f"新建{digit}{unit}工作机制。") == []


@settings(max_examples=100, deadline=None)
@given(
    st.sampled_from(["新建", "培育", "引进", "建成", "新增", "认定", "组建", "获批"]),
    st.sampled_from("一二两三四五六七八九"),
    st.sampled_from(["个", "家"]),
    st.sampled_from(["省级重点实验室", "国家高新技术企业", "市级院士工作站", "科技企业孵化器", "新型研发机构"]),
)
def test_single_chinese_digits_set_by_a_goal_verb_on_an_st_thing_are_targets(
    verb: str, digit: str, unit: str, thing: str
) -> None:
    [target] = _targets(f"{verb}{digit}{unit}{thing}。")
    assert (target["value"], target["unit"]) == (cn2an.cn2an(digit, "normal"), unit)


# Other cities' plans, written in the genre: small counts that are goals, and slogans that are not.
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024年，新建两个省级重点实验室，新认定三个市级工程技术研究中心。", [(2, "个"), (3, "个")]),
        ("力争引进两个高层次人才团队、三名院士。", [(2, "个"), (3, "名")]),
        ("全年新增国家级科技企业孵化器两家。", [(2, "家")]),
        ("力争年内建成一个市级院士工作站。", [(1, "个")]),
        ("落实两个责任，建立三项机制，抓好四个重点。", []),
        ("围绕一个目标，建设两个体系，实施五大工程。", []),
        ("培育一批高新技术企业，开展两次科技活动周。", []),  # a batch and occasions, not numbers of things
        ("建成一个中心、两个基地。", []),  # no science-and-technology thing named
        ("对新认定的两家企业给予奖励。", []),
    ],
)
def test_small_chinese_counts_are_goals_only_when_set_by_a_goal_verb(text: str, expected: list) -> None:
    assert [(t["value"], t["unit"]) for t in _targets(text, 2024)] == expected


# ---------------------------------------------------------------- long sentences


def test_a_tense_cue_far_back_in_an_unpunctuated_run_says_nothing_of_a_number() -> None:
    """A sentence with no end within 200 characters was read from the start of the text: 2020年 1,200
    characters back made the number a result (and every number of such a run rescanned all the text before it)."""
    run = "2020年全市" + "坚持创新驱动发展战略深入实施科技强市行动" * 60  # 1,206 characters without a sentence end
    figures = extract_figures(run + "高新技术企业达到100家。", 2023)
    assert [t["value"] for t in figures.targets] == [100] and not figures.results
    assert len(figures.targets[0]["metric"]) <= 1000  # the metric too is read from a window, not from all the run


def test_a_count_before_its_subject_reads_up_to_the_next_count_only() -> None:
    """The next quantity after a count (found by bisecting the sorted starts): 3家企业挂牌上市和4家企业获评 are two."""
    text = "今年3家企业挂牌上市和4家企业获评高新技术企业。"
    assert [(t["value"], t["unit"]) for t in _targets(text)] == [(3, "家"), (4, "家")]


def test_a_chinese_numeral_before_a_unit_with_its_own_wan() -> None:
    """三万万元 (from test_arabic_and_chinese_numerals_agree: 30000 万元 in words) is 3万 万元, not nothing."""
    assert [(q.value, q.unit) for q in find_quantities("投资三万万元,新增两万万人。")] == [
        (30000.0, "万元"),
        (20000.0, "万人"),
    ]
