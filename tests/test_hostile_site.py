"""Hostile data cannot put markup on a page.

The real site is built from a copy of the project whose data carries markup and
Markdown in every field a page shows (labels, titles, quotes, citation keys,
questions, resolutions, guidance). The built HTML must hold none of it as an
element, an attribute or a link (checked with BeautifulSoup), and Chromium opens
every page without a dialog firing or a request leaving the folder.

The archive is not copied, so the quotes are shown as not verified; that is enough
here, the point is how the text is shown.
"""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys

import pytest
import yaml
from bs4 import BeautifulSoup

from conftest import ROOT, html_files

# (kind, where it goes, the hostile text)
SOURCE_LABEL_IMG = "<img src=x onerror=alert(1)>"
SOURCE_LABEL_BREAKOUT = '"><script>alert(1)</script>'
SOURCE_LABEL_QUOTE = 'The "best" page'
QUOTE_MARKDOWN_LINK = "They said [x](onmouseover=alert(1)//)"
KEY_JAVASCRIPT = "[FDA 2023](javascript:alert(1))"
KEY_IMAGE = "![](https://evil.test/p.png)"
QUOTE_BLANK_LINE = "First part of the quote.\n\nSecond part after a blank line."
TITLE_BREAKOUT = "</title><script>alert(1)</script>"
NAMES_LINK = "<a href=javascript:alert(1)>named</a>"
SAYS_SCRIPT = "<script>alert(1)</script> Around 27 weeks."
SAYS_ATTR_LIST = "About 36 weeks. {: onclick=alert(1) }"
QUESTION_HTML = "When <b onmouseover=alert(1)>is</b> the stitch taken out?"
SUMMARY_MARKDOWN = "See [this](javascript:alert(1)) and ![img](https://evil.test/q.png) and <iframe src=x></iframe>."
GUIDANCE_SHORTCODE = "Taken out at 36 to 37 weeks. <!-- cite: not.a.claim --> <svg onload=alert(1)>"
APPRAISAL_AUTOLINK = "<javascript:alert(1)> and <https://evil.test/r.png>"
SHORT_ABBR = "Guidance says so. *[Guidance]: <img src=y onerror=alert(1)>"
PART_HTML = "the <b onmouseover=alert(1)>36-week</b> part"

KINDS = 17


def _load(path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def _dump(path, doc):
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True, width=10_000), encoding="utf-8")


