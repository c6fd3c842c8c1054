"""A document's genre from its title or opening, and its parts (review / plan / other) from its headings."""

from __future__ import annotations

import itertools

import pytest

from policykg.ingest.outline import extract_outline
from policykg.ingest.parts import document_genre, document_parts, part_at
from policykg.ingest.record import GENRES, PART_KINDS


@pytest.mark.parametrize(
    ("title", "genre"),
    [
        ("某市2023年科技工作要点", "plan"),
        ("关于印发《某县科技创新三年行动计划（2023—2025年）》的通知", "plan"),
        ("某市人民政府关于加快科技创新的实施意见", "plan"),
        ("某市“十四五”科技创新规划", "plan"),
        ("政府工作报告", "work-report"),
        ("某省人民政府2006年政府工作报告（摘要）", "work-report"),
        ("某市科技局2022年工作总结", "review"),
        ("某区科技创新工作情况汇报", "review"),
        ("全市科技工作会议召开", "review"),
        ("某市科技创新促进条例", "regulation"),
        ("关于印发《某市科技计划项目管理办法（试行）》的通知", "regulation"),
        ("某市科技创新券实施细则（2021年修订）", "regulation"),
        ("某市科技创新若干政策措施重点任务分工方案", "task-table"),
        ("关于做好节日期间值班工作的通知", "other"),
    ],
)
def test_genre_from_the_title(title: str, genre: str) -> None:
    assert document_genre(title + "\n正文。", title) == genre
    assert genre in GENRES


def test_a_report_that_only_reviews_is_a_review_one_that_plans_too_is_a_work_report() -> None:
    only_back = "某局2022年工作报告\n一、2022年工作回顾\n全年完成项目10项。\n二、存在问题\n人才不足。"
    assert document_genre(only_back, "某局2022年工作报告") == "review"
    both = only_back + "\n三、2023年工作安排\n力争完成项目12项。"
    assert document_genre(both, "某局2022年工作报告") == "work-report"


@pytest.mark.parametrize(
    ("opening", "genre"),
    [
        (
            "——2023年1月5日在某市第八届人民代表大会第三次会议上\n各位代表：\n现在，我代表市人民政府向大会报告工作。",
            "work-report",
        ),
        ("为加快建设创新型城市，结合我市实际，特制定本行动计划。\n一、主要目标", "plan"),
        ("为规范科技计划项目管理，制定本办法。\n第一条 本办法适用于全市。", "regulation"),
        ("第一条 为了促进科技进步，制定本条例。\n第二条 本条例适用于本市。", "regulation"),
        ("序号\t重点任务\t牵头单位\t责任单位\n1\t培育高新技术企业\t市科技局\t各区", "task-table"),
        ("今天天气很好。", "other"),
    ],
)
def test_genre_from_the_opening_when_there_is_no_title(opening: str, genre: str) -> None:
    assert document_genre(opening, None) == genre


REPORT = """政府工作报告
——2018年1月10日在某市第五届人民代表大会第二次会议上
各位代表：
现在，我代表市人民政府向大会报告工作，请予审议。
一、2017年工作回顾
过去一年，全市新增高新技术企业52家。
（一）创新能力持续提升。研发投入增长12%。
二、2018年工作安排
今年主要预期目标是：生产总值增长7%。
（一）推进科技创新。新增高新技术企业60家。
（二）加强政府自身建设。转变作风。
三、全面加强政府自身建设
坚持依法行政。
名词解释
1.高新技术企业：经认定的企业。
"""


def _kinds(text: str, genre: str, year: int | None) -> list[tuple[str, str]]:
    parts = document_parts(text, extract_outline(text), genre, year)
    assert parts[0]["start"] == 0 and parts[-1]["end"] == len(text)
    assert all(a["end"] == b["start"] for a, b in itertools.pairwise(parts))
    assert all(p["kind"] in PART_KINDS for p in parts)
    return [(p["kind"], p["heading"]) for p in parts]


def test_a_work_report_reviews_then_plans_then_builds_itself_then_explains() -> None:
    assert _kinds(REPORT, "work-report", 2018) == [
        ("other", ""),
        ("review", "2017年工作回顾"),
        ("plan", "2018年工作安排"),  # its own subsection on the government is part of the plan
        ("other", "全面加强政府自身建设"),
        ("other", "名词解释"),
    ]


def test_without_the_year_the_headings_say_which_year_is_planned() -> None:
    assert _kinds(REPORT, "work-report", None) == _kinds(REPORT, "work-report", 2018)


def test_a_years_main_work_plans_in_its_own_report_and_reviews_in_the_next() -> None:
    text = "各位代表：\n现在，我代表市人民政府报告工作。\n**2016年主要工作**\n新增企业10家。\n"
    text += "**2017年主要工作**\n新增企业12家。\n"
    assert [k for k, _ in _kinds(text, "work-report", 2017)] == ["other", "review", "plan"]
    assert [k for k, _ in _kinds(text.split("**2017")[0], "work-report", 2016)] == ["other", "plan"]


