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


# ---------------------------------------------------------------- work reports

WORK_REPORT = """政府工作报告
——2018年1月10日在宁波市第十五届人民代表大会第二次会议上
宁波市人民政府市长 某某某
各位代表：
现在，我代表市人民政府向大会报告工作，请予审议。
一、2017年工作回顾
过去一年，全市新增高新技术企业52家。2017年是实施“十三五”规划的重要一年。
二、2018年工作安排
今年是全面贯彻党的十九大精神的开局之年。
"""


def test_a_work_report_is_its_governments_delivered_on_its_date_and_plans_its_plan_headings_year() -> None:
    meta, how = extract_metadata(WORK_REPORT)
    assert (meta["genre"], meta["city"], meta["province"], meta["county"]) == ("work-report", "宁波市", "浙江省", None)
    assert meta["issuer"] == "宁波市人民政府" and how["issuer"] == "body:我代表…人民政府"
    assert meta["published"] == "2018-01-10" and how["published"] == "header:delivery"
    assert meta["year"] == 2018 and how["year"].startswith("body:plan heading 2018年工作安排")


def test_a_report_delivered_in_december_plans_the_year_after() -> None:
    text = WORK_REPORT.replace("2018年1月10日", "2017年12月26日").replace("二、2018年工作安排", "二、今年工作安排")
    meta, _ = extract_metadata(text)
    assert meta["published"] == "2017-12-26" and meta["year"] == 2018


def test_without_a_plan_year_the_review_heading_says_the_year_after() -> None:
    text = WORK_REPORT.replace("——2018年1月10日在宁波市第十五届人民代表大会第二次会议上\n", "").replace(
        "二、2018年工作安排", "二、今年工作安排"
    )
    meta, how = extract_metadata(text)
    assert meta["year"] == 2018 and how["year"].startswith("inference:")
    assert meta["published"] is None


def test_a_new_governments_five_year_report_plans_from_the_year_it_is_delivered() -> None:
    text = (
        "——2016年11月20日在某某市第十六届人民代表大会第一次会议上\n各位代表：\n现在，我代表市人民政府报告工作。\n"
        "一、过去五年工作回顾\n五年来，成绩显著。\n二、今后五年工作建议\n今后五年，要加快发展。\n"
    )
    assert extract_metadata(text)[0]["year"] == 2016  # a multi-year plan: the year it was issued


def test_a_report_between_two_five_year_plans_plans_the_first_year_of_the_new_one() -> None:
    text = "各位代表：\n我代表省人民政府向大会报告工作，请予审议。\n一、“十二五”时期工作回顾\n成绩显著。\n"
    text += "二、“十三五”时期主要目标任务\n"
    meta, how = extract_metadata(text + "全省上下要团结奋斗，推动江西发展。\n")
    assert meta["year"] == 2016 and how["year"].startswith("inference:")
    assert (meta["city"], meta["province"]) == (None, "江西省")  # a province's own report has no city
    assert meta["issuer"] == "江西省人民政府" and how["province"].startswith("inference:")


def test_a_this_year_clue_counts_only_in_the_plan_part_of_a_report() -> None:
    text = (
        "各位代表：\n我代表市人民政府向大会报告工作，请予审议。\n一、过去一年工作回顾\n2017年是极不平凡的一年。\n"
        "二、今年工作安排\n2018年是改革开放40周年。\n"
    )
    meta, how = extract_metadata(text)
    assert meta["year"] == 2018 and how["year"] == "body:2018年是"


def test_a_districts_report_names_its_city_and_county() -> None:
    text = WORK_REPORT.replace("宁波市第十五届", "鄞州区第十五届").replace("宁波市人民政府市长", "鄞州区人民政府区长")
    meta, _ = extract_metadata(text.replace("我代表市人民政府", "我代表区人民政府"))
    assert (meta["city"], meta["county"], meta["province"]) == ("宁波市", "鄞州区", "浙江省")
    assert meta["issuer"] == "鄞州区人民政府"


def test_a_municipality_is_its_own_city_and_province() -> None:
    text = "——2008年1月20日天津市第十五届人民代表大会第一次会议\n各位代表：\n"
    text += "现在，我代表天津市人民政府，向大会报告工作。\n"
    meta, _ = extract_metadata(text)
    assert (meta["city"], meta["province"], meta["issuer"]) == ("天津市", "天津市", "天津市人民政府")
    assert meta["published"] == "2008-01-20" and meta["year"] == 2008


