// An entity's neighbourhood as a graph: expand on click, filter by type, relationship and year, evidence per edge,
// an organisation's parts and their cities, sizes and colours by whole-graph centrality and community.
import { getJSON, postJSON } from "../api.js";
import {
  byChinese,
  entityHref,
  exportLinks,
  fill,
  h,
  message,
  relationColor,
  SERIES_COLORS,
  typeBadge,
  typeStyle,
} from "../dom.js";
import { relationName, t, typeName } from "../i18n.js";
import { replaceParams, routeHref } from "../router.js";
import { showEvidence } from "./evidence.js";

// Above this many nodes the force layout costs more than a second; rings around the centre stay instant.
const FORCE_LAYOUT_MAX_NODES = 400;
const NEIGHBOUR_LIST_FIRST = 100; // the rest on request: a long list costs more to build than the graph's frame
const NODE_EDGES_LISTED = 60;
const RING_GAP = 60;
const LABEL_ZOOM = 0.6;
const LABELS_IN_VIEW_MAX = 400;
const NODE_SPACING = 30;
const NODE_LIMIT = 2000; // the API's cap
const NODE_SIZE = 22;
const AREA_TYPES = new Set(["Province", "City", "County"]);
const COMMUNITY_COLOURS_SHOWN = SERIES_COLORS.length;
const OUTSIDE_COMMUNITY = "#8a8f96";

function edgeKey(edge) {
  return edge.id ?? `${edge.source}|${edge.type}|${edge.target}`;
}

// Colour, shape and size travel in each element's data: a few data-mapped rules instead of one selector per type.
// Everything about a node is set before the graph is made: a class or size changed on the centre afterwards makes
// Cytoscape restyle it and recompute every one of its (thousands of) edges.
function nodeElement(node, center, expanded) {
  const style = typeStyle(node.type);
  const isCenter = node.id === center;
  return {
    group: "nodes",
    data: {
      ...node,
      label: node.name ?? node.id,
      color: style.color,
      shape: style.shape,
      size: isCenter ? 38 : NODE_SIZE,
    },
    classes: [isCenter ? "center" : "", isCenter || expanded?.has(node.id) ? "expanded" : ""].join(" ").trim(),
  };
}

const DASHED_RELATIONS = new Set(["PART_OF", "LOCATED_IN"]);

function edgeElement(edge) {
  return {
    group: "edges",
    data: {
      ...edge,
      id: edgeKey(edge),
      documents: edge.documents ?? 1,
      years: edge.years ?? [],
      label: relationName(edge.type),
      color: relationColor(edge.type),
      dash: DASHED_RELATIONS.has(edge.type) ? "dashed" : "solid",
    },
  };
}

function graphStyle(large) {
  return [
    {
      selector: "node",
      style: {
        "font-size": 11,
        "text-valign": "bottom",
        "text-margin-y": 3,
        width: "data(size)",
        height: "data(size)",
        "background-color": "data(color)",
        shape: "data(shape)",
        color: "#1d2733",
        "min-zoomed-font-size": 7,
      },
    },
    // Measuring thousands of labels costs more than drawing the graph: a large graph labels only the nodes that
    // matter and, once zoomed in, those in view (see labelVisibleNodes); labels are shortened and backed only
    // in small graphs.
    large
      ? {
          selector: "node.center, node.expanded, node:selected, node.labelled, node.hovered",
          style: { label: "data(label)" },
        }
      : {
          selector: "node",
          style: {
            label: "data(label)",
            "text-wrap": "ellipsis",
            "text-max-width": 140,
            "text-background-color": "#ffffff",
            "text-background-opacity": 0.8,
            "text-background-padding": 1,
          },
        },
    {
      selector: "node.center",
      style: { "font-size": 14, "font-weight": "bold", "border-width": 3, "border-color": "#1d2733" },
    },
    { selector: "node.expanded", style: { "border-width": 2, "border-color": "#1d2733", "border-style": "double" } },
    { selector: "node:selected", style: { "overlay-color": "#d1242f", "overlay-opacity": 0.25 } },
    // Lines at full opacity: their colours are chosen for 3:1 against the white canvas.
    large
      ? {
          selector: "edge",
          style: { width: 1.5, "line-color": "data(color)", "curve-style": "haystack", "haystack-radius": 0 },
        }
      : {
          selector: "edge",
          style: {
            width: "mapData(documents, 1, 5, 1.5, 6)",
            "line-color": "data(color)",
            "line-style": "data(dash)",
            "curve-style": "bezier",
            "target-arrow-shape": "triangle",
            "target-arrow-color": "data(color)",
            "arrow-scale": 0.8,
          },
        },
    {
      selector: "edge:selected",
      style: {
        "line-color": "#1d2733",
        "target-arrow-color": "#1d2733",
        width: 3,
        label: "data(label)",
        "font-size": 11,
        "text-background-color": "#fff",
        "text-background-opacity": 0.9,
        "z-index": 10,
      },
    },
    { selector: ".hidden", style: { display: "none" } },
  ];
}

