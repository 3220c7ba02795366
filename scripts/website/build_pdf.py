"""Make the PDF book and the patient handouts from a built site, without a browser.

    python -m website.build_pdf [--site site] [--out dist] [--only NAME]

The book comes from the print page (mkdocs-print-site-plugin), the handouts from
the handout page: A4, US Letter and large print (RNIB Clear Print), each HTML
prepared once and typeset with its own stylesheets, the PDFs made in parallel
(one process per core). Only the content is kept: no header, navigation, search,
skip link or icon glyphs. The contents list gets page numbers from WeasyPrint
(CSS target-counter), internal links stay PDF links, and links to other files
of the site point to the hosted site. Every PDF is tagged (PDF/UA-1: structure
tree, language, title).

The book is made for paper: a source's table quotes only what no question's
evidence already quotes (it names that chapter instead), and the date the quotes
were checked stands once under a chapter's title when it is the same for all.
WeasyPrint gets each document as a tree, not as text to parse again; see
``tune_weasyprint`` and ``render`` for what else keeps it fast (issue 12).

A handout is read on paper with no site at hand, so it carries what a link would
give: the words it uses explained, its references in full (guidance citations
and the sources by number), and the site's address with a QR code to it. With no
SITE_URL the address is mkdocs.yml's placeholder, which no reader could reach: the
PDFs then carry no address and no QR code, and the build says so in one line.
"""
import argparse
import contextlib
import hashlib
import os
import re
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from bs4 import BeautifulSoup, Comment, NavigableString, Tag

from reconcile.atomic import write_atomic
from reconcile.cache import sign, signed
from reconcile.gcpause import gc_paused
from website import downloads, siteurl
from website.pagecontext import CHECKED, SECONDARY, glossary_entries

ROOT = Path(__file__).resolve().parents[2]
CSS_DIR = Path(__file__).resolve().parent / "pdf"
FIGURES_CSS = ROOT / "docs" / "assets" / "stylesheets" / "figures.css"  # the site's pictures, drawn the same on paper
NAME = "cervical-insufficiency"
TOC_DEPTH = 2
CLAIM_ID = re.compile(r"-claim-(.+)$")  # print-site's id of a claim's anchor: PAGE-claim-ID
# Web chrome and screen-only bits that must not reach paper (.ci-web-only: sentences that are only a link;
# .web-only: words and buttons for the screen, such as "tap", which site.css also hides in print;
# .ci-not-book: words for the website and its browser print, whose variant for the book is .ci-book-only (review
# 80 S7: as .web-only, the browser's print lost both); .ci-ref and .ci-references: the numbered citations, where
# paper keeps the full keys).
CHROME_TAGS = {"svg", "script", "style"}
CHROME_CLASSES = {"md-content__button", "md-source-file", "ci-web-only", "web-only", "ci-not-book", "ci-ref",
                  "ci-references", "ci-print-key"}   # the browser print's key to the codes: each PDF has its own
# Each PDF: which HTML, its stylesheets (after common.css), its file name.
JOBS = {
    "book": ("book", ["book.css"], f"{NAME}.pdf"),
    "handout": ("handout", ["handout.css"], f"{NAME}-handout.pdf"),
    "handout-letter": ("handout", ["handout.css", "letter.css"], f"{NAME}-handout-letter.pdf"),
    "handout-large-print": ("handout", ["large-print.css"], f"{NAME}-handout-large-print.pdf"),
    # The questions to ask your doctor: a sheet of its own, so every handout still prints on two pages
    # (clinics rely on it) and a clinic prints the sheet as often as it likes, or not at all.
    "questions": ("questions", ["handout.css", "questions.css"], f"{NAME}-questions.pdf"),
    "questions-letter": ("questions", ["handout.css", "letter.css", "questions.css"], f"{NAME}-questions-letter.pdf"),
    "questions-large-print": ("questions", ["large-print.css", "questions.css"], f"{NAME}-questions-large-print.pdf"),
}
LARGE_PRINT = "large-print.css"  # its PDFs mark citations with bracketed letters at full size (paper_extras)
ASK_SHEET = "ci-ask-sheet"  # the handout page's sheet of questions (docs/handout.md): its own PDFs
CACHE_KEEP = 2 * len(JOBS)  # PDFs kept in the cache: this build's and the one before
PDF_VARIANT = "pdf/ua-1"  # tagged: structure tree, language and title, for screen readers
# Domains reserved for examples (RFC 2606): mkdocs.yml's default site_url when SITE_URL is unset.
PLACEHOLDER_DOMAINS = ("example.org", "example.com", "example.net")
NBSP = "\u00a0"
WORD_JOINER = "\u2060"  # no break here, and no space


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


def _is_chrome(tag: Tag) -> bool:
    classes = tag.get("class") or ()
    if tag.name == "svg" and "ci-figure__svg" in classes:  # the site's own diagrams go to paper
        return False
    return (tag.name in CHROME_TAGS or not CHROME_CLASSES.isdisjoint(classes)
            or (tag.name == "a" and "headerlink" in classes))


def _is_citation_mark(tag: Tag) -> bool:
    """A citation mark the pages print after a sentence: "[003]", "[ACOG PB 142 (secondary)]"."""
    return ((tag.name == "sup" and "cite" in (tag.get("class") or ()))
            or (tag.name == "span" and "short-cite" in (tag.get("class") or ())))


