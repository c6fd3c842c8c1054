// Cities × partners as a heat map from the curated query `cooperation-matrix`; a cell opens its evidence.
import { getJSON } from "../api.js";
import { byChinese, entityHref, exportLinks, fill, h, message } from "../dom.js";
import { t, typeName } from "../i18n.js";
import { replaceParams, routeHref } from "../router.js";
import { showEvidence } from "./evidence.js";

const PARTNER_TYPES = ["Institution", "City", "Province", "County", "Agency", "Platform", "any"];

/** Rows of the query → the matrix: labelled cities and partners, cells keyed "city|partner". */
function buildMatrix(rows) {
  const cities = new Map();
  const partners = new Map();
  const cells = new Map();
  for (const row of rows) {
    cities.set(row.city_id, {
      id: row.city_id,
      name: row.city,
      total: (cities.get(row.city_id)?.total ?? 0) + row.documents,
    });
    partners.set(row.partner_id, {
      id: row.partner_id,
      name: row.partner,
      type: row.partner_type,
      total: (partners.get(row.partner_id)?.total ?? 0) + row.documents,
    });
    cells.set(`${row.city_id}|${row.partner_id}`, row);
  }
  return { cities: [...cities.values()], partners: [...partners.values()], cells };
}

function sorter(key, cells, axis) {
  const byName = (a, b) => byChinese(a.name, b.name);
  if (key === "name" || !key) return byName;
  if (key === "total") return (a, b) => b.total - a.total || byName(a, b);
  // Sorting by one column (or row) of the other axis: the chosen partner's counts order the cities, and so on.
  const value = (item) => cells.get(axis === "rows" ? `${item.id}|${key}` : `${key}|${item.id}`)?.documents ?? 0;
  return (a, b) => value(b) - value(a) || byName(a, b);
}

