"""One document in, one extraction record out; many documents in, records streamed out."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from policykg.ingest import steps
from policykg.ingest.files import DocumentFile, as_document_file
from policykg.ingest.ids import document_id
from policykg.ingest.readers import ReadError, read_document
from policykg.ingest.record import Record


@dataclass(frozen=True)
class Failure:
    file: str
    reason: str


def extract_text(text: str, file_name: str, encoding: str = "utf-8") -> Record:
    return steps.extract(text, file_name, document_id(text), encoding)


def extract_file(path: Path | str, name: str | None = None, origin: str | None = None) -> Record:
    """`name` is what the graph keeps as the document's source (default: the file's name; never the folders
    it was read from on this machine); `origin`, when known, recognises a changed file on the next load."""
    document = read_document(path)
    record = extract_text(document.text, document.path.name, document.encoding)
    record["source"] = name or document.path.name
    if origin is not None:
        record["origin"] = origin
    return record


def extract_document(file: DocumentFile) -> Record:
    return extract_file(file.path, file.name, file.origin)


def extract_many(files: Iterable[DocumentFile | Path | str]) -> Iterator[Record | Failure]:
    """Extract each file in turn; a file that fails yields a Failure and the batch goes on."""
    for file in map(as_document_file, files):
        try:
            yield extract_document(file)
        except ReadError as error:
            yield Failure(error.path, error.reason)
        except Exception as error:  # an extractor bug on one document must not stop the others
            yield Failure(file.path, f"extraction failed: {type(error).__name__}: {error}")