# ---------------------------------------------------------------- regulations


def test_a_regulation_is_its_standing_committees_and_dated_by_its_latest_adoption() -> None:
    text = (
        "宁波市科学技术进步条例\n2009年10月30日宁波市第十三届人民代表大会常务委员会第二十次会议通过\n"
        "2009年11月27日浙江省第十一届人民代表大会常务委员会第十四次会议批准\n"
        "第一章 总则\n第一条 为了促进科学技术进步，制定本条例。\n"
    )
    meta, _ = extract_metadata(text)
    assert meta["genre"] == "regulation" and meta["issuer"] == "宁波市人民代表大会常务委员会"
    assert meta["year"] == 2009 and meta["published"] is None  # approved, but its promulgation is not given


def test_a_regulation_promulgated_by_announcement_is_numbered_and_dated_by_it() -> None:
    text = (
        "某某条例\n2014年10月28日 市十二届人大常委会第二十二次会议通过\n"
        "2015年3月27日 省十二届人大常委会第十八次会议批准\n"
        "2015年4月16日 杭州市第十二届人民代表大会常务委员会公告第42号公布\n第一条 为了普及科学，制定本条例。\n"
    )
    meta, how = extract_metadata(text + "本条例适用于杭州市行政区域。\n")
    assert meta["published"] == "2015-04-16" and how["published"] == "header:公布"
    assert meta["doc_number"] == "杭州市第十二届人民代表大会常务委员会公告第42号"
    assert meta["year"] == 2015 and meta["issuer"] == "杭州市人民代表大会常务委员会"


def test_a_provinces_revised_regulation_is_in_force_as_revised() -> None:
    text = (
        "浙江省促进科技成果转化条例\n2004年1月16日 浙江省第十届人民代表大会常务委员会第七次会议通过\n"
        "2017年3月30日 浙江省第十二届人民代表大会常务委员会第三十九次会议《关于修改〈某条例〉的决定》修正\n"
        "第一条 为了促进转化，制定本条例。\n"
    )
    meta, _ = extract_metadata(text)
    assert (meta["year"], meta["published"], meta["city"]) == (2017, "2017-03-30", None)
    assert meta["issuer"] == "浙江省人民代表大会常务委员会"


# ---------------------------------------------------------------- notices, plans and their numbers


@pytest.mark.parametrize("label", ["文号", "发文字号", "字号", "文件编号"])
def test_doc_number_under_its_real_world_labels(label: str) -> None:
    meta, how = extract_metadata(f"{label}：丹科发〔2020〕2号\n丹东市科技局关于印发实施方案的通知\n正文。")
    assert meta["doc_number"] == "丹科发〔2020〕2号" and how["doc_number"] == f"header:{label}"


def test_issuers_doc_number_and_title_run_into_one_line() -> None:
    text = (
        "三明市科学技术局三明市财政局明科〔2021〕12号\n"
        "三明市科学技术局三明市财政局关于印发《科技保险补贴办法（试行）》的通知各县（市、区）科技局、财政局：\n"
        "现将办法印发给你们。\n三明市科学技术局三明市财政局2021年6月19日科技保险补贴办法（试行）\n"
        "第一条 为了支持创新，制定本办法。\n"
    )
    meta, how = extract_metadata(text)
    assert meta["doc_number"] == "明科〔2021〕12号" and how["doc_number"] == "header:文号 line"
    assert meta["title"] == "三明市科学技术局三明市财政局关于印发《科技保险补贴办法（试行）》的通知"
    assert meta["issuer"] == "三明市科学技术局"  # the lead body of a joint document
    assert meta["published"] == "2021-06-19" and how["published"] == "signature"
    assert meta["genre"] == "regulation" and meta["year"] == 2021


def test_the_print_line_dates_a_notice_only_when_it_is_not_signed() -> None:
    body = "沙县科技局关于印发科技特派员管理办法的通知\n各乡镇：\n现将办法印发给你们。\n"
    signed = body + "沙县科学技术局2020年3月2日\n抄送：县委办。\n沙县科学技术局办公室2020年3月5日印发\n"
    assert extract_metadata(signed)[0]["published"] == "2020-03-02"
    printed = body + "抄送：县委办。\n沙县科学技术局办公室2020年3月5日印发\n"
    meta, how = extract_metadata(printed)
    assert meta["published"] == "2020-03-05" and how["published"] == "signature:印发"


