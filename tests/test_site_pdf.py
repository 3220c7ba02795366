"""The PDF book and the handouts (A4, US Letter, large print), read back with pypdf.

Every PDF is tagged (structure tree, language, title); the standard handout fits two pages of
A4 and of Letter, stands alone on paper (terms, references, sources by number) and keeps page 2
for the disagreements that change what a patient does; the large print follows RNIB Clear Print;
the PDF cache never reuses a stale file. The site address with its QR code is printed only when
SITE_URL is set: the default build (no SITE_URL) must never print mkdocs.yml's placeholder.
"""
from __future__ import annotations

import re

import pytest
import yaml
from pypdf import PdfReader

from conftest import ROOT, pdf_text, soup_of
from website.sitebuild import mkdocs_build

# A real address for the builds that set SITE_URL (not an example domain, which counts as unset).
SITE_URL = "https://cervix-guide.nhs-clinic.test/cervical-insufficiency/"
HANDOUT_PAGES = {"handout": 2, "handout-letter": 2, "handout-large-print": 4}  # what clinics print, with or without SITE_URL

WEB_CHROME = ["Skip to content", "Initializing search", "Back to top", "Switch to dark mode",
              "Switch to light mode", "Table of contents", "¶"]


def _squash(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="session")
def book_pages(book_pdf) -> list[str]:
    return pdf_text(book_pdf)


@pytest.fixture(scope="session")
def book_lines(book_pdf) -> list[list[str]]:
    """Each page of the book as its lines of text in layout order (blank lines left out), read once."""
    return [[line.strip() for line in page.extract_text(extraction_mode="layout").splitlines() if line.strip()]
            for page in PdfReader(str(book_pdf)).pages]


def test_cover_has_title_edition_and_disclaimer(book_pages, mkdocs_config):
    cover = book_pages[0]
    assert _squash(mkdocs_config["site_name"]) in cover
    assert f"Edition {mkdocs_config['extra']['edition']}" in cover
    assert "not medical advice" in cover
    # review 56 S10: the cover said "Information, not medical advice. This is general information, not medical
    # advice." Every time it says so, it is the disclaimer's own sentence (the box and the running footer).
    squashed, disclaimer = _squash(cover), _squash(mkdocs_config["extra"]["disclaimer"])
    assert squashed.count("not medical advice") == squashed.count(disclaimer), \
        "the cover says 'not medical advice' outside the disclaimer's own words"


def test_contents_list_every_nav_page_with_its_page_number(book_pages, nav_pages):
    start = next(i for i, text in enumerate(book_pages) if text.startswith("Contents"))
    contents = " ".join(book_pages[start:start + 3])
    previous = 0
    for page in nav_pages:  # by the chapter's own heading, as its page shows it (review 26 S7: "Home")
        match = re.search(re.escape(_squash(page.title)) + r"\s*\.*\s*(\d+)", contents)
        assert match, f"contents: no page number for {page.title!r} (menu: {page.nav_title!r})"
        number = int(match.group(1))
        assert number >= previous, f"contents: {page.title!r} on page {number}, before {previous}"
        assert page.title in book_pages[number - 1], \
            f"contents: {page.title!r} says page {number}, but that title is not there"
        previous = number


def test_every_page_title_in_navigation_order(book_pages, nav_pages):
    body = " ".join(book_pages[2:])
    position = 0
    for page in nav_pages:
        found = body.find(page.title, position)
        assert found >= 0, f"{page.title!r} ({page.path.name}) missing or out of navigation order"
        position = found + len(page.title)


def test_page_count_is_sane(book_pages, nav_pages):
    assert len(nav_pages) + 2 <= len(book_pages) <= 12 * len(nav_pages), len(book_pages)


def test_running_title_and_page_numbers_in_margins(book_pages, mkdocs_config):
    total = len(book_pages)
    for number, text in enumerate(book_pages[1:], start=2):
        assert f"Page {number} of {total}" in text, f"page {number}: no page number"
    assert sum(_squash(mkdocs_config["site_name"]) in t for t in book_pages[2:]) >= len(book_pages) - 3


