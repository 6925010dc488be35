"""The HTML report in real browsers: Debian's headless Chromium driven by Selenium
through chromium-driver, and Debian's Firefox ESR over the WebDriver BiDi protocol it
serves itself (``make browser`` installs all three; nothing is downloaded).

Opens reports from ``file://``, clicks a trend point and a heatmap cell (mouse and
keyboard), reads the KWIC lines shown, and checks that the console stayed silent, that
no request left the page, and that text, ids and metadata carrying script and HTML
injections show literally and run nothing. ``make test`` sets
FRAMESCOPE_BROWSER_TEST=required, so a missing browser fails there instead of skipping.
"""

from __future__ import annotations

import json
import os
import shutil
import time

import pytest
from test_report import INJECTIONS, injected_corpus, report_data

import framescope as fs

selenium = pytest.importorskip("selenium") if os.environ.get(
    "FRAMESCOPE_BROWSER_TEST") != "required" else __import__("selenium")

from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import NoAlertPresentException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.action_chains import ActionChains  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.common.keys import Keys  # noqa: E402

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DRIVER = shutil.which("chromedriver")

if not (CHROMIUM and DRIVER):
    if os.environ.get("FRAMESCOPE_BROWSER_TEST") == "required":
        raise RuntimeError("the browser test needs Debian's chromium and chromium-driver: "
                           "run `make browser` (apt-get install chromium chromium-driver)")
    pytest.skip("chromium and chromedriver not installed (make browser)", allow_module_level=True)


@pytest.fixture(scope="module")
def browser():
    options = webdriver.ChromeOptions()
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1280,1000", "--lang=en-US"):
        options.add_argument(arg)
    options.binary_location = CHROMIUM
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    driver.set_page_load_timeout(60)
    yield driver
    driver.quit()


def open_report(driver, path):
    driver.get_log("browser"), driver.get_log("performance")  # empty the logs
    driver.get(path.resolve().as_uri())
    for _ in range(100):
        if driver.execute_script("return !!(window.framescopeReport && window.framescopeReport.graph())"):
            return
        time.sleep(0.05)
    raise AssertionError("the report did not draw its chart")


def requests(driver) -> set[str]:
    """Every URL the page asked for since the logs were last read."""
    urls = set()
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] in ("Network.requestWillBeSent", "Network.webSocketCreated"):
            urls.add(message["params"].get("request", {}).get("url") or message["params"].get("url"))
    return urls


def click_point(driver, frame: int, period: int) -> None:
    """A real mouse click on the chart at a data point."""
    x, y = driver.execute_script("return window.framescopeReport.point(arguments[0], arguments[1])",
                                 frame, period)
    chart = driver.find_element(By.ID, "chart")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", chart)
    size = chart.size
    ActionChains(driver).move_to_element_with_offset(
        chart, int(round(x - size["width"] / 2)), int(round(y - size["height"] / 2))).click().perform()


def no_alert(driver) -> bool:
    try:
        driver.switch_to.alert.text  # noqa: B018 - raises when no dialog is open
    except NoAlertPresentException:
        return True
    return False


