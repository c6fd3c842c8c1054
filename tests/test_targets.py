"""Targets: the number/unit parser (with property tests) and the rules that make a quantity a goal."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import cn2an
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policykg import SAMPLES_DIR
from policykg.ingest.targets import COUNT_UNITS, extract_targets, find_quantities, normalise_metric

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"


def _one(text: str, year: int | None = 2023) -> dict:
    targets = extract_targets(text, year)
    assert len(targets) == 1, targets
    return dict(targets[0])


@pytest.mark.parametrize(
    ("text", "value", "value_max", "unit", "comparator"),
    [
        ("培育国家高新技术企业100家。", 100, None, "家", "="),
        ("实施省级及以上科技计划项目100项以上。", 100, None, "项", ">="),
        ("技术合同登记额保持超1亿元。", 1, None, "亿元", ">="),
        ("高新技术企业总数突破400家。", 400, None, "家", ">="),
        ("科技特派员不少于500人。", 500, None, "人", ">="),
        ("全社会研发经费年增长15%以上。", 15, None, "%", "growth"),
        ("高技术产业增加值增幅保持10%以上。", 10, None, "%", "growth"),
        ("R&D经费投入占GDP比重达到1.3%。", 1.3, None, "%", "="),
        ("规划5-8平方公里交付建设园区。", 5, 8, "平方公里", "="),
        ("在沪举办1-2次专场科技招商活动。", 1, 2, "次", "="),
        ("培训农民30万人次。", 30, None, "万人次", "="),
        ("争取上级资金一亿元。", 1, None, "亿元", "="),
        ("争取上级科技专项资金两千万元。", 2000, None, "万元", "="),
        ("举办各类科技活动100余场。", 100, None, "场", ">="),
        ("开展应用场景对接活动5次左右。", 5, None, "次", "="),
        ("研发投入强度提高到2.3%以上。", 2.3, None, "%", ">="),
        ("科技成果转化率达到百分之三十。", 30, None, "%", "="),
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


@pytest.mark.parametrize(
    "text",
    [
        "对新认定的国家高新技术企业给予20万元奖励。",  # an incentive, not a goal
        "支持年销售收入2000万元以上的企业建立研发中心。",  # a threshold
        "对纳入统计范围的30家重点企业加大扶持力度。",  # a description
        "强化四项措施，做到两个维护，抓好三个关键。",  # rhetoric in Chinese numerals
        "开展“百名博士进千企”活动。",  # a name in quotes
        "依据《三年行动方案（2022-2024年）》和鄂政办函[2020]23号文件。",
        "2022年全市高新技术企业达到850家，同比增长20%。",  # a past figure in a 2023 plan
        "召开市科技创新领导小组第二次会议。",
        "六安市、七台河市和十堰市的科技局。",
    ],
)
def test_what_is_not_a_target(text: str) -> None:
    assert extract_targets(text, 2023) == []


def test_metric_from_the_clause_and_from_the_noun() -> None:
    assert _one("全年申报高新技术企业160家。")["metric"] == "申报高新技术企业数量"
    assert _one("着力培育100家高新技术企业成为知名企业。")["metric"] == "培育高新技术企业数量"
    share = extract_targets("全社会R&D投入达到10亿元，占全市GDP的比重达到0.8%。", 2011)
    assert [t["metric"] for t in share] == ["全社会R&D经费投入", "全社会R&D经费投入占全市GDP比重"]


def test_metric_normalisation_is_generic() -> None:
    assert normalise_metric("全社会研究与试验发展经费投入", "亿元") == "全社会R&D经费投入"
    assert normalise_metric("研发经费投入强度", "%") == "R&D经费投入占GDP比重"
    assert normalise_metric("技术合同登记成交总额", "亿元") == "技术合同成交额"
    assert normalise_metric("高企", "家") == "高新技术企业数量"
    assert normalise_metric("引进人才", "名") == "引进人才人数"


def test_the_same_target_stated_twice_is_one_target() -> None:
    text = (
        "二、主要目标\n培育国家高新技术企业100家；支持市级科技计划项目100项以上；实施省级科技计划项目100项以上。\n"
        "三、重点任务\n1.培育企业。力争培育高新技术企业100家。"
    )
    targets = extract_targets(text, 2023)
    assert [(t["value"], t["unit"]) for t in targets] == [(100, "家"), (100, "项"), (100, "项")]


def test_the_year_is_the_documents_unless_the_clause_names_one() -> None:
    targets = extract_targets("新增孵化器2家。到2025年，高新技术企业达到1000家。", 2023)
    assert [t["year"] for t in targets] == [2023, 2025]


def test_a_list_sharing_one_cue_and_one_goal_noun() -> None:
    targets = extract_targets("成立招商专班，超额完成签约4项、开工1项的招商引资任务。", 2022)
    assert [(t["value"], t["comparator"]) for t in targets] == [(4, ">="), (1, ">=")]
    assert all("招商引资" in t["metric"] for t in targets)


# ---------------------------------------------------------------- property tests of the number/unit parser

_TEXT = st.text(
    alphabet=st.sampled_from(
        list(
            "0123456789.-%一二两三四五六七八九十百千万亿元家项个人次以上超过达到"
            "六安七台河，。、 高新技术企业平方公里“”《》的等培育"
        )
    ),
    max_size=60,
)


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_the_parser_never_crashes_and_spans_are_in_the_text(text: str) -> None:
    for quantity in find_quantities(text):
        assert 0 <= quantity.start < quantity.end <= len(text)
        assert quantity.unit
    for target in extract_targets(text, 2023):
        assert text[target["start"] : target["end"]] == target["text"]
        assert target["comparator"] in ("=", ">=", "<=", "growth")


@settings(max_examples=200, deadline=None)
@given(
    st.integers(min_value=10, max_value=99_999), st.sampled_from(["家", "项", "个", "人", "亿元", "万元", "平方公里"])
)
def test_arabic_and_chinese_numerals_agree(number: int, unit: str) -> None:
    """一万家 is 1 万家 by the guidelines' convention (一亿 → 1 亿元): compare amounts in the base unit."""
    chinese = cn2an.an2cn(number, "low")
    arabic_targets = extract_targets(f"新增高新技术企业{number}{unit}。", 2023)
    chinese_targets = extract_targets(f"新增高新技术企业{chinese}{unit}。", 2023)
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
@given(st.sampled_from(COUNT_UNITS), st.sampled_from("一二两三四五六七八九"))
def test_single_chinese_digits_without_a_goal_verb_and_an_st_thing_are_rhetoric(unit: str, digit: str) -> None:
    assert extract_targets(f"抓好{digit}{unit}重点工作。", 2023) == []
    assert extract_targets(f"新建{digit}{unit}工作机制。", 2023) == []


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
    [target] = extract_targets(f"{verb}{digit}{unit}{thing}。", 2023)
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
    assert [(t["value"], t["unit"]) for t in extract_targets(text, 2024)] == expected


@pytest.mark.skipif(not (SHARED / "eval" / "gold").is_dir(), reason="../shared/eval is not beside the repository")
def test_quality_floor_on_the_samples(tmp_path: Path) -> None:
    out = tmp_path / "samples.jsonl"
    cli = Path(sys.executable).parent / "policykg"
    subprocess.run(
        [str(cli), "extract", *map(str, sorted(SAMPLES_DIR.glob("*.txt"))), "-o", str(out)],
        check=True,
        capture_output=True,
    )
    scorer = [sys.executable, str(SHARED / "eval" / "score.py"), str(SHARED / "eval" / "gold"), str(out), "--json"]
    report = json.loads(subprocess.run(scorer, check=True, capture_output=True, text=True).stdout)
    assert report["scores"]["targets"]["f1"] >= 0.9
    assert all(value >= 0.95 for value in report["metadata_accuracy"].values())
