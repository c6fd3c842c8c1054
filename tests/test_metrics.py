"""Metric normalisation across cities: each target's SKOS metric concept, units in one scale, one Metric node."""

from __future__ import annotations

import pytest

from policykg.graph.stores.falkordb_store import FalkorDBStore
from policykg.ingest.quantities import normalise_unit
from policykg.ingest.record import Record
from policykg.ingest.targets import extract_figures
from policykg.ontology.vocabularies import fold_metric, match_metric, metrics, unit_dimension


def _target(text: str, year: int = 2024) -> dict:
    targets = extract_figures(text, year).targets
    assert len(targets) == 1, targets
    return dict(targets[0])


# Phrasings of the genre as other cities' plans write them (none of them from the five samples).
@pytest.mark.parametrize(
    ("text", "concept"),
    [
        ("到2025年，全市高新技术企业数量突破2000家。", "high-tech-enterprises"),
        ("新增国家高新技术企业300家以上。", "high-tech-enterprises"),
        ("高企总数达到500家。", "high-tech-enterprises"),
        ("新增高新技术企业后备库入库企业80家。", "high-tech-enterprise-candidates"),
        ("入库科技型中小企业3000家以上。", "tech-smes"),
        ("全社会研发经费投入强度达到2.8%。", "rd-intensity"),
        ("R&D经费支出占地区生产总值的比例达到2.5%。", "rd-intensity"),
        ("全社会研究与试验发展经费支出年均增长12%以上。", "rd-expenditure-growth"),
        ("规上工业企业研发投入占主营业务收入比重达到1.8%。", "enterprise-rd-intensity"),
        ("技术合同认定登记额突破50亿元。", "technology-contracts"),
        ("技术市场成交额达到3000万元。", "technology-contracts"),
        ("发明专利授权量达到800件。", "invention-patents-granted"),
        ("每万人口高价值发明专利拥有量达到8件。", "invention-patents-per-10k"),
        ("新增省级以上研发平台20个。", "rd-platforms"),
        ("新建省级重点实验室3个。", "key-laboratories"),
        ("选派科技特派员300名。", "science-commissioners"),
        ("转化应用科技成果150项。", "transferred-results"),
        ("高新技术产业增加值增速达到12%。", "high-tech-value-added-growth"),
        ("高新技术产业增加值占规上工业增加值比重达到45%。", "high-tech-value-added-share"),
        ("新增省级以上科技企业孵化器和众创空间8家。", "incubation-carriers"),
        ("引进高层次创新创业人才200人。", "talents"),
        ("全市财政科技支出占一般公共预算支出的比例达到3%。", "fiscal-st-share"),
        ("科技进步贡献率达到60%。", "st-contribution"),
        ("全市财政科技投入增长15%。", "fiscal-st-growth"),
        ("全年技术合同成交额增长20%。", "technology-contracts-growth"),
        ("其中发明专利授权量300件。", "invention-patents-granted"),
        ("规模以上工业企业研发机构覆盖率达到50%。", "rd-institution-firms-share"),
    ],
)
def test_genre_phrasings_find_their_concept(text: str, concept: str) -> None:
    target = _target(text)
    assert target["metric_id"] == concept, target["metric"]
    assert target["metric_label"] == next(c.pref_label for c in metrics() if c.notation == concept)


@pytest.mark.parametrize(
    ("clause", "unit"),
    [
        ("技术合同成交额占GDP比重", "%"),  # a share of GDP, not the amount of money
        ("高新技术企业产值", "家"),  # a label followed by another measure word names that other measure
        ("科技特派员服务企业", "家"),  # commissioners are counted in people, not firms
        ("举办科技活动周", "场"),
        ("组织科技特派员深入基层服务", "人次"),  # person-times of service, not a number of commissioners
        ("加强党的建设", "项"),
    ],
)
def test_no_concept_when_the_unit_disagrees_or_nothing_fits(clause: str, unit: str) -> None:
    assert match_metric(clause, unit) is None


def notation(clause: str, unit: str) -> str | None:
    concept = match_metric(clause, unit)
    return concept.notation if concept else None


def test_the_longest_match_wins_and_ties_go_to_the_head_noun() -> None:
    assert notation("新增后备高新技术企业", "家") == "high-tech-enterprise-candidates"
    assert notation("众创空间入驻企业", "个") == "incubated-firms"
    assert notation("省级以上工程技术研究中心", "家") == "engineering-centres"


