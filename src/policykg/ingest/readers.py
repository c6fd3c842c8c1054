"""Read a document file into text. Offsets everywhere refer to the text returned here.

Formats: plain text (UTF-8, UTF-8 with BOM, UTF-16/32 with BOM, GB18030/GBK), HTML (the
main text, without navigation, scripts and styles), docx (python-docx) and PDF (its text
layer, pypdf). The encoding of a text file is detected, never guessed silently: BOMs first,
then strict UTF-8, then strict GB18030 checked for plausible Chinese, and only then
charset-normalizer, whose choice is recorded in `DocumentText.encoding`; a poor guess is
refused. Every refusal is a `ReadError` naming the file and why. Only regular files are read
(a FIFO would block forever), sizes are capped before reading, and a docx's parts are checked
for a zip bomb from the sizes its ZIP directory declares, before anything is inflated.
"""

from __future__ import annotations

import codecs
import errno
import io
import os
import re
import stat
import zipfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from policykg.ingest.files import special_kind


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
    encoding: str  # how the text was decoded: utf-8, gb18030, utf-16, charset-normalizer:big5, docx, pdf …
    format: str = "txt"  # txt, html, docx or pdf


# Magic numbers of binary formats that end up renamed to .txt.
_MAGIC = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF file"),
    (b"PK\x03\x04", "a ZIP archive (docx, xlsx …)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an OLE file (legacy .doc/.xls)"),
    (b"{\\rtf", "an RTF file"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7z archive"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"\x7fELF", "an executable"),
)
_BOMS = (  # longest first: the UTF-32 LE BOM starts with the UTF-16 LE one
    (codecs.BOM_UTF32_LE, "utf-32-le", "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32-be", "utf-32"),
    (codecs.BOM_UTF8, "utf-8", "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le", "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16-be", "utf-16"),
)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_MIN_HAN_COMMON = 0.90  # share of Han characters that must be in GB2312 for a GB18030 reading to count
_MB = 1024 * 1024
# A policy document is well under 1 MB of text, and extraction runs at roughly 100 kB/s: a larger text
# file is a mistake (a log, a dump) that would only run into the per-document time limit.
MAX_TEXT_BYTES = 10 * _MB
MAX_PACKAGE_BYTES = 100 * _MB  # docx and pdf: images make them large, and only their text is read
MAX_DOCX_INFLATED = 256 * _MB  # all parts of a docx together, as declared by its ZIP directory
_BOMB_RATIO, _BOMB_MIN = 100, 16 * _MB  # a part inflating more than 100-fold to over 16 MB is a zip bomb
_MIN_MIXED_HAN = 4  # UTF-8 Han characters before the first invalid byte that show a mixed-encoding file


class _TextCap:
    """Text taken from a docx, pdf or HTML, counted as it is taken: held to the limit of a text file (a 6 MB docx
    once gave 93 MB of text, which extraction would then chew on for hours). Counted in UTF-8 bytes, as a text
    file's limit is."""

    def __init__(self, path: Path, kind: str) -> None:
        self.path, self.kind, self.used = path, kind, 0

    def take(self, text: str) -> str:
        self.used += len(text.encode("utf-8")) + 1  # the line break that joins it
        if self.used > MAX_TEXT_BYTES:
            raise ReadError(
                self.path,
                f"too much text: over {MAX_TEXT_BYTES // _MB} MB in this {self.kind}, the limit for a document",
            )
        return text


def _binary_kind(raw: bytes) -> str | None:
    for magic, kind in _MAGIC:
        if raw.startswith(magic):
            return kind
    return None


@cache
def _gb2312_han() -> frozenset[str]:
    """The 6,763 Han characters of GB2312: real Chinese text is made almost only of them."""
    chars = set()
    for lead in range(0xB0, 0xF8):
        for trail in range(0xA1, 0xFF):
            try:
                chars.add(bytes((lead, trail)).decode("gb2312"))
            except UnicodeDecodeError:
                continue
    return frozenset(chars)


