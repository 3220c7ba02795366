"""What clinics hold on paper (review 17, M2 and S5): read from the PDFs `make site` put in dist/.

- No citation mark on any paper product can be read as part of a figure: in the standard handouts and
  sheets it is a raised number smaller than the text ("pregnancies.¹'⁶"); in large print, where nothing
  is smaller than the text, bracketed letters ("pregnancies. [a, f]"); in the book, bracketed codes
  ("[003]"). None starts a line or stands on one alone: each stays on the line of the word it follows.
- The large-print handout keeps the box a clinic fills in on one page and lists its references in full,
  as the standard handout does.

Positions and sizes come from poppler's pdftotext -bbox-layout (each word with its box, grouped in lines).
"""
from __future__ import annotations

import re
import statistics
import subprocess
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, soup_of
from test_paper import SITE, layout_lines, pdf_pages, shipped  # noqa: F401  (shipped: the fixture)
from test_paper_sheets import asked as questions_asked
from website import build_pdf

HANDOUTS = {"handout": "numbers", "handout-letter": "numbers", "handout-large-print": "letters"}
SHEETS = {"questions": "numbers", "questions-letter": "numbers", "questions-large-print": "letters"}


@dataclass
class Word:
    text: str
    x0: float
    x1: float
    height: float


def lines_of(path: Path) -> list[list[list[Word]]]:
    """Each page's lines, each line its words with their boxes (test_paper's one layout reader)."""
    return [[[Word(text, x0, x1, y1 - y0) for x0, y0, x1, y1, text in line] for line in page]
            for page in layout_lines(path)]


def citation_keys() -> str:
    """A pattern for one key a mark may hold: a source (003), a guidance citation (ACOG PB 142, maybe
    "(secondary)"), a reference's number or letter."""
    guidance = yaml.safe_load((ROOT / "data" / "guidance.yaml").read_text(encoding="utf-8"))
    keys = sorted((re.escape(c["key"]) for c in guidance["citations"]), key=len, reverse=True)
    return rf"(?:\d{{3}}|\d{{1,2}}|[a-z]{{1,2}}|(?:{'|'.join(keys)})(?: \(secondary\))?)"


@dataclass
class Mark:
    page: int
    line: str
    first: bool  # the mark is the first thing on its line
    words: str
    small: bool  # set smaller than the text around it


def marks_in(path: Path) -> list[Mark]:
    """Every citation mark printed in a PDF: a bracketed group of keys, or a run of small numbers raised in
    a line of text (a line that has words at the text's size: not a page's foot or its end matter)."""
    key = citation_keys()
    bracketed = re.compile(rf"\[{key}(?:, ?{key})*\]")
    found = []
    for number, page in enumerate(lines_of(path), start=1):
        heights = [round(w.height, 1) for line in page for w in line]
        if not heights:
            continue
        body = statistics.mode(heights)  # the text's size on this page
        for line in page:
            text = " ".join(w.text for w in line)
            for m in bracketed.finditer(text):
                found.append(Mark(number, text, m.start() == 0, m.group(0), False))
            in_text = any(w.height >= 0.9 * body for w in line)
            for index, word in enumerate(line):
                if in_text and word.height < 0.75 * body and re.fullmatch(r"\d+(,\d+)*", word.text):
                    found.append(Mark(number, text, index == 0, word.text, True))
            # a bracket group cut by the end of the line: its end starts the next line
            if re.match(rf"^{key}(?:, ?{key})*\]", text) and "[" not in text.split("]")[0]:
                found.append(Mark(number, text, True, text.split("]")[0] + "]", False))
    return found


def marks_on_the_page(kind: str) -> int:
    """How many citation marks the handout page's part shows on the web: the handout (without its sheet of
    questions) or the sheet."""
    article = soup_of(SITE / "handout" / "index.html").select_one("article")
    sheet = article.select_one(f".{build_pdf.ASK_SHEET}")
    in_sheet = len(sheet.select("sup.cite"))
    return in_sheet if kind == "questions" else len(article.select("sup.cite")) - in_sheet


