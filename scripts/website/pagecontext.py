"""What a shortcode reads and links with: the site's findings (`Site`), the page being rendered (`Page`)
and the `Context` that joins them, with the links every template uses (pages, anchors, guidance).

No MkDocs in it: the hooks build a `Site` once per build and a `Context` for each page.
"""
from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from pathlib import Path

from markdown.extensions.toc import slugify, unique   # the heading ids mkdocs.yml's toc extension gives
from markupsafe import Markup

from reconcile.pages import BLOCKS, SHORTCODE


@dataclass
class Site:
    """What every page's shortcodes read: the findings as published, and the template environment."""
    root: Path
    project: object
    sources: dict
    report: dict
    env: object
    topics: dict = field(default_factory=dict)
    anchors: dict = field(default_factory=dict)  # topic id -> (page, anchor) of its evidence block
    said: dict = field(default_factory=dict)  # topic id -> (page, anchor) of the citation that cites most of its claims (shortcodes.said_places)
    said_claims: dict = field(default_factory=dict)  # claim id -> (page, anchor cited-CLAIM) of its first citation (claim_link)
    answers: dict = field(default_factory=dict)  # topic id -> the page that answers it for a reader (`answers:`)
    sections: dict = field(default_factory=dict)  # page -> {topic id: id of the heading its evidence block stands under}

    def __post_init__(self):
        self.topics = self.topics or {t["id"]: t for t in self.report["topics"]}


# What the marker "(secondary)" beside a citation key means, wherever it is shown: its tooltip, and the one line
# under every list of references, on the web (ci-references.html, the guidance page) and on paper (paper.html).
SECONDARY = "checked only against pages that report it"
# How a point was checked, for a document cited both ways (a paper reference list gives it twice: review 32 #4), in
# the reference's own words (guidelines.md: "confirmed ... against a public copy or summary of the cited document";
# review 36 #5: "the document itself" said more than that).
CHECKED = {True: SECONDARY, False: "checked against a copy or summary"}


@dataclass
class Page:
    """The page being rendered, as any builder knows it."""
    src_uri: str   # its file under docs/ ("treatment/cerclage.md")
    url: str       # its address in the built site ("treatment/cerclage/")
    meta: dict     # its front matter
    source: str = ""  # its Markdown as written (for line numbers in errors)


def term_key(term: str) -> str:
    """A word of the glossary as a reader looks it up: case, hyphens and slashes aside, and without a plural s
    ("OB/GYN" is "ob-gyn", "risk factors" is "risk factor"). The tooltips need each spelling the pages use
    (includes/glossary.md); a list of words gives each word once (review 32 #11)."""
    return re.sub(r"[^a-z0-9 ]+", "", term.casefold()).removesuffix("s")


def glossary_entries(terms: dict[str, str]) -> list[tuple[str, str]]:
    """Each word once, in alphabetical order: its first spelling with its meaning, and the other spellings it
    has besides a plural ("ob-gyn: ... Also written OB/GYN.")."""
    words: dict[str, list[str]] = {}
    for term in sorted(terms, key=str.lower):
        words.setdefault(term_key(term), []).append(term)
    entries = []
    for first, *others in words.values():
        also = [t for t in others if t.casefold().removesuffix("s") != first.casefold().removesuffix("s")]
        entries.append((first, terms[first] + (f" Also written {', '.join(also)}." if also else "")))
    return entries


def relative_url(url: str, base: str) -> str:
    """The link from the page at `base` to `url`, both site addresses (as MkDocs writes them)."""
    if base != ".":
        head, tail = posixpath.split(base)
        base = head if "." in tail else base
    rel = posixpath.relpath("/" + url, "/" + base)
    return rel + "/" if url.endswith("/") else rel