// Never fcose's "draft" quality: its spectral step alone stacks the leaves of a star (a neighbourhood) on one point.
function forceLayout(randomize) {
  return {
    name: "fcose",
    quality: "default",
    animate: false,
    randomize,
    nodeRepulsion: 8000,
    idealEdgeLength: 90,
    nodeSeparation: 60,
    packComponents: true,
    fit: true,
    padding: 30,
  };
}

function byTypeThenName(a, b) {
  return String(a.type).localeCompare(String(b.type)) || byChinese(String(a.name), String(b.name));
}

/**
 * Positions on rings around a point, filled in order, each ring holding as many nodes as its circumference has
 * room for: O(n), so thousands of nodes are placed at once; sorted by type, each type makes an arc of one colour.
 */
function ringPositions(nodes, origin, firstRadius = 70) {
  const positions = new Map();
  const sorted = [...nodes].sort(byTypeThenName);
  let ring = 0;
  let index = 0;
  while (index < sorted.length) {
    const radius = firstRadius + ring * RING_GAP;
    const capacity = Math.max(6, Math.floor((2 * Math.PI * radius) / NODE_SPACING));
    const onRing = sorted.slice(index, index + capacity);
    onRing.forEach((node, slot) => {
      const angle = (2 * Math.PI * slot) / onRing.length - Math.PI / 2 + ring * 0.37;
      positions.set(node.id, { x: origin.x + radius * Math.cos(angle), y: origin.y + radius * Math.sin(angle) });
    });
    index += onRing.length;
    ring += 1;
  }
  return positions;
}

function parseList(value) {
  return value ? value.split(",").filter(Boolean) : [];
}

function yearOf(value) {
  const year = Number.parseInt(value, 10);
  return Number.isFinite(year) ? year : null;
}

/** Everything the view remembers between clicks; what matters for sharing is mirrored in the URL. */
class GraphState {
  constructor(params) {
    this.center = params.get("id") ?? "";
    this.hiddenTypes = new Set(parseList(params.get("hide_types")));
    this.hiddenRelations = new Set(parseList(params.get("hide_rels")));
    this.yearFrom = yearOf(params.get("year_from"));
    this.yearTo = yearOf(params.get("year_to"));
    this.expanded = new Set(parseList(params.get("expand")));
    this.edge = params.get("edge") ?? "";
    this.parts = params.get("parts") !== "0"; // an organisation's parts and their cities: on unless switched off
    this.size = params.get("size") === "centrality" ? "centrality" : "";
    this.colour = params.get("color") === "community" ? "community" : "";
  }

  toParams() {
    return {
      id: this.center,
      parts: this.parts ? "" : "0",
      size: this.size,
      color: this.colour,
      hide_types: [...this.hiddenTypes].join(","),
      hide_rels: [...this.hiddenRelations].join(","),
      year_from: this.yearFrom ?? "",
      year_to: this.yearTo ?? "",
      expand: [...this.expanded].join(","),
      edge: this.edge,
    };
  }

  filtering() {
    return this.hiddenTypes.size > 0 || this.hiddenRelations.size > 0 || this.yearFrom !== null || this.yearTo !== null;
  }

  edgeInYears(years) {
    if (!years?.length || (this.yearFrom === null && this.yearTo === null)) return true;
    return years.some(
      (year) => (this.yearFrom === null || year >= this.yearFrom) && (this.yearTo === null || year <= this.yearTo),
    );
  }
}

function neighbourhoodParams(id, parts) {
  return { id, depth: 1, limit: NODE_LIMIT, parts: parts ? "true" : "" };
}

async function fetchNeighbourhood(id, parts = false) {
  return getJSON("/api/entity", neighbourhoodParams(id, parts));
}

export async function render(root, params, routeName, isCurrent) {
  window.policykgGraph?.destroy(); // the previous view's graph: its listeners would outlive its canvas
  window.policykgGraph = null;
  const state = new GraphState(params);
  if (!state.center) {
    root.replaceChildren(
      h(
        "section",
        { class: "page narrow" },
        message(t("graph.missing")),
        h("a", { href: routeHref("search") }, t("nav.search")),
      ),
    );
    return;
  }
  const started = performance.now();
  const first = await fetchNeighbourhood(state.center, state.parts);
  state.center = first.center; // a name, an alias or an id without its code: the canonical id from here on
  const extra = await Promise.all(
    [...state.expanded].filter((id) => id !== state.center).map((id) => fetchNeighbourhood(id)),
  );
  if (!isCurrent()) return;
  performance.mark("policykg:graph-data");
  new GraphView(root, state, [first, ...extra], started).mount();
}

