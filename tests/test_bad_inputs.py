"""The hostile corpus (tests/data/make_bad_inputs.py): every file gives a clear error naming it or a correct
record, and a batch over all of them plus the samples goes on, loads the good ones, reports each failure with
its reason, leaves no trace of the failures in the store, and never hangs."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from policykg import SAMPLES_DIR
from policykg.app.batch import BatchOptions, ingest_batch
from policykg.graph.stores.embedded_server import EmbeddedServer
from policykg.graph.stores.falkordb_store import FalkorDBStore
from policykg.ingest.pipeline import extract_file
from policykg.ingest.readers import ReadError, read_document
from policykg.ingest.record import Record
from tests.conftest import graph_store
from tests.data.make_bad_inputs import file_names, make_hostile_corpus

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted(str(p) for p in SAMPLES_DIR.glob("*.txt"))
VANISHING = "vanishes_mid_batch.txt"
LONG_LINE = "one_line_5mb.txt"  # reads fine; in the batch test it hangs, so the batch's time limit stops it
DOCUMENT_TIMEOUT = 10.0
VANISH_MARKER = Path(tempfile.gettempdir()) / "policykg-test-vanish-target"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, tuple]]:
    folder = tmp_path_factory.mktemp("hostile")
    return folder, make_hostile_corpus(folder)


def test_the_corpus_has_at_least_the_kinds_the_issue_lists(corpus: tuple[Path, dict[str, tuple]]) -> None:
    _, expected = corpus
    assert len(expected) >= 40
    for name in (
        "fifo.txt",
        "loop_a.txt",
        "zip_bomb.docx",
        "encrypted.docx",
        "encrypted.pdf",
        "big_50mb.txt",
        "mixed_encodings.txt",
        "traditional.txt",
        "english.txt",
        "三明市 科技 工作要点 2023.txt",
    ):
        assert name in expected


@pytest.mark.parametrize("name", file_names(make_hostile_corpus))
def test_each_file_is_a_specific_error_naming_it_or_a_correct_record(
    corpus: tuple[Path, dict[str, tuple]], name: str
) -> None:
    folder, expected = corpus
    expectation = expected[name]
    if expectation[0] == "error":
        with pytest.raises(ReadError) as caught:
            read_document(folder / name)
        assert name in str(caught.value)
        assert expectation[1].lower() in caught.value.reason.lower(), caught.value.reason
        return
    document = read_document(folder / name)
    assert document.encoding == expectation[1]
    assert expectation[2] in document.text
    if name == LONG_LINE:
        return  # its extraction is the batch test's: it runs into the per-document time limit
    record = extract_file(folder / name)
    assert record["file"] == name
    for target in record["targets"]:  # offsets refer to the text the reader returned
        assert document.text[target["start"] : target["end"]] == target["text"]


def vanish_during_batch(path: Path) -> Record:
    """The real extractor; extracting a sample deletes the vanishing file, which the batch reaches later, and the
    long line hangs (its extraction once took a minute, now seconds: the time limit needs a document that hangs).
    Runs in spawned workers, so the file to delete travels through a marker file the test writes."""
    if Path(path).name == LONG_LINE:
        time.sleep(DOCUMENT_TIMEOUT * 6)
    if str(path) in SAMPLES:
        Path(VANISH_MARKER.read_text()).unlink(missing_ok=True)
    return extract_file(path)


@pytest.fixture
def second_store(falkordb_server: EmbeddedServer) -> Iterator[FalkorDBStore]:
    with graph_store(falkordb_server, "bad_inputs_good_only") as store:
        yield store


def _contents(store: FalkorDBStore) -> tuple[set, set]:
    nodes = {(row["id"], row["status"]) for row in store.run("MATCH (n) RETURN n.id AS id, n.status AS status")}
    edges = {(row["type"], row["key"]) for row in store.run("MATCH ()-[r]->() RETURN type(r) AS type, r.key AS key")}
    return nodes, edges


@pytest.mark.slow  # every hostile file through the worker processes
def test_a_batch_over_everything_goes_on_reports_each_failure_and_keeps_only_the_good(
    corpus: tuple[Path, dict[str, tuple]], empty_store: FalkorDBStore, second_store: FalkorDBStore
) -> None:
    folder, expected = corpus
    vanishing = folder / VANISHING
    VANISH_MARKER.write_text(str(vanishing))
    # Samples come before the vanishing file: with two workers, some sample is extracted before it is handed out.
    paths = [str(folder / name) for name in sorted(expected) if name != VANISHING] + SAMPLES + [str(vanishing)]
    options = BatchOptions(workers=2, document_timeout=DOCUMENT_TIMEOUT, extract=vanish_during_batch)
    try:
        summary = ingest_batch(paths, empty_store, options)
    finally:
        VANISH_MARKER.unlink(missing_ok=True)

    failures = {Path(f.file).name: f.reason for f in summary.failures}
    must_fail = {name: e[1] for name, e in expected.items() if e[0] == "error"}
    must_fail[VANISHING] = "no such file"
    must_fail[LONG_LINE] = f"took longer than {DOCUMENT_TIMEOUT:g} s"
    assert set(failures) == set(must_fail)
    for name, words in must_fail.items():
        assert words.lower() in failures[name].lower(), (name, failures[name])

    good = [p for p in paths if Path(p).name not in failures]
    assert set(SAMPLES) <= set(good)
    loaded_files = {row["source"] for row in empty_store.run("MATCH (d:Document) RETURN d.source AS source")}
    assert {Path(s).name for s in SAMPLES} <= loaded_files  # names, not the server's paths
    # The failures left nothing behind: the graph equals a load of only the good files.
    ingest_batch(good, second_store, BatchOptions(workers=2, document_timeout=DOCUMENT_TIMEOUT))
    assert _contents(empty_store) == _contents(second_store)
    assert empty_store.stats() == second_store.stats()
