"""Write a corpus of awkward inputs into a folder: each must give a clear ReadError or a correct record.

usage: python tests/data/make_bad_inputs.py OUT_DIR [--hostile]

`make_corpus(folder)` writes the small byte-content cases and returns {file name: expectation}; an
expectation is either ("error", words the reason must contain) or ("text", the encoding, a phrase the
text must contain). `make_hostile_corpus(folder)` adds the large files (50 MB, one 5 MB line), the
zip bomb, the encrypted docx and pdf, and what only a file system can hold: a FIFO, a folder named
like a file, a symbolic link loop. Everything is generated here; nothing binary is committed.
"""

from __future__ import annotations

import io
import os
import struct
import sys
import tempfile
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

SAMPLE = ("三明市科学技术局关于印发《2023年全市科技工作要点》的通知\n"
          "力争培育国家高新技术企业100家，技术合同登记额保持超1亿元。\n")


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")

    header = b"\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
            + chunk(b"IEND", b""))


def _pdf(text: str | None) -> bytes:
    """A one-page PDF; with `text` (ASCII) a real text layer, without it a page with only a drawing."""
    content = (f"BT /F1 24 Tf 72 700 Td ({text}) Tj ET" if text else "0 0 m 100 100 l S").encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(content)).encode() + b" >>\nstream\n" + content + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return out.getvalue()


def _docx() -> bytes:
    import docx

    document = docx.Document()
    for line in SAMPLE.splitlines():
        document.add_paragraph(line)
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "发布机构"
    table.rows[0].cells[1].text = "三明市科学技术局"
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


TRADITIONAL_FREE = "力争全社会研发投入增长百分之十五，新增省级重点实验室三个，引进高层次人才团队五个。\n"
TRADITIONAL = ("臺北市政府科學技術局關於印發《2023年科技工作要點》的通知\n"
               "力爭培育國家高新技術企業一百家，技術合同登記額保持超過一億元。\n")
ENGLISH = ("Sanming Municipal Bureau of Science and Technology: Key Points of Work for 2023\n"
           "Strive to cultivate 100 national high-tech enterprises.\n")
SCRIPT_STYLE_HTML = ("<html><head><style>body{font:12px} p{color:red}</style>"
                     "<script>document.write('不是正文'); var x = '<p>假</p>';</script></head>"
                     f"<body><script>alert('也不是')</script><p>{SAMPLE}</p><style>.a{{}}</style></body></html>")
HTML = """<!doctype html><html><head><meta charset="gbk"><title>通知</title>
<style>.x{color:red}</style><script>var a = "不是正文";</script></head><body>
<div class="nav"><a href="/">首页</a> <a href="/a">机构</a> <a href="/b">政务公开</a></div>
<div class="article"><h1>三明市科学技术局关于印发《2023年全市科技工作要点》的通知</h1>
<p>力争培育国家高新技术企业100家，技术合同登记额保持超1亿元。</p></div>
<div class="footer"><a href="/c">网站地图</a> <a href="/d">联系我们</a></div></body></html>"""


def file_names(make: Callable[[Path], dict[str, tuple]]) -> list[str]:
    """The names a corpus maker writes, known before any test runs (for parametrize)."""
    with tempfile.TemporaryDirectory() as folder:
        return sorted(make(Path(folder)))


