"""`matcher serve` in a real headless Chromium: ask, coverage, practice, reload, escaping.

Uses Debian's chromium through Playwright's Python package (no browser download).
Screenshots are saved in the test's temporary folder for people to look at.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from .conftest import REPO

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(), reason="no /usr/bin/chromium: install Debian's chromium package to run the browser test"
)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`matcher serve` over a copy of the web test corpus, on a free port."""
    root = tmp_path_factory.mktemp("serve")
    shutil.copytree(REPO / "tests" / "data" / "web", root / "corpus")
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(REPO), "MATCHER_DATA": str(root / "data"), "MATCHER_MODEL": "minilm",
           "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1"}
    log = (root / "serve.log").open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "matcher", "serve", "--port", str(port),
         "-c", str(root / "corpus"), "--index-dir", str(root / "index")],
        env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 600  # builds the index and the ONNX export first
    while True:
        try:
            urllib.request.urlopen(url + "/api/status", timeout=5)
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                pytest.fail("matcher serve did not start:\n" + (root / "serve.log").read_text())
            time.sleep(0.5)
    yield url, root
    process.terminate()
    process.wait(timeout=30)
    log.close()


@pytest.fixture
def browser():
    playwright = pytest.importorskip("playwright.sync_api")
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.mark.parametrize("viewport", [{"width": 1280, "height": 800}, {"width": 390, "height": 844}], ids=["desktop", "phone"])
def test_ask_coverage_and_practice_in_a_browser(server, browser, viewport, tmp_path):
    url, _ = server
    page = browser.new_page(viewport=viewport)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    page.goto(url + "/")
    page.fill("textarea#q", "When did you push back on a schedule because the database connection had no security review?")
    page.press("textarea#q", "Enter")  # Enter asks
    page.wait_for_selector("article.story")
    assert page.inner_text("article.story h3") == "Tell me about a time you disagreed with your manager"
    marked = page.inner_text("article.story mark")
    assert "security review" in marked
    assert "complete STAR" in page.inner_text("article.story")
    assert "stories.yaml:" in page.inner_text("ol.results")
    page.screenshot(path=tmp_path / "ask.png", full_page=True)

    page.goto(url + "/coverage")
    heat = page.locator("#heatmap")
    assert heat.is_visible() and heat.bounding_box()["height"] > 100
    assert page.locator("#heatmap .cell.l1").count() == 4  # four principle tags in the bank
    assert page.locator("#heatmap .colhead.empty").count() > 0  # principles with no story
    # Every principle and story name is whole and inside the picture: none cut, none scrolled off.
    cut = page.evaluate("""() => {
      const box = document.querySelector('.heatwrap').getBoundingClientRect();
      return [...document.querySelectorAll('#heatmap .colhead span, #heatmap .rowhead')].filter(e => {
        const r = e.getBoundingClientRect();
        return e.scrollHeight > e.clientHeight + 1 || e.scrollWidth > e.clientWidth + 1
          || r.left < box.left || r.right > box.right || r.top < box.top;
      }).map(e => e.textContent.trim());
    }""")
    assert cut == []
    page.screenshot(path=tmp_path / "coverage.png", full_page=True)

    page.goto(url + "/plan")
    page.fill("textarea#text", "Tell me about a time you disagreed with your manager\nTell me about a time you fixed an outage")
    page.click("button:text('Plan')")
    assert page.locator("ol.plan li").count() == 2
    page.screenshot(path=tmp_path / "plan.png", full_page=True)

    page.goto(url + "/practice?seed=5")
    page.screenshot(path=tmp_path / "practice-question.png", full_page=True)
    page.check("input[value='Ownership']")
    page.select_option("select#story", label="Tell me about a time you simplified a process for customers")
    page.click("text=Reveal matcher's answer")
    page.wait_for_selector("#next")
    assert "Principle:" in page.inner_text(".grade") and "Story:" in page.inner_text(".grade")
    assert page.locator(".bars li").count() >= 1
    page.screenshot(path=tmp_path / "practice.png", full_page=True)

    listed = ["Tell me about a time you disagreed with your manager", "Tell me about a time you fixed an outage"]
    page.click("text=Practise on your own question list")
    page.fill("textarea#text", "\n".join(f"{n}. {q}" for n, q in enumerate(listed, 1)))
    page.click("text=Practise on this list")
    assert "From your list of 2 questions" in page.inner_text(".origin")
    assert page.inner_text("blockquote.drawn").strip("“”") in listed
    page.select_option("select#story", label=listed[0])
    page.click("text=Reveal matcher's answer")
    page.wait_for_selector("#next")
    assert "list=" in page.get_attribute("#next", "href")
    page.screenshot(path=tmp_path / "practice-list.png", full_page=True)

    page.goto(url + "/stories?q=outage")
    page.click("text=fixed an outage")
    assert '<script>alert("story")</script>' in page.inner_text("article.story h3")
    assert "onerror" in page.inner_text("article.story")
    page.wait_for_timeout(300)
    assert not dialogs  # neither the <script> nor the <img onerror> ran
    page.screenshot(path=tmp_path / "story.png", full_page=True)


def test_page_says_when_changed_documents_were_reloaded(server, browser):
    url, root = server
    page = browser.new_page()
    page.goto(url + "/stories")
    document = root / "corpus" / "stories.yaml"
    document.write_text(
        document.read_text(encoding="utf-8")
        + "  - title: Tell me about a time you mentored a new engineer\n"
        "    principles: [Hire and Develop the Best]\n"
        "    sections:\n"
        "      Action: I paired with her every morning for a month.\n",
        encoding="utf-8",
    )
    page.wait_for_selector("#status .reloaded", timeout=240_000)
    assert "documents changed" in page.inner_text("#status")
    assert "4 stories" in page.inner_text("#status")
