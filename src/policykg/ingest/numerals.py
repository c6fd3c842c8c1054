"""Numerals as Chinese official texts write them: the one place that turns numeral text into numbers.

- Arabic digits, half- or full-width, with thousands separators and a decimal point (1,234.5, １２．５);
- Chinese numerals with their place words (一百二十, 两千零五, 三点五, 一亿二千万, 十五) and the
  colloquial elision of the last place (一万五 = 15000, 三千二 = 3200);
- digit by digit (二〇二三, 二零二三) for years, which carry no place words;
- enclosed list markers (①…⑳, ⑴…⒇, ⒈…⒛, ❶…❿, ㈠…㈩): an item's number, never a quantity.

Every function takes the numeral span alone (the caller's pattern found it) and returns None for
anything it cannot read, so no text makes them raise: 六安 is a place name, not 6安, because no
caller hands a place to them, and 十十 or ① reads as no number rather than a wrong one.
"""

from __future__ import annotations

import re

_FULL_WIDTH = str.maketrans("０１２３４５６７８９．", "0123456789.")
_ARABIC = re.compile(r"\d+(?:\.\d+)?")
_SEPARATOR = re.compile(r"(?<=\d)[,，](?=\d{3}(?!\d))")

DIGITS: dict[str, int] = {
    "零": 0,
    "〇": 0,
    "○": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
    # the financial forms (大写), as amounts in contracts and budgets are written
    "壹": 1,
    "贰": 2,
    "叁": 3,
    "肆": 4,
    "伍": 5,
    "陆": 6,
    "柒": 7,
    "捌": 8,
    "玖": 9,
}
PLACES: dict[str, int] = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
MYRIADS: dict[str, int] = {"万": 10_000, "亿": 100_000_000}
# Characters a Chinese numeral is made of, for callers' patterns.
CHINESE_CHARS = "".join(DIGITS) + "".join(PLACES) + "".join(MYRIADS) + "点"

# Enclosed numerals by the marker style they stand for: (first code point, how many, the number of the first).
_CIRCLED_BLOCKS = (
    (0x2460, 20, 1),  # ①…⑳
    (0x24EB, 10, 11),  # ⓫…⓴
    (0x3251, 15, 21),  # ㉑…㉟
    (0x32B1, 15, 36),  # ㊱…㊿
    (0x2776, 10, 1),  # ❶…❿
    (0x2780, 10, 1),  # ➀…➉
    (0x278A, 10, 1),  # ➊…➓
    (0x3220, 10, 1),  # ㈠…㈩ (parenthesised ideographs, read as circled list markers)
    (0x3280, 10, 1),  # ㊀…㊉
)
_PARENTHESISED_BLOCKS = ((0x2474, 20, 1),)  # ⑴…⒇, a (1) in one character
_WITH_PERIOD_BLOCKS = ((0x2488, 20, 1),)  # ⒈…⒛, a 1. in one character


def _chars(blocks: tuple[tuple[int, int, int], ...]) -> str:
    return "".join(chr(base + i) for base, size, _ in blocks for i in range(size))


CIRCLED = _chars(_CIRCLED_BLOCKS)
PARENTHESISED = _chars(_PARENTHESISED_BLOCKS)
WITH_PERIOD = _chars(_WITH_PERIOD_BLOCKS)
ENCLOSED_CHARS = CIRCLED + PARENTHESISED + WITH_PERIOD
_ENCLOSED = {
    chr(base + i): first + i
    for base, size, first in _CIRCLED_BLOCKS + _PARENTHESISED_BLOCKS + _WITH_PERIOD_BLOCKS
    for i in range(size)
}


def to_ascii_digits(text: str) -> str:
    """Full-width digits and decimal point as ASCII: １２．５ → 12.5 (offsets unchanged: one character each)."""
    return text.translate(_FULL_WIDTH)


def arabic(text: str) -> float | None:
    """1,234.5, １２．５, 30 → their value; None for anything else (① or ⑴ included, although str.isdigit says yes)."""
    plain = _SEPARATOR.sub("", to_ascii_digits(text.strip()))
    if not plain.isascii() or not _ARABIC.fullmatch(plain):
        return None
    return float(plain)


