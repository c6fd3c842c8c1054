// Read-only Cypher for researchers: the schema beside the box, Ctrl+Enter to run, a history kept in the browser,
// the answer as a table and, when it holds nodes, relationships or paths, as a graph.
import { getJSON, postJSON } from "../api.js";
import { cellText, dataTable, entityHref, errorMessage, fill, h, message, relationColor, typeStyle, viewTabs } from "../dom.js";
import { t } from "../i18n.js";
import { routeHref } from "../router.js";

const EXAMPLE =
  "MATCH (c:City)-[r:COOPERATES_WITH]->(i:Institution)\nRETURN c.name AS city, i.name AS institution, " +
  "count(DISTINCT r.doc_id) AS documents\nORDER BY documents DESC LIMIT 25";
const HISTORY_KEY = "policykg.cypherHistory";
const HISTORY_MAX = 20;

function history() {
  try {
    const saved = JSON.parse(localStorage.getItem(HISTORY_KEY) ?? "[]");
    return Array.isArray(saved) ? saved.filter((item) => typeof item?.q === "string") : [];
  } catch {
    return [];
  }
}

function remember(q, params) {
  const kept = history().filter((item) => item.q !== q || item.params !== params);
  localStorage.setItem(HISTORY_KEY, JSON.stringify([{ q, params }, ...kept].slice(0, HISTORY_MAX)));
}

function historyList() {
  const items = history();
  if (!items.length) return h("p", { class: "muted cypher-history" }, t("cypher.noHistory"));
  return h(
    "ol",
    { class: "cypher-history" },
    items.map((item) =>
      h(
        "li",
        {},
        h(
          "a",
          { href: routeHref("cypher", { q: item.q, params: item.params, run: 1 }), title: item.q },
          item.q.replace(/\s+/g, " ").slice(0, 90),
        ),
      ),
    ),
  );
}

/** The labels and relationship types to write a query against; the loader's own summaries folded away. */
async function schemaPanel(insert) {
  const panel = h("aside", { class: "side schema", "aria-label": t("cypher.schema") }, message(t("loading")));
  try {
    const schema = await getJSON("/api/schema");
    const chip = (text, snippet, title) =>
      h("button", { type: "button", class: "schema-chip", title, onclick: () => insert(snippet) }, text);
    const labelItem = (label) =>
      h(
        "li",
        {},
        chip(`:${label.label}`, `(n:${label.label})`, t("cypher.insert")),
        h("span", { class: "count" }, label.count),
        label.note ? h("p", { class: "muted small" }, label.note) : null,
        h("p", { class: "props-line" }, label.properties.join(", ")),
      );
    const data = schema.labels.filter((label) => !label.internal);
    const internal = schema.labels.filter((label) => label.internal);
    fill(
      panel,
      h("h2", {}, t("cypher.schema")),
      h("h3", { class: "small-heading" }, t("cypher.labels")),
      h("ul", { class: "schema-list" }, data.map(labelItem)),
      h("h3", { class: "small-heading" }, t("cypher.relationships")),
      h(
        "ul",
        { class: "schema-list" },
        schema.relationships.map((rel) =>
          h(
            "li",
            {},
            chip(`:${rel.type}`, `-[r:${rel.type}]->`, t("cypher.insert")),
            h("span", { class: "count" }, rel.count),
            h("p", { class: "props-line" }, rel.patterns.join(" ")),
            rel.properties.length ? h("p", { class: "props-line" }, rel.properties.join(", ")) : null,
          ),
        ),
      ),
      internal.length
        ? h(
            "details",
            {},
            h("summary", {}, t("cypher.internal", { n: internal.length })),
            h("ul", { class: "schema-list" }, internal.map(labelItem)),
          )
        : null,
      h("h3", { class: "small-heading" }, t("cypher.history")),
      historyList(),
    );
  } catch (error) {
    panel.replaceChildren(errorMessage(error));
  }
  return panel;
}

function isNode(value) {
  return value && typeof value === "object" && Array.isArray(value.labels) && value.properties && "element_id" in value;
}

