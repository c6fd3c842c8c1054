// The curated queries as forms in the page's language: what each answers, labelled parameters, a table of text
// (lists joined, links to entities, documents and evidence) or a graph of the entities in the rows.
import { getJSON } from "../api.js";
import { cellText, dataTable, entityHref, errorMessage, exportLinks, h, message, viewTabs } from "../dom.js";
import { currentLang, relationName, t, typeName } from "../i18n.js";
import { routeHref } from "../router.js";

// Column names as users read them; a column not listed shows its own name.
const COLUMNS = {
  city: ["城市", "City"],
  partner: ["合作方", "Partner"],
  partner_type: ["合作方类型", "Partner type"],
  institution: ["机构", "Institution"],
  institutions: ["机构", "Institutions"],
  partners: ["合作方", "Partners"],
  documents: ["文件数", "Documents"],
  years: ["年份", "Years"],
  year: ["年份", "Year"],
  sentence: ["原文句子", "Sentence"],
  title: ["文件标题", "Document title"],
  evidence: ["证据", "Evidence"],
  via: ["通过", "Through"],
  paths: ["合作路径", "Path"],
  kinds: ["合作形式", "Kind"],
  platform: ["平台", "Platform"],
  platform_type: ["平台类型", "Platform type"],
  level: ["级别", "Level"],
  programme: ["制度或计划", "Programme"],
  since: ["最早年份", "Since"],
  metric: ["指标", "Metric"],
  value: ["数值", "Value"],
  unit: ["单位", "Unit"],
  comparator: ["比较", "Comparator"],
  normalised_value: ["换算值", "Normalised value"],
  normalised_unit: ["换算单位", "Normalised unit"],
  text: ["原文", "Text"],
  document: ["文件", "Document"],
  doc_number: ["文号", "Doc. no."],
  targets: ["目标", "Targets"],
  cities: ["城市数", "Cities"],
  city_names: ["合作城市", "Partner cities"],
  names: ["路径", "Path"],
  types: ["关系", "Relationships"],
  hops: ["步数", "Hops"],
  kind: ["类型", "Kind"],
  type: ["类型", "Type"],
  source: ["起点", "From"],
  target: ["终点", "To"],
  name: ["名称", "Name"],
  aliases: ["又称", "Also"],
  fact: ["目标/实际", "Target/result"],
  stated_metric: ["原文指标", "Metric as stated"],
  part: ["所在部分", "Part"],
};
const FACT_KINDS = new Set(["stock", "flow", "growth", "ratio"]);
const PARTS = { review: ["回顾", "review"], plan: ["部署", "plan"], other: ["其他", "other"] };
// Columns that only serve links (ids, offsets) or repeat another column: not shown.
const HIDDEN = /(_id|^start$|^end$|^ids$|^metric_id$|^normalised_value_max$|^score$|^extractor$)/;

function columnLabel(column) {
  const names = COLUMNS[column];
  return names ? names[currentLang() === "zh" ? 0 : 1] : column;
}

function queryTitle(query) {
  return currentLang() === "zh" ? query.title_zh : query.title_en;
}

function querySummary(query) {
  return (currentLang() === "zh" ? query.summary_zh : query.summary_en) || query.description;
}

function parameterLabel(parameter) {
  return (currentLang() === "zh" ? parameter.label_zh : parameter.label_en) || parameter.name;
}

/** Pairs of columns a row links: name columns with a matching "<name>_id" column, e.g. city/city_id. */
function entityColumns(columns) {
  return columns.filter((column) => columns.includes(`${column}_id`));
}

function rowsGraph(columns, rows) {
  const entities = entityColumns(columns);
  const container = h("div", { class: "query-graph", role: "img", "aria-label": t("queries.graph") });
  const nodes = new Map();
  const edges = new Map();
  for (const row of rows) {
    const ids = entities
      .filter((column) => row[`${column}_id`])
      .map((column) => {
        const id = row[`${column}_id`];
        nodes.set(id, { data: { id, label: row[column], column } });
        return id;
      });
    for (let i = 1; i < ids.length; i += 1) {
      const id = `${ids[0]}→${ids[i]}`;
      edges.set(id, { data: { id, source: ids[0], target: ids[i] } });
    }
  }
  requestAnimationFrame(() => {
    const graph = cytoscape({
      container,
      elements: [...nodes.values(), ...edges.values()],
      style: [
        {
          selector: "node",
          style: {
            label: "data(label)",
            "font-size": 11,
            "text-valign": "bottom",
            width: 18,
            height: 18,
            "background-color": "#0f4c81",
          },
        },
        { selector: `node[column != "${entities[0]}"]`, style: { "background-color": "#a84e10" } },
        { selector: "edge", style: { width: 1.5, "line-color": "#687b8c", "curve-style": "haystack" } },
      ],
    });
    graph.layout({ name: nodes.size <= 400 ? "fcose" : "concentric", animate: false }).run();
    graph.on("tap", "node", (event) => {
      location.hash = entityHref(event.target.id());
    });
  });
  return container;
}

/** A cooperation between the row's city and its partner: a link to the sentences behind it. */
function evidenceHref(row) {
  const source = row.city_id;
  const target = row.institution_id ?? row.partner_id;
  return source && target ? routeHref("evidence", { source, target, type: "COOPERATES_WITH" }) : null;
}

function targetText(target) {
  const comparator = target.comparator === ">=" ? "≥ " : target.comparator === "<=" ? "≤ " : "";
  const growth = target.comparator === "growth" ? (currentLang() === "zh" ? "增长 " : "growth ") : "";
  return `${target.metric ?? ""} ${growth}${comparator}${target.value ?? ""}${target.unit ?? ""}`.trim();
}

