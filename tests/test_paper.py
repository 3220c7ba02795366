"""Paper a clinic can use (issue 17), tested on what is shipped: dist/ and site/ as `make site` makes
them, from the project root with the Makefile's relative paths (a missing file is made by `make site`).

The PDF book's internal links resolve inside the PDF, no link points at a file, external links point
where their text says; the files the tools write keep the mode a normal write gives.
"""
from __future__ import annotations

import copy
import functools
import json
import os
import re
import stat
import subprocess
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf._text_extraction import mult

from conftest import ROOT, real_findings, soup_of
from website import build_pdf

DIST, SITE = ROOT / "dist", ROOT / "site"
PDF_NAMES = {name: filename for name, (_, _, filename) in build_pdf.JOBS.items()}
PLACEHOLDER_HOSTS = build_pdf.PLACEHOLDER_DOMAINS
HANDOUTS = ["handout", "handout-letter", "handout-large-print"]


@pytest.fixture(scope="session")
def shipped() -> dict[str, Path]:
    """The PDFs in dist/ as `make site` left them (run here, from the project root, if one is missing)."""
    paths = {name: DIST / filename for name, filename in PDF_NAMES.items()}
    if not all(p.is_file() for p in paths.values()) or not (SITE / "index.html").is_file():
        proc = subprocess.run(["make", "site"], cwd=ROOT, capture_output=True, text=True)
        assert proc.returncode == 0, f"make site failed:\n{(proc.stdout + proc.stderr)[-3000:]}"
    return paths


# ------------------------------------------------------------------ links in the PDFs

def link_annotations(reader: PdfReader):
    """(page index, annotation) for every link annotation."""
    for index, page in enumerate(reader.pages):
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            if annot.get("/Subtype") == "/Link":
                yield index, annot


def _destination_resolves(reader: PdfReader, dest) -> bool:
    if isinstance(dest, str):  # a named destination
        return dest in reader.named_destinations
    page = dest[0].get_object() if len(dest) else None
    return any(p.indirect_reference == dest[0] for p in reader.pages) if page is not None else False


def text_in_rect(page, rect) -> str:
    """The words drawn inside a link's rectangle (what the reader sees as the link)."""
    x0, y0, x1, y1 = (float(v) for v in rect)
    x0, x1, y0, y1 = min(x0, x1), max(x0, x1), min(y0, y1), max(y0, y1)
    words = []

    def visit(text, cm, tm, font, size):
        if not text.strip():
            return
        m = mult(tm, cm)
        x, y = m[4], m[5]
        if x0 - 2 <= x <= x1 and y0 - 2 <= y <= y1 + 2:
            words.append(text)

    page.extract_text(visitor_text=visit)
    return "".join(words).strip()


def check_links(path: Path) -> tuple[int, list[str], list[tuple[str, str]]]:
    """Internal link count, problems, and the (text, URI) of each external link."""
    reader = PdfReader(str(path))
    internal, problems, external = 0, [], []
    for index, annot in link_annotations(reader):
        action = annot.get("/A")
        dest = annot.get("/Dest")
        if dest is None and action is not None and action.get("/S") == "/GoTo":
            dest = action["/D"]
        if dest is not None:
            internal += 1
            if not _destination_resolves(reader, dest.get_object() if hasattr(dest, "get_object") else dest):
                problems.append(f"page {index + 1}: destination {dest!r} does not resolve")
            continue
        uri = str(action["/URI"]) if action is not None and action.get("/S") == "/URI" else None
        if uri is None:
            problems.append(f"page {index + 1}: a link that is neither a destination nor a URI: {action!r}")
            continue
        scheme = uri.split(":", 1)[0].lower()
        if scheme not in ("http", "https", "mailto", "tel"):
            problems.append(f"page {index + 1}: a link to a file path: {uri}")
        elif any(host in uri for host in PLACEHOLDER_HOSTS):
            problems.append(f"page {index + 1}: a link to the placeholder address: {uri}")
        external.append((text_in_rect(reader.pages[index], annot["/Rect"]), uri))
    return internal, problems, external


def _says_where(text: str, uri: str) -> bool:
    """A link whose words look like an address or a file name must go there."""
    words = text.strip(" .,;:()“”\"'")
    if re.fullmatch(r"(https?://)?[\w.-]+\.[a-z]{2,}(/\S*)?|[\w.-]+\.(json|csv|pdf|zip|html)", words):
        return words.removeprefix("https://").removeprefix("http://").rstrip("/") in uri
    return True


def test_every_internal_link_of_the_shipped_book_resolves(shipped):
    internal, problems, external = check_links(shipped["book"])
    assert not problems, f"{len(problems)} broken links, e.g. {problems[:5]}"
    assert internal >= 500, f"only {internal} internal links in the book"
    wrong = [(t, u) for t, u in external if not _says_where(t, u)]
    assert not wrong, f"links that do not go where their text says: {wrong[:5]}"


@pytest.mark.parametrize("name", [n for n in PDF_NAMES if n != "book"])
def test_no_handout_link_points_at_a_file(shipped, name):
    _, problems, external = check_links(shipped[name])
    assert not problems, problems[:5]
    assert not [(t, u) for t, u in external if not _says_where(t, u)]


def test_the_link_checker_sees_a_broken_link(tmp_path):
    """The check above fails on the book as it was: /URI actions to a relative file path."""
    from pypdf import PdfWriter
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject, ArrayObject, FloatObject

    writer = PdfWriter()
    page = writer.add_blank_page(200, 200)
    link = DictionaryObject({
        NameObject("/Type"): NameObject("/Annot"), NameObject("/Subtype"): NameObject("/Link"),
        NameObject("/Rect"): ArrayObject([FloatObject(v) for v in (10, 10, 100, 30)]),
        NameObject("/A"): DictionaryObject({NameObject("/S"): NameObject("/URI"), NameObject("/URI"):
                                            TextStringObject("site/print_page/site/print_page/index.html#x")})})
    page[NameObject("/Annots")] = ArrayObject([writer._add_object(link)])
    path = tmp_path / "broken.pdf"
    with path.open("wb") as out:
        writer.write(out)
    _, problems, _ = check_links(path)
    assert problems and "file path" in problems[0]


