"""Derived summaries of the cooperation facts, kept at load time so whole-graph questions stay fast.

The rankings, the matrix and an institution's cities read every COOPERATES_WITH fact (millions at
national scale); they read these summaries instead. Three derived labels, all also labelled
`Summary` (never an Entity, so neighbourhoods, analytics and exports do not see them):

- `PartnerSummary`, one per city and entity its facts reach directly or, for an institution,
  through a sub-organisation (PART_OF*1..3, as 中国科学院 through its institutes): the direct facts
  (`facts`, `doc_years`: one year per document, 0 when unknown) and the rolled-up ones
  (`rollup_documents`, `rollup_years`, `rollup_doc_years`: one year per document as in `doc_years`,
  `via`: the organisations reached, `sentence`: the earliest by year, document and offset).
- `CitySummary`, one per city with facts: distinct `partners`, `institutions` and `documents`.
- `InstitutionSummary`, one per institution reached, rolled up: distinct `cities` and `documents`.

They are exact, not estimates. A loaded chunk holds only fresh documents (the loader deletes an old
or partial version first), so its facts add to the summaries without double counting. Deleting a
document recomputes the cities and institutions it touched from their remaining facts; so does a
chunk that links an institution with older facts under a new parent. A store from before these
summaries, or whose summaries are missing, is summarised whole when it opens (ensure_summaries).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from policykg.graph.build import GraphRows

Query = Callable[[str, dict[str, Any]], list[dict[str, Any]]]
Execute = Callable[[str, dict[str, Any]], Any]
Unwind = Callable[[str, list[dict[str, Any]]], None]  # runs a `UNWIND $rows AS row …` statement in batches
Batches = Callable[[list[Any]], Iterable[list[Any]]]  # a list in pieces the store takes as one parameter

SUMMARY_LABEL = "Summary"
PARTNER_SUMMARY = "PartnerSummary"
CITY_SUMMARY = "CitySummary"
INSTITUTION_SUMMARY = "InstitutionSummary"
SUMMARY_LABELS = (SUMMARY_LABEL, PARTNER_SUMMARY, CITY_SUMMARY, INSTITUTION_SUMMARY)
# (label, property) pairs the stores index: summaries are found and merged by these keys.
SUMMARY_KEYS = (
    (PARTNER_SUMMARY, "key"),
    (PARTNER_SUMMARY, "city_id"),
    (PARTNER_SUMMARY, "partner_id"),
    (CITY_SUMMARY, "city_id"),
    (INSTITUTION_SUMMARY, "institution_id"),
)
_CITY_BATCH = 20  # cities whose facts are read in one statement when recomputing

# One PART_OF hop, each pair once: every document repeats its gazetteer links, and a variable-length
# match walks each repetition (tens of thousands of paths for 中国科学院's institutes).
_PARENTS = (
    "UNWIND $ids AS id MATCH (x:Entity {id: id})-[:PART_OF]->(y:Entity) "
    "RETURN DISTINCT x.id AS id, y.id AS parent, y.name AS name, y.type AS type"
)
_ANCESTOR_HOPS = 3  # the curated queries roll up over PART_OF*1..3
_FACTS_OF_CITIES = (
    "UNWIND $ids AS id MATCH (c:City {id: id})-[r:COOPERATES_WITH]->(x:Entity) "
    "RETURN c.id AS city_id, c.name AS city, x.id AS partner_id, x.name AS partner, x.type AS type, "
    "r.doc_id AS doc_id, r.year AS year, r.start AS start, r.sentence AS sentence"
)
_CITIES_WITH_FACTS = "MATCH (c:City)-[:COOPERATES_WITH]->() RETURN DISTINCT c.id AS id"
_INSTITUTIONS_REACHED = (
    "MATCH (s:PartnerSummary) WHERE s.partner_type = 'Institution' RETURN DISTINCT s.partner_id AS id"
)
_EXISTING_PAIRS = (
    f"UNWIND $keys AS k MATCH (s:{PARTNER_SUMMARY} {{key: k}}) RETURN s.key AS key, s.facts AS facts, "
    "s.doc_years AS doc_years, coalesce(s.rollup_doc_years, []) AS rollup_doc_years, "
    "s.rollup_years AS rollup_years, s.via AS via"
)
_MERGE_PAIRS = f"""UNWIND $rows AS row
MERGE (s:{SUMMARY_LABEL}:{PARTNER_SUMMARY} {{key: row.key}})
ON CREATE SET s.city_id = row.city_id, s.city = row.city, s.partner_id = row.partner_id, s.partner = row.partner,
              s.partner_type = row.partner_type, s.facts = 0, s.doc_years = [], s.rollup_documents = 0,
              s.rollup_years = [], s.rollup_doc_years = [], s.via = []
