"""Make the PDF book and the patient handouts from a built site, without a browser.

    python scripts/build_pdf.py [--site site] [--out dist] [--only NAME]

The book comes from the print page (mkdocs-print-site-plugin), the handouts from
the handout page: A4, US Letter and large print (RNIB Clear Print), each HTML
prepared once and typeset with its own stylesheets, the PDFs made in parallel
(one process per core). Only the content is kept: no header, navigation, search,
skip link or icon glyphs. The contents list gets page numbers from WeasyPrint
(CSS target-counter), internal links stay PDF links, and links to other files
of the site point to the hosted site. Every PDF is tagged (PDF/UA-1: structure
tree, language, title).

A handout is read on paper with no site at hand, so it carries what a link would
give: the words it uses explained, its references in full (guidance citations
and the sources by number), and the site's address with a QR code to it. With no
SITE_URL the address is mkdocs.yml's placeholder, which no reader could reach: the
PDFs then carry no address and no QR code, and the build says so in one line.
"""
import argparse
import hashlib
import os
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from html import escape
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, Tag

from reconcile.atomic import write_atomic

ROOT = Path(__file__).resolve().parent.parent
CSS_DIR = Path(__file__).resolve().parent / "pdf"
NAME = "cervical-insufficiency"
TOC_DEPTH = 2
# Web chrome and screen-only bits that must not reach paper (.ci-web-only: sentences that are only a link).
CHROME = "a.headerlink, svg, script, style, .md-content__button, .md-source-file, .ci-web-only"
# Each PDF: which HTML, its stylesheets (after common.css), its file name.
JOBS = {
    "book": ("book", ["book.css"], f"{NAME}.pdf"),
    "handout": ("handout", ["handout.css"], f"{NAME}-handout.pdf"),
    "handout-letter": ("handout", ["handout.css", "letter.css"], f"{NAME}-handout-letter.pdf"),
    "handout-large-print": ("handout", ["large-print.css"], f"{NAME}-handout-large-print.pdf"),
}
CACHE_KEEP = 2 * len(JOBS)  # PDFs kept in the cache: this build's and the one before
PDF_VARIANT = "pdf/ua-1"  # tagged: structure tree, language and title, for screen readers
# Domains reserved for examples (RFC 2606): mkdocs.yml's default site_url when SITE_URL is unset.
PLACEHOLDER_DOMAINS = ("example.org", "example.com", "example.net")


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
        f"<title>{escape(title)}</title>"
        f'<meta name="description" content="{escape(description)}">'
        f'<meta name="dcterms.created" content="{escape(edition)}">'
        f"</head><body>{body}</body></html>"
    )


def site_address(site: Path) -> str | None:
    """The hosted site's address (mkdocs.yml site_url, i.e. $SITE_URL), read from the built home page.

    None when it is a placeholder (an example domain): paper must never send a reader there.
    """
    canonical = _soup(site / "index.html").select_one('link[rel="canonical"]')
    if canonical is None:
        raise BuildError(f"{site}/index.html: no canonical link (set site_url in mkdocs.yml or SITE_URL)")
    host = (urlsplit(canonical["href"]).hostname or "").lower()
    if any(host == d or host.endswith("." + d) for d in PLACEHOLDER_DOMAINS):
        return None
    return canonical["href"]


def qr_svg(url: str) -> str:
    """A QR code to ``url`` as an SVG data URI (segno: made at build, offline)."""
    import segno

    return segno.make(url, error="m").svg_data_uri(scale=4, border=2)


def paper(site: Path, part: str, **values) -> BeautifulSoup:
    from jinja2 import Environment, FileSystemLoader

    env = Environment(loader=FileSystemLoader(CSS_DIR), autoescape=True)
    url = site_address(site)
    html = env.get_template("paper.html").render(part=part, url=url, qr=qr_svg(url) if url else None, **values)
    return BeautifulSoup(html, "html.parser")


def paper_extras(site: Path, article: Tag) -> BeautifulSoup:
    """The terms the handout uses, its references in full and the site's address."""
    terms = {}
    for abbr in article.select("abbr[title]"):
        terms.setdefault(abbr.get_text(" ", strip=True), abbr["title"])
    keys = []
    for link in article.select("sup.cite a"):
        for key in link.get_text(" ", strip=True).split(", "):
            if key not in keys:
                keys.append(key)
    guidance_page = page_file(site, "guidance")
    heading = _soup(guidance_page).select_one("#citations")
    citations = {li.strong.get_text(strip=True): li.get_text(" ", strip=True).split(": ", 1)[1]
                 for li in (heading.find_next("ul").find_all("li") if heading else []) if li.strong}
    missing = [k for k in keys if not k.isdigit() and k not in citations]
    if missing:
        raise BuildError(f"{guidance_page}: no full citation for {', '.join(missing)}")
    sources = []
    for row in _soup(page_file(site, "sources")).select("article table tbody tr"):
        cells = [c.get_text(" ", strip=True) for c in row.find_all(["th", "td"])]
        label, sid = cells[0].rsplit(" (", 1)
        sources.append((sid.rstrip(")"), label + ("" if cells[2] == "none" else f", dated {cells[2]}")))
    return paper(site, "handout", terms=sorted(terms.items(), key=lambda t: t[0].lower()),
                 citations=[(k, citations[k]) for k in keys if k in citations], sources=sources)


