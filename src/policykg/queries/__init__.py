"""The curated Cypher queries: one file a query, its header read by the API and the page.

Header lines at the top of each file, before the Cypher:
    // name: city-partners
    // title.zh: …            // title.en: …
    // description: …
    // param: city string 三明市 | the city's canonical name      (default "-" means required)
    // label: city 城市 | City                                    (the parameter's name for users, zh | en)
    // entity: city City       (the parameter names a City: the API takes an alias or id and passes its canonical
                                name, 'any' as is; `id` instead of a type: it passes the entity's id; unknown: 404)
    // summary.zh: …          // summary.en: …               (what it answers, for users rather than developers)
    // example: city=三明市
    // cached: true            (optional: a whole-graph query the API answers from its cache until the graph changes)
    // choices: type City Institution any                       (optional: the only values a parameter takes)
An integer parameter takes values in RANGES by its name (limits, years), else 0..2^63-1: the OpenAPI spec says so
and the API answers 422 outside them (a negative LIMIT was the store's error, a 503).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

QUERY_DIR = Path(__file__).parent
PARAM_TYPES: dict[str, type] = {"string": str, "integer": int, "number": float, "boolean": bool}
# A curated query's integers are counts, limits and years: never negative, and within the store's 64 bits (a larger
# one would be clamped silently, a negative LIMIT is the store's error).
INTEGER_RANGE = (0, 2**63 - 1)
_TRUE, _FALSE = ("1", "true", "yes", "on"), ("0", "false", "no", "off")


# A curated query's integers are counts, limits and years: never negative, and within the store's 64 bits.
INTEGER_RANGE = (0, 2**63 - 1)
RANGES = {"limit": (1, 100_000), "year_from": (0, 9999), "year_to": (0, 9999)}


class QueryFileError(ValueError):
    pass


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    default: Any
    description: str
    label_zh: str = ""
    label_en: str = ""
    entity: str = ""  # "": a plain value; "id": an entity's id; a type (City…): that type's canonical name
    choices: tuple[str, ...] = ()  # the only values it takes; empty: any of its type

    @property
    def required(self) -> bool:
        return self.default is None

    @property
    def bounds(self) -> tuple[int, int] | None:
        """The smallest and largest value of an integer parameter; None for other types."""
        return RANGES.get(self.name, INTEGER_RANGE) if self.type == "integer" else None

    def coerce(self, raw: Any) -> Any:
        """The typed value of `raw` (None: the default); ValueError for one of another type or out of range."""
        if raw is None:
            return self.default
        kind = PARAM_TYPES[self.type]
        if kind is bool and isinstance(raw, str):
            if raw.lower() not in _TRUE + _FALSE:
                raise ValueError(raw)
            return raw.lower() in _TRUE
        value = kind(raw)
        if kind is int and not INTEGER_RANGE[0] <= value <= INTEGER_RANGE[1]:
            raise ValueError(raw)
        if kind is float and not math.isfinite(value):
            raise ValueError(raw)
        return value

    @property
    def expected(self) -> str:
        """What a valid value is, in words."""
        if self.type == "integer":
            return f"a whole number from {INTEGER_RANGE[0]} to {INTEGER_RANGE[1]}"
        return {"boolean": "true or false", "number": "a finite number"}.get(self.type, "text")


@dataclass(frozen=True)
class CuratedQuery:
    name: str
    title_zh: str
    title_en: str
    description: str
    cypher: str
    parameters: tuple[Parameter, ...] = field(default_factory=tuple)
    example: str = ""
    cached: bool = False
    summary_zh: str = ""
    summary_en: str = ""

    def bind(self, raw: dict[str, Any]) -> dict[str, Any]:
        """Typed parameters from raw ones; a missing required parameter or a bad value raises ValueError."""
        bound = {}
        for parameter in self.parameters:
            value = raw.get(parameter.name)
            if value in (None, "") and parameter.required:
                raise ValueError(f"parameter '{parameter.name}' is required")
            try:
                bound[parameter.name] = parameter.coerce(value if value != "" else None)
            except (TypeError, ValueError) as error:
                raise ValueError(f"parameter '{parameter.name}' must be {parameter.expected}") from error
        return bound


def _parse_param(path: Path, text: str) -> Parameter:
    spec, _, description = text.partition("|")
    parts = spec.split()
    if len(parts) != 3 or parts[1] not in PARAM_TYPES:
        raise QueryFileError(f"{path.name}: bad param line {text!r}: want 'NAME TYPE DEFAULT | description'")
    name, kind, default = parts
    value = None if default == "-" else Parameter(name, kind, None, "").coerce(default)
    return Parameter(name, kind, value, description.strip())


def _parse_label(path: Path, text: str) -> tuple[str, str, str]:
    spec, bar, english = text.partition("|")
    name, _, chinese = spec.strip().partition(" ")
    if not bar or not name or not chinese.strip() or not english.strip():
        raise QueryFileError(f"{path.name}: bad label line {text!r}: want 'NAME 中文 | English'")
    return name, chinese.strip(), english.strip()


def parse_query_file(path: Path) -> CuratedQuery:
    header: dict[str, str] = {}
    params: list[Parameter] = []
    labels: dict[str, tuple[str, str]] = {}
    entities: dict[str, str] = {}
    choices: dict[str, tuple[str, ...]] = {}
    body: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not body and line.startswith("//"):
            key, _, value = line[2:].strip().partition(":")
            if key == "param":
                params.append(_parse_param(path, value.strip()))
            elif key == "label":
                name, chinese, english = _parse_label(path, value.strip())
                labels[name] = (chinese, english)
            elif key == "entity":
                name, _, kind = value.strip().partition(" ")
                entities[name] = kind.strip()
            elif key == "choices":
                name, *values = value.split()
                choices[name] = tuple(values)
            elif key:
                header[key.strip()] = value.strip()
        elif line.strip() or body:
            body.append(line)
    missing = {"name", "title.zh", "title.en", "description"} - header.keys()
    if missing:
        raise QueryFileError(f"{path.name}: header lacks {', '.join(sorted(missing))}")
    if header["name"] != path.stem:
        raise QueryFileError(f"{path.name}: name {header['name']!r} differs from the file name")
    unknown = (set(labels) | set(entities) | set(choices)) - {p.name for p in params}
    if unknown:
        raise QueryFileError(
            f"{path.name}: label, entity or choices lines for parameters it lacks: {', '.join(sorted(unknown))}"
        )
    params = [
        replace(
            p,
            label_zh=labels.get(p.name, ("", ""))[0],
            label_en=labels.get(p.name, ("", ""))[1],
            entity=entities.get(p.name, ""),
            choices=choices.get(p.name, ()),
        )
        for p in params
    ]
    return CuratedQuery(
        header["name"],
        header["title.zh"],
        header["title.en"],
        header["description"],
        "\n".join(body).strip(),
        tuple(params),
        header.get("example", ""),
        header.get("cached", "").lower() == "true",
        header.get("summary.zh", ""),
        header.get("summary.en", ""),
    )


@cache
def load_queries(directory: Path = QUERY_DIR) -> dict[str, CuratedQuery]:
    return {q.name: q for q in map(parse_query_file, sorted(directory.glob("*.cypher")))}
