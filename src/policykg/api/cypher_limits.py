"""What `/api/cypher` lets reach the store: bounds on a query's text and parameters, checked before it is sent.

The store's time limit covers running a query, not parsing or planning it, and some work it cannot interrupt:
- Parsing time doubles with each level of nesting: brackets, CASE … END, function calls, and the prefix operators
  NOT and unary minus (`RETURN ((…1…))` 23 deep parsed for 12 s; 32 deep never finished). A query is refused past
  MAX_NESTING levels, or when its tokens' summed parse cost (2^depth each) passes PARSE_BUDGET (many expressions just
  under the limit side by side).
- A range() is built whole before the store's memory limit per query is checked (150 million numbers took 3.4 GB
  and 20 s that no time limit interrupted), and a range of constants is kept with the query's plan: range() takes
  whole numbers written out or given as parameters, at most MAX_RANGE apart. Lists built step by step (collect,
  comprehensions) meet the store's memory limit per query (embedded_server.py) as they grow.
- Graph algorithms (algo.*) run to the end whatever the time limit (algo.SPpaths for minutes): only the read-only
  guard's other procedures (PUBLIC_PROCEDURES) may be called.
- Integers beyond 64 bits would be clamped silently; map keys that are empty or hold a backtick cannot be sent;
  lone surrogates cannot be encoded; parameters nested deeper than MAX_PARAMETER_DEPTH are refused before any
  recursive encoder meets them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from policykg.graph.stores.readonly import READ_PROCEDURES, Token, code_tokens, procedure_name

MAX_NESTING = 12
PARSE_BUDGET = 2**17  # about 0.3 s of parsing in FalkorDB 4.16 (bench/hostile.py prints the worst accepted)
MAX_RANGE = 100_000
MAX_PARAMETER_DEPTH = 32
INT64 = (-(2**63), 2**63 - 1)
# The read-only guard's procedures without the graph algorithms, which ignore the time limit
PUBLIC_PROCEDURES = frozenset(name for name in READ_PROCEDURES if not name.startswith("algo."))

_OPENING = {"(": ")", "[": "]", "{": "}"}
_CLOSING = frozenset(_OPENING.values())
# After these a '-' or '+' is a sign, not a subtraction; they also end the reach of the NOTs before them.
_OPERAND_AHEAD = frozenset(
    {
        "AND",
        "OR",
        "XOR",
        "NOT",
        "IN",
        "WHEN",
        "THEN",
        "ELSE",
        "CASE",
        "RETURN",
        "WITH",
        "WHERE",
        "UNWIND",
        "IS",
        "CONTAINS",
        "STARTS",
        "ENDS",
        "SKIP",
        "LIMIT",
        "BY",
        "DISTINCT",
        "AS",
    }
)
_SEPARATORS = frozenset({",", "|", ":"}) | {"AND", "OR", "XOR", "WHEN", "THEN", "ELSE"}
_BINARY = frozenset({"+", "-", "*", "/", "%", "^", "=", "<", ">"})


class QueryRefused(ValueError):
    """A query or its parameters that /api/cypher does not send; the message says why and what to do."""


def check_query(query: str, params: dict[str, Any]) -> None:
    """Raise QueryRefused for a query (with these parameters) the store could not bound (see the module's notes)."""
    if _has_lone_surrogate(query):
        raise QueryRefused("the query contains a lone surrogate (\\ud800–\\udfff), which is not text")
    items = code_tokens(query)
    _check_nesting(items)
    for index, token in enumerate(items):
        if token.kind == "number" and token.text.isdigit() and int(token.text) > INT64[1] + 1:
            raise QueryRefused(f"the integer {token.text[:30]} does not fit in 64 bits")
        word = token.text.upper()
        if token.kind == "word" and word == "RANGE" and index + 1 < len(items) and items[index + 1].text == "(":
            _check_range(items, index + 2, params)
        if token.kind == "word" and word == "CALL" and index + 1 < len(items) and items[index + 1].text not in "({":
            procedure = procedure_name(items, index + 1)
            if procedure.startswith("algo."):
                raise QueryRefused(
                    f"CALL {procedure}: graph algorithms run to the end whatever the time limit, so they are not "
                    "offered here; the curated queries and /api/analytics answer paths, centrality and communities"
                )
            if procedure not in PUBLIC_PROCEDURES:
                raise QueryRefused(f"CALL {procedure}: only {', '.join(sorted(PUBLIC_PROCEDURES))} may be called")


def _check_nesting(items: list[Token]) -> None:
    """Refuse nesting past MAX_NESTING levels, or a summed parse cost past PARSE_BUDGET. A level is a bracket,
    CASE … END, or a run of prefix operators (NOT, a sign) within one bracket, reset by AND, OR, a comma…"""
    frames = [0]  # per open bracket: the prefix operators counted in it so far
    cost = 0
    previous = ""
    for token in items:
        text, word = token.text, token.text.upper() if token.kind == "word" else ""
        if text in _OPENING or word == "CASE":
            frames.append(0)
        elif (text in _CLOSING or word == "END") and len(frames) > 1:
            frames.pop()
        elif word == "NOT" or (text in ("-", "+") and _operand_ahead(previous)):
            frames[-1] += 1
        elif text in _SEPARATORS or word in _SEPARATORS or (text in _BINARY and not _operand_ahead(previous)):
            frames[-1] = 0
        depth = len(frames) - 1 + sum(frames)
        if depth > MAX_NESTING:
            raise QueryRefused(
                f"the query is nested more than {MAX_NESTING} levels deep (brackets, CASE, NOT, signs): the store's "
                "parsing time doubles with each level; write it flatter (WITH steps, variables)"
            )
        cost += 2**depth
        if cost > PARSE_BUDGET:
            raise QueryRefused(
                "the query has too many deeply nested expressions for the store to parse quickly: "
                "write them flatter (WITH steps, variables)"
            )
        previous = word or text


def _operand_ahead(previous: str) -> bool:
    """Whether the token after `previous` starts an operand (so a '-' there is a sign)."""
    return (
        previous == ""
        or previous in _OPENING
        or previous in _SEPARATORS
        or previous in _BINARY
        or (previous in _OPERAND_AHEAD)
    )


def _check_range(items: list[Token], start: int, params: dict[str, Any]) -> None:
    """range( … ) whose arguments start at `start`: each a whole number written out or a $parameter holding one,
    at most MAX_RANGE numbers in all. The store builds a range whole before its memory limit is checked (150 million
    numbers from a variable took 3.4 GB and 20 s, no time limit interrupting), so its size must be known first."""
    arguments: list[list[Token]] = [[]]
    depth = 0
    for token in items[start:]:
        if token.text in _OPENING:
            depth += 1
        elif token.text in _CLOSING:
            if depth == 0:
                break
            depth -= 1
        elif token.text == "," and depth == 0:
            arguments.append([])
            continue
        arguments[-1].append(token)
    values = [_whole_number(argument, params) for argument in arguments]
    if len(values) not in (2, 3) or None in values:
        raise QueryRefused(
            "range() takes whole numbers written out or given as $parameters, e.g. range(1, 100) or range(0, $n), so "
            "that its size is known before the store builds it; to go through a list, UNWIND it"
        )
    low, high, step = values[0], values[1], values[2] if len(values) == 3 else 1
    assert low is not None and high is not None and step is not None
    size = 0 if step == 0 else max(0, (high - low) // step + 1)
    if size > MAX_RANGE:
        raise QueryRefused(f"range() may hold at most {MAX_RANGE:,} numbers, not {size:,}")


def _whole_number(argument: list[Token], params: dict[str, Any]) -> int | None:
    """The integer an argument writes out (1, -5) or names ($n), else None."""
    texts = [token.text for token in argument]
    sign = -1 if texts[:1] == ["-"] else 1
    rest = texts[1:] if texts[:1] in (["-"], ["+"]) else texts
    if len(rest) == 1 and rest[0].isdigit():
        return sign * int(rest[0])
    if len(rest) == 2 and rest[0] == "$":
        value = params.get(rest[1].strip("`"))
        if isinstance(value, int) and not isinstance(value, bool):
            return sign * value
    return None


def check_parameters(params: dict[str, Any]) -> None:
    """Raise QueryRefused for parameters the store cannot take as given (see the module's notes)."""
    for path, value, depth in _walk(params):
        if depth > MAX_PARAMETER_DEPTH:
            raise QueryRefused(f"parameters nested more than {MAX_PARAMETER_DEPTH} levels deep are refused ({path})")
        if isinstance(value, str) and _has_lone_surrogate(value):
            raise QueryRefused(f"the parameter {path} contains a lone surrogate (\\ud800–\\udfff), which is not text")
        if isinstance(value, int) and not isinstance(value, bool) and not INT64[0] <= value <= INT64[1]:
            raise QueryRefused(f"the parameter {path} is an integer beyond 64 bits, which the store would clamp")
        if isinstance(value, dict):
            for key in value:
                if _has_lone_surrogate(key):
                    raise QueryRefused(
                        f"a key in {path} contains a lone surrogate (\\ud800–\\udfff), which is not text"
                    )
                if depth and (not key or "`" in key):
                    raise QueryRefused(
                        f"a map key in {path} is empty or holds a backtick ({key!r}): the store cannot take it"
                    )


def _walk(value: Any, path: str = "params", depth: int = 0) -> Iterator[tuple[str, Any, int]]:
    """Every value inside `value` with its path and depth, breadth first (no recursion: the nesting is the input's)."""
    level: list[tuple[str, Any]] = [(path, value)]
    while level:
        inner: list[tuple[str, Any]] = []
        for where, item in level:
            yield where, item, depth
            if isinstance(item, dict):
                inner += [(f"{where}.{key}" if depth else f"${key}", member) for key, member in item.items()]
            elif isinstance(item, list):
                inner += [(f"{where}[{index}]", member) for index, member in enumerate(item)]
        level = inner
        depth += 1


def _has_lone_surrogate(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False
