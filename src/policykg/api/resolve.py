"""Entities named the way people name them: a full id, an id without its area code, a name or an alias.

`City:三明市@350400`, `City:三明市`, `三明市` and `三明` all find the same city. Nothing found is a 404 that
suggests what the text might have meant (never an empty 200); a name that fits several entities equally
well is a 404 too, listing them, so the caller picks one by id.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from fastapi import HTTPException

from policykg.graph.stores.protocol import Row, Store, StoreError
from policykg.queries import CuratedQuery

_BY_ID = "MATCH (e:Entity {id: $id}) RETURN e.id AS id, e.name AS name, e.type AS type"
_BY_NAME = "MATCH (e:Entity {name: $name}) RETURN e.id AS id, e.name AS name, e.type AS type LIMIT 50"
# When a bare name fits entities of several types, the one a policy reader most likely means.
TYPE_PREFERENCE = ("City", "Province", "County", "Institution", "Platform", "Agency", "Enterprise", "Program")
SUGGESTIONS = 8
# What people leave off an area's name: 丹东 is 丹东市, 福建 福建省 (a name without a type: a city, then a province).
_SUFFIXES = {"City": ("市",), "Province": ("省",), "County": ("县", "区", "市"), "": ("市", "省")}


@dataclass(frozen=True)
class Found:
    id: str
    name: str
    type: str


class UnknownEntity(HTTPException):
    """A 404 whose answer also lists the entities the text might have meant (api/app.py adds them to the body)."""

    def __init__(self, detail: str, suggestions: list[Found]) -> None:
        named = "; ".join(f"{s.name} ({s.id})" for s in suggestions)
        super().__init__(404, f"{detail}; did you mean: {named}" if named else detail)
        self.suggestions = suggestions

    def body(self) -> dict[str, Any]:
        return {"detail": self.detail, "suggestions": [s.__dict__ for s in self.suggestions]}


def _read(store: Store, cypher: str, params: dict[str, Any]) -> list[Row]:
    try:
        return store.run(cypher, params, read_only=True)
    except StoreError as error:
        raise HTTPException(503, f"the store failed: {error}") from error


def _search(store: Store, text: str, limit: int) -> list[Row]:
    if not text.strip():
        return []
    try:
        return store.search_entities(text, limit)
    except StoreError as error:
        raise HTTPException(503, f"the store failed: {error}") from error


def _found(row: Row) -> Found:
    return Found(row["id"], row.get("name") or row["id"], row.get("type") or "")


def _split(text: str) -> tuple[str | None, str]:
    """'City:三明市@350400' → ('City', '三明市'); a bare name → (None, name)."""
    head, colon, rest = text.partition(":")
    if colon and head.isascii() and head.isalpha() and head[:1].isupper() and rest:
        return head, rest.split("@", 1)[0]
    return None, text


def _best(candidates: list[Found], wanted_type: str | None) -> list[Found]:
    """The candidates of the wanted type, else those of the most likely type."""
    if wanted_type:
        return [c for c in candidates if c.type == wanted_type]
    for kind in TYPE_PREFERENCE:
        of_kind = [c for c in candidates if c.type == kind]
        if of_kind:
            return of_kind
    return candidates


def resolve_entity(store: Store, text: str, entity_type: str | None = None) -> Found:
    """The one entity `text` names (an id, an id without its code, a name or an alias), of `entity_type` if
    given; UnknownEntity (404) with suggestions otherwise."""
    text = text.strip()
    if not text:
        raise UnknownEntity("no entity named ''", [])
    exact = _read(store, _BY_ID, {"id": text})
    if exact and (entity_type is None or exact[0]["type"] == entity_type):
        return _found(exact[0])
    prefix, name = _split(text)
    wanted_type = entity_type or prefix
    by_name = _best([_found(row) for row in _read(store, _BY_NAME, {"name": name})], wanted_type)
    if not by_name:  # an alias: the search index knows them, the name index does not
        hits = _search(store, name, 50)
        aliased = [_found(hit) for hit in hits if name in (hit.get("aliases") or [])]
        by_name = _best(aliased, wanted_type)
    for suffix in [] if by_name else _SUFFIXES.get(wanted_type or "", ()):  # 丹东 for 丹东市, 福建 for 福建省
        by_name = _best([_found(row) for row in _read(store, _BY_NAME, {"name": name + suffix})], wanted_type)
        if by_name:
            break
    if len(by_name) == 1:
        return by_name[0]
    described = f"{wanted_type} " if wanted_type else ""
    if by_name:
        raise UnknownEntity(f"{text!r} names {len(by_name)} entities: give one's id", by_name[:SUGGESTIONS])
    raise UnknownEntity(f"no {described}entity {text!r}", suggest(store, name, wanted_type))


def suggest(store: Store, text: str, entity_type: str | None = None) -> list[Found]:
    """Entities whose name or an alias is like `text`, those of `entity_type` first."""
    hits = [_found(hit) for hit in _search(store, text, 30)]
    if not hits and len(text) > 2:  # 无锡市滨湖区 → 无锡市…: the longest leading part that finds something
        for end in range(len(text) - 1, 1, -1):
            hits = [_found(hit) for hit in _search(store, text[:end], 30)]
            if hits:
                break
    if entity_type:
        hits.sort(key=lambda hit: hit.type != entity_type)
    return hits[:SUGGESTIONS]


def resolve_name(store: Store, text: str, entity_type: str) -> str:
    """The canonical name of the `entity_type` that `text` names (curated queries match names)."""
    return resolve_entity(store, text, entity_type).name


_DOCUMENT = "MATCH (d:Document {id: $id}) RETURN d.id AS id LIMIT 1"


def resolve_parameters(store: Store, query: CuratedQuery, params: dict[str, Any]) -> dict[str, Any]:
    """A curated query's parameters with the entities they name made canonical (the header's `entity:` lines):
    an alias or an id to the canonical name of its type, a name or a short id to the full id; 'any' stays; an
    unknown entity or document is a 404 with suggestions."""
    resolved = dict(params)
    for parameter in query.parameters:
        value = resolved.get(parameter.name)
        if not parameter.entity or not isinstance(value, str) or value == "any":
            continue
        if parameter.entity == "Document":
            if not _read(store, _DOCUMENT, {"id": value}):
                raise UnknownEntity(f"no document {value!r}", [])
        elif parameter.entity == "id":
            resolved[parameter.name] = resolve_entity(store, value).id
        else:
            resolved[parameter.name] = resolve_entity(store, value, parameter.entity).name
    return resolved
