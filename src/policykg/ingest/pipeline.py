"""One document in, one extraction record out; many documents in, records streamed out."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from policykg.ingest import steps
from policykg.ingest.ids import document_id
from policykg.ingest.readers import ReadError, read_document
from policykg.ingest.record import Record


@dataclass(frozen=True)
class Failure:
    file: str
    reason: str


def extract_text(text: str, file_name: str, encoding: str = "utf-8") -> Record:
    return steps.extract(text, file_name, document_id(text), encoding)


def extract_file(path: Path | str) -> Record:
    document = read_document(path)
    record = extract_text(document.text, document.path.name, document.encoding)
    record["source"] = str(document.path.resolve())
    return record


def extract_many(paths: Iterable[Path | str]) -> Iterator[Record | Failure]:
    """Extract each file in turn; a file that fails yields a Failure and the batch goes on."""
    for path in paths:
        try:
            yield extract_file(path)
        except ReadError as error:
            yield Failure(error.path, error.reason)
        except Exception as error:  # an extractor bug on one document must not stop the others
            yield Failure(str(path), f"extraction failed: {type(error).__name__}: {error}")
