"""Ready for the end of Material for MkDocs (issue 21): the same content on three builders.

- MkDocs 1.6.1 builds the project (the `hosted` fixture, as `make hosted` does);
- ProperDocs 1.6.7 builds the same mkdocs.yml, hooks and all: every page's HTML equals MkDocs' but
  for the generator tag;
- Zensical 0.0.73 runs no hooks, so it builds the rendered folder (`make render`): every page there,
  every evidence block there, the disclaimer on every page, and its search finds what the pages say.

The builders live in their own pinned venvs under build/builders/ (`make builders`).
"""
from __future__ import annotations

import functools
import http.server
import json
import os
import re
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

from conftest import ROOT, html_files, site_relative, soup_of

GENERATOR = re.compile(r'\s*<meta name="generator" content="[^"]*">')
ENV = dict(os.environ, NO_MKDOCS_2_WARNING="1", OFFLINE="false")


def make(*targets: str) -> None:
    done = subprocess.run(["make", "-s", *targets], cwd=ROOT, env=ENV, capture_output=True, text=True)
    assert done.returncode == 0, f"make {' '.join(targets)} failed:\n{(done.stdout + done.stderr)[-3000:]}"


@pytest.fixture(scope="module")
def builders() -> Path:
    make("builders")
    return ROOT / "build" / "builders"


@pytest.fixture(scope="module")
def properdocs_site(builders, tmp_path_factory) -> Path:
    dest = tmp_path_factory.mktemp("properdocs") / "site"
    done = subprocess.run([str(builders / "properdocs" / "bin" / "properdocs"), "build", "--strict", "-q",
                           "--config-file", "mkdocs.yml", "--site-dir", str(dest)],
                          cwd=ROOT, env=ENV, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    return dest


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    from website.render import render

    return render(tmp_path_factory.mktemp("render") / "rendered")


@pytest.fixture(scope="module")
def zensical_site(builders, rendered) -> Path:
    done = subprocess.run([str(builders / "zensical" / "bin" / "zensical"), "build", "--strict",
                           "--config-file", "mkdocs.yml"], cwd=rendered, env=ENV, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    return rendered / "site"


def pages(site: Path) -> dict[str, Path]:
    """Each page of a build by its address (print_page is print-site's; Zensical has no print path)."""
    return {site_relative(site, p): p for p in html_files(site) if not site_relative(site, p).startswith("print_page")}


def test_properdocs_builds_the_same_html_as_mkdocs(hosted, properdocs_site):
    ours, theirs = pages(hosted.dir), pages(properdocs_site)
    assert sorted(ours) == sorted(theirs)
    differ = [rel for rel, path in ours.items()
              if GENERATOR.sub("", path.read_text(encoding="utf-8"))
              != GENERATOR.sub("", theirs[rel].read_text(encoding="utf-8"))]
    assert differ == [], f"ProperDocs' HTML differs from MkDocs' (beyond the generator tag) on {differ}"
    assert "ProperDocs" in (properdocs_site / "index.html").read_text(encoding="utf-8")


def test_the_rendered_folder_needs_no_hooks(rendered):
    config = (rendered / "mkdocs.yml").read_text(encoding="utf-8")
    assert "hooks" not in config and "snippets" not in config
    assert "site_url: !ENV [SITE_URL" in config, "the address stays a switch, not a value written in"
    assert not list((rendered / "docs").rglob("*.md")) == []
    shortcodes = [str(p) for p in (rendered / "docs").rglob("*.md")
                  if re.search(r"<!--\s*[a-z-]+:", p.read_text(encoding="utf-8"))]
    assert shortcodes == [], "a rendered page still holds a shortcode"


def _blocks(path: Path) -> list[str]:
    """What a page says, as a reader sees it: every evidence block and the article's words."""
    soup = soup_of(path)
    return sorted(tag["id"] for tag in soup.select("article [id^=topic-], article [id^=claim-]"))


def _words(path: Path) -> str:
    article = soup_of(path).select_one("article")
    text = article.get_text(" ") if article else ""
    return " ".join(text.replace("¶", " ").split())


def test_zensical_builds_every_page_with_every_evidence_block(hosted, zensical_site):
    ours, theirs = pages(hosted.dir), pages(zensical_site)
    missing = sorted(set(ours) - set(theirs))
    assert missing == [], f"pages missing from the Zensical build: {missing}"
    total = 0
    for rel, path in ours.items():
        blocks = _blocks(path)
        total += len(blocks)
        assert _blocks(theirs[rel]) == blocks, f"{rel}: the evidence blocks differ"
        assert _words(theirs[rel]) == _words(path), f"{rel}: the article's text differs"
        assert soup_of(theirs[rel]).select_one(".ci-disclaimer"), f"{rel}: no disclaimer"
    assert total > 100, "too few evidence blocks compared to mean anything"


def _serve(folder: Path):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(folder))
    handler.log_message = lambda *a: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def test_zensical_search_finds_what_the_pages_say(zensical_site, browser):
    """Typed into Zensical's own search box, as a reader would: each query finds pages."""
    index = json.loads((zensical_site / "search.json").read_text(encoding="utf-8"))
    indexed = " ".join(item.get("text", "") + " " + item.get("title", "") for item in index["items"]).lower()
    server = _serve(zensical_site)
    found = {}
    try:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"http://127.0.0.1:{server.server_port}/")
        for query in ("cerclage", "progesterone", "twins", "bed rest"):
            assert query in indexed, f"{query!r} is not in Zensical's search index"
            page.keyboard.press("Escape")
            page.locator("button.md-search__button").click()
            page.keyboard.press("Control+A")
            page.keyboard.type(query, delay=20)
            meta = page.get_by_text(re.compile(r"^\d+ results?$")).first
            meta.wait_for(timeout=15000)
            found[query] = int(meta.inner_text().split()[0])
        page.close()
    finally:
        server.shutdown()
    assert all(n > 0 for n in found.values()), found


def test_each_builder_is_pinned():
    for name in ("properdocs", "zensical"):
        pins = (ROOT / f"requirements-{name}.txt").read_text(encoding="utf-8").splitlines()
        lines = [line for line in pins if line and not line.startswith(("#", "-r"))]
        assert lines and all(re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[0-9][^\s]*", line) for line in lines), name
    assert shutil.which("make")
