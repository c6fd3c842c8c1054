"""Every 8th document of ../shared/realcorpus extracts: a rule that breaks on one real text (an index past the end
of a name, a numeral it cannot read) fails here, not in a user's batch. Quality is test_quality's business."""

from __future__ import annotations

from pathlib import Path

import pytest

from policykg.ingest.pipeline import extract_file

REAL_DOCS = Path(__file__).resolve().parent.parent.parent / "shared" / "realcorpus" / "docs"
EVERY = 8  # 296 documents, about 15 s of one core


def sampled_documents() -> list[Path]:
    return sorted(REAL_DOCS.glob("*.txt"))[::EVERY]


@pytest.mark.slow
@pytest.mark.skipif(not REAL_DOCS.is_dir(), reason="../shared/realcorpus/docs (the real documents) is absent")
def test_every_eighth_real_document_extracts() -> None:
    failed = {}
    for path in sampled_documents():
        try:
            record = extract_file(path)
        except Exception as error:  # every failure is reported with its document
            failed[path.name] = f"{type(error).__name__}: {error}"
            continue
        if not record["entities"]:
            failed[path.name] = "no entity at all"
    assert not failed, failed