SET s.facts = s.facts + row.facts, s.rollup_documents = s.rollup_documents + row.rollup_documents,
    s.doc_years = row.doc_years, s.rollup_doc_years = row.rollup_doc_years, s.rollup_years = row.rollup_years,
    s.via = row.via,
    s.sentence = CASE WHEN s.sentence_key IS NULL OR row.sentence_key < s.sentence_key
                      THEN row.sentence ELSE s.sentence END,
    s.sentence_key = CASE WHEN s.sentence_key IS NULL OR row.sentence_key < s.sentence_key
                          THEN row.sentence_key ELSE s.sentence_key END"""
# The lists in a merged row are already the whole, sorted lists (see _with_stored_lists): appended in Cypher
# they came in load order, so two stores loaded in different orders differed.
# A rebuild sets whole summaries, so two processes rebuilding at once (serve --workers N on an older
# store) write the same values instead of adding twice.
_SET_PAIRS = f"UNWIND $rows AS row MERGE (s:{SUMMARY_LABEL}:{PARTNER_SUMMARY} {{key: row.key}}) SET s += row"
_RECURRING = ("city_id", "city", "partner_id", "partner", "partner_type", "sentence")  # a pair summary's repeats
_SET_CITIES = f"UNWIND $rows AS row MERGE (s:{SUMMARY_LABEL}:{CITY_SUMMARY} {{city_id: row.city_id}}) SET s += row"
_ADD_CITIES = f"""UNWIND $rows AS row
MERGE (s:{SUMMARY_LABEL}:{CITY_SUMMARY} {{city_id: row.city_id}})
ON CREATE SET s.city = row.city, s.partners = 0, s.institutions = 0, s.documents = 0
SET s.partners = s.partners + row.partners, s.institutions = s.institutions + row.institutions,
    s.documents = s.documents + row.documents"""
_ADD_INSTITUTIONS = f"""UNWIND $rows AS row
MERGE (s:{SUMMARY_LABEL}:{INSTITUTION_SUMMARY} {{institution_id: row.institution_id}})
ON CREATE SET s.institution = row.institution, s.documents = 0
SET s.documents = s.documents + row.documents"""
# Distinct city names reaching an institution: a count over its PartnerSummary rows, at most one a city.
_COUNT_CITIES = f"""UNWIND $rows AS row MATCH (s:{INSTITUTION_SUMMARY} {{institution_id: row.id}})
OPTIONAL MATCH (p:{PARTNER_SUMMARY} {{partner_id: row.id}})
WITH s, count(DISTINCT p.city) AS cities SET s.cities = cities"""
_DROP_CITIES = (
    f"UNWIND $rows AS row MATCH (s:{PARTNER_SUMMARY} {{city_id: row.id}}) DELETE s",
    f"UNWIND $rows AS row MATCH (s:{CITY_SUMMARY} {{city_id: row.id}}) DELETE s",
)
_INSTITUTION_DOCUMENTS = """UNWIND $ids AS id MATCH (x:Institution {id: id})
OPTIONAL MATCH (sub:Institution)-[:PART_OF*1..3]->(x)
WITH x, collect(DISTINCT sub) + [x] AS orgs
UNWIND orgs AS org
OPTIONAL MATCH (:City)-[r:COOPERATES_WITH]->(org)
RETURN x.id AS id, x.name AS name, count(DISTINCT r.doc_id) AS documents"""
_SET_INSTITUTIONS = f"""UNWIND $rows AS row
MERGE (s:{SUMMARY_LABEL}:{INSTITUTION_SUMMARY} {{institution_id: row.institution_id}})
SET s.institution = row.institution, s.documents = row.documents"""
_DROP_INSTITUTIONS = f"UNWIND $rows AS row MATCH (s:{INSTITUTION_SUMMARY} {{institution_id: row.id}}) DELETE s"
_DROP_ALL = f"MATCH (s:{SUMMARY_LABEL}) DELETE s"
_HAS_SUMMARIES = f"MATCH (s:{CITY_SUMMARY}) RETURN s.city_id AS id LIMIT 1"
# Pair summaries written before rollup_doc_years existed (the matrix's roll-up counts by year from it).
_OUTDATED_PAIRS = f"MATCH (s:{PARTNER_SUMMARY}) WHERE s.rollup_doc_years IS NULL RETURN s.key AS key LIMIT 1"
_HAS_CITY_FACTS = "MATCH (c:City)-[:COOPERATES_WITH]->() RETURN c.id AS id LIMIT 1"
# Before a delete: the cities whose facts the document holds and the institutions they reach. PART_OF
# links are the gazetteers', kept while their institution is mentioned, so a delete never cuts a roll-up.
_DOCUMENT_FACTS = """UNWIND $touched AS tid MATCH (c:City {id: tid})-[r:COOPERATES_WITH {doc_id: $id}]->(x:Entity)
RETURN DISTINCT c.id AS city_id, x.id AS partner_id, x.type AS type"""
# After a chunk: cities with older facts to an institution whose roll-up to an ancestor lacks it
# (the chunk put the institution under a new parent).
_STALE_ROLLUPS = f"""UNWIND $ids AS id MATCH (sub:Institution {{id: id}})-[:PART_OF*1..3]->(a:Institution)
WITH DISTINCT sub, a
MATCH (s:{PARTNER_SUMMARY} {{partner_id: sub.id}}) WHERE s.facts > 0
OPTIONAL MATCH (up:{PARTNER_SUMMARY} {{key: s.city_id + '|' + a.id}})
WITH s, a, sub, up WHERE up IS NULL OR NOT sub.name IN up.via
RETURN DISTINCT s.city_id AS city_id, a.id AS institution_id"""


@dataclass(frozen=True)
class Fact:
    """One COOPERATES_WITH fact from a city, as the summaries need it."""

    city_id: str
    city: str
    partner_id: str
    partner: str
    partner_type: str
    doc_id: str
    year: int | None
    start: int | None
    sentence: str | None

    def sentence_key(self) -> str:
        """Orders example sentences: year (unknown first), document, offset; compared as text in Cypher."""
        return f"{self.year or 0:04d}|{self.doc_id}|{self.start or 0:09d}"


@dataclass
class _Pair:
    city_id: str
    city: str
    partner_id: str
    partner: str
    partner_type: str
    facts: int = 0
    doc_years: dict[str, int] = field(default_factory=dict)  # direct documents → year (0: unknown)
    rollup_docs: set[str] = field(default_factory=set)
    rollup_doc_years: dict[str, int] = field(default_factory=dict)  # rolled-up documents → year (0: unknown)
    rollup_years: set[int] = field(default_factory=set)
    via: list[str] = field(default_factory=list)
    sentence: str | None = None
    sentence_key: str | None = None

    def row(self) -> dict[str, Any]:
        return {
            "key": pair_key(self.city_id, self.partner_id),
            "city_id": self.city_id,
            "city": self.city,
            "partner_id": self.partner_id,
            "partner": self.partner,
            "partner_type": self.partner_type,
            "facts": self.facts,
            # Sorted, never in the order facts arrived: the same facts give the same summary in any load order.
            "doc_years": sorted(self.doc_years.values()),
            "rollup_documents": len(self.rollup_docs),
            "rollup_years": sorted(self.rollup_years),
            "rollup_doc_years": sorted(self.rollup_doc_years.values()),
            "via": sorted(self.via),
            "sentence": self.sentence,
            "sentence_key": self.sentence_key,
        }


@dataclass
class Contributions:
    """What a set of fresh facts adds to the summaries."""

    pairs: dict[str, _Pair] = field(default_factory=dict)
    city_names: dict[str, str] = field(default_factory=dict)
    city_documents: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    institution_names: dict[str, str] = field(default_factory=dict)
    institution_documents: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))


def pair_key(city_id: str, partner_id: str) -> str:
    return f"{city_id}|{partner_id}"


def contributions(facts: Iterable[Fact], ancestors: dict[str, list[tuple[str, str]]]) -> Contributions:
    """Sum fresh facts per city and partner; an institution's facts also count for its ancestors."""
    found = Contributions()
    for fact in facts:
        found.city_names[fact.city_id] = fact.city
        found.city_documents[fact.city_id].add(fact.doc_id)
        direct = _pair(found, fact, fact.partner_id, fact.partner, fact.partner_type)
        direct.facts += 1
        direct.doc_years.setdefault(fact.doc_id, fact.year or 0)
        reached = [(fact.partner_id, fact.partner)]
        if fact.partner_type == "Institution":
            reached += ancestors.get(fact.partner_id, [])
        for org_id, org_name in reached:
            pair = _pair(found, fact, org_id, org_name, fact.partner_type)
            pair.rollup_docs.add(fact.doc_id)
            pair.rollup_doc_years.setdefault(fact.doc_id, fact.year or 0)
            if fact.year:
                pair.rollup_years.add(fact.year)
            if fact.partner not in pair.via:
                pair.via.append(fact.partner)
            if fact.sentence is not None and (pair.sentence_key is None or fact.sentence_key() < pair.sentence_key):
                pair.sentence, pair.sentence_key = fact.sentence, fact.sentence_key()
            if fact.partner_type == "Institution":
                found.institution_names[org_id] = org_name
                found.institution_documents[org_id].add(fact.doc_id)
    return found