def test_no_web_chrome_in_the_book(book_pages):
    found = [(i + 1, word) for i, text in enumerate(book_pages) for word in WEB_CHROME if word in text]
    assert not found, f"web chrome in the PDF (page, text): {found[:10]}"


def test_the_book_prints_no_editors_counts(book_pages, hosted):
    """Review 18 S9: the web folds "For editors: 5 sources: 1 agrees, 2 silent ..." inside each evidence box; on paper
    the folds are open, and the counts printed under almost every question. The book leaves them out; the web keeps
    them."""
    assert "For editors:" in (hosted.dir / "treatment" / "cerclage" / "index.html").read_text(encoding="utf-8")
    assert [i + 1 for i, page in enumerate(book_pages) if re.search(r"For editors: \d+ sources", page)] == []


def test_internal_links_are_pdf_links(book_pdf):
    reader = PdfReader(str(book_pdf))
    internal = external = 0
    for page in reader.pages:
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/Subtype") != "/Link":
                continue
            action = annot.get("/A")
            if annot.get("/Dest") is not None or (action and action.get("/S") == "/GoTo"):
                internal += 1
            elif action and action.get("/S") == "/URI":
                external += 1
                assert not str(action["/URI"]).startswith("file:"), action["/URI"]
    assert internal >= 20, f"only {internal} internal links in the PDF"


def test_handout_is_at_most_two_pages_with_edition_and_disclaimer(handout_pdf, mkdocs_config):
    pages = pdf_text(handout_pdf)
    assert 1 <= len(pages) <= 2, f"handout has {len(pages)} pages"
    text = " ".join(pages)
    assert f"Edition {mkdocs_config['extra']['edition']}" in text
    assert "not medical advice" in text
    assert not [w for w in WEB_CHROME if w in text]


def test_handout_is_built_from_the_site_sections(handout_pdf):
    """Every snippet the handout includes reaches the PDF: the same content, not a copy."""
    source = (ROOT / "docs" / "handout.md").read_text(encoding="utf-8")
    includes = re.findall(r'^--8<-- "([^":]+):([\w-]+)"', source, re.M)
    assert includes, "docs/handout.md includes no section of the other pages"
    text = " ".join(pdf_text(handout_pdf))
    for path, section in includes:
        page = (ROOT / path).read_text(encoding="utf-8")
        body = re.search(rf"\[start:{section}\] -->\n(.*?)<!-- --8<-- \[end:{section}\]", page, re.S)
        assert body, f"{path}: no section {section}"
        prose = next(line for line in body.group(1).splitlines()
                     if line.strip() and not line.lstrip().startswith(("!!!", "???", "<!--", "|")))
        words = re.sub(r"<!--.*?-->|[*_`#>\[\]]|^\s*[-+]\s|\(.*?\)", " ", prose).split()
        assert _squash(" ".join(words[:5])) in text, f"section {path}:{section} is not in the handout"


# ------------------------------------------------------------------ every PDF: tagged

def _structure_types(reader) -> tuple[set[str], list[str]]:
    """The structure element types in a tagged PDF, and the /Alt texts of its figures."""
    types, alts, stack = set(), [], [reader.trailer["/Root"]["/StructTreeRoot"]]
    while stack:
        node = stack.pop()
        node = node.get_object() if hasattr(node, "get_object") else node
        if isinstance(node, list):
            stack += node
            continue
        if not hasattr(node, "get"):
            continue
        if "/S" in node:
            types.add(str(node["/S"]))
            if str(node["/S"]) == "/Figure" and "/Alt" in node:
                alts.append(str(node["/Alt"]))
        kids = node.get("/K")
        if kids is not None:
            stack.append(kids)
    return types, alts


