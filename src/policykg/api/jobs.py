"""What the API's worker processes run (api/workers.py): module-level functions of picklable arguments."""

from __future__ import annotations

import tempfile
from pathlib import Path

from policykg.ingest.pipeline import extract_file
from policykg.ingest.readers import ReadError
from policykg.ingest.record import Record


def extract_upload(name: str, content: bytes) -> tuple[str, Record | str]:
    """("record", the record) of an uploaded file, or ("unreadable", why) for a file that is no document."""
    with tempfile.TemporaryDirectory(prefix="policykg-upload-") as folder:
        path = Path(folder) / name
        path.write_bytes(content)
        try:
            return "record", extract_file(path)
        except ReadError as error:
            return "unreadable", error.reason