def _is_empty_anchor(node) -> bool:
    return isinstance(node, Tag) and node.name == "span" and node.has_attr("id") and not node.contents


def _glue_citations(node: Tag) -> None:
    """Each citation mark stays on the line of the word it follows, so the line breaks before that word, never
    before the mark; the spaces in a key become no-break spaces (a key is never split).
    On paper a mark that wraps to a line of its own, or starts one, reads as a figure of the sentence
    before it ("36 to 37 weeks, as above." then "3,4,5"). The space before a mark becomes a word joiner (no space,
    no break: a raised mark follows its word directly, as a footnote mark does); a no-break space there made
    WeasyPrint 70 set a word or two of the line before on a line of their own when a long mark did not fit at the
    line's end (review 33 #7: "also called an / incompetent / cervix"). The empty anchors before a mark go inside
    it, so its word is found."""
    for mark in node.find_all(_is_citation_mark):
        # inside a mark each key stays whole ("ACOG PB 142 (secondary)"); a long mark may break after a comma:
        # a whole mark made of no-break spaces made WeasyPrint 70 set the words before it one per line
        # (review 19 M6: "if / the / pregnancy / has / no / problems,")
        # and before "(secondary)": "ACOG PB 142 (secondary)," glued whole made the same one-word lines (review 27 S2)
        for words in mark.find_all(string=re.compile(r"\s")):
            after = words.next_sibling
            if words.isspace() and isinstance(after, Tag) and "secondary" in (after.get("class") or ()):
                continue
            words.replace_with(re.sub(r"(?<!,)\s+(?!\(secondary\))", NBSP, words))
        before = mark.previous_sibling
        while isinstance(before, Comment) or _is_empty_anchor(before):
            earlier = before.previous_sibling
            if isinstance(before, Tag):   # an anchor the mark carries ("Only one source says this" leads here)
                mark.insert(0, before.extract())
            before = earlier
        if isinstance(before, NavigableString) and before[-1:].isspace():
            before.replace_with(before.rstrip() + WORD_JOINER)


def _clean(node: Tag, canonical: str | None) -> Tag:
    """Web chrome out; a link to another file of the site points to that file on the hosted site
    (``canonical``: the page's address there), or, with no real address, becomes plain text: a
    relative link would be a link to a file of the build machine. Citation marks glued to their word."""
    # find_all with a test, not CSS selectors: soupsieve took a quarter of the book's preparation
    for junk in node.find_all(_is_chrome):
        junk.decompose()
    _glue_citations(node)
    for link in node.find_all("a", href=True):
        href = link["href"]
        if not href.startswith(("#", "http:", "https:", "mailto:", "tel:")):
            if canonical:
                link["href"] = urljoin(canonical, href)
            else:
                link.unwrap()
    return node


def _toc_list(doc: BeautifulSoup, ul: Tag, depth: int, titles: dict[str, str] | None = None) -> Tag:
    """The contents list, down to ``depth`` levels: each entry's title as text and its link. ``titles``: a
    chapter's own heading by its link, which the entry gives (the site's menu says "Home" for a page headed
    "Cervical insufficiency: what five web sources say"; on paper the contents name what the page shows)."""
    titles = titles or {}
    out = doc.new_tag("ul")
    for li in ul.find_all("li", recursive=False):
        link = li.find("a", recursive=False)
        if link is None:
            continue
        item = doc.new_tag("li")
        entry = doc.new_tag("a", href=link["href"])
        entry.string = titles.get(link["href"]) or " ".join(link.get_text().split())
        item.append(entry)
        child = li.select_one(":scope > nav > ul")
        if child is not None and depth > 1:
            item.append(_toc_list(doc, child, depth - 1, titles))
        out.append(item)
    return out


def _heading_words(tag: Tag) -> str:
    """A heading's words as a reader sees them: no permalink sign, one space, none before punctuation."""
    return re.sub(r"\s+([?.,:;)])", r"\1", " ".join(tag.get_text(" ").replace("¶", "").split()))


def _chapter_titles(content: Tag) -> dict[str, str]:
    """Each page chapter's own heading, by the link to it ("#treatment-cerclage": "Cerclage (the stitch)")."""
    out = {}
    for section in content.select("section.print-page[id]"):
        h1 = section.find("h1")
        if h1 is not None and h1.get("id"):
            out["#" + section["id"]] = _heading_words(h1)
    return out


def _one_heading_per_chapter(content: Tag) -> None:
    """A menu section's heading printed right before a page headed the same ("The sources" twice: review 26 S7)
    goes; the section keeps its place, so the contents still find its page."""
    sections = content.select("section.print-page[id]")
    for section, after in zip(sections, sections[1:]):
        own, next_h1 = section.find("h1"), after.find("h1")
        if own is not None and not own.get("id") and next_h1 is not None and _heading_words(own) == _heading_words(next_h1):
            own.decompose()


def _chapter_head_not_the_title(content: Tag, title: str) -> None:
    """A chapter headed as the book is (the home page) sets no chapter in the running head, which already gives the
    book's title on the left (book.css): the same words twice at the top of a page say nothing."""
    for h1 in content.select("section.print-page > h1"):
        if _heading_words(h1) == " ".join(title.split()):
            h1["class"] = [*h1.get("class", []), "ci-same-as-book"]


