// Targets and results of one or several metrics across cities and years: metrics picked by typing, one chart per
// metric and kind (stock, flow, growth, ratio: only like is compared with like), each city one colour in every
// chart, every value its own bar (targets filled, results hatched), and the table behind the charts.
import { getJSON } from "../api.js";
import { byChinese, exportLinks, fill, h, message, niceMax, SERIES_COLORS, svg } from "../dom.js";
import { currentLang, t } from "../i18n.js";
import { routeHref } from "../router.js";

const CHART = { height: 280, left: 64, right: 16, top: 24, bottom: 44, bar: 12, cityGap: 6, yearGap: 18 };
const KINDS = ["stock", "flow", "growth", "ratio", ""];
const ROW_LIMIT = 5000;

/** Rows from before targets had a kind or results existed: a missing fact is a target, a missing kind unknown. */
function factOf(row) {
  return row.fact === "result" ? "result" : "target";
}

function kindOf(row) {
  return KINDS.includes(row.kind) ? row.kind : "";
}

function amount(row) {
  return row.normalised_value ?? row.value ?? 0;
}

function unitOf(row) {
  return row.normalised_unit ?? row.unit ?? "";
}

function formatNumber(value) {
  if (value === null || value === undefined) return "";
  return Number.isInteger(value) ? String(value) : String(Math.round(value * 100) / 100);
}

/** The stated value in words: ≥ 200 家（以上）, 增长 18 %（以上）, 5–8 平方公里, ≤ 3 %（以内）. */
export function describeValue(row) {
  const unit = row.unit ?? "";
  const range = row.value_max ? `${formatNumber(row.value)}–${formatNumber(row.value_max)}` : formatNumber(row.value);
  const figure = `${range} ${unit}`.trim();
  // 增长18%以上: the comparator says growth, the words say at least; the text keeps both.
  const atLeast = row.comparator === ">=" || (row.text ?? "").includes(`${formatNumber(row.value)}${unit}以上`);
  const zh = currentLang() === "zh";
  if (row.comparator === "growth") {
    return zh ? `增长 ${figure}${atLeast ? " 以上" : ""}` : `growth of ${atLeast ? "at least " : ""}${figure}`;
  }
  if (atLeast) return zh ? `≥ ${figure}（以上）` : `≥ ${figure} (at least)`;
  if (row.comparator === "<=") return zh ? `≤ ${figure}（以内）` : `≤ ${figure} (at most)`;
  if (row.comparator === ">") return zh ? `> ${figure}（超过）` : `> ${figure} (over)`;
  if (row.comparator === "<") return zh ? `< ${figure}（低于）` : `< ${figure} (under)`;
  return figure;
}

/** The picked metrics and cities, as in the URL: #/targets?metric=A&metric=B&cities=三明市,丹东市 */
function readState(params) {
  const metrics = params
    .getAll("metric")
    .flatMap((value) => value.split("|"))
    .filter(Boolean);
  const cities = (params.get("cities") ?? "").split(",").filter(Boolean);
  return { metrics: [...new Set(metrics)], cities };
}

function stateHref(state) {
  const search = new URLSearchParams();
  for (const metric of state.metrics) search.append("metric", metric);
  if (state.cities.length) search.set("cities", state.cities.join(","));
  const text = search.toString();
  return `#/targets${text ? `?${text}` : ""}`;
}

/** Every wording a metric can be found by: its name, its concept's labels and id, the English label. */
function searchText(metric) {
  return [metric.metric, ...(metric.labels ?? []), metric.concept, metric.label_en].filter(Boolean).join(" ");
}