/** Cells that are more than text: entities and documents linked, evidence and targets summarised. */
function cell(column, value, row) {
  if (value === null || value === undefined || value === "") return null;
  const id = row[`${column}_id`];
  if (id) return h("a", { href: entityHref(id) }, cellText(value));
  if ((column === "document" || column === "doc_id") && typeof value === "string") {
    return h("a", { href: routeHref("document", { id: value, start: row.start, end: row.end }) }, value);
  }
  if (column === "title" && typeof row.document === "string") {
    return h("a", { href: routeHref("document", { id: row.document }) }, cellText(value));
  }
  if (column === "evidence" && Array.isArray(value)) {
    const href = evidenceHref(row);
    const text = t("queries.evidence", { n: value.length });
    return href ? h("a", { href }, text) : text;
  }
  if (column === "sentence" && evidenceHref(row)) return h("a", { href: evidenceHref(row) }, cellText(value));
  if (column === "targets" && Array.isArray(value)) return value.map(targetText).join("；");
  if (column === "names" && Array.isArray(value)) return value.join(" → ");
  if ((column === "type" || column.endsWith("_type")) && typeof value === "string") return typeName(value);
  if (column === "fact" && (value === "target" || value === "result")) return t(`targets.fact.${value}`);
  if (column === "kind" && FACT_KINDS.has(value)) return t(`targets.kind.${value}`);
  if (column === "part" && PARTS[value]) return PARTS[value][currentLang() === "zh" ? 0 : 1];
  if (column === "types" && Array.isArray(value)) return value.map(relationName).join(" → ");
  return null;
}

function queryForm(query, params) {
  const inputs = query.parameters.map((parameter) => {
    const given = params.get(parameter.name);
    const fallback = parameter.default === null || parameter.default === undefined ? "" : parameter.default;
    const id = `param-${parameter.name}`;
    const input =
      parameter.type === "boolean"
        ? h("input", {
            id,
            name: parameter.name,
            type: "checkbox",
            checked: given === null ? Boolean(fallback) : given === "true",
          })
        : h("input", {
            id,
            name: parameter.name,
            type: parameter.type === "integer" || parameter.type === "number" ? "number" : "text",
            value: given ?? fallback,
            required: parameter.required,
            title: parameter.description,
          });
    return h(
      "p",
      { class: parameter.type === "boolean" ? "param param-check" : "param" },
      h("label", { for: id }, parameterLabel(parameter)),
      input,
    );
  });
  const form = h(
    "form",
    {
      class: "query-form",
      onsubmit: (event) => {
        event.preventDefault();
        const values = { name: query.name, view: params.get("view") ?? "" };
        for (const input of form.querySelectorAll("input")) {
          values[input.name] = input.type === "checkbox" ? String(input.checked) : input.value;
        }
        location.hash = routeHref("queries", values);
      },
    },
    inputs,
    h("button", { type: "submit" }, t("queries.run")),
  );
  return form;
}

async function resultView(query, params) {
  const values = {};
  for (const parameter of query.parameters) {
    if (params.has(parameter.name)) values[parameter.name] = params.get(parameter.name);
  }
  const path = `/api/queries/${encodeURIComponent(query.name)}`;
  const result = await getJSON(path, values);
  const links = exportLinks(path, values);
  if (!result.rows.length) return h("div", {}, message(t("queries.none")), links);
  const graphable = entityColumns(result.columns).length >= 2;
  const asGraph = graphable && params.get("view") === "graph";
  const switcher = graphable ? viewTabs("queries", params, ["table", "graph"], asGraph ? "graph" : "table") : null;
  const shown = result.columns.filter((column) => !HIDDEN.test(column));
  return h(
    "div",
    {},
    h("p", { class: "muted" }, t("queries.rows", { n: result.rows.length })),
    links,
    switcher,
    asGraph ? rowsGraph(result.columns, result.rows) : dataTable(shown, result.rows, { label: columnLabel, cell }),
  );
}

export async function render(root, params) {
  const catalogue = await getJSON("/api/queries");
  const chosen = catalogue.find((query) => query.name === params.get("name"));
  const list = h(
    "ul",
    { class: "query-list" },
    catalogue.map((query) =>
      h(
        "li",
        {},
        h(
          "a",
          {
            href: routeHref("queries", { name: query.name }),
            class: query === chosen ? "active" : "",
            "aria-current": query === chosen ? "page" : null,
          },
          queryTitle(query),
        ),
      ),
    ),
  );
  const main = h("div", { class: "page" });
  root.replaceChildren(
    h(
      "section",
      { class: "queries" },
      h("nav", { class: "side-nav", "aria-label": t("queries.title") }, h("h2", {}, t("queries.title")), list),
      main,
    ),
  );
  if (!chosen) {
    main.append(message(t("queries.pick")));
    return;
  }
  main.append(
    h("h2", {}, queryTitle(chosen)),
    h("p", {}, querySummary(chosen)),
    queryForm(chosen, params),
    h(
      "details",
      {},
      h("summary", {}, t("queries.cypher")),
      h("p", { class: "muted" }, chosen.description),
      h("pre", {}, chosen.cypher),
    ),
  );
  if (!params.has("name") || [...params.keys()].length < 2) return;
  const output = h("div", { "aria-live": "polite" }, message(t("loading")));
  main.append(output);
  try {
    output.replaceChildren(await resultView(chosen, params));
  } catch (error) {
    output.replaceChildren(errorMessage(error));
  }
}
