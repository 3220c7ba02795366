"""How long each patient page is on a phone (390 x 844 CSS px, Chromium), folded as it loads.

    python -m bench.phone [--site DIR]   # default: build the hosted site into a temp folder

Prints each page's height in pixels and in screens, and the weight of the first load
(HTML + CSS + JS + fonts, gzip) of the home page. Targets (issue 11): the cerclage
page <= 4,220 px (5 screens), every patient page <= 5,064 px (6 screens),
first load <= 120 KB gzip.
"""
from __future__ import annotations

import argparse
import gzip
import sys
import tempfile
from pathlib import Path

from website.sitebuild import mkdocs_build

PHONE = {"width": 390, "height": 844}
CHROMIUM = "/usr/bin/chromium"
# Pages for editors and clinics, not the patient pages the targets are for.
NOT_PATIENT = {"methods", "glossary", "handout", "disagreements", "guidance", "sources", "print_page", "404.html"}


def patient_pages(site: Path) -> list[str]:
    """Site-relative paths ("treatment/cerclage/") of the patient pages of a built site."""
    pages = []
    for path in sorted(site.rglob("index.html")):
        rel = path.parent.relative_to(site).as_posix()
        if rel.split("/")[0] in NOT_PATIENT:
            continue
        pages.append("" if rel == "." else rel + "/")
    return pages


def heights(site: Path, browser, pages: list[str] | None = None) -> dict[str, int]:
    """Height in CSS px of each page at phone size, every <details> as it loads (closed)."""
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True, device_scale_factor=1)
    page = context.new_page()
    out = {}
    for rel in pages if pages is not None else patient_pages(site):
        page.goto((site / rel / "index.html").as_uri())
        out[rel] = page.evaluate("Math.ceil(document.documentElement.scrollHeight)")
    context.close()
    return out


def first_load_gzip(site: Path, browser, rel: str = "") -> int:
    """Bytes (gzip -9) of everything the page loads from the site on first view."""
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    files = []
    page.on("requestfinished", lambda r: files.append(r.url))
    page.goto((site / rel / "index.html").as_uri())
    page.wait_for_load_state("networkidle")
    context.close()
    total = 0
    for url in set(files):
        if url.startswith("file://"):
            path = Path(url[len("file://"):].split("#")[0].split("?")[0])
            if path.is_file():
                total += len(gzip.compress(path.read_bytes(), 9))
    return total


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="a built hosted site (default: build one)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        site = args.site or mkdocs_build(Path(tmp) / "site") and Path(tmp) / "site"
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
            measured = heights(site, browser)
            weight = first_load_gzip(site, browser)
            browser.close()
    print(f"phone page heights at {PHONE['width']}x{PHONE['height']} (screens of {PHONE['height']} px):")
    for rel, px in sorted(measured.items(), key=lambda x: -x[1]):
        print(f"  {px:6,d} px  {px / PHONE['height']:4.1f}  {rel or '(home)'}")
    print(f"first load of the home page: {weight / 1024:.1f} KB gzip")
    return 0


if __name__ == "__main__":
    sys.exit(main())