@pytest.mark.parametrize("name, style", [*HANDOUTS.items(), *SHEETS.items()])
def test_every_citation_mark_on_a_handout_or_sheet_is_raised_small_or_bracketed(shipped, name, style):
    """Review 17, M2: "about 1 or 2 of every 100 pregnancies. 1,7" in large print. Each mark the page shows
    is printed once, as small raised numbers (set at most three quarters of the text's height) or, in large
    print, as bracketed letters at the text's size; none is a bare number at full size."""
    marks = marks_in(shipped[name])
    expected = marks_on_the_page("questions" if name.startswith("questions") else "handout")
    assert expected >= (1 if name.startswith("questions") else 15), expected
    if style == "letters":
        assert not [m for m in marks if m.small], f"{name}: small numbers in large print"
        lettered = [m for m in marks if re.fullmatch(r"\[[a-z]{1,2}(, [a-z]{1,2})*\]", m.words)]
        assert len(lettered) == len(marks) == expected, \
            f"{name}: {len(lettered)} bracketed letter marks of {len(marks)} found, {expected} on the page"
    else:
        assert not [m for m in marks if not m.small], f"{name}: a bracketed mark: {[m.words for m in marks][:5]}"
        assert len(marks) == expected, f"{name}: {len(marks)} small raised marks, {expected} on the page"


@pytest.mark.parametrize("name", list(build_pdf.JOBS))
def test_no_citation_mark_starts_a_line_or_stands_alone(shipped, name):
    """Every paper product (each handout, each sheet, the book): a mark stays on the line of the word it
    follows (a no-break space before it and inside each of its keys), so it never starts a line or stands
    alone on one; a long one in the book may go on after a comma on the next line."""
    marks = [m for m in marks_in(shipped[name]) if name != "book" or not m.small]  # the book's are bracketed
    assert len(marks) >= (1 if name.startswith("questions") else 15), f"{name}: only {len(marks)} marks found"
    # the book's long marks ("[ACOG PB 142, 002, 003, 000]") may break after a comma, each key whole: glued
    # whole, WeasyPrint 70 set the words before them one per line (review 19 M6); a mark never starts a line
    alone = [(m.page, m.line[:90]) for m in marks if m.first and (name != "book" or m.words.startswith("["))]
    assert not alone, f"{name}: a citation mark starts a line: {alone[:5]}"


@pytest.mark.parametrize("name", list(build_pdf.JOBS))
def test_no_paper_product_sets_its_words_one_per_line(shipped, name):
    """Review 19 M6: marks made wholly of no-break spaces made WeasyPrint 70 set the words before them one per
    line ("if / the / pregnancy / has / no / problems," in the Get help now box and the removal weeks). Read
    from every PDF: no run of four lines of one word each (a glossary alternates a term's line and its
    definition, so a real list never makes four)."""
    runs = []
    for number, page in enumerate(pdf_lines(shipped[name]), start=1):
        run: list[str] = []
        for line in page + [""]:
            words = line.split()
            if len(words) == 1 and re.search(r"[A-Za-z]", words[0]):
                run.append(words[0])
                continue
            if len(run) >= 4:
                runs.append((number, " / ".join(run)))
            run = []
    assert not runs, f"{name}: words set one per line: {runs[:5]}"


@pytest.mark.parametrize("name", list(build_pdf.JOBS))
def test_no_word_of_a_sentence_stands_alone_on_a_line(shipped, name):
    """Review 33 #7: the book set single words of a sentence on a line of their own ("It is also called an /
    incompetent / cervix or a weak cervix", "if the / pregnancy / has no problems"), where a long citation mark
    did not fit at the line's end. Read from every PDF: no line of one lower-case word between a long line of
    the same paragraph (about the same left edge, ending in a letter) and a line that goes on in lower case at
    its left edge (a table's cell wraps at another edge)."""
    text = subprocess.run(["pdftotext", "-layout", str(shipped[name]), "-"], capture_output=True, text=True,
                          check=True).stdout
    alone = []
    for number, page in enumerate(text.split("\f"), start=1):
        rows = [row for row in page.splitlines() if row.strip()]
        for before, line, after in zip(rows, rows[1:], rows[2:]):
            edge = len(line) - len(line.lstrip())
            if (re.fullmatch(r"[a-z][a-z'’-]*,?", line.strip()) and len(before.strip()) > 30
                    and re.search(r"[a-z]$", before) and re.match(r"[a-z]", after.strip())
                    and edge == len(after) - len(after.lstrip())
                    and abs(edge - (len(before) - len(before.lstrip()))) <= 4):   # a list's first line has its bullet
                alone.append((number, before.strip()[-30:], line.strip(), after.strip()[:30]))
    assert not alone, f"{name}: a word alone on a line: {alone[:5]}"