def _pair(found: Contributions, fact: Fact, partner_id: str, partner: str, partner_type: str) -> _Pair:
    key = pair_key(fact.city_id, partner_id)
    if key not in found.pairs:
        found.pairs[key] = _Pair(fact.city_id, fact.city, partner_id, partner, partner_type)
    return found.pairs[key]


def chunk_facts(rows: GraphRows) -> list[Fact]:
    """The COOPERATES_WITH facts from a city among a chunk's rows (ids are 'Type:name')."""
    names = {row["id"]: row["props"].get("name") for node_rows in rows.nodes.values() for row in node_rows}
    facts = []
    seen: set[str] = set()
    for (rel_type, _, _), rel_rows in rows.relationships.items():
        if rel_type != "COOPERATES_WITH":
            continue
        for row in rel_rows:
            if _type_of(row["source"]) == "City" and row["key"] not in seen:
                seen.add(row["key"])
                props = row["props"]
                facts.append(
                    Fact(
                        row["source"],
                        names.get(row["source"]) or "",
                        row["target"],
                        names.get(row["target"]) or "",
                        _type_of(row["target"]),
                        props["doc_id"],
                        props.get("year"),
                        props.get("start"),
                        props.get("sentence"),
                    )
                )
    return facts


def _type_of(entity_id: str) -> str:
    return entity_id.split(":", 1)[0]