def test_a_relative_site_folder_gives_an_absolute_base_url(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert build_pdf.base_url(Path("site/print_page/index.html")) == \
        (tmp_path / "site/print_page/index.html").as_uri()


def test_with_site_url_links_to_other_files_go_to_the_hosted_site(addressed_book):
    internal, problems, external = check_links(addressed_book)
    assert not problems and internal >= 500
    exports = [(t, u) for t, u in external if "exports/" in u]
    assert exports and all(_says_where(t, u) and u.startswith(SITE_URL) for t, u in exports), exports
    assert all(t for t, _ in exports), f"no text found under a link: {exports}"


@pytest.mark.parametrize("name", [n for n in PDF_NAMES if n.startswith(("handout", "questions"))])
def test_each_point_of_a_list_is_read_on_one_page(shipped, name):
    """Review 79 M1: the large-print handout's page 2 ended on "You may read elsewhere that weekly progesterone shots
    (Makena) are a treatment. The FDA, the US drug agency," and page 3 began "withdrew them in 2023": printed on two
    sides, the first sheet named the withdrawn shots without their withdrawal. Every point of every list of the
    handout page that a handout or sheet prints stands whole on one of its pages (letters only compared: the paper
    numbers or letters its citations)."""
    from bs4 import BeautifulSoup

    squash = lambda text: re.sub(r"[^a-z]+", "", text.lower())  # noqa: E731
    page = BeautifulSoup((SITE / "handout" / "index.html").read_text(encoding="utf-8"), "html.parser")
    for sup in page.select("sup"):
        sup.decompose()
    items = [squash(li.get_text(" ")) for li in page.select("article li") if len(li.get_text(" ").split()) >= 8]
    pages = [squash(text) for text in pdf_pages(shipped[name])]
    whole = "".join(pages)   # a point split over two pages has the page's foot between its halves: its first and
    ends = [(item[:40], item[-40:]) for item in items]   # its last words are what is compared
    printed = [(head, tail) for head, tail in ends if head in whole and tail in whole]
    split = [head for head, tail in printed if not any(head in text and tail in text for text in pages)]
    assert len(printed) >= 5, f"{name}: only {len(printed)} points of the handout page's lists found on paper"
    assert not split, f"{name}: points split across pages: {split}"


@functools.cache
def headings_of_the_site() -> frozenset[str]:
    """The words of every heading the pages print: h2 to h6, an evidence block's summary line, a group's row of
    the map's table (ci-map-paper.html). Read once for every PDF's test; the pages' parses are conftest's."""
    heads = set()
    for path in SITE.rglob("*.html"):
        for h in soup_of(path).select("article :is(h2, h3, h4, h5, h6), article details > summary, .ci-map-paper__group th"):
            heads.add(" ".join(h.get_text(" ").replace("\u00b6", "").split()))
    return frozenset(heads - {""})


FOOT = r"what the sources say\W*, edition \d|This is general information, not medical"  # a foot's first line


@functools.cache
def _layout(path: Path) -> tuple[tuple[float, float, tuple[tuple[tuple[float, float, float, float, str], ...], ...]], ...]:
    """Each page of a PDF as poppler's layout reads it (-bbox-layout): (width, height, its lines top to bottom as
    poppler groups them, each line its words (x0, y0, x1, y1, word), unescaped). Read once a PDF for every test
    that reads lines or measures words."""
    import html

    xml = subprocess.run(["pdftotext", "-bbox-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout
    word = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>')
    return tuple((float(width), float(height),
                  tuple(tuple((float(x0), float(y0), float(x1), float(y1), html.unescape(w))
                              for x0, y0, x1, y1, w in word.findall(line))
                        for line in re.findall(r"<line[ >].*?</line>", page, re.S)))
                 for width, height, page in re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', xml, re.S))


def layout_lines(path: Path) -> tuple[tuple[tuple[tuple[float, float, float, float, str], ...], ...], ...]:
    """Each page's lines top to bottom as poppler groups them, each line its words (x0, y0, x1, y1, word)."""
    return tuple(lines for _, _, lines in _layout(path))


def last_body_lines(path: Path) -> list[list[str]]:
    """Each page's lines above its foot (the book's title and edition, or the disclaimer), top to bottom; the words
    of a table's row that poppler sets as several lines at one height are one line, left to right."""
    pages = []
    for page in layout_lines(path):
        rows: dict[int, list] = {}
        for words in page:
            if words:
                rows.setdefault(round(words[0][1]), []).extend((x0, w) for x0, _, _, _, w in words)
        texts = [" ".join(w for _, w in sorted(rows[y])) for y in sorted(rows)]
        feet = [i for i, t in enumerate(texts) if re.search(FOOT, t)]
        assert feet, f"{path.name}: no foot found on page {len(pages) + 1}: {texts[-3:]}"
        pages.append(texts[:feet[-1] - (feet[-1] - 1 in feet)])
    return pages


@pytest.mark.parametrize("name", list(PDF_NAMES))
def test_no_page_ends_with_a_heading(shipped, name):
    """Review 79 S7: page 53 of the book ended with the map's row "The sources differ a little (5)", its questions
    on page 54. The last line (or two, a heading set on two lines) of no page of any PDF is a heading of the site
    (headings_of_the_site)."""
    heads = headings_of_the_site()
    assert len(heads) >= 50, len(heads)
    stranded = [(number, tail) for number, body in enumerate(last_body_lines(shipped[name]), 1)
                for tail in {" ".join(body[-k:]) for k in (1, 2) if len(body) > k} if tail in heads]
    assert not stranded, f"{name}: pages ending with a heading (page, heading): {stranded}"


@functools.cache
def running_heads(path: Path) -> tuple[tuple[str, str], ...]:
    """(top line, the page's words) of each page of a PDF, as poppler reads them: the book's top line is its
    running head, the book's title on the left and the chapter on the right."""
    out = []
    for page in layout_lines(path):
        words = [(y0, w) for line in page for _, y0, _, _, w in line]
        top = min((y for y, _ in words), default=0)
        out.append((" ".join(w for y, w in words if abs(y - top) < 2), " ".join(w for _, w in words)))
    return tuple(out)


def book_title(path: Path) -> str:
    reader = PdfReader(str(path))
    title = reader.metadata.title if reader.metadata and reader.metadata.title else ""
    assert len(title) > 10, title
    return title


def test_no_running_head_gives_the_book_s_title_twice(shipped):
    """Pages 3 to 5 of the book (its home chapter, headed as the book is) gave "Cervical insufficiency: what the
    sources say" on both sides of the running head. Every page's top line, the running head (the book's title on
    the left, its chapter on the right), gives the title at most once; the chapters' heads are still there."""
    title = book_title(shipped["book"])
    heads = running_heads(shipped["book"])
    twice = [number for number, (top, _) in enumerate(heads, 1) if top.count(title) > 1]
    assert not twice, f"pages whose running head gives the book's title twice: {twice}"
    chapters = {top.replace(title, "", 1).strip() for top, _ in heads}
    assert {"When to get help now", "The sources"} <= chapters, sorted(chapters)[:10]


def word_boxes(path: Path) -> tuple[tuple[float, float, tuple], ...]:
    """Each page of a PDF as (width, height, ((x0, y0, x1, y1, word), ...)): its words in poppler's reading order,
    the layout's lines one after another (the same words, in the same order, as pdftotext -bbox gives)."""
    return tuple((width, height, tuple(word for line in lines for word in line)) for width, height, lines in _layout(path))


@pytest.mark.parametrize("name", list(PDF_NAMES))
def test_no_word_is_set_apart_from_the_stop_after_it(shipped, name):
    """A mark dropped on paper (a check date said once for the chapter) left "in its own words ." in 7 charts' keys:
    on no page of any PDF is there a space (a gap of a point or more, poppler's word boxes on one line) between a
    word and the stop, comma, colon or semicolon after it. A contents line's dots are not stops."""
    stray = []
    for number, (_, _, words) in enumerate(word_boxes(shipped[name]), 1):
        for (_, y, x1, _, before), (x0, y2, _, _, word), after in zip(words, words[1:], [*words[2:], (0, 0, 0, 0, "")]):
            if word in ".,;:" and re.search(r"\w$", before) and abs(y - y2) < 3 and x0 - x1 >= 1 and after[4] != ".":
                stray.append((number, f"{before} {word}"))
    assert not stray, f"{name}: a space before a stop (page, words): {stray[:6]}"


CHART_KEY = "Each source's weeks are in its own words"
CHECKED = re.compile(r"Every quote in this chapter was verified against the saved source on \d{4}-\d\d-\d\d\.")


def test_every_chapter_that_quotes_a_source_says_when_its_words_were_checked(shipped):
    """Review 86 S8: the chapters Diagnosis and Watching the cervix quote sources' words only in their charts of
    weeks, and said nothing of checking them, where every other chapter says "Every quote in this chapter was
    verified against the saved source on ...". Every chapter of the book (its pages under one running head) with a
    chart says it once, or, where the days differ or a quote was not checked, says so beside the chart's key."""
    title = book_title(shipped["book"])
    chapters: list[tuple[str, str]] = []
    for top, words in running_heads(shipped["book"]):
        head = top.replace(title, "", 1).strip()
        if chapters and chapters[-1][0] == head:
            chapters[-1] = (head, chapters[-1][1] + " " + words)
        else:
            chapters.append((head, words))
    charted = [(head, text.replace("’", "'")) for head, text in chapters if CHART_KEY in text.replace("’", "'")]
    assert len(charted) >= 3, [h for h, _ in charted]
    silent = [head for head, text in charted
              if not CHECKED.search(text)
              and any(not re.match(r"\s*\((?:verified against|these quotes were not checked|one of these quotes)", rest)
                      for rest in text.split(CHART_KEY)[1:])]
    assert not silent, f"chapters with a chart of source words that say nothing of checking them: {silent}"


PRINTABLE_MM = 5  # most printers leave 3 to 5 mm of each edge blank


@pytest.mark.parametrize("name", list(PDF_NAMES))
def test_no_text_lies_where_a_printer_cannot_print(shipped, name):
    """Review 78 M1: the large-print foot's last line (the disclaimer and the page number) ended 1.5 mm from the
    paper's bottom edge, where most printers print nothing. Every word of every page of every PDF in dist/ stays
    at least PRINTABLE_MM from each edge (poppler's word boxes)."""
    near = []
    for number, (width, height, words) in enumerate(word_boxes(shipped[name]), 1):
        for x0, y0, x1, y1, word in words:
            gap = min(x0, y0, width - x1, height - y1) / 72 * 25.4
            if gap < PRINTABLE_MM:
                near.append((number, word, round(gap, 1)))
    assert not near, f"{name}: words within {PRINTABLE_MM} mm of the paper's edge (page, word, mm): {near[:5]}"


FOOT_GAP_MM = 2  # clear paper between the last thing printed on a page (a word, a rule, a box) and its foot
DPI = 100


def _grey_pages(path: Path, tmp: Path) -> list:
    """Each page of a PDF as poppler draws it (pdftoppm, grey, DPI): a NumPy array of rows of pixels."""
    import numpy as np

    subprocess.run(["pdftoppm", "-r", str(DPI), "-gray", str(path), str(tmp / "p")], check=True)
    pages = []
    for image in sorted(tmp.glob("p-*.pgm"), key=lambda f: int(f.stem.rsplit("-", 1)[1])):
        data = image.read_bytes()
        head = re.match(rb"P5\s+(\d+)\s+(\d+)\s+\d+\s", data)
        width, height = int(head[1]), int(head[2])
        pages.append(np.frombuffer(data[head.end():head.end() + width * height], dtype=np.uint8).reshape(height, width))
    return pages


@pytest.mark.parametrize("name", list(PDF_NAMES))
def test_the_foot_of_every_page_stands_clear_of_what_is_above_it(shipped, name, tmp_path):
    """Review 129 S4: on the large-print handout's first page the clinic's write-in box ended 1 mm above the foot
    (the disclaimer), as if the two were one box. On every page of every PDF in dist/, the ink nearest above the
    foot's first line (a word, a table's rule, a box's border, as poppler draws the page) is at least FOOT_GAP_MM
    above it."""
    close = []
    for number, ((_, _, lines), grey) in enumerate(zip(_layout(shipped[name]), _grey_pages(shipped[name], tmp_path)), 1):
        rows: dict[int, list] = {}
        for words in lines:
            if words:
                rows.setdefault(round(words[0][1]), []).extend(words)
        feet = [y for y in sorted(rows) if re.search(FOOT, " ".join(w for *_, w in sorted(rows[y])))]
        assert feet, f"{name}: no foot found on page {number}"
        top = round(min(y0 for _, y0, *_ in rows[feet[-1]]) / 72 * DPI)  # the foot's first line (the last found)
        inked = (grey[:top] < 128).any(axis=1).nonzero()[0]
        if len(inked) and (gap := (top - inked.max()) / DPI * 25.4) < FOOT_GAP_MM:
            close.append((number, round(float(gap), 1)))
    assert not close, f"{name}: pages whose foot is within {FOOT_GAP_MM} mm of what is above it (page, mm): {close}"


SITE_URL = "https://cervix-guide.nhs-clinic.test/cervical-insufficiency/"


SHEETS = {"questions": 1, "questions-letter": 1, "questions-large-print": 2}  # most pages each, with or without SITE_URL


@pytest.fixture(scope="module")
def addressed_book(tmp_path_factory) -> Path:
    """The book made the Makefile's way (relative --site) from a site built with SITE_URL set, and beside it the
    sheets of questions made with it (their "Read:" lines give its pages)."""
    from website.sitebuild import mkdocs_build

    work = tmp_path_factory.mktemp("addressed")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("SITE_URL", SITE_URL)
        mkdocs_build(work / "site")
        mp.chdir(work)
        build_pdf.build(Path("site"), Path("out"), ["book", *SHEETS], workers=1)
    return work / "out" / PDF_NAMES["book"]


# With the address and its QR code: the A4 and Letter sheets keep their one page; the large print takes one page more
# than without (measured: the address block needs about three lines more than its second page has; left open).
ADDRESSED_SHEETS = {**SHEETS, "questions-large-print": SHEETS["questions-large-print"] + 1}


@pytest.mark.parametrize("name", list(SHEETS))
def test_with_site_url_each_sheet_keeps_its_pages_and_gives_the_address_once(addressed_book, name):
    """A clinic that publishes the site (SITE_URL set) hands out sheets that carry the address and its QR code. They
    still print on their pages (the Letter sheet was two pages: the address block and a sentence that gave the
    book's title, edition and the address again), say the address once, and still give the book's pages."""
    pages = pdf_pages(addressed_book.parent / build_pdf.JOBS[name][2])
    most = ADDRESSED_SHEETS[name]
    assert len(pages) <= most, f"with the address the {name} sheet has {len(pages)} pages, not {most}"
    text = "".join(" ".join(pages).split())
    assert text.count(SITE_URL) == 1, f"{name}: the address is printed {text.count(SITE_URL)} times"
    assert re.search(r"\(page\d+\)", text), f"{name}: no page of the book"


# ------------------------------------------------------------------ file modes

def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def test_shipped_files_have_the_mode_a_normal_write_gives(shipped):
    expected = 0o666 & ~_umask()
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in shipped.values()}
    assert all(m == expected for m in modes.values()), {k: oct(v) for k, v in modes.items()}


@pytest.mark.parametrize("mask", [0o022, 0o002, 0o077])
def test_atomic_writes_follow_the_umask(tmp_path, mask):
    from reconcile.atomic import Changes, write_atomic

    old = os.umask(mask)
    try:
        write_atomic(tmp_path / "new.yaml", "a: 1\n")
        (tmp_path / "old.yaml").write_text("a: 0\n")
        write_atomic(tmp_path / "old.yaml", "a: 2\n")
        write_atomic(tmp_path / "archive.txt", "text\n", exclusive=True)
        changes = Changes()
        changes.create(tmp_path / "draft.yaml", "b: 1\n")
        changes.replace(tmp_path / "old.yaml", "a: 3\n")
    finally:
        os.umask(old)
    for name in ("new.yaml", "old.yaml", "archive.txt", "draft.yaml"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o666 & ~mask, name


def test_a_command_writes_data_readable_by_others(tmp_path):
    """data/sources.yaml, the draft claims, the lock files and a new archive copy, as add-source and
    check --update-lock write them under the usual umask: 0644, like every other file there."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    import minidata

    old = os.umask(0o022)
    try:
        data, archive = minidata.make(tmp_path)
        before = {p: p.stat().st_mtime_ns for p in [*data.rglob("*"), *archive.rglob("*")] if p.is_file()}
        page = tmp_path / "page.txt"
        page.write_text("A page on the stitch.\n\nThe stitch is put in at 13 weeks.\n")
        reference = tmp_path / "guidelines.md"  # its own, as every mini-data test: a clone has no ../shared
        reference.write_text(minidata.REFERENCE, encoding="utf-8")
        script = ROOT / "scripts" / "disagreements.py"
        for args in (["add-source", str(page)], ["check", "--update-lock"]):
            proc = subprocess.run([sys.executable, str(script), *args, "--data", str(data), "--archive", str(archive),
                                   "--reference", str(reference)], capture_output=True, text=True)
            assert "Traceback" not in proc.stderr, proc.stderr
    finally:
        os.umask(old)
    files = [p for p in [*data.rglob("*"), *archive.rglob("*")] if p.is_file()]
    written = [p for p in files if before.get(p) != p.stat().st_mtime_ns]
    names = {p.name for p in written}
    assert "sources.yaml" in names and "verified.lock" in names and any(p.parent == archive for p in written), names
    wrong = {str(p.relative_to(tmp_path)): oct(stat.S_IMODE(p.stat().st_mode)) for p in files
             if stat.S_IMODE(p.stat().st_mode) != 0o644}
    assert not wrong, wrong


# ------------------------------------------------------------------ the handout a clinic hands out

def pdf_pages(path: Path) -> list[str]:
    """Each page's text as pypdf reads it, spaces squashed. Read once a PDF as it is on disk: a PDF typeset again
    at the same path is read again."""
    stat = path.stat()
    return list(_pdf_pages(path, stat.st_mtime_ns, stat.st_size))


@functools.cache
def _pdf_pages(path: Path, mtime_ns: int, size: int) -> tuple[str, ...]:
    return tuple(" ".join((page.extract_text() or "").split()) for page in PdfReader(str(path)).pages)


def text_sizes(page) -> list[tuple[float, float, str]]:
    """(font size as drawn, height on the page, text) of each text run."""
    runs = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            m = mult(tm, cm)
            runs.append((round(size * (m[2] ** 2 + m[3] ** 2) ** 0.5, 2), m[5], text.strip()))

    page.extract_text(visitor_text=visit)
    return runs


HELP = "Call your doctor or midwife, then go to the emergency department"


@pytest.mark.parametrize("name, count", [("handout", 2), ("handout-letter", 2), ("handout-large-print", 4)])
def test_handout_opens_with_help_and_fits(shipped, name, count, mkdocs_config):
    """Exactly the pages a clinic expects to print (test_site_pdf checks the same with SITE_URL set)."""
    pages = pdf_pages(shipped[name])
    assert len(pages) == count, f"{name}: {len(pages)} pages, not {count}"
    first = pages[0]
    title_end = first.find("handout") + len("handout")
    # nothing before help but the one line that says what the sheet is (the site's disclaimer, review 32 #5)
    between = first[title_end:first.find("Get help now")].strip()
    assert between in ("", " ".join(mkdocs_config["extra"]["disclaimer"].split())), \
        f"{name}: page 1 does not open with help: {first[:160]!r}"
    assert HELP in first


@pytest.mark.parametrize("name, least", [("handout", 12), ("handout-letter", 12), ("handout-large-print", 16)])
def test_handout_body_text_size(shipped, name, least):
    """Every run of text in the body is at least 12 pt (16 pt in large print). Small type is kept for
    the citation numbers, the terms and references at the end of the standard handout, and its foot."""
    reader = PdfReader(str(shipped[name]))
    small = []
    for number, page in enumerate(reader.pages, start=1):
        foot = 60 if name != "handout-large-print" else 0  # the running foot (large print: 16 pt too)
        for size, y, text in text_sizes(page):
            if name != "handout-large-print":
                if "Words used here" in text:  # the end matter of the standard handout
                    break
                if y < foot or re.fullmatch(r"[\d,]+", text):
                    continue
            if size < least - 0.05:
                small.append((number, size, text[:40]))
    assert not small, f"{name}: text under {least} pt: {small[:8]}"


@pytest.mark.parametrize("name", HANDOUTS)
def test_handout_has_a_box_for_the_clinic_and_stitch_dates(shipped, name):
    text = " ".join(pdf_pages(shipped[name]))
    for label in ("Your clinic", "Phone", "Stitch put in on", "Stitch to come out on"):
        assert label in text, f"{name}: no {label!r} to fill in"
    assert "Stitch to come out on" in pdf_pages(shipped[name])[0], "the box is not on page 1"


def _words(text: str) -> str:
    return " ".join(text.replace("\u00ad", "").split()).casefold()


def other_names() -> list[str]:
    """Every name of the condition the sources give (data: the names question's options)."""
    project, _ = real_findings()
    names = list(project.topics["names.other-names"].options.values())
    assert len(names) > 1, names
    return names


@pytest.mark.parametrize("name", HANDOUTS)
def test_handout_gives_every_name_of_the_condition(shipped, name):
    """Reviews 113 S1, 118 S10, 119 S2: a handout given alone says what it is about by every name a reader may
    have heard from a doctor or read on a page (the sources' own titles speak of an incompetent cervix and of
    cervical incompetence), in its text, not only in the titles of its references."""
    text = _words(" ".join(pdf_pages(shipped[name])))
    said = text.split(_words("Words used here"))[0]
    missing = [n for n in other_names() if _words(n) not in said]
    assert not missing, f"{name}: the handout's text never names the condition as {missing}"


def handout_terms() -> tuple[set[str], set[str]]:
    """The handout page's terms with a meaning (abbr) that paper prints, and those its text defines where it uses
    them (dfn). The questions print on a sheet of their own; web-only lines are not printed."""
    article = copy.copy(soup_of(SITE / "handout" / "index.html").select_one("article"))  # soup_of's is shared
    for part in article.select(".ci-ask-sheet, .web-only"):
        part.decompose()
    defined = {" ".join(d.get_text(" ").split()) for d in article.find_all("dfn")}
    used = {" ".join(a.get_text(" ").split()) for a in article.select("abbr[title]")}
    folded = {d.casefold() for d in defined}
    return {t for t in used if t.casefold() not in folded}, defined


def words_list(path: Path) -> list[tuple[int, int, list[str]]]:
    """The lines of "Words used here", as (page, column, its lines top to bottom) in reading order: a two-column
    list gives two runs a page."""
    runs: dict[tuple[int, int], list[tuple[float, str]]] = {}
    inside = False
    for number, (width, height, lines) in enumerate(_layout(path), start=1):
        foot = min([words[0][1] for words in lines if words and re.search(FOOT, " ".join(w for *_, w in words))],
                   default=height)
        for words in lines:
            text = " ".join(w for *_, w in words)
            if text.startswith("Words used here"):
                inside = True
            elif text.startswith("References"):
                inside = False
            elif inside and words and words[0][1] < foot - 1:  # above the page's foot
                runs.setdefault((number, int(words[0][0] > width / 2)), []).append((words[0][1], text))
    return [(page, column, [t for _, t in sorted(lines)]) for (page, column), lines in sorted(runs.items())]


@pytest.mark.parametrize("name", HANDOUTS)
def test_the_words_list_gives_each_term_once_and_whole(shipped, name):
    """A term the text defines where it uses it ("weekly progesterone shots (Makena)") is not listed again under
    "Words used here"; every other term with a meaning is. Each entry is read whole in one column of one page
    (review 119 S1: "emergency stitch" began at the foot of one column and ended at the top of the next)."""
    listed, defined = handout_terms()
    assert listed and defined
    runs = words_list(shipped[name])
    assert runs, f"{name}: no list of words"
    text = _words(" ".join(line for *_, lines in runs for line in lines))
    assert not [t for t in defined if _words(t) + ":" in text], f"{name}: a term the text defines is listed again"
    assert not [t for t in listed if _words(t) + ":" not in text], f"{name}: a term it uses is not listed"
    for page, column, lines in runs:
        assert any(_words(lines[0]).startswith(_words(t) + ":") for t in listed), \
            f"{name}: page {page}, column {column + 1} of the words list opens inside an entry: {lines[0]!r}"


def test_handout_names_its_publication_edition_and_how_to_get_it_online(shipped, mkdocs_config):
    """Without SITE_URL no address is printed, but the handout still says where it comes from."""
    if os.environ.get("SITE_URL"):
        pytest.skip("SITE_URL is set: the handout prints the address")
    for name in HANDOUTS:
        text = " ".join(pdf_pages(shipped[name]))
        site_name = " ".join(mkdocs_config["site_name"].split())
        assert f"“{site_name}”, edition {mkdocs_config['extra']['edition']}" in text, name
        assert "online version" in text and "web address" in text, name  # how to get it, in a sentence
        assert not re.search(r"https?://|www\.|example\.org", text), name


@pytest.mark.parametrize("name", list(PDF_NAMES))
def test_every_page_of_every_pdf_carries_the_disclaimer(shipped, name, mkdocs_config):
    words = " ".join(mkdocs_config["extra"]["disclaimer"].split())
    pages = [p.replace(" ", "") for p in pdf_pages(shipped[name])]
    missing = [n for n, text in enumerate(pages, start=1) if words.replace(" ", "") not in text]
    assert not missing, f"{name}: no disclaimer on pages {missing[:10]} of {len(pages)}"


# ------------------------------------------------------------------ paper words and page numbers

# Words that only make sense on a screen: touching, pointing, scrolling, a link or number that opens,
# printing the page one is already holding.
WEB_WORDS = re.compile(r"\b(tap|taps|tapping|click|clicks|point at|hover|scroll|scrolls|"
                       r"(?:number|link|button) opens|print this (?:page|list))\b", re.I)


@pytest.mark.parametrize("name", list(PDF_NAMES))
def test_paper_says_no_tap_click_or_point(shipped, name):
    found = [(n, m.group(0)) for n, text in enumerate(pdf_pages(shipped[name]), start=1) for m in WEB_WORDS.finditer(text)]
    assert not found, f"{name}: screen words on paper (page, word): {found[:10]}"


def test_every_cross_reference_in_the_book_shows_its_page(shipped):
    from bs4 import BeautifulSoup

    doc, _ = build_pdf.book_document(SITE)
    xrefs = doc.select("a.ci-xref")
    assert len(xrefs) >= 30, f"only {len(xrefs)} cross-references marked"
    pages = pdf_pages(shipped["book"])
    text = " ".join(pages)
    shown = re.findall(r"when to get help now \(page (\d+)\)", text, re.I)
    assert shown, "'when to get help now' shows no page number"
    for number in shown:
        assert "When to get help now" in pages[int(number) - 1], f"page {number} is not 'When to get help now'"
    assert len(re.findall(r"\(page \d+\)", text)) >= len(xrefs)


def outline_titles(reader: PdfReader) -> list[tuple[str, int]]:
    """(title, page number) of every bookmark of a PDF: the book's chapters and sections."""
    found = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                found.append((" ".join(item.title.split()), reader.get_destination_page_number(item) + 1))

    walk(reader.outline)
    return found


# Words that send a reader to another part of the book: "See X", "Read: X", "Read more about X",
# "quoted in “X”", "The page "X"", "the chapter X".
XREF_CUE = r"(?:\bsee|\bread:|\bread more about|\bquoted in|\bthe page|\bthe chapter|\bthe section)"


def test_no_cross_reference_in_the_book_lacks_its_page_number(shipped):
    """Every sentence of the printed book that sends the reader to a chapter or section by its title
    carries "(page N)", and N is a page that shows that title (review 15, item 7)."""
    reader = PdfReader(str(shipped["book"]))
    titles = {t for t, _ in outline_titles(reader)[2:] if len(t) > 3}  # not the cover and Contents
    named = re.compile(XREF_CUE + r"\s+(?:the\s+)?[\"“]?(" + "|".join(
        re.escape(t) for t in sorted(titles, key=len, reverse=True)) + ")", re.I)
    pages = pdf_pages(shipped["book"])
    bare, wrong, checked = [], [], 0
    for number, text in enumerate(pages, start=1):
        for m in named.finditer(text):
            after = re.match(r"[\"”]?\s*\(page (\d+)\)", text[m.end():])
            if after is None:
                bare.append((number, text[max(0, m.start() - 30):m.end() + 20]))
            elif m.group(1).lower() not in pages[int(after.group(1)) - 1].lower():
                wrong.append((number, m.group(0), after.group(1)))
            else:
                checked += 1
    assert not bare, f"{len(bare)} cross-references with no page number (page, words): {bare[:6]}"
    assert not wrong, f"cross-references to the wrong page: {wrong[:6]}"
    assert checked >= 40, f"only {checked} cross-references found: is the book's text readable?"


# Words that only a screen reader of the website can act on (review 15, item 11): a print button, "on the web",
# "the website offers" (with nowhere to reach it). How to open the offline copy ("Unzip it ... open index.html")
# is not among them since review 32 #11: a clinic given the book gets the zip from the website the book names,
# and needs those words then.
SCREEN_ONLY = re.compile(r"\b(?:print button|on the web, each|the website offers)\b", re.I)


def test_the_book_speaks_to_paper_readers(shipped):
    """The book says where its codes resolve and where its files are, in paper words: before its first
    chapter it sends the reader to the sources' and the guidance's chapters by page; it uses no words
    for the screen; it does not claim to give every source's words (it gives short quotes)."""
    reader = PdfReader(str(shipped["book"]))
    pages = pdf_pages(shipped["book"])
    chapters = dict(outline_titles(reader))
    found = [(n, m.group(0)) for n, text in enumerate(pages, start=1) for m in SCREEN_ONLY.finditer(text)]
    assert not found, f"screen words in the book (page, words): {found[:6]}"
    assert not re.search(r"every source's words", " ".join(pages), re.I)
    opening = " ".join(pages[:chapters["When to get help now"] - 1])
    sent = {int(n) for n in re.findall(r"\(page (\d+)\)", opening)}
    for chapter in ("The sources", "What current guidance says"):
        assert chapters[chapter] in sent, f"the opening pages do not give the page of {chapter!r}"
    files = pages[chapters["Print and offline"] - 1:]
    assert re.search(r"files on the website", " ".join(files)), "the book does not say where its files are"
    # review 86 S10: the zip unpacks into one folder, and the words must send the reader into it
    from website import build_offline
    with zipfile.ZipFile(DIST / f"{build_offline.ZIP_FOLDER}.zip") as z:
        tops = {name.split("/", 1)[0] for name in z.namelist()}
    assert len(tops) == 1 and any(n.endswith("/index.html") and n.count("/") == 1 for n in z.namelist()), tops
    assert re.search(r"Unzip it: you get one folder\. Open index\.html in that folder", " ".join(files)), \
        "the book does not say how to open the offline copy"


# ------------------------------------------------------------------ the site offers its paper

def test_print_and_offline_page_offers_every_file_with_figures_from_the_build(shipped):
    from bs4 import BeautifulSoup
    from website import downloads

    page = SITE / "print" / "index.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    rows = soup.select("#ci-downloads tbody tr")
    assert len(rows) == len(downloads.FILES), f"{len(rows)} files offered"
    for row in rows:
        link = row.select_one("a[href]")
        target = (page.parent / link["href"]).resolve()
        assert target.is_file(), f"{link['href']} is not in the hosted site"
        shipped_copy = DIST / target.name
        assert target.read_bytes() == shipped_copy.read_bytes(), f"{target.name}: not the file in dist/"
        cells = [c.get_text(" ", strip=True) for c in row.find_all("td")]
        assert cells[3] == downloads.size_text(target.stat().st_size)
        if target.suffix == ".pdf":
            assert cells[2] == str(len(PdfReader(str(target)).pages)), f"{target.name}: page count"
    text = soup.select_one("article").get_text(" ").lower()
    for who in ("patient", "large print", "clinic staff", "no internet"):
        assert who in text, f"the page does not say who gets what: {who!r}"
    # review 41 #8: the print-site page of every page held the page's placeholder ("The list of files is added
    # when ..."): it lists the same files, each link leading to the file
    whole = SITE / "print_page" / "index.html"
    copy = BeautifulSoup(whole.read_text(encoding="utf-8"), "html.parser")
    listed = [(whole.parent / a["href"]).resolve() for a in copy.select("#print-ci-downloads tbody tr a[href]")]
    assert listed == [(page.parent / row.select_one("a[href]")["href"]).resolve() for row in rows], listed
    assert "list of files is added" not in copy.get_text(" ")


def test_search_finds_the_files_the_print_and_offline_page_lists(shipped):
    """Review 77 S3: the search index was written before the PDFs and the zip were made, so searching for the book
    or the offline copy showed "The list of files is added when the PDFs and the offline copy are made." The
    hosted site's index and the offline copy's (its .json and the .js the offline plugin reads from a file:// page)
    hold, for the Print and offline page, every file the page lists, and not the placeholder."""
    from website import build_offline

    def print_entry(text: str) -> str:
        docs = json.loads(text[text.index("{"):text.rindex("}") + 1])["docs"]
        return " ".join(d["text"] for d in docs if d["location"] in ("print/", "print.html"))

    indexes = {"hosted": (SITE / "search" / "search_index.json").read_text(encoding="utf-8")}
    with zipfile.ZipFile(DIST / f"{build_offline.ZIP_FOLDER}.zip") as zf:
        for suffix in ("json", "js"):
            indexes[f"offline .{suffix}"] = zf.read(f"{build_offline.ZIP_FOLDER}/search/search_index.{suffix}").decode("utf-8")
    for where, text in indexes.items():
        entry = print_entry(text)
        assert entry and "list of files is added" not in entry, where
        offered = [f for f in PDF_NAMES.values()] + ([f"{build_offline.ZIP_FOLDER}.zip"] if where == "hosted" else [])
        missing = [f for f in offered if f not in entry]
        assert not missing, f"{where}: the search index does not list {missing}"


def test_search_shows_no_words_meant_for_the_book(shipped):
    """Review 81 S12: the site's search held the book's own sentence "In this book, each fact has a code after it",
    and showed it to web readers. No .ci-book-only words of any page are in the search index (the offline copy's
    is made from it)."""
    index = " ".join(" ".join(d["text"].split()) for d in
                     json.loads((SITE / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"])
    book_only = [" ".join(el.get_text(" ").split()[:6])
                 for path in SITE.rglob("index.html")
                 for el in soup_of(path).select("article .ci-book-only")]
    assert len(book_only) >= 2, book_only
    squash = lambda text: re.sub(r"\W+", "", text)  # noqa: E731  (the index keeps markup's text, not its spaces)
    shown = [words for words in book_only if squash(words) in squash(index)]
    assert not shown, f"the search index holds words for the book: {shown}"


@pytest.mark.parametrize("md", ["handout.md", "print.md"])
def test_handout_and_print_pages_read_at_grade_seven(md):
    """Flesch-Kincaid grade 7 or lower, measured as on the patient pages (built article text)."""
    import textstat
    from website.readability import article_text, built_page

    value = textstat.flesch_kincaid_grade(article_text(built_page(SITE, md).read_text(encoding="utf-8")))
    assert value <= 7, f"docs/{md}: Flesch-Kincaid grade {value:.1f}"


def test_print_and_offline_is_in_the_nav_and_every_page_footer():
    from bs4 import BeautifulSoup

    pages = sorted(SITE.rglob("*.html"))
    nav = BeautifulSoup((SITE / "index.html").read_text(encoding="utf-8"), "html.parser")
    assert any(a.get_text(" ", strip=True) == "Print and offline" for a in nav.select("nav.md-nav--primary a"))
    missing = []
    for path in pages:
        if path.name == "404.html":
            continue
        link = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser").select_one(".ci-footer-links a[href]")
        if link is None or not (path.parent / link["href"]).resolve().joinpath("index.html").is_file():
            missing.append(str(path.relative_to(SITE)))
    assert not missing, f"no working Print and offline link in the footer of {missing[:5]}"


def test_offline_zip_holds_the_pdfs_and_lists_them(shipped):
    from website import build_offline

    with zipfile.ZipFile(DIST / f"{build_offline.ZIP_FOLDER}.zip") as zf:
        names = set(zf.namelist())
        folder = build_offline.ZIP_FOLDER
        for filename in PDF_NAMES.values():
            member = f"{folder}/downloads/{filename}"
            assert member in names, f"{member} is not in the zip"
            assert zf.read(member) == (DIST / filename).read_bytes()
        page = next(n for n in (f"{folder}/print.html", f"{folder}/print/index.html") if n in names)
        html = zf.read(page).decode("utf-8")
    for filename in PDF_NAMES.values():
        assert f'href="downloads/{filename}"' in html or f'href="../downloads/{filename}"' in html, filename


def test_offline_zip_says_what_the_site_says(shipped):
    """Review 84 M1: dist/'s offline zip carried an older build under the same edition (its own build folder was
    not the one mkdocs wrote). Every page of the zip in dist/, as `make site` made it, reads as the hosted page
    in site/: the same article text, word for word. Only the zip's own row on the print pages differs (the
    copy does not offer itself)."""
    from bs4 import BeautifulSoup

    from website import build_offline

    def article(html: str) -> str:   # its words, without a row offering the zip (only the site has one)
        found = BeautifulSoup(html, "html.parser").find("article")
        assert found is not None
        for row in [tr for tr in found.select("tr") if "-offline.zip" in tr.get_text()]:
            row.decompose()
        return " ".join(found.get_text(" ").split())

    differ, compared = [], 0
    with zipfile.ZipFile(DIST / f"{build_offline.ZIP_FOLDER}.zip") as zf:
        for name in zf.namelist():
            rel = name.split("/", 1)[1]
            if not rel.endswith(".html"):
                continue
            hosted = SITE / (rel if rel == "index.html" or rel.endswith("/index.html") else rel[:-5] + "/index.html")
            assert hosted.is_file(), f"{rel}: the zip has a page the site has not"
            compared += 1
            if article(zf.read(name).decode("utf-8")) != article(hosted.read_text(encoding="utf-8")):
                differ.append(rel)
    assert compared == len(list(SITE.rglob("index.html"))), compared   # every page but the server's 404
    assert not differ, f"the offline zip's pages differ from the site's: {differ}"


def test_handout_page_has_a_print_button_and_prints_on_two_pages(browser, shipped):
    """Chromium's print of the handout page (A4 and Letter): 2 pages, help on page 1."""
    import io

    page = browser.new_page()
    page.goto((SITE / "handout" / "index.html").as_uri())
    button = page.get_by_role("button", name="Print this handout")
    assert button.is_visible()
    for paper in ("A4", "Letter"):
        reader = PdfReader(io.BytesIO(page.pdf(format=paper, print_background=True)))
        texts = [" ".join((p.extract_text() or "").split()) for p in reader.pages]
        assert len(texts) <= 2, f"{paper}: {len(texts)} pages"
        assert HELP in texts[0] and "Your clinic" in texts[0], f"{paper}: page 1 is {texts[0][:200]!r}"
        assert "Print this handout" not in " ".join(texts)
    page.close()


@pytest.mark.parametrize("name", HANDOUTS)
def test_handout_references_name_each_source_as_its_text_shows_it(shipped, name):
    """On paper a source can be traced (review 15, item 9): each web page the handout cites is listed with
    the title and publisher its text shows (data/sources.yaml), or says there is none, and its date with
    what the date is ("last reviewed"), never a bare "dated"."""
    import yaml

    text = " ".join(pdf_pages(shipped[name]))
    sources = {s["id"]: s for s in yaml.safe_load((ROOT / "data" / "sources.yaml").read_text())["sources"]}
    cited = re.findall(r"Web page (\d{3}): (.+?)(?= \d+\. | This handout|$)", text)
    assert cited, f"{name}: no web page in the references"
    assert "dated " not in text, f"{name}: a date that does not say what it is"
    for sid, words in cited:
        source, squashed = sources[sid], words.replace(" ", "")
        assert (f"“{source['title']}”" if source["title"] else "untitled").replace(" ", "") in squashed, words
        assert (source.get("publisher") or "no publisher").replace(" ", "") in squashed, words
        if source["date"]:
            assert f"{source['date']['meaning']} {source['date']['value']}".replace(" ", "") in squashed, words
        else:
            assert "date" in words, f"{name}: {sid} does not say it shows no date: {words!r}"


NUMBER_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6}


@pytest.mark.parametrize("name", list(build_pdf.JOBS))
def test_each_pdf_describes_itself(shipped, name):
    """Review 34 #6: the sheets of questions carried the handout's description ("A two-page handout ... a box for
    your clinic's phone"), and the four-page large-print handout called itself two-page. A PDF's subject (what a
    viewer's properties and a file listing show) names what it is, and any page count it gives is its own."""
    from pypdf import PdfReader

    reader = PdfReader(shipped[name])
    subject = (reader.metadata or {}).get("/Subject") or ""
    assert len(subject) > 30, (name, subject)
    counted = re.search(r"\b(\w+)-page\b", subject)
    if counted:
        assert NUMBER_WORDS.get(counted[1].lower()) == len(reader.pages), (name, subject, len(reader.pages))
    kind = build_pdf.JOBS[name][0]
    if kind == "questions":
        assert "handout" not in subject.lower() and "question" in subject.lower(), (name, subject)
    elif kind == "handout":
        assert "handout" in subject.lower(), (name, subject)