def _meta(soup: BeautifulSoup) -> tuple[str | None, str, str]:
    canonical = soup.select_one('link[rel="canonical"]')
    edition = soup.select_one(".ci-disclaimer .ci-edition time, .ci-cover__edition time")
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
    cover = content.select_one(".ci-cover")
    if cover is not None:
        cover.append(paper(site, "cover"))
    placeholder = content.select_one("#print-page-toc")
    if placeholder is None:
        raise BuildError(f"{path}: no contents placeholder (set print-site add_table_of_contents: true)")
    placeholder.find_parent("section").replace_with(BeautifulSoup(toc_html, "html.parser"))
    title = soup.select_one(".ci-cover__title")
    title = title.get_text(strip=True) if title else soup.title.get_text(strip=True)
    content = _clean(content, canonical)
    for abbr in content.select("abbr"):  # no tooltips on paper (the glossary is a chapter); fewer boxes to lay out
        abbr.unwrap()
    return _document(title, edition, str(content), description), path


def handout_html(site: Path) -> tuple[str, Path]:
    path = page_file(site, "handout")
    soup = _soup(path)
    article = soup.select_one("article.md-content__inner")
    if article is None:
        raise BuildError(f"{path}: no article content (is this a Material page?)")
    canonical, edition, description = _meta(soup)
    h1 = article.find("h1")
    title = h1.get_text(" ", strip=True).rstrip("¶").strip() if h1 else "Handout"
    article = _clean(article, canonical)
    for key in article.select(".source-key"):  # the references below name every source in full
        key.decompose()
    extras = paper_extras(site, article)
    disclaimer = article.select_one(".ci-disclaimer")
    if disclaimer is not None:
        disclaimer.insert_before(extras)
    else:
        article.append(extras)
    return _document(title, edition, str(article), description), path


def _cache_key(html: str, sheets: list[str]) -> str:
    """Everything the PDF depends on: the HTML, the stylesheets, the variant, WeasyPrint's version."""
    import weasyprint

    digest = hashlib.sha256(f"{weasyprint.__version__}\0{PDF_VARIANT}\0{html}".encode("utf-8"))
    for sheet in ["common.css", *sheets]:
        digest.update((CSS_DIR / sheet).read_bytes())
    return digest.hexdigest()


def render(html: str, base: Path, sheets: list[str], out: Path, cache: Path | None = None) -> float:
    """Typeset one PDF; returns the seconds it took (the benchmark prints them).

    With a cache folder, a PDF whose inputs did not change is copied from it instead (a cached
    file that is not a whole PDF is ignored and made again).
    """
    start = time.perf_counter()
    out.parent.mkdir(parents=True, exist_ok=True)
    cached = cache / f"{_cache_key(html, sheets)}.pdf" if cache else None
    if cached and cached.is_file() and cached.read_bytes().rstrip().endswith(b"%%EOF"):
        write_atomic(out, cached.read_bytes())
        cached.touch()  # recently used: kept by the pruning below
        return time.perf_counter() - start
    from weasyprint import CSS, HTML  # imported late: slow to load, not needed for --help

    styles = [CSS(filename=str(CSS_DIR / sheet)) for sheet in ["common.css", *sheets]]
    pdf = HTML(string=html, base_url=str(base)).write_pdf(stylesheets=styles, pdf_variant=PDF_VARIANT)
    write_atomic(out, pdf)
    if cached:
        cache.mkdir(parents=True, exist_ok=True)
        write_atomic(cached, pdf)
        for stale in sorted(cache.glob("*.pdf"), key=lambda f: f.stat().st_mtime)[:-CACHE_KEEP]:
            stale.unlink(missing_ok=True)
    return time.perf_counter() - start


def build(site: Path, out: Path, names=tuple(JOBS), workers: int | None = None,
          cache: Path | None = None) -> dict[str, float]:
    """Every PDF named, each HTML prepared once, typeset in parallel. Returns seconds per step."""
    timings, htmls = {}, {}
    for name in names:
        kind = JOBS[name][0]
        if kind not in htmls:
            start = time.perf_counter()
            htmls[kind] = (book_html if kind == "book" else handout_html)(site)
            timings[f"prepare {kind} HTML"] = time.perf_counter() - start
    jobs = {name: (*htmls[JOBS[name][0]], JOBS[name][1], out / JOBS[name][2], cache) for name in names}
    workers = workers or min(len(names), os.cpu_count() or 1)
    if workers > 1:  # the book is by far the longest: it goes first, the handouts share the other core
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = {name: pool.submit(render, *job) for name, job in jobs.items()}
            timings.update({name: f.result() for name, f in futures.items()})
    else:
        timings.update({name: render(*job) for name, job in jobs.items()})
    return timings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site", help="built site (default: site/)")
    parser.add_argument("--out", type=Path, default=ROOT / "dist", help="output folder (default: dist/)")
    parser.add_argument("--only", choices=list(JOBS), action="append", help="build only this PDF (repeatable)")
    parser.add_argument("--cache", type=Path, default=ROOT / "build" / "pdf-cache",
                        help="reuse PDFs whose HTML and stylesheets did not change (default: build/pdf-cache/)")
    parser.add_argument("--no-cache", action="store_true", help="typeset every PDF again")
    args = parser.parse_args(argv)
    try:
        names = args.only or list(JOBS)
        if site_address(args.site) is None:
            print("build_pdf: warning: SITE_URL is not set, so the PDFs carry no web address or QR code",
                  file=sys.stderr)
        build(args.site, args.out, names, cache=None if args.no_cache else args.cache)
        for name in names:
            print(f"wrote {args.out / JOBS[name][2]}")
    except BuildError as err:
        print(f"build_pdf: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
