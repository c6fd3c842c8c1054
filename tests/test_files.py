"""The folder walk (issue #19, item 7 and 10): a folder is not left through links unless asked, every entry that
is no document file is reported by name, and the graph keeps names relative to what was ingested, never the
server's paths."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from policykg import SAMPLES_DIR
from policykg.app.batch import BatchOptions, ingest_batch
from policykg.app.cli import app
from policykg.graph.stores.falkordb_store import FalkorDBStore
from policykg.ingest.files import walk
from policykg.ingest.pipeline import extract_many

SAMPLE = sorted(SAMPLES_DIR.glob("*.txt"))[0]
SECRET = "2024年某市科技工作要点\n一、主要目标\n与中国科学院合作共建秘密研究院。"


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """A folder with one document in a subfolder, a secret file beside it (outside), and links both ways."""
    folder = tmp_path / "corpus"
    (folder / "2024").mkdir(parents=True)
    shutil.copy(SAMPLE, folder / "2024" / SAMPLE.name)
    (tmp_path / "secret.txt").write_text(SECRET, encoding="utf-8")
    (folder / "out.txt").symlink_to(tmp_path / "secret.txt")
    (folder / "outdir").symlink_to(tmp_path, target_is_directory=True)
    (folder / "inside.txt").symlink_to(folder / "2024" / SAMPLE.name)
    return folder


def test_links_out_of_the_folder_are_skipped_and_reported(corpus: Path) -> None:
    found = walk([corpus])

    assert [f.name for f in found.files] == [f"corpus/2024/{SAMPLE.name}", "corpus/inside.txt"]
    skipped = {Path(s.path).name: s.reason for s in found.skipped}
    assert set(skipped) == {"out.txt", "outdir"}
    assert all("outside the folder" in reason and "--follow-links" in reason for reason in skipped.values())


def test_follow_links_reads_outside_but_never_loops(corpus: Path) -> None:
    found = walk([corpus], follow_links=True)

    names = [f.name for f in found.files]
    assert "corpus/out.txt" in names and "corpus/outdir/secret.txt" in names
    # outdir/corpus leads back to the folder being walked: read once, by its own path
    assert not any(name.startswith("corpus/outdir/corpus/") for name in names)
    assert [Path(s.path).name for s in found.skipped] == ["corpus"]


def test_fifos_and_broken_links_are_reported_by_name(tmp_path: Path) -> None:
    shutil.copy(SAMPLE, tmp_path / SAMPLE.name)
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "gone.txt").symlink_to(tmp_path / "nowhere.txt")

    found = walk([tmp_path])

    assert [Path(f.path).name for f in found.files] == [SAMPLE.name]
    reasons = {Path(s.path).name: s.reason for s in found.skipped}
    assert reasons == {
        "gone.txt": f"broken symbolic link to {tmp_path / 'nowhere.txt'}",
        "pipe.txt": "not a document file but a FIFO (named pipe)",
    }


def test_extract_reports_skipped_entries_and_exits_non_zero(corpus: Path, tmp_path: Path) -> None:
    out = tmp_path / "records.jsonl"

    result = CliRunner().invoke(app, ["extract", str(corpus), "-o", str(out)])

    assert result.exit_code == 1
    assert "out.txt" in result.output and "outside the folder" in result.output
    text = out.read_text(encoding="utf-8")
    assert "秘密研究院" not in text  # the linked file was never read
    assert str(tmp_path) not in text  # no server path in any record


def test_records_keep_names_relative_to_what_was_ingested(corpus: Path) -> None:
    records = list(extract_many(walk([corpus]).files))
    alone = list(extract_many([SAMPLE]))

    assert [r["source"] for r in records] == [f"corpus/2024/{SAMPLE.name}", "corpus/inside.txt"]  # type: ignore[index]
    assert alone[0]["source"] == SAMPLE.name  # type: ignore[index]


def test_the_store_keeps_no_server_path_and_tells_same_names_apart(tmp_path: Path, empty_store: FalkorDBStore) -> None:
    """Two folders both named corpus, each with a.txt: two documents, though their names are equal; and a changed
    file replaces its own older version only."""
    first, second = tmp_path / "one" / "corpus", tmp_path / "two" / "corpus"
    for folder, line in ((first, "一、主要目标"), (second, "二、重点任务")):
        folder.mkdir(parents=True)
        (folder / "a.txt").write_text(f"2024年某市科技工作要点\n{line}\n与中国科学院合作。", encoding="utf-8")
    options = BatchOptions(workers=1)

    ingest_batch(walk([first, second]).files, empty_store, options)
    (first / "a.txt").write_text("2025年某市科技工作要点\n一、主要目标\n与清华大学合作。", encoding="utf-8")
    summary = ingest_batch(walk([first]).files, empty_store, options)

    rows = empty_store.run("MATCH (d:Document) RETURN d.source AS source, d.title AS title ORDER BY d.title")
    assert summary.replaced == 1
    assert [row["source"] for row in rows] == ["corpus/a.txt", "corpus/a.txt"]
    assert str(tmp_path) not in str(empty_store.run("MATCH (d:Document) RETURN d"))
