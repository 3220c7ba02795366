"""Which topics the pages show: one rule for `check` and for the site build.

A topic is shown when some page in docs/ holds its evidence block (``<!-- sources: T -->`` or
``<!-- disagreement: T -->``) or cites one of its claims (``<!-- cite: SOURCE.T -->``, ``<!-- values: T -->``). A topic
with published claims that no page shows is a problem: a reader could never see it.
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable

from .yamlfile import InputError, read_limited

MAX_PAGE_BYTES = 2 * 1024 * 1024  # a page is a few kilobytes; more is a mistake (or /dev/zero behind a link)

SHORTCODE = re.compile(r"<!--\s*([a-z][a-z-]*):\s*(.*?)\s*-->")
BLOCKS = ("sources", "disagreement")   # the shortcodes that stand a topic's evidence block on a page


def page_files(folder: Path) -> list[Path]:
    """The pages (``*.md``) under ``folder``, in name order. Each must be a regular file: a FIFO or a
    link to a device named like a page would make every reader hang, so it is refused (one line)."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    out = []
    for path in sorted(folder.rglob("*.md")):
        if path.is_dir():
            continue
        if not path.is_file():
            raise InputError(path, 0, "not a regular file (a FIFO, a device, or a broken link); a page is a plain .md file")
        out.append(path)
    return out


def page_text(path: Path) -> str:
    """A page's text: a regular file of at most MAX_PAGE_BYTES, read once with a byte limit."""
    return read_limited(path, MAX_PAGE_BYTES, what="page").decode("utf-8", errors="replace")


def shown_topics(texts: Iterable[str]) -> tuple[set[str], set[str]]:
    """(topics with an evidence block, topics only cited) in the given page texts."""
    blocks, cited = set(), set()
    for text in texts:
        for m in SHORTCODE.finditer(text):
            if m.group(1) in BLOCKS:
                blocks.add(m.group(2))
            elif m.group(1) == "cite":
                cited |= {key for key in cite_keys(m.group(2)) if not key.startswith("guidance.")}
            elif m.group(1) == "values":  # each of its numbers, cited (website.shortcodes.sc_values)
                cited.add(m.group(2))
    return blocks, cited


def claim_ids(arg: str) -> list[str]:
    """The claim ids one ``cite`` shortcode names, in its order (guidance facts left out)."""
    return [i for i in (x.strip() for x in arg.split(",")) if i and not i.startswith("guidance.")]


def cited_claims(text: str) -> list[str]:
    """The claim ids a page's ``cite`` shortcodes name, in order, each once."""
    return list(dict.fromkeys(i for m in SHORTCODE.finditer(text) if m.group(1) == "cite" for i in claim_ids(m.group(2))))


def cite_keys(arg: str) -> list[str]:
    """What a ``cite`` shortcode's ids speak of: a claim (SOURCE.TOPIC) its topic, a guidance fact itself."""
    keys = []
    for ident in (i.strip() for i in arg.split(",")):
        key = ident if ident.startswith("guidance.") else ident.split(".", 1)[-1]
        if ident and key not in keys:
            keys.append(key)
    return keys


def unshown(topic_ids: Iterable[str], texts: Iterable[str]) -> list[str]:
    """The topics no page shows, in the order given."""
    blocks, cited = shown_topics(texts)
    return [t for t in topic_ids if t not in blocks | cited]


def unshown_problems(project, docs_dir: Path) -> list[str]:
    """`check`'s problems for topics with claims that no page in ``docs_dir`` shows."""
    if not Path(docs_dir).is_dir():
        return []
    texts = (page_text(p) for p in page_files(docs_dir))
    claimed = {c.topic for c in project.claims.values() if c.source in project.sources}
    out = []
    for tid in unshown([t for t in project.topics if t in claimed], texts):
        topic = project.topics[tid]
        out.append(f"{topic.where}: topic {tid} has claims but no page shows it: add <!-- sources: {tid} --> to "
                   f"docs/{topic.page}")
    return out
