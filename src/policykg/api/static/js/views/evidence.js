// Every sentence behind a relationship, in its document: the graph, the matrix and the map all show it this way.
import { getJSON } from "../api.js";
import { errorMessage, exportLinks, fill, h, highlightNames, message } from "../dom.js";
import { relationName, t } from "../i18n.js";
import { routeHref } from "../router.js";

function evidenceItem(item, names) {
  const meta = [item.city, item.year, item.doc_number].filter(
    (part) => part !== null && part !== undefined && part !== "",
  );
  return h(
    "article",
    { class: "evidence-item" },
    h("p", { class: "sentence" }, highlightNames(item.sentence ?? "", names)),
    h(
      "div",
      { class: "evidence-meta" },
      h("strong", {}, item.title ?? item.doc_id),
      meta.length ? h("span", {}, ` · ${meta.join(" · ")}`) : null,
      item.confidence !== undefined && item.confidence !== null
        ? h("span", { class: "muted" }, ` · ${t("evidence.confidence")} ${Number(item.confidence).toFixed(2)}`)
        : null,
    ),
    h(
      "a",
      { class: "open-doc", href: routeHref("document", { id: item.doc_id, start: item.start, end: item.end }) },
      t("evidence.open"),
    ),
  );
}

/**
 * Fill `container` with the evidence for source -[type]-> target.
 * `names` are the words to highlight in each sentence: both ends' names and aliases.
 */
export async function showEvidence(container, { source, target, type, title, names, heading: level = "h2" }) {
  container.replaceChildren(h(level, {}, t("evidence.title")), message(t("loading")));
  try {
    const items = await getJSON("/api/evidence", { source, target, type });
    const heading = level === "h2" ? h("h2", {}, t("evidence.title")) : null;
    const subtitle = h("p", { class: "evidence-title" }, title ?? `${source} — ${relationName(type)} — ${target}`);
    fill(
      container,
      heading,
      subtitle,
      items.length ? h("p", { class: "muted" }, t("evidence.count", { n: items.length })) : message(t("evidence.none")),
      items.map((item) => evidenceItem(item, names)),
      exportLinks("/api/evidence", { source, target, type }),
    );
  } catch (error) {
    container.replaceChildren(h(level, {}, t("evidence.title")), errorMessage(error));
  }
}

/** The evidence on a page of its own: #/evidence?source=…&target=…&type=…, a link that can be shared. */
export async function render(root, params) {
  const source = params.get("source") ?? "";
  const target = params.get("target") ?? "";
  const type = params.get("type") ?? "COOPERATES_WITH";
  // An id (City:三明市@350400) shows its name; a name or an alias (三明, 中科院) shows as given.
  const names = [source, target].map((id) => (id.includes(":") ? id.split(":").slice(1).join(":") : id).split("@")[0]);
  const panel = h("div", { class: "evidence-page" });
  root.replaceChildren(h("section", { class: "page narrow" }, panel));
  await showEvidence(panel, {
    source,
    target,
    type,
    title: `${names[0]} — ${relationName(type)} — ${names[1]}`,
    names,
  });
}