def test_a_county_document_names_its_county_and_city() -> None:
    meta, how = extract_metadata("临海市人民政府关于强化创新驱动的若干意见\n各镇人民政府：\n正文。")
    assert (meta["city"], meta["county"], meta["province"]) == ("台州市", "临海市", "浙江省")
    assert how["county"] == how["city"] == "title:临海市"


def test_an_area_named_after_its_province_is_the_documents_own() -> None:
    meta, _ = extract_metadata("浙江省岱山经济开发区管理委员会关于印发招商政策的通知\n正文。")
    assert (meta["city"], meta["county"]) == ("舟山市", "岱山县")


def test_a_name_two_counties_share_is_the_one_whose_city_the_text_names() -> None:
    text = "普陀区科技创新券管理办法\n第一条 根据《舟山市科技创新券实施意见》，制定本办法。\n"
    meta, _ = extract_metadata(text)
    assert (meta["city"], meta["county"]) == ("舟山市", "普陀区")


def test_a_multi_year_plan_is_of_the_year_issued_else_its_first() -> None:
    title = "某市加快推进智能工厂建设三年行动计划（2017—2019年）"
    meta, how = extract_metadata(f"{title}\n一、主要目标\n到2019年，建成智能工厂50家。\n")
    assert meta["year"] == 2017 and how["year"] == "title (a multi-year plan: its first year)"
    meta, how = extract_metadata(f"嘉科〔2016〕7号\n{title}\n一、主要目标\n到2019年，建成智能工厂50家。\n")
    assert meta["year"] == 2016 and how["year"].startswith("header:文号 line")


def test_a_province_department_that_never_names_its_province_is_found_by_its_places() -> None:
    text = (
        "为落实省委、省政府部署，加快全省人工智能产业发展，制定本行动计划。\n一、主要目标\n"
        "支持济南、青岛、烟台建设人工智能产业园，推动山东制造业转型。\n"
    )
    meta, how = extract_metadata(text)
    assert (meta["city"], meta["province"], meta["year"]) == (None, "山东省", None)
    assert meta["genre"] == "plan" and how["province"].startswith("inference:")


REALCORPUS = SHARED / "realcorpus"


@pytest.mark.skipif(
    not (REALCORPUS / "LABELS.tsv").exists(), reason="../shared/realcorpus (real documents and labels) is absent"
)
def test_real_documents_place_and_year_agree_with_their_labels() -> None:
    """Every 16th real document: place and year as LABELS.tsv gives them (see its README: labels may be wrong)."""
    import csv

    with open(REALCORPUS / "LABELS.tsv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))[::16]
    right = {"city": 0, "province": 0, "year": 0}
    reports = 0
    for row in rows:
        meta, _ = extract_metadata((REALCORPUS / "docs" / row["file"]).read_text(encoding="utf-8"))
        right["city"] += (meta["city"] or "") == row["city"]
        right["province"] += (meta["province"] or "") == row["province"]
        if row["kind"].startswith("政府工作报告"):  # the others often carry no date at all
            reports += 1
            right["year"] += str(meta["year"]) == row["year"]
    assert right["city"] >= 0.98 * len(rows) and right["province"] >= 0.98 * len(rows), right
    assert right["year"] >= 0.97 * reports, (right, reports)


def test_a_local_regulation_without_its_adoption_lines_is_inferred_its_standing_committees() -> None:
    text = "舟山市科技创新促进条例\n第一条 为了促进科技创新，制定本条例。\n第二条 本条例适用于本市。\n"
    meta, how = extract_metadata(text)
    assert meta["issuer"] == "舟山市人民代表大会常务委员会" and how["issuer"].startswith("inference:")
    assert meta["year"] is None


def test_a_policy_without_a_date_is_of_the_year_it_takes_effect_unless_that_is_new_year() -> None:
    meta, how = extract_metadata("关于支持人工智能产业发展的若干政策\n一、支持研发。\n本政策自2023年2月22日起施行。\n")
    assert meta["year"] == 2023 and how["year"] == "inference:in force from 2023-02-22"
    meta, _ = extract_metadata("关于支持人工智能产业发展的若干政策\n一、支持研发。\n本政策自2018年1月1日起施行。\n")
    assert meta["year"] is None  # set on 1 January by a policy issued the year before
