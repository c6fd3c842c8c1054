"""Numerals: Arabic, full-width, Chinese and enclosed forms read by one module, and no text makes it raise."""

from __future__ import annotations

import cn2an
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from policykg.ingest import numerals
from policykg.ingest.outline import extract_outline
from policykg.ingest.quantities import find_quantities
from policykg.ingest.targets import extract_figures


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("十五", 15),
        ("二十", 20),
        ("一百二十", 120),
        ("两千零五", 2005),
        ("一千零一十", 1010),
        ("一亿二千万", 120_000_000),
        ("十一万", 110_000),
        ("三十万亿", 30_000_000_000_000),
        ("三点五", 3.5),
        ("零点五", 0.5),
        ("一万五", 15_000),  # the last place elided: 一万五千
        ("三千二", 3_200),
        ("一万零五", 10_005),
        ("贰仟伍佰", 2_500),
    ],
)
def test_chinese_numerals(text: str, value: float) -> None:
    assert numerals.chinese(text) == value
    assert numerals.number(text) == value


@pytest.mark.parametrize("text", ["三四", "十十", "百千", "万", "百", "六安", "点五", "二〇二三", "", "①", "一二三"])
def test_what_is_not_a_chinese_numeral(text: str) -> None:
    assert numerals.chinese(text) is None


@pytest.mark.parametrize(
    ("text", "value"), [("30", 30), ("1,234.5", 1234.5), ("１２．５", 12.5), ("１，２００", 1200), ("0.8", 0.8)]
)
def test_arabic_numerals_half_and_full_width(text: str, value: float) -> None:
    assert numerals.arabic(text) == value


@pytest.mark.parametrize("text", ["①", "⑴", "⒈", "12,34", "٣", "1.2.3", "", "一"])
def test_what_is_not_an_arabic_numeral(text: str) -> None:
    """str.isdigit() says yes to ①, ⑴ and ⒈; int() then raises: neither is a value here."""
    assert numerals.arabic(text) is None


def test_enclosed_markers_and_digit_sequences() -> None:
    assert [numerals.enclosed(ch) for ch in "①⑳⑴⒇⒈⒛❶⓫㈢㉑㊿"] == [1, 20, 1, 20, 1, 20, 1, 11, 3, 21, 50]
    assert numerals.enclosed("1") is None and numerals.enclosed("①②") is None
    assert numerals.integer("⑫") == 12 and numerals.integer("十二") == 12 and numerals.integer("１２") == 12
    assert numerals.integer("三点五") is None
    assert numerals.digit_sequence("二〇二三") == 2023 and numerals.digit_sequence("二零二三") == 2023
    assert numerals.digit_sequence("二十") is None


@settings(max_examples=300, deadline=None)
@given(st.integers(min_value=0, max_value=10**13), st.sampled_from(["low", "up"]))
def test_every_integer_cn2an_writes_reads_back(number: int, mode: str) -> None:
    """cn2an is the oracle here only: extraction never hands it raw text (it reads 六安 as 6安)."""
    assert numerals.chinese(cn2an.an2cn(number, mode)) == number


_NUMERAL_TEXT = st.text(alphabet=st.sampled_from(list(numerals.CHINESE_CHARS + numerals.ENCLOSED_CHARS + "0１.，,")))


@settings(max_examples=500, deadline=None)
@given(_NUMERAL_TEXT)
def test_no_numeral_text_raises(text: str) -> None:
    for read in (numerals.chinese, numerals.arabic, numerals.number, numerals.integer, numerals.digit_sequence):
        value = read(text)
        assert value is None or value >= 0


def test_enclosed_numerals_in_a_document_neither_crash_nor_count() -> None:
    text = "一、主要目标\n①新增高新技术企业100家。\n②⑴⒈全年技术合同成交额达到１０亿元。\n③④⑤\n"
    assert [s["marker"] for s in extract_outline(text)] == ["一、", "①", "②", "③"]
    assert [(q.value, q.unit) for q in find_quantities(text)] == [(100, "家"), (10, "亿元")]
    assert [t["value"] for t in extract_figures(text, 2023).targets] == [100, 10]
