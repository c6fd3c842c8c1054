"""Relations: cooperation partners from cue words, platforms run by institutions, document relations."""

from __future__ import annotations

from policykg.ingest.pipeline import extract_text
from policykg.ingest.record import Relation


def relations(text: str, kind: str = "COOPERATES_WITH") -> list[Relation]:
    header = "三明市科学技术局关于印发《2023年全市科技工作要点》的通知\n"
    record = extract_text(header + text, "test.txt")
    return [r for r in record["relations"] if r["type"] == kind]


def partners(text: str) -> list[str]:
    found = relations(text)
    assert all(r["source"] == {"type": "City", "name": "三明市"} for r in found)
    return [r["target"]["name"] for r in found]


def test_a_list_sentence_gives_one_relation_per_partner() -> None:
    text = "支持我市创新主体加强与中国科学院、天津大学、厦门大学等高校加强合作对接。"
    assert partners(text) == ["中国科学院", "天津大学", "厦门大学"]


def test_every_relation_carries_its_sentence_rule_and_confidence() -> None:
    relation = relations("加强与北京市科委的沟通对接。")[0]
    assert relation["target"] == {"type": "Agency", "name": "北京市科学技术委员会"}
    assert relation["evidence"]["text"] == "加强与北京市科委的沟通对接。"
    assert relation["extractor"] == "cue-word:对接" and 0 < relation["confidence"] <= 1


def test_own_bodies_and_places_are_not_partners() -> None:
    assert partners("市科技局与省科技厅、沙县联合开展工作。") == []


def test_no_cue_word_no_cooperation() -> None:
    assert partners("支持三明学院建设重点实验室。") == []


def test_abbreviated_partner_provinces() -> None:
    assert partners("深化京闽科技合作。") == ["北京市"]


def test_a_platform_of_another_place_is_a_partner() -> None:
    assert partners("全面对接武汉东湖高新区。") == ["武汉东湖新技术开发区"]  # the official list's name


def test_platform_operated_by_the_institution_in_its_name() -> None:
    found = relations("强化中科院丹东技术转移中心功能建设。", "OPERATED_BY")
    assert [(r["source"]["name"], r["target"]["name"]) for r in found] == [("中国科学院丹东技术转移中心", "中国科学院")]


def test_the_document_implements_programmes_and_cites_documents() -> None:
    text = "落实科技特派员制度,贯彻《关于加快科技自立自强步伐的意见》,发展新材料产业。"
    implements = relations(text, "IMPLEMENTS")
    assert [r["target"]["name"] for r in implements] == ["科技特派员制度"]
    assert implements[0]["source"]["type"] == "Document"
    cited = [r["target"]["name"] for r in relations(text, "CITES")]
    assert "关于加快科技自立自强步伐的意见" in cited
    assert [r["target"] for r in relations(text, "PRIORITIZES")] == [{"type": "Industry", "name": "新材料"}]


def test_a_branch_is_the_partner_not_also_the_institution_in_its_name() -> None:
    assert partners("中机总院海西分院落实三方共建协议。") == ["中国机械科学研究总院海西分院"]


def test_the_citys_own_institutions_are_its_side() -> None:
    assert partners("支持市农科院与福建农林大学开展产学研合作。") == ["福建农林大学"]


def test_a_weak_cue_counts_only_before_its_partner() -> None:
    assert partners("拓展海外人才引进渠道,组织参加中国(大连)海外学子创业周。") == []
    assert partners("引进中国科学院福建物质结构研究所在我市设立分支机构。") == ["中国科学院福建物质结构研究所"]


# Held-out paragraph in the genre for a city the samples do not cover (佛山, an 实施方案): guards generality.
FOSHAN_2021 = (
    "深化广佛同城化,加强与中国科学院深圳先进技术研究院、华南理工大学共建产业技术研究院,"
    "全面对接广州开发区,支持市农业科学研究所与企业开展产学研合作,引进高层次人才。"
)


def test_held_out_foshan_paragraph() -> None:
    header = "佛山市科学技术局关于印发《佛山市2021年科技创新实施方案》的通知\n"
    record = extract_text(header + FOSHAN_2021, "foshan.txt")
    found = {r["target"]["name"] for r in record["relations"] if r["type"] == "COOPERATES_WITH"}
    assert {"广州市", "中国科学院深圳先进技术研究院", "华南理工大学", "广州开发区"} <= found
    assert not {name for name in found if name.startswith("佛山")}


