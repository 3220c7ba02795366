"""MkDocs hook: make every in-page anchor work on the print page.

mkdocs-print-site-plugin joins all pages into one and prefixes ids with the
page key so that they stay unique, but only on headings, footnotes and tabs
(h1-h6, sup, li, input). Links to any other element (the generated topic blocks,
for example) are rewritten to the prefixed form and then point nowhere. This
hook gives the remaining ids the same prefix, which also makes them PDF links.
"""
from pathlib import Path

from bs4 import BeautifulSoup
from mkdocs.plugins import event_priority

ALREADY_PREFIXED = {"h1", "h2", "h3", "h4", "h5", "h6", "sup", "li", "input"}


def prefix_ids(html: str) -> str:
    soup = BeautifulSoup(html, "html.parser")
    for section in soup.select("section.print-page[id]"):
        if "md-section" in section.get("class", []):
            continue  # a nav section: its pages are sections of their own
        key = section["id"]
        for element in section.select("[id]"):
            if element.name not in ALREADY_PREFIXED:
                element["id"] = f"{key}-{element['id']}"
    return str(soup)


@event_priority(-50)  # after print-site has written the page
def on_post_build(config):
    plugin = config.plugins.get("print-site")
    if not plugin or not plugin.config.get("enabled"):
        return
    path = Path(plugin.print_file.abs_dest_path)
    path.write_text(prefix_ids(path.read_text(encoding="utf-8")), encoding="utf-8")
