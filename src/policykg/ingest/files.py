"""Which files a list of paths names: the one walk that `extract` and `ingest` share.

A folder is walked without leaving it: a symbolic link whose target lies outside the folder is skipped
unless the caller asks to follow links (a link to /etc/passwd dropped in a corpus must not end up in the
graph and on the page). Everything that is neither a document file nor a folder (FIFOs, sockets, devices,
broken links, folders that cannot be listed) is skipped and reported by name, never passed silently.
Hidden entries (.DS_Store, .git, editor backups) are not documents and are left out without a word.

Each file carries the name the graph keeps for it (`Document.source`): its path relative to what was
ingested, starting with the folder's own name (`corpus/2021/a.txt`), so no server path is stored, and an
`origin` key (a hash of its real path) by which a changed file is recognised on the next load.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class DocumentFile:
    path: str  # where to read it
    name: str  # what the graph calls it: relative to the folder or file that was named
    origin: str  # a stable key for "the same file", without the path itself


@dataclass(frozen=True)
class SkippedEntry:
    path: str
    reason: str


@dataclass
class Walk:
    files: list[DocumentFile] = field(default_factory=list)
    skipped: list[SkippedEntry] = field(default_factory=list)


def origin_of(path: str | Path) -> str:
    """The key of a file's real location: equal for every way of naming one file, and no path to read."""
    real = os.path.realpath(path)
    return "file:" + hashlib.sha256(real.encode("utf-8", "surrogateescape")).hexdigest()[:32]


def as_document_file(file: DocumentFile | Path | str) -> DocumentFile:
    """A file named outright: known by its own name."""
    if isinstance(file, DocumentFile):
        return file
    return DocumentFile(str(file), Path(file).name, origin_of(file))


def walk(paths: Iterable[Path], follow_links: bool = False) -> Walk:
    """Files as given, folders as every file beneath them in a stable order. A file named outright is taken
    as it is (the reader refuses what is not a document, with its reason)."""
    found = Walk()
    for path in paths:
        if path.is_dir():
            _walk_folder(path, follow_links, found)
        else:
            found.files.append(as_document_file(path))
    return found


def document_paths(paths: Iterable[Path], follow_links: bool = False) -> list[str]:
    return [file.path for file in walk(paths, follow_links).files]


def _walk_folder(root: Path, follow_links: bool, found: Walk) -> None:
    real_root = os.path.realpath(root)
    top = Path(real_root).name  # the folder's own name: `.` becomes the current folder's
    seen = {real_root}  # folders walked, by real path: a link back up must not loop
    stack = [(root, top)]
    files: list[DocumentFile] = []
    while stack:
        folder, name = stack.pop()
        for entry in _sorted_entries(folder, found):
            if entry.name.startswith("."):
                continue
            child_name = f"{name}/{entry.name}" if name else entry.name
            kind = _classify(entry, real_root, follow_links, seen, found)
            if kind == "file":
                files.append(DocumentFile(entry.path, child_name, origin_of(entry.path)))
            elif kind == "folder":
                stack.append((Path(entry.path), child_name))
    found.files += sorted(files, key=lambda file: file.path)  # the order of the paths, as `ls -R | sort` shows


def _sorted_entries(folder: Path, found: Walk) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(folder) as entries:
            return sorted(entries, key=lambda e: e.name)
    except OSError as error:
        found.skipped.append(SkippedEntry(str(folder), f"cannot list the folder: {error.strerror or error}"))
        return []


def _classify(entry: os.DirEntry[str], real_root: str, follow_links: bool, seen: set[str], found: Walk) -> str | None:
    """'file', 'folder', or None when skipped (and then reported in `found`)."""
    if entry.is_symlink():
        return _classify_link(entry, real_root, follow_links, seen, found)
    mode = entry.stat(follow_symlinks=False).st_mode
    if stat.S_ISDIR(mode):
        return _once(entry, os.path.realpath(entry.path), seen, found)
    if stat.S_ISREG(mode):
        return "file"
    found.skipped.append(SkippedEntry(entry.path, f"not a document file but {special_kind(mode)}"))
    return None


def _classify_link(
    entry: os.DirEntry[str], real_root: str, follow_links: bool, seen: set[str], found: Walk
) -> str | None:
    target = os.path.realpath(entry.path)
    try:
        mode = os.stat(target).st_mode
    except OSError:
        found.skipped.append(SkippedEntry(entry.path, f"broken symbolic link to {os.readlink(entry.path)}"))
        return None
    inside = target == real_root or target.startswith(real_root.rstrip(os.sep) + os.sep)
    if not inside and not follow_links:
        found.skipped.append(
            SkippedEntry(entry.path, "symbolic link to outside the folder: not followed without --follow-links")
        )
        return None
    if stat.S_ISDIR(mode):
        return _once(entry, target, seen, found)
    if stat.S_ISREG(mode):
        return "file"
    found.skipped.append(SkippedEntry(entry.path, f"symbolic link to {special_kind(mode)}, not a document file"))
    return None


def _once(entry: os.DirEntry[str], real: str, seen: set[str], found: Walk) -> str | None:
    """A folder is walked once however many links lead to it: no document twice, no loop."""
    if real in seen:
        found.skipped.append(SkippedEntry(entry.path, "a folder already read by another path (a link)"))
        return None
    seen.add(real)
    return "folder"


def special_kind(mode: int) -> str:
    kinds = (
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISSOCK, "a socket"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
    )
    return next((name for test, name in kinds if test(mode)), "a special file")
