// Chinese first, English switchable: one table, one lookup, the choice kept in localStorage.
const TABLE = {
  zh: {
    "app.title": "科技政策知识图谱",
    "nav.search": "搜索",
    "nav.graph": "关系图",
    "nav.matrix": "合作矩阵",
    "nav.targets": "目标",
    "nav.map": "地图",
    "nav.queries": "查询",
    "nav.cypher": "Cypher",
    "nav.documents": "文件",
    "lang.switch": "English",
    skip: "跳到主要内容",
    "nav.label": "主导航",
    "nav.api": "API",
    "search.label": "搜索实体",
    "search.placeholder": "搜索机构、城市、平台……（支持简称，如 中科院）",
    "search.button": "搜索",
    "search.none": "没有找到“{q}”。",
    "search.hint": "输入名称或简称开始搜索。",
    "search.aliases": "又称",
    "search.examples": "试试：",
    "graph.fit": "适应窗口",
    "graph.zoomIn": "放大",
    "graph.zoomOut": "缩小",
    "graph.png": "导出 PNG",
    "graph.relayout": "重新布局",
    "graph.types": "实体类型",
    "graph.years": "年份",
    "graph.legend": "图例",
    "graph.relations": "关系",
    "graph.hint": "点击节点展开其关系，点击连线查看原文证据。",
    "graph.expand": "展开邻居",
    "graph.recentre": "以此为中心",
    "graph.expanded": "已展开",
    "graph.nodes": "{n} 个节点，{e} 条关系",
    "graph.empty": "该实体暂无关系。",
    "graph.missing": "请先搜索一个实体。",
    "evidence.title": "证据",
    "evidence.none": "没有找到支持这条关系的句子。",
    "evidence.count": "{n} 条证据",
    "evidence.open": "在原文中查看",
    "evidence.docs": "{n} 份文件",
    "evidence.confidence": "置信度",
    "matrix.title": "城市 × 机构 合作矩阵",
    "matrix.sortRows": "城市排序",
    "matrix.sortCols": "机构排序",
    "matrix.byName": "按名称",
    "matrix.byTotal": "按合计",
    "matrix.total": "合计",
    "matrix.hint": "点击单元格查看证据；点击表头按该列排序。",
    "matrix.empty": "暂无合作数据。",
    "targets.metric": "指标",
    "targets.choose": "选择一个指标",
    "targets.empty": "该指标暂无目标。",
    "targets.city": "城市",
    "targets.year": "年份",
    "targets.value": "目标值",
    "targets.unit": "单位",
    "targets.text": "原文",
    "map.title": "城市与合作",
    "map.hint": "机构画在其所在城市旁；连线表示合作。",
    "map.empty": "暂无带坐标的地区。",
    "map.unplaced": "位置不明、未画出的 {n} 个：",
    "map.wholeChina": "全国范围",
    "map.fitData": "只看有数据的地区",
    "map.places": "城市、地区",
    "map.partners": "机构等合作方（画在其所在城市旁）",
    "map.placeLinks": "地区间合作",
    "map.partnerLinks": "与合作方的合作",
    "queries.title": "常用查询",
    "queries.run": "运行",
    "queries.table": "表格",
    "queries.graph": "图",
    "queries.rows": "{n} 行",
    "queries.none": "没有结果。",
    "queries.cypher": "查看 Cypher",
    "cypher.title": "Cypher 查询（只读）",
    "cypher.params": "参数（JSON）",
    "cypher.run": "运行",
    "cypher.truncated": "结果已截断。",
    "cypher.badParams": "参数不是合法的 JSON 对象。",
    "docs.title": "文件",
    "docs.titleCol": "标题",
    "docs.city": "城市",
    "docs.province": "省份",
    "docs.year": "年份",
    "docs.number": "文号",
    "docs.outline": "目录",
    "docs.spans": "抽取的实体",
    "docs.targets": "目标",
    "docs.relations": "关系",
    "docs.empty": "暂无文件。",
    "docs.back": "返回文件列表",
    error: "出错了：{message}",
    loading: "加载中……",
    "home.intro": "查找城市、机构、平台、计划之间的合作关系，每条关系都能追溯到原文句子。",
  },
  en: {
    "app.title": "S&T Policy Knowledge Graph",
    "nav.search": "Search",
    "nav.graph": "Graph",
    "nav.matrix": "Matrix",
    "nav.targets": "Targets",
    "nav.map": "Map",
    "nav.queries": "Queries",
    "nav.cypher": "Cypher",
    "nav.documents": "Documents",
    "lang.switch": "中文",
    skip: "Skip to the content",
    "nav.label": "Main navigation",
    "nav.api": "API",
    "search.label": "Search entities",
    "search.placeholder": "Search institutions, cities, platforms… (aliases work, e.g. 中科院)",
    "search.button": "Search",
    "search.none": "Nothing found for “{q}”.",
    "search.hint": "Type a name or an alias.",
    "search.aliases": "also",
    "search.examples": "Try:",
    "graph.fit": "Fit",
    "graph.zoomIn": "Zoom in",
    "graph.zoomOut": "Zoom out",
    "graph.png": "Export PNG",
    "graph.relayout": "Re-layout",
    "graph.types": "Entity types",
    "graph.years": "Years",
    "graph.legend": "Legend",
    "graph.relations": "Relationships",
    "graph.hint": "Click a node to expand it, click an edge to read the evidence.",
    "graph.expand": "Expand neighbours",
    "graph.recentre": "Centre on this",
    "graph.expanded": "expanded",
    "graph.nodes": "{n} nodes, {e} relationships",
    "graph.empty": "This entity has no relationships yet.",
    "graph.missing": "Search for an entity first.",
    "evidence.title": "Evidence",
    "evidence.none": "No sentence supports this relationship.",
    "evidence.count": "{n} pieces of evidence",
    "evidence.open": "Show in document",
    "evidence.docs": "{n} documents",
    "evidence.confidence": "confidence",
    "matrix.title": "Cities × institutions",
    "matrix.sortRows": "Sort cities",
    "matrix.sortCols": "Sort institutions",
    "matrix.byName": "by name",
    "matrix.byTotal": "by total",
    "matrix.total": "Total",
    "matrix.hint": "Click a cell for the evidence; click a header to sort by that column.",
    "matrix.empty": "No cooperation yet.",
    "targets.metric": "Metric",
    "targets.choose": "Choose a metric",
    "targets.empty": "No targets for this metric.",
    "targets.city": "City",
    "targets.year": "Year",
    "targets.value": "Target",
    "targets.unit": "Unit",
    "targets.text": "Text",
    "map.title": "Cities and cooperation",
    "map.hint": "Institutions are drawn next to their city; lines are cooperation.",
    "map.empty": "No areas with coordinates yet.",
    "map.unplaced": "{n} not drawn, their place unknown:",
    "map.wholeChina": "the whole of China",
    "map.fitData": "fit to the data",
    "map.places": "cities, areas",
    "map.partners": "institutions and other partners (next to their city)",
    "map.placeLinks": "cooperation between areas",
    "map.partnerLinks": "cooperation with partners",
    "queries.title": "Curated queries",
    "queries.run": "Run",
    "queries.table": "Table",
    "queries.graph": "Graph",
    "queries.rows": "{n} rows",
    "queries.none": "No results.",
    "queries.cypher": "Show Cypher",
    "cypher.title": "Cypher (read-only)",
    "cypher.params": "Parameters (JSON)",
    "cypher.run": "Run",
    "cypher.truncated": "The result was truncated.",
    "cypher.badParams": "The parameters are not a JSON object.",
    "docs.title": "Documents",
    "docs.titleCol": "Title",
    "docs.city": "City",
    "docs.province": "Province",
    "docs.year": "Year",
    "docs.number": "Doc. no.",
    "docs.outline": "Outline",
    "docs.spans": "Extracted entities",
    "docs.targets": "Targets",
    "docs.relations": "Relationships",
    "docs.empty": "No documents yet.",
    "docs.back": "Back to the documents",
    error: "Something went wrong: {message}",
    loading: "Loading…",
    "home.intro":
      "Find who cooperates with whom: cities, institutions, platforms and programmes, every link traced to its sentence.",
  },
};

