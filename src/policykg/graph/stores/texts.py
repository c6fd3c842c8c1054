"""Documents' text and outline kept outside the in-memory graph: one compressed file per document.

Text and outline are most of what the embedded store would otherwise hold in memory (a national
corpus is ~500 million characters) and are read one document at a time (the document view,
exports), never by the curated queries. A file is named by a hash of the document's id, written to
a temporary name and renamed, so a crash leaves either the whole document or none.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

_LEVEL = 6  # Chinese text shrinks to about a third; higher levels cost time for little more


@dataclass(frozen=True)
class DocumentBody:
    text: str | None
    sections: str | None  # the outline as JSON text, as a Document property holds it


class DocumentTexts:
    def __init__(self, folder: Path | str) -> None:
        self.folder = Path(folder)

    def path(self, doc_id: str) -> Path:
        # Ids are "doc:<hex>" from the pipeline but any string from a caller: the file name is a hash of it.
        name = hashlib.sha256(doc_id.encode("utf-8")).hexdigest()
        return self.folder / name[:2] / f"{name}.json.gz"

    def put(self, doc_id: str, body: DocumentBody) -> None:
        path = self.path(doc_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.partial")
        content = json.dumps({"text": body.text, "sections": body.sections}, ensure_ascii=False)
        partial.write_bytes(gzip.compress(content.encode("utf-8"), _LEVEL))
        partial.replace(path)

    def get(self, doc_id: str) -> DocumentBody | None:
        try:
            kept = json.loads(gzip.decompress(self.path(doc_id).read_bytes()))
        except FileNotFoundError:
            return None
        return DocumentBody(kept["text"], kept["sections"])

    def delete(self, doc_id: str) -> None:
        self.path(doc_id).unlink(missing_ok=True)