class Summaries:
    """Keeps the summaries of one store, through its loader's read (`query`) and batched write (`unwind`)."""

    def __init__(
        self, execute: Execute, query: Query, unwind: Unwind, batches: Batches, interned: bool = False
    ) -> None:
        """`interned`: the store has FalkorDB's intern(), so the names and ids that recur across a city's
        hundreds of pair summaries (and the sentence its fact already holds) are each kept once."""
        self.execute = execute
        self.query = query
        self.unwind = unwind
        self.batches = batches
        # FalkorDB evaluates a SET (and a SET right after it) against the node as it was before: the values
        # just written are interned after a WITH.
        suffix = " WITH s SET " + ", ".join(f"s.{key} = intern(s.{key})" for key in _RECURRING) if interned else ""
        self._merge_pairs, self._set_pairs = _MERGE_PAIRS + suffix, _SET_PAIRS + suffix

    def _read_each(self, cypher: str, name: str, items: Iterable[Any], **fixed: Any) -> list[dict[str, Any]]:
        """A read over a list parameter, in pieces (FalkorDB's Bolt endpoint fails on large parameters)."""
        found: list[dict[str, Any]] = []
        for batch in self.batches(list(items)):
            found += self.query(cypher, {**fixed, name: batch})
        return found

    def ensure(self) -> None:
        """Summarise a store that has city facts but no summaries (one loaded before they existed), or whose
        summaries lack a field added since."""
        if self.query(_HAS_CITY_FACTS, {}) and (not self.query(_HAS_SUMMARIES, {}) or self.query(_OUTDATED_PAIRS, {})):
            self.rebuild()

    def after_load(self, rows: GraphRows) -> None:
        """A chunk of fresh documents was written: add its facts, and repair roll-ups a new parent changed."""
        facts = chunk_facts(rows)
        if facts:
            self._add(facts, with_institutions=True)
        parts = sorted(
            {
                row["source"]
                for (rel_type, _, _), rel_rows in rows.relationships.items()
                if rel_type == "PART_OF"
                for row in rel_rows
                if _type_of(row["source"]) == _type_of(row["target"]) == "Institution"
            }
        )
        if parts:
            stale = self._read_each(_STALE_ROLLUPS, "ids", parts)
            if stale:
                self._recompute({row["city_id"] for row in stale}, {row["institution_id"] for row in stale})

    def before_delete(self, doc_id: str, touched: list[str]) -> tuple[set[str], set[str]]:
        """The cities and institutions whose summaries deleting the document changes, found before it goes."""
        facts = self._read_each(_DOCUMENT_FACTS, "touched", touched, id=doc_id)
        cities = {row["city_id"] for row in facts}
        institutions = {row["partner_id"] for row in facts if row["type"] == "Institution"}
        ancestors = self._ancestors(sorted(institutions))
        institutions |= {ancestor for found in ancestors.values() for ancestor, _ in found}
        return cities, institutions

    def after_delete(self, changed: tuple[set[str], set[str]]) -> None:
        self._recompute(*changed)

    def rebuild(self) -> None:
        """Every summary from scratch, from the facts in the store; city summaries come last, so a rebuild
        cut short leaves none and the next ensure() starts again."""
        self.execute(_DROP_ALL, {})
        city_rows: list[dict[str, Any]] = []
        for batch in _batches(sorted(row["id"] for row in self.query(_CITIES_WITH_FACTS, {})), _CITY_BATCH):
            found = self._contributions([_fact(row) for row in self._read_each(_FACTS_OF_CITIES, "ids", batch)])
            self.unwind(self._set_pairs, [pair.row() for pair in found.pairs.values()])
            city_rows += _city_rows(found, known=set())
        self._recompute_institutions({row["id"] for row in self.query(_INSTITUTIONS_REACHED, {})})
        self.unwind(_SET_CITIES, city_rows)

    def _contributions(self, facts: list[Fact]) -> Contributions:
        return contributions(
            facts, self._ancestors(sorted({f.partner_id for f in facts if f.partner_type == "Institution"}))
        )

    def _add(self, facts: list[Fact], with_institutions: bool) -> None:
        """Add fresh facts (ones the summaries do not count yet)."""
        found = self._contributions(facts)
        stored = {row["key"]: row for row in self._read_each(_EXISTING_PAIRS, "keys", list(found.pairs))}
        existing = {key: row["facts"] for key, row in stored.items()}
        known = {key for key, facts in existing.items() if facts}  # pairs with a direct fact already
        self.unwind(
            self._merge_pairs, [_with_stored_lists(pair.row(), stored.get(key)) for key, pair in found.pairs.items()]
        )
        self.unwind(_ADD_CITIES, _city_rows(found, known))
        if with_institutions and found.institution_names:
            self.unwind(
                _ADD_INSTITUTIONS,
                [
                    {"institution_id": i, "institution": name, "documents": len(found.institution_documents[i])}
                    for i, name in found.institution_names.items()
                ],
            )
            # An institution's city count changes only with a city new to it.
            reached = {pair.partner_id for key, pair in found.pairs.items() if key not in existing}
            self.unwind(_COUNT_CITIES, [{"id": i} for i in found.institution_names if i in reached])

    def _ancestors(self, institutions: list[str]) -> dict[str, list[tuple[str, str]]]:
        """Each institution's (id, name) ancestors that are institutions, up to three PART_OF hops away
        through any entity: what `(i:Institution)-[:PART_OF*1..3]->(a:Institution)` finds."""
        parents: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
        expanded: set[str] = set()
        frontier = set(institutions)
        for _ in range(_ANCESTOR_HOPS):
            frontier -= expanded
            if not frontier:
                break
            for row in self._read_each(_PARENTS, "ids", sorted(frontier)):
                parents[row["id"]].append((row["parent"], row["name"], row["type"]))
            expanded |= frontier
            frontier = {parent for node in frontier for parent, _, _ in parents.get(node, [])}
        ancestors: dict[str, list[tuple[str, str]]] = {}
        for institution in institutions:
            reached: dict[str, str] = {}
            level = {institution}
            for _ in range(_ANCESTOR_HOPS):
                above = [found for node in level for found in parents.get(node, [])]
                reached.update((parent, name) for parent, name, kind in above if kind == "Institution")
                level = {parent for parent, _, _ in above}
            ancestors[institution] = list(reached.items())
        return ancestors

    def _recompute(self, cities: set[str], institutions: set[str]) -> None:
        """Summaries of these cities and institutions again from their facts in the store."""
        self._recompute_cities(cities)
        self._recompute_institutions(institutions)

    def _recompute_cities(self, cities: set[str]) -> None:
        for batch in _batches(sorted(cities), _CITY_BATCH):
            for statement in _DROP_CITIES:
                self.unwind(statement, [{"id": city_id} for city_id in batch])
            facts = [_fact(row) for row in self._read_each(_FACTS_OF_CITIES, "ids", batch)]
            if facts:
                self._add(facts, with_institutions=False)

    def _recompute_institutions(self, institutions: set[str]) -> None:
        for batch in _batches(sorted(institutions), _CITY_BATCH):
            counted = self._read_each(_INSTITUTION_DOCUMENTS, "ids", batch)  # a deleted institution: no row
            rows = [{"id": i} for i in batch]
            self.unwind(_DROP_INSTITUTIONS, rows)
            self.unwind(
                _SET_INSTITUTIONS,
                [
                    {"institution_id": row["id"], "institution": row["name"], "documents": row["documents"]}
                    for row in counted
                    if row["documents"]
                ],
            )
            self.unwind(_COUNT_CITIES, rows)