/** A cell's colour from pale to deep red, and the text colour (ink or white) with the higher contrast on it. */
function heat(documents, max) {
  const share = max > 0 ? documents / max : 0;
  const mix = (from, to) => Math.round(from + (to - from) * (0.15 + 0.85 * share));
  const [r, g, b] = [mix(255, 168), mix(255, 37), mix(255, 58)];
  const linear = (c) => (c / 255 <= 0.03928 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
  const luminance = 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
  const onWhite = 1.05 / (luminance + 0.05);
  const onInk = (luminance + 0.05) / 0.0608; // #1d2733's luminance + 0.05
  return { background: `rgb(${r}, ${g}, ${b})`, color: onWhite >= onInk ? "#ffffff" : "#1d2733" };
}

export async function render(root, params) {
  const state = {
    type: params.get("type") ?? "Institution",
    rows: params.get("rows") ?? "total",
    cols: params.get("cols") ?? "total",
    cell: params.get("cell") ?? "",
    year_from: params.get("year_from") ?? "",
    year_to: params.get("year_to") ?? "",
    parts: params.get("parts") ?? "1", // organisations with their parts (中国科学院 with its institutes) unless "0"
  };
  const query = {
    type: state.type,
    year_from: state.year_from,
    year_to: state.year_to,
    parts: state.parts === "0" ? "false" : "true",
  };
  const result = await getJSON("/api/queries/cooperation-matrix", query);
  const matrix = buildMatrix(result.rows);
  const max = Math.max(0, ...result.rows.map((row) => row.documents));
  const table = h("div", { class: "matrix-wrap" });
  const side = h("aside", { class: "side" }, message(t("matrix.hint")));
  const save = () => replaceParams("matrix", state);

  const openCell = (row) => {
    state.cell = `${row.city_id}|${row.partner_id}`;
    save();
    table.querySelectorAll("td.selected").forEach((cell) => cell.classList.remove("selected"));
    table.querySelector(`td[data-cell="${CSS.escape(state.cell)}"]`)?.classList.add("selected");
    showCellEvidence(side, row);
  };

  const draw = () => {
    const cities = [...matrix.cities].sort(sorter(state.rows, matrix.cells, "rows"));
    const partners = [...matrix.partners].sort(sorter(state.cols, matrix.cells, "cols"));
    const sortButton = (axis, key, label, title) =>
      h(
        "button",
        {
          type: "button",
          class: state[axis] === key ? "link active" : "link",
          title,
          onclick: () => {
            state[axis] = state[axis] === key ? "name" : key;
            save();
            draw();
          },
        },
        label,
      );
    const head = h(
      "tr",
      {},
      h("th", { class: "corner" }, sortButton("rows", "name", t("matrix.byName"))),
      partners.map((partner) =>
        h(
          "th",
          { class: "col-head", title: partner.name },
          sortButton("rows", partner.id, partner.name, typeName(partner.type)),
        ),
      ),
      h("th", {}, sortButton("rows", "total", t("matrix.total"))),
    );
    const body = cities.map((city) =>
      h(
        "tr",
        {},
        h(
          "th",
          { class: "row-head" },
          sortButton("cols", city.id, city.name),
          " ",
          h("a", { href: entityHref(city.id), class: "muted", title: city.name }, "↗"),
        ),
        partners.map((partner) => {
          const row = matrix.cells.get(`${city.id}|${partner.id}`);
          if (!row) return h("td", { class: "empty" });
          const key = `${city.id}|${partner.id}`;
          const colours = heat(row.documents, max);
          // A button in each cell: reached by Tab, opened by Enter or Space, named for screen readers.
          return h(
            "td",
            { class: key === state.cell ? "cell selected" : "cell", dataset: { cell: key }, style: colours },
            h(
              "button",
              {
                type: "button",
                class: "cell-button",
                style: { color: colours.color },
                title: `${city.name} — ${partner.name}: ${row.documents}`,
                "aria-label": t("matrix.cell", { city: city.name, partner: partner.name, n: row.documents }),
                onclick: () => openCell(row),
              },
              row.documents,
            ),
          );
        }),
        h("td", { class: "total" }, city.total),
      ),
    );
    const totals = h(
      "tr",
      {},
      h("th", {}, sortButton("cols", "total", t("matrix.total"))),
      partners.map((partner) => h("td", { class: "total" }, partner.total)),
      h("td", {}),
    );
    table.replaceChildren(h("table", { class: "matrix" }, h("thead", {}, head), h("tbody", {}, body, totals)));
  };

  // A new partner type or year range is a new query: a new URL, drawn afresh.
  const requery = () => {
    location.hash = routeHref("matrix", {
      type: typeSelect.value,
      year_from: yearFrom.value,
      year_to: yearTo.value,
      parts: partsBox.checked ? "" : "0",
    });
  };
  const yearFrom = h("input", {
    type: "number",
    name: "year_from",
    value: state.year_from,
    onchange: requery,
    "aria-label": t("graph.yearFrom"),
  });
  const yearTo = h("input", {
    type: "number",
    name: "year_to",
    value: state.year_to,
    onchange: requery,
    "aria-label": t("graph.yearTo"),
  });
  const partsBox = h("input", { type: "checkbox", name: "parts", checked: state.parts !== "0", onchange: requery });
  const typeSelect = h(
    "select",
    { name: "type", onchange: requery, "aria-label": t("matrix.partnerType") },
    PARTNER_TYPES.map((type) =>
      h("option", { value: type, selected: type === state.type }, type === "any" ? "*" : typeName(type)),
    ),
  );
  root.replaceChildren(
    h(
      "section",
      { class: "split" },
      h(
        "div",
        { class: "page" },
        h("h2", {}, t("matrix.title")),
        h("p", { class: "matrix-filters" }, typeSelect, " ", t("graph.years"), " ", yearFrom, " – ", yearTo),
        h("p", { class: "matrix-filters" }, h("label", { class: "switch" }, partsBox, " ", t("matrix.parts"))),
        h("p", { class: "muted" }, t("matrix.hint")),
        exportLinks("/api/queries/cooperation-matrix", query),
        result.rows.length ? table : message(t("matrix.empty")),
      ),
      side,
    ),
  );
  draw();
  const selected = state.cell && matrix.cells.get(state.cell);
  if (selected) openCell(selected);
}

/**
 * A cell's evidence: the city's facts with the partner itself and, for a partner counted with its parts, with each
 * part, under the path that links them (六安市 → 中国科学院合肥物质科学研究院 → 中国科学院).
 */
async function showCellEvidence(side, row) {
  const parts = (row.via ?? []).filter((name) => name !== row.partner);
  if (!parts.length) {
    await showEvidence(side, {
      source: row.city_id,
      target: row.partner_id,
      type: "COOPERATES_WITH",
      title: `${row.city} — ${row.partner}`,
      names: [row.city, row.partner],
    });
    return;
  }
  const direct = (row.via ?? []).includes(row.partner);
  const panels = [...(direct ? [row.partner] : []), ...parts].map((name) => {
    const panel = h("div", { class: "evidence-group" });
    return { name, panel };
  });
  fill(
    side,
    h("h2", {}, t("evidence.title")),
    h("p", { class: "evidence-title" }, `${row.city} — ${row.partner}`),
    panels.map(({ panel }) => panel),
  );
  for (const { name, panel } of panels) {
    const path = name === row.partner ? `${row.city} → ${name}` : `${row.city} → ${name} → ${row.partner}`;
    await showEvidence(panel, {
      source: row.city_id,
      target: name,
      type: "COOPERATES_WITH",
      title: path,
      names: [row.city, name],
      heading: "h3",
    });
  }
}
