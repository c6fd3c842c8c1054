"""The view extraction reads has the text's length, markup blanked and look-alike characters unified."""

from __future__ import annotations

from policykg.ingest.normalise import normalise
from policykg.ingest.pipeline import extract_text


def test_markdown_emphasis_and_headings_are_blanked_in_place() -> None:
    text = "**一、过去一年**\n# 总则\n我市工业增长"
    view = normalise(text)
    assert len(view.view) == len(text)
    assert view.view == "  一、过去一年  \n  总则\n我市工业增长"
    assert view.clean(0, len(text)) == "一、过去一年\n 总则\n我市工业增长"  # the space after # is the text's own


def test_table_borders_become_line_breaks_and_rules_vanish() -> None:
    text = "| 重点事项 | 牵头单位 |\n| --- | --- |\n| 建设孵化器 | 市科技局 |"
    view = normalise(text)
    assert len(view.view) == len(text)
    lines = [line.strip() for line in view.view.splitlines() if line.strip()]
    assert lines == ["重点事项", "牵头单位", "建设孵化器", "市科技局"]


def test_kangxi_radicals_and_full_width_letters_read_as_ordinary_characters() -> None:
    text = "⼯业和信息化局推动ＡＩ发展，⼤⽐例增长１０%"
    assert normalise(text).view == "工业和信息化局推动AI发展，大比例增长10%"


def test_text_without_anything_to_normalise_is_its_own_view() -> None:
    text = "三明市科学技术局与中国科学院合作。"
    view = normalise(text)
    assert view.view == text and not view.blanked


def test_evidence_leaves_markup_out_and_offsets_point_into_the_original() -> None:
    text = "三明市2023年科技工作要点\n**加强与中国科学院合作**，共建研发平台。"
    record = extract_text(text, "x.txt")
    cooperation = [r for r in record["relations"] if r["type"] == "COOPERATES_WITH"]
    assert cooperation, record["relations"]
    evidence = cooperation[0]["evidence"]
    assert "*" not in evidence.get("text", "")
    assert "中国科学院" in text[evidence["start"] : evidence["end"]]
