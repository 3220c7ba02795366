"""How much of each source's own text the built site reproduces word for word, page by page.

The sources are other people's copyrighted writing: the site may quote them only briefly, as evidence.
This measures it on what users receive. A source's archived text and a built page are both folded
(case, whitespace, curly quotes and dashes, punctuation) into words; a run of 8 words of the source
that also stands on the page counts as copied, and the share is the part of the source's words
that lie in such a run. Each page is measured on its own (a web page, the print page, the PDF book).

    .venv/bin/python -m website.copied [SITE [ARCHIVE]]   # the figures per source and page, largest first
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

SHINGLE = 8  # words in a run that counts as copied: longer than a phrase anyone would write alike
WORD = re.compile(r"[a-z0-9]+(?:'[a-z0-9]+)*")
FOLD = str.maketrans({"\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u201c": '"', "\u201d": '"',
                      "\u00a0": " ", "\u202f": " ", "\u2013": " ", "\u2014": " ", "\u00ad": ""})


def words(text: str) -> list[str]:
    return WORD.findall(text.translate(FOLD).lower())


def shingles(ws: list[str]) -> set[tuple[str, ...]]:
    return {tuple(ws[i:i + SHINGLE]) for i in range(len(ws) - SHINGLE + 1)}


def share(source: list[str], page: set[tuple[str, ...]]) -> float:
    """The part of the source's words that lie in a run of SHINGLE words also on the page."""
    covered = [False] * len(source)
    for i in range(len(source) - SHINGLE + 1):
        if tuple(source[i:i + SHINGLE]) in page:
            covered[i:i + SHINGLE] = [True] * SHINGLE
    return sum(covered) / len(source) if source else 0.0


SHOWN_ATTRIBUTES = ("title", "aria-label", "alt", "content")  # tooltips, what a screen reader says, meta text


def html_text(path: Path) -> list[str]:
    """What a reader of the page sees or hears (and what a copy of it carries): its text and the text of its
    tooltips, labels and descriptions, without scripts or styles. Each piece stands apart (no run crosses two)."""
    from bs4 import BeautifulSoup
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    for tag in soup(["script", "style"]):
        tag.decompose()
    shown = [tag[name] for tag in soup.find_all(True) for name in SHOWN_ATTRIBUTES if isinstance(tag.get(name), str)]
    return [soup.get_text(" "), *shown]


def search_text(path: Path) -> list[str]:
    """The search index (Material's search_index.json): every page's text, shipped to each reader."""
    import json
    return [doc.get("text", "") for doc in json.loads(path.read_text(encoding="utf-8")).get("docs", [])]


def pdf_text(path: Path) -> list[str]:
    from pypdf import PdfReader
    return ["\n".join(page.extract_text() or "" for page in PdfReader(path).pages)]


def archive_texts(archive: Path) -> dict[str, list[str]]:
    """Each source's words, by its id (the archive names a file ID_HASH.txt)."""
    return {p.name.split("_", 1)[0]: words(p.read_text(encoding="utf-8"))
            for p in sorted(archive.glob("*_*.txt"))}


def address(site: Path, page: Path) -> str:
    rel = page.relative_to(site)
    return (str(rel.parent) + "/").removeprefix("./") or "/" if rel.name == "index.html" else str(rel)


def pages(site: Path, dist: Path | None = None) -> dict[str, list[str]]:
    """Every page users receive, by its address: the site's HTML pages, its exports, its search index and,
    when made, the PDF book."""
    found = {address(site, p): html_text(p) for p in sorted(site.rglob("*.html"))
             if not p.is_relative_to(site / "assets")}
    for export in sorted((site / "exports").glob("*")):  # the data anyone downloads: published like a page
        found[address(site, export)] = [export.read_text(encoding="utf-8")]
    index = site / "search" / "search_index.json"
    if index.is_file():
        found["search index"] = search_text(index)
    book = (dist or site.parent / "dist") / "cervical-insufficiency.pdf"
    if book.is_file():
        found["book (PDF)"] = pdf_text(book)
    return found


def measure(site: Path, archive: Path, dist: Path | None = None) -> dict[str, dict[str, float]]:
    """{source id: {page: share of the source's words copied on that page}} (pages with none left out)."""
    sources = archive_texts(archive)
    result: dict[str, dict[str, float]] = {sid: {} for sid in sources}
    for where, pieces in pages(site, dist).items():
        seen = set().union(*(shingles(words(piece)) for piece in pieces))
        for sid, ws in sources.items():
            s = share(ws, seen)
            if s > 0:
                result[sid][where] = s
    return result


def main(argv: list[str] | None = None) -> int:
    from reconcile.pipeline import ROOT, archive_dir
    argv = sys.argv[1:] if argv is None else argv
    site = Path(argv[0]) if argv else ROOT / "site"
    archive = Path(argv[1]) if len(argv) > 1 else archive_dir()
    if not site.is_dir() or not archive.is_dir():
        print(f"copied: needs the built site ({site}, make site) and the archive ({archive})", file=sys.stderr)
        return 2
    for sid, found in measure(site, archive).items():
        top = sorted(found.items(), key=lambda kv: -kv[1])[:4]
        print(f"{sid}: " + ", ".join(f"{where} {s:.0%}" for where, s in top))
    return 0


if __name__ == "__main__":
    sys.exit(main())
