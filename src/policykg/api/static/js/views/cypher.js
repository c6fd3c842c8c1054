// A read-only Cypher box for researchers: POST /api/cypher, the answer as a table, the error as the server says it.
import { postJSON } from "../api.js";
import { dataTable, errorMessage, h, message } from "../dom.js";
import { t } from "../i18n.js";
import { routeHref } from "../router.js";

const EXAMPLE =
  "MATCH (c:City)-[r:COOPERATES_WITH]->(i:Institution)\nRETURN c.name AS city, i.name AS institution, " +
  "count(DISTINCT r.doc_id) AS documents\nORDER BY documents DESC LIMIT 25";

export async function render(root, params) {
  const text = params.get("q") ?? EXAMPLE;
  const paramText = params.get("params") ?? "{}";
  const queryBox = h("textarea", { name: "query", rows: 8, spellcheck: "false" }, text);
  const paramsBox = h("textarea", { name: "params", rows: 2, spellcheck: "false" }, paramText);
  const output = h("div", { class: "cypher-output" });
  const form = h(
    "form",
    {
      class: "cypher",
      onsubmit: (event) => {
        event.preventDefault();
        location.hash = routeHref("cypher", {
          q: queryBox.value,
          params: paramsBox.value.trim() === "{}" ? "" : paramsBox.value,
          run: 1,
        });
      },
    },
    queryBox,
    h("label", {}, t("cypher.params"), paramsBox),
    h("button", { type: "submit" }, t("cypher.run")),
  );
  root.replaceChildren(h("section", { class: "page" }, h("h2", {}, t("cypher.title")), form, output));
  if (!params.get("run")) return;
  let bound;
  try {
    bound = JSON.parse(paramText);
    if (typeof bound !== "object" || bound === null || Array.isArray(bound)) throw new Error("not an object");
  } catch {
    output.replaceChildren(message(t("cypher.badParams"), "error"));
    return;
  }
  output.replaceChildren(message(t("loading")));
  try {
    const result = await postJSON("/api/cypher", { query: text, params: bound });
    output.replaceChildren(
      h(
        "div",
        {},
        h("p", { class: "muted" }, t("queries.rows", { n: result.rows.length })),
        result.truncated ? message(t("cypher.truncated"), "warning") : null,
        result.rows.length ? dataTable(result.columns, result.rows) : message(t("queries.none")),
      ),
    );
  } catch (error) {
    output.replaceChildren(errorMessage(error));
  }
}