def _document(title: str, edition: str, body: Tag, description: str = "",
              running: tuple[str, str] | None = None) -> BeautifulSoup:
    """A whole HTML document around ``body`` (moved into it), its head values set as text.
    ``running``: what every page carries in its foot (CSS ``position: running``): where it comes from
    (publication and edition) and the disclaimer."""
    doc = BeautifulSoup('<!doctype html><html lang="en"><head><meta charset="utf-8"><title></title>'
                        '<meta name="description"><meta name="dcterms.created"></head><body></body></html>',
                        "html.parser")
    doc.title.string = title
    doc.select_one('meta[name="description"]')["content"] = description
    doc.select_one('meta[name="dcterms.created"]')["content"] = edition
    if running:
        foot = doc.new_tag("div", attrs={"class": "ci-running", "aria-hidden": "true"})
        for part, words in zip(("source", "disclaimer"), running):
            span = doc.new_tag("span", attrs={"class": f"ci-running__{part}"})
            span.string = words
            foot.extend([span, " "])
        doc.body.append(foot)
    doc.body.append(body.extract())
    return doc


# SVG attributes in mixed case, which html.parser lowercases and an HTML5 parser restores (WeasyPrint reads them so).
SVG_NS = "{http://www.w3.org/2000/svg}"
SVG_ATTRIBUTES = {a.lower(): a for a in ("viewBox", "preserveAspectRatio", "textLength", "lengthAdjust",
                                         "gradientUnits", "gradientTransform", "patternUnits", "markerWidth",
                                         "markerHeight", "refX", "refY", "stdDeviation")}


def etree(doc: BeautifulSoup):
    """The document as the ElementTree WeasyPrint would parse from its text (tinyhtml5, no namespaces),
    made from the tree in hand: the book's HTML is not parsed twice (0.3 s on the book's core)."""
    import xml.etree.ElementTree as ET

    from bs4 import Doctype

    def convert(tag: Tag, parent, svg: bool = False):
        attrs = {k: " ".join(v) if isinstance(v, list) else v for k, v in tag.attrs.items()}
        name, svg = tag.name, svg or tag.name == "svg"
        if svg:  # as an HTML5 parser gives it: SVG elements in their namespace, attributes in their case
            name, attrs = SVG_NS + name, {SVG_ATTRIBUTES.get(k, k): v for k, v in attrs.items()}
        element = ET.Element(name, attrs) if parent is None else ET.SubElement(parent, name, attrs)
        last = None
        for child in tag.children:
            if isinstance(child, Doctype):
                continue
            if isinstance(child, Comment):
                last = ET.Comment(str(child))
                element.append(last)
            elif isinstance(child, NavigableString):
                if last is None:
                    element.text = (element.text or "") + str(child)
                else:
                    last.tail = (last.tail or "") + str(child)
            else:
                last = convert(child, element, svg)
        return element

    return convert(doc.html, None)


def site_address(site: Path) -> str | None:
    """The hosted site's address (mkdocs.yml site_url, i.e. $SITE_URL), read from the built home page.

    None when it is a placeholder (an example domain): paper must never send a reader there.
    """
    canonical = _soup(site / "index.html").select_one('link[rel="canonical"]')
    if canonical is None:
        raise BuildError(f"{site}/index.html: no canonical link (set site_url in mkdocs.yml or SITE_URL)")
    try:
        siteurl.check(canonical["href"])  # paper prints it with a QR code: a plain http(s) address only
    except ValueError as exc:
        raise BuildError(f"{site}/index.html: {exc}") from None
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


SHOWN = {"Title as shown": "title", "Publisher as shown": "publisher", "Date the text gives": "date"}
NOT_SHOWN = ("No title shown", "No publisher shown", "No date given")  # ci-source.html's words for none


def _source_reference(page: Path) -> str:
    """A source as paper cites it, from what its page says the text shows: its title, its publisher and
    its date with what the date is ("last reviewed 2024-09-05"), and what the text does not show."""
    rows = {th.get_text(" ", strip=True): th.find_next_sibling("td").get_text(" ", strip=True)
            for th in _soup(page).select("article table th[scope=row]") if th.find_next_sibling("td")}
    shown = {key: rows.get(row, "") for row, key in SHOWN.items()}
    shown = {key: "" if value in NOT_SHOWN else value for key, value in shown.items()}
    date = re.fullmatch(r"(\S+) \((.+)\)", shown["date"])
    parts = [f"“{shown['title']}”" if shown["title"] else "untitled", shown["publisher"],
             f"{date[2]} {date[1]}" if date else shown["date"]]
    missing = [key for key in ("publisher", "date") if not shown[key]]
    return ", ".join(p for p in parts if p) + (f", no {' or '.join(missing)} shown" if missing else "")


def letter(number: int) -> str:
    """A reference's letter, as CSS lower-alpha counts (large-print.css): 1 a, 26 z, 27 aa."""
    word = ""
    while number:
        number, rest = divmod(number - 1, 26)
        word = chr(ord("a") + rest) + word
    return word


