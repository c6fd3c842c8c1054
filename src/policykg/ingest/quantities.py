"""Quantities: every number with a unit in a text, read without deciding what it is.

Arabic and Chinese numerals (ingest/numerals.py reads only the numeral span, so 六安 never becomes
6安), ranges (5-8平方公里, 1至2次), 百分之N, approximations (100余场, 50多家), and a multiplier
kept in the unit (一亿元 → 1 亿元, 30万人次 → 30 万人次, 3万亿元 → 3 万亿元), as GUIDELINES.md writes
targets. Units and their classes come from lexicon/data/units.tsv. Whether a quantity is a target, a
result or neither is ingest/targets.py's question.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from policykg.ingest import numerals
from policykg.lexicon import gazetteer

UNITS_FILE = "units.tsv"
NUMERAL_WORDS_FILE = "numeral_words.tsv"
MULTIPLIERS = ("万亿", "千万", "百万", "万", "亿")
UNIT_CLASSES = ("count", "people", "event", "measure", "money", "rate", "change")

_DIGITS = r"[0-9０-９]+(?:[,，][0-9０-９]{3})*(?:[.．][0-9０-９]+)?"  # full-width too: callers may pass raw text
# 三万万元 is 3万 万元: a numeral may end in 万 when the unit's own 万 follows
_CN_NUM = (
    r"[一二两三四五六七八九十][零〇一二两三四五六七八九十百千]*(?:[万亿][零〇一二两三四五六七八九十百千]+)*"
    r"(?:万(?=万))?"
)
_NUM = rf"(?:{_DIGITS}|{_CN_NUM})"
_ANY_NUMERAL = re.compile(r"[0-9０-９零〇一二两三四五六七八九十百千万亿]")
_ARABIC_DIGIT = re.compile(r"[0-9０-９]")

# Converted so that values of different cities compare: money in 亿元, counts without 万/亿.
_MONEY_FACTORS = {"": 1e-8, "万": 1e-4, "百万": 1e-2, "千万": 0.1, "亿": 1.0, "万亿": 1e4}
_COUNT_FACTORS = {"万": 1e4, "百万": 1e6, "千万": 1e7, "亿": 1e8, "万亿": 1e12}


@dataclass(frozen=True)
class Quantity:
    start: int
    end: int
    value: float
    value_max: float | None
    unit: str  # with its multiplier: 万元, 亿元, 万人次, %
    chinese: bool  # the number was written in Chinese numerals
    approximate: bool = False  # 100余场, 50多家: more than the number


@dataclass(frozen=True)
class _Units:
    classes: dict[str, str]  # unit → class
    same: dict[str, str]  # unit → the writing of it values are compared in (％ → %)
    pattern: re.Pattern[str]
    ordinal_before: re.Pattern[str]  # what makes a Chinese numeral part of a word (第一, 统一)
    bare: re.Pattern[str]  # 超万人, 达到万家以上: a 万 or 亿 without a digit, after these words


@cache
def _units() -> _Units:
    rows = gazetteer.vocabulary(UNITS_FILE)
    classes = {row[0]: row[1] for row in rows}
    unknown = set(classes.values()) - set(UNIT_CLASSES)
    if unknown:
        raise ValueError(f"{UNITS_FILE}: classes not in {UNIT_CLASSES}: {sorted(unknown)}")
    free = sorted((row[0] for row in rows if len(row) < 3 or row[2] != "multiplier"), key=len, reverse=True)
    bound = sorted((row[0] for row in rows if len(row) > 2 and row[2] == "multiplier"), key=len, reverse=True)
    multiplier = "|".join(MULTIPLIERS)
    unit = "|".join(map(re.escape, free))
    if bound:
        unit = rf"(?:{unit})|(?<=[万亿])(?:{'|'.join(map(re.escape, bound))})"
    pattern = re.compile(
        rf"(?P<pct>百分之)?(?P<num>{_NUM})(?:\s*(?P<sep>[-－—–~～至到])\s*(?P<max>{_NUM}))?\s*(?P<approx>多|余)?"
        rf"(?P<mult>{multiplier})?(?P<approx_mult>多|余)?(?P<unit>{unit})?"  # 1万余家: 余 after the multiplier
    )
    words = gazetteer.vocabulary(NUMERAL_WORDS_FILE)
    ordinal = "|".join(map(re.escape, sorted((w for w, role in words if role == "ordinal"), key=len, reverse=True)))
    bare = "|".join(
        map(re.escape, sorted((w for w, role in words if role == "bare-multiplier"), key=len, reverse=True))
    )
    return _Units(
        classes,
        {row[0]: row[3] for row in rows if len(row) > 3 and row[3]},
        pattern,
        re.compile(rf"(?:{ordinal}|十|百)$"),
        re.compile(rf"(?:{bare})(?P<mult>[万亿])(?P<unit>{unit})"),
    )


def _numeral_words(role: str) -> str:
    words = (word for word, kind in gazetteer.vocabulary(NUMERAL_WORDS_FILE) if kind == role)
    return "|".join(map(re.escape, sorted(words, key=len, reverse=True)))


@lru_cache(maxsize=512)
def unit_class(unit: str) -> str:
    """count, people, event, measure, money or rate: the unit's class, its multiplier set aside (万元 → money)."""
    return _units().classes.get(base_unit(unit), "measure")


