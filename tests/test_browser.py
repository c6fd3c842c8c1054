"""The page in Debian's headless Chromium against the live app: what a policy officer clicks, end to end.

Every test fails on a console error or an uncaught exception in the page, and leaves a screenshot of its view
in test-artifacts/ for a human to look at.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest
from playwright.sync_api import Browser, ConsoleMessage, Page, ViewportSize, sync_playwright

from policykg.api.app import create_app
from policykg.graph.stores.embedded_server import EmbeddedServer
from policykg.graph.stores.falkordb_store import FalkorDBStore
from policykg.settings import ApiSettings
from tests.conftest import ROOT, LiveServer
from tests.curated_graph import page_records

pytestmark = pytest.mark.browser
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
LAUNCH_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
WAIT_MS = 15_000
# The two screens of the policy staff's tasks: a laptop and a phone.
VIEWPORTS: dict[str, ViewportSize] = {"laptop": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}
TOKEN = "browser-token"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.fail(  # never a skip: a CI without Chromium must be red
            f"the browser tests need Debian's Chromium at {CHROMIUM}: apt-get install chromium (.ci/run does), "
            "or leave them out with -m 'not browser'"
        )
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_FLAGS)
        yield launched
        launched.close()


@pytest.fixture
def problems() -> list[str]:
    """Console errors and uncaught exceptions of the test's page; a test that provokes one on purpose removes it."""
    return []


@pytest.fixture
def page(browser: Browser, live_api: LiveServer, problems: list[str], request: pytest.FixtureRequest) -> Iterator[Page]:
    """A fresh page in Chinese; after the test, no console error and a screenshot named after the test."""
    context = browser.new_context(viewport={"width": 1400, "height": 860}, base_url=live_api.url, locale="zh-CN")
    opened = context.new_page()
    opened.set_default_timeout(WAIT_MS)
    opened.on("console", lambda message: _record_error(message, problems))
    opened.on("pageerror", lambda error: problems.append(f"uncaught: {error}"))
    yield opened
    ARTIFACTS.mkdir(exist_ok=True)
    opened.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"))
    context.close()
    assert problems == [], f"the page reported errors: {problems}"


def _record_error(message: ConsoleMessage, problems: list[str]) -> None:
    if message.type == "error":
        problems.append(f"console: {message.text}")


def wait_until(page: Page, expression: str) -> None:
    """Playwright's wait_for_function evaluates its predicate with eval inside the page, which the page's
    Content-Security-Policy forbids (as it should): the predicate is polled from here instead."""
    deadline = time.monotonic() + WAIT_MS / 1000
    predicate = expression if expression.lstrip().startswith("()") else f"() => {expression}"
    while not page.evaluate(predicate):
        assert time.monotonic() < deadline, f"still false after {WAIT_MS} ms: {expression}"
        page.wait_for_timeout(50)


def open_view(page: Page, route: str) -> None:
    page.goto(f"/#/{route}")
    page.wait_for_load_state("networkidle")


def click_edge(page: Page, source_name: str, target_id: str) -> None:
    """Click the middle of an edge on the canvas, where a person would click it."""
    point = page.evaluate(
        """([sourceName, targetId]) => {
        const cy = window.policykgGraph;
        const edge = cy.edges()
            .filter((e) => e.source().data("name") === sourceName && e.target().id() === targetId)[0];
        const box = cy.container().getBoundingClientRect();
        const middle = edge.renderedMidpoint();
        return { x: box.left + middle.x, y: box.top + middle.y };
    }""",
        [source_name, target_id],
    )
    page.mouse.click(point["x"], point["y"])


def test_alias_search_opens_the_graph_and_an_edge_shows_its_sentence(page: Page) -> None:
    open_view(page, f"search?q={quote('中科院')}")
    hit = page.locator(".hit", has_text="中国科学院").first
    assert "机构" in hit.locator(".badge").inner_text()
    hit.locator("a.hit-name", has_text="中国科学院").click()
    page.wait_for_selector("#view[data-ready]")
    assert "#/entity?id=Institution" in page.url
    assert "三明市" in page.locator(".neighbours").inner_text()

    click_edge(page, "三明市", "Institution:中国科学院")
    item = page.locator("#side .evidence-item").first
    item.wait_for()
    assert "中国科学院" in item.locator("mark").all_inner_texts()
    assert "合作" in item.locator(".sentence").inner_text()
    assert "科技工作要点" in item.locator(".evidence-meta").inner_text()
    assert "edge=" in page.url, "the selected edge is part of the shareable URL"


