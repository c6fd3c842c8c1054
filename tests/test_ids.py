"""Property tests of the id scheme: stable, distinct where the things are distinct."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from policykg.ingest.ids import document_id, entity_id, short_hash
from policykg.ingest.record import ENTITY_TYPES

# Canonical names are text without the id separators ":" and "@" (the extractor never produces them).
names = st.text(st.characters(blacklist_characters=":@"), min_size=1, max_size=30)
codes = st.none() | st.from_regex(r"[1-8][0-9]{5}", fullmatch=True)


@given(st.text(max_size=2000))
def test_document_id_depends_only_on_content(text: str) -> None:
    assert document_id(text) == document_id(str(text))
    assert document_id(text).startswith("doc:")


@given(st.text(max_size=200), st.text(max_size=200))
def test_different_texts_get_different_document_ids(a: str, b: str) -> None:
    assert (document_id(a) == document_id(b)) == (a == b)


@given(st.sampled_from(ENTITY_TYPES), names, codes, st.sampled_from(ENTITY_TYPES), names, codes)
def test_entity_ids_are_injective(
    type_a: str, name_a: str, code_a: str | None, type_b: str, name_b: str, code_b: str | None
) -> None:
    same_thing = (type_a, name_a, code_a) == (type_b, name_b, code_b)
    assert (entity_id(type_a, name_a, code_a) == entity_id(type_b, name_b, code_b)) == same_thing


@given(st.sampled_from(ENTITY_TYPES), names)
def test_entity_id_is_readable_in_cypher(entity_type: str, name: str) -> None:
    assert entity_id(entity_type, name) == f"{entity_type}:{name}"


@given(st.lists(st.integers() | st.text(max_size=10), max_size=5))
def test_short_hash_is_stable_and_separates_parts(parts: list) -> None:
    assert short_hash(*parts) == short_hash(*parts)
    if len(parts) >= 2 and all(isinstance(p, str) for p in parts):
        joined = "".join(parts)
        if joined != parts[0]:
            assert short_hash(*parts) != short_hash(joined)