class GraphView {
  constructor(root, state, neighbourhoods, started) {
    this.root = root;
    this.state = state;
    this.started = started;
    this.nodes = new Map();
    this.edges = new Map();
    this.byNode = new Map(); // node id → the edges (data) touching it, drawn or not
    this.measures = null;
    for (const neighbourhood of neighbourhoods) this.merge(neighbourhood);
  }

  merge(neighbourhood) {
    const added = { nodes: [], edges: [] };
    for (const node of neighbourhood.nodes ?? []) {
      if (!this.nodes.has(node.id)) {
        this.nodes.set(node.id, node);
        added.nodes.push(node);
      }
    }
    for (const edge of neighbourhood.edges ?? []) {
      const key = edgeKey(edge);
      if (!this.edges.has(key)) {
        this.edges.set(key, edge);
        added.edges.push(edge);
        for (const end of [edge.source, edge.target]) {
          if (!this.byNode.has(end)) this.byNode.set(end, []);
          this.byNode.get(end).push(edge);
        }
      }
    }
    return added;
  }

  /**
   * Whether an edge is a line on the canvas. A large neighbourhood leaves out the centre's own edges: its neighbours
   * ring it, so the lines say nothing new, and thousands of them cost as much to draw as everything else; they stay
   * reachable from each neighbour's relationship list.
   */
  isDrawn(edge) {
    return (
      this.nodes.has(edge.source) &&
      this.nodes.has(edge.target) &&
      !(this.large && (edge.source === this.state.center || edge.target === this.state.center))
    );
  }

  /** An edge that passes the filters and whose ends are shown. */
  edgeShown(edge) {
    const state = this.state;
    if (state.hiddenRelations.has(edge.type) || !state.edgeInYears(edge.years)) return false;
    return [edge.source, edge.target].every((end) => !this.cy.$id(end).hasClass("hidden"));
  }

  /** The edges outside the canvas that pass the filters. */
  shownUndrawn() {
    return [...this.edges.values()].filter((edge) => !this.isDrawn(edge) && this.edgeShown(edge));
  }

  mount() {
    const centerNode = this.nodes.get(this.state.center);
    this.container = h("div", { id: "cy", role: "img", "aria-label": t("graph.canvas") });
    this.side = h("aside", { id: "side", class: "side", "aria-live": "polite" }, message(t("graph.hint")));
    this.controls = h("aside", { class: "controls", "aria-label": t("graph.controls") });
    this.header = h(
      "div",
      { class: "graph-title" },
      h(
        "div",
        { class: "entity-title" },
        centerNode ? typeBadge(centerNode.type) : null,
        h("h2", {}, centerNode?.name ?? this.state.center),
      ),
      exportLinks("/api/entity", neighbourhoodParams(this.state.center, this.state.parts)),
    );
    this.root.replaceChildren(
      h("section", { class: "graph-view" }, this.header, this.controls, this.container, this.side),
    );
    this.large = this.nodes.size > FORCE_LAYOUT_MAX_NODES;
    if (this.large) this.side.replaceChildren(message(t("graph.hint")), message(t("graph.largeHint")));
    // A large neighbourhood gets its positions with its elements: no layout pass after creation.
    const positions = this.large ? this.ringLayout() : new Map();
    this.cy = cytoscape({
      container: this.container,
      elements: [
        ...[...this.nodes.values()].map((node) => ({
          ...nodeElement(node, this.state.center, this.state.expanded),
          position: positions.get(node.id),
        })),
        ...[...this.edges.values()].filter((edge) => this.isDrawn(edge)).map(edgeElement),
      ],
      style: graphStyle(this.large),
      minZoom: 0.02,
      maxZoom: 5,
      ...this.initialViewport(positions),
      textureOnViewport: this.large,
      pixelRatio: this.large ? 1 : "auto", // thousands of nodes at a retina screen's 2× cost four times the pixels
      hideEdgesOnViewport: this.large,
      motionBlur: false,
      boxSelectionEnabled: false,
    });
    window.policykgGraph = this.cy; // a handle for the browser tests and the benchmark
    if (this.large) {
      this.cy.on("viewport", () => this.scheduleLabels());
      this.cy.on("mouseover", "node", (event) => event.target.addClass("hovered"));
      this.cy.on("mouseout", "node", (event) => event.target.removeClass("hovered"));
    }
    this.cy.on("tap", "node", (event) => this.onNodeTap(event.target));
    this.cy.on("tap", "edge", (event) => this.onEdgeTap(event.target));
    if (this.state.filtering()) this.applyFilters(); // nothing to hide: skip a pass over every element
    if (!this.large) this.runLayout(true);
    this.cy.one("render", () =>
      requestAnimationFrame(() => {
        performance.mark("policykg:graph-ready");
        this.root.dataset.ready = String(Math.round(performance.now() - this.started));
      }),
    );
    // A large graph draws first and lists its filters and neighbours right after: building hundreds of list items
    // would hold its first frame back.
    if (this.large) {
      this.controls.replaceChildren(message(t("loading")));
      this.cy.one("render", () => setTimeout(() => this.drawControls(), 0));
    } else {
      this.drawControls();
    }
    this.restoreSelectedEdge();
    if (this.nodes.size <= 1) this.side.replaceChildren(message(t("graph.empty")));
    if (this.state.size || this.state.colour) this.applyMeasures();
  }

