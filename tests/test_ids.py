"""The id scheme: ids of known inputs are pinned (a change would orphan every loaded document), the same in every
process, distinct where a careless scheme would conflate texts, and in the documented format."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policykg.ingest.ids import document_id, entity_id, short_hash
from policykg.ingest.record import ENTITY_TYPES

# Canonical names are text without the id separators ":" and "@" (the extractor never produces them).
names = st.text(st.characters(blacklist_characters=":@"), min_size=1, max_size=30)
codes = st.none() | st.from_regex(r"[1-8][0-9]{5}", fullmatch=True)

PINNED_DOCUMENTS = {
    "": "doc:e3b0c44298fc1c149afb",  # the first 20 hex digits of SHA-256 of nothing, the published test vector
    "abc": "doc:ba7816bf8f01cfea4141",  # and of "abc"
    "三明市科技工作要点": "doc:7e20af167f414da83fcc",  # UTF-8, not another encoding
}
PINNED_HASHES = {
    (): "e3b0c44298fc1c14",
    ("a", "b"): "f04cdced9736a69d",
    ("ab",): "fb8e20fc2e4c3f24",
    (1, "x"): "97616a4a473ee0c2",
}


@pytest.mark.parametrize(("text", "expected"), PINNED_DOCUMENTS.items())
def test_known_texts_keep_their_document_ids(text: str, expected: str) -> None:
    assert document_id(text) == expected


@pytest.mark.parametrize(("parts", "expected"), PINNED_HASHES.items())
def test_known_parts_keep_their_short_hash(parts: tuple[object, ...], expected: str) -> None:
    assert short_hash(*parts) == expected


def test_ids_are_the_same_in_another_process_with_another_hash_seed() -> None:
    """Workers and machines must agree without coordinating: nothing may depend on Python's per-process hash."""
    script = (
        "import json; from policykg.ingest.ids import document_id, short_hash; "
        "print(json.dumps([document_id('三明市'), short_hash('三明市', 2024)]))"
    )
    for seed in ("1", "2"):
        out = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, check=True, env={"PYTHONHASHSEED": seed}
        )
        assert json.loads(out.stdout) == [document_id("三明市"), short_hash("三明市", 2024)]


@given(st.text(min_size=1, max_size=2000))
def test_a_document_id_is_doc_and_20_lowercase_hex_digits(text: str) -> None:
    assert re.fullmatch(r"doc:[0-9a-f]{20}", document_id(text))


def test_texts_a_careless_id_would_conflate_get_different_ids() -> None:
    long = "三明市与中国科学院合作共建创新平台。" * 200
    nfc = "café 科技"
    variants = [
        long,
        long[:-1] + "！",  # differs only at the end: the whole text is hashed, not a prefix
        "X" + long[1:],  # differs only at the start
        long + "\n",  # a trailing newline is content
        long.replace("。", "．", 1),
        nfc,
        unicodedata.normalize("NFD", nfc),  # ids hash the text as read, not a normal form of it
        "三明市 科技",
        "三明市\u3000科技",  # ideographic space
    ]
    ids = [document_id(text) for text in variants]
    assert len(set(ids)) == len(variants)


def test_short_hash_keeps_parts_apart() -> None:
    assert short_hash("a", "b") != short_hash("ab")
    assert short_hash("a", "bc") != short_hash("ab", "c")
    assert short_hash("a") != short_hash("a", "")
    assert short_hash(1, "x") == short_hash("1", "x")  # parts are compared as text, as documented by the pins


@given(st.sampled_from(ENTITY_TYPES), names, codes, st.sampled_from(ENTITY_TYPES), names, codes)
def test_entity_ids_are_injective(
    type_a: str, name_a: str, code_a: str | None, type_b: str, name_b: str, code_b: str | None
) -> None:
    same_thing = (type_a, name_a, code_a) == (type_b, name_b, code_b)
    assert (entity_id(type_a, name_a, code_a) == entity_id(type_b, name_b, code_b)) == same_thing


@given(st.sampled_from(ENTITY_TYPES), names)
def test_entity_id_is_readable_in_cypher(entity_type: str, name: str) -> None:
    assert entity_id(entity_type, name) == f"{entity_type}:{name}"


def test_an_area_code_tells_same_named_areas_apart() -> None:
    assert entity_id("Area", "城关区", "620102") == "Area:城关区@620102"
    assert entity_id("Area", "城关区", "620102") != entity_id("Area", "城关区", "540102")