@pytest.mark.parametrize("name", ["book", "handout", "handout-letter", "handout-large-print"])
def test_every_pdf_is_tagged_with_language_and_title(pdfs, name):
    reader = PdfReader(str(pdfs[name]))
    root = reader.trailer["/Root"]
    assert root.get("/Lang") == "en", f"{name}: no document language"
    assert root["/MarkInfo"]["/Marked"], f"{name}: not marked as tagged"
    assert reader.metadata.title and "Cervical insufficiency" in reader.metadata.title
    assert root["/ViewerPreferences"]["/DisplayDocTitle"], f"{name}: viewers would show the file name, not the title"
    types, alts = _structure_types(reader)
    assert {"/H1", "/H2", "/P", "/L", "/LI"} <= types, f"{name}: structure tree has only {sorted(types)}"


# ------------------------------------------------------------------ handouts on paper

A4, LETTER = (595, 842), (612, 792)


@pytest.mark.parametrize("name, size", [("handout", A4), ("handout-letter", LETTER)])
def test_standard_handout_fits_two_pages_on_a4_and_letter(pdfs, name, size):
    reader = PdfReader(str(pdfs[name]))
    assert 1 <= len(reader.pages) <= 2, f"{name}: {len(reader.pages)} pages"
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == size


def test_handout_stands_alone_on_paper(pdfs, mkdocs_config):
    """References in full under small numbers, the web pages by name, the terms it uses: no link needed."""
    text = _squash(" ".join(pdf_text(pdfs["handout"])))
    for key, full in [("ACOG PB 142", "Practice Bulletin No. 142"), ("FDA 2023", "withdraw approval of Makena")]:
        assert f"{key}: " in text and full in text, f"no full citation for {key}"
    body, references = text.split("References", 1)
    cited = re.findall(r"Web page (\d{3}): [“A-Za-z]", references)
    assert cited, "no web page named in the references"
    assert not re.search(r"\[(\d{3}|ACOG|RCOG|FDA)", body), "a citation code in the text, not a number"
    assert "Words used here" in text and "DES Diethylstilbestrol" not in text  # only the terms it uses
    for phrase in ("read when to get help now", "See when to get help now", "click"):
        assert phrase.lower() not in text.lower(), f"the handout relies on a link: {phrase!r}"
    assert "Last reviewed" in text and "Next review due" in text


# What the guidance we use makes of old advice: "Current guidance says (or agrees)", or the body whose document the
# reference lists, as the one that acted ("The FDA, the US drug agency, withdrew them": a regulator's decision is not
# called guidance, review 75 S3). The bodies are the first words of the reference's keys (FDA 2023, ACOG PB 142).
_BODIES = sorted({c["key"].split()[0] for c in yaml.safe_load((ROOT / "data" / "guidance.yaml").read_text(encoding="utf-8"))["citations"]})
GUIDANCE_SAYS = re.compile(r"Current guidance (?:says|agrees)|\bThe (?:" + "|".join(map(re.escape, _BODIES)) + r")\b")


def test_page_two_says_what_to_do_and_names_old_advice_only_as_elsewhere(pdfs):
    """Out-of-date advice is named only as "You may read elsewhere ... Current guidance says (or agrees) ...",
    with the reference of the guidance that says so: for every fact guidance marks withdrawn or
    discouraged, the handout cites it there."""
    import yaml as _yaml

    guidance = _yaml.safe_load((ROOT / "data" / "guidance.yaml").read_text(encoding="utf-8"))
    old = [f for f in guidance["facts"] if f.get("status") in ("withdrawn", "discouraged")]
    assert old, "guidance.yaml marks no advice withdrawn or discouraged: this test checks nothing"
    for name in ("handout", "handout-letter"):
        pages = pdf_text(pdfs[name])
        assert pages[1].startswith("What to do"), pages[1][:80]
        text = _squash(" ".join(pages))
        body, references = text.split("References", 1)
        keys = [c["key"] for c in guidance["citations"]]  # the references are listed by number: 1, 2, ...
        # every entry, a key cited both ways twice ("ACOG PB 142 (secondary)" and "ACOG PB 142": review 26 S1)
        found = sorted((m.start(), key + (m.group(1) or "")) for key in keys + re.findall(r"Web page \d{3}", references)
                       for m in re.finditer(re.escape(key) + r"( \(secondary\))?: ", references))
        numbers = {key: n for n, (_, key) in enumerate(found, start=1)}
        lines = re.findall(r"You may read elsewhere (.*?)(?= You may read elsewhere|Words used here|$)", pages[1])
        assert lines, "page 2 names no out-of-date advice"
        for line in lines:
            assert GUIDANCE_SAYS.search(line), f"old advice without what guidance says: {line!r}"
            assert not re.search(r"\(\d{3}\)|\b\d{3}\b", GUIDANCE_SAYS.split(line, 1)[0]), line
        for fact in old:
            key = fact["cite"][0] + (" (secondary)" if fact.get("secondary") else "")
            assert any(re.search(rf"\b{numbers.get(key, 'none')}\b", GUIDANCE_SAYS.split(line, 1)[-1])
                       for line in lines), f"{fact['id']} ({key}) is not cited where old advice is named"