  /**
   * Where the camera starts. For a large graph the ring radius gives the extent, so no bounding box of thousands of
   * elements is measured before the first frame; a small graph is fitted by its force layout anyway.
   */
  initialViewport(positions) {
    if (!positions.size) return {};
    let radius = 1;
    for (const { x, y } of positions.values()) radius = Math.max(radius, Math.abs(x), Math.abs(y));
    const { width, height } = this.container.getBoundingClientRect();
    const zoom = Math.min(width, height) / (2 * radius + 80);
    return { zoom, pan: { x: width / 2, y: height / 2 }, layout: { name: "preset", fit: false } };
  }

  scheduleLabels() {
    clearTimeout(this.labelTimer);
    this.labelTimer = setTimeout(() => this.labelVisibleNodes(), 150);
  }

  /** Zoomed in far enough to read, a large graph labels the nodes in view (a few hundred at most). */
  labelVisibleNodes() {
    const extent = this.cy.extent();
    const inView =
      this.cy.zoom() < LABEL_ZOOM
        ? this.cy.collection()
        : this.cy
            .nodes()
            .filter((node) => {
              const { x, y } = node.position();
              return x >= extent.x1 && x <= extent.x2 && y >= extent.y1 && y <= extent.y2;
            })
            .slice(0, LABELS_IN_VIEW_MAX);
    this.cy.batch(() => {
      this.cy.nodes(".labelled").difference(inView).removeClass("labelled");
      inView.addClass("labelled");
    });
  }

  /** The centre in the middle, the expanded nodes on the first ring, everything else outside them. */
  ringLayout() {
    const others = [...this.nodes.values()].filter((node) => node.id !== this.state.center);
    const expanded = others.filter((node) => this.state.expanded.has(node.id));
    const rest = others.filter((node) => !this.state.expanded.has(node.id));
    const positions = ringPositions(expanded, { x: 0, y: 0 });
    const firstRadius = expanded.length ? 70 + RING_GAP * Math.ceil(expanded.length / 12) : 70;
    for (const [id, position] of ringPositions(rest, { x: 0, y: 0 }, firstRadius)) positions.set(id, position);
    positions.set(this.state.center, { x: 0, y: 0 });
    return positions;
  }

  runLayout(randomize) {
    const visible = this.cy.elements().not(".hidden");
    if (visible.nodes().length <= FORCE_LAYOUT_MAX_NODES && cytoscape("layout", "fcose")) {
      visible.layout(forceLayout(randomize)).run();
      return;
    }
    const positions = this.ringLayout();
    this.cy.nodes().positions((node) => positions.get(node.id()) ?? node.position());
    this.cy.fit(undefined, 30);
  }

  saveUrl() {
    replaceParams("entity", this.state.toParams());
  }

  applyFilters() {
    const state = this.state;
    const yearFiltered = state.yearFrom !== null || state.yearTo !== null;
    this.cy.batch(() => {
      this.cy.nodes().forEach((node) => {
        node.toggleClass("hidden", !node.hasClass("center") && state.hiddenTypes.has(node.data("type")));
      });
      this.cy.edges().forEach((edge) => {
        const shown =
          !state.hiddenRelations.has(edge.data("type")) &&
          state.edgeInYears(edge.data("years")) &&
          !edge.source().hasClass("hidden") &&
          !edge.target().hasClass("hidden");
        edge.toggleClass("hidden", !shown);
      });
      if (yearFiltered || state.hiddenRelations.size) {
        // A node whose every relationship is filtered out says nothing about the chosen years: hide it too.
        const linkedOffCanvas = new Set(this.shownUndrawn().flatMap((edge) => [edge.source, edge.target]));
        this.cy.nodes().forEach((node) => {
          if (node.hasClass("center") || node.hasClass("hidden")) return;
          const linked =
            linkedOffCanvas.has(node.id()) || node.connectedEdges().some((edge) => !edge.hasClass("hidden"));
          node.toggleClass("hidden", !linked);
        });
      }
    });
    this.drawNeighbourList();
    this.drawPartnerCities();
  }

