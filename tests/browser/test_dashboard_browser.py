"""The link chart in a real headless Chromium against the real Neo4j: search, expand, evidence,
document view, shortest path, filters, exports, and a page that keeps working when Neo4j is down.
One test per feature, each on a freshly loaded page, so one failure does not hide the others;
every wait is on a condition (WebDriverWait), never a sleep.

Screenshots go to artifacts/ (gitignored), for a person to look at.
"""

from __future__ import annotations

import csv
import json
import shutil
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from casegraph.core.settings import Settings
from dashboard.app import create_app
from graph.server import free_port
from tests.factories.chart_case import CARLOS, DANA, GLOCK, LUIS, METH, MOTEL, write_case
from tests.factories.database import wipe

pytestmark = pytest.mark.browser

from tests.factories.paths import REPO  # noqa: E402

ARTIFACTS = REPO / "artifacts"
CHROMIUM, CHROMEDRIVER = "/usr/bin/chromium", "/usr/bin/chromedriver"
CY = "document.getElementById('chart')._cyreg.cy"

webdriver = pytest.importorskip("selenium.webdriver")
if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
    pytest.skip("Chromium and chromedriver are not installed (apt install chromium chromium-driver)",
                allow_module_level=True)

from selenium.common.exceptions import StaleElementReferenceException, TimeoutException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402


@contextmanager
def serve(settings: Settings) -> Iterator[str]:
    """The dashboard on a free port in a thread, as `casegraph serve` would run it."""
    from werkzeug.serving import make_server

    server = make_server("127.0.0.1", free_port(), create_app(settings).server, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()
        thread.join(10)


@pytest.fixture(scope="module")
def downloads() -> Iterator[Path]:
    folder = Path(tempfile.mkdtemp(prefix="casegraph-downloads-"))
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def browser(downloads: Path) -> Iterator[Any]:
    profile = tempfile.mkdtemp(prefix="casegraph-chromium-")
    opts = webdriver.ChromeOptions()
    opts.binary_location = CHROMIUM
    opts.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                           "download.prompt_for_download": False})
    for arg in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage",
                f"--user-data-dir={profile}", "--window-size=1600,1000"):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "SEVERE"})
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=opts)
    driver.set_page_load_timeout(60)
    try:
        yield driver
    finally:
        driver.quit()
        shutil.rmtree(profile, ignore_errors=True)


@pytest.fixture(scope="module")
def case_settings(neo4j_settings: Settings) -> Settings:
    wipe(neo4j_settings)
    write_case(neo4j_settings)
    # Three neighbours per expansion, so "Show more" has something to show on this small case.
    return neo4j_settings.model_copy(update={"dashboard_expand_limit": 3})


def wait(driver: Any, condition: Any, timeout: float = 20) -> Any:
    try:
        return WebDriverWait(driver, timeout, poll_frequency=0.1,
                             ignored_exceptions=(StaleElementReferenceException,)).until(condition)
    except TimeoutException:
        # What the page looked like when the wait gave up.
        ARTIFACTS.mkdir(exist_ok=True)
        driver.save_screenshot(str(ARTIFACTS / "dashboard-timeout.png"))
        raise


def text_of(driver: Any, element_id: str) -> str:
    return str(driver.find_element(By.ID, element_id).text)


def texts(driver: Any, css: str) -> list[str]:
    return list(driver.execute_script(
        "return Array.from(document.querySelectorAll(arguments[0])).map(e => e.textContent)", css))


def node_ids(driver: Any) -> set[str]:
    return set(driver.execute_script(f"return {CY}.nodes().map(n => n.id())"))


class _Settled:
    """A wait condition: true once the layout has stopped moving the nodes (two polls alike)."""

    def __init__(self) -> None:
        self.last: Any = None

    def __call__(self, driver: Any) -> bool:
        now = driver.execute_script(f"return {CY}.nodes().map(n => [n.id(), Math.round(n.position('x')), "
                                    "Math.round(n.position('y'))])")
        still, self.last = now == self.last, now
        return bool(still)


