"""Which files a list of paths names: the one walk that `extract` and `ingest` share."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path


def document_paths(paths: Iterable[Path]) -> list[str]:
    """Files as given, folders as every file beneath them, in a stable order; hidden files in folders
    (.DS_Store, editor backups, marker files) are not documents."""
    files: list[str] = []
    for path in paths:
        if path.is_dir():
            files += sorted(
                str(p)
                for p in path.rglob("*")
                if p.is_file() and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        else:
            files.append(str(path))
    return files
