// The documents: a list with an upload form, and one document with its metadata (an inferred value marked as
// such), its outline and every extracted span highlighted in its text.
import { getJSON, postFile } from "../api.js";
import { entityHref, errorMessage, exportLinks, fill, h, message, typeBadge, typeStyle } from "../dom.js";
import { currentLang, relationName, t } from "../i18n.js";
import { routeHref } from "../router.js";
import { describeValue } from "./targets.js";

const TOKEN_KEY = "policykg.apiToken"; // kept for the browser tab only (sessionStorage)
const GENRES = {
  plan: ["工作要点、计划、方案", "plan"],
  "work-report": ["政府工作报告", "work report"],
  review: ["工作总结", "review"],
  regulation: ["条例、办法", "regulation"],
  "task-table": ["任务分解表", "task table"],
  other: ["其他", "other"],
};

function genreName(genre) {
  const names = GENRES[genre];
  return names ? names[currentLang() === "zh" ? 0 : 1] : (genre ?? "");
}

/**
 * How each metadata field was found ({year: "inference:review heading 2017年工作回顾 → 2018", city: "header:…"}): the
 * graph keeps the inferred ones as `inference` ["year: review heading …"]; a full `provenance` map, when an answer has
 * one, adds how the others were read.
 */
function provenanceOf(doc) {
  let found = doc.provenance;
  if (typeof found === "string") {
    try {
      found = JSON.parse(found);
    } catch {
      found = null;
    }
  }
  const how = found && typeof found === "object" ? { ...found } : {};
  for (const line of doc.inference ?? []) {
    const [field, ...reason] = String(line).split(": ");
    how[field] = `inference:${reason.join(": ")}`;
  }
  return how;
}

function howFound(how) {
  const text = String(how);
  if (text.startsWith("header:")) return t("docs.how.header", { label: text.slice("header:".length) });
  if (text.startsWith("inference")) {
    const reason = text.slice("inference".length).replace(/^:\s*/, "");
    return reason ? `${t("docs.how.inference")}：${reason}` : t("docs.how.inference");
  }
  return t(`docs.how.${text}`) === `docs.how.${text}` ? text : t(`docs.how.${text}`);
}

function isInferred(how) {
  return typeof how === "string" && how.startsWith("inference");
}

/** A metadata value, with （推断） when it was inferred rather than read, and how it was found on hover. */
function metaValue(doc, field, value) {
  const how = provenanceOf(doc)[field];
  const shown = field === "genre" ? genreName(value) : String(value);
  return h(
    "span",
    { class: isInferred(how) ? "inferred" : null, title: how ? howFound(how) : null },
    shown,
    isInferred(how) ? t("docs.inferred") : null,
  );
}

function metadata(doc) {
  const fields = ["city", "county", "province", "year", "genre", "doc_number", "issuer", "published", "source"];
  const rows = fields.filter((field) => doc[field] !== null && doc[field] !== undefined && doc[field] !== "");
  return h(
    "dl",
    { class: "props doc-meta" },
    rows.map((field) => [h("dt", {}, t(`docs.${field}`)), h("dd", {}, metaValue(doc, field, doc[field]))]),
  );
}

function documentList(documents) {
  if (!documents.length) return message(t("docs.empty"));
  const table = h(
    "table",
    { class: "data" },
    h(
      "thead",
      {},
      h(
        "tr",
        {},
        [t("docs.titleCol"), t("docs.city"), t("docs.province"), t("docs.year"), t("docs.genre"), t("docs.number")].map(
          (label) => h("th", { scope: "col" }, label),
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
          h("td", {}, [doc.city, doc.county].filter(Boolean).join(" ")),
          h("td", {}, doc.province ?? ""),
          h("td", {}, doc.year === null || doc.year === undefined ? "" : metaValue(doc, "year", doc.year)),
          h("td", {}, doc.genre ? metaValue(doc, "genre", doc.genre) : ""),
          h("td", {}, doc.doc_number ?? ""),
        ),
      ),
    ),
  );
  return h("div", { class: "table-wrap" }, table);
}

/** Upload a file with the write token; the answer says what was found in it. */
function uploadForm(onLoaded) {
  const file = h("input", {
    id: "upload-file",
    name: "file",
    type: "file",
    accept: ".txt,.html,.htm,.docx,.pdf",
    required: true,
  });
  const token = h("input", {
    id: "upload-token",
    name: "token",
    type: "password",
    autocomplete: "off",
    required: true,
    value: sessionStorage.getItem(TOKEN_KEY) ?? "",
  });
  const result = h("div", { class: "upload-result", "aria-live": "polite" });
  const button = h("button", { type: "submit" }, t("docs.upload"));
  const form = h(
    "form",
    {
      class: "upload",
      onsubmit: async (event) => {
        event.preventDefault();
        if (!file.files.length) return;
        sessionStorage.setItem(TOKEN_KEY, token.value);
        button.disabled = true;
        result.replaceChildren(message(t("docs.uploading")));
        try {
          const answer = await postFile("/api/documents", file.files[0], token.value.trim());
          result.replaceChildren(uploadSummary(answer));
          onLoaded();
        } catch (error) {
          result.replaceChildren(errorMessage(error));
        } finally {
          button.disabled = false;
        }
      },
    },
    h("h3", {}, t("docs.uploadTitle")),
    h("p", { class: "muted" }, t("docs.uploadHint")),
    h("p", { class: "upload-fields" }, h("label", { for: "upload-file" }, t("docs.file")), file),
    h("p", { class: "upload-fields" }, h("label", { for: "upload-token" }, t("docs.token")), token),
    button,
    result,
  );
  return form;
}

function uploadSummary(answer) {
  const found = answer.found ?? {};
  const place = [answer.province, answer.city, answer.county].filter(Boolean).join(" ");
  const facts = [
    [t("docs.city"), place || t("docs.unknown")],
    [t("docs.year"), answer.year ?? t("docs.unknown")],
    [t("docs.genre"), answer.genre ? genreName(answer.genre) : t("docs.unknown")],
    [t("docs.number"), answer.doc_number ?? t("docs.unknown")],
    [t("docs.entities"), found.entities ?? 0],
    [t("docs.cooperations"), found.cooperations ?? 0],
    [t("docs.targets"), found.targets ?? 0],
    [t("docs.results"), found.results ?? 0],
  ];
  return h(
    "div",
    { class: "upload-summary" },
    h(
      "p",
      {},
      t(answer.loaded ? (answer.replaced ? "docs.replaced" : "docs.loaded") : "docs.unchanged"),
      " ",
      h("a", { href: routeHref("document", { id: answer.doc_id }) }, answer.title ?? answer.doc_id),
    ),
    h(
      "dl",
      { class: "props" },
      facts.map(([label, value]) => [h("dt", {}, label), h("dd", { dataset: { found: label } }, String(value))]),
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
  const fact = target.fact === "result" ? `${t("targets.fact.result")} ` : "";
  return `${fact}${target.metric ?? ""}: ${describeValue(target)}` + (target.year ? ` (${target.year})` : "");
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
        metadata(doc),
        exportLinks("/api/queries/document-facts", { doc: doc.id }),
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
  const list = h("div", {}, message(t("loading")));
  const refresh = async () => fill(list, documentList(await getJSON("/api/documents")));
  root.replaceChildren(
    h(
      "section",
      { class: "page" },
      h("h2", {}, t("docs.title")),
      exportLinks("/api/documents"),
      list,
      uploadForm(refresh),
    ),
  );
  await refresh();
}
