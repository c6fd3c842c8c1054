"""Entity candidates from gazetteers and suffix rules: named and specific things only."""

from __future__ import annotations

from policykg.ingest.sources import find_candidates


def surfaces(text: str, entity_type: str) -> list[str]:
    return [c.surface for c in find_candidates(text) if c.type == entity_type]


def test_a_name_found_by_its_suffix_starts_after_the_verb_before_it() -> None:
    text = "加快建设崇阳县钒产业技术研究院,推进三明中关村科技园建设。"
    assert surfaces(text, "Platform") == ["崇阳县钒产业技术研究院", "三明中关村科技园"]


def test_platform_type_and_level_are_attributes() -> None:
    found = [c for c in find_candidates("支持咸宁国家农业科技园区建设。") if c.type == "Platform"]
    assert found[0].attributes == {"platform_type": "农业科技园区", "level": "国家级"}


def test_generic_phrases_are_not_entities() -> None:
    text = "鼓励高校院所与龙头企业合作,建设一批省级重点实验室和各类孵化器,新增众创空间3家。"
    assert [c for c in find_candidates(text) if not c.codes] == []


def test_universities_and_cas_come_from_the_gazetteers() -> None:
    text = "加强与中国科学院、中国工程院、扬州大学、大连理工大学的合作。"
    found = {c.surface: c.key for c in find_candidates(text) if c.type == "Institution"}
    assert found == {
        "中国科学院": "中国科学院",
        "中国工程院": "中国工程院",
        "扬州大学": "扬州大学",
        "大连理工大学": "大连理工大学",
        "大连理工": "大连理工大学",  # the official list's abbreviation, inside the full name: select() keeps the longer
    }


def test_an_alias_maps_to_the_cas_institute() -> None:
    found = [c for c in find_candidates("做实做细与合肥物质研究院合作。") if c.type == "Institution"]
    assert [(c.surface, c.key) for c in found] == [("合肥物质研究院", "中国科学院合肥物质科学研究院")]


def test_a_place_inside_a_name_is_also_a_mention_of_the_place() -> None:
    found = {c.surface: c.type for c in find_candidates("全面对接武汉东湖高新区。")}
    assert found["武汉东湖高新区"] == "Platform" and found["武汉"] == "City"


def test_counts_and_outline_markers_are_not_part_of_a_name() -> None:
    text = "(一)创新主体扩容行动。新建3家产业技术研究院,新增三个省级重点实验室。"
    assert surfaces(text, "Program") == ["创新主体扩容行动"]
    assert surfaces(text, "Platform") == []


def test_quoted_terms_count_only_when_they_name_a_scheme() -> None:
    text = "宣传“科技贷”“科特贷”等政策,做到“两个维护”,以“揭榜挂帅”形式组织攻关。"
    assert surfaces(text, "Program") == ["“科技贷”", "“科特贷”", "揭榜挂帅"]  # the last from the official list


def test_an_agency_is_named_by_its_place() -> None:
    text = "加强与北京市科委、省科技厅的沟通对接,建设法治政府。"
    assert surfaces(text, "Agency") == ["北京市科委", "省科技厅"]


def test_a_kind_of_platform_made_of_common_words_is_not_a_name() -> None:
    text = "积极培育特色产业园,建设专业化科技企业孵化器和推广示范基地,支持横沟科技城建设。"
    assert surfaces(text, "Platform") == ["横沟科技城"]


def test_a_level_word_after_a_platforms_name_is_its_level() -> None:
    found = [c for c in find_candidates("支持启迪之星创客空间国家级众创空间创建。") if c.type == "Platform"]
    assert [(c.surface, c.attributes["level"]) for c in found] == [("启迪之星创客空间", "国家级")]


def test_a_suffix_that_starts_another_word_ends_no_name() -> None:
    text = "修订“市科学技术奖励办法”,与高新区签订战略合作协议,培养高级工程师。"
    assert surfaces(text, "Program") == []


def test_words_holding_a_boundary_character_stay_in_the_name() -> None:
    text = "组建闽西南协同发展区科研平台联盟,实施“科技创新服务企业”行动,力争2024年市开发区扩区。"
    assert surfaces(text, "Platform") == ["闽西南协同发展区科研平台联盟", "市开发区"]
    assert surfaces(text, "Program") == ["“科技创新服务企业”行动"]


