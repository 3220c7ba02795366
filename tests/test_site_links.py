"""Every internal link and anchor resolves; nothing is loaded from outside the site."""
from __future__ import annotations

import functools
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from conftest import html_files, soup_of

EXTERNAL = re.compile(r"^(?:[a-z][a-z0-9+.-]*:|//)", re.I)
# Attributes that make a browser fetch something (as opposed to links a reader follows).
ASSET_SELECTORS = {
    "script[src]": "src", "img[src]": "src", "iframe[src]": "src", "source[src]": "src",
    "video[src]": "src", "audio[src]": "src", "embed[src]": "src", "object[data]": "data",
    "link[href]": "href", "image[href]": "href", "use[href]": "href",
}
CSS_URL = re.compile(r"""(?:url\(\s*['"]?|@import\s+['"])\s*((?:https?:)?//[^'")\s]+)""", re.I)
# In JavaScript, only addresses of things a script could load: CDN hosts and asset files.
JS_URL = re.compile(r"""(?:https?:)?//(?:[^\s'"`)\\]*(?:unpkg\.com|jsdelivr\.net|cdnjs|googleapis\.com|gstatic\.com)"""
                    r"""[^\s'"`)\\]*|[^\s'"`)\\]+\.(?:m?js|css|woff2?|ttf|otf|json)(?:\?[^\s'"`)\\]*)?)(?=['"`])""", re.I)
# Web addresses inside Material's JavaScript, each fetched only in a case this site never has.
MATERIAL_JS_CONDITIONAL = {
    "https://unpkg.com/mermaid@": "loaded only for a page with a mermaid diagram",
    "https://unpkg.com/resize-observer-polyfill": "loaded only by browsers without ResizeObserver",
}


@functools.lru_cache(maxsize=None)
def _ids(page: Path) -> set[str]:
    soup = soup_of(page)
    return {t["id"] for t in soup.select("[id]")} | {t["name"] for t in soup.select("a[name]")}


def _resolve(site: Path, page: Path, href: str, prefix: str) -> tuple[Path, str]:
    parts = urlsplit(href)
    path = unquote(parts.path)
    if path.startswith("/"):  # absolute links (the 404 page) start with site_url's path
        target = site / path[len(prefix):] if path.startswith(prefix) else Path("/nonexistent") / path
    else:
        target = page.parent / path if path else page
    target = Path(str(target.resolve()))
    if target.is_dir():
        target = target / "index.html"
    return target, unquote(parts.fragment)


def _broken_links(site: Path, prefix: str) -> list[str]:
    broken = []
    for page in html_files(site):
        for tag in soup_of(page).select("a[href], link[href], script[src], img[src]"):
            ref = tag.get("href") or tag.get("src")
            if EXTERNAL.match(ref) or ref.startswith("data:"):
                continue
            target, fragment = _resolve(site, page, ref, prefix)
            where = f"{page.relative_to(site)}: {ref}"
            if not target.is_file():
                broken.append(f"{where} -> missing {target}")
            elif fragment and target.suffix == ".html" and fragment not in _ids(target):
                broken.append(f"{where} -> no anchor #{fragment}")
    return broken


def test_internal_links_and_anchors_resolve_hosted(hosted, mkdocs_config):
    prefix = urlsplit(mkdocs_config["site_url"]).path
    broken = _broken_links(hosted.dir, prefix)
    assert not broken, "\n".join(broken)


def test_internal_links_and_anchors_resolve_offline(offline_dir):
    broken = _broken_links(offline_dir, "/")
    assert not broken, "\n".join(broken)


def test_link_checker_catches_a_broken_anchor(tmp_path):
    (tmp_path / "index.html").write_text('<a href="other.html#nowhere">x</a><a href="gone/">y</a>')
    (tmp_path / "other.html").write_text('<h1 id="here">x</h1>')
    broken = _broken_links(tmp_path, "/")
    assert len(broken) == 2, broken


def _external_assets(site: Path) -> list[str]:
    found = []
    for page in html_files(site):
        soup = soup_of(page)
        for selector, attr in ASSET_SELECTORS.items():
            for tag in soup.select(selector):
                if selector == "link[href]" and not set(tag.get("rel", [])) & {
                        "stylesheet", "icon", "preload", "modulepreload", "prefetch", "preconnect",
                        "dns-prefetch", "manifest", "apple-touch-icon"}:
                    continue  # canonical, prev/next: addresses, not fetched
                if EXTERNAL.match(tag[attr]) and not tag[attr].startswith("data:"):
                    found.append(f"{page.relative_to(site)}: <{tag.name} {attr}={tag[attr]}>")
        for style in soup.select("style"):
            found += [f"{page.relative_to(site)}: <style> {u}" for u in CSS_URL.findall(style.get_text())]
        for tag in soup.select("[style]"):
            found += [f"{page.relative_to(site)}: style= {u}" for u in CSS_URL.findall(tag["style"])]
    for css in site.rglob("*.css"):
        found += [f"{css.relative_to(site)}: {u}" for u in CSS_URL.findall(css.read_text(encoding="utf-8"))]
    for js in site.rglob("*.js"):
        for url in JS_URL.findall(js.read_text(encoding="utf-8")):
            if not url.startswith(tuple(MATERIAL_JS_CONDITIONAL)):
                found.append(f"{js.relative_to(site)}: {url}")
    return found


@pytest.mark.parametrize("which", ["hosted", "offline"])
def test_no_external_assets(which, request):
    site = request.getfixturevalue("hosted").dir if which == "hosted" else request.getfixturevalue("offline_dir")
    found = _external_assets(site)
    assert not found, "\n".join(found)


def test_conditional_material_urls_stay_unused(hosted, mkdocs_config):
    """The web addresses allowed in Material's JavaScript must stay dormant here."""
    assert not mkdocs_config.get("repo_url")
    mermaid = [p for p in html_files(hosted.dir) if soup_of(p).select_one(".mermaid")]
    assert not mermaid, f"mermaid diagrams would load a script from unpkg: {mermaid}"


def test_asset_checker_catches_a_cdn(tmp_path):
    (tmp_path / "index.html").write_text(
        '<link rel="stylesheet" href="https://cdn.example/x.css"><script src="//cdn.example/a.js"></script>'
        '<link rel="canonical" href="https://example.org/">')
    (tmp_path / "a.css").write_text("@font-face{src:url(https://fonts.example/f.woff2)}")
    assert len(_external_assets(tmp_path)) == 3


def test_print_page_section_links_resolve_as_a_parser_reads_them(hosted):
    """Review 16, S11: the print page's contents link to its nav sections (#section-3, ...). print-site writes those
    ids with single quotes (<section class='print-page md-section' id='section-3'>), which a grep for id="..."
    misses; an HTML parser reads them, and every in-page link of the print page (and of every page, above) resolves."""
    page = hosted.dir / "print_page" / "index.html"
    inpage = [a["href"][1:] for a in soup_of(page).select('a[href^="#"]') if len(a["href"]) > 1]
    sections = [h for h in inpage if h.startswith("section-")]
    assert len(sections) >= 3, sections  # the book's nav sections are linked from its contents
    assert not [h for h in inpage if unquote(h) not in _ids(page)]