  drawControls() {
    const typeCounts = countBy([...this.nodes.values()], (node) => node.type);
    const relationCounts = countBy([...this.edges.values()], (edge) => edge.type);
    const years = [...this.edges.values()].flatMap((edge) => edge.years ?? []);
    const minYear = years.length ? Math.min(...years) : "";
    const maxYear = years.length ? Math.max(...years) : "";
    const toolbar = h(
      "div",
      { class: "toolbar" },
      h("button", { type: "button", onclick: () => this.cy.fit(undefined, 30) }, t("graph.fit")),
      h(
        "button",
        { type: "button", title: t("graph.zoomIn"), "aria-label": t("graph.zoomIn"), onclick: () => this.zoomBy(1.3) },
        "+",
      ),
      h(
        "button",
        {
          type: "button",
          title: t("graph.zoomOut"),
          "aria-label": t("graph.zoomOut"),
          onclick: () => this.zoomBy(1 / 1.3),
        },
        "−",
      ),
      h("button", { type: "button", onclick: () => this.runLayout(true) }, t("graph.relayout")),
      h("button", { type: "button", id: "export-png", onclick: () => this.exportPng() }, t("graph.png")),
    );
    this.legendBox = h("div", { class: "measure-legend" });
    const typeFilter = h(
      "fieldset",
      { class: "legend" },
      h("legend", {}, t("graph.types")),
      [...typeCounts]
        .sort((a, b) => b[1] - a[1])
        .map(([type, count]) =>
          this.filterRow(
            type,
            count,
            this.state.hiddenTypes,
            h("span", { class: `swatch shape-${typeStyle(type).shape}`, style: { background: typeStyle(type).color } }),
            typeName(type),
          ),
        ),
    );
    const relationFilter = h(
      "fieldset",
      { class: "legend" },
      h("legend", {}, t("graph.relations")),
      [...relationCounts]
        .sort((a, b) => b[1] - a[1])
        .map(([type, count]) =>
          this.filterRow(
            type,
            count,
            this.state.hiddenRelations,
            h("span", {
              class: DASHED_RELATIONS.has(type) ? "line-swatch dashed" : "line-swatch",
              style: { borderColor: relationColor(type) },
            }),
            relationName(type),
          ),
        ),
    );
    this.stats = h("p", { class: "muted" });
    this.partnerCities = h("div", { class: "partner-cities" });
    this.neighbourList = h("ul", { class: "neighbours", "aria-label": t("graph.neighbours") });
    fill(
      this.controls,
      toolbar,
      this.partsSwitch(),
      this.measureControls(),
      this.legendBox,
      typeFilter,
      relationFilter,
      this.yearFilter(minYear, maxYear),
      this.stats,
      this.partnerCities,
      h("h3", { class: "small-heading" }, t("graph.neighbours")),
      this.neighbourList,
    );
    this.drawNeighbourList();
    this.drawPartnerCities();
    this.drawMeasureLegend();
  }

  yearFilter(minYear, maxYear) {
    const input = (name, label) =>
      h("input", {
        type: "number",
        name,
        min: minYear,
        max: maxYear,
        placeholder: name === "year_from" ? minYear : maxYear,
        value: (name === "year_from" ? this.state.yearFrom : this.state.yearTo) ?? "",
        "aria-label": label,
      });
    const yearFrom = input("year_from", t("graph.yearFrom"));
    const yearTo = input("year_to", t("graph.yearTo"));
    const onYears = () => {
      this.state.yearFrom = yearOf(yearFrom.value);
      this.state.yearTo = yearOf(yearTo.value);
      this.applyFilters();
      this.saveUrl();
    };
    yearFrom.addEventListener("change", onYears);
    yearTo.addEventListener("change", onYears);
    return h("fieldset", { class: "years" }, h("legend", {}, t("graph.years")), yearFrom, " – ", yearTo);
  }

  /** For an organisation: whether its parts (institutes, branches) and their cities are drawn too. */
  partsSwitch() {
    const center = this.nodes.get(this.state.center);
    if (!center || AREA_TYPES.has(center.type)) return null;
    const box = h("input", {
      type: "checkbox",
      name: "parts",
      checked: this.state.parts,
      onchange: () => {
        this.state.parts = box.checked;
        this.state.edge = "";
        location.hash = routeHref("entity", this.state.toParams());
      },
    });
    return h("label", { class: "switch" }, box, " ", t("graph.parts"));
  }