def test_large_print_follows_clear_print(pdfs):
    css = (ROOT / "scripts" / "website" / "pdf" / "large-print.css").read_text(encoding="utf-8")
    rules = re.sub(r"/\*.*?\*/", "", css, flags=re.S)
    for banned in ("italic", "oblique", "uppercase", "small-caps", "justify"):
        assert banned not in rules, f"large print uses {banned}"
    sizes = [float(v) for v in re.findall(r"font-size:\s*([\d.]+)pt", rules)]
    assert sizes and min(sizes) >= 16, f"large print has text under 16 pt: {sizes}"
    assert re.search(r"html\s*{[^}]*line-height:\s*1\.5", rules)
    reader = PdfReader(str(pdfs["handout-large-print"]))
    fonts = {str(f["/BaseFont"]) for page in reader.pages
             for f in (page["/Resources"].get("/Font") or {}).values() if "/BaseFont" in f.get_object()}
    assert fonts and not [f for f in fonts if re.search("Oblique|Italic", f)], fonts


def test_book_cover_shows_review_dates(book_pages, mkdocs_config):
    cover = book_pages[0]
    extra = mkdocs_config["extra"]
    assert f"Last reviewed {extra['last_reviewed']}" in cover
    assert f"Next review due {extra['next_review']}" in cover


# ------------------------------------------------------------------ the site's address on paper

def test_placeholder_address_is_never_printed(pdfs, book_pages, mkdocs_config):
    """Without SITE_URL, site_url is mkdocs.yml's example.org placeholder: no PDF may send a reader there."""
    import os

    if os.environ.get("SITE_URL"):
        pytest.skip("SITE_URL is set for this run: the default build has a real address")
    placeholder = mkdocs_config["site_url"]
    assert "example.org" in placeholder, "mkdocs.yml's default site_url is no longer the placeholder"
    for name, path in pdfs.items():
        text = " ".join(pdf_text(path)).replace(" ", "")
        assert "example.org" not in text, f"{name}: prints the placeholder address"
        assert "Readmore,witheachsource'sownwords,at" not in text and "Online:" not in text, \
            f"{name}: an address line with no address"
        _, alts = _structure_types(PdfReader(str(path)))
        assert not [a for a in alts if "QR code" in a], f"{name}: a QR code to the placeholder"


def test_unset_site_url_warns_in_one_line(hosted, tmp_path, capsys):
    from website import build_pdf

    code = build_pdf.main(["--site", str(hosted.dir), "--out", str(tmp_path), "--only", "handout",
                           "--cache", str(tmp_path / "cache")])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 0 and len(err) == 1 and "SITE_URL is not set" in err[0], err


@pytest.fixture(scope="module")
def addressed_site(tmp_path_factory) -> "Path":
    """The site built the way it is published: with SITE_URL set."""
    dest = tmp_path_factory.mktemp("addressed") / "site"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SITE_URL", SITE_URL)
        mkdocs_build(dest)
    return dest


