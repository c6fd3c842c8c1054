// An entity's neighbourhood as a graph: expand on click, filter by type, relationship and year, evidence per edge.
import { getJSON } from "../api.js";
import { entityHref, fill, h, message, relationColor, typeBadge, typeStyle } from "../dom.js";
import { relationName, t, typeName } from "../i18n.js";
import { replaceParams, routeHref } from "../router.js";
import { showEvidence } from "./evidence.js";

// Above this many nodes the force layout costs more than a second; rings around the centre stay instant.
const FORCE_LAYOUT_MAX_NODES = 400;
const NEIGHBOUR_LIST_MAX = 300;
const RING_GAP = 60;
const LABEL_ZOOM = 0.6;
const LABELS_IN_VIEW_MAX = 400;
const NODE_SPACING = 30;
const NODE_LIMIT = 2000; // the API's cap

function edgeKey(edge) {
  return edge.id ?? `${edge.source}|${edge.type}|${edge.target}`;
}

// Colour and shape travel in each element's data: two data-mapped rules instead of one selector per type.
function nodeElement(node, center) {
  const style = typeStyle(node.type);
  return {
    group: "nodes",
    data: { ...node, label: node.name ?? node.id, color: style.color, shape: style.shape },
    classes: node.id === center ? "center" : "",
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
        width: 22,
        height: 22,
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
            "text-background-opacity": 0.7,
            "text-background-padding": 1,
          },
        },
    {
      selector: "node.center",
      style: {
        width: 38,
        height: 38,
        "font-size": 14,
        "font-weight": "bold",
        "border-width": 3,
        "border-color": "#1d2733",
      },
    },
    { selector: "node.expanded", style: { "border-width": 2, "border-color": "#1d2733", "border-style": "double" } },
    { selector: "node:selected", style: { "overlay-color": "#d1242f", "overlay-opacity": 0.25 } },
    {
      selector: "edge",
      style: {
        width: "mapData(documents, 1, 5, 1.5, 6)",
        "line-color": "data(color)",
        "line-style": "data(dash)",
        opacity: 0.85,
        "curve-style": large ? "haystack" : "bezier",
        "target-arrow-shape": large ? "none" : "triangle",
        "target-arrow-color": "data(color)",
        "arrow-scale": 0.8,
      },
    },
    {
      selector: "edge:selected",
      style: {
        "line-color": "#1d2733",
        "target-arrow-color": "#1d2733",
        opacity: 1,
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

/**
 * Positions on rings around a point, filled in order, each ring holding as many nodes as its circumference has
 * room for: O(n), so thousands of nodes are placed at once; sorted by type, each type makes an arc of one colour.
 */
function ringPositions(nodes, origin, firstRadius = 70) {
  const positions = new Map();
  const sorted = [...nodes].sort(
    (a, b) => String(a.type).localeCompare(String(b.type)) || String(a.name).localeCompare(String(b.name), "zh"),
  );
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
  }

  toParams() {
    return {
      id: this.center,
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

async function fetchNeighbourhood(id) {
  return getJSON("/api/entity", { id, depth: 1, limit: NODE_LIMIT });
}

export async function render(root, params, routeName, isCurrent) {
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
  const first = await fetchNeighbourhood(state.center);
  const extra = await Promise.all([...state.expanded].filter((id) => id !== state.center).map(fetchNeighbourhood));
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
      }
    }
    return added;
  }

  mount() {
    const centerNode = this.nodes.get(this.state.center);
    this.container = h("div", { id: "cy", "aria-label": "graph" });
    this.side = h("aside", { id: "side", class: "side" }, message(t("graph.hint")));
    this.controls = h("aside", { class: "controls" });
    this.root.replaceChildren(h("section", { class: "graph-view" }, this.controls, this.container, this.side));
    this.header = h(
      "div",
      { class: "entity-title" },
      centerNode ? typeBadge(centerNode.type) : null,
      h("h2", {}, centerNode?.name ?? this.state.center),
    );
    this.large = this.nodes.size > FORCE_LAYOUT_MAX_NODES;
    // A large neighbourhood gets its positions with its elements: no layout pass after creation.
    const positions = this.large ? this.ringLayout() : new Map();
    this.cy = cytoscape({
      container: this.container,
      elements: [
        ...[...this.nodes.values()].map((node) => ({
          ...nodeElement(node, this.state.center),
          position: positions.get(node.id),
        })),
        ...[...this.edges.values()]
          .filter((edge) => this.nodes.has(edge.source) && this.nodes.has(edge.target))
          .map(edgeElement),
      ],
      style: graphStyle(this.large),
      minZoom: 0.02,
      maxZoom: 5,
      ...this.initialViewport(positions),
      textureOnViewport: this.large,
      hideEdgesOnViewport: this.large,
      motionBlur: false,
      boxSelectionEnabled: false,
    });
    window.policykgGraph = this.cy; // a handle for the browser tests and the benchmark
    this.cy
      .nodes()
      .filter((node) => this.state.expanded.has(node.id()) || node.id() === this.state.center)
      .addClass("expanded");
    if (this.large) {
      this.cy.on("viewport", () => this.scheduleLabels());
      this.cy.on("mouseover", "node", (event) => event.target.addClass("hovered"));
      this.cy.on("mouseout", "node", (event) => event.target.removeClass("hovered"));
    }
    this.cy.on("tap", "node", (event) => this.onNodeTap(event.target));
    this.cy.on("tap", "edge", (event) => this.onEdgeTap(event.target));
    if (this.state.filtering()) this.applyFilters(); // nothing to hide: skip a pass over every element
    if (!this.large) this.runLayout(true);
    this.drawControls();
    this.cy.one("render", () =>
      requestAnimationFrame(() => {
        performance.mark("policykg:graph-ready");
        this.root.dataset.ready = String(Math.round(performance.now() - this.started));
      }),
    );
    this.cy.forceRender?.();
    this.restoreSelectedEdge();
    if (this.nodes.size <= 1) this.side.replaceChildren(message(t("graph.empty")));
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
        this.cy.nodes().forEach((node) => {
          if (node.hasClass("center") || node.hasClass("hidden")) return;
          const linked = node.connectedEdges().some((edge) => !edge.hasClass("hidden"));
          node.toggleClass("hidden", !linked);
        });
      }
    });
    this.drawNeighbourList();
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
      h("button", { type: "button", title: t("graph.zoomIn"), onclick: () => this.zoomBy(1.3) }, "+"),
      h("button", { type: "button", title: t("graph.zoomOut"), onclick: () => this.zoomBy(1 / 1.3) }, "−"),
      h("button", { type: "button", onclick: () => this.runLayout(true) }, t("graph.relayout")),
      h("button", { type: "button", id: "export-png", onclick: () => this.exportPng() }, t("graph.png")),
    );
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
            h("span", { class: "line-swatch", style: { background: relationColor(type) } }),
            relationName(type),
          ),
        ),
    );
    const yearFrom = h("input", {
      type: "number",
      name: "year_from",
      min: minYear,
      max: maxYear,
      placeholder: minYear,
      value: this.state.yearFrom ?? "",
    });
    const yearTo = h("input", {
      type: "number",
      name: "year_to",
      min: minYear,
      max: maxYear,
      placeholder: maxYear,
      value: this.state.yearTo ?? "",
    });
    const onYears = () => {
      this.state.yearFrom = yearOf(yearFrom.value);
      this.state.yearTo = yearOf(yearTo.value);
      this.applyFilters();
      this.saveUrl();
    };
    yearFrom.addEventListener("change", onYears);
    yearTo.addEventListener("change", onYears);
    const yearFilter = h("fieldset", { class: "years" }, h("legend", {}, t("graph.years")), yearFrom, " – ", yearTo);
    this.stats = h("p", { class: "muted" });
    this.neighbourList = h("ul", { class: "neighbours" });
    this.controls.replaceChildren(
      this.header,
      toolbar,
      typeFilter,
      relationFilter,
      yearFilter,
      this.stats,
      this.neighbourList,
    );
    this.drawNeighbourList();
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
    this.stats.textContent = t("graph.nodes", { n: visible.length, e: this.cy.edges().not(".hidden").length });
    const items = visible
      .filter((node) => !node.hasClass("center"))
      .map((node) => node.data())
      .sort((a, b) => a.type.localeCompare(b.type) || String(a.name).localeCompare(String(b.name), "zh"))
      .slice(0, NEIGHBOUR_LIST_MAX);
    this.neighbourList.replaceChildren(
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
      ...added.edges.filter((edge) => this.nodes.has(edge.source) && this.nodes.has(edge.target)).map(edgeElement),
    ]);
    this.applyFilters();
    this.drawControls();
    if (forced) this.runLayout(false);
  }

  showNode(node) {
    const data = node.data();
    const hidden = new Set(["id", "name", "type", "aliases", "label", "color", "shape"]);
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
    );
  }

  onEdgeTap(edge) {
    const data = edge.data();
    this.state.edge = data.id;
    this.saveUrl();
    const source = edge.source().data();
    const target = edge.target().data();
    showEvidence(this.side, {
      source: data.source,
      target: data.target,
      type: data.type,
      title: `${source.name} — ${relationName(data.type)} — ${target.name}`,
      names: [source.name, target.name, ...(source.aliases ?? []), ...(target.aliases ?? [])],
    });
  }

  restoreSelectedEdge() {
    if (!this.state.edge) return;
    const edge = this.cy.getElementById(this.state.edge);
    if (edge.nonempty()) {
      edge.select();
      this.onEdgeTap(edge);
    }
  }
}

function countBy(items, key) {
  const counts = new Map();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}
