// The first page: a city's cooperation partners as a graph, with the evidence behind each edge.
"use strict";

const cy = cytoscape({
  container: document.getElementById("graph"),
  style: [
    { selector: "node", style: { label: "data(label)", "font-size": 12, "text-valign": "bottom" } },
    { selector: "node.City", style: { "background-color": "#0f4c81", shape: "round-rectangle" } },
    { selector: "node.Institution", style: { "background-color": "#e07b39" } },
    { selector: "edge", style: { width: 2, "line-color": "#8aa1b4", "curve-style": "bezier",
                                 "target-arrow-shape": "triangle", "target-arrow-color": "#8aa1b4" } },
    { selector: "edge:selected", style: { "line-color": "#d1242f", "target-arrow-color": "#d1242f" } },
  ],
});

function escapeHtml(text) {
  const div = document.createElement("div");
  div.textContent = text ?? "";
  return div.innerHTML;
}

async function showCity(city) {
  const response = await fetch(`/api/queries/city-partners?city=${encodeURIComponent(city)}`);
  const result = await response.json();
  const elements = [{ data: { id: city, label: city }, classes: "City" }];
  const edges = new Map();
  for (const row of result.rows ?? []) {
    elements.push({ data: { id: row.institution_id, label: row.institution }, classes: "Institution" });
    const edgeId = `${city}->${row.institution_id}`;
    if (!edges.has(edgeId)) edges.set(edgeId, { data: { id: edgeId, source: city, target: row.institution_id, evidence: [] } });
    edges.get(edgeId).data.evidence.push(row);
  }
  cy.elements().remove();
  cy.add([...new Map(elements.map((e) => [e.data.id, e])).values(), ...edges.values()]);
  cy.layout({ name: "concentric", concentric: (n) => (n.hasClass("City") ? 2 : 1) }).run();
  document.getElementById("evidence").innerHTML = result.rows?.length
    ? '<p class="hint">点击连线查看原文证据。</p>' : `<p>没有找到${escapeHtml(city)}的合作机构。</p>`;
}

cy.on("tap", "edge", (event) => {
  const items = event.target.data("evidence").map((row) => `
    <div class="evidence-item">
      <strong>${escapeHtml(row.city)} — ${escapeHtml(row.institution)}</strong>
      <p>${escapeHtml(row.sentence).replace(escapeHtml(row.institution), (m) => `<mark>${m}</mark>`)}</p>
      <small>${escapeHtml(row.title)} · ${row.year ?? ""}</small>
    </div>`);
  document.getElementById("evidence").innerHTML = items.join("");
});

document.getElementById("city-form").addEventListener("submit", (event) => {
  event.preventDefault();
  showCity(document.getElementById("city").value.trim());
});

showCity(document.getElementById("city").value);