def settled(driver: Any) -> None:
    wait(driver, _Settled())


def click_element(driver: Any, element_id: str, double: bool = False) -> None:
    """A real mouse click (or double-click) on a node or an edge of the chart."""
    settled(driver)
    pos = driver.execute_script(
        f"const e = {CY}.getElementById(arguments[0]);"
        "return e.isNode() ? e.renderedPosition() : e.renderedMidpoint();", element_id)
    canvas = driver.find_element(By.ID, "chart")
    rect = canvas.rect
    actions = ActionChains(driver).move_to_element_with_offset(
        canvas, int(pos["x"] - rect["width"] / 2), int(pos["y"] - rect["height"] / 2))
    (actions.double_click() if double else actions.click()).perform()


def search_and_add(driver: Any, text: str, key: str) -> None:
    box = driver.find_element(By.ID, "search-input")
    box.send_keys(Keys.CONTROL, "a")  # typed over, as a person would (clear() bypasses React)
    box.send_keys(text)

    def click_hit(d: Any) -> bool:
        # The list is redrawn on every keystroke: look the button up afresh, click it when there.
        hit = next((b for b in d.find_elements(By.CSS_SELECTOR, ".search-hit") if key in (b.get_attribute("id") or "")),
                   None)
        if hit is None:
            return False
        hit.click()
        return True

    wait(driver, click_hit)
    wait(driver, lambda d: key in node_ids(d))


def select_node(driver: Any, key: str, name: str) -> None:
    click_element(driver, key)
    wait(driver, lambda d: name in text_of(d, "details-panel"))


def downloaded(driver: Any, folder: Path, name: str) -> Path:
    path = folder / name

    def complete(_driver: Any) -> bool:
        return path.exists() and path.stat().st_size > 0 and not (folder / f"{name}.crdownload").exists()

    try:
        WebDriverWait(driver, 20, poll_frequency=0.2).until(complete)
    except TimeoutException:
        raise AssertionError(f"{name} was not downloaded; found {[p.name for p in folder.iterdir()]}") from None
    return path


@pytest.fixture(scope="module")
def url(case_settings: Settings) -> Iterator[str]:
    """The dashboard on the chart case, for every test of the module."""
    with serve(case_settings) as address:
        yield address


@pytest.fixture()
def page(browser: Any, url: str) -> Iterator[Any]:
    """A freshly loaded page (empty chart) with a connected status line; after the test, no
    severe error in the browser console."""
    browser.get(url)
    wait(browser, lambda d: "8 entities" in text_of(d, "status"))
    yield browser
    errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == [], errors


def dana_expanded(d: Any) -> None:
    """Dana on the chart, double-clicked, then "Show more": Dana and her four neighbours."""
    search_and_add(d, "dana pr", DANA)
    click_element(d, DANA, double=True)
    wait(d, lambda d: len(node_ids(d)) == 4)
    more = d.find_element(By.ID, "btn-more")
    wait(d, lambda d: more.is_enabled())
    more.click()
    wait(d, lambda d: len(node_ids(d)) == 5)


EDGE = f"{CARLOS}\u2194{DANA}"


def test_status_line_reports_the_graph(page):
    status = text_of(page, "status")
    assert "11 relations" in status and "last ingestion 2024-04-15" in status


