"""Read a document file into text. Offsets everywhere refer to the text returned here."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


class ReadError(Exception):
    """A file that cannot be read as a document; the message names the file and the reason."""

    def __init__(self, path: Path | str, reason: str) -> None:
        super().__init__(f"{path}: {reason}")
        self.path = str(path)
        self.reason = reason


@dataclass(frozen=True)
class DocumentText:
    path: Path
    text: str
    encoding: str


def read_text_file(path: Path) -> DocumentText:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ReadError(path, f"cannot open: {error.strerror or error}") from error
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return DocumentText(path, raw.decode(encoding), encoding)
        except UnicodeDecodeError:
            continue
    raise ReadError(path, "not UTF-8 or GB18030 text")


def read_document(path: Path | str) -> DocumentText:
    path = Path(path)
    return read_text_file(path)