def _with_stored_lists(row: dict[str, Any], stored: dict[str, Any] | None) -> dict[str, Any]:
    """A pair's fresh row with its lists joined to the stored summary's, sorted: documents' years add up (one
    per document, and a fresh document is never counted yet), years and organisations reached are sets."""
    if stored is None:
        return row
    return {
        **row,
        "doc_years": sorted([*(stored["doc_years"] or []), *row["doc_years"]]),
        "rollup_doc_years": sorted([*(stored["rollup_doc_years"] or []), *row["rollup_doc_years"]]),
        "rollup_years": sorted({*(stored["rollup_years"] or []), *row["rollup_years"]}),
        "via": sorted({*(stored["via"] or []), *row["via"]}),
    }


def _city_rows(found: Contributions, known: set[str]) -> list[dict[str, Any]]:
    """Each city's additions: its fresh documents, and its partners that had no direct fact before."""
    rows: dict[str, dict[str, Any]] = {
        city_id: {
            "city_id": city_id,
            "city": name,
            "documents": len(found.city_documents[city_id]),
            "partners": 0,
            "institutions": 0,
        }
        for city_id, name in found.city_names.items()
    }
    for key, pair in found.pairs.items():
        if pair.facts and key not in known:
            rows[pair.city_id]["partners"] += 1
            rows[pair.city_id]["institutions"] += pair.partner_type == "Institution"
    return list(rows.values())


def _fact(row: dict[str, Any]) -> Fact:
    return Fact(
        row["city_id"],
        row["city"],
        row["partner_id"],
        row["partner"],
        row["type"],
        row["doc_id"],
        row["year"],
        row["start"],
        row["sentence"],
    )


def _batches(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
