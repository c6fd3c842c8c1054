// A metric's targets compared across cities and years: one grouped bar chart per unit, and the table behind it.
import { getJSON } from "../api.js";
import { h, message, niceMax, SERIES_COLORS, svg } from "../dom.js";
import { t } from "../i18n.js";
import { routeHref } from "../router.js";

const CHART = { height: 260, left: 64, right: 16, top: 16, bottom: 40, bar: 18, gap: 14 };

function amount(row) {
  return row.normalised_value ?? row.value ?? 0;
}

function unitOf(row) {
  return row.normalised_unit ?? row.unit ?? "";
}

function barChart(rows, unit) {
  const metrics = new Set(rows.map((row) => row.metric));
  const seriesOf = (row) => (metrics.size > 1 ? `${row.city} · ${row.metric}` : (row.city ?? "?"));
  const series = [...new Set(rows.map(seriesOf))].sort((a, b) => a.localeCompare(b, "zh"));
  const years = [...new Set(rows.map((row) => row.year ?? "?"))].sort();
  const max = niceMax(Math.max(...rows.map(amount)));
  const groupWidth = series.length * CHART.bar + CHART.gap;
  const width = Math.max(480, CHART.left + CHART.right + years.length * groupWidth);
  const plotHeight = CHART.height - CHART.top - CHART.bottom;
  const y = (value) => CHART.top + plotHeight * (1 - value / max);
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((share) => share * max);
  const bars = rows.map((row) => {
    const x =
      CHART.left +
      years.indexOf(row.year ?? "?") * groupWidth +
      CHART.gap / 2 +
      series.indexOf(seriesOf(row)) * CHART.bar;
    const top = y(amount(row));
    const href = routeHref("document", { id: row.document, start: row.start, end: row.end });
    return svg(
      "a",
      { href },
      svg(
        "rect",
        {
          class: "bar",
          x,
          y: top,
          width: CHART.bar - 3,
          height: Math.max(1, CHART.top + plotHeight - top),
          fill: SERIES_COLORS[series.indexOf(seriesOf(row)) % SERIES_COLORS.length],
        },
        svg("title", {}, `${seriesOf(row)} ${row.year ?? ""}: ${amount(row)} ${unit}\n${row.text ?? ""}`),
      ),
    );
  });
  const chart = svg(
    "svg",
    {
      class: "chart",
      width,
      height: CHART.height,
      viewBox: `0 0 ${width} ${CHART.height}`,
      role: "img",
      "aria-label": `${rows[0]?.metric ?? ""} (${unit})`,
    },
    ticks.map((tick) => [
      svg("line", { x1: CHART.left, x2: width - CHART.right, y1: y(tick), y2: y(tick), class: "grid" }),
      svg("text", { x: CHART.left - 6, y: y(tick) + 4, "text-anchor": "end", class: "tick" }, formatNumber(tick)),
    ]),
    years.map((year, index) =>
      svg(
        "text",
        {
          x: CHART.left + index * groupWidth + groupWidth / 2,
          y: CHART.height - CHART.bottom + 18,
          "text-anchor": "middle",
          class: "tick",
        },
        year,
      ),
    ),
    svg("text", { x: 8, y: CHART.top + 4, class: "tick" }, unit),
    bars,
  );
  const legend = h(
    "div",
    { class: "chart-legend" },
    series.map((name, index) =>
      h(
        "span",
        {},
        h("i", { class: "swatch", style: { background: SERIES_COLORS[index % SERIES_COLORS.length] } }),
        name,
      ),
    ),
  );
  return h("figure", { class: "chart-box" }, chart, legend);
}

function formatNumber(value) {
  return Number.isInteger(value) ? String(value) : value.toFixed(value < 10 ? 2 : 1);
}

function targetsTable(rows) {
  return h(
    "table",
    { class: "data" },
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        [
          t("targets.city"),
          t("targets.year"),
          t("targets.metric"),
          t("targets.value"),
          t("targets.unit"),
          t("targets.text"),
        ].map((label) => h("th", {}, label)),
      ),
    ),
    h(
      "tbody",
      {},
      rows.map((row) =>
        h(
          "tr",
          {},
          h("td", {}, row.city ?? ""),
          h("td", {}, row.year ?? ""),
          h("td", {}, row.metric),
          h(
            "td",
            { class: "num" },
            `${row.comparator && row.comparator !== "=" ? `${row.comparator} ` : ""}${row.value}` +
              (row.value_max ? `–${row.value_max}` : ""),
          ),
          h("td", {}, row.unit ?? ""),
          h(
            "td",
            {},
            h(
              "a",
              { href: routeHref("document", { id: row.document, start: row.start, end: row.end }) },
              row.text ?? row.title ?? "",
            ),
          ),
        ),
      ),
    ),
  );
}

export async function render(root, params) {
  const metric = params.get("metric") ?? "";
  const metrics = await getJSON("/api/metrics");
  const select = h(
    "select",
    {
      name: "metric",
      onchange: () => {
        location.hash = routeHref("targets", { metric: select.value });
      },
    },
    h("option", { value: "" }, t("targets.choose")),
    metrics.map((item) =>
      h("option", { value: item.metric, selected: item.metric === metric }, `${item.metric} (${item.targets})`),
    ),
  );
  const body = h("div", {});
  root.replaceChildren(
    h(
      "section",
      { class: "page" },
      h("h2", {}, t("nav.targets")),
      h("label", {}, `${t("targets.metric")} `, select),
      body,
    ),
  );
  if (!metric) {
    body.append(message(t("targets.choose")));
    return;
  }
  const result = await getJSON("/api/queries/metric-targets", { metric });
  const exact = result.rows.filter((row) => row.metric === metric);
  const rows = exact.length ? exact : result.rows;
  if (!rows.length) {
    body.append(message(t("targets.empty")));
    return;
  }
  const units = [...new Set(rows.map(unitOf))];
  body.replaceChildren(
    ...units.map((unit) =>
      barChart(
        rows.filter((row) => unitOf(row) === unit),
        unit,
      ),
    ),
    targetsTable(rows),
  );
}
