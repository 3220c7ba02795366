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
from pypdf import PdfReader

from conftest import ROOT, pdf_text
from sitebuild import mkdocs_build

# A real address for the builds that set SITE_URL (not an example domain, which counts as unset).
SITE_URL = "https://cervix-guide.nhs-clinic.test/cervical-insufficiency/"

WEB_CHROME = ["Skip to content", "Initializing search", "Back to top", "Switch to dark mode",
              "Switch to light mode", "Table of contents", "¶"]


def _squash(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="session")
def book_pages(book_pdf) -> list[str]:
    return pdf_text(book_pdf)


def test_cover_has_title_edition_and_disclaimer(book_pages, mkdocs_config):
    cover = book_pages[0]
    assert _squash(mkdocs_config["site_name"]) in cover
    assert f"Edition {mkdocs_config['extra']['edition']}" in cover
    assert "not medical advice" in cover


def test_contents_list_every_nav_page_with_its_page_number(book_pages, nav_pages):
    start = next(i for i, text in enumerate(book_pages) if text.startswith("Contents"))
    contents = " ".join(book_pages[start:start + 3])
    previous = 0
    for page in nav_pages:
        match = re.search(re.escape(_squash(page.nav_title)) + r"\s*\.*\s*(\d+)", contents)
        assert match, f"contents: no page number for {page.nav_title!r}"
        number = int(match.group(1))
        assert number >= previous, f"contents: {page.nav_title!r} on page {number}, before {previous}"
        assert page.title in book_pages[number - 1], \
            f"contents: {page.nav_title!r} says page {number}, but its title {page.title!r} is not there"
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
    assert "<!-- disagreements: short -->" in source


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
    """References in full, the sources by number, the terms it uses, the address: no link needed."""
    text = _squash(" ".join(pdf_text(pdfs["handout"])))
    for key, full in [("ACOG PB 142", "Practice Bulletin No. 142"), ("FDA 2023", "withdraw approval of Makena")]:
        assert f"[{key}" in text or f", {key}" in text, f"the handout no longer cites {key}: pick another key"
        assert f"{key}: " in text and full in text, f"no full citation for {key}"
    for sid in ("000", "001", "002", "003", "004"):
        assert re.search(rf"\b{sid} [A-Z]", text), f"source {sid} is not named in the references"
    assert "Words used here" in text and "DES Diethylstilbestrol" in text
    for phrase in ("read when to get help now", "See when to get help now", "click"):
        assert phrase.lower() not in text.lower(), f"the handout relies on a link: {phrase!r}"
    assert "Last reviewed" in text and "Next review due" in text


def test_page_two_has_only_the_disagreements_that_change_what_to_do(pdfs, hosted):
    import yaml as _yaml

    front = (ROOT / "docs" / "handout.md").read_text(encoding="utf-8").split("---")[1]
    chosen = _yaml.safe_load(front)["disagreements"]
    import json
    report = json.loads((hosted.dir / "exports" / "findings.json").read_text(encoding="utf-8"))
    questions = {t["id"]: t["question"] for t in report["topics"] if t["resolution"]}
    pages = pdf_text(pdfs["handout"])
    assert pages[1].startswith("Where the sources disagree on what to do")
    text = _squash(" ".join(pages))
    for tid, question in questions.items():
        if tid in chosen:
            assert question in text, f"{tid} is chosen but not on the handout"
        else:
            assert question not in pages[1], f"{tid} is on page 2 but changes nothing a patient does"


def test_large_print_follows_clear_print(pdfs):
    css = (ROOT / "scripts" / "pdf" / "large-print.css").read_text(encoding="utf-8")
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
    import build_pdf

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
    import build_pdf

    build_pdf.build(addressed_site, tmp_path, ["handout"])
    pdf = tmp_path / build_pdf.JOBS["handout"][2]
    pages = pdf_text(pdf)
    assert len(pages) <= 2, f"with the address the handout has {len(pages)} pages"
    assert SITE_URL in " ".join(pages).replace(" ", ""), "the site address (SITE_URL) is not printed"
    _, alts = _structure_types(PdfReader(str(pdf)))
    assert any("QR code" in alt for alt in alts), "the QR code is missing or has no alternative text"


def test_book_cover_carries_the_address_when_site_url_is_set(addressed_site):
    import build_pdf
    from bs4 import BeautifulSoup

    html, _ = build_pdf.book_html(addressed_site)
    cover = BeautifulSoup(html, "html.parser").select_one(".ci-cover")
    assert cover.select_one(".ci-url").get_text(strip=True) == SITE_URL
    assert cover.select_one('.ci-address img[alt*="QR code"]')["src"].startswith("data:image/svg+xml")


def test_pdf_cache_reuses_unchanged_pdfs_and_ignores_a_broken_one(hosted, tmp_path):
    import build_pdf

    html, base = build_pdf.handout_html(hosted.dir)
    cache, out = tmp_path / "cache", tmp_path / "out.pdf"
    build_pdf.render(html, base, ["handout.css"], out, cache)
    (cached,) = cache.glob("*.pdf")
    assert cached.read_bytes() == out.read_bytes()
    cached.write_bytes(b"%PDF-1.7 cut short")  # a killed build, a full disk
    out.unlink()
    build_pdf.render(html, base, ["handout.css"], out, cache)
    assert len(PdfReader(str(out)).pages) >= 1 and cached.read_bytes() == out.read_bytes()
    build_pdf.render(html.replace("short handout", "brief handout"), base, ["handout.css"], out, cache)
    assert len(list(cache.glob("*.pdf"))) == 2, "changed HTML must not reuse the old PDF"