def paper_extras(site: Path, article: Tag, publication: str, edition: str, what: str = "handout",
                 marks: str = "numbers") -> BeautifulSoup:
    """The terms the handout uses, its references and where it comes from (publication, edition and,
    with SITE_URL, the address). Each citation mark ("[ACOG PB 142, 003]") becomes small numbers in
    the order they first appear, and the references are listed in full under those numbers. ``marks``:
    "numbers" ("1,7", set small and raised: handout.css) or "letters" ("[a, g]" at the size of the text:
    large print, where nothing is smaller and a bare "1,7" after "100 pregnancies." reads as a figure;
    large-print.css letters the references to match)."""
    terms = {}
    # a term the text defines where it uses it (<dfn>: "weekly progesterone shots (Makena)") is not listed again
    defined = {" ".join(dfn.get_text(" ").split()).casefold() for dfn in article.find_all("dfn")}
    for abbr in article.select("abbr[title]"):
        if (term := abbr.get_text(" ", strip=True)).casefold() not in defined:
            terms.setdefault(term, abbr["title"])
    for abbr in article.find_all("abbr"):  # listed under "Words used here": no tooltips on paper
        abbr.unwrap()
    numbers: dict[str, int] = {}  # a key, or a key marked "(secondary)": a reference of its own (a row the
    for mark in article.select("sup.cite"):  # reference confirmed through secondary sources, or not)
        keys = list(dict.fromkeys(" ".join(k.split()) for k in mark.get_text().strip(" []").split(",") if k.strip()))
        for key in keys:
            numbers.setdefault(key, len(numbers) + 1)
        cited = sorted(numbers[k] for k in keys)
        if marks == "letters":  # text of the sentence, not a box: the line breaks before its word
            mark.replace_with(f"[{(',' + NBSP).join(map(letter, cited))}]")
        else:
            mark.clear()
            mark["class"] = ["cite", "ci-ref"]
            mark.string = ",".join(map(str, cited))
    guidance_page = page_file(site, "guidance")
    heading = _soup(guidance_page).select_one("#citations")
    citations = {li.strong.get_text(strip=True): li.get_text(" ", strip=True).split(": ", 1)[1]
                 for li in (heading.find_next("ul").find_all("li") if heading else []) if li.strong}
    sources = {}
    for row in _soup(page_file(site, "sources")).select("article table tbody tr"):
        cells = [c.get_text(" ", strip=True) for c in row.find_all(["th", "td"])]
        sid = cells[0].rsplit(" (", 1)[1].rstrip(")")
        sources[sid] = _source_reference(page_file(site, f"sources/{sid}"))
    def base(key: str) -> str:
        return key.removesuffix("(secondary)").strip()
    missing = [k for k in numbers if base(k) not in citations and k not in sources]
    if missing:
        raise BuildError(f"{guidance_page}: no full citation for {', '.join(missing)}")
    name = letter if marks == "letters" else str  # a reference as the marks in the text call it
    # A document cited both ways is given in full once, its key saying how those points were checked (the
    # line under the list says what "(secondary)" means); its other entry says it is the same document, and
    # how its own points were checked (review 32 #4: "the same document, in full above" left a reader guessing).
    first: dict[str, int] = {}
    references = []
    for n, key in enumerate(numbers, start=1):
        if base(key) not in citations:
            references.append((f"Web page {key}", sources[key], False))
        elif base(key) in first:
            references.append((key, f"as {name(first[base(key)])}, but {CHECKED[key != base(key)]}.", True))
        else:
            first[base(key)] = n
            references.append((key, citations[base(key)], True))
    return paper(site, "handout", terms=glossary_entries(terms),
                 references=references, publication=publication, edition=edition, what=what, marks=marks,
                 secondary=SECONDARY if any(k != base(k) for k in numbers) else "")


def _disclaimer(soup: BeautifulSoup) -> str:
    """The disclaimer's words as the page shows them, without its screen-only link."""
    box = soup.select_one(".ci-disclaimer p, .ci-cover__disclaimer")
    if box is None:
        raise BuildError("the built page has no disclaimer (overrides/partials/disclaimer.html)")
    box = BeautifulSoup(str(box), "html.parser")
    for junk in box.select(".ci-web-only, p > strong:first-child"):  # the lead says what the sentence says
        junk.decompose()
    return " ".join(box.get_text(" ").split())


def _paper_running(publication: str, edition: str, soup: BeautifulSoup) -> tuple[str, str]:
    """A handout's or sheet's foot: the publication it is part of and its edition, then the disclaimer
    (so the sheet's own "This handout is part of ..." need not say it again: .ci-about__part)."""
    return f"“{publication}”, edition {edition}.", _disclaimer(soup)


def _publication(soup: BeautifulSoup) -> str:
    """The site's name: Material's page title is "PAGE - SITE"."""
    return soup.title.get_text().rsplit(" - ", 1)[-1].strip() if soup.title else NAME


def _meta(soup: BeautifulSoup) -> tuple[str | None, str, str]:
    canonical = soup.select_one('link[rel="canonical"]')
    edition = soup.select_one(".ci-disclaimer .ci-edition time, .ci-cover__edition time")
    description = soup.select_one('meta[name="description"]')
    return (canonical["href"] if canonical else None,
            edition["datetime"] if edition else "",
            description["content"] if description else "")


def book_html(site: Path) -> tuple[str, Path]:
    doc, path = book_document(site)
    return str(doc), path


def handout_html(site: Path) -> tuple[str, Path]:
    doc, path = handout_document(site)
    return str(doc), path