function metricPicker(metrics, state) {
  const listId = "metric-options";
  const input = h("input", {
    id: "metric-search",
    name: "metric",
    type: "search",
    list: listId,
    autocomplete: "off",
    placeholder: t("targets.searchHint"),
  });
  const options = h(
    "datalist",
    { id: listId },
    metrics.map((metric) =>
      h("option", {
        value: metric.metric,
        label: `${searchText(metric)} · ${t("targets.count", { n: metric.targets })}`,
      }),
    ),
  );
  const add = () => {
    const text = input.value.trim();
    if (!text) return;
    const lower = text.toLowerCase();
    const chosen =
      metrics.find((metric) => metric.metric === text) ??
      metrics.find((metric) => searchText(metric).toLowerCase().includes(lower));
    const name = chosen?.metric ?? text;
    if (!state.metrics.includes(name)) location.hash = stateHref({ ...state, metrics: [...state.metrics, name] });
  };
  input.addEventListener("change", add);
  const form = h(
    "form",
    {
      class: "metric-picker",
      role: "search",
      onsubmit: (event) => {
        event.preventDefault();
        add();
      },
    },
    h("label", { for: "metric-search" }, t("targets.metric")),
    input,
    options,
    h("button", { type: "submit" }, t("targets.add")),
  );
  const chips = h(
    "ul",
    { class: "chips", "aria-label": t("targets.chosen") },
    state.metrics.map((metric) =>
      h(
        "li",
        {},
        metric,
        h(
          "a",
          {
            href: stateHref({ ...state, metrics: state.metrics.filter((m) => m !== metric) }),
            class: "chip-remove",
            "aria-label": t("targets.remove", { metric }),
            title: t("targets.remove", { metric }),
          },
          "×",
        ),
      ),
    ),
  );
  return [form, state.metrics.length ? chips : null];
}

function cityPicker(allCities, state, colours) {
  const shown = new Set(state.cities.length ? state.cities : allCities);
  const apply = (cities) => {
    location.hash = stateHref({ ...state, cities: cities.length === allCities.length ? [] : cities });
  };
  return h(
    "fieldset",
    { class: "city-picker" },
    h("legend", {}, t("targets.cities")),
    allCities.map((city) => {
      const box = h("input", {
        type: "checkbox",
        value: city,
        checked: shown.has(city),
        onchange: () => apply(allCities.filter((name) => (name === city ? box.checked : shown.has(name)))),
      });
      return h(
        "label",
        { class: "city-choice" },
        box,
        h("i", { class: "swatch", style: { background: colours.get(city) } }),
        city,
      );
    }),
    h("button", { type: "button", class: "link", onclick: () => apply(allCities) }, t("targets.allCities")),
  );
}

function kindLabel(kind) {
  return t(`targets.kind.${kind || "unknown"}`);
}

