"""The outline: numbered headings, levels by nesting, sections ending where the next one of their level starts."""

from __future__ import annotations

from policykg.ingest.outline import extract_outline

PLAN = """2023年工作要点
一、主要目标
力争培育高新技术企业100家。
二、重点任务
（一）推动创新主体提质增量
1.培育科技创新企业。按照要求，增长1.3%。
2.加强关键核心技术攻关。支持3、4个项目。
（二）优化科技创新创业生态
3.抓好政策落实。
（1）宣传政策。
（2）兑现政策。
4.鼓励加大研发投入。
三、保障措施
"""


def test_levels_markers_titles_and_spans() -> None:
    sections = extract_outline(PLAN)
    assert [(s["level"], s["marker"], s["title"]) for s in sections] == [
        (1, "一、", "主要目标"),
        (1, "二、", "重点任务"),
        (2, "（一）", "推动创新主体提质增量"),
        (3, "1.", "培育科技创新企业"),
        (3, "2.", "加强关键核心技术攻关"),
        (2, "（二）", "优化科技创新创业生态"),
        (3, "3.", "抓好政策落实"),
        (4, "（1）", "宣传政策"),
        (4, "（2）", "兑现政策"),
        (3, "4.", "鼓励加大研发投入"),
        (1, "三、", "保障措施"),
    ]
    for section in sections:
        assert PLAN[section["start"] :].startswith(section["marker"])
        assert section["start"] < section["end"] <= len(PLAN)
    second = sections[1]
    assert PLAN[second["start"] : second["end"]].endswith("4.鼓励加大研发投入。")
    first_task = sections[3]
    assert PLAN[first_task["start"] : first_task["end"]] == "1.培育科技创新企业。按照要求，增长1.3%。"


def test_a_plan_without_the_middle_level_nests_by_use() -> None:
    sections = extract_outline("一、加快建设\n1.组织编制方案。\n2.对接核心区。\n二、提升能力\n3.推进三个一百。\n")
    assert [(s["level"], s["marker"]) for s in sections] == [(1, "一、"), (2, "1."), (2, "2."), (1, "二、"), (2, "3.")]


def test_enumerations_yi_shi_at_line_start_and_after_a_full_stop() -> None:
    text = "（一）抓好科技计划。\n一是狠抓项目争取。内容。\n二是抓好项目实施。内容。三是促进成果产出。内容。\n"
    sections = extract_outline(text)
    assert [(s["level"], s["marker"], s["title"]) for s in sections] == [
        (1, "（一）", "抓好科技计划"),
        (2, "一是", "狠抓项目争取"),
        (2, "二是", "抓好项目实施"),
        (2, "三是", "促进成果产出"),
    ]


def test_numbers_out_of_sequence_are_not_headings() -> None:
    text = "一、目标\n3、这不是标题。\n2023年，全市科技工作。\n1.3%的增长。\n二、任务\n"
    assert [s["marker"] for s in extract_outline(text)] == ["一、", "二、"]


def test_chapters_and_articles() -> None:
    text = "第一章 总则\n第一条 为了规范管理，制定本办法。\n第二条 本办法适用于全市。\n第二章 附则\n第三条 施行。\n"
    assert [(s["level"], s["marker"]) for s in extract_outline(text)] == [
        (1, "第一章"),
        (2, "第一条"),
        (2, "第二条"),
        (1, "第二章"),
        (2, "第三条"),
    ]


def test_no_headings_no_sections() -> None:
    assert extract_outline("") == [] and extract_outline("全文没有编号。只有句子。") == []


def test_enclosed_and_full_width_numbers_are_markers_not_crashes() -> None:
    text = "一、任务\n①建平台。\n②引人才。\n⑴第一项。\n⑵第二项。\n⒈甲。\n⒉乙。\n１．全角。\n２．全角二。\n"
    markers = [s["marker"] for s in extract_outline(text)]
    assert markers == ["一、", "①", "②", "⑴", "⑵", "⒈", "⒉", "１．", "２．"]


def test_a_heading_may_start_with_a_year() -> None:
    text = "一、2017年工作回顾\n新增企业52家。\n二、2018年工作安排\n新增企业60家。\n"
    assert [s["title"] for s in extract_outline(text)] == ["2017年工作回顾", "2018年工作安排"]