def test_handout_prints_the_address_and_qr_code_when_site_url_is_set(addressed_site, tmp_path):
    from website import build_pdf

    build_pdf.build(addressed_site, tmp_path, ["handout", "handout-letter", "handout-large-print"])
    for name, count in HANDOUT_PAGES.items():  # the address and QR code take no page of their own
        pages = pdf_text(tmp_path / build_pdf.JOBS[name][2])
        assert len(pages) == count, f"with the address the {name} has {len(pages)} pages, not {count}"
    pdf = tmp_path / build_pdf.JOBS["handout"][2]
    pages = pdf_text(pdf)
    assert SITE_URL in " ".join(pages).replace(" ", ""), "the site address (SITE_URL) is not printed"
    _, alts = _structure_types(PdfReader(str(pdf)))
    assert any("QR code" in alt for alt in alts), "the QR code is missing or has no alternative text"


def test_book_cover_carries_the_address_when_site_url_is_set(addressed_site):
    from website import build_pdf
    from bs4 import BeautifulSoup

    html, _ = build_pdf.book_html(addressed_site)
    cover = BeautifulSoup(html, "html.parser").select_one(".ci-cover")
    assert cover.select_one(".ci-url").get_text(strip=True) == SITE_URL
    assert cover.select_one('.ci-address img[alt*="QR code"]')["src"].startswith("data:image/svg+xml")


def test_pdf_cache_reuses_unchanged_pdfs_and_ignores_a_broken_one(hosted, tmp_path):
    from website import build_pdf

    html, base = build_pdf.handout_html(hosted.dir)
    cache, out = tmp_path / "cache", tmp_path / "out.pdf"
    build_pdf.render(html, base, ["handout.css"], out, cache)
    from reconcile.cache import signed

    (cached,) = cache.glob("*.pdf")
    assert signed(cached.name, cached.read_bytes()) == out.read_bytes()  # kept signed with the user's key
    cached.write_bytes(b"%PDF-1.7 cut short")  # a killed build, a full disk
    out.unlink()
    build_pdf.render(html, base, ["handout.css"], out, cache)
    assert len(PdfReader(str(out)).pages) >= 1 and signed(cached.name, cached.read_bytes()) == out.read_bytes()
    build_pdf.render(html.replace("short handout", "brief handout"), base, ["handout.css"], out, cache)
    assert len(list(cache.glob("*.pdf"))) == 2, "changed HTML must not reuse the old PDF"


# ---------------------------------------------------------------- the book on paper, and its speed (issue 12)

def _claim(anchor_id: str) -> str | None:
    from website import build_pdf

    found = build_pdf.CLAIM_ID.search(anchor_id.removesuffix("-here"))
    return found.group(1) if found else None


def test_a_sources_table_in_the_book_does_not_repeat_the_quotes_the_questions_print(hosted):
    """A question shown on two pages (twins, for example) keeps its evidence on both; a source's
    table (as on the web, website.pagecontext.quoted_in) names the chapter that quotes a claim, with
    a link; a claim no question prints is quoted only when it carries a mark (the words the mark
    rests on), else given in our words alone."""
    from website import build_pdf

    doc, _ = build_pdf.book_document(hosted.dir)
    printed = {_claim(item["id"]) for item in doc.select('li[id$="-here"]')  # quotes in the questions' evidence
               if item.select_one("blockquote.claim-quote")}
    rows = doc.select('tr[id*="-claim-"]')
    pointers = 0
    for row in rows:  # a source's table: its own quote, or a link to where the book prints it
        claim = _claim(row["id"])
        link = row.select_one(".ci-quote-ref a[href]")
        if row.select_one("details.claim-quote"):
            assert claim not in printed, f"{claim}: quoted in a question's evidence and again in its source's table"
            assert row.select_one("em.differs, em.supported, em.open, em.uncompared, em.note"), \
                f"{claim}: quoted, with no mark resting on it"
        elif link is None:
            assert claim not in printed, f"{row['id']}: quoted in a question's evidence, and no pointer to it"
            assert not row.select_one("em.differs, em.supported, em.note"), f"{claim}: a mark, and not its words"
        else:
            target = doc.find(id=link["href"][1:])
            assert target is not None and target.select_one("blockquote.claim-quote"), link["href"]
            assert _claim(target["id"]) == claim
            chapter = target.find_parent("section", class_="print-page").find("h1")
            assert link.get_text() == f"“{' '.join(chapter.get_text().split())}”"
            pointers += 1
    quoting = len(doc.select('tr[id*="-claim-"] details.claim-quote'))
    assert rows and pointers and quoting, "the test did not see both kinds of row"
    assert pointers > 2 * quoting, f"{quoting} rows quote, {pointers} link: the tables repeat the sources"