# Held-out paragraphs in the genre for cities the samples do not cover: they guard generality.
XIANYANG_2015 = (
    "三、深化开放合作。加强与西北农林科技大学、中国科学院西安光学精密机械研究所的产学研合作,"
    "推进咸阳高新区和杨凌农业高新技术产业示范区协同发展,支持彩虹集团、陕西中医药大学建设省级"
    "重点实验室,实施“科技特派员”制度,建立健全科技报告制度和科研诚信制度。"
)


def test_held_out_xianyang_paragraph() -> None:
    found = {(c.type, c.surface) for c in find_candidates(XIANYANG_2015) if not c.codes}
    assert {
        ("Institution", "西北农林科技大学"),
        ("Institution", "中国科学院西安光学精密机械研究所"),
        ("Platform", "咸阳高新区"),
        ("Institution", "陕西中医药大学"),
        ("Program", "“科技特派员”制度"),
    } <= found
    assert not {name for kind, name in found if name.endswith(("报告制度", "诚信制度", "重点实验室"))}


def test_party_committees_and_government_are_two_bodies() -> None:
    text = "贯彻落实市委市政府部署,对接省科技厅,发挥科技部门职能。"
    assert surfaces(text, "Agency") == ["市委", "市政府", "省科技厅"]


def test_names_listed_before_deng_qiye_are_companies() -> None:
    text = "组织南玻节能玻璃、真奥金银花等5家企业创建省级企校联合创新中心,支持生物医药、新能源汽车等龙头企业发展。"
    assert surfaces(text, "Enterprise") == ["南玻节能玻璃", "真奥金银花"]


XIANGYANG_2020 = (
    "组织企业参与“科技成果直通车”“校企双进”等成果对接活动,"
    "积极申报省和国家重大专项、重点研发计划、自然科学基金重大项目和省科技成果转化奖、科技进步奖。新增省工程技术研究中心5家、省科技企业孵化器2家,认定襄阳市专业技术创新中心10个;"
    "大力推进高新区创建国家高新区,深入实施技术创新提升工程,落实“河长制”、科技军民重点专项和省“重点外国专家项目”,"
    "支持武汉大学科技园襄阳分园、湖北科技大市场襄阳市场建设,落实干部联系群众“双联系”制度。"
)


def test_held_out_xiangyang_paragraph() -> None:
    found = {(c.type, c.surface) for c in find_candidates(XIANGYANG_2020) if not c.codes}
    assert {
        ("Program", "“科技成果直通车”"),
        ("Program", "“校企双进”"),  # quoted list before 等…活动
        ("Program", "重点研发计划"),
        ("Program", "自然科学基金"),  # national schemes by their short forms
        ("Program", "科技进步奖"),  # shares 省 with the award before it
        ("Program", "科技军民重点专项"),  # 重点专项 holds its verb
        ("Program", "“河长制”"),
        ("Program", "重点外国专家项目"),
        ("Program", "“双联系”制度"),
        ("Platform", "高新区"),  # the city's own zone
        ("Platform", "武汉大学科技园襄阳分园"),
        ("Platform", "湖北科技大市场襄阳市场"),
    } <= found  # branches
    # 技术创新提升工程 is two words of general Chinese before its kind: measured on the real gold, such names are
    # far more often kinds of scheme (人才工程, 产业基金) than named ones
    assert ("Program", "技术创新提升工程") not in found
    platforms = {name for kind, name in found if kind == "Platform"}
    assert not {name for name in platforms if "工程技术研究中心" in name or "孵化器" in name or "专业技术" in name}
    assert "国家高新区" not in platforms


def test_held_out_xiangyang_addressees_and_campaigns() -> None:
    text = "襄阳高新区管委会科技创新科,各县(市、区)科技局:为推进“双一流”建设,现将有关事项通知如下。"
    assert surfaces(text, "Agency") == ["襄阳高新区管委会科技创新科"]
    assert surfaces(text, "Program") == ["“双一流”建设"]


def test_a_place_before_a_certified_kind_names_the_class() -> None:
    text = "新建大庆市工程技术研究中心5个、省科技企业孵化器2家,建设江夏实验室,支持大庆高新区国家级孵化器建设。"
    assert surfaces(text, "Platform") == ["江夏实验室", "大庆高新区"]


def test_companies_listed_before_a_kind_of_company_or_project() -> None:
    text = "围绕鑫达、华芯微电子等龙头企业延链,抓好恒远新材料5000吨电池材料、嘉禾重工等项目,引进浦发银行等6家银行。"
    assert surfaces(text, "Enterprise") == ["鑫达", "华芯微电子", "恒远新材料", "嘉禾重工", "浦发银行"]