def _one_check_date_per_chapter(soup: BeautifulSoup, content: Tag) -> None:
    """On paper the date the quotes were checked is said once, under the chapter's title, when it is
    the same for every quote of the chapter and none failed: not after each of 190 quotes."""
    for chapter in content.find_all("section", class_="print-page"):
        if "md-section" in chapter["class"]:
            continue
        stamps = chapter.find_all("span", class_="verified")
        times = [stamp.find("time", datetime=True) for stamp in stamps]
        dates = {t["datetime"] for t in times if t is not None}
        title = chapter.find("h1")
        if (not stamps or len(dates) != 1 or title is None or None in times
                or chapter.find(class_="unverified")):
            continue
        note = soup.new_tag("p", attrs={"class": "ci-verified-note"})
        note.append("Every quote in this chapter was verified against the saved source on ")
        date = soup.new_tag("time", datetime=dates.pop())
        date.string = date["datetime"]
        note.extend([date, "."])
        title.insert_after(note)
        for stamp in stamps:
            stamp.decompose()


def book_document(site: Path) -> tuple[BeautifulSoup, Path]:
    path = page_file(site, "print_page")
    soup = _soup(path)
    content = soup.select_one("#print-site-page")
    toc = soup.select_one(".md-sidebar--secondary nav.md-nav--secondary > ul")
    if content is None or toc is None:
        raise BuildError(f"{path}: no print-site content or contents list (is the print-site plugin enabled?)")
    canonical, edition, description = _meta(soup)
    # print-site fills its contents list with JavaScript; build it here instead.
    toc_nav = soup.new_tag("nav", attrs={"class": "ci-toc"})
    toc_nav.append(soup.new_tag("h1", string="Contents"))
    toc_nav.append(_toc_list(soup, toc, TOC_DEPTH, _chapter_titles(content)))
    _one_heading_per_chapter(content)
    cover = content.select_one(".ci-cover")
    if cover is not None:
        cover.append(paper(site, "cover"))
    placeholder = content.select_one("#print-page-toc")
    if placeholder is None:
        raise BuildError(f"{path}: no contents placeholder (set print-site add_table_of_contents: true)")
    placeholder.find_parent("section").replace_with(toc_nav)
    title = soup.select_one(".ci-cover__title")
    title = title.get_text(strip=True) if title else soup.title.get_text(strip=True)
    content = _clean(content, canonical if site_address(site) else None)
    _chapter_head_not_the_title(content, title)
    for drawn in content.select("figure.ci-map"):  # on paper the map is a table (ci-map-paper.html)
        drawn.decompose()
    _sheet_once(soup, content)
    _one_check_date_per_chapter(soup, content)
    for abbr in content.find_all("abbr"):  # no tooltips on paper (the glossary is a chapter); fewer boxes to lay out
        abbr.unwrap()
    _mark_cross_references(content)
    _lead_ins(content)
    _site_addresses(content, site_address(site))
    running = (f"{title}, edition {edition}.", _disclaimer(soup))
    return _document(title, edition, content, description, running), path


def _sheet_once(soup: BeautifulSoup, content: Tag) -> None:
    """The handout's sheet of questions is a PDF of its own (questions_document); in the book its list would
    repeat the chapter "Questions to ask your doctor" word for word (review 25 S11), so the book says where
    the questions are and where the sheet is instead (a cross-reference: its page is printed)."""
    questions = content.select_one("section.print-page#questions")
    for sheet in content.select(f".{ASK_SHEET}"):
        listed = sheet.select_one(".ci-questions")
        if listed is None or questions is None:
            continue
        for own in sheet.select(".ci-sheet-only"):  # "take this sheet", "write on the lines": the sheet's words
            own.decompose()
        where = soup.new_tag("p")
        where.append("The sheet of these questions, with lines to write the answers on, is a PDF of its own. "
                     "Its questions are the ones in ")
        link = soup.new_tag("a", href="#questions")
        link.string = "Questions to ask your doctor"
        where.append(link)
        where.append(".")
        listed.replace_with(where)


# Citations, not cross-references: a code ([003], ACOG PB 142) or a source's name, which the book's
# "How to read this site" resolves to its pages once; marks and pointers that carry their own place.
XREF_SKIP = {"evidence__silent", "resolution-cite", "cite", "short-cite"}
XREF_PARENTS = {"p", "li", "td", "th"}  # prose, lists and table cells (a source's table names each question's page)


def _mark_cross_references(content: Tag) -> None:
    """A link in the text to another part of the book ("See when to get help now", "Their words are
    quoted in “Cerclage”", a question in a source's table) gets the class ci-xref: book.css prints
    the page it leads to after it (target-counter)."""
    for link in content.find_all("a", href=re.compile("^#.")):
        parent = link.parent
        while parent.name == "span" and XREF_SKIP.isdisjoint(parent.get("class") or ()):
            parent = parent.parent  # "Read: PAGE" under a question to ask your doctor, words for paper only
        if (parent.name in XREF_PARENTS and XREF_SKIP.isdisjoint(parent.get("class") or ())
                and XREF_SKIP.isdisjoint(link.get("class") or ()) and link.find_parent(class_="ci-toc") is None):
            link["class"] = [*(link.get("class") or []), "ci-xref"]


LEAD_INTO = {"ul", "ol", "dl", "details", "div", "figure", "table", "blockquote"}