def entity_id(http: httpx.Client, name: str) -> str:
    return next(hit["id"] for hit in http.get("/api/search", params={"q": name}).json() if hit["name"] == name)


def test_shared_graph_url_restores_the_selected_edge(page: Page, http: httpx.Client) -> None:
    edge = f"{entity_id(http, '三明市')}|COOPERATES_WITH|Institution:中国科学院"
    open_view(page, f"entity?id={quote('Institution:中国科学院')}&edge={quote(edge)}")
    page.wait_for_selector("#side .evidence-item")
    assert "三明市" in page.locator("#side .evidence-title").inner_text()


def test_clicking_a_node_expands_its_neighbourhood(page: Page) -> None:
    open_view(page, f"entity?id={quote('Institution:中国科学院')}")
    page.wait_for_selector("#view[data-ready]")
    before = page.evaluate("window.policykgGraph.nodes().length")
    point = page.evaluate("""() => {
        const cy = window.policykgGraph;
        const node = cy.nodes().filter((n) => n.data("name") === "三明市")[0];
        const box = cy.container().getBoundingClientRect();
        return { x: box.left + node.renderedPosition().x, y: box.top + node.renderedPosition().y };
    }""")
    page.mouse.click(point["x"], point["y"])
    wait_until(page, f"window.policykgGraph.nodes().length > {before}")
    assert "厦门大学" in page.locator(".neighbours").inner_text()
    assert "Institution" in page.url and "expand=" in page.url


def test_matrix_shows_the_sample_cities_and_a_cell_opens_its_evidence(page: Page, http: httpx.Client) -> None:
    cities = {row["city"] for row in http.get("/api/queries/cooperation-matrix").json()["rows"]}
    assert "三明市" in cities
    open_view(page, "matrix")
    heads = page.locator("th.row-head").all_inner_texts()
    assert {head.split()[0] for head in heads} == cities
    page.locator("tr", has=page.locator("th.row-head", has_text="三明市")).locator("td.cell").first.click()
    page.wait_for_selector(".side .evidence-item")
    assert "cell=" in page.url


def test_switching_to_english_translates_the_page_and_sticks(page: Page) -> None:
    open_view(page, f"search?q={quote('中科院')}")
    page.locator(".hit").first.wait_for()
    page.click("#lang")
    wait_until(page, "document.documentElement.lang === 'en'")
    page.locator(".hit .badge", has_text="Institution").first.wait_for()
    assert page.locator("nav a[data-route=matrix]").inner_text() == "Matrix"
    page.reload()
    page.locator(".hit").first.wait_for()
    assert page.locator("nav a[data-route=search]").inner_text() == "Search"
    assert page.locator("#lang").inner_text() == "中文"


def test_targets_chart_draws_a_bar_per_target(page: Page, http: httpx.Client) -> None:
    metric = http.get("/api/metrics").json()[0]["metric"]
    rows = http.get("/api/queries/metric-targets", params={"metric": metric}).json()["rows"]
    open_view(page, f"targets?metric={quote(metric)}")
    page.wait_for_selector("svg.chart")
    exact = [row for row in rows if row["metric"] == metric]
    assert page.locator("svg.chart rect.bar").count() == len(exact)


def test_map_places_every_city_with_coordinates(page: Page, http: httpx.Client) -> None:
    areas = http.get("/api/map").json()["areas"]
    placed = [area for area in areas if area["lon"] is not None and area["type"] in ("City", "Province", "County")]
    open_view(page, "map")
    page.wait_for_selector("svg.map")
    assert page.locator("svg.map circle").count() == len(placed)
    assert "三明市" in (page.locator("svg.map").text_content() or "")