def test_search_double_click_expand_show_more_and_undo(page):
    d = page
    # Search as you type, put Dana on the chart.
    search_and_add(d, "dana pr", DANA)
    assert node_ids(d) == {DANA}

    # Double-click expands: the three most-connected neighbours first, then "Show more".
    click_element(d, DANA, double=True)
    wait(d, lambda d: len(node_ids(d)) == 4)
    assert {CARLOS, LUIS} <= node_ids(d)
    assert "3 of 4 shown" in text_of(d, "chart-message")
    wait(d, lambda d: "Dana Price" in text_of(d, "details-panel"))
    assert "Arrest report" in text_of(d, "details-panel")
    more = d.find_element(By.ID, "btn-more")
    wait(d, lambda d: more.is_enabled())
    more.click()
    wait(d, lambda d: len(node_ids(d)) == 5)
    assert node_ids(d) == {DANA, CARLOS, LUIS, GLOCK, MOTEL}
    assert "4 of 4 shown" in text_of(d, "chart-message")
    # Links are folded: Carlos–Dana is one edge carried by two sentences.
    assert d.execute_script(f"return {CY}.getElementById(arguments[0]).data('evidence')", EDGE) == 2

    # Undo the last expansion, then redo it.
    d.find_element(By.ID, "btn-undo").click()
    wait(d, lambda d: len(node_ids(d)) == 4)
    more.click()
    wait(d, lambda d: len(node_ids(d)) == 5)


def test_edge_evidence_and_document_view(page):
    d = page
    dana_expanded(d)
    # Click the edge: its evidence, both entities highlighted, with the document and page.
    click_element(d, EDGE)
    wait(d, lambda d: "Carlos Mendez sold methamphetamine to Dana Price." in text_of(d, "evidence-panel"))
    panel = text_of(d, "evidence-panel")
    assert "2 supporting sentence(s)" in panel and "sold_to" in panel and "Dana Price called Carlos Mendez" in panel
    marks = texts(d, "#evidence-panel mark")
    assert sorted(marks) == ["Carlos Mendez", "Carlos Mendez", "Dana Price", "Dana Price"]
    assert "Arrest report, p. 1" in panel

    # The document view: the text with every mention highlighted.
    d.find_element(By.CSS_SELECTOR, "#evidence-panel .linklike").click()
    wait(d, lambda d: "open" in d.find_element(By.ID, "doc-view").get_attribute("class"))
    wait(d, lambda d: "Police seized a Glock pistol" in text_of(d, "doc-body"))
    doc_marks = set(texts(d, "#doc-body .doc-text mark"))
    assert {"Carlos Mendez", "methamphetamine", "Dana Price", "Sureños", "Glock pistol"} <= doc_marks
    ARTIFACTS.mkdir(exist_ok=True)
    d.save_screenshot(str(ARTIFACTS / "dashboard-document-view.png"))
    d.find_element(By.ID, "btn-doc-close").click()
    wait(d, lambda d: "closed" in d.find_element(By.ID, "doc-view").get_attribute("class"))


def test_shortest_path_is_drawn_on_the_chart(page):
    d = page
    dana_expanded(d)
    # Shortest path from the drug to Luis: methamphetamine → Carlos → Dana → Luis.
    search_and_add(d, "meth", METH)
    select_node(d, METH, "methamphetamine")
    d.find_element(By.ID, "btn-path-from").click()
    select_node(d, LUIS, "Luis Ortega")
    d.find_element(By.ID, "btn-path-to").click()
    d.find_element(By.ID, "btn-path-find").click()
    wait(d, lambda d: "shortest path(s), 3 hop(s)" in text_of(d, "path-result"))
    assert "Carlos Mendez sold methamphetamine to Dana Price." in text_of(d, "path-result")
    on_path = wait(d, lambda d: set(d.execute_script(f"return {CY}.nodes('.path').map(n => n.id())")) or None)
    assert on_path == {METH, CARLOS, DANA, LUIS}
    assert d.execute_script(f"return {CY}.edges('.path').length") == 3


