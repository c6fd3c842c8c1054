// Cities placed by longitude and latitude on a plain SVG projection (offline: no tiles), cooperation as lines.
import { getJSON } from "../api.js";
import { entityHref, h, message, relationColor, svg, typeStyle } from "../dom.js";
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
  const data = await getJSON("/api/map");
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
      { href: entityHref(area.id), class: place ? "place" : "partner" },
      place
        ? svg("circle", { cx: x, cy: y, r: 6, fill: typeStyle(area.type).color })
        : svg("rect", {
            x: x - 4,
            y: y - 4,
            width: 8,
            height: 8,
            fill: typeStyle(area.type).color,
            transform: `rotate(45 ${x} ${y})`,
          }),
      place ? svg("text", { x: x + 8, y: y + 4, class: "place-label" }, area.name) : null,
      svg("title", {}, `${area.name} · ${typeName(area.type)}`),
    );
  });
  page.append(
    svg(
      "svg",
      { class: "map", viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: "img", "aria-label": t("map.title") },
      svg("rect", { x: 0, y: 0, width: WIDTH, height: HEIGHT, class: "sea" }),
      graticule(extent, project),
      lines,
      marks,
    ),
    legend(),
    unplaced.length ? h("p", { class: "muted" }, t("map.unplaced", { n: unplaced.length }), unplacedList) : null,
  );
}

function legend() {
  const swatch = (shape, color) =>
    svg(
      "svg",
      { width: 22, height: 12, viewBox: "0 0 22 12" },
      shape === "line"
        ? svg("line", { x1: 1, y1: 6, x2: 21, y2: 6, stroke: color, "stroke-width": 3 })
        : shape === "circle"
          ? svg("circle", { cx: 11, cy: 6, r: 5, fill: color })
          : svg("rect", { x: 7, y: 2, width: 8, height: 8, fill: color, transform: "rotate(45 11 6)" }),
    );
  return h(
    "p",
    { class: "map-legend" },
    h("span", {}, swatch("circle", typeStyle("City").color), " ", t("map.places")),
    h("span", {}, swatch("diamond", typeStyle("Institution").color), " ", t("map.partners")),
    h("span", {}, swatch("line", PLACE_LINK_COLOR), " ", t("map.placeLinks")),
    h("span", {}, swatch("line", relationColor("COOPERATES_WITH")), " ", t("map.partnerLinks")),
  );
}
