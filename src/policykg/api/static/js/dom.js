// Small DOM helpers: elements built from data never go through innerHTML, so names cannot inject markup.
import { apiUrl } from "./api.js";
import { t, typeName } from "./i18n.js";
import { routeHref } from "./router.js";

/** One collator for every sort by Chinese name: far cheaper than localeCompare(…, "zh") per comparison. */
export const byChinese = new Intl.Collator("zh").compare;

/** Colour and Cytoscape shape per entity type: the graph, the badges and the legend share them. */
export const TYPE_STYLE = {
  // Dark enough for white text on a badge (WCAG AA, ≥ 4.5:1) and for a shape on white.
  Province: { color: "#08306b", shape: "hexagon" },
  City: { color: "#0f4c81", shape: "round-rectangle" },
  County: { color: "#2f6f9f", shape: "round-rectangle" },
  Agency: { color: "#2e7d32", shape: "round-triangle" },
  Institution: { color: "#a84e10", shape: "ellipse" },
  Enterprise: { color: "#8e44ad", shape: "diamond" },
  Platform: { color: "#c0392b", shape: "rhomboid" }, // convex: concave stars miss clicks at their centre
  Program: { color: "#0e7763", shape: "pentagon" },
  Target: { color: "#5f6b6d", shape: "tag" },
  Metric: { color: "#546e7a", shape: "octagon" },
  Industry: { color: "#8a6508", shape: "barrel" },
  Document: { color: "#555555", shape: "rectangle" },
  Section: { color: "#6e6e6e", shape: "rectangle" },
};
const FALLBACK_STYLE = { color: "#6e7781", shape: "ellipse" };

// Lines on white: at least 3:1 (WCAG AA for graphics), dashed ones too.
export const RELATION_COLOR = {
  COOPERATES_WITH: "#d1495b",
  PART_OF: "#687b8c",
  LOCATED_IN: "#687b8c",
  BUILDS: "#c0392b",
  OPERATED_BY: "#8e44ad",
  IMPLEMENTS: "#0e7763",
  SETS_TARGET: "#5f6b6d",
  MEASURES: "#546e7a",
  PRIORITIZES: "#8a6508",
  ISSUED_BY: "#2e7d32",
  ABOUT: "#2f6f9f",
  CITES: "#555555",
  MENTIONS: "#8795a3",
};

export function typeStyle(type) {
  return TYPE_STYLE[type] ?? FALLBACK_STYLE;
}

export function relationColor(type) {
  return RELATION_COLOR[type] ?? "#687b8c";
}

/** h("a", {href: "#/x", class: "y", onclick: f}, "text", child) → an element. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
    else if (key === "class") el.className = value;
    else if (key === "dataset") Object.assign(el.dataset, value);
    else if (key === "style" && typeof value === "object") Object.assign(el.style, value);
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

export function typeBadge(type) {
  return h("span", { class: "badge", style: { background: typeStyle(type).color }, title: type }, typeName(type));
}

export function message(text, kind = "hint") {
  return h("p", { class: kind }, text);
}

export function errorMessage(error) {
  const suggestions = error.suggestions ?? [];
  return h(
    "div",
    { class: "error", role: "alert" },
    h("p", {}, t("error", { message: error.message ?? String(error) })),
    suggestions.length
      ? h(
          "p",
          {},
          t("error.suggestions"),
          " ",
          suggestions.map((found, index) => [
            index ? "、" : "",
            h("a", { href: entityHref(found.id) }, found.name),
            ` (${typeName(found.type)})`,
          ]),
        )
      : null,
  );
}

/** "JSON · CSV" links to the API answer a view is drawn from (Datasette's habit): the data behind every view. */
export function exportLinks(path, params = {}) {
  return h(
    "p",
    { class: "export-links" },
    t("export.data"),
    h("a", { href: apiUrl(path, params), target: "_blank", rel: "noopener" }, "JSON"),
    h("a", { href: apiUrl(path, params, "csv"), download: "" }, "CSV"),
  );
}

