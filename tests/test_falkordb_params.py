"""The embedded store's fast parameter encoding and pipelined writes: values come back as written, errors surface."""

from __future__ import annotations

import pytest

from policykg.graph.stores.falkordb_store import FalkorDBStore, params_header
from policykg.graph.stores.protocol import StoreError

VALUES = [
    "a\nb",
    "tab\there",
    'q"uote',
    "back\\slash",
    "ctl\u0001x",
    "carriage\rreturn",
    "中文😀",
    "",
    "a'b",
    '{"id":"x"},"k":',
    "\\",
    "`tick`",
    1,
    -2.5,
    1e-300,
    True,
    [1, "x"],
    ["中", "国"],
]


@pytest.mark.parametrize("value", VALUES, ids=[repr(v)[:20] for v in VALUES])
def test_values_round_trip(empty_store: FalkorDBStore, value: object) -> None:
    empty_store._write(
        "UNWIND $rows AS row CREATE (:P {v: row.v, inner: row.m.inner})",
        {"rows": [{"v": value, "m": {"inner": value}}]},
    )
    assert empty_store.run("MATCH (p:P) RETURN p.v AS v, p.inner AS inner") == [{"v": value, "inner": value}]


def test_unusual_keys_and_escapes_fall_back_to_the_clients_encoder() -> None:
    expected = 'CYPHER rows=[{`id`:"x",`props`:{`name`:"中"}}] '
    assert params_header({"rows": [{"id": "x", "props": {"name": "中"}}]}) == expected
    assert params_header({"rows": [{"@type": 1}]}) is None
    assert params_header({"rows": ["\u0001"]}) is None
    assert params_header({"x": float("nan")}) is None


def test_a_failed_write_surfaces_at_the_next_call(empty_store: FalkorDBStore) -> None:
    empty_store._write("UNWIND $rows AS row CREATE (:P {v: row.m})", {"rows": [{"m": {"a map": 1}}]})
    with pytest.raises(StoreError, match="primitive"):  # a map is no property value
        empty_store.run("RETURN 1 AS x")
    assert empty_store.run("RETURN 1 AS x") == [{"x": 1}]