def guidance_keys() -> list[str]:
    """The guidance documents' keys as every page shows them ("ACOG PB 142"), from the data."""
    return [c["key"] for c in yaml.safe_load((ROOT / "data" / "guidance.yaml").read_text(encoding="utf-8"))["citations"]]


@pytest.mark.parametrize("name", list(build_pdf.JOBS))
def test_no_key_of_a_reference_is_broken_inside_a_word(shipped, name):
    """Review 33 #7, 34 #7: the book's removal chart named its guidance "RCOG GTG 75 (secon / dary)", a source's
    table "ACO / G PB 142". In every PDF, "(secondary)" and each word of a guidance key stand whole on their line."""
    keys = {word for key in guidance_keys() for word in key.split() if len(word) > 2} | {"(secondary)"}
    broken = []
    for number, page in enumerate(pdf_lines(shipped[name]), start=1):
        for line, after in zip(page, page[1:] + [""]):
            last, first = (line.split() or [""])[-1], (after.split() or [""])[0]
            if last not in keys and len(last) >= 2 and any(k.startswith(last) and len(last) < len(k)
                                                           and (last + first).startswith(k) for k in keys):
                broken.append((number, line[-40:], after[:20]))
    assert not broken, f"{name}: a key broken across lines: {broken[:5]}"


def pdf_lines(path: Path) -> list[list[str]]:
    """Each page's lines as pdftotext -layout sets them, blank lines left out."""
    text = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                          check=True).stdout
    return [[line.strip() for line in page.splitlines() if line.strip()] for page in text.split("\f")]


def plain_text(path: Path) -> str:
    """The PDF's words in reading order, with the numbers or letters of its lists (pypdf leaves those out)."""
    return " ".join(subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True,
                                   check=True).stdout.split())


def test_large_print_marks_point_to_lettered_references(shipped):
    """The letters in the text are the references' letters: each one used is listed, in order, a. first."""
    for name in ("handout-large-print", "questions-large-print"):
        text = plain_text(shipped[name])
        used = {letter for m in marks_in(shipped[name]) for letter in re.findall(r"[a-z]+", m.words)}
        references = text.split("References", 1)[1]
        listed = re.findall(r"(?:^|\s)([a-z]{1,2})\. (?:Web page \d{3}|[A-Z]{2,})", references)
        assert listed and listed == [build_pdf.letter(n) for n in range(1, len(listed) + 1)], listed
        assert used == set(listed), f"{name}: marks {sorted(used)}, references {listed}"


def test_letters_count_as_css_lower_alpha():
    assert [build_pdf.letter(n) for n in (1, 2, 26, 27, 28, 52, 53)] == ["a", "b", "z", "aa", "ab", "az", "ba"]


def _squash(text: str) -> str:
    """Text without spaces or hyphens: pdftotext joins a word broken at its hyphen at a line's end ("Green-top")."""
    return re.sub(r"\s+|-", "", text)


def _place(word: str) -> int:
    """A reference's place from its letter (build_pdf.letter backwards): a 1, z 26, aa 27."""
    place = 0
    for ch in word:
        place = place * 26 + ord(ch) - ord("a") + 1
    return place


def _references(path: Path) -> list[tuple[str, str, str]]:
    """A paper's references: (number or letter, key, what follows the key), in order."""
    text = plain_text(path).split("References", 1)[1]
    found = re.findall(r"(?:^|\s)(\d{1,2}|[a-z]{1,2})\. (Web page \d{3}|[A-Z]{2,}[^:]*?): (.*?)(?=\s(?:\d{1,2}|[a-z]{1,2})\. "
                       r"(?:Web page \d{3}|[A-Z]{2,}[^:]*?): |$)", text)
    return [(mark, " ".join(key.split()), rest) for mark, key, rest in found]