def _lead_ins(content: Tag) -> None:
    """A sentence that leads into what follows it ("The sources' weeks for the last point above, side by side:")
    gets the class lead-in: book.css keeps it on the page of the list, box or chart it introduces (review 102 S:
    a heading and its lead-in alone at the foot of page 20, the chart on page 21)."""
    for para in content.find_all("p"):
        after = para.find_next_sibling()
        if para.get_text().rstrip().endswith(":") and after is not None and after.name in LEAD_INTO:
            para["class"] = [*(para.get("class") or []), "lead-in"]


def _site_addresses(content: Tag, url: str | None) -> None:
    """Where the book says where a page of the website is (<span class="ci-site-address" data-page="print/">,
    whose words are what to do with no address): with SITE_URL, " at" and that page's address instead."""
    for span in content.select("span.ci-site-address"):
        if url:
            span.string = f" at {urljoin(url, span.get('data-page', ''))}"


def handout_document(site: Path, marks: str = "numbers") -> tuple[BeautifulSoup, Path]:
    path = page_file(site, "handout")
    soup = _soup(path)
    article = soup.select_one("article.md-content__inner")
    if article is None:
        raise BuildError(f"{path}: no article content (is this a Material page?)")
    for sheet in article.find_all(class_=ASK_SHEET):  # printed on a sheet of its own (questions_document)
        sheet.decompose()
    canonical, edition, description = _meta(soup)
    h1 = article.find("h1")
    title = h1.get_text(" ", strip=True).rstrip("¶").strip() if h1 else "Handout"
    article = _clean(article, canonical if site_address(site) else None)
    for key in article.select(".source-key"):  # the references below name every source in full
        key.decompose()
    publication = _publication(soup)
    heading = article.find("h1")  # a sheet handed over alone says under its title, in the text's size, what it is
    if heading is not None:       # (the foot says it too, in small print: review 32 #5)
        lead = soup.new_tag("p", attrs={"class": "ci-paper-disclaimer"})
        lead.string = _disclaimer(soup)
        heading.insert_after(lead)
    extras = paper_extras(site, article, publication, edition, marks=marks)
    disclaimer = article.select_one(".ci-disclaimer")
    if disclaimer is not None:
        disclaimer.insert_before(extras)
    else:
        article.append(extras)
    return _document(title, edition, article, description, _paper_running(publication, edition, soup)), path


def book_pages(book: Path) -> dict[str, int]:
    """Each anchor of the PDF book (a named destination: an id of the print page) and its page number."""
    import pypdf

    reader = pypdf.PdfReader(str(book))
    return {str(name): reader.get_destination_page_number(dest) + 1
            for name, dest in reader.named_destinations.items()}


def _book_page(site: Path, page: Path, href: str, pages: dict[str, int]) -> int | None:
    """The book's page for a link of a built page (``page``): the print page prefixes every id with
    its page's key (print-site's get_page_key), and a page's own key is its chapter's start."""
    from mkdocs_print_site_plugin.urls import get_page_key

    target, _, fragment = href.partition("#")
    try:
        url = (page.parent / target).resolve().relative_to(site.resolve()).as_posix() if target else None
    except ValueError:
        return None
    if url is None:
        url = page.relative_to(site).as_posix()
    key = get_page_key(url.removesuffix("index.html") or "/")
    return pages.get(f"{key}-{fragment}") or pages.get(key)


def questions_document(site: Path, book: Path | None = None, marks: str = "numbers") -> tuple[BeautifulSoup, Path]:
    """The handout page's sheet of questions to ask your doctor, standing alone on paper: its title,
    the questions (made from the findings) with lines for the answers, when to get help now, its
    references in full, where it comes from and its edition, and the disclaimer in every page's foot.
    With the PDF book (``book``), each "Read: PAGE" gives the page of the book that explains it, and the
    sheet says which book: its title and edition (and, with SITE_URL, where it is online)."""
    path = page_file(site, "handout")
    soup = _soup(path)
    sheet = soup.select_one(f"article.md-content__inner .{ASK_SHEET}")
    if sheet is None or sheet.find("h2") is None or sheet.find("ol") is None:
        raise BuildError(f"{path}: no sheet of questions (<section class=\"{ASK_SHEET}\"> in docs/handout.md)")
    disclaimer = soup.select_one("article .ci-disclaimer")
    canonical, edition, _ = _meta(soup)
    publication = _publication(soup)
    running = _paper_running(publication, edition, soup)
    pages = book_pages(book) if book is not None and book.is_file() else {}
    numbered = 0
    for link in sheet.select(".ci-questions__where a[href]"):
        number = _book_page(site, path, link["href"], pages)
        if number:
            link.insert_after(f" (page {number})")
            numbered += 1
    where = None
    addressed = site_address(site) is not None
    if numbered:  # which book the pages are of: said with where the sheet comes from
        where = soup.new_tag("p", attrs={"class": "ci-about"})
        if addressed:  # the address beside its QR code (read them online) and the publication, said in
            where.string = ("“Read” gives a page of the book. "   # the foot or beside the code: not again
                            "If you do not have the book, your clinic can print these pages for you.")
        else:
            where.string = (f"“Read” gives a page of the book “{publication}”, edition {edition}. If you do not "
                            "have the book, your clinic can print these pages or give you the web address.")
    sheet = _clean(sheet.extract(), canonical if addressed else None)
    title = _heading_words(sheet.find("h2"))
    extras = paper_extras(site, sheet, publication, edition, what="sheet", marks=marks)
    about = extras.select_one(".ci-about")
    if where is not None and about is not None:  # one paragraph: where the sheet comes from, and the book (its
        about.clear()   # "or give you the web address" says what the online sentence did); the book's title and
        about.append(where.get_text())   # edition are said there, so not first as "This sheet is part of ..." too
    elif where is not None:
        extras.select_one(".ci-references").insert_after(where)
    sheet.append(extras)
    if disclaimer is not None:  # its review dates and edition (the foot of every page has its words)
        sheet.append(_clean(disclaimer.extract(), None))
    sheet.name = "article"
    # the sheet's own description: the handout page's ("a handout ... a box for your clinic's phone") is not its
    # (review 34 #6)
    about_sheet = f"{title}: a sheet to take to a visit, with a line under each question to write the answer"
    return _document(title, edition, sheet, f"{about_sheet}. Part of “{publication}”.", running), path


