// The curated queries as forms: parameters in, a table (or a graph of the entities in the rows) out.
import { getJSON } from "../api.js";
import { dataTable, entityHref, errorMessage, h, message } from "../dom.js";
import { currentLang, t } from "../i18n.js";
import { routeHref } from "../router.js";

/** Pairs of columns a row links: name columns with a matching "<name>_id" column, e.g. city/city_id. */
function entityColumns(columns) {
  return columns.filter((column) => columns.includes(`${column}_id`));
}

function rowsGraph(columns, rows) {
  const entities = entityColumns(columns);
  const container = h("div", { class: "query-graph" });
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
        { selector: `node[column != "${entities[0]}"]`, style: { "background-color": "#e07b39" } },
        { selector: "edge", style: { width: 1.5, "line-color": "#8aa1b4", "curve-style": "haystack" } },
      ],
    });
    graph.layout({ name: nodes.size <= 400 ? "fcose" : "concentric", animate: false }).run();
    graph.on("tap", "node", (event) => {
      location.hash = entityHref(event.target.id());
    });
  });
  return container;
}

function linkForCell(column, value, row) {
  if (row[`${column}_id`]) return entityHref(row[`${column}_id`]);
  if ((column === "document" || column === "doc_id") && typeof value === "string")
    return routeHref("document", { id: value });
  return null;
}

function queryForm(query, params) {
  const inputs = query.parameters.map((parameter) => {
    const value = params.get(parameter.name) ?? (parameter.default === "-" ? "" : (parameter.default ?? ""));
    return h(
      "label",
      { class: "param" },
      h("span", {}, parameter.name),
      h("input", {
        name: parameter.name,
        type: parameter.type === "integer" ? "number" : "text",
        value,
        required: parameter.required,
        title: parameter.description,
        placeholder: parameter.description,
      }),
    );
  });
  const form = h(
    "form",
    {
      class: "query-form",
      onsubmit: (event) => {
        event.preventDefault();
        const values = { name: query.name, view: params.get("view") ?? "" };
        for (const input of form.querySelectorAll("input")) values[input.name] = input.value;
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
  const result = await getJSON(`/api/queries/${encodeURIComponent(query.name)}`, values);
  if (!result.rows.length) return message(t("queries.none"));
  const graphable = entityColumns(result.columns).length >= 2;
  const asGraph = graphable && params.get("view") === "graph";
  const switcher = graphable
    ? h(
        "p",
        { class: "tabs" },
        ["table", "graph"].map((view) =>
          h(
            "a",
            {
              class: (view === "graph") === asGraph ? "active" : "",
              href: routeHref("queries", { ...Object.fromEntries(params), view }),
            },
            t(`queries.${view}`),
          ),
        ),
      )
    : null;
  return h(
    "div",
    {},
    h("p", { class: "muted" }, t("queries.rows", { n: result.rows.length })),
    switcher,
    asGraph
      ? rowsGraph(result.columns, result.rows)
      : dataTable(result.columns, result.rows, { cellLink: linkForCell }),
  );
}

export async function render(root, params) {
  const catalogue = await getJSON("/api/queries");
  const chosen = catalogue.find((query) => query.name === params.get("name"));
  const title = (query) => (currentLang() === "zh" ? query.title_zh : query.title_en);
  const list = h(
    "ul",
    { class: "query-list" },
    catalogue.map((query) =>
      h(
        "li",
        {},
        h(
          "a",
          { href: routeHref("queries", { name: query.name }), class: query === chosen ? "active" : "" },
          title(query),
        ),
      ),
    ),
  );
  const main = h("div", { class: "page" });
  root.replaceChildren(
    h("section", { class: "queries" }, h("nav", { class: "side-nav" }, h("h2", {}, t("queries.title")), list), main),
  );
  if (!chosen) {
    main.append(message(t("queries.title")));
    return;
  }
  main.append(
    h("h2", {}, title(chosen)),
    h("p", { class: "muted" }, chosen.description),
    queryForm(chosen, params),
    h("details", {}, h("summary", {}, t("queries.cypher")), h("pre", {}, chosen.cypher)),
  );
  if (!params.has("name") || [...params.keys()].length < 2) return;
  const output = h("div", {}, message(t("loading")));
  main.append(output);
  try {
    output.replaceChildren(await resultView(chosen, params));
  } catch (error) {
    output.replaceChildren(errorMessage(error));
  }
}