  measureControls() {
    const select = (name, value, options, onChange) => {
      const el = h(
        "select",
        { name, onchange: () => onChange(el.value) },
        options.map(([key, label]) => h("option", { value: key, selected: key === value }, label)),
      );
      return el;
    };
    const size = select(
      "size",
      this.state.size,
      [
        ["", t("graph.sizeEqual")],
        ["centrality", t("graph.sizeCentrality")],
      ],
      (value) => {
        this.state.size = value;
        this.saveUrl();
        this.applyMeasures();
      },
    );
    const colour = select(
      "color",
      this.state.colour,
      [
        ["", t("graph.colourType")],
        ["community", t("graph.colourCommunity")],
      ],
      (value) => {
        this.state.colour = value;
        this.saveUrl();
        this.applyMeasures();
      },
    );
    return h(
      "div",
      { class: "measure-controls" },
      h("label", {}, t("graph.size"), " ", size),
      h("label", {}, t("graph.colour"), " ", colour),
    );
  }

  /** Sizes by whole-graph betweenness, colours by whole-graph community (POST /api/analytics/nodes, on demand). */
  async applyMeasures() {
    if ((this.state.size || this.state.colour) && !this.measures) {
      this.legendBox.replaceChildren(message(t("loading")));
      try {
        this.measures = await postJSON("/api/analytics/nodes", { ids: [...this.nodes.keys()] });
      } catch (error) {
        this.legendBox.replaceChildren(message(t("error", { message: error.message }), "error"));
        return;
      }
    }
    const byId = new Map((this.measures?.nodes ?? []).map((node) => [node.id, node]));
    const top = Math.max(1e-9, ...[...byId.values()].map((node) => node.betweenness));
    const colours = this.communityColours();
    this.cy.batch(() => {
      this.cy.nodes().forEach((node) => {
        const measured = byId.get(node.id());
        const base = node.hasClass("center") ? 38 : NODE_SIZE;
        const share = measured ? Math.sqrt(measured.betweenness / top) : 0;
        node.data("size", this.state.size ? 14 + 46 * share : base);
        const community = measured?.community;
        node.data(
          "color",
          this.state.colour ? (colours.get(community) ?? OUTSIDE_COMMUNITY) : typeStyle(node.data("type")).color,
        );
      });
    });
    this.drawMeasureLegend();
  }

  /** The largest communities among the nodes drawn get a colour each; the rest share grey. */
  communityColours() {
    const colours = new Map();
    (this.measures?.communities ?? [])
      .slice(0, COMMUNITY_COLOURS_SHOWN)
      .forEach((community, index) => colours.set(community.community, SERIES_COLORS[index]));
    return colours;
  }

  drawMeasureLegend() {
    if (!this.legendBox) return;
    const parts = [];
    if (this.state.size && this.measures) {
      parts.push(
        h(
          "p",
          { class: "size-legend" },
          h("span", { class: "dot small" }),
          h("span", { class: "dot large" }),
          " ",
          t("graph.sizeLegend"),
        ),
      );
    }
    if (this.state.colour && this.measures) {
      const communities = this.measures.communities ?? [];
      const colours = this.communityColours();
      const counts = countBy(this.measures.nodes, (node) => node.community);
      parts.push(
        h(
          "fieldset",
          { class: "legend" },
          h("legend", {}, t("graph.communities")),
          communities
            .slice(0, COMMUNITY_COLOURS_SHOWN)
            .map((community) =>
              h(
                "div",
                { class: "filter-row" },
                h("span", { class: "swatch shape-ellipse", style: { background: colours.get(community.community) } }),
                h("span", {}, t("graph.community", { label: community.label ?? community.community })),
                h("span", { class: "count" }, counts.get(community.community) ?? 0),
              ),
            ),
          h(
            "div",
            { class: "filter-row" },
            h("span", { class: "swatch shape-ellipse", style: { background: OUTSIDE_COMMUNITY } }),
            h("span", {}, t("graph.otherCommunities")),
          ),
        ),
      );
    }
    this.legendBox.replaceChildren(...parts);
  }

  filterRow(key, count, hiddenSet, swatch, label) {
    const box = h("input", {
      type: "checkbox",
      checked: !hiddenSet.has(key),
      value: key,
      onchange: () => {
        if (box.checked) hiddenSet.delete(key);
        else hiddenSet.add(key);
        this.applyFilters();
        this.saveUrl();
      },
    });
    return h("label", { class: "filter-row" }, box, swatch, h("span", {}, label), h("span", { class: "count" }, count));
  }