@pytest.mark.parametrize("name", [*HANDOUTS, *SHEETS])
def test_paper_references_say_what_secondary_means_and_why_a_document_stands_twice(shipped, name):
    """Review 32 #4: a patient holding only the handout could not tell what "(secondary)" means, nor why
    "ACOG PB 142" had two numbers (the second said "the same document, in full above"). Under references that
    mark a key "(secondary)" one line says what it means; a document cited both ways has its second entry say
    it is the same document as the first ("as 2", by its number or letter) and how its own points were checked."""
    from website.pagecontext import CHECKED, SECONDARY

    text = plain_text(shipped[name])
    refs = _references(shipped[name])
    assert refs or name.startswith("questions"), f"{name}: no references"
    marked = [key for _, key, _ in refs if key.endswith("(secondary)")]
    assert bool(marked) == (f"(secondary) means {SECONDARY}." in text), name
    assert "in full above" not in text
    first = {}
    for mark, key, rest in refs:
        base = key.removesuffix("(secondary)").strip()
        if base in first:
            assert rest.startswith(f"as {first[base]}, but {CHECKED[key != base]}."), (name, key, rest)
        else:
            first[base] = mark
            assert not rest.startswith("the same document"), (name, key, rest)


@pytest.mark.parametrize("name", ["handout-large-print", "questions-large-print"])
def test_large_print_references_are_the_standard_handouts_in_full(shipped, name):
    """Review 17, S5: large print listed "ACOG PB 142" with no citation. Every reference gives what the
    standard handout's does: each guidance key with its full citation, each web page with its title,
    publisher and date."""
    standard = name.replace("-large-print", "")

    def references(which: str) -> set[str]:
        text = plain_text(shipped[which]).split("References", 1)[1]
        items = re.split(r"(?:^|\s)(?:\d{1,2}|[a-z]{1,2})\. (?=Web page \d{3}:|[A-Z]{2,}[^:]*: )", text)[1:]
        assert items, f"{which}: no references"
        items[-1] = re.split(r" (?:\(secondary\) means|This (?:handout|sheet) is part of|For the online version|"
                             r"“Read” gives|Last reviewed)", items[-1])[0]
        # "as 2" in one is "as b" in the other: the entry it points to, by its place
        return {_squash(re.sub(r"\bas (\d+|[a-z]+), but", lambda m: f"as #"
                               f"{m[1] if m[1].isdigit() else _place(m[1])}", item)) for item in items}

    ours, theirs = references(name), references(standard)
    assert ours == theirs, f"{name}: {sorted(theirs - ours)[:3]} missing, {sorted(ours - theirs)[:3]} different"
    guidance = yaml.safe_load((ROOT / "data" / "guidance.yaml").read_text(encoding="utf-8"))
    cited = [c for c in guidance["citations"] if any(item.startswith(_squash(c["key"])) for item in ours)]
    assert cited or name.startswith("questions"), f"{name}: cites no guidance"  # the sheet may cite none
    for citation in cited:
        assert any(_squash(citation["key"]) in item and len(item) > len(_squash(citation["key"])) + 30
                   for item in ours), f"{name}: {citation['key']} without its full citation"


@pytest.mark.parametrize("name", list(HANDOUTS))
def test_the_box_a_clinic_fills_in_is_whole_on_page_one(shipped, name):
    """Review 17, S5: large print split "Your clinic / Phone" (page 1) from the stitch dates (page 2). The
    caption and its four rows are on one page, the first (under Get help now), in every handout."""
    pages = pdf_pages(shipped[name])
    labels = ("Write your clinic's details here", "Your clinic", "Phone", "Stitch put in on", "Stitch to come out on")
    where = {label: [n for n, text in enumerate(pages, start=1) if label in text] for label in labels}
    assert all(found == [1] for found in where.values()), f"{name}: {where}"


# ------------------------------------------------------------------ printed from the browser (review 17, S11)