DOCUMENTS = {"book": book_document, "handout": handout_document, "questions": questions_document}


def tune_weasyprint() -> None:
    """Load WeasyPrint and make it faster on this work, without changing what it draws.

    The book is typeset on one core (the handouts share the other). Profiled (issue 12), two
    costs were pydyf's (pinned 0.13.0; with any other version nothing is changed):

    - ``PDF.page_references`` builds the tuple of every page's reference each time it is read:
      13,451 times for the tagged book (0.3 s). It is kept here until a page is added.
    - Every content stream is compressed at zlib level 9. Level 6 is 0.4 s faster for the
      book; the file is about 4 % larger.

    Safe to call more than once. The third cost, the garbage collector, is paused in ``render``.
    """
    import zlib

    import pydyf
    import weasyprint  # noqa: F401  (loaded here: a worker process loads it before its first job)

    if pydyf.__version__ != "0.13.0" or getattr(pydyf, "_ci_tuned", False):
        return
    fresh = pydyf.PDF.page_references.fget

    def page_references(pdf):
        kids = pdf.pages["Kids"]
        kept = pdf.__dict__.get("_ci_page_references")
        if kept is None or kept[0] is not kids or kept[1] != len(kids):
            kept = (kids, len(kids), fresh(pdf))
            pdf.__dict__["_ci_page_references"] = kept
        return kept[2]

    class Zlib:
        """pydyf's zlib, with level 6 for the streams it compresses at 9."""

        def __getattr__(self, name):
            return getattr(zlib, name)

        @staticmethod
        def compressobj(level=-1, *args, **kwargs):
            return zlib.compressobj(6, *args, **kwargs)

    pydyf.PDF.page_references = property(page_references)
    pydyf.zlib = Zlib()
    pydyf._ci_tuned = True


def citation_marks(sheets: list[str]) -> str:
    """How a handout or sheet typeset with these stylesheets marks its citations (paper_extras)."""
    return "letters" if LARGE_PRINT in sheets else "numbers"


def stylesheets(sheets: list[str]) -> list[Path]:
    """A PDF's stylesheets: common.css, the site's figures.css, then its own."""
    return [CSS_DIR / "common.css", FIGURES_CSS, *(CSS_DIR / sheet for sheet in sheets)]


def base_url(base: Path) -> str:
    """The document's address for WeasyPrint: an absolute file URL. Given a relative path (the
    Makefile's ``--site site``), WeasyPrint resolved every ``#anchor`` against it a second time, so
    the book's internal links became /URI actions to ``site/print_page/site/print_page/...``."""
    return Path(base).resolve().as_uri()


def _cache_key(html: str, base: Path, sheets: list[str]) -> str:
    """Everything the PDF depends on: the HTML and its address, the stylesheets, the variant,
    WeasyPrint's version."""
    import weasyprint

    digest = hashlib.sha256(f"{weasyprint.__version__}\0{PDF_VARIANT}\0{base_url(base)}\0{html}".encode("utf-8"))
    for sheet in stylesheets(sheets):
        digest.update(sheet.read_bytes())
    return digest.hexdigest()


def _weasyprint_html(html: str, base: Path, tree=None):
    """WeasyPrint's document: from ``tree`` when one is given (see ``etree``), else parsed from ``html``.

    Taking a tree is what ``HTML.__init__`` of WeasyPrint 70.0 (pinned) does after parsing; with any
    other version the text is parsed as usual.
    """
    import cssselect2
    import weasyprint

    if tree is None or weasyprint.__version__ != "70.0":
        return weasyprint.HTML(string=html, base_url=base_url(base))
    document = weasyprint.HTML.__new__(weasyprint.HTML)
    document.base_url = weasyprint._find_base_url(tree, base_url(base))
    document.url_fetcher = weasyprint.URLFetcher()
    document.media_type = "print"
    document.wrapper_element = cssselect2.ElementWrapper.from_html_root(tree, content_language=None)
    document.etree_element = document.wrapper_element.etree_element
    return document