/** The sentence as text with every occurrence of the given names wrapped in <mark>. */
export function highlightNames(sentence, names) {
  const wanted = [...new Set(names.filter((name) => name && name.length > 0))].sort((a, b) => b.length - a.length);
  if (!wanted.length) return [sentence];
  const pattern = new RegExp(wanted.map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), "g");
  const parts = [];
  let last = 0;
  for (const match of sentence.matchAll(pattern)) {
    if (match.index > last) parts.push(sentence.slice(last, match.index));
    parts.push(h("mark", {}, match[0]));
    last = match.index + match[0].length;
  }
  if (last < sentence.length) parts.push(sentence.slice(last));
  return parts;
}

/** A value as a person reads it: lists joined with 、, maps as "key: value" pairs, nothing for null. */
export function cellText(value) {
  if (value === null || value === undefined) return "";
  if (Array.isArray(value))
    return value
      .map(cellText)
      .filter((text) => text !== "")
      .join("、");
  if (typeof value === "object") {
    if ("name" in value && value.name) return String(value.name);
    return Object.entries(value)
      .filter(([, item]) => item !== null && item !== undefined && item !== "")
      .map(([key, item]) => `${key}: ${cellText(item)}`)
      .join("; ");
  }
  if (typeof value === "number" && !Number.isInteger(value)) return String(Math.round(value * 1000) / 1000);
  return String(value);
}

/**
 * A table of rows under the given columns, in a scrolling box. `label(column)` names a header, `cell(column,
 * value, row)` may return an element (a link) instead of the value's text.
 */
export function dataTable(columns, rows, { cellLink, label, cell } = {}) {
  const head = h(
    "tr",
    {},
    columns.map((column) => h("th", { scope: "col" }, label ? label(column) : column)),
  );
  const body = rows.map((row) =>
    h(
      "tr",
      {},
      columns.map((column) => {
        const value = row[column];
        const name = label ? label(column) : column; // data-label: a phone shows each row as labelled lines
        const custom = cell?.(column, value, row);
        if (custom) return h("td", { "data-label": name }, custom);
        const text = cellText(value);
        const href = cellLink?.(column, value, row);
        return h(
          "td",
          { class: typeof value === "number" ? "num" : null, "data-label": name },
          href ? h("a", { href }, text) : text,
        );
      }),
    ),
  );
  return h(
    "div",
    { class: "table-wrap" },
    h("table", { class: "data stack" }, h("thead", {}, head), h("tbody", {}, body)),
  );
}

export function entityHref(id) {
  return `#/entity?id=${encodeURIComponent(id)}`;
}

const SVG_NS = "http://www.w3.org/2000/svg";

/** Like h(), for SVG elements (charts and the map are drawn by hand: no chart library to ship). */
export function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS(SVG_NS, tag);
  for (const [key, value] of Object.entries(attrs ?? {})) {
    if (value === undefined || value === null) continue;
    if (key.startsWith("on") && typeof value === "function") el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

// Ten colours for series (cities), each ≥ 4.2:1 on white, so bars, lines and their labels stay legible.
export const SERIES_COLORS = [
  "#1f77b4",
  "#c65102",
  "#2a7d2a",
  "#d62728",
  "#9467bd",
  "#8c564b",
  "#c2417f",
  "#6b6b6b",
  "#7a7a00",
  "#11808a",
];

/** A round upper bound for an axis: 1, 2 or 5 times a power of ten. */
export function niceMax(value) {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 5, 10].map((step) => step * power).find((candidate) => candidate >= value);
}

/** Replace an element's children, skipping empty ones and flattening lists as h() does. */
export function fill(el, ...children) {
  el.replaceChildren(
    ...children.flat(Infinity).filter((child) => child !== null && child !== undefined && child !== false),
  );
  return el;
}

// Tabs between ways of showing one result (graph, table): links to the same route with another `view`.
export function viewTabs(route, params, views, active) {
  const tab = (view) =>
    h(
      "a",
      { class: view === active ? "active" : "", href: routeHref(route, { ...Object.fromEntries(params), view }) },
      t(`queries.${view}`),
    );
  return h("p", { class: "tabs" }, views.map(tab));
}
