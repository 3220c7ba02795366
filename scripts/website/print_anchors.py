"""MkDocs hook: make every in-page anchor work on the print page (and in the PDF).

mkdocs-print-site-plugin joins all pages into one and prefixes ids with the
page key so that they stay unique, but only on headings, footnotes and tabs
(h1-h6, sup, li, input). Links to any other element (the generated topic blocks,
for example) are rewritten to the prefixed form and then point nowhere. This
hook gives the remaining ids the same prefix in the copy of each page that
print-site keeps (page.html), and opens every <details> there, so the print page
and the PDF book show all the evidence; the web page itself is left as it is.
"""
import base64
import re

from mkdocs.plugins import event_priority
from mkdocs_print_site_plugin.urls import get_page_key

PREFIXED_BY_PRINT_SITE = {"h1", "h2", "h3", "h4", "h5", "h6", "sup", "li", "input"}
ID_ATTRIBUTE = re.compile(r'<([a-zA-Z][\w-]*)(\s[^>]*?)?\sid="([^"]+)"')


def prefix_ids(html: str, key: str) -> str:
    def fix(match: re.Match) -> str:
        tag, attributes, ident = match.groups()
        if tag.lower() in PREFIXED_BY_PRINT_SITE:
            return match.group(0)
        return f'<{tag}{attributes or ""} id="{key}-{ident}"'

    return ID_ATTRIBUTE.sub(fix, html)


FOLDED = re.compile(r"<details(?![^>]*\sopen)(?=[\s>])")


def unfold(html: str) -> str:
    """Paper cannot be tapped: every folded block (the evidence under each question) opens."""
    return FOLDED.sub("<details open", html)


MAP_START = '<svg xmlns="http://www.w3.org/2000/svg" class="ci-map__svg"'
SVG_TAG = re.compile(r"<svg[\s>]|</svg>")


def map_as_image(html: str) -> str:
    """The disagreement map as a self-contained image: the PDF book drops inline <svg> (icon glyphs). The map holds
    an <svg> per guidance mark, so it ends at the </svg> that closes its own (review 98 M2: cut at the first inner
    one, the print page showed one row as the image and the rest as loose text)."""
    out, at = [], 0
    while (start := html.find(MAP_START, at)) != -1:
        depth, end = 0, None
        for tag in SVG_TAG.finditer(html, start):
            depth += -1 if tag.group(0) == "</svg>" else 1
            if depth == 0:
                end = tag.end()
                break
        if end is None:
            raise ValueError("the disagreement map's <svg> is not closed")
        data = base64.b64encode(html[start:end].encode("utf-8")).decode("ascii")
        out += [html[at:start], '<img class="ci-map__img" alt="Map of where the sources disagree (the list below says '
                                'the same)" ', f'src="data:image/svg+xml;base64,{data}">']
        at = end
    return "".join(out) + html[at:]


@event_priority(-100)  # after print-site has kept its copy of the page
def on_page_content(html, page, config, files):
    plugin = config.plugins.get("print-site")
    if plugin and plugin.config.get("enabled") and isinstance(getattr(page, "html", None), str):
        page.html = map_as_image(unfold(prefix_ids(page.html, get_page_key(page.url))))
    return html