class Context:
    """What a shortcode needs: the page (for relative links), every file's address and the findings."""

    def __init__(self, site: Site, page: Page, urls: dict[str, str]):
        self.site, self.page, self.urls = site, page, urls
        self.project, self.report, self.sources = site.project, site.report, site.sources
        self.shown: set[str] = set()  # topics whose evidence block this page already has
        self.said: set[str] = set()  # topics whose citation on this page has its anchor (sc_cite)
        self.said_claims: set[str] = set()  # claims whose first citation on this page has its anchor (sc_cite)
        self.said_at: dict[str, str] = {}  # topic id -> the ids of the citation that carries it (said_places)
        self.refs: list[list[dict]] = []  # each citation's links, in page order: its number is its place + 1

    def href(self, src_uri: str, anchor: str = "") -> str:
        if src_uri not in self.urls:
            raise LookupError(f"no page {src_uri}")
        return relative_url(self.urls[src_uri], self.page.url) + (f"#{anchor}" if anchor else "")

    def topic(self, tid: str) -> dict:
        if tid not in self.site.topics:
            known = tid in self.project.topics
            raise LookupError(f"topic {tid!r} has no claim from a published source" if known else
                              f"unknown topic {tid!r} (see data/topics/)")
        return self.site.topics[tid]

    def label(self, sid: str) -> str:
        return self.sources[sid].label

    def render(self, name: str, **values) -> Markup:
        """One of overrides/partials/ci-NAME.html, autoescaped, with the helpers templates use."""
        template = self.site.env.get_template(f"partials/ci-{name}.html")
        return Markup(template.render(href=self.href, anchor=anchor, label=self.label, SECONDARY=SECONDARY,
                                      topic_link=lambda t: topic_link(self, t),
                                      claim_link=lambda t, c: claim_link(self, t, c),
                                      read_link=lambda t: read_link(self, t),
                                      quoted_in=lambda t, c: quoted_in(self, t, c),
                                      guidance=lambda ids: guidance_links(self, ids), note_lead=NOTE_LEAD,
                                      guidance_kind=lambda ids: guidance_kind(self, ids),
                                      note_status=lambda n: note_said(self, n), **values).strip())


# A plain note beside an answer (a definition, or a question guidance does not speak to) that names a treatment
# guidance has withdrawn or advises against, in patients' words (ci-macros.html's mark, cells.note_words); why
# it is a note and not a mark is for editors, on methods/.
NOTE_LEAD = "Note: "
# Without the fact's own note (data/guidance.yaml note:), the note says only the status.
NOTE_STATUS = {"withdrawn": "Current guidance says these were withdrawn", "discouraged": "Guidance advises against this"}


def note_said(ctx: Context, n: dict) -> str:
    """What a plain note says of a treatment a claim names (report.claim_notes' entry ``n``, always a known fact):
    its fact's note, else the status."""
    return ctx.project.guidance[n["guidance"]].note or NOTE_STATUS[n["status"]]


def anchor(kind: str, ident: str) -> str:
    return f"{kind}-{re.sub(r'[^a-z0-9]+', '-', ident.lower()).strip('-')}"


def claim_anchor(ident: str) -> str:
    """The anchor of a claim's first citation on a page (sc_cite puts it there, the hook's said_claims points to it)."""
    return anchor("cited", ident)


def topic_link(ctx: Context, t: dict) -> str:
    """Where a topic is best read: its evidence block, else the place a page first cites one of its claims
    (a question only one source answers: "Only one source says this" leads to the sentence, and in the book
    to its page), else its page."""
    place = ctx.site.anchors.get(t["id"]) or ctx.site.said.get(t["id"])
    return ctx.href(*place) if place else ctx.href(t["page"])


def claim_link(ctx: Context, t: dict, c: dict) -> str:
    """Where one source's claim is best read (a source page's row): the question's evidence block, which quotes
    every source on it, else the first citation of this very claim, else ``topic_link``. The citation that cites
    most of a question's claims may leave this source out (review 51 S7: 003's row "Can there be no symptoms?"
    led to a citation of the other four, in the book "(page 17)"; 003's is cited on page 15)."""
    place = ctx.site.anchors.get(t["id"]) or ctx.site.said_claims.get(c["id"])
    return ctx.href(*place) if place else topic_link(ctx, t)


def read_page(ctx: Context, t: dict) -> str:
    """The page a reader is sent to with a question (a question to ask your doctor, "Read: PAGE"): the
    page whose front matter says it answers it (`answers: [TOPIC]`: "When to get help now" for when to
    go to the emergency department), else the page of its evidence, else its own page."""
    return ctx.site.answers.get(t["id"]) or ctx.site.anchors.get(t["id"], (t["page"],))[0]


def read_link(ctx: Context, t: dict) -> str:
    """The link to ``read_page``: the answering page itself, else the heading of the section that holds the
    question's evidence block (its plain answer stands above the block: review 46 #2 found "Read" leading past
    the answer, and in the book a page too far), else the evidence block itself (``topic_link``)."""
    page = ctx.site.answers.get(t["id"])
    if page:
        return ctx.href(page)
    place = ctx.site.anchors.get(t["id"])
    heading = ctx.site.sections.get(place[0], {}).get(t["id"]) if place else None
    return ctx.href(place[0], heading) if heading else topic_link(ctx, t)


