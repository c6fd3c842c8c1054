"""The gazetteers: areas with codes, hierarchy, renames and coordinates; universities; CAS."""

from __future__ import annotations

from pathlib import Path

from policykg.lexicon import gazetteer, official


def test_county_city_province_hierarchy_with_codes() -> None:
    table = gazetteer.areas()
    county = table.lookup("鄄城县")[0]
    city = table.parent(county)
    assert county.code == "371726" and county.level == "County"
    assert city is not None and city.name == "菏泽市" and city.level == "City"
    assert table.province_of(county).name == "山东省"


def test_a_renamed_county_keeps_its_former_name() -> None:
    """沙县 became 沙县区 in 2021; plans from before still say 沙县."""
    found = gazetteer.areas().lookup("沙县")
    assert [a.name for a in found] == ["沙县区"]


def test_cities_carry_coordinates_for_the_map() -> None:
    sanming = gazetteer.areas().lookup("三明市", "City")[0]
    assert sanming.lon is not None and 117 < sanming.lon < 118.5
    assert sanming.lat is not None and 25.5 < sanming.lat < 27


def test_universities_come_with_their_city() -> None:
    by_name = {u.name: u for u in gazetteer.universities()}
    assert len(by_name) > 2500
    assert by_name["皖西学院"].city == "六安市"
    assert by_name["湖北科技学院"].city == "咸宁市"


def test_cas_institutes_belong_to_cas() -> None:
    units = {u.name: u for u in official.listed() if u.listed_in == "cas_institutes"}
    assert len(units) >= 100
    institute = units["中国科学院合肥物质科学研究院"]
    assert institute.parent == "中国科学院" and "合肥物质研究院" in institute.aliases
    assert units["中国科学院沈阳分院"].city == "沈阳市"


def test_vocabularies_skip_their_header_row() -> None:
    cues = gazetteer.words("cooperation_cues.tsv")
    assert "合作" in cues and "cue" not in cues


def test_every_word_list_says_what_it_is_and_where_it_comes_from() -> None:
    data = Path(gazetteer.__file__).parent / "data"
    files = sorted(data.rglob("*.tsv"))
    assert len(files) > 30
    unexplained = [
        str(path.relative_to(data)) for path in files if not path.read_text(encoding="utf-8").startswith("#")
    ]
    assert unexplained == []