def test_the_check_date_is_said_once_per_chapter_only_when_it_is_the_same_for_every_quote():
    from website import build_pdf
    from bs4 import BeautifulSoup

    def stamp(date):
        return f'<span class="verified">(verified against the saved source on <time datetime="{date}">{date}</time>)</span>'
    doc = BeautifulSoup(
        '<div id="c"><section class="print-page" id="a"><h1>One date</h1>'
        f'<p>“x”{stamp("2026-11-24")}</p><p>“y”{stamp("2026-11-24")}</p></section>'
        f'<section class="print-page" id="b"><h1>Two dates</h1><p>“x”{stamp("2026-11-24")}</p><p>“y”{stamp("2026-10-01")}</p></section>'
        f'<section class="print-page" id="d"><h1>One failed</h1><p>“x”{stamp("2026-11-24")}</p>'
        '<p>“y” <span class="unverified">(this quote did not match the source text)</span></p></section></div>',
        "html.parser")
    build_pdf._one_check_date_per_chapter(doc, doc.select_one("#c"))
    one, two, failed = (doc.select_one(f"#{k}") for k in "abd")
    assert not one.select("span.verified")
    assert one.select_one("h1 + p.ci-verified-note").get_text() == \
        "Every quote in this chapter was verified against the saved source on 2026-11-24."
    assert len(two.select("span.verified")) == 2 and not two.select(".ci-verified-note")
    assert failed.select("span.verified") and failed.select(".unverified") and not failed.select(".ci-verified-note")


def test_the_book_says_when_its_quotes_were_checked(book_pages):
    text = _squash(" ".join(book_pages))
    assert "Every quote in this chapter was verified against the saved source on " in text
    assert "Their words are quoted in “" in text


@pytest.mark.parametrize("part", ["book", "handout"])
def test_the_tree_handed_to_weasyprint_is_the_one_it_would_parse(hosted, part):
    """build_pdf gives WeasyPrint the document as a tree, not as text to parse again."""
    import xml.etree.ElementTree as ET

    from website import build_pdf
    import tinyhtml5

    doc, _ = (build_pdf.book_document if part == "book" else build_pdf.handout_document)(hosted.dir)
    parsed = tinyhtml5.parse(str(doc), namespace_html_elements=False)
    def canonical(tree):  # attributes in one order (their order means nothing), comments kept
        return ET.canonicalize(ET.tostring(tree, encoding="unicode"), with_comments=True)
    assert canonical(build_pdf.etree(doc)) == canonical(parsed)


def test_tuned_pydyf_gives_the_same_page_references_as_pages_are_added():
    from website import build_pdf
    import pydyf

    build_pdf.tune_weasyprint()
    pdf = pydyf.PDF()
    for _ in range(5):
        pdf.add_page(pydyf.Dictionary({"Type": "/Page"}))
        assert pdf.page_references == tuple(f"{n} 0 R".encode("ascii") for n in pdf.pages["Kids"][::3])
    assert len(pdf.page_references) == 5


def test_a_hostile_page_title_stays_text_in_the_contents(hosted, tmp_path):
    """The book's contents list is built from the print page's titles as text, not as markup."""
    import shutil

    from website import build_pdf
    from bs4 import BeautifulSoup

    site = tmp_path / "site"
    shutil.copytree(hosted.dir, site)
    page = build_pdf.page_file(site, "print_page")
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    entry = soup.select_one(".md-sidebar--secondary nav.md-nav--secondary > ul > li > a")
    entry.string = "<img src=x onerror=alert(1)>Home"
    soup.select_one("section.print-page#index h1").string = "<img src=x onerror=alert(1)>Home"  # the contents' words
    page.write_text(str(soup), encoding="utf-8")
    doc, _ = build_pdf.book_document(site)
    toc = doc.select_one("nav.ci-toc")
    assert toc.find("img") is None
    assert "<img src=x onerror=alert(1)>Home" in toc.get_text()


