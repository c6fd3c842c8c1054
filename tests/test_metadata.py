"""Document metadata: header labels, masthead, title, signature, year clues, and a city inferred from places."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from policykg.ingest.metadata import extract_metadata

SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
GOLD = sorted((SHARED / "eval" / "gold").glob("*.json"))


@pytest.mark.skipif(not GOLD, reason="../shared/eval/gold is not beside the repository")
@pytest.mark.parametrize("gold_path", GOLD, ids=lambda p: p.stem[:3])
def test_samples_match_their_gold_metadata(gold_path: Path) -> None:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    text = (SHARED / "corpus" / gold["file"]).read_text(encoding="utf-8")
    meta, provenance = extract_metadata(text)
    for field in ("city", "province", "year", "issuer", "doc_number", "published"):
        assert meta[field] == gold["document"][field], (field, provenance)
    for field, value in meta.items():
        if value is not None and field in provenance:
            assert provenance[field]


def test_header_labels_win_and_a_repost_time_is_never_the_date() -> None:
    text = (
        "发文机关: 宁波市科学技术局 成文日期: 2019年03月02日\n发文字号: 甬科计[2019]15号\n"
        "标题: 宁波市科技局2019年工作要点\n来源: 宁波日报 时间: 2019-03-05\n正文"
    )
    meta, how = extract_metadata(text)
    assert meta == {
        "title": "宁波市科技局2019年工作要点",
        "city": "宁波市",
        "province": "浙江省",
        "year": 2019,
        "issuer": "宁波市科学技术局",
        "doc_number": "甬科计〔2019〕15号",
        "published": "2019-03-02",
        "county": None,
        "genre": "plan",
    }
    assert how["issuer"] == "header:发文机关" and how["published"] == "header:成文日期"
    repost = "市科技局工作思路\n来源:某某网 时间:2021-05-06 10:00\n正文。"
    assert extract_metadata(repost)[0]["published"] is None


def test_a_doc_number_cited_in_the_body_is_not_the_documents_own() -> None:
    text = (
        "关于加快科技创新的实施意见\n为贯彻落实《关于优化高新技术企业认定服务的措施》（鄂政办函[2020]23号）精神，"
        "结合我市实际，制定本意见。"
    )
    meta, _ = extract_metadata(text)
    assert meta["doc_number"] is None and meta["city"] is None and meta["year"] is None


def test_notice_with_signature_in_chinese_numerals() -> None:
    text = (
        "宁波市人民政府办公厅关于印发宁波市2009年科技工作要点的通知\n甬政办发〔2009〕12号\n各县（市）区人民政府：\n"
        "现将《宁波市2009年科技工作要点》印发给你们。\n宁波市人民政府办公厅\n二〇〇九年三月二日\n一、总体要求\n"
        "按照省委部署（浙政发〔2008〕5号），推进自主创新。"
    )
    meta, how = extract_metadata(text)
    assert meta["doc_number"] == "甬政办发〔2009〕12号" and meta["published"] == "2009-03-02"
    assert meta["issuer"] == "宁波市人民政府办公厅" and meta["year"] == 2009 and how["published"] == "signature"


@pytest.mark.parametrize(
    ("text", "year", "clue"),
    [
        ("市科技局工作意见\n年是中国共产党成立90周年，也是“十二五”时期开局之年。", 2011, "建党90周年"),
        ("市科技局工作意见\n今年是“十二五”时期开局之年。", 2011, "十二五开局之年"),
        ("市科技局工作思路\n今年是“十三五”收官之年。", 2020, "十三五收官之年"),
        ("市科技局工作要点\n2024年是全面贯彻党的二十大精神的关键之年。", 2024, "2024年是"),
        ("市科技局工作思路\n今年是新中国成立70周年。", 2019, "新中国成立70周年"),
    ],
)
def test_year_clues(text: str, year: int, clue: str) -> None:
    meta, how = extract_metadata(text)
    assert meta["year"] == year
    assert how["year"] == f"body:{clue}"


def test_a_city_never_named_is_inferred_from_its_counties() -> None:
    text = "市科技局工作思路\n推动黄石与武汉对接，支持大冶、阳新发展特色产业。"
    meta, how = extract_metadata(text)
    assert (meta["city"], meta["province"], meta["issuer"]) == ("黄石市", "湖北省", "黄石市科学技术局")
    assert how["city"].startswith("inference:")


def test_everyday_words_that_are_also_county_names_are_not_places() -> None:
    text = "市科技局工作思路\n深化产学研合作，推动合作共建，加强合作交流，促进新平台建设。"
    meta, _ = extract_metadata(text)
    assert meta["city"] is None  # 合作 is a county-level city in Gansu, and here only a word


@pytest.mark.parametrize(
    ("title", "city", "province", "issuer"),
    [
        ("崇阳县科学技术局关于印发2021年科技创新工作要点的通知", "咸宁市", "湖北省", "崇阳县科学技术局"),
        ("福建省科学技术厅关于印发《2021年全省科技工作要点》的通知", None, "福建省", "福建省科学技术厅"),
        ("北京市科学技术委员会关于印发《2020年工作要点》的通知", "北京市", "北京市", "北京市科学技术委员会"),
        ("沙县科技局2020年工作总结", "三明市", "福建省", "沙县科学技术局"),  # named as it was before 沙县区
        # a party committee and its government issue as one; other joint documents are the lead body's
        ("中共三明市委 三明市人民政府关于加快科技创新的意见", "三明市", "福建省", "中共三明市委员会、三明市人民政府"),
        ("三明市科学技术局三明市财政局关于印发《科技保险补贴办法》的通知", "三明市", "福建省", "三明市科学技术局"),
    ],
)
def test_city_province_and_issuer_from_the_title(title: str, city: str | None, province: str, issuer: str) -> None:
    meta, _ = extract_metadata(title + "\n正文。")
    assert (meta["city"], meta["province"], meta["issuer"]) == (city, province, issuer)


def test_nothing_is_guessed_from_an_empty_text() -> None:
    meta, how = extract_metadata("")
    assert all(value is None for field, value in meta.items() if field != "genre") and meta["genre"] == "other"
    assert how == {"genre": "body"}
