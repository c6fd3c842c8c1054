"""Resolution against the document's own place: canonical names, codes, parents, abbreviations."""

from __future__ import annotations

from policykg.ingest import steps
from policykg.ingest.candidates.relative import abbreviation_candidates, relative_province_candidates
from policykg.ingest.place import document_place
from policykg.ingest.record import AreaRef, Entity
from policykg.ingest.resolution import platform_key, resolve
from policykg.ingest.sources import find_candidates


def entities_of(
    text: str, city: str | None = "三明市", province: str | None = "福建省", county: str | None = None
) -> dict[str, Entity]:
    candidates = find_candidates(text)
    place = document_place(city, province, county)
    entities, _ = resolve(candidates + abbreviation_candidates(text, place), place)
    return {e["name"]: e for e in entities}


def located(entity: Entity) -> AreaRef:
    place = entity.get("located_in")
    assert place is not None, f"{entity['name']} is placed nowhere"
    return place


def parent_of(entity: Entity) -> dict[str, str]:
    parent = entity.get("parent")
    assert parent is not None, f"{entity['name']} has no parent"
    return parent


def test_relative_references_resolve_against_the_documents_place() -> None:
    found = entities_of("市农科院、市科技局和省科技厅联合推进。市政府召开会议。")
    assert {"三明市农业科学研究院", "三明市科学技术局", "福建省科学技术厅", "三明市人民政府"} <= set(found)
    assert found["三明市农业科学研究院"]["aliases"] == ["市农科院"]


def test_the_same_relative_name_resolves_per_document() -> None:
    assert "六安市科学技术局" in entities_of("市科技局牵头。", "六安市", "安徽省")


def test_cas_alias_becomes_the_academy_and_institutes_belong_to_it() -> None:
    found = entities_of("与中科院、中科院沈阳分院合作。")
    assert found["中国科学院"]["aliases"] == ["中科院"]
    assert found["中国科学院沈阳分院"]["parent"] == {"type": "Institution", "name": "中国科学院"}


def test_areas_get_code_parent_and_coordinates() -> None:
    found = entities_of("沙县、三明市与福建省。")
    county, city = found["沙县区"], found["三明市"]
    assert county["code"] == "350427" and county["parent"] == {"type": "City", "name": "三明市", "code": "350400"}
    assert parent_of(city)["name"] == "福建省" and set(city["attributes"]) == {"lon", "lat"}


def test_a_county_short_name_elsewhere_is_a_word_not_a_place() -> None:
    """合作 is also 合作市 in Gansu: in a Fujian plan it is a word."""
    assert not [e for e in entities_of("加强合作。").values() if e["type"] == "County"]


def test_province_abbreviations_in_pairs() -> None:
    found = entities_of("深化京闽科技合作,签订沪明科技对口合作框架协议。")
    assert "京" in found["北京市"]["aliases"] and "沪" in found["上海市"]["aliases"]
    assert "闽" in found["福建省"]["aliases"] and "明" in found["三明市"]["aliases"]


def test_a_neighbour_city_by_its_first_character() -> None:
    assert "合" in entities_of("抢抓合六同城化机遇。", "六安市", "安徽省")["合肥市"]["aliases"]


def test_forms_of_one_park_merge_into_one_entity() -> None:
    assert platform_key("三明高新区") == platform_key("三明国家高新技术产业开发区") == "三明高新技术产业开发区"
    assert platform_key("六安市经开区") == platform_key("六安经济技术开发区")


def test_without_a_known_place_relative_names_stay_unresolved_and_unlinked() -> None:
    """科技创新和产业创新 holds 新和 (a county of 阿克苏): no guess from substrings makes 市科技局 阿克苏's."""
    text = "推动科技创新和产业创新深度融合,市科技局牵头,与中国科学院合作。"
    found = entities_of(text, None, None)
    assert "中国科学院" in found and not any(name.startswith(("市", "阿克苏")) for name in found)


def test_relative_names_resolve_at_every_level() -> None:
    assert "台州市椒江区科学技术局" in entities_of("区科技局会同区财政局组织实施。", "台州市", "浙江省", "椒江区")
    assert "义乌市科学技术局" in entities_of("市科技局负责。", "金华市", "浙江省", "义乌市")
    assert "恩施土家族苗族自治州人民政府" in entities_of("州政府出台意见。", "恩施土家族苗族自治州", "湖北省")
    assert "广西壮族自治区科学技术厅" in entities_of("自治区科技厅支持。", None, "广西壮族自治区")


def test_party_committees_resolve_to_their_full_names() -> None:
    found = entities_of("市委、省委和中共武汉市委。", "咸宁市", "湖北省")
    assert {"中共咸宁市委员会", "中共湖北省委员会", "中共武汉市委员会"} <= set(found)


def test_a_park_named_without_its_city_is_the_same_park() -> None:
    found = entities_of("全面对接武汉东湖高新区,加强与东湖高新区沟通合作。", "咸宁市", "湖北省")
    assert "东湖高新区" in found["武汉东湖新技术开发区"]["aliases"]  # the official list's name
    assert not [name for name in found if name.startswith("东湖")]


def test_the_citys_own_zone_by_relative_reference() -> None:
    found = entities_of("推进工大智谷落户市开发区。", "六安市", "安徽省")
    assert found["六安开发区"]["aliases"] == ["市开发区"]