function isRelationship(value) {
  return value && typeof value === "object" && typeof value.type === "string" && "start" in value && "end" in value;
}

function isPath(value) {
  return value && typeof value === "object" && Array.isArray(value.nodes) && Array.isArray(value.relationships);
}

/** Every node, relationship and path anywhere in the rows (also inside lists), as Cytoscape elements. */
export function graphElements(rows) {
  const nodes = new Map();
  const edges = new Map();
  const visit = (value) => {
    if (Array.isArray(value)) return value.forEach(visit);
    if (isPath(value)) {
      value.nodes.forEach(visit);
      value.relationships.forEach(visit);
    } else if (isNode(value)) {
      const type = value.properties.type ?? value.labels.find((label) => label !== "Entity") ?? value.labels[0];
      const style = typeStyle(type);
      nodes.set(value.element_id, {
        data: {
          id: `n${value.element_id}`,
          label: value.properties.name ?? value.properties.title ?? value.properties.id ?? type,
          entity: value.properties.id,
          color: style.color,
          shape: style.shape,
        },
      });
    } else if (isRelationship(value)) {
      edges.set(value.element_id, {
        data: {
          id: `r${value.element_id}`,
          source: `n${value.start}`,
          target: `n${value.end}`,
          label: value.type,
          color: relationColor(value.type),
        },
      });
    }
  };
  rows.forEach((row) => Object.values(row).forEach(visit));
  // A relationship whose ends were not returned cannot be drawn.
  const kept = [...edges.values()].filter(
    (edge) => nodes.has(edge.data.source.slice(1)) && nodes.has(edge.data.target.slice(1)),
  );
  return { nodes: [...nodes.values()], edges: kept };
}

function resultGraph(elements) {
  const container = h("div", { class: "query-graph", role: "img", "aria-label": t("cypher.graph") });
  requestAnimationFrame(() => {
    const graph = cytoscape({
      container,
      elements: [...elements.nodes, ...elements.edges],
      style: [
        {
          selector: "node",
          style: {
            label: "data(label)",
            "font-size": 11,
            "text-valign": "bottom",
            width: 20,
            height: 20,
            "background-color": "data(color)",
            shape: "data(shape)",
            "text-background-color": "#fff",
            "text-background-opacity": 0.8,
          },
        },
        {
          selector: "edge",
          style: {
            width: 2,
            "line-color": "data(color)",
            "target-arrow-shape": "triangle",
            "target-arrow-color": "data(color)",
            "curve-style": "bezier",
            label: "data(label)",
            "font-size": 9,
            "text-rotation": "autorotate",
            color: "#57606a",
          },
        },
      ],
    });
    window.policykgCypherGraph = graph;
    graph.layout({ name: elements.nodes.length <= 400 ? "fcose" : "concentric", animate: false }).run();
    graph.on("tap", "node", (event) => {
      const entity = event.target.data("entity");
      if (entity) location.hash = entityHref(entity);
    });
  });
  return container;
}

/** Cells as text; a node by its name (linked to its graph), a relationship by its type, a path by its names. */
function cell(column, value) {
  if (isNode(value)) {
    const name = value.properties.name ?? value.properties.title ?? value.properties.id ?? value.labels.join(":");
    return value.properties.id?.includes(":") && !value.labels.includes("Document")
      ? h("a", { href: entityHref(value.properties.id) }, name)
      : name;
  }
  if (isRelationship(value)) return `[:${value.type}]`;
  if (isPath(value)) return value.nodes.map((node) => node.properties.name ?? node.properties.id).join(" → ");
  if (typeof value === "string" && /^doc:[0-9a-f]{20}$/.test(value)) {
    return h("a", { href: routeHref("document", { id: value }) }, value);
  }
  return null; // the table's own text: lists joined, maps as key: value
}