def _cached_pdf(path: Path) -> bytes | None:
    """The PDF a cache entry holds if this user's key signed it under its name (reconcile/cache.py) and pypdf
    reads it whole; None for a damaged, foreign or planted file, which is then made again."""
    import io

    import pypdf

    try:
        data = path.read_bytes()
    except OSError:  # pruned by another build's worker since it was listed (build/pdf-cache is shared): made again
        return None
    pdf = signed(path.name, data)
    try:
        return pdf if pdf is not None and len(pypdf.PdfReader(io.BytesIO(pdf), strict=True).pages) > 0 else None
    except Exception:  # pypdf's errors are many: any of them means the file is not a PDF to ship
        return None


def render(html: str, base: Path, sheets: list[str], out: Path, cache: Path | None = None, tree=None) -> float:
    """Typeset one PDF; returns the seconds it took (the benchmark prints them).

    ``tree``: the same document as an ElementTree (``etree``), so that WeasyPrint need not parse it.
    With a cache folder, a PDF whose inputs did not change is copied from it instead (a cached
    file that this user did not sign, or that pypdf cannot read, is ignored and made again).
    """
    start = time.perf_counter()
    out.parent.mkdir(parents=True, exist_ok=True)
    cached = cache / f"{_cache_key(html, base, sheets)}.pdf" if cache else None
    reused = _cached_pdf(cached) if cached else None
    if reused is not None:
        write_atomic(out, reused)
        with contextlib.suppress(OSError):  # pruned meanwhile by another worker: it is made again next time
            cached.touch()  # recently used: kept by the pruning below
        return time.perf_counter() - start
    tune_weasyprint()  # imported late: slow to load, not needed for --help
    from weasyprint import CSS

    with gc_paused():  # WeasyPrint makes millions of short-lived objects
        styles = [CSS(filename=str(sheet)) for sheet in stylesheets(sheets)]
        pdf = _weasyprint_html(html, base, tree).write_pdf(stylesheets=styles, pdf_variant=PDF_VARIANT)
    write_atomic(out, pdf)
    if cached:
        cache.mkdir(parents=True, exist_ok=True)
        write_atomic(cached, sign(cached.name, pdf))
        for stale in sorted(cache.glob("*.pdf"), key=lambda f: f.stat().st_mtime)[:-CACHE_KEEP]:
            stale.unlink(missing_ok=True)
    return time.perf_counter() - start


def build(site: Path, out: Path, names=tuple(JOBS), workers: int | None = None,
          cache: Path | None = None) -> dict[str, float]:
    """Every PDF named, each HTML prepared once, typeset in parallel. Returns seconds per step.

    The first typesetting process starts at once and loads WeasyPrint while this one prepares the
    HTML. The book is by far the longest, so it is handed out first; the handouts share the other core.
    """
    workers = workers or min(len(names), os.cpu_count() or 1)
    with contextlib.ExitStack() as stack:
        pool = None
        if workers > 1:
            pool = stack.enter_context(ProcessPoolExecutor(max_workers=workers, initializer=tune_weasyprint))
            pool.submit(int)  # starts the first worker now
        timings, prepared, results = {}, {}, {}
        order = {"book": 0, "handout": 1, "questions": 2}  # the sheets last: they wait for the book's pages
        for name in sorted(names, key=lambda n: order[JOBS[n][0]]):  # each handed out once its HTML is ready
            kind, sheets, filename = JOBS[name]
            marks = citation_marks(sheets)
            if (kind, marks) not in prepared:
                start = time.perf_counter()
                if kind == "questions":  # its "Read:" lines give the book's pages: the book is typeset first
                    if "book" in results and pool is not None:
                        results["book"].result()
                    doc, path = questions_document(site, out / JOBS["book"][2], marks=marks)
                elif kind == "handout":
                    doc, path = handout_document(site, marks=marks)
                else:
                    doc, path = DOCUMENTS[kind](site)
                prepared[kind, marks] = (str(doc), path, etree(doc))
                timings[f"prepare {kind} HTML" + (f" ({marks})" if marks != "numbers" else "")] = \
                    time.perf_counter() - start
            html, path, tree = prepared[kind, marks]
            job = (html, path, sheets, out / filename, cache, tree)
            results[name] = pool.submit(render, *job) if pool is not None else render(*job)
        timings.update({name: r if pool is None else r.result() for name, r in results.items()})
    return timings


def show_weasyprint_warnings() -> None:
    """WeasyPrint logs what it cannot read (a CSS property, a media query, an image) to a logger with no
    output of its own: the build prints it, one line each, so that a stylesheet's mistake is seen.
    Worker processes are forked after this and inherit it."""
    import logging

    logger = logging.getLogger("weasyprint")
    if not any(getattr(h, "_ci_build_pdf", False) for h in logger.handlers):
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter("build_pdf: weasyprint %(levelname)s: %(message).300s"))
        handler.setLevel(logging.WARNING)
        handler._ci_build_pdf = True
        logger.addHandler(handler)


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
        show_weasyprint_warnings()
        if site_address(args.site) is None:
            print("build_pdf: warning: SITE_URL is not set, so the PDFs carry no web address or QR code",
                  file=sys.stderr)
        build(args.site, args.out, names, cache=None if args.no_cache else args.cache)
        for name in names:
            print(f"wrote {args.out / JOBS[name][2]}")
        downloads.publish(args.site, args.out, [JOBS[name][2] for name in names])  # the site offers them
        print(f"wrote {args.site / downloads.FOLDER}/ and the Print and offline page")
    except (BuildError, FileNotFoundError, ValueError) as err:
        print(f"build_pdf: {err}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
