// The documents: a list, and one document with its outline and every extracted span highlighted in its text.
import { getJSON } from "../api.js";
import { entityHref, h, message, typeBadge, typeStyle } from "../dom.js";
import { relationName, t } from "../i18n.js";
import { routeHref } from "../router.js";

function documentList(documents) {
  if (!documents.length) return message(t("docs.empty"));
  return h(
    "table",
    { class: "data" },
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        [t("docs.titleCol"), t("docs.city"), t("docs.province"), t("docs.year"), t("docs.number")].map((label) =>
          h("th", {}, label),
        ),
      ),
    ),
    h(
      "tbody",
      {},
      documents.map((doc) =>
        h(
          "tr",
          {},
          h("td", {}, h("a", { href: routeHref("document", { id: doc.id }) }, doc.title ?? doc.file ?? doc.id)),
          h("td", {}, doc.city ?? ""),
          h("td", {}, doc.province ?? ""),
          h("td", {}, doc.year ?? ""),
          h("td", {}, doc.doc_number ?? ""),
        ),
      ),
    ),
  );
}

/**
 * The text cut at every boundary that matters (section starts, span ends, the evidence range), so each piece
 * is plain, one highlighted span, or part of the evidence — spans never nest in each other.
 */
function renderText(text, sections, spans, evidence) {
  const kept = [];
  let reach = -1;
  for (const span of [...spans].sort((a, b) => a.start - b.start || b.end - a.end)) {
    if (span.start >= reach && span.end > span.start) {
      kept.push(span);
      reach = span.end;
    }
  }
  const cuts = new Set([0, text.length]);
  sections.forEach((section) => cuts.add(section.start));
  kept.forEach((span) => {
    cuts.add(span.start);
    cuts.add(span.end);
  });
  if (evidence) {
    cuts.add(evidence.start);
    cuts.add(evidence.end);
  }
  const points = [...cuts].filter((cut) => cut >= 0 && cut <= text.length).sort((a, b) => a - b);
  const sectionStarts = new Map(sections.map((section, index) => [section.start, index]));
  const body = h("div", { class: "doc-text" });
  let spanIndex = 0;
  for (let i = 0; i < points.length - 1; i += 1) {
    const [from, to] = [points[i], points[i + 1]];
    if (sectionStarts.has(from)) body.append(h("span", { id: `section-${sectionStarts.get(from)}`, class: "anchor" }));
    while (spanIndex < kept.length && kept[spanIndex].end <= from) spanIndex += 1;
    const span = kept[spanIndex] && kept[spanIndex].start <= from && kept[spanIndex].end >= to ? kept[spanIndex] : null;
    const piece = text.slice(from, to);
    let node = span
      ? h(
          "a",
          {
            class: "span",
            href: entityHref(span.entity_id),
            title: `${span.name} · ${span.type}`,
            style: { borderColor: typeStyle(span.type).color, background: `${typeStyle(span.type).color}22` },
          },
          piece,
        )
      : document.createTextNode(piece);
    if (evidence && from >= evidence.start && to <= evidence.end) node = h("mark", { class: "evidence" }, node);
    body.append(node);
  }
  return body;
}

function outline(sections) {
  return h(
    "ol",
    { class: "outline" },
    sections.map((section, index) =>
      h(
        "li",
        {
          style: { marginLeft: `${Math.max(0, (section.level ?? 1) - 1)}em` },
        },
        h(
          "a",
          {
            href: `#section-${index}`,
            onclick: (event) => {
              event.preventDefault();
              document.getElementById(`section-${index}`)?.scrollIntoView({ block: "start", behavior: "smooth" });
            },
          },
          [section.marker, section.title].filter(Boolean).join(" "),
        ),
      ),
    ),
  );
}

function spanSummary(spans) {
  const entities = new Map();
  for (const span of spans) entities.set(span.entity_id, span);
  return h(
    "ul",
    { class: "span-list" },
    [...entities.values()].map((span) =>
      h("li", {}, typeBadge(span.type), h("a", { href: entityHref(span.entity_id) }, span.name)),
    ),
  );
}

function describeTarget(target) {
  const comparator = target.comparator && target.comparator !== "=" ? `${target.comparator} ` : "";
  const range = target.value_max ? `–${target.value_max}` : "";
  return (
    `${target.metric ?? ""}: ${comparator}${target.value ?? ""}${range}${target.unit ?? ""}` +
    (target.year ? ` (${target.year})` : "")
  );
}

function describeRelation(relation) {
  const source = relation.source_name ?? relation.source;
  return `${source} — ${relationName(relation.type)} — ${relation.target_name ?? relation.target}`;
}

/** Targets or relations, each a link that shows the document again with its text highlighted. */
function factsList(docId, items, describe) {
  return items?.length
    ? h(
        "ul",
        { class: "facts" },
        items.map((item) =>
          h(
            "li",
            {},
            Number.isInteger(item.start)
              ? h("a", { href: routeHref("document", { id: docId, start: item.start, end: item.end }) }, describe(item))
              : describe(item),
          ),
        ),
      )
    : null;
}

async function renderDocument(root, params) {
  const doc = await getJSON("/api/document", { id: params.get("id") });
  const start = Number.parseInt(params.get("start"), 10);
  const end = Number.parseInt(params.get("end"), 10);
  const evidence = Number.isFinite(start) && Number.isFinite(end) ? { start, end } : null;
  const meta = [doc.city, doc.province, doc.year, doc.doc_number].filter(
    (part) => part !== null && part !== undefined && part !== "",
  );
  const sections = doc.sections ?? [];
  const text = renderText(doc.text ?? "", sections, doc.spans ?? [], evidence);
  root.replaceChildren(
    h(
      "section",
      { class: "document" },
      h(
        "nav",
        { class: "side-nav" },
        h("a", { href: "#/documents" }, `← ${t("docs.back")}`),
        h("h3", {}, t("docs.outline")),
        outline(sections),
        h("h3", {}, t("docs.spans")),
        spanSummary(doc.spans ?? []),
      ),
      h(
        "article",
        { class: "page" },
        h("h2", {}, doc.title ?? doc.id),
        h("p", { class: "muted" }, meta.join(" · ")),
        text,
      ),
      h(
        "aside",
        { class: "side" },
        doc.targets?.length ? h("h3", {}, t("docs.targets")) : null,
        factsList(doc.id, doc.targets, describeTarget),
        doc.relations?.length ? h("h3", {}, t("docs.relations")) : null,
        factsList(doc.id, doc.relations, describeRelation),
      ),
    ),
  );
  root.querySelector("mark.evidence")?.scrollIntoView({ block: "center" });
}

export async function render(root, params, routeName) {
  if (routeName === "document") return renderDocument(root, params);
  const documents = await getJSON("/api/documents");
  root.replaceChildren(h("section", { class: "page" }, h("h2", {}, t("docs.title")), documentList(documents)));
}
