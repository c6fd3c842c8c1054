"""How fast the page draws a 2,000-node neighbourhood and answers a click, in headless Chromium.

The page and its scripts are served from src/policykg/api/static as the app serves them (run `make web` first for
the vendored Cytoscape); /api/entity answers a synthetic
neighbourhood (one centre, N-1 neighbours, some links among them), so the figure is the browser's alone.
Prints the figures and the machine; the target is ready and interactive within 1 s for 2,000 nodes.

    .venv/bin/python -m bench.page_render [--nodes 2000] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import mimetypes
import os
import random
import statistics
import time
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, unquote, urlparse

from playwright.sync_api import CDPSession, Page, Route, sync_playwright

from bench.machine import describe

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "src" / "policykg" / "api" / "static"
CHROMIUM = "/usr/bin/chromium"
FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TYPES = ["Institution", "City", "Platform", "Enterprise", "Program", "Agency", "County"]
RELATIONS = ["COOPERATES_WITH", "BUILDS", "OPERATED_BY", "PART_OF", "IMPLEMENTS"]
CENTRE = "Institution:中心机构"


def neighbourhood(size: int, seed: int = 7) -> dict[str, Any]:
    """A centre linked to size-1 nodes, plus a quarter as many links among the neighbours."""
    rng = random.Random(seed)
    nodes = [{"id": CENTRE, "name": "中心机构", "type": "Institution", "aliases": []}]
    edges = []
    for index in range(1, size):
        kind = rng.choice(TYPES)
        node_id = f"{kind}:节点{index}"
        nodes.append({"id": node_id, "name": f"节点{index}", "type": kind, "aliases": []})
        relation = rng.choice(RELATIONS)
        edges.append(
            {
                "id": f"{node_id}|{relation}|{CENTRE}",
                "source": node_id,
                "target": CENTRE,
                "type": relation,
                "documents": rng.randint(1, 4),
                "years": [rng.randint(2018, 2024)],
            }
        )
    for _ in range(size // 4):
        a, b = rng.sample(nodes[1:], 2)
        edges.append(
            {
                "id": f"{a['id']}|COOPERATES_WITH|{b['id']}",
                "source": a["id"],
                "target": b["id"],
                "type": "COOPERATES_WITH",
                "documents": 1,
                "years": [2023],
            }
        )
    return {"center": CENTRE, "nodes": nodes, "edges": edges, "truncated": False}


def serve(page: Page, big: dict[str, object]) -> None:
    body = json.dumps(big, ensure_ascii=False)

    def answer(route: Route) -> None:
        url = urlparse(route.request.url)
        if url.path == "/":
            route.fulfill(path=STATIC / "index.html")
        elif url.path.startswith("/static/"):
            file = STATIC / unquote(url.path.removeprefix("/static/"))
            route.fulfill(path=file, content_type=mimetypes.guess_type(file.name)[0] or "application/octet-stream")
        elif url.path == "/api/entity":
            asked = parse_qs(url.query).get("id", [""])[0]
            if asked == CENTRE:
                route.fulfill(body=body, content_type="application/json")
            else:  # expanding a neighbour: it brings nothing new
                route.fulfill(
                    body=json.dumps({"center": asked, "nodes": [], "edges": [], "truncated": False}),
                    content_type="application/json",
                )
        else:
            route.fulfill(status=404, body="{}", content_type="application/json")

    page.route("http://bench.invalid/**", answer)


def click_a_neighbour(page: Page) -> float:
    """Milliseconds from a mouse click on a node to its name in the side panel."""
    point = page.evaluate("""() => {
        const cy = window.policykgGraph;
        const node = cy.nodes().not('.center')[0];
        cy.zoom({ level: 1.5, position: node.position() });
        cy.center(node);
        const box = cy.container().getBoundingClientRect();
        return { x: box.left + node.renderedPosition().x, y: box.top + node.renderedPosition().y,
                 name: node.data('name') };
    }""")
    page.wait_for_timeout(100)
    started = time.perf_counter()
    page.mouse.click(point["x"], point["y"])
    page.wait_for_function(
        "name => document.querySelector('#side h2')?.textContent === name", arg=point["name"], polling="raf"
    )
    return (time.perf_counter() - started) * 1000


def main_thread_seconds(session: CDPSession) -> dict[str, float]:
    """Chromium's own account of the page's main thread: ThreadTime is CPU time, which other load on the
    machine does not inflate; TaskDuration is the wall time of its tasks."""
    return {item["name"]: item["value"] for item in session.send("Performance.getMetrics")["metrics"]}


def measure(size: int) -> dict[str, float]:
    big = neighbourhood(size)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1400, "height": 860})
        session = page.context.new_cdp_session(page)
        session.send("Performance.enable")
        serve(page, big)
        page.goto("http://bench.invalid/#/search")  # the scripts load first; the graph view is then one hash away
        page.wait_for_load_state("networkidle")
        before = main_thread_seconds(session)
        started = time.perf_counter()
        page.evaluate("id => { location.hash = `#/entity?id=${encodeURIComponent(id)}`; }", CENTRE)
        page.wait_for_selector("#view[data-ready]", timeout=60_000)
        wall = (time.perf_counter() - started) * 1000
        after = main_thread_seconds(session)
        in_page = float(page.get_attribute("#view", "data-ready") or "nan")
        drawn = page.evaluate("window.policykgGraph.nodes().length")
        click = click_a_neighbour(page)
        browser.close()
    busy = {
        key: round((after[name] - before[name]) * 1000)
        for key, name in (
            ("main_thread_cpu_ms", "ThreadTime"),
            ("main_thread_tasks_ms", "TaskDuration"),
            ("script_ms", "ScriptDuration"),
        )
    }
    return {
        "nodes": drawn,
        "edges": len(big["edges"]),
        "fetch_to_ready_ms": round(in_page),
        "hash_to_ready_ms": round(wall),
        **busy,
        "click_to_panel_ms": round(click),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=2000, help="nodes in the neighbourhood")
    parser.add_argument("--runs", type=int, default=3, help="fresh browser runs; the median is reported")
    args = parser.parse_args()
    runs = [measure(args.nodes) for _ in range(args.runs)]
    print(json.dumps({"machine": describe(), "chromium": CHROMIUM, "runs": runs}, ensure_ascii=False, indent=1))
    print(
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (wall figures grow with it; "
        "main_thread_cpu_ms is CPU time)"
    )
    for key in (
        "fetch_to_ready_ms",
        "hash_to_ready_ms",
        "main_thread_cpu_ms",
        "main_thread_tasks_ms",
        "script_ms",
        "click_to_panel_ms",
    ):
        print(
            f"{key}: median {statistics.median(run[key] for run in runs):.0f} ms over {args.runs} runs "
            f"({runs[0]['nodes']} nodes, {runs[0]['edges']} edges)"
        )


if __name__ == "__main__":
    main()
