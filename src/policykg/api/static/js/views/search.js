// Search any entity by name or alias; each hit shows its type and opens its relationship graph.
import { getJSON } from "../api.js";
import { entityHref, exportLinks, h, message, typeBadge } from "../dom.js";
import { t } from "../i18n.js";
import { routeHref } from "../router.js";

const EXAMPLES = ["中科院", "三明市", "厦门大学"];

function hitItem(hit) {
  const aliases = (hit.aliases ?? []).filter((alias) => alias !== hit.name);
  return h(
    "li",
    { class: "hit" },
    typeBadge(hit.type),
    h("a", { href: entityHref(hit.id), class: "hit-name" }, hit.name),
    aliases.length ? h("span", { class: "aliases" }, `${t("search.aliases")} ${aliases.join("、")}`) : null,
  );
}

export async function render(root, params) {
  const q = (params.get("q") ?? "").trim();
  const input = h("input", {
    name: "q",
    "aria-label": t("search.label"),
    type: "search",
    value: q,
    placeholder: t("search.placeholder"),
    autofocus: true,
  });
  const form = h(
    "form",
    {
      class: "big-search",
      onsubmit: (event) => {
        event.preventDefault();
        location.hash = routeHref("search", { q: input.value.trim() });
      },
    },
    input,
    h("button", { type: "submit" }, t("search.button")),
  );
  const examples = h(
    "p",
    { class: "hint" },
    t("search.examples"),
    " ",
    EXAMPLES.map((example) => [h("a", { href: routeHref("search", { q: example }) }, example), " "]),
  );
  const results = h("div", { id: "search-results" });
  root.replaceChildren(
    h("section", { class: "page narrow" }, h("p", { class: "intro" }, t("home.intro")), form, examples, results),
  );
  if (!q) {
    results.append(message(t("search.hint")));
    return;
  }
  const hits = await getJSON("/api/search", { q, limit: 30 });
  results.replaceChildren(
    hits.length ? h("ul", { class: "hits" }, hits.map(hitItem)) : message(t("search.none", { q })),
    exportLinks("/api/search", { q, limit: 30 }),
  );
}