def test_folding_unifies_wording_not_meaning() -> None:
    assert fold_metric("全社会R&D经费投入年均增长") == fold_metric("R&D经费投入增幅") == "R&D经费投入增长"
    assert fold_metric("全市高新技术企业总数") == "高新技术企业"
    assert fold_metric("科技进步对经济增长的贡献率") == "科技进步对经济增长贡献率"


@pytest.mark.parametrize(
    ("unit", "dimension"),
    [
        ("家", "count"),
        ("万家", "count"),
        ("件", "count"),
        ("亿元", "money"),
        ("万美元", "money"),
        ("%", "share"),
        ("个百分点", "share"),
        ("人", "people"),
        ("万人次", "visits"),
        ("场", "events"),
        ("平方公里", "area"),
        ("倍", "ratio"),
    ],
)
def test_unit_dimensions(unit: str, dimension: str) -> None:
    assert unit_dimension(unit) == dimension


@pytest.mark.parametrize(
    ("value", "unit", "normalised"),
    [
        (5000, "万元", (0.5, "亿元")),
        (2, "千万元", (0.2, "亿元")),
        (300000, "元", (0.003, "亿元")),
        (12, "亿元", (12, "亿元")),
        (200, "万美元", (0.02, "亿美元")),
        (3, "万家", (30000, "家")),
        (30, "万人次", (300000, "人次")),
        (1.5, "亿人", (150000000, "人")),
        (2, "个百分点", (2, "百分点")),
        (8, "％", (8, "%")),
        (5, "平方千米", (5, "平方公里")),
        (100, "家", (100, "家")),
    ],
)
def test_units_normalise_to_one_scale_per_kind(value: float, unit: str, normalised: tuple[float, str]) -> None:
    converted, base = normalise_unit(value, unit)
    assert (converted, base) == (pytest.approx(normalised[0]), normalised[1])


def test_targets_carry_their_normalised_values() -> None:
    target = _target("争取上级科技项目资金2000-3000万元。")
    assert (target["value_normalised"], target["value_max_normalised"], target["unit_normalised"]) == (0.2, 0.3, "亿元")
    assert (target["value"], target["unit"]) == (2000, "万元")


def _record(doc_id: str, city: str, province: str, text: str) -> Record:
    return Record(
        file=f"{doc_id}.txt",
        doc_id=doc_id,
        entities=[],
        relations=[],
        text=text,
        targets=extract_figures(text, 2024).targets,
        document={
            "title": f"{city}2024年科技工作要点",
            "city": city,
            "province": province,
            "year": 2024,
            "issuer": None,
            "doc_number": None,
            "published": None,
        },
    )


def test_two_cities_high_tech_targets_share_one_metric_node(empty_store: FalkorDBStore) -> None:
    empty_store.load(
        [
            _record("doc-zhuzhou", "株洲市", "湖南省", "全市高新技术企业总数达到1200家以上。"),
            _record("doc-yichang", "宜昌市", "湖北省", "新增国家高新技术企业200家。技术合同成交额突破180亿元。"),
        ]
    )
    rows = empty_store.run(
        "MATCH (t:Target)-[:MEASURES]->(m:Metric) "
        "RETURN m.id AS id, m.name AS name, count(t) AS targets, collect(t.metric) AS stated "
        "ORDER BY id"
    )
    by_id = {row["id"]: row for row in rows}
    assert set(by_id) == {"metric:high-tech-enterprises", "metric:technology-contracts"}
    high_tech = by_id["metric:high-tech-enterprises"]
    assert (high_tech["name"], high_tech["targets"]) == ("高新技术企业数量", 2)
    assert sorted(high_tech["stated"]) == ["全市高新技术企业总数", "新增国家高新技术企业数量"]  # each clause kept


def test_a_target_without_a_concept_keeps_a_metric_of_its_own_text(empty_store: FalkorDBStore) -> None:
    empty_store.load([_record("doc-x", "株洲市", "湖南省", "组建产业利益共同体30个。")])
    [row] = empty_store.run("MATCH (t:Target)-[:MEASURES]->(m:Metric) RETURN m.id AS id, t.metric_id AS concept")
    assert row == {"id": "metric:组建产业利益共同体数量", "concept": None}


def test_no_two_metrics_share_a_label_once_folded() -> None:
    """The matcher compares folded labels: two concepts with one folded label would make it guess."""
    owners: dict[str, set[str]] = {}
    for concept in metrics():
        for label in concept.labels:
            owners.setdefault(fold_metric(label), set()).add(concept.notation)
    assert {label: names for label, names in owners.items() if len(names) > 1} == {}