def test_click_a_point_shows_its_contexts(browser, tmp_path):
    path = tmp_path / "report.html"
    fs.datasets.demo().dedup().report(fs.Frames.builtin(), path, group="channel")
    data = report_data(path.read_text(encoding="utf-8"))
    open_report(browser, path)
    f, p = data["frames"].index("collective_west"), data["periods"].index("2022")
    click_point(browser, f, p)
    title = browser.find_element(By.ID, "contexts-title").text
    assert title == "collective_west · 2022"
    rows = browser.find_elements(By.CSS_SELECTOR, "#contexts table.kwic td.match")
    expected = [c for c in data["contexts"] if (c["f"], c["p"]) == (f, p)]
    assert len(rows) == len(expected) > 0
    assert [r.text for r in rows] == [c["match"] for c in expected]
    ids = browser.find_elements(By.CSS_SELECTOR, "#contexts td.meta div:first-child")
    assert [i.text for i in ids] == [data["docs"][c["d"]]["id"] for c in expected]
    # the document's context opens below its line
    button = browser.find_element(By.CSS_SELECTOR, "#contexts td.meta button")
    button.click()
    passage = browser.find_element(By.CSS_SELECTOR, "#contexts .passage")
    assert passage.is_displayed() and button.get_attribute("aria-expanded") == "true"
    first = expected[0]
    assert passage.find_element(By.TAG_NAME, "mark").text == first["match"]
    assert data["docs"][first["d"]]["meta"]["channel"] in passage.text and data["docs"][first["d"]]["id"] in passage.text
    browser.execute_script("window.scrollTo(0, 0)")
    browser.save_screenshot(str(tmp_path / "report.png"))
    assert (tmp_path / "report.png").stat().st_size > 20_000
    if os.environ.get("FRAMESCOPE_SCREENSHOT"):  # the README's picture: chart and contexts
        browser.set_window_size(1280, 1350)
        browser.execute_script("window.scrollTo(0, 0)")
        browser.save_screenshot(os.environ["FRAMESCOPE_SCREENSHOT"])
        browser.set_window_size(1280, 1000)

    # the switches: share of documents, log scale, one group, a period range
    browser.find_element(By.CSS_SELECTOR, "input[name=value][value=doc_share]").click()
    assert browser.find_element(By.ID, "ylabel").text.startswith("Share of documents")
    cell = browser.find_element(By.CSS_SELECTOR, f"#heatmap tbody tr:nth-child({f + 1}) td:nth-child({p + 2}) button")
    share = data["views"][""]["doc_share"][f][p]
    assert cell.text == f"{100 * share:.1f}%"
    browser.find_element(By.ID, "logscale").click()
    group = browser.find_element(By.ID, "group")
    group.send_keys("tass")
    assert group.get_attribute("value") == "tass"
    tass = data["views"]["tass"]["doc_share"][f][p]
    cell = browser.find_element(By.CSS_SELECTOR, f"#heatmap tbody tr:nth-child({f + 1}) td:nth-child({p + 2}) button")
    assert cell.text == f"{100 * tass:.1f}%"

    # the keyboard: focus a heatmap cell and press Enter
    other = data["periods"].index("2019")
    cell = browser.find_element(By.CSS_SELECTOR, f"#heatmap tbody tr:nth-child({f + 1}) td:nth-child({other + 2}) button")
    cell.send_keys(Keys.ENTER)
    assert browser.find_element(By.ID, "contexts-title").text == "collective_west · 2019 · tass"
    shown = browser.find_elements(By.CSS_SELECTOR, "#contexts table.kwic td.match")
    tass_code = data["groups"].index("tass")
    assert len(shown) == sum(1 for c in data["contexts"] if (c["f"], c["p"], c["g"]) == (f, other, tass_code))

    # the CSV behind the trend chart
    text = browser.execute_script("return window.framescopeReport.csv.trends()")
    lines = text.strip().split("\r\n")
    assert lines[0].startswith("channel,period,frame,hits")
    assert len(lines) == 1 + (1 + len(data["groups"])) * len(data["frames"]) * len(data["periods"])

    assert browser.get_log("browser") == []
    assert requests(browser) == {path.resolve().as_uri()}
    assert no_alert(browser)