def make_corpus(folder: Path) -> dict[str, tuple]:
    folder.mkdir(parents=True, exist_ok=True)
    utf8 = SAMPLE.encode("utf-8")
    files: dict[str, tuple[bytes, tuple]] = {
        "empty.txt": (b"", ("error", "empty")),
        "whitespace.txt": (b" \n\t\n", ("error", "no text")),
        "binary.txt": (bytes(range(256)) * 8, ("error", "binary")),
        "image.txt": (_png(), ("error", "PNG")),
        "pdf_renamed.txt": (_pdf("hello"), ("error", "PDF")),
        "nul_bytes.txt": (utf8[:40] + b"\x00\x00\x00" + utf8[40:], ("error", "NUL")),
        "truncated_utf8.txt": (utf8 + "企".encode()[:2], ("error", "truncated")),
        "utf8.txt": (utf8, ("text", "utf-8", "高新技术企业100家")),
        "utf8_bom.txt": (b"\xef\xbb\xbf" + utf8, ("text", "utf-8", "高新技术企业100家")),
        "gb18030.txt": (SAMPLE.encode("gb18030"), ("text", "gbk", "高新技术企业100家")),
        "gb18030_4byte.txt": ((SAMPLE + "㐀€").encode("gb18030"), ("text", "gb18030", "㐀")),
        "utf16_bom.txt": (SAMPLE.encode("utf-16"), ("text", "utf-16-le", "高新技术企业100家")),
        "utf16_be_bom.txt": (codecs_bom_be(SAMPLE), ("text", "utf-16-be", "高新技术企业100家")),
        "utf16_no_bom.txt": (("notice 2023 " * 10 + SAMPLE).encode("utf-16-le"), ("text", "utf-16-le", "100家")),
        "page.html": (HTML.encode("gbk"), ("text", "html:gb18030", "高新技术企业100家")),
        "document.docx": (_docx(), ("text", "docx", "高新技术企业100家")),
        "broken.docx": (b"PK\x03\x04 this is not really a zip", ("error", "broken docx")),
        "not_a_zip.docx": (b"just some text", ("error", "broken docx")),
        "scanned.pdf": (_pdf(None), ("error", "no text layer")),
        "text_layer.pdf": (_pdf("Target 100 enterprises"), ("text", "pdf", "Target 100")),
        "broken.pdf": (b"%PDF-1.4\n1 0 obj << /Type /Catalog", ("error", "pdf")),
        "legacy.doc": (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, ("error", ".doc")),
        "gbk_no_bom.txt": (TRADITIONAL_FREE.encode("gbk"), ("text", "gbk", "研发投入")),
        "mixed_encodings.txt": (utf8 + TRADITIONAL_FREE.encode("gbk"), ("error", "mixed encodings")),
        "control_chars.txt": (utf8.replace("，".encode(), b"\x01\x02\x1b"), ("error", "control characters")),
        "traditional.txt": (TRADITIONAL.encode("utf-8"), ("text", "utf-8", "臺北市政府")),
        "english.txt": (ENGLISH.encode("utf-8"), ("text", "utf-8", "Science and Technology")),
        "script_style.html": (SCRIPT_STYLE_HTML.encode("utf-8"), ("text", "html:utf-8", "高新技术企业100家")),
        "no_body.html": (f"<p>{SAMPLE}</p>".encode(), ("text", "html:utf-8", "高新技术企业100家")),
        "head_only.html": (b"<html><head><title>t</title><script>x()</script></head></html>",
                           ("error", "without readable text")),
        "docx_without_document.docx": (_zip({"[Content_Types].xml": b"<Types/>"}), ("error", "broken docx")),
        "encrypted.docx": (_encrypted_office_file(), ("error", "password-protected docx")),
        "encrypted.pdf": (_encrypted_pdf(), ("error", "encrypted pdf")),
        "三明市 科技 工作要点 2023.txt": (utf8, ("text", "utf-8", "高新技术企业100家")),
        "vanishes_mid_batch.txt": (utf8.replace(b"100", b"120"), ("text", "utf-8", "高新技术企业120家")),
    }
    expected = {}
    for name, (data, expectation) in files.items():
        (folder / name).write_bytes(data)
        expected[name] = expectation
    return expected


def codecs_bom_be(text: str) -> bytes:
    return b"\xfe\xff" + text.encode("utf-16-be")


BIG_BYTES = 50 * 1024 * 1024
LONG_LINE_BYTES = 5 * 1024 * 1024
BOMB_EXPANDED = 128 * 1024 * 1024  # what the zip bomb's one part inflates to, from about 128 kB