/** One chart: years along the bottom, in each year a slot per city, in each slot a bar per value. */
function barChart(rows, colours, title) {
  const years = [...new Set(rows.map((row) => row.year ?? "?"))].sort();
  const cities = [...colours.keys()].filter((city) => rows.some((row) => row.city === city));
  const slots = new Map(); // "year|city" → rows, targets first
  for (const row of rows) {
    const key = `${row.year ?? "?"}|${row.city}`;
    if (!slots.has(key)) slots.set(key, []);
    slots.get(key).push(row);
  }
  for (const list of slots.values()) list.sort((a, b) => factOf(b).localeCompare(factOf(a)) || amount(a) - amount(b));
  const slotWidth = (year, city) => (slots.get(`${year}|${city}`)?.length ?? 0) * CHART.bar;
  const yearWidth = (year) =>
    cities.reduce((width, city) => width + (slotWidth(year, city) ? slotWidth(year, city) + CHART.cityGap : 0), 0);
  const plotWidth = years.reduce((width, year) => width + yearWidth(year) + CHART.yearGap, 0);
  const width = Math.max(320, CHART.left + CHART.right + plotWidth);
  const max = niceMax(Math.max(...rows.map((row) => Math.max(amount(row), row.normalised_value_max ?? 0))));
  const plotHeight = CHART.height - CHART.top - CHART.bottom;
  const y = (value) => CHART.top + plotHeight * (1 - value / max);
  const bars = [];
  const yearLabels = [];
  let x = CHART.left + CHART.yearGap / 2;
  for (const year of years) {
    const start = x;
    for (const city of cities) {
      const list = slots.get(`${year}|${city}`) ?? [];
      for (const row of list) {
        bars.push(bar(row, x, y, plotHeight, colours.get(city)));
        x += CHART.bar;
      }
      if (list.length) x += CHART.cityGap;
    }
    yearLabels.push(
      svg(
        "text",
        { x: (start + x) / 2, y: CHART.height - CHART.bottom + 18, "text-anchor": "middle", class: "tick" },
        year,
      ),
    );
    x += CHART.yearGap;
  }
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((share) => share * max);
  const unit = unitOf(rows[0]);
  return svg(
    "svg",
    {
      class: "chart",
      width,
      height: CHART.height,
      viewBox: `0 0 ${width} ${CHART.height}`,
      role: "img",
      "aria-label": `${title}：${t("targets.chartSummary", { n: rows.length })}`,
    },
    ticks.map((tick) => [
      svg("line", { x1: CHART.left, x2: width - CHART.right, y1: y(tick), y2: y(tick), class: "grid" }),
      svg("text", { x: CHART.left - 6, y: y(tick) + 4, "text-anchor": "end", class: "tick" }, formatNumber(tick)),
    ]),
    svg("line", { x1: CHART.left, x2: width - CHART.right, y1: y(0), y2: y(0), class: "axis" }),
    svg("text", { x: 4, y: CHART.top - 8, class: "tick" }, unit),
    yearLabels,
    bars,
  );
}

/** A value's bar, linked to its sentence: a result hatched in its city's colour, a range with a whisker to its top. */
function bar(row, x, y, plotHeight, colour) {
  const top = y(amount(row));
  const bottom = y(0);
  const result = factOf(row) === "result";
  const href = routeHref("document", { id: row.document, start: row.start, end: row.end });
  const label = `${row.city} ${row.year ?? ""} ${t(`targets.fact.${factOf(row)}`)}: ${describeValue(row)}\n${row.text ?? ""}`;
  return svg(
    "a",
    { href, "aria-label": label },
    svg(
      "rect",
      {
        class: result ? "bar result" : "bar target",
        x: x + 1,
        y: top,
        width: CHART.bar - 2,
        height: Math.max(1, bottom - top),
        fill: result ? "#fff" : colour,
        stroke: colour,
        "stroke-width": result ? 2 : 0,
        "data-city": row.city,
        "data-fact": factOf(row),
      },
      svg("title", {}, label),
    ),
    result
      ? svg("line", {
          x1: x + 2,
          y1: bottom - 2,
          x2: x + CHART.bar - 2,
          y2: top + 2,
          stroke: colour,
          "stroke-width": 2,
        })
      : null,
    row.normalised_value_max
      ? svg("line", {
          x1: x + CHART.bar / 2,
          x2: x + CHART.bar / 2,
          y1: top,
          y2: y(row.normalised_value_max),
          stroke: colour,
          "stroke-width": 2,
        })
      : null,
  );
}

function chartLegend(colours, hasResults) {
  return h(
    "div",
    { class: "chart-legend" },
    [...colours].map(([city, colour]) =>
      h("span", {}, h("i", { class: "swatch", style: { background: colour } }), city),
    ),
    h("span", {}, h("i", { class: "swatch", style: { background: "#57606a" } }), t("targets.fact.target")),
    hasResults ? h("span", {}, h("i", { class: "swatch hatched" }), t("targets.fact.result")) : null,
  );
}