def test_organisations_are_located_where_the_gazetteers_or_their_names_say() -> None:
    found = entities_of("与中科院、合肥工业大学、中国科学院沈阳分院合作，支持市农科院和三明高新区发展。")
    assert located(found["中国科学院"])["name"] == "北京市"
    assert located(found["合肥工业大学"])["name"] == "合肥市"
    assert located(found["中国科学院沈阳分院"])["name"] == "沈阳市"
    assert located(found["三明市农业科学研究院"]).get("code") == "350400"
    platform = next(e for e in found.values() if e["type"] == "Platform")
    assert located(platform)["name"] == "三明市"
    assert located(platform).get("lon") is not None  # the map places things by these


def test_location_and_hierarchy_become_separate_graph_facts(sample_records: list) -> None:
    from policykg.graph.build import build

    rows = build(next(r for r in sample_records if r["document"]["city"] == "六安市"))
    located = {(f["source"], f["target"]) for f in rows.relationships[("LOCATED_IN", "Entity", "Entity")]}
    part_of = {(f["source"], f["target"]) for f in rows.relationships[("PART_OF", "Entity", "Entity")]}
    assert ("Institution:合肥工业大学", "City:合肥市@340100") in located
    assert ("Institution:中国科学院合肥物质科学研究院", "Institution:中国科学院") in part_of
    hefei = next(n for n in rows.nodes["City"] if n["id"] == "City:合肥市@340100")
    assert hefei["props"]["lon"] and hefei["props"]["code"] == "340100"


def test_held_out_xiangyang_relative_names() -> None:
    """A bare 高新区 is the city's zone; 省 in 省科技厅 names the province; a kind after a place's award shares it."""
    text = "推进高新区创建国家高新区,争取省科技厅支持,申报省科技成果转化奖、科技进步奖。"
    candidates = find_candidates(text)
    place = document_place("襄阳市", "湖北省")
    entities, _ = resolve(candidates + relative_province_candidates(candidates, place), place)
    found = {e["name"]: e for e in entities}
    assert found["襄阳高新技术产业开发区"]["aliases"] == ["高新区"]
    assert {"湖北省科学技术厅", "湖北省科技成果转化奖", "湖北省科技进步奖", "湖北省"} <= set(found)
    assert found["湖北省"]["code"] == "420000"


def test_standing_committees_are_named_without_their_term() -> None:
    found = entities_of(
        "市十二届人大常委会第二十二次会议通过,浙江省第十二届人民代表大会常务委员会批准。", "杭州市", "浙江省"
    )
    assert found["杭州市人民代表大会常务委员会"]["aliases"] == ["市十二届人大常委会"]
    assert "浙江省人民代表大会常务委员会" in found


def test_a_programme_named_without_its_place_is_the_documents_own() -> None:
    found = entities_of("开展南阳市科技成果转化行动,落实“科技成果转化行动”。", "南阳市", "河南省")
    programmes = [name for name, e in found.items() if e["type"] == "Program"]
    assert programmes == ["南阳市科技成果转化行动"]


def test_a_county_of_another_city_named_short_is_a_word() -> None:
    """泰山 (a district of 泰安) in a 菏泽 plan names the mountain of a programme, not the district."""
    found = entities_of("争取入选泰山产业领军人才工程,推动郓城发展。", "菏泽市", "山东省")
    assert "泰山区" not in found and "郓城县" in found


def test_a_bare_economic_development_zone_is_the_citys_own_and_a_supercomputing_centre_is_listed() -> None:
    found = entities_of("构建以高新区、经开区为核心的园区体系,租用国家超级计算济南中心服务器。", "济南市", "山东省")
    assert found["济南经济技术开发区"]["aliases"] == ["经开区"]
    assert "国家超级计算济南中心" in found


def test_a_short_name_of_areas_at_two_levels_is_the_one_near_the_document() -> None:
    text = "讷河、甘南跻身全省县域经济十强,朝阳产业加快发展。"

    def names(city: str, province: str) -> dict[str, Entity]:
        view = steps.read(text)
        resolved = steps.resolution(view, steps.candidates(view), document_place(city, province))
        return {entity["name"]: entity for entity in resolved.entities}

    found = names("齐齐哈尔市", "黑龙江省")
    assert {"讷河市", "甘南县", "黑龙江省"} <= set(found) and "甘南藏族自治州" not in found
    assert found["黑龙江省"]["aliases"] == ["全省"]
    assert "甘南藏族自治州" in names("兰州市", "甘肃省")
    assert not any(name.startswith("朝阳") for name in names("贵阳市", "贵州省"))


def test_short_forms_of_bodies_expand_to_their_official_names() -> None:
    found = entities_of("责任单位:市国资委、市人力资源社会保障局、三明高新区管委会。")
    assert {"三明市国有资产监督管理委员会", "三明市人力资源和社会保障局"} <= set(found)
    assert any(name.endswith("管理委员会") for name in found)


def test_a_regions_party_committee_and_government_are_two_bodies() -> None:
    found = entities_of("落实党中央国务院、自治区党委政府部署。", "包头市", "内蒙古自治区")
    assert "中共内蒙古自治区委员会" in found
    assert not any("党委" in name and "政府" in name for name in found)
