"""Write a corpus of awkward inputs into a folder: each must give a clear ReadError or a correct record.

usage: python tests/data/make_bad_inputs.py OUT_DIR

`make_corpus(folder)` returns {file name: expectation}; an expectation is either
("error", words the reason must contain) or ("text", the encoding, a phrase the text must contain).
"""

from __future__ import annotations

import io
import sys
import zlib
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


HTML = """<!doctype html><html><head><meta charset="gbk"><title>通知</title>
<style>.x{color:red}</style><script>var a = "不是正文";</script></head><body>
<div class="nav"><a href="/">首页</a> <a href="/a">机构</a> <a href="/b">政务公开</a></div>
<div class="article"><h1>三明市科学技术局关于印发《2023年全市科技工作要点》的通知</h1>
<p>力争培育国家高新技术企业100家，技术合同登记额保持超1亿元。</p></div>
<div class="footer"><a href="/c">网站地图</a> <a href="/d">联系我们</a></div></body></html>"""


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
    }
    expected = {}
    for name, (data, expectation) in files.items():
        (folder / name).write_bytes(data)
        expected[name] = expectation
    return expected


def codecs_bom_be(text: str) -> bytes:
    return b"\xfe\xff" + text.encode("utf-16-be")


if __name__ == "__main__":
    out = Path(sys.argv[1] if len(sys.argv) > 1 else "bad-inputs")
    for name, expectation in make_corpus(out).items():
        print(name, expectation)