const TYPE_NAMES = {
  Province: ["省", "Province"],
  City: ["城市", "City"],
  County: ["区县", "County"],
  Agency: ["机关", "Agency"],
  Institution: ["机构", "Institution"],
  Enterprise: ["企业", "Enterprise"],
  Platform: ["平台", "Platform"],
  Program: ["计划", "Programme"],
  Target: ["目标", "Target"],
  Metric: ["指标", "Metric"],
  Industry: ["产业", "Industry"],
  Document: ["文件", "Document"],
  Section: ["章节", "Section"],
};

const RELATION_NAMES = {
  COOPERATES_WITH: ["合作", "cooperates with"],
  PART_OF: ["隶属", "part of"],
  LOCATED_IN: ["位于", "located in"],
  BUILDS: ["建设", "builds"],
  OPERATED_BY: ["运营方", "operated by"],
  IMPLEMENTS: ["实施", "implements"],
  SETS_TARGET: ["设定目标", "sets target"],
  MEASURES: ["衡量", "measures"],
  PRIORITIZES: ["重点发展", "prioritises"],
  ISSUED_BY: ["发文机关", "issued by"],
  ABOUT: ["涉及地区", "about"],
  CITES: ["引用", "cites"],
  MENTIONS: ["提及", "mentions"],
};

const listeners = new Set();
let lang = localStorage.getItem("policykg.lang") === "en" ? "en" : "zh";

export function currentLang() {
  return lang;
}

export function setLang(next) {
  lang = next === "en" ? "en" : "zh";
  localStorage.setItem("policykg.lang", lang);
  document.documentElement.lang = lang;
  listeners.forEach((listener) => listener(lang));
}

export function onLangChange(listener) {
  listeners.add(listener);
}

/** The text for a key, with {name} placeholders filled; a missing key shows itself so it gets noticed. */
export function t(key, values = {}) {
  const text = TABLE[lang][key] ?? TABLE.zh[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => String(values[name] ?? ""));
}

export function typeName(type) {
  const names = TYPE_NAMES[type];
  return names ? names[lang === "zh" ? 0 : 1] : type;
}

export function relationName(type) {
  const names = RELATION_NAMES[type];
  return names ? names[lang === "zh" ? 0 : 1] : type;
}

/** Fill every element marked data-i18n (text) or data-i18n-placeholder (input hint) in the static shell. */
export function translateShell(root = document) {
  root.querySelectorAll("[data-i18n]").forEach((el) => {
    el.textContent = t(el.dataset.i18n);
  });
  root.querySelectorAll("[data-i18n-placeholder]").forEach((el) => {
    el.placeholder = t(el.dataset.i18nPlaceholder);
  });
  root.querySelectorAll("[data-i18n-aria]").forEach((el) => {
    el.setAttribute("aria-label", t(el.dataset.i18nAria));
  });
  document.title = `${t("app.title")} · policykg`;
}