_FRONT = re.compile(r"\A---[ \t]*\n.*?^---[ \t]*$", re.M | re.S)   # a page's front matter (its YAML may hold "# ...")
_FENCE = re.compile(r"^(```|~~~).*?^\1[ \t]*$", re.M | re.S)
_HEADING = re.compile(r"^(#{1,6})[ \t]+(.+?)[ \t]*$", re.M)
_HEADING_ATTRS = re.compile(r"\s*\{:?([^}]*)\}\s*$")
_INLINE = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|[*_`]")


def block_sections(markdown: str) -> dict[str, str]:
    """For each topic whose evidence block stands on this written page (``BLOCKS``, as ``shown_topics`` finds
    them), the id MkDocs gives the heading (level 2 or deeper) it stands under: the toc extension's
    slug of the heading's text, numbered as it numbers a repeated one, or the id the heading sets itself
    (``{ #id }``). A block under the page's title only is left out (its link goes to the block)."""
    text = _FRONT.sub(lambda m: "\n" * m.group(0).count("\n"), markdown, count=1)
    text = _FENCE.sub(lambda m: "\n" * m.group(0).count("\n"), text)
    used: set[str] = set()
    heads = []   # (offset, level, id)
    for m in _HEADING.finditer(text):
        title, attrs = m.group(2), _HEADING_ATTRS.search(m.group(2))
        own = re.search(r"#([\w-]+)", attrs.group(1)) if attrs else None
        if attrs:
            title = title[:attrs.start()]
        ident = own.group(1) if own else unique(slugify(_INLINE.sub(lambda x: x.group(1) or "", title).strip(), "-"), used)
        used.add(ident)
        heads.append((m.start(), len(m.group(1)), ident))
    out = {}
    for m in SHORTCODE.finditer(text):
        if m.group(1) in BLOCKS:
            above = [h for h in heads if h[0] < m.start()]
            if above and above[-1][1] >= 2:
                out.setdefault(m.group(2), above[-1][2])
    return out


def quoted_in(ctx: Context, t: dict, claim: dict) -> dict:
    """Where a source's page (and its chapter in the book) shows a claim's own words. The sources are other
    people's writing: their words stand once, as evidence, in the claim's question's evidence block, and the
    source's page gives what it says in our words, its marks and a link there ("quoted in"). A claim whose
    question has no block shows its words beside it ("here"). Either way a page shows only the few words of
    the quote that carry the claim (its ``shown``, reconcile/excerpt.py), once; a claim the site does not weigh
    has none (our words only: "none")."""
    if not claim["shown"]:
        return {"show": "none"}
    place = ctx.site.anchors.get(t["id"])
    if place:
        return {"show": "quoted in", "page": page_title(ctx.site.root, place[0]),
                "href": ctx.href(place[0], f"{anchor('claim', claim['id'])}-here")}
    return {"show": "here"}


def page_title(root: Path, src_uri: str) -> str:
    """A page's own title: the first level-one heading of its Markdown."""
    path = root / "docs" / src_uri
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    m = re.search(r"^# (.+?)\s*$", text, re.M)
    return m.group(1) if m else src_uri


def guidance_kind(ctx: Context, ids: list[str]) -> str | None:
    """The one kind a mark's guidance gives its range for ("a planned stitch"; data/guidance.yaml value.for), so
    "matches current guidance" is said for that kind, not for every kind (review 68 S2: 000's "12 to 14 weeks" for a
    stitch matched guidance's range for a planned stitch); None where no fact gives a range for one kind only. Only a
    full match says it: "partly matches" already says guidance backs only part, and its reason says which (with the
    kind too, a new source's partly-matching removal week ran to 39 words: test_reviewed_source)."""
    values = [ctx.project.guidance[g].value for g in ids]
    kinds = {v.of for v in values if v}
    return kinds.pop() if values and all(values) and len(kinds) == 1 and None not in kinds else None


def guidance_links(ctx: Context, ids: list[str], seen: dict | None = None) -> list[dict]:
    """One entry per citation key, a link to the fact that cites it (so a key shows once). Where one citation gives
    the same key for two of its facts (RCOG GTG 75 for the planned and the emergency stitch), the template links
    each of the entry's `facts` by its label, so every sentence's fact is a tap away, not only the first one's (review 67 S1).
    A fact the reference marks *(secondary)* was confirmed through secondary sources as a whole row, so each of its
    keys says so (review 22 S7, review 26 S1: only the last key did); a key that also cites a fact checked against
    the document itself is a link of its own, without the marker."""
    links = {} if seen is None else seen
    for gid in ids:
        fact = ctx.project.guidance[gid]
        href = ctx.href("guidance.md", anchor("guidance", gid[9:]))
        for key in fact.cite:
            link = links.setdefault((key, fact.secondary), {"text": key, "title": key, "name": "Current guidance",
                                                            "href": href, "secondary": fact.secondary, "facts": []})
            if gid not in (f["id"] for f in link["facts"]):
                link["facts"].append({"id": gid, "href": href, "label": fact.label or fact.row})
    return list(links.values())