@lru_cache(maxsize=512)
def base_unit(unit: str) -> str:
    """The unit without its multiplier: 万元 → 元, 亿人次 → 人次, 万方 → 方; 万 alone stays."""
    for multiplier in MULTIPLIERS:
        if unit.startswith(multiplier) and len(unit) > len(multiplier):
            return unit[len(multiplier) :]
    return unit


@cache
def _numeral_places() -> re.Pattern[str] | None:
    """Place names written with numeral characters (六安, 七台河, 十堰): never numbers."""
    names = {
        name
        for name in gazetteer.areas().by_name
        if len(name) >= 2 and re.search(r"[一二两三四五六七八九十百千万零〇]", name)
    }
    return re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))) if names else None


def _masked_places(text: str, pattern: re.Pattern[str]) -> set[int]:
    places = _numeral_places()
    masked: set[int] = set()
    if places is None:
        return masked
    for match in places.finditer(text):
        if match.start() and _ANY_NUMERAL.match(text[match.start() - 1]):
            continue  # 十四平方公里 holds 四平 but is a number
        quantity = pattern.match(text, match.start())
        if quantity and quantity.group("unit") and quantity.end("unit") > match.end():
            continue  # 四平方公里: the unit runs past the place name
        masked.update(range(match.start(), match.end()))
    return masked


def find_quantities(text: str) -> list[Quantity]:
    """Every number with a unit: 100家, 5-8平方公里, 一亿元 (1 亿元), 百分之三十 (30 %), 30万人次."""
    units = _units()
    masked = _masked_places(text, units.pattern)
    found: list[Quantity] = []
    for match in units.pattern.finditer(text):
        quantity = _quantity(text, match, units, masked)
        if quantity is not None:
            found.append(quantity)
    if "万" in text or "亿" in text:
        found += [
            Quantity(m.start("mult"), m.end(), 1.0, None, m.group("mult") + m.group("unit"), chinese=False)
            for m in units.bare.finditer(text)
        ]
        found.sort(key=lambda q: q.start)
    return found


def _quantity(text: str, match: re.Match[str], units: _Units, masked: set[int]) -> Quantity | None:
    unit, pct = match.group("unit"), bool(match.group("pct"))
    if not unit and not pct:
        return None
    start, end = match.start(), match.end()
    if masked and any(i in masked for i in range(start, end)):
        return None
    number = match.group("num")
    chinese = _ARABIC_DIGIT.match(number) is None
    if chinese and units.ordinal_before.search(text[max(0, start - 2) : start]):
        return None
    if not chinese and start and re.match(r"[0-9０-９.．A-Za-z]", text[start - 1]):
        return None  # inside a longer token: a code, a version, a decimal cut short
    value = numerals.number(number)
    value_max = numerals.number(match.group("max")) if match.group("max") else None
    if value is None or (match.group("max") and value_max is None):
        return None
    if pct:
        unit_text = "%"
        if unit or match.group("mult"):
            end = match.start("mult") if match.group("mult") else match.start("unit")
    else:
        unit_text = (match.group("mult") or "") + unit
        if unit_text == "％":
            unit_text = "%"
    if value_max is not None and value_max <= value:
        if match.group("sep") in ("至", "到"):
            return None  # 2至1: not a range, two numbers (dates, list items)
        value_max = None
    approximate = bool(match.group("approx") or match.group("approx_mult"))
    return Quantity(start, end, value, value_max, unit_text, chinese, approximate)


def normalise_unit(value: float | None, unit: str) -> tuple[float | None, str]:
    """A value in the unit all cities' values of its kind are compared in: 5000 万元 → 0.5 亿元, 3 万家 → 30000 家."""
    base = base_unit(unit)
    prefix = unit[: len(unit) - len(base)]
    same = _units().same
    if unit_class(base) == "money":
        factor, unit = _MONEY_FACTORS[prefix], "亿" + base
    elif prefix:
        factor, unit = _COUNT_FACTORS[prefix], same.get(base, base)
    else:
        factor, unit = 1.0, same.get(base, base)
    if value is None:
        return None, unit
    scaled = round(value * factor, 10)
    return (int(scaled) if scaled.is_integer() else scaled), unit