def make_hostile_corpus(folder: Path) -> dict[str, tuple]:
    """`make_corpus` plus the large, the malicious and the file-system cases (see the module's doc)."""
    expected = make_corpus(folder)
    line = SAMPLE.replace("\n", "").encode("utf-8")
    _write_repeated(folder / "big_50mb.txt", SAMPLE.encode("utf-8"), BIG_BYTES)
    expected["big_50mb.txt"] = ("error", "too large")
    _write_repeated(folder / "one_line_5mb.txt", line, LONG_LINE_BYTES)
    expected["one_line_5mb.txt"] = ("text", "utf-8", "高新技术企业100家")
    (folder / "zip_bomb.docx").write_bytes(_zip_bomb())
    expected["zip_bomb.docx"] = ("error", "zip bomb")
    # Tests run as root, whom chmod 000 does not stop: these three are unreadable as documents however
    # permissions are set. A FIFO would block a naive open() forever; a loop makes stat() fail with ELOOP.
    os.mkfifo(folder / "fifo.txt")
    expected["fifo.txt"] = ("error", "not a regular file")
    (folder / "folder_named_like_a_file.txt").mkdir()
    expected["folder_named_like_a_file.txt"] = ("error", "folder")
    os.symlink("loop_b.txt", folder / "loop_a.txt")
    os.symlink("loop_a.txt", folder / "loop_b.txt")
    expected["loop_a.txt"] = expected["loop_b.txt"] = ("error", "symbolic link loop")
    return expected


def _write_repeated(path: Path, unit: bytes, size: int) -> None:
    """`size` bytes of whole repetitions of `unit` (no character cut in half)."""
    chunk = unit * max(1, (1024 * 1024) // len(unit))
    with path.open("wb") as out:
        while out.tell() + len(chunk) <= size:
            out.write(chunk)
        out.write(unit * ((size - out.tell()) // len(unit)))


def _zip(parts: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name, data in parts.items():
            package.writestr(name, data)
    return out.getvalue()


def _zip_bomb() -> bytes:
    """A real docx whose document part is replaced by one inflating a thousandfold (written in chunks)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(_docx())) as real, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as package:
        for name in real.namelist():
            if name != "word/document.xml":
                package.writestr(name, real.read(name))
        with package.open("word/document.xml", "w", force_zip64=True) as part:
            block = b"<w:t>" + b"A" * (1024 * 1024 - 5)
            for _ in range(BOMB_EXPANDED // len(block)):
                part.write(block)
    return out.getvalue()


def _encrypted_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(612, 792)
    writer.encrypt("secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _encrypted_office_file() -> bytes:
    """What Word writes for a password-protected docx: an OLE compound file (CFB v3, 512-byte sectors) holding
    the streams EncryptionInfo and EncryptedPackage instead of a ZIP. The stream contents here are filler."""
    end, free, fat_sector, no_stream = 0xFFFFFFFE, 0xFFFFFFFF, 0xFFFFFFFD, 0xFFFFFFFF
    stream_sectors = 8  # 4096 bytes each: at the mini-stream cutoff, so both live in ordinary sectors
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16)
              + struct.pack("<HHHHH6sIIIIIIIII", 0x3E, 3, 0xFFFE, 9, 6, bytes(6), 0, 1, 1, 0, 4096, end, 0, end, 0)
              + struct.pack("<I", 0) + struct.pack("<I", free) * 108)
    fat = [fat_sector, end]
    for first in (2, 2 + stream_sectors):
        fat += [*range(first + 1, first + stream_sectors), end]
    fat += [free] * (128 - len(fat))

    def entry(name: str, kind: int, right: int, child: int, start: int, size: int) -> bytes:
        encoded = (name + "\0").encode("utf-16-le") if name else b""
        return (encoded.ljust(64, b"\0") + struct.pack("<HBBIII", len(encoded), kind, 1 if name else 0,
                                                        no_stream, right, child)
                + bytes(16 + 4 + 16) + struct.pack("<IQ", start, size))

    directory = (entry("Root Entry", 5, no_stream, 1, end, 0)
                 + entry("EncryptionInfo", 2, 2, no_stream, 2, 4096)
                 + entry("EncryptedPackage", 2, no_stream, no_stream, 2 + stream_sectors, 4096)
                 + entry("", 0, no_stream, no_stream, 0, 0))
    streams = bytes(range(256)) * 16 * 2
    return header + struct.pack("<128I", *fat) + directory + streams


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "bad-inputs")
    make = make_hostile_corpus if "--hostile" in sys.argv[2:] else make_corpus
    for name, expectation in make(out).items():
        print(name, expectation)
