"""A policykg-side read-only guard for Cypher: refuse anything that could write before a server sees it.

Servers enforce read-only access their own way, and FalkorDB's Bolt endpoint not at all, so every
store checks `run(read_only=True)` here first. The guard reads Cypher as a tokenizer would: comments,
strings and backquoted names cannot hide or fake a keyword, and case does not matter. It is strict:
an unknown procedure is refused, a second statement is refused, and a string is read both with and
without backslash escapes so that a server disagreeing with us about escapes cannot smuggle a write.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from policykg.graph.stores.protocol import ReadOnlyViolation

WRITE_KEYWORDS = frozenset(
    {
        "CREATE",
        "MERGE",
        "DELETE",
        "DETACH",
        "SET",
        "REMOVE",
        "FOREACH",
        "LOAD",
        "INSERT",  # data
        "DROP",
        "ALTER",
        "RENAME",
        "GRANT",
        "DENY",
        "REVOKE",
        "TERMINATE",  # schema, admin
    }
)
# Words that write only before DATABASE (START DATABASE x), and are common aliases otherwise (AS start).
ADMIN_BEFORE_DATABASE = frozenset({"START", "STOP"})
# Procedures that only read, lower case; every other CALLed procedure is refused.
READ_PROCEDURES = frozenset(
    {
        "db.labels",
        "db.relationshiptypes",
        "db.propertykeys",
        "db.indexes",
        "db.constraints",
        "db.meta.stats",
        "db.schema.visualization",
        "db.schema.nodetypeproperties",
        "db.schema.reltypeproperties",
        "dbms.components",
        "db.idx.fulltext.querynodes",
        "db.idx.fulltext.queryrelationships",
        "db.idx.vector.querynodes",
        "db.index.fulltext.querynodes",
        "db.index.fulltext.queryrelationships",
        "db.index.vector.querynodes",
        "algo.bfs",
        "algo.pagerank",
        "algo.sppaths",
        "algo.sspaths",
        "algo.wcc",
        "algo.betweenness",
        "algo.labelpropagation",
    }
)

_STRING_WITH_ESCAPES = r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\""
_STRING_PLAIN = r"'[^']*'|\"[^\"]*\""
_TOKEN_TEMPLATE = r"""
  (?P<space>\s+)
| (?P<comment>//[^\n]*|/\*.*?\*/)
| (?P<string>{string})
| (?P<name>`(?:[^`]|``)*`)
| (?P<word>[^\W\d]\w*)
| (?P<number>\d\w*)
| (?P<other>.)
"""
_TOKENIZERS = tuple(
    re.compile(_TOKEN_TEMPLATE.format(string=s), re.VERBOSE | re.DOTALL) for s in (_STRING_WITH_ESCAPES, _STRING_PLAIN)
)


@dataclass(frozen=True)
class Token:
    kind: str
    text: str


def tokens(cypher: str, tokenizer: re.Pattern[str]) -> list[Token]:
    """Cypher's tokens without spaces and comments. After an unclosed string, name or comment the rest
    is read as code: a server refuses such a query anyway, and reading it as code can only refuse more."""
    return [
        Token(match.lastgroup or "other", match.group())
        for match in tokenizer.finditer(cypher)
        if match.lastgroup not in ("space", "comment")
    ]


def code_tokens(cypher: str) -> list[Token]:
    """Cypher's tokens as the server reads them (strings with backslash escapes), without spaces and comments."""
    return tokens(cypher, _TOKENIZERS[0])


def procedure_name(items: list[Token], start: int) -> str:
    """The dotted procedure name after CALL at `start`, lower case ('' for a CALL { … } subquery)."""
    parts: list[str] = []
    index = start
    while index < len(items) and items[index].kind in ("word", "name"):
        part = items[index].text
        parts.append(part[1:-1].replace("``", "`") if items[index].kind == "name" else part)
        if index + 1 < len(items) and items[index + 1].text == ".":
            index += 2
        else:
            break
    return ".".join(parts).lower()


def write_reason(cypher: str) -> str | None:
    """Why this Cypher could write (a keyword, a procedure, a second statement), or None if it only reads."""
    for tokenizer in _TOKENIZERS:
        items = tokens(cypher, tokenizer)
        for index, token in enumerate(items):
            before = items[index - 1].text if index else ""
            after = items[index + 1].text if index + 1 < len(items) else ""
            if token.text == ";" and any(t.text != ";" for t in items[index + 1 :]):
                return "more than one statement"
            # A keyword after '.', ':', '$' or AS, or before ':' is a property, label, parameter, alias or map key.
            if token.kind != "word" or before in (".", ":", "$") or before.upper() == "AS" or after == ":":
                continue
            keyword = token.text.upper()
            if keyword in WRITE_KEYWORDS or (keyword in ADMIN_BEFORE_DATABASE and after.upper() == "DATABASE"):
                return keyword
            if keyword == "CALL" and after not in ("{", "("):
                procedure = procedure_name(items, index + 1)
                if procedure not in READ_PROCEDURES:
                    return f"CALL {procedure or after}"
    return None


def ensure_read_only(cypher: str) -> None:
    """Raise ReadOnlyViolation unless the Cypher can only read."""
    reason = write_reason(cypher)
    if reason:
        raise ReadOnlyViolation(f"only read queries are allowed here, and this one could write ({reason})")