def _printed(browser, page_name: str, paper: str) -> list[str]:
    import io

    from pypdf import PdfReader

    page = browser.new_page()
    page.goto((SITE / page_name / "index.html").as_uri())
    pdf = page.pdf(format=paper, print_background=True)
    page.close()
    return [" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(pdf)).pages]


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_questions_page_prints_help_first_and_a_line_per_answer(browser, shipped, paper):
    """Chromium's print of questions/ (review 17, S11: help and disclaimer only at the end of page 2, no
    lines to write on): page 1 opens with the Get help now box, before the first question; each question
    ends with a dark ruled line on paper."""
    texts = _printed(browser, "questions", paper)
    first = texts[0]
    help_at = first.find("heavy bleeding from the vagina")  # the box's words (its title is drawn after them)
    asked = first.find("Read:")
    assert "Get help now" in first and 0 <= help_at < asked, f"{paper}: page 1 is {first[:200]!r}"
    assert "call your doctor or midwife" in first.lower() and "go straight to the emergency department" in first, first[:400]
    page = browser.new_page()
    page.goto((SITE / "questions" / "index.html").as_uri())
    page.emulate_media(media="print")
    rules = page.evaluate("""() => [...document.querySelectorAll('.ci-questions__list li')].map(li => {
        const s = getComputedStyle(li);
        return [s.borderBottomStyle, parseFloat(s.borderBottomWidth), s.borderBottomColor, parseFloat(s.paddingBottom)];
    })""")
    page.close()
    assert len(rules) == len(questions_asked()), rules   # a line for every question the findings give
    for style, width, color, room in rules:
        rgb = [int(v) for v in re.findall(r"\d+", color)[:3]]
        assert style == "solid" and width >= 1 and max(rgb) <= 0x66 and room >= 20, (style, width, color, room)


@pytest.mark.parametrize("page_name", ["handout", "questions", "help-now", "treatment/cerclage"])
def test_browser_print_has_no_sentence_that_is_only_a_link(browser, shipped, page_name):
    """The disclaimer's "If you are worried now, read when to get help now" does nothing on paper: the
    browser's print leaves it out, as the PDFs do; the disclaimer itself stays."""
    text = " ".join(_printed(browser, page_name, "A4"))
    assert "not medical advice" in text
    assert "read when to get help now" not in text, page_name


def test_the_sheets_own_words_are_on_paper_only(browser, shipped):
    """Review 60 S10: "Each question says why we list it. Write the answers here." (.ci-sheet-only) showed on the
    screen, where there is nothing to write on. Over every built page with such words: hidden on screen; shown
    when the browser prints the part they are in with its own print button (print.js: the class
    ci-printing-PART on <html>)."""
    pages = [p for p in sorted(SITE.rglob("index.html")) if soup_of(p).select(".ci-sheet-only")]
    assert pages, "no page has words for the sheet only: the test checks nothing"
    printed = 0
    page = browser.new_page()
    try:
        for path in pages:
            page.goto(path.as_uri())
            page.emulate_media(media="screen")
            shown = page.evaluate("""() => [...document.querySelectorAll('.ci-sheet-only')]
                .map(e => getComputedStyle(e).display !== 'none' && e.offsetParent !== null)""")
            assert shown and not any(shown), (path, "on screen", shown)
            parts = page.evaluate("""() => [...document.querySelectorAll('[data-print]')]
                .filter(b => b.offsetParent !== null).map(b => b.dataset.print)""")  # the buttons one can press
            page.emulate_media(media="print")
            shown = page.evaluate("""parts => {
                document.documentElement.classList.add(...parts.map(p => 'ci-printing-' + p));
                return [...document.querySelectorAll('.ci-sheet-only')]
                    .filter(e => parts.some(p => e.closest('.' + p)))
                    .map(e => getComputedStyle(e).display !== 'none' && e.offsetParent !== null);
            }""", parts)
            assert all(shown), (path, "printed with its button", shown)
            printed += len(shown)
    finally:
        page.close()
    assert printed, "no sheet's words are in a part with a print button: the print half checks nothing"


def test_the_print_page_gives_the_pdf_as_the_way_to_print_the_handout(shipped):
    """Review 17, S11: print/ recommended the browser's print of handout/, which lacks the references and
    the words explained. It now sends a reader to the PDFs it lists, and says what the browser's print lacks."""
    text = " ".join(soup_of(SITE / "print" / "index.html").select_one("article").get_text(" ").split())
    assert "print its PDF" in text and "without those lists" in text, text[:600]
    assert "use its print button" not in text


@pytest.mark.parametrize("name", list(HANDOUTS))
def test_a_handout_says_it_is_not_advice_at_the_size_of_its_text_on_page_one(shipped, name, mkdocs_config):
    """Review 32 #5: on the standard handouts the only "general information, not medical advice" was the page's
    foot, at about 7.5 pt. Page 1 says it in the site's own words (mkdocs.yml's disclaimer) at the size of the
    text: under the title (large print: its foot is at the text's size already)."""
    disclaimer = " ".join(mkdocs_config["extra"]["disclaimer"].split())
    page = lines_of(shipped[name])[0]
    body = statistics.mode(round(w.height, 1) for line in page for w in line)
    texts = [(" ".join(w.text for w in line), min(w.height for w in line)) for line in page]
    at_size = " ".join(text for text, height in texts if height >= 0.95 * body)
    assert disclaimer in at_size, f"{name}: page 1 does not say {disclaimer!r} at the size of its text"


@pytest.mark.parametrize("name", list(HANDOUTS))
def test_the_words_a_handout_explains_are_set_at_10_pt_or_more(shipped, name):
    """Review 32 #5: "Words used here" was at 9 pt. Every line of it is at least 10 pt, measured against the
    handout's 12 pt text (large print: the text's own size)."""
    least = {"numbers": 10 / 12, "letters": 1.0}[HANDOUTS[name]]
    checked = 0
    for page in lines_of(shipped[name]):
        body = statistics.mode(round(w.height, 1) for line in page for w in line)
        inside = False
        for line in page:
            text = " ".join(w.text for w in line)
            if text.startswith("Words used here"):
                inside = True
                continue
            if text.startswith("References") or "Page " in text and " of " in text:
                inside = False
            if inside:
                assert min(w.height for w in line) >= least * body - 0.1, (name, text, line[0].height, body)
                checked += 1
    assert checked > 5, f"{name}: no words explained"


@pytest.mark.parametrize("page_name", ["handout", "treatment/cerclage", "glossary"])
def test_a_page_printed_from_the_browser_says_what_its_codes_are(browser, shipped, page_name):
    """Review 33 #8: printed from the browser, a page showed [003] and [ACOG PB 142] with no key (its numbered list
    is a folded block, and the home page's key is for the screen or the book). Each printed page with a code says
    what the codes are; the screen does not show that line, nor does a page with no code."""
    from website.pagecontext import SECONDARY

    text = " ".join(_printed(browser, page_name, "A4"))
    coded = bool(re.search(r"\[(?:\d{3}|[A-Z]{2,}[^\]]*)\]", text))
    key = "The codes in square brackets say where each fact comes from" in text
    assert key == coded, (page_name, coded, key)
    if "(secondary)" in text:   # review 34 #3: the key says what it means, in the site's words
        assert f"“(secondary)” after it means {SECONDARY}" in text, page_name
    page = browser.new_page()
    page.goto((SITE / page_name / "index.html").as_uri())
    assert not page.locator(".ci-print-key").is_visible()
    page.close()
    if page_name != "glossary":
        assert coded, page_name


def test_a_sentence_with_a_variant_for_the_book_prints_from_the_browser(browser, shipped):
    """Review 80 S7: methods/ said "The website offers it as three files:" as .web-only, which the browser's print
    hides, beside its book variant (.ci-book-only), hidden everywhere but the book: printed from the browser, the
    list of files had no lead. Every .ci-not-book sentence of every page prints from the browser and stays out of
    the book; its .ci-book-only variant is in the book."""
    book = _squash(" ".join(pdf_pages(shipped["book"])))
    checked = 0
    for path in sorted(SITE.rglob("index.html")):
        soup = soup_of(path)
        words = [" ".join(el.get_text(" ").split()) for el in soup.select("article .ci-not-book")]
        if not words:
            continue
        printed = _squash(" ".join(_printed(browser, str(path.parent.relative_to(SITE)), "A4")))
        for text in words:
            assert _squash(text) in printed, (path, text)
            assert _squash(text) not in book, (path, text)
            checked += 1
        for el in soup.select("article .ci-book-only"):
            lead = " ".join(el.get_text(" ").split()[:6])
            assert _squash(lead) in book, (path, lead)
    assert checked, "no page has a sentence with a variant for the book"