def test_no_book_page_ends_on_a_sentence_that_leads_into_the_next(book_lines, hosted):
    """Review 102: "By which week does an opening cervix point to it?" and "The sources' weeks for the last point
    above, side by side:" stood alone at the foot of page 20, the chart they lead into on page 21; review 103 S9:
    "When is the stitch taken out?", a chart's caption, alone at the foot of page 58. In the book as make site made
    it, no page's last line of text (above the running footer) ends in a colon or is a heading or a chart's caption
    of the book's own HTML."""
    html = soup_of(hosted.dir / "print_page" / "index.html")
    heads = {" ".join(h.get_text(" ").replace("\u00b6", "").split())
             for h in html.select("h2, h3, h4, h5, h6, table caption")} - {""}
    assert "When is the stitch taken out?" in heads
    ends = []
    for number, lines in enumerate(book_lines, 1):
        foot = next((i for i, line in enumerate(lines) if ", edition " in line and "Page " in line), None)
        if foot:  # the cover has none
            ends.append((number, lines[foot - 1]))
    assert len(ends) == len(book_lines) - 1, "a page's running footer was not found: its last line cannot be read"
    assert not [(n, line) for n, line in ends if line.endswith(":") or _ends_a_heading(line, heads)]


def _ends_a_heading(line: str, heads: set[str]) -> bool:
    """A line that is a heading, or the last line of one that wraps."""
    line = " ".join(line.split())
    return any(line == head or (len(line) > 15 and head.endswith(" " + line)) for head in heads)


def test_no_book_page_holds_the_help_box_alone(book_lines):
    """Review 123 S4: pages 11, 73 and 82 of the book held only the "Get help now" box that ends a chapter (kept
    whole, it did not fit under the chapter's last lines), the rest of each page empty. In the book as make site
    made it, no page's text (below the running head) opens with the box: it takes the lines before it along."""
    title = re.search(r'^!!! danger "([^"]+)"', (ROOT / "includes" / "help-box.md").read_text(encoding="utf-8"), re.M)
    assert title, "includes/help-box.md no longer opens with the box this test reads"
    boxes, opening = 0, []
    for number, lines in enumerate(book_lines, 1):
        boxes += sum(line == title[1] for line in lines)
        if len(lines) > 1 and lines[1] == title[1]:  # lines[0]: the running head
            opening.append(number)
    assert boxes > 10, "the book's help boxes were not found: the test reads nothing"
    assert not opening, f"pages {opening} open with the help box, alone under the running head"


def test_no_book_table_starts_at_a_page_foot_with_one_row(book_lines, hosted):
    """Review 125 S4: the methods page's table of week readings began at the foot of a page, its heading row and one
    row of 21 there, the rest overleaf. In the book as make site made it, wherever a table's heading row of the book's
    own HTML stands on a page, at least two lines of its rows follow it on that page."""
    html = soup_of(hosted.dir / "print_page" / "index.html")
    heads = {" ".join(table.thead.get_text(" ").split()) for table in html.select("table")
             if table.thead and len(table.select("tbody > tr")) >= 3} - {""}
    assert "Words such as We read it as The rule" in heads
    seen, short = 0, []
    for number, page in enumerate(book_lines, 1):
        lines = [" ".join(line.split()) for line in page]
        foot = next((i for i, line in enumerate(lines) if ", edition " in line and "Page " in line), len(lines))
        for i, line in enumerate(lines[:foot]):
            if line in heads:
                seen += 1
                if foot - i - 1 < 2:
                    short.append((number, line))
    assert seen >= len(heads), f"{seen} table headings found in the book for {len(heads)} kinds: the test reads too little"
    assert not short, f"tables start at a page's foot with one row: {short}"
