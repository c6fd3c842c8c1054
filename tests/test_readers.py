"""Readers: every awkward input gives a clear ReadError naming the file and why, or the right text."""

from __future__ import annotations

from pathlib import Path

import pytest

from policykg.ingest.pipeline import extract_file
from policykg.ingest.readers import ReadError, decode_bytes, html_to_text, read_document
from tests.data.make_bad_inputs import SAMPLE, file_names, make_corpus


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, tuple]]:
    folder = tmp_path_factory.mktemp("bad-inputs")
    return folder, make_corpus(folder)


@pytest.mark.parametrize("name", file_names(make_corpus))
def test_each_bad_input_is_a_clear_error_or_a_correct_text(corpus: tuple[Path, dict[str, tuple]], name: str) -> None:
    folder, expected = corpus
    expectation = expected[name]
    if expectation[0] == "error":
        with pytest.raises(ReadError) as caught:
            read_document(folder / name)
        assert name in str(caught.value)  # the message names the file
        assert expectation[1].lower() in caught.value.reason.lower(), caught.value.reason
    else:
        document = read_document(folder / name)
        assert document.encoding == expectation[1]
        assert expectation[2] in document.text


def test_a_read_error_reaches_the_pipeline_as_a_failure_not_a_crash(corpus: tuple[Path, dict[str, tuple]]) -> None:
    from policykg.ingest.pipeline import Failure, extract_many

    folder, _ = corpus
    outcomes = list(extract_many([folder / "image.txt", folder / "gb18030.txt"]))
    assert isinstance(outcomes[0], Failure) and "PNG" in outcomes[0].reason
    assert not isinstance(outcomes[1], Failure)
    assert outcomes[1]["encoding"] == "gbk" and outcomes[1]["document"]["city"] == "三明市"


def test_offsets_refer_to_the_decoded_text_without_the_bom(tmp_path: Path) -> None:
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + SAMPLE.encode("utf-8"))
    record = extract_file(path)
    text = read_document(path).text
    assert not text.startswith("\ufeff")
    for target in record["targets"]:
        assert text[target["start"] : target["end"]] == target["text"]


def test_gb18030_is_detected_not_guessed() -> None:
    text, encoding = decode_bytes("x.txt", "三明市科学技术局：力争培育高新技术企业100家。".encode("gb18030"))
    assert encoding == "gbk" and text.startswith("三明市")


def test_big5_goes_through_charset_normalizer_and_says_so() -> None:
    raw = (
        "臺北市政府科技局關於印發科技工作要點的通知。為推動產業創新，力爭培育高新技術企業一百家，"
        "建設創新平臺十個，引進研發團隊二十個，促進產學研合作與科技成果轉化。" * 4
    ).encode("big5")
    try:
        text, encoding = decode_bytes("big5.txt", raw)
    except ReadError as error:  # refusing a poor guess is allowed; a silent wrong reading is not
        assert "encoding" in error.reason
        return
    assert encoding.startswith("charset-normalizer:")
    assert "科技" in text


def test_latin_text_that_is_not_chinese_is_refused_or_named() -> None:
    raw = "Caf\xe9 cr\xe8me br\xfbl\xe9e, na\xefve fa\xe7ade. ".encode("latin-1") * 10
    try:
        _, encoding = decode_bytes("latin.txt", raw)
    except ReadError:
        return
    assert encoding.startswith("charset-normalizer:")


def test_html_main_text_leaves_out_navigation_scripts_and_styles() -> None:
    html = (
        "<html><head><title>t</title><style>p{}</style><script>alert('x')</script></head><body>"
        "<nav><a href='/'>首页</a></nav>"
        "<ul class='menu'><li><a href='/a'>机构</a></li><li><a href='/b'>公开</a></li></ul>"
        "<div id='content'><h1>关于印发工作要点的通知</h1><p>培育高新技术企业100家。</p></div>"
        "<footer>版权所有</footer></body></html>"
    )
    text = html_to_text(html)
    assert "关于印发工作要点的通知\n培育高新技术企业100家。" in text
    for chrome in ("首页", "机构", "alert", "版权所有", "p{}"):
        assert chrome not in text


def test_missing_file_and_folder_are_clear(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="no such file"):
        read_document(tmp_path / "nope.txt")
    with pytest.raises(ReadError, match="folder"):
        read_document(tmp_path)


def test_text_from_a_docx_is_held_to_the_text_cap(tmp_path: Path) -> None:
    """A docx compresses its text a hundredfold: a small file can hold more text than the 10 MB a text file may
    (issue #19: a 6 MB docx gave 93 MB). It is refused while being read, naming the file."""
    from bench.corpus import as_docx
    from policykg.ingest.readers import MAX_TEXT_BYTES

    line = "科技创新" * 250  # 3,000 bytes of UTF-8
    path = tmp_path / "huge.docx"
    path.write_bytes(as_docx([line] * (MAX_TEXT_BYTES // 3000 + 100)))
    assert path.stat().st_size < MAX_TEXT_BYTES // 10

    with pytest.raises(ReadError, match="too much text") as error:
        read_document(path)
    assert error.value.path == str(path)