/** The answer as files to keep: JSON as the API sent it, CSV with cells as the table shows them. */
function downloads(result) {
  const file = (content, type) => URL.createObjectURL(new Blob([content], { type }));
  const csvCell = (value) => `"${cellText(value).replaceAll('"', '""')}"`;
  const csv = [result.columns, ...result.rows.map((row) => result.columns.map((column) => row[column]))]
    .map((line) => line.map(csvCell).join(","))
    .join("\r\n");
  return h(
    "p",
    { class: "export-links" },
    t("export.data"),
    h("a", { href: file(JSON.stringify(result, null, 1), "application/json"), download: "cypher.json" }, "JSON"),
    h("a", { href: file(`\ufeff${csv}`, "text/csv"), download: "cypher.csv" }, "CSV"),
  );
}

function resultView(result, params) {
  const elements = graphElements(result.rows);
  const graphable = elements.nodes.length > 0;
  const asGraph = graphable && params.get("view") !== "table";
  const switcher = graphable ? viewTabs("cypher", params, ["graph", "table"], asGraph ? "graph" : "table") : null;
  return h(
    "div",
    {},
    h("p", { class: "muted" }, t("queries.rows", { n: result.rows.length })),
    result.truncated ? message(t("cypher.truncated"), "warning") : null,
    result.rows.length ? downloads(result) : null,
    switcher,
    !result.rows.length
      ? message(t("queries.none"))
      : asGraph
        ? resultGraph(elements)
        : dataTable(result.columns, result.rows, { cell }),
  );
}

export async function render(root, params) {
  const text = params.get("q") ?? EXAMPLE;
  const paramText = params.get("params") ?? "{}";
  const queryBox = h("textarea", { id: "cypher-query", name: "query", rows: 8, spellcheck: "false" }, text);
  const paramsBox = h("textarea", { id: "cypher-params", name: "params", rows: 2, spellcheck: "false" }, paramText);
  const output = h("div", { class: "cypher-output", "aria-live": "polite" });
  const submit = () => {
    location.hash = routeHref("cypher", {
      q: queryBox.value,
      params: paramsBox.value.trim() === "{}" ? "" : paramsBox.value,
      run: Date.now() % 100000, // a new hash even when the text is unchanged: running again re-runs
    });
  };
  const form = h(
    "form",
    {
      class: "cypher",
      onsubmit: (event) => {
        event.preventDefault();
        submit();
      },
    },
    h("label", { for: "cypher-query" }, t("cypher.query")),
    queryBox,
    h("label", { for: "cypher-params" }, t("cypher.params")),
    paramsBox,
    h(
      "p",
      {},
      h("button", { type: "submit" }, t("cypher.run")),
      " ",
      h("span", { class: "muted" }, t("cypher.shortcut")),
    ),
  );
  for (const box of [queryBox, paramsBox]) {
    box.addEventListener("keydown", (event) => {
      if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
        event.preventDefault();
        submit();
      }
    });
  }
  const insert = (snippet) => {
    const { selectionStart: start, selectionEnd: end, value } = queryBox;
    queryBox.value = value.slice(0, start) + snippet + value.slice(end);
    queryBox.focus();
    queryBox.selectionStart = queryBox.selectionEnd = start + snippet.length;
  };
  const main = h("div", { class: "page" }, h("h2", {}, t("cypher.title")), form, output);
  const placeholder = h("aside", { class: "side schema" }, message(t("loading")));
  root.replaceChildren(h("section", { class: "split cypher-view" }, main, placeholder));
  const run = params.get("run") ? runQuery(text, paramText, params, output) : null;
  placeholder.replaceWith(await schemaPanel(insert));
  await run;
}

async function runQuery(text, paramText, params, output) {
  let bound;
  try {
    bound = JSON.parse(paramText);
    if (typeof bound !== "object" || bound === null || Array.isArray(bound)) throw new Error("not an object");
  } catch {
    output.replaceChildren(message(t("cypher.badParams"), "error"));
    return;
  }
  output.replaceChildren(message(t("loading")));
  try {
    const result = await postJSON("/api/cypher", { query: text, params: bound });
    remember(text, paramText.trim() === "{}" ? "" : paramText);
    document.querySelector(".cypher-history")?.replaceWith(historyList());
    output.replaceChildren(resultView(result, params));
  } catch (error) {
    output.replaceChildren(errorMessage(error));
  }
}