def test_injected_text_shows_literally_and_runs_nothing(browser, tmp_path):
    frames = fs.Frames({"west <img src=x onerror=\"window.__pwned=3\">": ["collective West"]},
                       name="<script>window.__pwned=4</script>")
    path = tmp_path / "injected.html"
    injected_corpus().report(frames, path, group="outlet", title="<img src=x onerror=\"window.__pwned=5\">")
    open_report(browser, path)
    assert browser.title == "<img src=x onerror=\"window.__pwned=5\">"
    for p in range(2):
        browser.find_element(By.CSS_SELECTOR, f"#heatmap tbody td:nth-child({p + 2}) button").click()
        assert browser.find_element(By.ID, "contexts-title").text.startswith("west <img src=x onerror=")
        for button in browser.find_elements(By.CSS_SELECTOR, "#contexts td.meta button"):
            button.click()
    page_text = browser.find_element(By.TAG_NAME, "body").text
    for s in INJECTIONS:
        assert s.replace("\u2028", "").split("\n")[0][:20] in page_text
    assert "</script><img src=x onerror=\"window.__pwned=1\">" in page_text
    browser.find_element(By.ID, "group").send_keys(Keys.END)  # a group named by an injection
    # nothing ran: no dialog, no flag set, no element made from the data
    assert no_alert(browser)
    assert browser.execute_script("return window.__pwned === undefined")
    assert browser.execute_script("return document.querySelectorAll('img, svg, iframe, object').length") == 0
    assert len(browser.find_elements(By.TAG_NAME, "script")) == 3
    assert browser.get_log("browser") == []
    assert requests(browser) == {path.resolve().as_uri()}


def test_labels_from_metadata_are_text_on_the_axis(browser, tmp_path):
    """``by=`` a metadata column: the period labels become the chart's tick labels,
    which dygraphs sets as markup; the page escapes them first."""
    path = tmp_path / "by-outlet.html"
    injected_corpus().report({"west": ["collective West"]}, path, by="outlet")
    open_report(browser, path)
    ticks = [e.text for e in browser.find_elements(By.CSS_SELECTOR, ".dygraph-axis-label-x")]
    assert "<script>alert('x')</script>" in ticks
    assert browser.execute_script("return document.querySelectorAll('img, svg').length") == 0
    assert browser.execute_script("return window.__pwned === undefined") and no_alert(browser)
    assert browser.get_log("browser") == []


def test_undated_corpus_has_no_chart_but_its_contexts(browser, tmp_path):
    path = tmp_path / "undated.html"
    fs.Corpus.from_texts(["the collective West", "nothing"], ids=["a", "b"]).report(
        {"west": ["collective West"]}, path)
    browser.get_log("browser")
    browser.get(path.resolve().as_uri())
    assert browser.find_element(By.ID, "chart").text.startswith("No document has a date")
    browser.find_element(By.CSS_SELECTOR, "#heatmap tbody td:nth-child(2) button").click()
    assert browser.find_element(By.ID, "contexts-title").text == "west · undated"
    assert [e.text for e in browser.find_elements(By.CSS_SELECTOR, "#contexts td.match")] == ["collective West"]
    assert browser.get_log("browser") == []


def test_policy_blocks_inline_handlers_and_network(browser, tmp_path):
    """Even markup that got in (here put in by the test itself) would not run or fetch."""
    path = tmp_path / "r.html"
    fs.Corpus.from_texts(["the collective West"], dates=["2023-01-01"]).report(
        {"west": ["collective West"]}, path)
    open_report(browser, path)
    result = browser.execute_async_script("""
        const done = arguments[arguments.length - 1];
        const violations = [];
        document.addEventListener('securitypolicyviolation', e => violations.push(e.violatedDirective));
        const box = document.createElement('div');
        box.innerHTML = '<img src="data:," onerror="window.__pwned=1">';
        document.body.appendChild(box);
        fetch('http://127.0.0.1:9/steal').then(() => 'fetched', () => 'blocked').then(f =>
            setTimeout(() => done({fetch: f, pwned: window.__pwned === undefined ? null : 1,
                                   violations: violations}), 300));
    """)
    assert result["fetch"] == "blocked" and result["pwned"] is None
    assert "connect-src" in result["violations"] and "script-src-attr" in result["violations"]
    assert requests(browser) == {path.resolve().as_uri()}


FIREFOX = shutil.which("firefox-esr") or shutil.which("firefox")