def enclosed(char: str) -> int | None:
    """① → 1, ⑽ → 10, ⒈ → 1, ㈢ → 3: the number of a list marker; None for any other text."""
    return _ENCLOSED.get(char)


def digit_sequence(text: str) -> int | None:
    """二〇二三 → 2023: digits read one by one, as years are written; None if a place word or other text is in it."""
    if not text or any(ch not in DIGITS for ch in text):
        return None
    return int("".join(str(DIGITS[ch]) for ch in text))


def chinese(text: str) -> float | None:
    """一百二十 → 120, 两千零五 → 2005, 一亿二千万 → 120000000, 三点五 → 3.5, 十五 → 15, 一万五 → 15000.

    None for a sequence of bare digits (三四 is "three or four", 二〇二三 a year: see digit_sequence),
    a place word without its digit other than a leading 十, or any other character."""
    whole, point, fraction = text.partition("点")
    value = _chinese_integer(whole)
    if value is None:
        return None
    if not point:
        return float(value)
    decimals = digit_sequence(fraction)
    if decimals is None:
        return None
    return float(f"{value}.{''.join(str(DIGITS[ch]) for ch in fraction)}")


def number(text: str) -> float | None:
    """An Arabic or a Chinese numeral's value (see arabic, chinese)."""
    value = arabic(text)
    return value if value is not None else chinese(text)


def integer(text: str) -> int | None:
    """A whole number written in Arabic, Chinese or enclosed numerals (an outline's 12, 十二, ⑫); None otherwise."""
    value = enclosed(text)
    if value is not None:
        return value
    found = number(text)
    if found is None or not found.is_integer():
        return None
    return int(found)


def _chinese_integer(text: str) -> int | None:
    """Sections split at 亿 then 万, each below 10,000; 万亿 is a 万 of 亿."""
    if not text:
        return None
    if text.endswith("万亿") and len(text) > 2:  # 一万亿, 三万亿: the whole before 亿 counts 万s of 亿
        head = _chinese_integer(text[:-1])
        return head * MYRIADS["亿"] if head is not None else None
    for myriad in ("亿", "万"):
        if myriad in text:
            head_text, _, tail_text = text.partition(myriad)
            head = _chinese_integer(head_text)
            if head is None:
                return None
            tail = _tail(tail_text, MYRIADS[myriad])
            return None if tail is None else head * MYRIADS[myriad] + tail
    return _section(text)


def _tail(text: str, myriad: int) -> int | None:
    """What follows 万 or 亿: a section (一万零五 → 5), or one bare digit for the next place down (一万五 → 5000)."""
    if not text:
        return 0
    if len(text) == 1 and text in DIGITS and DIGITS[text]:
        return DIGITS[text] * myriad // 10
    return _chinese_integer(text.removeprefix("零").removeprefix("〇"))


def _section(text: str) -> int | None:
    """A number below 10,000 from digits and 十/百/千, 零 where a place is skipped: 一千零五 → 1005."""
    total, digit, last_place, zero = 0, None, 10_000, False
    for i, ch in enumerate(text):
        if ch in DIGITS and DIGITS[ch] == 0:
            if digit is not None:
                return None
            zero = True
        elif ch in DIGITS:
            if digit is not None:
                return None  # two digits in a row: 三四 (three or four), not a number
            digit = DIGITS[ch]
        elif ch in PLACES:
            place = PLACES[ch]
            if place >= last_place or (digit is None and not (i == 0 and place == 10)):
                return None  # 十十, 百千, or 百 without its digit (only 十五 may drop its 一)
            total += (1 if digit is None else digit) * place
            digit, last_place = None, place
        else:
            return None
    if digit is None:
        return total
    if not zero and len(text) >= 2 and PLACES.get(text[-2], 0) >= 100:
        return total + digit * last_place // 10  # 三千二 → 3200, 一百五 → 150: the next place down
    return total + digit
