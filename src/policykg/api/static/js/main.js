// The shell: navigation, the header search, the language switch, and which view draws the main area.
import { currentLang, onLangChange, setLang, t, translateShell } from "./i18n.js";
import { errorMessage, message } from "./dom.js";
import { currentRoute, navigate } from "./router.js";
import * as search from "./views/search.js";
import * as graph from "./views/graph.js";
import * as evidence from "./views/evidence.js";
import * as matrix from "./views/matrix.js";
import * as targets from "./views/targets.js";
import * as map from "./views/map.js";
import * as queries from "./views/queries.js";
import * as cypher from "./views/cypher.js";
import * as documents from "./views/documents.js";

const VIEWS = {
  search,
  entity: graph,
  evidence,
  matrix,
  targets,
  map,
  queries,
  cypher,
  documents,
  document: documents,
};
const NAV_OF_ROUTE = { entity: "graph", evidence: "graph", document: "documents" };

let renderCount = 0;

async function render() {
  const { name, params } = currentRoute();
  const view = VIEWS[name] ?? search;
  const root = document.getElementById("view");
  const ticket = ++renderCount;
  document.querySelectorAll("nav a").forEach((link) => {
    link.classList.toggle("active", link.dataset.route === (NAV_OF_ROUTE[name] ?? name));
  });
  root.replaceChildren(message(t("loading")));
  root.dataset.view = name;
  delete root.dataset.ready; // set again by a view once it has drawn (the graph does)
  try {
    await view.render(root, params, name, () => ticket === renderCount);
  } catch (error) {
    if (ticket === renderCount) root.replaceChildren(errorMessage(error));
  }
}

function setUpHeader() {
  const form = document.getElementById("header-search");
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const q = form.elements.q.value.trim();
    if (q) navigate("search", { q });
  });
  document.getElementById("lang").addEventListener("click", () => setLang(currentLang() === "zh" ? "en" : "zh"));
  // The skip link moves focus to the view; as a plain link it would change the route (routes live in the hash).
  document.getElementById("skip-link").addEventListener("click", (event) => {
    event.preventDefault();
    document.getElementById("view").focus();
  });
}

onLangChange(() => {
  translateShell();
  render();
});
setUpHeader();
document.documentElement.lang = currentLang();
translateShell();
window.addEventListener("hashchange", render);
render();