/** Rows grouped per metric, kind and unit: the charts' like-for-like groups. */
function groups(rows) {
  const found = new Map();
  for (const row of rows) {
    const key = `${row.metric}|${kindOf(row)}|${unitOf(row)}`;
    if (!found.has(key)) found.set(key, { metric: row.metric, kind: kindOf(row), unit: unitOf(row), rows: [] });
    found.get(key).rows.push(row);
  }
  return [...found.values()].sort(
    (a, b) => byChinese(a.metric, b.metric) || KINDS.indexOf(a.kind) - KINDS.indexOf(b.kind),
  );
}

function targetsTable(rows) {
  const headers = ["city", "year", "metric", "fact", "kind", "value", "text"];
  const cell = (key, content, extra = {}) => h("td", { "data-label": t(`targets.${key}`), ...extra }, content);
  return h(
    "div",
    { class: "table-wrap" },
    h(
      "table",
      { class: "data stack targets-table" },
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          headers.map((key) => h("th", { scope: "col" }, t(`targets.${key}`))),
        ),
      ),
      h(
        "tbody",
        {},
        rows.map((row) =>
          h(
            "tr",
            { dataset: { city: row.city ?? "", fact: factOf(row) } },
            cell("city", row.city ?? ""),
            cell("year", row.year ?? ""),
            cell("metric", row.metric),
            cell("fact", t(`targets.fact.${factOf(row)}`)),
            cell("kind", kindLabel(kindOf(row))),
            cell("value", describeValue(row), { class: "num" }),
            cell(
              "text",
              h(
                "a",
                { href: routeHref("document", { id: row.document, start: row.start, end: row.end }) },
                row.text ?? row.title ?? "",
              ),
            ),
          ),
        ),
      ),
    ),
  );
}

async function rowsOf(metric, known) {
  const result = await getJSON("/api/queries/metric-targets", { metric, limit: ROW_LIMIT });
  // The query matches words of names; a metric picked from the list keeps only its own rows.
  return known ? result.rows.filter((row) => row.metric === metric) : result.rows;
}

export async function render(root, params) {
  const state = readState(params);
  const metrics = await getJSON("/api/metrics");
  const body = h("div", { class: "targets-body" });
  root.replaceChildren(
    h("section", { class: "page" }, h("h2", {}, t("targets.title")), metricPicker(metrics, state), body),
  );
  if (!state.metrics.length) {
    body.append(message(t("targets.choose")));
    return;
  }
  const names = new Set(metrics.map((metric) => metric.metric));
  const found = (await Promise.all(state.metrics.map((metric) => rowsOf(metric, names.has(metric))))).flat();
  const allCities = [...new Set(found.map((row) => row.city).filter(Boolean))].sort(byChinese);
  // One colour per city for the whole page, from the cities of every chosen metric.
  const colours = new Map(allCities.map((city, index) => [city, SERIES_COLORS[index % SERIES_COLORS.length]]));
  const shown = state.cities.length ? found.filter((row) => state.cities.includes(row.city)) : found;
  const links = state.metrics.map((metric) => exportLinks("/api/queries/metric-targets", { metric, limit: ROW_LIMIT }));
  if (!shown.length) {
    fill(body, allCities.length ? cityPicker(allCities, state, colours) : null, message(t("targets.empty")), links);
    return;
  }
  const shownColours = new Map([...colours].filter(([city]) => shown.some((row) => row.city === city)));
  const hasResults = shown.some((row) => factOf(row) === "result");
  fill(
    body,
    cityPicker(allCities, state, colours),
    hasResults ? null : message(t("targets.noResults")),
    chartLegend(shownColours, hasResults),
    h(
      "div",
      { class: "charts" },
      groups(shown).map((group) => {
        const title = `${group.metric} · ${kindLabel(group.kind)} · ${group.unit}`;
        return h(
          "figure",
          { class: "chart-box", dataset: { metric: group.metric, kind: group.kind || "unknown" } },
          h("figcaption", {}, title),
          h("div", { class: "chart-scroll" }, barChart(group.rows, shownColours, title)),
        );
      }),
    ),
    targetsTable(shown),
    links,
  );
}