def test_curated_query_form_runs_into_a_table(page: Page) -> None:
    open_view(page, "queries?name=city-partners")
    page.fill("input[name=city]", "三明市")
    page.click(".query-form button[type=submit]")
    page.wait_for_selector("table.data tbody tr")
    assert "中国科学院" in page.locator("table.data").inner_text()


def test_cypher_box_answers_and_reports_errors(page: Page, problems: list[str]) -> None:
    open_view(page, "cypher")
    page.fill("textarea[name=query]", "MATCH (c:City {name: $city}) RETURN c.name AS name")
    page.fill("textarea[name=params]", '{"city": "三明市"}')
    page.click("form.cypher button")
    page.wait_for_selector("table.data")
    assert "三明市" in page.locator("table.data").inner_text()
    # A write is refused by the server; the page shows its message instead of failing silently.
    page.fill("textarea[name=query]", "CREATE (:City {name: '假城市'})")
    page.fill("textarea[name=params]", "{}")
    page.click("form.cypher button")
    assert "read" in page.locator(".cypher-output .error").inner_text()
    # Chromium logs every 4xx response; this one was asked for.
    assert [problem for problem in problems if "400" in problem] == problems != []
    problems.clear()


def test_documents_list_and_one_document_with_its_outline_and_spans(page: Page, http: httpx.Client) -> None:
    documents = http.get("/api/documents").json()
    details = [http.get("/api/document", params={"id": doc["id"]}).json() for doc in documents]
    richest = max(details, key=lambda detail: len(detail["sections"]))
    open_view(page, "documents")
    assert page.locator("table.data tbody tr").count() == len(documents)
    page.locator(f"table.data tbody a[href*='{quote(richest['id'])}']").click()
    page.wait_for_selector(".doc-text")
    assert page.locator(".outline li").count() == len(richest["sections"])
    assert page.locator(".doc-text a.span").count() > 0


def test_evidence_opens_its_document_with_the_sentence_highlighted(page: Page, http: httpx.Client) -> None:
    edge = f"{entity_id(http, '三明市')}|COOPERATES_WITH|Institution:中国科学院"
    open_view(page, f"entity?id={quote('Institution:中国科学院')}&edge={quote(edge)}")
    sentence = page.locator("#side .evidence-item .sentence").first.inner_text()
    page.locator("#side .evidence-item a.open-doc").first.click()
    page.wait_for_selector(".doc-text mark.evidence")
    assert "".join(page.locator(".doc-text mark.evidence").all_inner_texts()) == sentence


def test_graph_filters_by_type_and_year_and_exports_png(page: Page, tmp_path: Path) -> None:
    open_view(page, f"entity?id={quote('Institution:中国科学院')}")
    page.wait_for_selector("#view[data-ready]")
    page.locator(".filter-row", has_text="城市").locator("input").uncheck()
    assert "三明市" not in page.locator(".neighbours").inner_text()
    assert "hide_types=City" in page.url
    page.locator(".filter-row", has_text="城市").locator("input").check()
    page.fill("input[name=year_from]", "2100")
    page.dispatch_event("input[name=year_from]", "change")
    # No document's fact is that late; the gazetteers' hierarchy, which has no year, stays. The filter is
    # applied on the next frame, so wait for it rather than read the graph at once.
    wait_until(
        page, "window.policykgGraph.edges(':visible').every((e) => ['PART_OF', 'LOCATED_IN'].includes(e.data('type')))"
    )
    assert "year_from=2100" in page.url
    with page.expect_download() as download:
        page.click("#export-png")
    saved = tmp_path / download.value.suggested_filename
    download.value.save_as(saved)
    assert saved.suffix == ".png" and saved.read_bytes().startswith(b"\x89PNG")


def test_evidence_has_a_page_of_its_own(page: Page, http: httpx.Client) -> None:
    source = entity_id(http, "三明市")
    open_view(page, f"evidence?source={quote(source)}&target={quote('Institution:中国科学院')}&type=COOPERATES_WITH")
    item = page.locator(".evidence-item").first
    item.wait_for()
    title = page.locator(".evidence-title").inner_text()
    assert "三明市" in title and "中国科学院" in title
    assert "中国科学院" in item.locator("mark").all_inner_texts()


