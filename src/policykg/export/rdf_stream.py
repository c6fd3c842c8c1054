"""RDF written as it is made: Turtle and JSON-LD streams that take triples one at a time.

rdflib's serialisers need the whole Graph in memory and then sort it: on 1,000 real documents a Turtle export
took over 120 s and 1.9 GB, JSON-LD 3 GB (issue #19 item 5). These sinks write each triple when it is added,
grouping the consecutive triples of one subject, so memory stays that of one subject's triples and time is
linear. Terms are written by rdflib itself (`Literal.n3()`, the escaping its Turtle serialiser uses), so the
streamed file parses back to the same graph; a triple added twice is written twice, which RDF reads as one.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any, Protocol, TextIO

from rdflib import RDF, BNode, Literal, URIRef
from rdflib.term import Node

Triple = tuple[Node, Node, Node]
# A conservative subset of Turtle's PN_LOCAL: a local name outside it is written as a full <IRI>.
_PLAIN_LOCAL = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")


class TripleSink(Protocol):
    """Where RdfWriter puts its triples: an rdflib Graph, or a stream below."""

    def add(self, triple: Triple, /) -> object: ...


class _Prefixes:
    """Shortens IRIs with the given prefixes, longest namespace first."""

    def __init__(self, prefixes: Mapping[str, str]) -> None:
        self.prefixes = dict(prefixes)
        self._by_length = sorted(((str(ns), p) for p, ns in prefixes.items()), key=lambda pair: -len(pair[0]))

    def split(self, iri: str) -> tuple[str, str] | None:
        for namespace, prefix in self._by_length:
            if iri.startswith(namespace):
                return prefix, iri[len(namespace) :]
        return None


class TurtleStream:
    """Turtle: the prefixes, then `subject p o ; p o .` per run of triples sharing a subject."""

    def __init__(self, out: TextIO, prefixes: Mapping[str, str]) -> None:
        self.out = out
        self._prefixes = _Prefixes(prefixes)
        self._subject: Node | None = None
        for prefix, namespace in prefixes.items():
            out.write(f"@prefix {prefix}: <{namespace}> .\n")
        out.write("\n")

    def add(self, triple: Triple, /) -> None:
        subject, predicate, obj = triple
        if subject == self._subject:
            self.out.write(f" ;\n    {self._term(predicate)} {self._term(obj)}")
            return
        if self._subject is not None:
            self.out.write(" .\n")
        self._subject = subject
        self.out.write(f"{self._term(subject)} {self._term(predicate)} {self._term(obj)}")

    def close(self) -> None:
        if self._subject is not None:
            self.out.write(" .\n")
        self._subject = None

    def _term(self, term: Node) -> str:
        if term == RDF.type:
            return "a"
        if isinstance(term, URIRef):
            found = self._prefixes.split(str(term))
            if found and _PLAIN_LOCAL.fullmatch(found[1]):
                return f"{found[0]}:{found[1]}"
        if isinstance(term, URIRef | Literal | BNode):
            return term.n3()
        raise ValueError(f"cannot write {term!r} as an RDF term")


class JsonLdStream:
    """JSON-LD: {"@context": the prefixes, "@graph": [one node object per run of triples sharing a subject]}.
    A subject met again later gets a second node object, which JSON-LD merges with the first."""

    def __init__(self, out: TextIO, prefixes: Mapping[str, str]) -> None:
        self.out = out
        self._prefixes = _Prefixes(prefixes)
        self._node: dict[str, Any] | None = None
        self._subject: Node | None = None
        self._written = 0
        context = json.dumps({p: str(ns) for p, ns in prefixes.items()}, ensure_ascii=False)
        out.write(f'{{"@context": {context},\n "@graph": [\n')

    def add(self, triple: Triple, /) -> None:
        subject, predicate, obj = triple
        if subject != self._subject or self._node is None:
            self._flush()
            self._subject, self._node = subject, {"@id": self._id(subject)}
        if predicate == RDF.type and isinstance(obj, URIRef):
            self._node.setdefault("@type", []).append(self._iri(obj))
        else:
            self._node.setdefault(self._iri(str(predicate)), []).append(self._value(obj))

    def close(self) -> None:
        self._flush()
        self.out.write("\n]}\n")

    def _flush(self) -> None:
        if self._node is None:
            return
        self.out.write((",\n" if self._written else "") + json.dumps(self._node, ensure_ascii=False))
        self._written += 1
        self._node = None

    def _iri(self, iri: str) -> str:
        found = self._prefixes.split(iri)
        if found and found[1] and not found[1].startswith("//"):
            return f"{found[0]}:{found[1]}"
        return iri

    def _id(self, term: Node) -> str:
        return term.n3() if isinstance(term, BNode) else self._iri(str(term))

    def _value(self, term: Node) -> dict[str, str]:
        if isinstance(term, Literal):
            value = {"@value": str(term)}
            if term.language:
                value["@language"] = term.language
            elif term.datatype:
                value["@type"] = self._iri(str(term.datatype))
            return value
        return {"@id": self._id(term)}
