"""Make the PDF book and the patient handout from a built site, without a browser.

    python scripts/build_pdf.py [--site site] [--out dist]

The book comes from the print page (mkdocs-print-site-plugin), the handout from
the handout page. Only the content is kept: no header, navigation, search,
skip link or icon glyphs. The contents list gets page numbers from WeasyPrint
(CSS target-counter), internal links stay PDF links, and links to other files
of the site point to the hosted site.
"""
import argparse
import sys
from pathlib import Path
from urllib.parse import urljoin

from bs4 import BeautifulSoup, Tag

ROOT = Path(__file__).resolve().parent.parent
CSS_DIR = Path(__file__).resolve().parent / "pdf"
NAME = "cervical-insufficiency"
TOC_DEPTH = 2
# Web chrome and screen-only bits that must not reach paper.
CHROME = "a.headerlink, svg, script, style, .md-content__button, .md-source-file"


class BuildError(Exception):
    """Bad input: reported as one line, exit status 2."""


def page_file(site: Path, name: str) -> Path:
    """The built HTML of a page, with or without directory URLs."""
    for candidate in (site / name / "index.html", site / f"{name}.html"):
        if candidate.is_file():
            return candidate
    raise BuildError(f"{site}: no built page '{name}' (run `make site` or mkdocs build first)")


def _soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def _clean(node: Tag, canonical: str | None) -> Tag:
    for junk in node.select(CHROME):
        junk.decompose()
    for link in node.select("a[href]"):
        href = link["href"]
        if canonical and not href.startswith(("#", "http:", "https:", "mailto:", "tel:")):
            link["href"] = urljoin(canonical, href)
    return node


def _toc_list(ul: Tag, depth: int) -> str:
    items = []
    for li in ul.find_all("li", recursive=False):
        link = li.find("a", recursive=False)
        if link is None:
            continue
        title = " ".join(link.get_text().split())
        child = li.select_one(":scope > nav > ul")
        sub = _toc_list(child, depth - 1) if child is not None and depth > 1 else ""
        items.append(f'<li><a href="{link["href"]}">{title}</a>{sub}</li>')
    return f"<ul>{''.join(items)}</ul>"


def _document(title: str, edition: str, body: str, description: str = "") -> str:
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8">'
        f"<title>{title}</title>"
        f'<meta name="description" content="{description}">'
        f'<meta name="dcterms.created" content="{edition}">'
        f"</head><body>{body}</body></html>"
    )


def _meta(soup: BeautifulSoup) -> tuple[str | None, str, str]:
    canonical = soup.select_one('link[rel="canonical"]')
    edition = soup.select_one(".ci-disclaimer time, .ci-cover__edition time")
    description = soup.select_one('meta[name="description"]')
    return (canonical["href"] if canonical else None,
            edition["datetime"] if edition else "",
            description["content"] if description else "")


def book_html(site: Path) -> tuple[str, Path]:
    path = page_file(site, "print_page")
    soup = _soup(path)
    content = soup.select_one("#print-site-page")
    toc = soup.select_one(".md-sidebar--secondary nav.md-nav--secondary > ul")
    if content is None or toc is None:
        raise BuildError(f"{path}: no print-site content or contents list (is the print-site plugin enabled?)")
    canonical, edition, description = _meta(soup)
    # print-site fills its contents list with JavaScript; build it here instead.
    toc_html = f'<nav class="ci-toc"><h1>Contents</h1>{_toc_list(toc, TOC_DEPTH)}</nav>'
    placeholder = content.select_one("#print-page-toc")
    if placeholder is None:
        raise BuildError(f"{path}: no contents placeholder (set print-site add_table_of_contents: true)")
    placeholder.find_parent("section").replace_with(BeautifulSoup(toc_html, "html.parser"))
    title = soup.select_one(".ci-cover__title")
    title = title.get_text(strip=True) if title else soup.title.get_text(strip=True)
    return _document(title, edition, str(_clean(content, canonical)), description), path


def handout_html(site: Path) -> tuple[str, Path]:
    path = page_file(site, "handout")
    soup = _soup(path)
    article = soup.select_one("article.md-content__inner")
    if article is None:
        raise BuildError(f"{path}: no article content (is this a Material page?)")
    canonical, edition, description = _meta(soup)
    h1 = article.find("h1")
    title = h1.get_text(" ", strip=True).rstrip("¶").strip() if h1 else "Handout"
    return _document(title, edition, str(_clean(article, canonical)), description), path


def render(html: str, base: Path, sheets: list[str], out: Path) -> Path:
    from weasyprint import CSS, HTML  # imported late: slow to load, not needed for --help

    out.parent.mkdir(parents=True, exist_ok=True)
    styles = [CSS(filename=str(CSS_DIR / sheet)) for sheet in ["common.css", *sheets]]
    HTML(string=html, base_url=str(base)).write_pdf(str(out), stylesheets=styles)
    return out


def build_book(site: Path, out: Path) -> Path:
    html, base = book_html(site)
    return render(html, base, ["book.css"], out)


def build_handout(site: Path, out: Path) -> Path:
    html, base = handout_html(site)
    return render(html, base, ["handout.css"], out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site", help="built site (default: site/)")
    parser.add_argument("--out", type=Path, default=ROOT / "dist", help="output folder (default: dist/)")
    parser.add_argument("--only", choices=["book", "handout"], help="build only one of the two")
    args = parser.parse_args(argv)
    try:
        if args.only != "handout":
            print(f"wrote {build_book(args.site, args.out / f'{NAME}.pdf')}")
        if args.only != "book":
            print(f"wrote {build_handout(args.site, args.out / f'{NAME}-handout.pdf')}")
    except BuildError as err:
        print(f"build_pdf: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