def test_filters_in_a_shared_url_apply_on_opening(page: Page) -> None:
    open_view(page, f"entity?id={quote('Institution:中国科学院')}&hide_types=City")
    page.wait_for_selector("#view[data-ready]")
    assert "三明市" not in page.locator(".neighbours").inner_text()
    assert not page.locator(".filter-row", has_text="城市").locator("input").is_checked()


# ---------------------------------------------------------------- the four policy-staff tasks, on a laptop and a phone
# On a graph of known answers (tests/curated_graph.py: page_records), through the page as a person uses it.


@pytest.fixture(scope="module")
def curated_api(falkordb_server: EmbeddedServer) -> Iterator[LiveServer]:
    address = falkordb_server.address()
    assert address is not None
    store = FalkorDBStore(address.client(), graph_name="browser_tasks")
    store.load(page_records())
    with LiveServer(create_app(store, ApiSettings(api_token=TOKEN))) as server:
        yield server
    store.graph.delete()
    store.close()


@pytest.fixture
def curated_http(curated_api: LiveServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=curated_api.url, timeout=30) as client:
        yield client


@pytest.fixture(params=list(VIEWPORTS))
def task_page(
    browser: Browser, curated_api: LiveServer, problems: list[str], request: pytest.FixtureRequest
) -> Iterator[Page]:
    """A fresh page on the curated graph at a laptop's or a phone's size; no console error, a screenshot each."""
    context = browser.new_context(viewport=VIEWPORTS[request.param], base_url=curated_api.url, locale="zh-CN")
    opened = context.new_page()
    opened.set_default_timeout(WAIT_MS)
    opened.on("console", lambda message: _record_error(message, problems))
    opened.on("pageerror", lambda error: problems.append(f"uncaught: {error}"))
    yield opened
    ARTIFACTS.mkdir(exist_ok=True)
    opened.screenshot(path=str(ARTIFACTS / f"{request.node.name}.png"), full_page=True)
    context.close()
    assert problems == [], f"the page reported errors: {problems}"