def test_minimum_evidence_filter_relinks_the_chart(page):
    d = page
    dana_expanded(d)
    search_and_add(d, "meth", METH)
    # Filters: with at least two supporting sentences only Carlos–Dana and Dana–Luis stay linked.
    all_edges = d.execute_script(f"return {CY}.edges().length")
    assert all_edges == 6
    min_box = d.find_element(By.ID, "filter-min-evidence")
    min_box.send_keys(Keys.CONTROL, "a")
    min_box.send_keys("2", Keys.ENTER)
    wait(d, lambda d: d.execute_script(f"return {CY}.edges().length") == 2)
    assert set(d.execute_script(f"return {CY}.edges().map(e => e.id())")) == {
        f"{CARLOS}\u2194{DANA}", f"{DANA}\u2194{LUIS}"}
    min_box.send_keys(Keys.CONTROL, "a")
    min_box.send_keys("1", Keys.ENTER)
    wait(d, lambda d: d.execute_script(f"return {CY}.edges().length") == all_edges)


def test_exports_png_json_and_evidence_csv(page, downloads):
    d = page
    dana_expanded(d)
    click_element(d, EDGE)
    wait(d, lambda d: "2 supporting sentence(s)" in text_of(d, "evidence-panel"))
    # Exports: the chart as PNG and JSON, the evidence table as CSV.
    d.find_element(By.ID, "btn-export-json").click()
    chart_json = json.loads(downloaded(d, downloads, "casegraph-chart.json").read_text())
    assert {n["data"]["id"] for n in chart_json["elements"]["nodes"]} == node_ids(d)
    d.find_element(By.ID, "btn-export-csv").click()
    rows = list(csv.DictReader(downloaded(d, downloads, "casegraph-evidence.csv").open()))
    assert {r["sentence"] for r in rows} == {"Carlos Mendez sold methamphetamine to Dana Price.",
                                            "Dana Price called Carlos Mendez twice."}
    d.find_element(By.ID, "btn-export-png").click()
    assert downloaded(d, downloads, "casegraph-chart.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_type_colours_and_the_queries_page_keeps_the_chart(page):
    d = page
    dana_expanded(d)
    search_and_add(d, "meth", METH)
    # Types keep their colours from casegraph/core/domain.toml.
    colour = d.execute_script(f"return {CY}.getElementById(arguments[0]).style('background-color')", METH)
    assert colour == "rgb(255,127,14)"  # DRUG #ff7f0e
    settled(d)
    ARTIFACTS.mkdir(exist_ok=True)
    d.save_screenshot(str(ARTIFACTS / "dashboard-link-chart.png"))
    # The Queries page is a second page: the chart keeps its elements while it is shown.
    if d.find_elements(By.ID, "page-queries"):
        d.find_element(By.LINK_TEXT, "Queries").click()
        wait(d, lambda d: d.find_element(By.ID, "page-queries").is_displayed())
        assert not d.find_element(By.ID, "page-chart").is_displayed()
        d.find_element(By.LINK_TEXT, "Link chart").click()
        wait(d, lambda d: d.find_element(By.ID, "page-chart").is_displayed())
        assert node_ids(d) == {METH, CARLOS, DANA, LUIS, GLOCK, MOTEL}


def test_page_stays_usable_when_neo4j_is_down(browser):
    down = Settings(neo4j_uri=f"bolt://127.0.0.1:{free_port()}", neo4j_password="unused")
    with serve(down) as url:
        browser.get(url)
        wait(browser, lambda d: "Neo4j unavailable" in text_of(d, "status"), timeout=30)
        assert "cannot reach Neo4j" in text_of(browser, "status")
        browser.find_element(By.ID, "search-input").send_keys("dana")
        wait(browser, lambda d: "cannot reach Neo4j" in text_of(d, "search-results"), timeout=30)
        # The page is still alive: the chart is there and buttons answer.
        browser.find_element(By.ID, "btn-expand").click()
        wait(browser, lambda d: "select a node first" in text_of(d, "chart-message"))
        ARTIFACTS.mkdir(exist_ok=True)
        browser.save_screenshot(str(ARTIFACTS / "dashboard-neo4j-down.png"))