  drawNeighbourList() {
    if (!this.neighbourList) return;
    const visible = this.cy.nodes().not(".hidden");
    const edges = this.cy.edges().not(".hidden").length + this.shownUndrawn().length;
    this.stats.textContent = t("graph.nodes", { n: visible.length, e: edges });
    const all = visible
      .filter((node) => !node.hasClass("center"))
      .map((node) => node.data())
      .sort(byTypeThenName);
    const items = this.showAllNeighbours ? all : all.slice(0, NEIGHBOUR_LIST_FIRST);
    const more =
      items.length < all.length
        ? h(
            "li",
            {},
            h(
              "button",
              {
                type: "button",
                class: "link",
                onclick: () => {
                  this.showAllNeighbours = true;
                  this.drawNeighbourList();
                },
              },
              t("graph.allNeighbours", { n: all.length }),
            ),
          )
        : null;
    fill(
      this.neighbourList,
      ...items.map((node) =>
        h(
          "li",
          {},
          typeBadge(node.type),
          h(
            "a",
            {
              href: entityHref(node.id),
              dataset: { id: node.id },
              onclick: (event) => {
                event.preventDefault();
                this.focusNode(node.id);
              },
            },
            node.name ?? node.id,
          ),
        ),
      ),
      more,
    );
  }

  /**
   * The cities cooperating with the centre, directly or through its parts, each with the path that makes it a
   * partner: 三明市 → 中国科学院福建物质结构研究所 → 中国科学院.
   */
  drawPartnerCities() {
    if (!this.partnerCities) return;
    const center = this.nodes.get(this.state.center);
    if (!center || AREA_TYPES.has(center.type)) {
      this.partnerCities.replaceChildren();
      return;
    }
    const paths = partnerCityPaths(this.edges.values(), this.nodes, this.state.center);
    if (!paths.length) {
      this.partnerCities.replaceChildren();
      return;
    }
    this.partnerCities.replaceChildren(
      h(
        "h3",
        { class: "small-heading" },
        t(this.state.parts ? "graph.partnerCitiesWithParts" : "graph.partnerCities", { n: paths.length }),
      ),
      h(
        "ol",
        { class: "partner-paths" },
        paths.map((path) =>
          h(
            "li",
            { dataset: { city: path.nodes[0].name } },
            path.nodes.map((node, index) => [
              index ? h("span", { class: "arrow", "aria-hidden": "true" }, " → ") : null,
              index === 0
                ? h(
                    "button",
                    {
                      type: "button",
                      class: "link",
                      title: t("graph.showEvidence"),
                      onclick: () => this.showEdge(path.edge),
                    },
                    node.name,
                  )
                : h("span", {}, node.name),
            ]),
          ),
        ),
      ),
    );
  }

  focusNode(id) {
    const node = this.cy.getElementById(id);
    this.cy.elements().unselect();
    node.select();
    this.cy.animate({ center: { eles: node }, zoom: Math.max(this.cy.zoom(), 1) }, { duration: 200 });
    this.showNode(node);
  }

  zoomBy(factor) {
    const { width, height } = this.container.getBoundingClientRect();
    this.cy.zoom({ level: this.cy.zoom() * factor, renderedPosition: { x: width / 2, y: height / 2 } });
  }