def test_listed_general_words_and_projects_are_no_companies() -> None:
    text = "培育新能源电池、智能机器人等企业,推进跨海大桥、城东污水处理厂等项目,落实股权转让、财政补贴等扶持企业措施。"
    assert surfaces(text, "Enterprise") == []


def test_a_company_found_by_its_ending_starts_after_the_verb_before_it() -> None:
    assert surfaces("鼓励中小微企业使用商业银行贷款,支持瑞丰公司扩产。", "Enterprise") == ["瑞丰公司"]


def test_government_bodies_by_their_place_and_department() -> None:
    text = (
        "（责任单位：市财政局、市投资促进局、市地方金融监管局）嘉兴市科学技术局嘉兴市财政局嘉兴市人民政府金融工作办公室"
    )
    assert surfaces(text, "Agency") == [
        "市财政局",
        "市投资促进局",
        "市地方金融监管局",
        "嘉兴市科学技术局",
        "嘉兴市财政局",
        "嘉兴市人民政府金融工作办公室",
    ]


def test_words_ending_like_a_body_and_bodies_of_every_county_are_no_names() -> None:
    text = "优化区域发展布局,形成新格局,举办活动,省厅指导,县（市、区）人民政府负责。"
    assert surfaces(text, "Agency") == []


def test_a_scheme_named_only_in_general_words_is_a_kind_not_a_name() -> None:
    text = "设立产业基金和天使基金,实施人才工程,推进高新技术企业培育计划,落实市人才工程和省“151”人才工程。"
    assert surfaces(text, "Program") == ["高新技术企业培育计划", "市人才工程", "省“151”人才工程"]


def test_a_short_name_inside_another_word_is_no_mention() -> None:
    text = "推动科技创新和产业创新,建成电商园区,拓宽金苏大道,与苏大合作。"
    found = {c.surface for c in find_candidates(text)}
    assert "新和" not in found and "成电" not in found and found >= {"苏大"}
    assert [c.surface for c in find_candidates("金苏大道") if c.type == "Institution"] == []


def test_platforms_of_every_kind_of_zone_and_their_starts() -> None:
    text = (
        "复制推广郑洛新国家自主创新示范区经验,建设泉州芯谷和东疆保税港区,分别入选省中试基地,推荐嘉兴科技金融服务平台。"
    )
    assert surfaces(text, "Platform") == [
        "郑洛新国家自主创新示范区",
        "泉州芯谷",
        "东疆保税港区",
        "嘉兴科技金融服务平台",
    ]


def test_a_bare_zone_after_a_level_is_the_class_of_zones() -> None:
    assert surfaces("省级以上高新技术产业开发区应当开放共享。", "Platform") == []
    assert surfaces("支持高新区创建国家高新区。", "Platform")[:1] == ["高新区"]


def test_kinds_of_institution_are_no_names() -> None:
    assert surfaces("办好老年大学和综合医院,支持企业研究院建设,与河南省科学院合作。", "Institution") == ["河南省科学院"]


def test_construction_projects_and_a_places_kind_of_activity_are_no_programmes() -> None:
    text = "开工姚家平水利枢纽工程和万吨磷酸二铵工程,开展杭州市科技活动,实施“金种子”行动和省“151”人才工程。"
    assert surfaces(text, "Program") == ["“金种子”行动", "省“151”人才工程"]


def test_an_article_number_or_a_note_in_brackets_is_no_part_of_a_name() -> None:
    assert surfaces("第二条区科技计划项目由区科技局组织。", "Program") == ["区科技计划"]
    assert surfaces("（此件公开发布）台州市椒江区科技计划项目管理办法", "Program") == ["台州市椒江区科技计划"]


def test_a_park_or_lab_named_in_general_words_is_a_kind_but_an_institute_is_one() -> None:
    text = "建设人工智能产业园区和公众开放实验室,组建新能源产业技术研究院,建好鹤壁科技创新园,首批国家现代农业产业园。"
    assert surfaces(text, "Platform") == ["新能源产业技术研究院", "鹤壁科技创新园"]


def test_work_plans_and_kinds_of_fund_are_no_programmes() -> None:
    text = "制定科普工作计划和年度计划,设立天使基金、创投基金,完善市场化引才机制,实施科技创新券计划。"
    assert surfaces(text, "Program") == ["科技创新券计划"]


def test_a_common_word_as_brand_before_a_trade_is_a_listed_company() -> None:
    text = "抓好东风重工、泰和实业1200头生猪屠宰加工等项目,培育储能材料、精细化工等企业。"
    assert surfaces(text, "Enterprise") == ["东风重工", "泰和实业"]