@pytest.mark.parametrize(
    ("heading", "year", "kind"),
    [
        ("过去五年工作回顾", 2021, "review"),
        ("本届政府工作回顾", 2021, "review"),
        ("一年来，我们主要做了以下工作：", 2021, "review"),
        ("破难奋进，过去一年取得显著成绩", 2016, "review"),
        ("“十三五”时期发展成就和2020年主要工作", 2021, "review"),
        ("今后五年的目标任务", 2021, "plan"),
        ("“十四五”时期主要目标任务", 2021, "plan"),
        ("全力做好今年各项工作", 2016, "plan"),
        ("对2021年政府工作的建议", 2021, "plan"),
        ("2021年工作总体要求和主要目标", 2021, "plan"),
    ],
)
def test_part_headings_of_work_reports(heading: str, year: int, kind: str) -> None:
    text = f"各位代表：\n现在，我代表市人民政府报告工作。\n{heading}\n正文。\n"
    assert _kinds(text, "work-report", year)[-1] == (kind, heading.rstrip("："))


def test_a_work_report_without_a_review_heading_reviews_up_to_its_first_plan_heading() -> None:
    text = (
        "各位代表：\n现在，我代表市人民政府向大会报告工作，请予审议。\n"
        "2017年，全市上下攻坚克难，新增高新技术企业52家。\n二〇一八年工作安排\n"
        "一、主要目标\n新增高新技术企业60家。\n"
    )
    assert _kinds(text, "work-report", 2018) == [
        ("other", ""),
        ("review", ""),
        ("plan", "二〇一八年工作安排"),
        ("plan", "主要目标"),  # every heading that says what it opens opens a part
    ]


def test_a_mixed_heading_lets_its_subheadings_decide() -> None:
    text = (
        "各位代表：\n现在，我代表市人民政府报告工作。\n一、2017年工作回顾和2018年工作安排\n"
        "（一）2017年工作回顾\n新增企业52家。\n（二）2018年工作安排\n新增企业60家。\n"
    )
    assert _kinds(text, "work-report", 2018) == [
        ("other", ""),
        ("review", "2017年工作回顾和2018年工作安排"),
        ("review", "2017年工作回顾"),
        ("plan", "2018年工作安排"),
    ]


def test_a_plan_is_plan_throughout_except_a_review_its_headings_announce() -> None:
    plan = "2023年科技工作要点\n一、主要目标\n新增高新技术企业100家。\n二、重点任务\n（一）取得新成效的企业给予支持。\n"
    assert _kinds(plan, "plan", 2023) == [("plan", "")]
    looked_back = "2023年科技工作要点\n一、2022年工作总结\n新增高新技术企业80家。\n二、2023年工作要点\n新增100家。\n"
    assert [k for k, _ in _kinds(looked_back, "plan", 2023)] == ["plan", "review", "plan"]


@pytest.mark.parametrize(("genre", "kind"), [("review", "review"), ("regulation", "other"), ("other", "other")])
def test_genres_without_parts_are_one_part(genre: str, kind: str) -> None:
    text = "第一条 为了促进科技进步，制定本条例。\n第二条 过去一年工作回顾。\n"
    assert _kinds(text, genre, 2020) == [(kind, "")]


def test_part_at_finds_the_part_of_an_offset() -> None:
    parts = document_parts(REPORT, extract_outline(REPORT), "work-report", 2018)
    assert part_at(parts, REPORT.index("新增高新技术企业52家")) == "review"
    assert part_at(parts, REPORT.index("新增高新技术企业60家")) == "plan"
    assert part_at(parts, 0) == "other"
    assert part_at(parts, len(REPORT)) is None
    assert part_at([], 0) is None


def test_an_empty_text_is_one_empty_part() -> None:
    assert document_parts("", [], "plan", None) == [{"kind": "plan", "start": 0, "end": 0, "heading": ""}]


def test_headings_that_never_say_which_way_leave_it_to_their_paragraphs_first_words() -> None:
    text = (
        "——2020年1月6日在某市第八届人民代表大会第五次会议上\n各位代表：\n现在，我代表市人民政府向大会报告工作。\n"
        "**阔步迈入高质量发展新时代**\n2019年，全市新增高新技术企业52家。\n"
        "**乘势而上开启现代化建设新征程**\n2020年是全面建成小康社会的收官之年。新增高新技术企业60家。\n"
    )
    kinds = _kinds(text, "work-report", 2020)
    assert [k for k, _ in kinds] == ["other", "review", "plan"]
    parts = document_parts(text, extract_outline(text), "work-report", 2020)
    assert text[parts[1]["start"] :].startswith("2019年，") and text[parts[2]["start"] :].startswith("2020年是")


@pytest.mark.parametrize(
    ("heading", "kind"),
    [
        ("攻坚奋斗的2022年", "review"),  # a heading about a year: before the year planned, a look back
        ("踔厉奋发2023年", "plan"),
        ("重点抓好以下八个方面工作", "plan"),
        ("十二届政府各项目标任务圆满完成", "review"),
        ("2019年和今年以来工作回顾", "review"),  # 今年以来 looks back
    ],
)
def test_more_part_headings_of_work_reports(heading: str, kind: str) -> None:
    text = f"各位代表：\n现在，我代表市人民政府报告工作。\n{heading}\n正文。\n"
    assert _kinds(text, "work-report", 2023)[-1] == (kind, heading)


def test_a_plans_items_and_signature_open_no_part() -> None:
    text = (
        "关于促进商贸发展的若干意见\n一、支持企业发展\n（一）鼓励投资\n1.每年年终对商务工作完成情况进行考核，并通报。\n"
        "二、加强自身建设\n严格管理。\n某市商务局2017年8月4日\n"
    )
    assert _kinds(text, "plan", 2017) == [("plan", "")]
