"""The site in real headless Chromium: offline search from file://, accessibility
with axe-core in both palettes, and the urgent-help link on a phone screen."""
from __future__ import annotations

import json
import re
from urllib.parse import urlsplit

import pytest

from conftest import ROOT, html_files, site_relative

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PALETTES = {"light": "default", "dark": "slate"}


@pytest.fixture
def page_in(browser):
    """A fresh browser context per test; yields a factory for pages in it."""
    contexts = []

    def make(**options):
        context = browser.new_context(**options)
        contexts.append(context)
        return context, context.new_page()

    yield make
    for context in contexts:
        context.close()


def _pick_search_target(offline_dir):
    """A page and the word of its title that the fewest other pages use, from the built search index."""
    docs = json.loads((offline_dir / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    pages = [d for d in docs if "#" not in d["location"] and d["location"] not in ("", "index.html")]
    pages.sort(key=lambda d: "/" not in d["location"])  # prefer a page in a sub-folder
    text = [(d["title"] + " " + d["text"]).lower() for d in docs]
    for doc in pages:
        words = set(re.findall(r"[A-Za-z]{6,}", doc["title"]))
        if words:
            return doc, min(sorted(words), key=lambda w: sum(w.lower() in t for t in text))
    pytest.fail("no page title in the search index has a word long enough to search for")


def test_offline_search_and_navigation_from_file_urls(offline_dir, page_in):
    context, page = page_in()
    requests = []
    context.on("request", lambda r: requests.append(r.url))
    doc, word = _pick_search_target(offline_dir)

    page.goto((offline_dir / "index.html").as_uri())
    page.locator("input.md-search__input").click()
    page.keyboard.type(word, delay=30)
    # Results update while the worker catches up with the typing: wait for the page itself.
    result = page.locator(f".md-search-result__item a.md-search-result__link[href*='/{doc['location']}']")
    try:
        result.first.wait_for(state="visible", timeout=15000)
    except Exception:
        listed = page.locator(".md-search-result__item a").evaluate_all("links => links.map(a => a.href)")
        pytest.fail(f"searching {word!r} did not list {doc['location']}; listed: {listed}")
    assert urlsplit(result.first.get_attribute("href")).path.endswith("/" + doc["location"])

    result.first.click()
    page.wait_for_url(re.compile("/" + re.escape(doc["location"]) + r"([?#].*)?$"))
    assert page.url.startswith("file://")
    assert page.locator("article h1").first.inner_text().strip().rstrip("¶").strip() == doc["title"]

    # Navigation: the always-visible link and the navigation both work from disk.
    page.locator("nav.ci-help-now a").click()
    page.wait_for_url(re.compile(r"help-now\.html$"))
    page.locator("nav.md-nav--primary a.md-nav__link[href$='index.html']").first.click()
    page.wait_for_url(re.compile(r"/index\.html$"))

    outside = [url for url in requests if not url.startswith(("file://", "data:", "about:", "blob:"))]
    assert not outside, f"requests that left the file system: {outside}"
    assert any("iframe-worker-shim.js" in url for url in requests)


def _axe(page) -> list[dict]:
    page.add_script_tag(path=str(AXE))
    return page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}}).then(r => r.violations"
        ".map(v => ({id: v.id, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))})))",
        WCAG_TAGS)


@pytest.mark.parametrize("palette", list(PALETTES))
def test_axe_finds_no_wcag_violation_on_any_page(palette, hosted, hosted_url, page_in):
    assert AXE.is_file(), f"{AXE} missing: run `npm ci`"
    _, page = page_in(color_scheme=palette)
    failures = []
    for path in html_files(hosted.dir):
        url = hosted_url + site_relative(hosted.dir, path)
        if path.name == "404.html":
            url = hosted_url + "no/such/page/"
        page.goto(url)
        scheme = page.evaluate("document.body.getAttribute('data-md-color-scheme')")
        assert scheme == PALETTES[palette], f"{url}: palette {scheme}, expected {PALETTES[palette]}"
        failures += [f"{site_relative(hosted.dir, path) or 'index'}: {v['id']} ({v['help']}) at {v['nodes']}"
                     for v in _axe(page)]
    assert not failures, "\n".join(failures)


def test_palette_toggle_switches_and_is_remembered(hosted_url, page_in):
    _, page = page_in(color_scheme="light")
    page.goto(hosted_url)
    page.locator("form[data-md-component=palette] label:visible").first.click()
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
    page.goto(hosted_url + "help-now/")
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"


def test_help_now_link_visible_on_a_phone_at_the_end_of_a_long_page(hosted_url, page_in):
    _, page = page_in(viewport={"width": 360, "height": 640}, is_mobile=True, has_touch=True)
    page.goto(hosted_url + "disagreements/")
    page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
    link = page.locator("nav.ci-help-now a")
    box = link.bounding_box()
    assert box and box["y"] >= 0 and box["y"] + box["height"] <= 640 and box["x"] + box["width"] <= 360
    assert page.locator("label.md-header__button[for=__drawer]").is_visible()  # the menu button
    link.click()
    page.wait_for_url(re.compile(r"/help-now/$"))