def test_a_places_mechanism_in_general_words_however_many_is_no_programme() -> None:
    text = "深化市人才发展体制机制改革,健全县优秀人才选拔培养机制,推行省“双联系”制度。"
    assert surfaces(text, "Program") == ["省“双联系”制度"]


def test_digits_a_latin_letter_follows_are_a_term_of_the_name_not_a_count() -> None:
    text = "建设5G产业示范基地、3D打印产业园和3GW鑫达电子材料产业园。"
    assert surfaces(text, "Platform") == ["5G产业示范基地", "3D打印产业园", "鑫达电子材料产业园"]


def test_a_banks_branch_is_a_company_but_a_branch_of_banks_is_none() -> None:
    text = "中信银行贵阳分行开业,促进花旗银行等6家银行贵阳分行挂牌,细分行业龙头加快成长。"
    assert surfaces(text, "Enterprise") == ["中信银行贵阳分行", "花旗银行"]


def test_after_deng_or_levels_comes_a_kind_unless_a_place_names_it() -> None:
    text = (
        "开发应用程序等智慧服务平台,新增国家、省、市三级企业技术中心,"
        "建设台湾农民创业园等海峡两岸（福州）农业合作试验区。"
    )
    assert surfaces(text, "Platform") == ["台湾农民创业园", "海峡两岸（福州）农业合作试验区"]
    assert surfaces("实施科技企业三级梯度培育计划,建立技术转移机构或者技术创新联盟。", "Program") == [
        "科技企业三级梯度培育计划"
    ]


def test_a_company_needs_two_characters_of_name_before_its_kind() -> None:
    text = "推动新钢集团做大,培育大集团,组建子公司。"
    assert surfaces(text, "Enterprise") == ["新钢集团"]


def test_zhuanxiang_before_another_noun_qualifies_it() -> None:
    text = "开展扬尘污染专项整治,编制七大战略性新兴产业发展专项规划,实施国家科技重大专项。"
    assert surfaces(text, "Program") == ["国家科技重大专项"]


def test_a_name_does_not_begin_before_a_bracket_it_leaves_open() -> None:
    text = "“211”院校（不包括二级学院）毕业生,国家“211”工程院校毕业生,建设广东省实验室河源分中心（灯塔实验室）。"
    assert not any("（" in surface or "院校" in surface for surface in surfaces(text, "Institution"))
    assert surfaces(text, "Platform") == ["广东省实验室河源分中心", "灯塔实验室"]


def test_a_list_mostly_of_trades_or_projects_names_no_companies() -> None:
    text = "推进石墨烯、新能源电池、北斗导航、航空制造等新技术企业,抓好河道整治、危桥改造、城铁综合体等项目。"
    assert surfaces(text, "Enterprise") == []


def test_verbs_of_setting_up_and_including_end_the_text_before_a_name() -> None:
    text = "鼓励高校在我市落地设置鑫达人工智能研究院,“211”院校（不包括二级学院）毕业生。"
    assert surfaces(text, "Institution") == ["鑫达人工智能研究院"]


def test_a_place_before_its_level_names_the_class_it_certifies() -> None:
    text = "对新认定的国家、省和嘉兴市级众创空间给予奖励,优先安排平湖市级重大科技计划项目。"
    assert surfaces(text, "Platform") == [] and surfaces(text, "Program") == []


def test_a_walk_stopped_by_its_length_starts_at_a_word() -> None:
    assert surfaces("突破。布局海洋人工智能大模型领域重大科技专项", "Program") == ["海洋人工智能大模型领域重大科技专项"]


def test_verbs_of_winning_end_the_text_before_a_name() -> None:
    text = "数据园获评国家新型工业化产业示范基地,河源分中心（灯塔实验室）获省人民政府批复,按有关创新企业研究院办法。"
    assert surfaces(text, "Platform") == ["国家新型工业化产业示范基地", "河源分中心", "灯塔实验室"]
    assert surfaces(text, "Agency") == ["省人民政府"] and surfaces(text, "Institution") == []


def test_words_that_continue_a_suffix_or_hold_a_boundary() -> None:
    text = "承接6000多名内工大学生,申报中国文化艺术政府奖,实施现代服务业提速计划。"
    assert surfaces(text, "Institution") == [] and surfaces(text, "Agency") == []
    assert surfaces(text, "Program") == ["现代服务业提速计划"]


def test_a_platform_that_is_also_an_area_is_read_without_error() -> None:
    assert surfaces("建设苏滁现代产业园。", "Platform") == ["苏滁现代产业园"]  # an area of its own in the gazetteer