  exportPng() {
    const blob = this.cy.png({ output: "blob", bg: "#ffffff", full: true, scale: 2, maxWidth: 6000, maxHeight: 6000 });
    const url = URL.createObjectURL(blob);
    const center = this.nodes.get(this.state.center)?.name ?? "graph";
    h("a", { href: url, download: `policykg-${center}.png` }).click();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  async onNodeTap(node) {
    this.showNode(node);
    if (node.hasClass("expanded")) return;
    await this.expand(node);
  }

  async expand(node) {
    node.addClass("expanded");
    this.state.expanded.add(node.id());
    this.saveUrl();
    let neighbourhood;
    try {
      neighbourhood = await fetchNeighbourhood(node.id());
    } catch (error) {
      node.removeClass("expanded");
      this.state.expanded.delete(node.id());
      this.side.append(message(t("error", { message: error.message }), "error"));
      return;
    }
    const added = this.merge(neighbourhood);
    if (!added.nodes.length && !added.edges.length) return;
    const position = node.position();
    const forced = this.nodes.size <= FORCE_LAYOUT_MAX_NODES;
    // In a large graph the newcomers ring the node they came from, and nothing else moves.
    const around = forced ? new Map() : ringPositions(added.nodes, position, 50);
    this.cy.add([
      ...added.nodes.map((data) => ({
        ...nodeElement(data, this.state.center),
        position: around.get(data.id) ?? { ...position },
      })),
      ...added.edges.filter((edge) => this.isDrawn(edge)).map(edgeElement),
    ]);
    this.measures = null; // the newcomers are not measured yet
    this.applyFilters();
    this.drawControls();
    if (this.state.size || this.state.colour) this.applyMeasures();
    if (forced) this.runLayout(false);
    if (this.cy.$(":selected").nodes().length) this.showNode(this.cy.$(":selected").nodes()[0]);
  }

  showNode(node) {
    const data = node.data();
    const hidden = new Set(["id", "name", "type", "aliases", "label", "color", "shape", "size"]);
    const properties = Object.entries(data).filter(
      ([key, value]) => !hidden.has(key) && value !== null && value !== "",
    );
    const aliases = (data.aliases ?? []).filter((alias) => alias !== data.name);
    fill(
      this.side,
      h("div", { class: "entity-title" }, typeBadge(data.type), h("h2", {}, data.name ?? data.id)),
      aliases.length ? h("p", { class: "aliases" }, `${t("search.aliases")} ${aliases.join("、")}`) : null,
      properties.length
        ? h(
            "dl",
            { class: "props" },
            properties.map(([key, value]) => [
              h("dt", {}, key),
              h("dd", {}, typeof value === "object" ? JSON.stringify(value) : String(value)),
            ]),
          )
        : null,
      h(
        "p",
        {},
        node.hasClass("expanded")
          ? h("span", { class: "muted" }, t("graph.expanded"))
          : h("button", { type: "button", onclick: () => this.expand(node) }, t("graph.expand")),
        " ",
        data.id !== this.state.center ? h("a", { href: entityHref(data.id) }, t("graph.recentre")) : null,
      ),
      this.nodeEdges(node),
    );
  }

  /** The node's relationships as buttons: the keyboard's way to every edge and its evidence, drawn or not. */
  nodeEdges(node) {
    const shown = (this.byNode.get(node.id()) ?? []).filter((edge) => this.edgeShown(edge));
    if (!shown.length) return null;
    const edges = [...shown].sort((a, b) => (b.documents ?? 0) - (a.documents ?? 0)).slice(0, NODE_EDGES_LISTED);
    return [
      h("h3", { class: "small-heading" }, t("graph.nodeRelations", { n: shown.length })),
      h(
        "ul",
        { class: "node-edges" },
        edges.map((edge) => {
          const other = this.nodes.get(edge.source === node.id() ? edge.target : edge.source);
          return h(
            "li",
            {},
            h(
              "button",
              { type: "button", class: "link", onclick: () => this.showEdge(edge) },
              `${relationName(edge.type)} — ${other?.name ?? other?.id ?? ""}`,
            ),
            edge.documents ? h("span", { class: "muted" }, ` ${t("evidence.docs", { n: edge.documents })}`) : null,
          );
        }),
      ),
    ];
  }

  /** Select an edge (its line, when drawn) and show its evidence; `edge` is its data. */
  showEdge(edge) {
    this.cy.elements().unselect();
    this.cy.$id(edgeKey(edge)).select();
    this.showEdgeEvidence(edge);
  }

  onEdgeTap(element) {
    this.showEdgeEvidence(element.data());
  }

  showEdgeEvidence(edge) {
    this.state.edge = edgeKey(edge);
    this.saveUrl();
    const source = this.nodes.get(edge.source) ?? { name: edge.source };
    const target = this.nodes.get(edge.target) ?? { name: edge.target };
    showEvidence(this.side, {
      source: edge.source,
      target: edge.target,
      type: edge.type,
      title: `${source.name} — ${relationName(edge.type)} — ${target.name}`,
      names: [source.name, target.name, ...(source.aliases ?? []), ...(target.aliases ?? [])],
    });
  }

  restoreSelectedEdge() {
    const edge = this.state.edge && this.edges.get(this.state.edge);
    if (edge) this.showEdge(edge);
  }
}

/**
 * Cities linked by cooperation to `centerId` or to one of its parts (PART_OF chains ending at it), one path each:
 * [{nodes: [city, part…, centre], edge}] with node and edge data, direct partners first, then by name.
 */
export function partnerCityPaths(edges, nodes, centerId) {
  const all = [...edges];
  const parentOf = new Map(all.filter((edge) => edge.type === "PART_OF").map((edge) => [edge.source, edge.target]));
  const chainToCentre = (id) => {
    const chain = [id];
    let current = id;
    for (let step = 0; step < 4 && current !== centerId; step += 1) {
      current = parentOf.get(current);
      if (!current) return null;
      chain.push(current);
    }
    return current === centerId ? chain : null;
  };
  const best = new Map();
  for (const edge of all) {
    if (edge.type !== "COOPERATES_WITH" || nodes.get(edge.source)?.type !== "City") continue;
    const chain = chainToCentre(edge.target);
    if (!chain || !chain.every((id) => nodes.has(id))) continue;
    const known = best.get(edge.source);
    if (!known || chain.length + 1 < known.nodes.length) {
      best.set(edge.source, { nodes: [edge.source, ...chain].map((id) => nodes.get(id)), edge });
    }
  }
  return [...best.values()].sort(
    (a, b) => a.nodes.length - b.nodes.length || byChinese(a.nodes[0].name, b.nodes[0].name),
  );
}

function countBy(items, key) {
  const counts = new Map();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}