def _poison(data):
    """Put one hostile text into each field kind the pages show."""
    sources_path = data / "sources.yaml"
    sources = _load(sources_path)
    s0, s1, s2, s3 = sources["sources"][:4]
    s0["label"], s1["label"], s2["label"] = SOURCE_LABEL_IMG, SOURCE_LABEL_BREAKOUT, SOURCE_LABEL_QUOTE
    s3["title"], s3["names"] = TITLE_BREAKOUT, NAMES_LINK
    s0["appraisal"]["summary"] = APPRAISAL_AUTOLINK
    _dump(sources_path, sources)

    guidance_path = data / "guidance.yaml"
    guidance = _load(guidance_path)
    renames = {"FDA 2023": KEY_JAVASCRIPT, "ACOG PB 142": KEY_IMAGE}
    for citation in guidance["citations"]:
        citation["key"] = renames.get(citation["key"], citation["key"])
    for fact in guidance["facts"]:
        fact["cite"] = [renames.get(k, k) for k in fact["cite"]]
        if fact["id"] == "guidance.cerclage-removal":
            fact["says"] = GUIDANCE_SHORTCODE
    _dump(guidance_path, guidance)

    def poison_each(kind, poison):
        """``poison`` each entry of every data/KIND/*.yaml that concerns cerclage removal."""
        for path in (data / kind).glob("*.yaml"):
            doc = _load(path)
            for entry in doc[kind]:
                if entry.get("topic", entry.get("id")) == "cerclage.removal":
                    poison(entry)
            _dump(path, doc)

    def claim(entry):
        entry["says"] = {"000": SAYS_SCRIPT, "003": SAYS_ATTR_LIST}.get(entry["source"], entry["says"])
        if entry["source"] in ("001", "002"):  # a new quote: the editor's choice of its words goes with the old one
            entry["quote"] = {"001": QUOTE_MARKDOWN_LINK, "002": QUOTE_BLANK_LINE}[entry["source"]]
            entry.pop("shows", None)

    def resolution(entry):
        entry["summary"], entry["short"] = SUMMARY_MARKDOWN, SHORT_ABBR
        entry["supports"] = {sid: {"partly": mark["partly"] if isinstance(mark, dict) else mark, "part": PART_HTML}
                             for sid, mark in entry["supports"].items()}  # a mark may already be partly

    poison_each("claims", claim)
    poison_each("topics", lambda entry: entry.update(question=QUESTION_HTML))
    poison_each("resolutions", resolution)


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    project = tmp_path_factory.mktemp("hostile") / "project"
    for name in ("docs", "overrides", "includes", "scripts", "data"):
        shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    _poison(project / "data")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", OFFLINE="false",
               SOURCE_ARCHIVE=str(project / "no-archive"), GUIDELINES=str(project / "no-guidelines.md"))
    proc = subprocess.run([str(ROOT / ".venv" / "bin" / "mkdocs") if (ROOT / ".venv").is_dir()
                           else sys.executable, *([] if (ROOT / ".venv").is_dir() else ["-m", "mkdocs"]),
                           "build", "--strict", "-d", str(project / "site")],
                          cwd=project, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    return project / "site"


def test_every_kind_is_in_the_data():
    hostile = [v for k, v in globals().items() if k.isupper() and isinstance(v, str) and k != "ROOT"]
    assert len(hostile) == KINDS >= 10


def _problems(page, site) -> list[str]:
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    name = page.relative_to(site)
    # The one image a page may hold: the print page's copy of the disagreement map, built by the
    # template (a data: URI, where no script runs).
    found = [f"{name}: <{t.name}>" for t in soup.find_all(["img", "iframe", "b"])
             if not (t.name == "img" and t.get("class") == ["ci-map__img"]
                     and t["src"].startswith("data:image/svg+xml;base64,"))]
    found += [f"{name}: script {t.get_text()[:40]!r}" for t in soup.find_all("script") if "alert" in t.get_text()]
    found += [f"{name}: <svg onload>" for t in soup.find_all("svg") if t.get("onload")]
    for tag in soup.find_all(True):
        found += [f"{name}: <{tag.name} {a}=...>" for a in tag.attrs if a.lower().startswith("on")]
        for attr in ("href", "src"):
            value = (tag.get(attr) or "").strip().lower()
            if value.startswith("javascript:") or "evil.test" in value:
                found.append(f"{name}: <{tag.name} {attr}={value}>")
    return found


def test_no_element_attribute_or_link_from_the_data(hostile_site):
    pages = html_files(hostile_site)
    problems = [p for page in pages for p in _problems(page, hostile_site)]
    assert not problems, "\n".join(problems)


def test_checker_finds_what_it_looks_for(tmp_path):
    page = tmp_path / "x.html"
    page.write_text('<p><img src=x><a href="javascript:alert(1)">a</a><span onclick="x">b</span></p>')
    assert len(_problems(page, tmp_path)) == 3


def _text(site, path) -> str:
    return BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser").get_text(" ")


def test_hostile_text_is_shown_as_text(hostile_site):
    cerclage = " ".join(_text(hostile_site, "treatment/cerclage/index.html").split())
    for text in (SAYS_SCRIPT, SAYS_ATTR_LIST, SUMMARY_MARKDOWN, f": {PART_HTML} matches it"):
        assert " ".join(text.split()) in cerclage, text
    assert re.search(r"\(partly matches current guidance( for [^:]*)?: " + re.escape(PART_HTML), cerclage)
    assert QUESTION_HTML in _text(hostile_site, "disagreements/index.html")
    # (a resolution's short line is no longer on a real page: the handout names old advice in its own words;
    # test_hooks.test_handout_lines renders the shortcode that shows it)
    source = BeautifulSoup((hostile_site / "sources/000/index.html").read_text(encoding="utf-8"), "html.parser")
    assert source.select_one("article h1").get_text(" ", strip=True).startswith(SOURCE_LABEL_IMG)
    assert SOURCE_LABEL_IMG in source.select_one("nav.md-nav--primary").get_text()
    assert APPRAISAL_AUTOLINK in source.get_text()
    meta = BeautifulSoup((hostile_site / "sources/002/index.html").read_text(encoding="utf-8"),
                         "html.parser").select_one('meta[name="description"]')["content"]
    assert meta.startswith(SOURCE_LABEL_QUOTE + " (002):")
    breakout = BeautifulSoup((hostile_site / "sources/001/index.html").read_text(encoding="utf-8"), "html.parser")
    assert breakout.select_one('meta[name="description"]')["content"].startswith(SOURCE_LABEL_BREAKOUT)
    assert breakout.title.get_text().startswith(SOURCE_LABEL_BREAKOUT)
    assert TITLE_BREAKOUT in _text(hostile_site, "sources/003/index.html")
    guidance = _text(hostile_site, "guidance/index.html")
    assert KEY_JAVASCRIPT in guidance and KEY_IMAGE in guidance and "<!-- cite: not.a.claim -->" in guidance


def test_blank_line_in_a_quote_stays_one_quote(hostile_site):
    page = hostile_site / "sources/002/index.html"
    row = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser").find(id="claim-002-cerclage-removal")
    path, _, fragment = row.select_one(".ci-quote-ref a")["href"].partition("#")  # its words: in its evidence
    evidence = BeautifulSoup((page.parent / path / "index.html").read_text(encoding="utf-8"), "html.parser")
    quote = evidence.find(id=fragment).select_one("blockquote.claim-quote")
    # a page shows a few of its words (excerpt.py), across the blank line: one quote, one paragraph, one line
    assert len(quote.find_all("p")) == 1 and "First part of the quote. Second part" in quote.get_text(), quote


def test_print_page_carries_no_markup_from_the_data(hostile_site):
    page = hostile_site / "print_page" / "index.html"
    assert not _problems(page, hostile_site)
    text = _text(hostile_site, "print_page/index.html")
    assert SOURCE_LABEL_IMG in text and SOURCE_LABEL_BREAKOUT in text


def test_no_dialog_and_no_outside_request_in_chromium(hostile_site, browser):
    context = browser.new_context()
    dialogs, requests = [], []
    page = context.new_page()
    page.on("dialog", lambda d: (dialogs.append(f"{page.url}: {d.message}"), d.dismiss()))
    context.on("request", lambda r: requests.append(r.url))
    opened = 0
    for path in html_files(hostile_site):
        page.goto(path.as_uri())
        # Open every folded block and point at every element, as a reader's taps and mouse would.
        page.evaluate("""() => {
            document.querySelectorAll('details').forEach(d => { d.open = true; });
            document.querySelectorAll('body *').forEach(e => {
                e.dispatchEvent(new MouseEvent('mouseover', {bubbles: true}));
                e.dispatchEvent(new FocusEvent('focus'));
            });
        }""")
        opened += 1
    context.close()
    outside = [u for u in requests if not u.startswith(("file://", "data:", "about:", "blob:"))]
    assert opened >= 10
    assert not dialogs, dialogs
    assert not outside, outside