class Bidi:
    """Firefox driven over WebDriver BiDi, which Firefox serves itself (Debian has no
    geckodriver): commands and the events they raise, on one websocket."""

    def __init__(self, profile):
        import socket
        import subprocess

        import websocket  # selenium's dependency websocket-client

        profile.mkdir(parents=True, exist_ok=True)
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        self.process = subprocess.Popen(
            [FIREFOX, "--headless", "--no-remote", "--profile", str(profile),
             f"--remote-debugging-port={port}", "--width=1280", "--height=1000"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(300):
            try:
                self.ws = websocket.create_connection(f"ws://127.0.0.1:{port}/session", timeout=60,
                                                      suppress_origin=True)
                break
            except (OSError, websocket.WebSocketException):
                time.sleep(0.1)
        else:
            self.process.kill()
            raise AssertionError("Firefox did not open its WebDriver BiDi port")
        self.n, self.events = 0, []
        self("session.new", capabilities={})
        self("session.subscribe", events=["log.entryAdded", "network.beforeRequestSent"])
        self.context = self("browsingContext.getTree")["contexts"][0]["context"]

    def __call__(self, method, **params):
        self.n += 1
        self.ws.send(json.dumps({"id": self.n, "method": method, "params": params}))
        while True:
            message = json.loads(self.ws.recv())
            if message.get("id") == self.n:
                assert message["type"] == "success", message
                return message["result"]
            self.events.append(message)

    def js(self, expression):
        result = self("script.evaluate", expression=expression, awaitPromise=True,
                      target={"context": self.context}, userActivation=True)
        assert result["type"] == "success", result
        return result["result"].get("value")

    def close(self):
        try:
            self("session.end")
        finally:
            self.ws.close()
            self.process.kill()
            self.process.wait()


@pytest.mark.skipif(FIREFOX is None and os.environ.get("FRAMESCOPE_BROWSER_TEST") != "required",
                    reason="firefox-esr not installed (make browser)")
def test_firefox_opens_the_report_and_a_click_shows_contexts(tmp_path):
    path = tmp_path / "report.html"
    fs.datasets.demo().report(fs.Frames.builtin(), path)
    data = report_data(path.read_text(encoding="utf-8"))
    f, p = data["frames"].index("collective_west"), data["periods"].index("2022")
    ff = Bidi(tmp_path / "profile")
    try:
        ff("browsingContext.navigate", context=ff.context, url=path.resolve().as_uri(), wait="complete")
        for _ in range(100):
            if ff.js("!!(window.framescopeReport && window.framescopeReport.graph())"):
                break
            time.sleep(0.05)
        x, y = json.loads(ff.js(f"""(() => {{
            const chart = document.getElementById('chart');
            chart.scrollIntoView({{block: 'center'}});
            const box = chart.getBoundingClientRect();
            const [x, y] = window.framescopeReport.point({f}, {p});
            return JSON.stringify([Math.round(box.left + x), Math.round(box.top + y)]);
        }})()"""))
        ff("input.performActions", context=ff.context, actions=[{
            "type": "pointer", "id": "mouse", "parameters": {"pointerType": "mouse"},
            "actions": [{"type": "pointerMove", "x": x, "y": y}, {"type": "pause", "duration": 100},
                        {"type": "pointerDown", "button": 0}, {"type": "pointerUp", "button": 0}]}])
        time.sleep(0.3)
        assert ff.js("document.getElementById('contexts-title').textContent") == "collective_west · 2022"
        shown = ff.js("document.querySelectorAll('#contexts table.kwic td.match').length")
        assert shown == sum(1 for c in data["contexts"] if (c["f"], c["p"]) == (f, p)) > 0
        ff.js("document.querySelector('#heatmap tbody td:nth-child(3) button').click()")
        assert ff.js("document.getElementById('contexts-title').textContent") == f"collective_west · {data['periods'][1]}"
    finally:
        ff.close()
    logs = [e["params"] for e in ff.events if e.get("method") == "log.entryAdded"]
    assert [e for e in logs if e.get("level") in ("error", "warn")] == []
    urls = {e["params"]["request"]["url"].split(":", 1)[0] for e in ff.events
            if e.get("method") == "network.beforeRequestSent"}
    assert urls <= {"file", "data"}  # Firefox's own data: fonts; nothing from the network