def _han_common_share(text: str) -> tuple[int, float]:
    han = _HAN.findall(text)
    if not han:
        return 0, 1.0
    common = _gb2312_han()
    return len(han), sum(1 for ch in han if ch in common) / len(han)


def _check_text(path: Path, text: str, encoding: str) -> str:
    if not text.strip():
        raise ReadError(path, f"no text: the file holds only whitespace ({encoding})")
    controls = len(_CONTROL.findall(text))
    if "\x00" in text or controls > max(2, len(text) // 200):
        raise ReadError(path, f"binary content: {controls} control characters after decoding as {encoding}")
    return text


def decode_bytes(path: Path | str, raw: bytes) -> tuple[str, str]:
    """Decode a text file's bytes: (text, the encoding used). Raises ReadError when unsure."""
    path = Path(path)
    if not raw:
        raise ReadError(path, "empty file (0 bytes)")
    for bom, name, codec in _BOMS:
        if raw.startswith(bom):
            try:
                text = raw.decode(codec)
            except UnicodeDecodeError as error:
                raise ReadError(
                    path,
                    f"{name} byte-order mark but invalid {name} at byte {error.start}"
                    f"{' (truncated)' if error.end >= len(raw) - 3 else ''}",
                ) from error
            return _check_text(path, text.lstrip("\ufeff"), name), name
    kind = _binary_kind(raw)
    if kind:
        raise ReadError(path, f"binary file: {kind}, not text")
    if b"\x00" in raw:
        utf16 = _utf16_without_bom(raw)
        if utf16:
            return _check_text(path, utf16[0], utf16[1]), utf16[1]
        raise ReadError(path, f"binary content: {raw.count(0)} NUL bytes")
    try:
        return _check_text(path, raw.decode("utf-8"), "utf-8"), "utf-8"
    except UnicodeDecodeError as error:
        if error.end >= len(raw) - 3 and error.reason == "unexpected end of data":
            raise ReadError(path, f"truncated UTF-8: the file ends inside a character (byte {error.start})") from error
        utf8_error = error
    try:
        gb_text: str | None = raw.decode("gb18030")
    except UnicodeDecodeError:
        gb_text = None
    if gb_text is not None:
        han, share = _han_common_share(gb_text)
        if han and share >= _MIN_HAN_COMMON:
            name = "gbk" if _decodes_same(raw, "gbk", gb_text) else "gb18030"
            return _check_text(path, gb_text, name), name
    _refuse_mixed_encodings(path, raw, utf8_error)
    return _last_resort(path, raw, utf8_error)


def _refuse_mixed_encodings(path: Path, raw: bytes, utf8_error: UnicodeDecodeError) -> None:
    """Chinese UTF-8 that turns into other bytes later (a GBK part pasted in): no single encoding reads it,
    and a guess would garble one of the parts."""
    head = raw[: utf8_error.start].decode("utf-8", errors="ignore")
    if len(_HAN.findall(head)) >= _MIN_MIXED_HAN:
        line = raw.count(b"\n", 0, utf8_error.start) + 1
        raise ReadError(
            path,
            f"mixed encodings: UTF-8 Chinese up to byte {utf8_error.start}, then bytes that are "
            f"not UTF-8 (line {line}); convert the whole file to one encoding",
        )


def _decodes_same(raw: bytes, codec: str, text: str) -> bool:
    try:
        return raw.decode(codec) == text
    except UnicodeDecodeError:
        return False


def _utf16_without_bom(raw: bytes) -> tuple[str, str] | None:
    """UTF-16 without a BOM shows its NUL bytes at every other position for ASCII text."""
    if len(raw) % 2:
        return None
    even, odd = raw[0::2].count(0), raw[1::2].count(0)
    for codec, zeros in (("utf-16-le", odd), ("utf-16-be", even)):
        if zeros < len(raw) // 8:  # too few ASCII characters to tell by NUL bytes alone
            continue
        try:
            text = raw.decode(codec)
        except UnicodeDecodeError:
            continue
        if not _CONTROL.search(text.replace("\x00", "\x01")) and _han_common_share(text)[1] >= _MIN_HAN_COMMON:
            return text, codec
    return None


def _last_resort(path: Path, raw: bytes, utf8_error: UnicodeDecodeError) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    best = from_bytes(raw).best()
    if best is None:
        raise ReadError(
            path,
            f"unknown encoding: not UTF-8 (invalid byte at {utf8_error.start}), not GB18030, "
            "and charset-normalizer found no reading",
        )
    chaos, coherence = best.chaos, best.coherence
    text = str(best)
    han, share = _han_common_share(text)
    if chaos > 0.1 or (han and share < _MIN_HAN_COMMON and best.encoding not in ("big5", "big5hkscs", "cp950")):
        raise ReadError(
            path,
            f"unknown encoding: charset-normalizer's best guess {best.encoding} is poor "
            f"(chaos {chaos:.2f}, coherence {coherence:.2f}); convert the file to UTF-8",
        )
    name = f"charset-normalizer:{best.encoding}"
    return _check_text(path, text, name), name


def read_text_file(path: Path) -> DocumentText:
    raw = _read_bytes(path, MAX_TEXT_BYTES)
    text, encoding = decode_bytes(path, raw)
    return DocumentText(path, text, encoding, "txt")


def _read_bytes(path: Path, limit: int) -> bytes:
    """The file's bytes, if it is a regular file of at most `limit` bytes. Opened without blocking and
    checked on the open descriptor, so a FIFO or device swapped in after a check cannot hang the read."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as error:
        raise ReadError(path, _open_failure(path, error)) from error
    with os.fdopen(descriptor, "rb") as handle:
        info = os.fstat(descriptor)
        if stat.S_ISDIR(info.st_mode):
            raise ReadError(path, "a folder, not a file")
        if not stat.S_ISREG(info.st_mode):
            raise ReadError(path, f"not a regular file but {special_kind(info.st_mode)}")
        if info.st_size > limit:
            raise ReadError(
                path,
                f"too large: {info.st_size / _MB:.1f} MB, the limit for this kind of document is {limit // _MB} MB",
            )
        try:
            return handle.read(limit + 1)
        except OSError as error:
            raise ReadError(path, f"cannot read: {error.strerror or error}") from error


def _open_failure(path: Path, error: OSError) -> str:
    if error.errno == errno.ELOOP:
        return "symbolic link loop: the link never reaches a file"
    if error.errno == errno.ENOENT:
        return f"broken symbolic link to {os.readlink(path)}" if path.is_symlink() else "no such file"
    if error.errno == errno.EACCES:
        return "permission denied"
    return f"cannot open: {error.strerror or error}"


# ---------------------------------------------------------------- HTML

_SKIP_TAGS = (
    "script",
    "style",
    "noscript",
    "template",
    "nav",
    "header",
    "footer",
    "aside",
    "form",
    "select",
    "button",
    "iframe",
    "svg",
    "canvas",
    "object",
    "embed",
    "head",
)
_BLOCK_TAGS = frozenset(
    (
        "p",
        "div",
        "section",
        "article",
        "main",
        "li",
        "ul",
        "ol",
        "table",
        "tr",
        "td",
        "th",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "br",
        "hr",
        "blockquote",
        "pre",
        "dd",
        "dt",
        "dl",
        "tbody",
        "thead",
        "center",
        "figure",
        "figcaption",
        "title",
        "body",
    )
)
_CHROME = re.compile(
    r"nav|menu|breadcrumb|crumb|footer|header|sidebar|share|toolbar|copyright|banner|"
    r"pagination|pager|login|search|related|qrcode|ewm",
    re.I,
)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([A-Za-z0-9_\-]+)", re.I)


def _html_bytes_to_str(path: Path, raw: bytes) -> tuple[str, str]:
    if not raw:
        raise ReadError(path, "empty file (0 bytes)")
    declared = _META_CHARSET.search(raw[:4096])
    if declared and not raw.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        name = declared.group(1).decode("ascii").lower()
        name = {"gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030"}.get(name, name)
        try:
            return raw.decode(name), name
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration: detect as for plain text
    return decode_bytes(path, raw)


def html_to_text(html: str) -> str:
    """The readable text of a page: block elements on their own lines, chrome and scripts left out."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(html)
    for tag in _SKIP_TAGS:
        for node in tree.css(tag):
            node.decompose()
    for node in tree.css("[class], [id]"):
        marker = f"{node.attributes.get('class') or ''} {node.attributes.get('id') or ''}"
        if _CHROME.search(marker) and _link_density(node) > 0.5:
            node.decompose()
    for node in tree.css("ul, ol, div, table"):
        if _link_density(node) > 0.7 and len(node.text(strip=True)) < 2000:
            node.decompose()
    root = tree.body or tree.root
    if root is None:
        return ""
    parts: list[str] = []
    _walk(root, parts)
    lines = [re.sub(r"[ \t\u3000\xa0]+", " ", line).strip() for line in "".join(parts).split("\n")]
    return "\n".join(line for line in lines if line)


def _link_density(node) -> float:
    total = len(node.text(strip=True))
    if not total:
        return 0.0
    linked = sum(len(a.text(strip=True)) for a in node.css("a"))
    return linked / total


def _walk(node, parts: list[str]) -> None:
    child = node.child
    while child is not None:
        tag = child.tag
        if tag == "-text":
            parts.append(child.text_content or "")
        elif tag in _BLOCK_TAGS:
            parts.append("\n")
            _walk(child, parts)
            parts.append("\n")
        elif tag not in ("_comment", "-comment", "!doctype", "!DOCTYPE"):
            _walk(child, parts)
        child = child.next


def read_html_file(path: Path) -> DocumentText:
    html, encoding = _html_bytes_to_str(path, _read_bytes(path, MAX_TEXT_BYTES))
    text = _TextCap(path, "HTML page").take(html_to_text(html))
    if not text.strip():
        raise ReadError(path, "HTML page without readable text")
    return DocumentText(path, text, f"html:{encoding}", "html")


# ---------------------------------------------------------------- docx and PDF


_OLE_ENCRYPTED = "EncryptedPackage".encode("utf-16-le")  # the stream Office writes for a password-protected file
_DOCX_REQUIRED = ("[Content_Types].xml", "word/document.xml")


def _check_docx_package(path: Path, raw: bytes) -> None:
    """Refuse what is not a docx, an encrypted one, and a zip bomb, before python-docx inflates anything."""
    if not raw.startswith(b"PK"):
        if raw.startswith(b"\xd0\xcf\x11\xe0") and _OLE_ENCRYPTED in raw:
            raise ReadError(path, "password-protected docx: Office encrypted it; save it again without a password")
        kind = _binary_kind(raw)
        raise ReadError(path, f"broken docx: not a ZIP package{f' but {kind}' if kind else ''}")
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as package:
            parts = package.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as error:
        raise ReadError(path, f"broken docx: {error}") from error
    names = {part.filename for part in parts}
    missing = [name for name in _DOCX_REQUIRED if name not in names]
    if missing:
        raise ReadError(path, f"broken docx: no {' or '.join(missing)} in the package")
    for part in parts:  # zipfile never inflates a part beyond the size declared here, so these sizes bound memory
        if part.file_size > _BOMB_MIN and part.file_size > _BOMB_RATIO * max(part.compress_size, 1):
            raise ReadError(
                path,
                f"zip bomb: {part.filename} would inflate from {part.compress_size:,} bytes to "
                f"{part.file_size / _MB:.0f} MB",
            )
    inflated = sum(part.file_size for part in parts)
    if inflated > MAX_DOCX_INFLATED:
        raise ReadError(
            path,
            f"zip bomb: the parts would inflate to {inflated / _MB:.0f} MB, the limit is {MAX_DOCX_INFLATED // _MB} MB",
        )


def read_docx_file(path: Path) -> DocumentText:
    raw = _read_bytes(path, MAX_PACKAGE_BYTES)
    if not raw:
        raise ReadError(path, "empty file (0 bytes)")
    _check_docx_package(path, raw)
    try:
        import docx
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        document = docx.Document(io.BytesIO(raw))
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise ReadError(path, f"broken docx: {error}") from error
    except Exception as error:  # python-docx raises its own PackageNotFoundError and lxml errors
        raise ReadError(path, f"broken docx: {type(error).__name__}: {error}") from error
    lines: list[str] = []
    cap = _TextCap(path, "docx")
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(cap.take(Paragraph(block, document).text))
        elif tag == "tbl":
            for row in Table(block, document).rows:  # a table's merged cells repeat: its text can outgrow its XML
                cells = [cell.text.strip() for cell in row.cells]
                lines.append(cap.take(" ".join(dict.fromkeys(c for c in cells if c))))
    text = "\n".join(line.rstrip() for line in lines).strip("\n")
    if not text.strip():
        raise ReadError(path, "docx without text")
    return DocumentText(path, text, "docx", "docx")


def read_pdf_file(path: Path) -> DocumentText:
    raw = _read_bytes(path, MAX_PACKAGE_BYTES)
    if not raw:
        raise ReadError(path, "empty file (0 bytes)")
    if not raw.lstrip()[:5] == b"%PDF-":
        raise ReadError(path, "broken pdf: no %PDF header")
    import logging

    from pypdf import PdfReader
    from pypdf.errors import PdfReadError, PyPdfError

    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted and not reader.decrypt(""):
            raise ReadError(path, "encrypted pdf: needs a password")
        cap = _TextCap(path, "pdf")
        pages = [cap.take(page.extract_text() or "") for page in reader.pages]
    except ReadError:
        raise
    except (
        PdfReadError,
        PyPdfError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        IndexError,
        RecursionError,
    ) as error:  # PyPdfError covers DependencyError: an encryption pypdf cannot undo
        raise ReadError(path, f"broken pdf: {type(error).__name__}: {error}") from error
    if not pages:
        raise ReadError(path, "pdf without pages")
    text = "\n".join(page.strip("\n") for page in pages)
    if not text.strip():
        raise ReadError(path, f"no text layer: a scanned pdf of {len(pages)} page(s); run OCR first")
    return DocumentText(path, text, "pdf", "pdf")


# ---------------------------------------------------------------- dispatch

_BY_SUFFIX = {
    ".txt": read_text_file,
    ".text": read_text_file,
    ".md": read_text_file,
    ".csv": read_text_file,
    ".html": read_html_file,
    ".htm": read_html_file,
    ".shtml": read_html_file,
    ".xhtml": read_html_file,
    ".docx": read_docx_file,
    ".pdf": read_pdf_file,
}
_UNSUPPORTED = {
    ".doc": "legacy Word .doc is not supported: save it as .docx",
    ".wps": "WPS documents are not supported: save as .docx",
    ".xls": "spreadsheets are not documents",
    ".xlsx": "spreadsheets are not documents",
    ".ofd": "OFD is not supported: export as PDF with a text layer",
}


def read_document(path: Path | str) -> DocumentText:
    """Read a document by its suffix (unknown suffixes are sniffed)."""
    path = Path(path)
    try:
        info = path.stat()
    except OSError as error:
        raise ReadError(path, _open_failure(path, error)) from error
    if stat.S_ISDIR(info.st_mode):
        raise ReadError(path, "a folder, not a file")
    suffix = path.suffix.lower()
    if suffix in _UNSUPPORTED:
        raise ReadError(path, _UNSUPPORTED[suffix])
    reader = _BY_SUFFIX.get(suffix)
    if reader is None:
        reader = _sniff(path)
    return reader(path)


def _sniff(path: Path):
    head = _read_bytes(path, MAX_PACKAGE_BYTES)[:2048]
    if head.startswith(b"%PDF-"):
        return read_pdf_file
    if head.startswith(b"PK\x03\x04"):
        return read_docx_file
    if re.search(rb"<(!doctype html|html|body|meta|div|p)[\s>]", head[:1024], re.I):
        return read_html_file
    return read_text_file
