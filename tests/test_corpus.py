"""The synthetic corpus: the same seed gives the same bytes, and its documents extract like real plans."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from bench.corpus import FORMATS, density, generate, real_density
from policykg.ingest.pipeline import extract_file


def contents(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_the_same_seed_gives_the_same_bytes(tmp_path: Path) -> None:
    generate(tmp_path / "a", 30, seed=5)
    generate(tmp_path / "b", 30, seed=5)
    generate(tmp_path / "c", 30, seed=6)

    first = contents(tmp_path / "a")
    assert first == contents(tmp_path / "b")
    assert first != contents(tmp_path / "c")
    assert {name.rsplit(".", 1)[1] for name in first} == {"txt", "html", "docx"}


def test_a_smaller_corpus_is_a_prefix_of_a_larger_one(tmp_path: Path) -> None:
    generate(tmp_path / "small", 5, seed=2, formats=FORMATS)
    generate(tmp_path / "large", 12, seed=2, formats=FORMATS)

    small, large = contents(tmp_path / "small"), contents(tmp_path / "large")
    assert small == {name: large[name] for name in small}


def test_documents_extract_with_cooperation_targets_and_hub_partners(tmp_path: Path) -> None:
    records = [extract_file(path) for path in generate(tmp_path, 60, seed=1, formats=("txt", "gbk"))]

    assert all(r["relations"] for r in records)
    assert all(r["targets"] for r in records)
    partner_cities: dict[str, set[str]] = defaultdict(set)
    for record in records:
        for relation in record["relations"]:
            if relation["type"] == "COOPERATES_WITH" and relation["source"]["type"] == "City":
                partner_cities[relation["target"]["name"]].add(relation["source"]["name"])
    widths = sorted(map(len, partner_cities.values()), reverse=True)
    cities = {r["document"]["city"] for r in records}
    # Heavy-tailed like the real graph: a hub partners with most cities, the typical partner with one or two.
    assert widths[0] >= len(cities) // 2
    assert widths[len(widths) // 2] <= 2


def test_the_corpus_is_as_dense_as_the_real_plans(tmp_path: Path) -> None:
    real = real_density()
    synthetic = density(generate(tmp_path, 40, seed=1, formats=("txt",)))

    for measure in ("entities_per_1k_chars", "relations_per_1k_chars", "rows_per_1k_chars", "targets_per_document"):
        assert 0.75 * real[measure] <= synthetic[measure] <= 1.25 * real[measure], (measure, synthetic, real)
    # The scale the issue assumes: 50,000 documents, about 500 million characters.
    assert 8000 <= synthetic["characters_per_document"] <= 13000