ZHUZHOU_2012 = (
    "加强与中南大学、湖南大学的产学研合作,支持株洲高新区创建国家创新型科技园区;"
    "深化与中国科学院长沙分院、湖南省农业科学院的院地合作,推动科技部与我市的部市会商,"
    "用好科技部高端外国专家项目。"
)


def test_held_out_zhuzhou_paragraph() -> None:
    header = "株洲市科学技术局关于印发《2012年株洲市科技工作要点》的通知\n"
    record = extract_text(header + ZHUZHOU_2012, "zhuzhou.txt")
    found = {r["target"]["name"] for r in record["relations"] if r["type"] == "COOPERATES_WITH"}
    assert found == {"中南大学", "湖南大学", "中国科学院长沙分院", "湖南省农业科学院"}  # a title awarded is no partner
    names = {(e["type"], e["name"]) for e in record["entities"]}
    assert {("Agency", "中华人民共和国科学技术部"), ("Program", "科技部高端外国专家项目")} <= names  # 科技部 inside
    assert not {name for kind, name in names if kind == "Platform" and "创新型科技园" in name}


WUHU_2010 = (
    "一是积极争取国家863计划、973计划等项目。二是推进产学研合作。加强与中国科学技术大学、合肥工业大学的合作,"
    "推动我市与中科院合肥物质科学研究院共建芜湖技术转移中心,支持奇瑞汽车股份有限公司建设国家节能环保汽车工程技术研究中心,"
    "推进芜湖留学人员创业园建设,加快芜湖国家汽车电子高新技术产业化基地发展。"
)


def test_held_out_wuhu_paragraph() -> None:
    header = "芜湖市科学技术局关于印发《芜湖市2010年科技工作要点》的通知\n"
    record = extract_text(header + WUHU_2010, "wuhu.txt")
    found = {r["target"]["name"] for r in record["relations"] if r["type"] == "COOPERATES_WITH"}
    # 与 in an earlier clause does not make the company's centre a partner
    assert found == {"中国科学技术大学", "合肥工业大学", "中国科学院合肥物质科学研究院"}
    names = {(e["type"], e["name"]) for e in record["entities"]}
    assert {
        ("Program", "国家高技术研究发展计划"),
        ("Program", "国家重点基础研究发展计划"),
        ("Platform", "芜湖留学人员创业园"),
        ("Platform", "芜湖国家汽车电子高新技术产业化基地"),
    } <= names


def test_what_is_built_with_a_partner_is_no_partner() -> None:
    assert partners("我市与中国科学院共建光电产业研究院。") == ["中国科学院"]


def test_a_cue_inside_a_name_is_no_cue() -> None:
    assert partners("举办咸宁苏州招商引智恳谈会、中韩经济合作交流会。") == []
    assert partners("获批国际科技合作基地,支持武汉大学建设实验室。") == []


def test_a_close_cue_governs_a_whole_list_after_it() -> None:
    found = partners("落地建设中科院大学智能制造学院、福州大学微电子研究院、天津大学集成电路研究院。")
    assert found == ["中国科学院大学智能制造学院", "福州大学微电子研究院", "天津大学集成电路研究院"]
    assert partners("鼓励北京、上海等发达城市人工智能产业的转移落地。") == []


def test_nouns_joined_by_with_inside_a_name_say_nothing_of_partners() -> None:
    text = "北京大学三明研究院设立大数据与人工智能实验室,我市与吉林大学签订战略合作协议。"
    assert "人工智能实验室" not in partners(text) and "吉林大学" in partners(text)


def test_regions_are_no_partners_and_city_clusters_stand_for_their_cities() -> None:
    assert partners("积极融入成都平原经济区协同发展,深化与长株潭合作。") == ["长沙市", "株洲市", "湘潭市"]
    assert partners("加强与武汉市属企业对接合作。") == []


def test_a_provinces_own_document_cooperates_as_the_province() -> None:
    record = extract_text("湖北省科技创新行动方案\n湖北省人民政府\n加强与中国科学院合作。", "x.txt")
    found = [(r["source"]["name"], r["target"]["name"]) for r in record["relations"] if r["type"] == "COOPERATES_WITH"]
    assert found == [("湖北省", "中国科学院")]


def test_a_ministry_is_a_partner_only_when_the_city_works_with_it() -> None:
    assert partners("深化与科技部、中科院等全面合作。") == ["中华人民共和国科学技术部", "中国科学院"]
    assert partners("争取科技部支持,推进产学研合作。") == []