def fits_the_screen(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.viewport_size
    assert viewport is not None and width <= viewport["width"], f"the page is {width} px wide"


def words(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_task_cities_cooperating_with_cas_including_its_institutes(task_page: Page) -> None:
    page = task_page
    open_view(page, f"search?q={quote('中科院')}")
    page.locator(".hit a.hit-name", has_text="中国科学院").first.click()
    page.wait_for_selector("#view[data-ready]")
    paths = [words(text) for text in page.locator(".partner-paths li").all_inner_texts()]
    assert {path.split(" → ")[0] for path in paths} == {"三明市", "六安市"}
    assert "六安市 → 中国科学院合肥物质科学研究院 → 中国科学院" in paths
    assert "三明市 → 中国科学院" in paths  # directly, although also through 福建物构所
    page.locator(".partner-paths li", has_text="六安市").get_by_role("button", name="六安市").click()
    sentence = page.locator("#side .evidence-item .sentence").first
    sentence.wait_for()
    assert "合肥物质研究院" in sentence.inner_text()
    fits_the_screen(page)
    page.locator("input[name=parts]").uncheck()  # the switch: only those naming 中国科学院 itself
    wait_until(page, "() => document.querySelector('#view[data-ready]') && location.hash.includes('parts=0')")
    page.wait_for_selector(".partner-paths li")
    assert [words(text) for text in page.locator(".partner-paths li").all_inner_texts()] == ["三明市 → 中国科学院"]


def test_task_high_tech_enterprise_targets_and_results_of_three_cities(
    task_page: Page, curated_http: httpx.Client
) -> None:
    page = task_page
    metric = "高新技术企业数量"
    rows = curated_http.get("/api/queries/metric-targets", params={"metric": metric}).json()["rows"]
    rows = [row for row in rows if row["metric"] == metric]
    open_view(page, "targets")
    page.fill("#metric-search", "高新技术企业")  # typed, not picked from 70 options
    page.locator("#metric-search").press("Enter")
    page.wait_for_selector(".targets-table tbody tr")
    assert page.locator(".chips li").all_inner_texts()[0].startswith(metric)
    shown = [
        [words(cell) for cell in row.locator("td").all_inner_texts()]
        for row in page.locator(".targets-table tbody tr").all()
    ]
    assert {row[0] for row in shown} == {"三明市", "丹东市", "六安市"}
    expected = {(r["city"], str(r["year"]), "实际" if r.get("fact") == "result" else "目标") for r in rows}
    assert {(row[0], row[1], row[3]) for row in shown} == expected and len(shown) == len(rows)
    assert ["三明市", "2022", metric, "目标"] == shown[[r[:2] for r in shown].index(["三明市", "2022"])][:4]
    assert any(row[0] == "丹东市" and row[5] == "≥ 200 家（以上）" for row in shown), "comparator and unit in words"
    assert any(row[0] == "六安市" and row[5] == "≥ 300 家（以上）" for row in shown)
    results = [r for r in rows if r.get("fact") == "result"]
    assert page.locator("rect.bar.result").count() == len(results)
    if results:  # 目标 vs 实际: 六安市 reported 210 in 2024 beside its targets for 2025
        assert ("六安市", "2024", "实际") in {(row[0], row[1], row[3]) for row in shown}
    # every value its own bar, each city one colour in every chart, only like kinds in one chart
    assert page.locator("rect.bar").count() == len(rows)
    colours = page.evaluate(
        "() => [...document.querySelectorAll('rect.bar')].map((bar) => [bar.dataset.city, bar.getAttribute('stroke')])"
    )
    assert all(len({c for city, c in colours if city == name}) == 1 for name, _ in colours)
    kinds = {r.get("kind") or "unknown" for r in rows}
    assert page.locator("figure.chart-box").count() == len(kinds)
    fits_the_screen(page)
    page.locator(".city-choice", has_text="丹东市").locator("input").uncheck()
    wait_until(page, "() => location.hash.includes('cities=')")
    page.wait_for_selector(".targets-table tbody tr")
    assert "丹东市" not in page.locator(".targets-table").inner_text()


def test_task_a_citys_platforms(task_page: Page) -> None:
    page = task_page
    open_view(page, "queries?name=city-platforms")
    assert page.locator("label[for=param-city]").inner_text() == "城市"
    page.fill("input[name=city]", "三明市")
    page.click(".query-form button[type=submit]")
    row = page.locator("table.data tbody tr", has_text="三明海西研究院")
    row.wait_for()
    cells = [words(cell) for cell in row.locator("td").all_inner_texts()]
    assert cells[:3] == ["三明海西研究院", "新型研发机构", "市级"]
    assert "中国科学院福建物质结构研究所" in cells
    assert page.locator("table.data tbody tr").count() == 1
    assert "platform_id" not in page.locator("table.data thead").inner_text(), "ids serve links, not reading"
    fits_the_screen(page)
    row.get_by_role("link", name="三明海西研究院").click()
    page.wait_for_selector("#view[data-ready]")
    assert "三明海西研究院" in page.locator(".graph-title h2").inner_text()


def test_task_a_citys_cooperation_with_other_cities(task_page: Page) -> None:
    page = task_page
    open_view(page, "queries?name=city-city")
    page.fill("input[name=city]", "丹东市")
    page.click(".query-form button[type=submit]")
    page.wait_for_selector("table.data tbody tr")
    table_rows = page.locator("table.data tbody tr").all()
    rows = [[words(td) for td in tr.locator("td").all_inner_texts()] for tr in table_rows]
    assert len(rows) == 1 and rows[0][:3] == ["丹东市", "扬州市", "城市"] and "对口合作" in rows[0]
    fits_the_screen(page)
    page.locator("table.data tbody tr").first.get_by_role("link").last.click()  # the sentence: its evidence
    page.wait_for_selector(".evidence-item")
    assert "扬州市" in page.locator(".evidence-item mark").all_inner_texts()


# ---------------------------------------------------------------- every view on a phone, accessibility, the tools

ROUTES = [
    f"search?q={quote('中科院')}",
    f"entity?id={quote('Institution:中国科学院')}",
    "matrix",
    f"targets?metric={quote('高新技术企业数量')}",
    "map",
    "queries?name=city-partners&city=" + quote("三明市"),
    "cypher",
    "documents",
]


@pytest.mark.parametrize("route", ROUTES)
def test_every_view_fits_a_phone_and_labels_every_input(browser: Browser, live_api: LiveServer, route: str) -> None:
    context = browser.new_context(viewport=VIEWPORTS["phone"], base_url=live_api.url, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    open_view(page, route)
    page.wait_for_timeout(300)
    fits_the_screen(page)
    unlabelled = page.evaluate("""() => [...document.querySelectorAll('input, select, textarea')]
        .filter((el) => el.type !== 'hidden' && !el.labels?.length && !el.getAttribute('aria-label'))
        .map((el) => el.outerHTML)""")
    assert unlabelled == []
    if route.startswith("entity"):
        box = page.locator("#cy").bounding_box()
        assert box is not None and box["width"] >= 350 and box["height"] >= 300, box
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"phone-{route.split('?')[0]}.png"), full_page=True)
    context.close()


def test_a_skip_link_is_the_first_stop_of_the_keyboard(page: Page) -> None:
    open_view(page, "matrix")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.id") == "skip-link"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "view"
    assert "#/matrix" in page.url


def test_matrix_cells_and_graph_neighbours_answer_the_keyboard(page: Page) -> None:
    open_view(page, "matrix")
    cell = page.locator(".cell-button").first
    cell.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector(".side .evidence-item")
    open_view(page, f"entity?id={quote('Institution:中国科学院')}")
    page.wait_for_selector("#view[data-ready]")
    page.locator(".neighbours a", has_text="三明市").focus()
    page.keyboard.press("Enter")
    page.locator("#side h2", has_text="三明市").wait_for()
    relation = page.locator("#side .node-edges button", has_text="中国科学院").first
    relation.focus()
    page.keyboard.press("Enter")
    page.wait_for_selector("#side .evidence-item")
    assert "三明市" in page.locator("#side .evidence-title").inner_text()


def test_targets_are_found_by_a_concepts_short_form(page: Page) -> None:
    open_view(page, "targets")
    page.fill("#metric-search", "高企")  # an altLabel of high-tech-enterprises, not in the metric's name
    page.locator("#metric-search").press("Enter")
    page.wait_for_selector(".targets-table tbody tr")
    assert page.locator(".chips li").first.inner_text().startswith("高新技术企业数量")


def test_graph_sizes_and_colours_by_centrality_and_community_with_a_legend(page: Page) -> None:
    open_view(page, f"entity?id={quote('City:三明市')}")
    page.wait_for_selector("#view[data-ready]")
    page.select_option("select[name=size]", "centrality")
    page.select_option("select[name=color]", "community")
    page.wait_for_selector(".measure-legend fieldset .filter-row")
    assert "size=centrality" in page.url and "color=community" in page.url
    sizes = page.evaluate("window.policykgGraph.nodes().map((n) => n.data('size'))")
    assert len(set(sizes)) > 2, "sizes follow betweenness"
    legend = page.locator(".measure-legend").inner_text()
    assert "三明市" in legend or "社区" in legend


def test_map_draws_province_outlines_and_labels_that_do_not_overlap(page: Page) -> None:
    open_view(page, "map?extent=china")
    page.wait_for_selector("svg.map path.province")
    assert page.locator("svg.map path.province").count() == 34
    boxes = page.evaluate("""() => [...document.querySelectorAll('svg.map .place-label, svg.map .province-label')]
        .map((label) => { const b = label.getBBox(); return [b.x, b.y, b.x + b.width, b.y + b.height]; })""")
    overlapping = [
        (a, b)
        for i, a in enumerate(boxes)
        for b in boxes[i + 1 :]
        if a[0] < b[2] - 1 and b[0] < a[2] - 1 and a[1] < b[3] - 1 and b[1] < a[3] - 1
    ]
    assert boxes and overlapping == []
    assert "省级行政区轮廓" in page.locator(".map-legend").inner_text()


def test_cypher_view_has_the_schema_runs_on_ctrl_enter_and_draws_paths(page: Page, problems: list[str]) -> None:
    open_view(page, "cypher")
    page.wait_for_selector(".schema .schema-list")
    schema = page.locator(".schema").inner_text()
    assert ":City" in schema and ":COOPERATES_WITH" in schema
    assert page.locator(".schema details").first.get_attribute("open") is None  # the loader's summaries folded away
    assert ":PartnerSummary" not in page.locator(".schema > .schema-list").first.inner_text()
    page.fill("textarea[name=query]", "MATCH p = (c:City)-[:COOPERATES_WITH]->(:Institution) RETURN p LIMIT 5")
    page.locator("textarea[name=query]").press("Control+Enter")
    wait_until(page, "() => window.policykgCypherGraph && window.policykgCypherGraph.nodes().length > 1")
    assert page.locator(".cypher-history li").count() >= 1
    page.fill("textarea[name=query]", "MATCH (c:City {name: $city}) RETURN c")
    page.locator("textarea[name=query]").press("Control+Enter")
    assert "$city" in page.locator(".cypher-output .error").inner_text()
    assert all("400" in problem for problem in problems)
    problems.clear()


def test_api_documentation_works_offline(browser: Browser, live_api: LiveServer) -> None:
    """/docs and /redoc with every request that leaves the server refused, as behind a firewall."""
    context = browser.new_context(base_url=live_api.url)
    blocked: list[str] = []

    def only_the_server(route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        if url.startswith(live_api.url):
            route.continue_()  # type: ignore[attr-defined]
        else:
            blocked.append(url)
            route.abort()  # type: ignore[attr-defined]

    context.route("**/*", only_the_server)
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    page.goto("/docs")
    page.wait_for_selector(".swagger-ui .opblock")
    assert page.locator(".swagger-ui .opblock").count() > 10
    page.goto("/redoc")
    page.get_by_text("/api/entity", exact=True).first.wait_for()
    assert blocked == []
    context.close()


def test_upload_on_the_page_shows_what_was_found(browser: Browser, curated_api: LiveServer, tmp_path: Path) -> None:
    document = tmp_path / "dd2025.txt"
    document.write_text(
        "丹东市科学技术局关于印发《2025年全市科技工作要点》的通知\n一、深化与扬州市对口合作，高新技术企业突破260家。\n",
        encoding="utf-8",
    )
    context = browser.new_context(viewport=VIEWPORTS["phone"], base_url=curated_api.url, locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    open_view(page, "documents")
    page.set_input_files("#upload-file", str(document))
    page.fill("#upload-token", TOKEN)
    page.click("form.upload button[type=submit]")
    summary = page.locator(".upload-summary")
    summary.wait_for()
    facts = dict(zip(summary.locator("dt").all_inner_texts(), summary.locator("dd").all_inner_texts(), strict=True))
    assert "丹东市" in facts["城市"] and facts["年份"] == "2025"
    assert int(facts["合作关系"]) >= 1 and int(facts["目标"]) >= 1 and facts["实际完成"] == "0"
    page.locator("table.data a", has_text="2025年全市科技工作要点").wait_for()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "upload-phone.png"), full_page=True)
    context.close()


def test_an_inferred_year_reads_as_inferred(task_page: Page) -> None:
    """A document's year the text implies without stating it shows as 2025（推断）, in the list and the document."""
    page = task_page
    open_view(page, "documents")
    row = page.locator("table.data tbody tr", has=page.locator("td", has_text="六安市2025年科技工作要点"))
    assert "2025（推断）" in words(row.inner_text())
    row.get_by_role("link").first.click()
    year = page.locator(".doc-meta dd .inferred").first
    year.wait_for()
    assert words(year.inner_text()) == "2025（推断）"
    assert "推断" in (year.get_attribute("title") or "") and "全年新增" in (year.get_attribute("title") or "")
    city = page.locator(".doc-meta dd", has_text="六安市").first
    assert "推断" not in city.inner_text()
