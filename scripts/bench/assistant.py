#!/usr/bin/env python3
"""How good the editor's assistant (discover / add-source drafts) is, measured on texts it has not seen.

    python -m bench.assistant [--archive DIR] [--pages DIR] [--verbose]

Two sets, the same scores:

- *leave one source out*: for each archived source, its claims are hidden; the assistant reads its
  archived text with the other sources' data only (as add-source would for a new page), and is scored
  against the source's real claims (implied claims, which no sentence states, are left out);
- *new real pages*: short excerpts of public pages about the condition (tests/fixtures/pages, none of
  them an archived source), labelled by hand in tests/fixtures/pages/labels.yaml; their misses were read
  while the assistant was tuned;
- *blind pages*: more such pages (tests/fixtures/pages-blind), found and labelled by an editor who did not
  run the assistant; their misses are not read while tuning (the figures only), so they measure how the
  assistant does on a text no one tuned it for.

Scores, read from what the editor receives (the draft file and the WARNING / GUIDANCE lines of
add-source, and the ranked topics discovery gives each sentence):

- top-1 / top-3: the share of real claims whose place in the text has a suggestion with the claim's topic
  first / among the first three;
- value right: of the claims found on the right topic that have a value, the share drafted with that value;
- drafts deleted: draft claims whose topic no real claim at that place has (an editor deletes them);
- numberless: the real claims whose quote gives no number (only a sentence draft finds them): top-1 as above,
  drafted (a draft on the claim's topic at its place), value right (of those drafted with a value to give);
- false WARNING / GUIDANCE lines: a conflict warning, or a guidance note on a value, for a topic that no
  real claim at that place has;
- treatments named: the real claims on a topic guidance marks withdrawn or discouraged (new pages: each
  labelled term) that get a treatment GUIDANCE line at their place;
- unknown things: the labelled sentences naming what no topic covers that get a note; the notes at no such
  sentence (unlabelled: on the leave-one-source-out set every note, as each source's topics are in the data).

Targets (issue 19): top-1 >= 80 %, top-3 >= 95 %, no false WARNING line, every treatment named.
"""
from __future__ import annotations

import argparse
import hashlib
import dataclasses
import re
import sys
from collections import Counter
from pathlib import Path

import yaml

from reconcile import newsource
from reconcile.discover import FoldedText, Layout
from reconcile.load import load_project
from reconcile.model import Claim, Range
from reconcile.phrases import mentions
from reconcile.pipeline import ROOT, archive_dir
from reconcile.quotes import fold

PAGES = ROOT / "tests" / "fixtures" / "pages"
BLIND = ROOT / "tests" / "fixtures" / "pages-blind"


@dataclasses.dataclass
class Real:
    spans: list[tuple[int, int]]
    topic: str | None
    also: str | None = None
    value: object = None
    numberless: bool = False   # its quote gives no number: only a sentence draft (issue 19) can find it

    def topics(self) -> set[str]:
        return {t for t in (self.topic, self.also) if t}


def numberless(quote: str) -> bool:
    return not any(m.value is not None for m in mentions(quote))


def place(text: str, quote: str, folded: FoldedText | None = None) -> list[tuple[int, int]]:
    folded = folded or FoldedText(text)
    return folded.spans(fold(quote))


def _overlaps(a, b) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _value(v):
    """A value as labels and claims both give it, made comparable."""
    if isinstance(v, Range):
        return ("range", v.min, v.max, v.unit)
    if isinstance(v, dict):
        return ("range", v.get("min"), v.get("max"), v.get("unit"))
    if isinstance(v, (list, tuple)):
        return ("set", tuple(sorted(v)))
    return v


def run(project, sid: str, text: str):
    """What the assistant gives for a new text: (suggestions, drafts, warning lines, guidance lines, treatments, unknowns)."""
    discovery = newsource._discover_new(project, sid, f"{sid}.txt", text)
    layout, folded = Layout(text), FoldedText(text)
    suggestions = []   # (span, ranked topics, value)
    for f in discovery.found:
        s = f.suggestion
        if s is not None:
            suggestions.append((layout.sentence(f.mention.core_start), [s.topic, *s.others], s.value))
    for s in getattr(discovery, "sentences", ()):   # sentences without numbers (issue 19)
        suggestions.append(((s.start, s.end), s.ranked, s.value))
    draft_text, _ = newsource.draft_file(project, sid, f"{sid}.txt", discovery)
    drafts = []
    for claim in yaml.safe_load(draft_text)["claims"]:
        spans = place(text, claim["quote"], folded)
        drafts.append((spans[0] if spans else (0, 0), claim["topic"], claim.get("value")))
    lines = newsource.summary(sid, Path("t"), Path("s"), Path("d"), discovery, len(drafts), [], project).splitlines()

    def offset(line: str) -> int:
        m = re.match(r"\w+ (\d+):(\d+) ", line)
        ln, col = int(m.group(1)), int(m.group(2))
        return (layout.newlines[ln - 2] + 1 if ln > 1 else 0) + col - 1

    warnings = [(offset(x), re.search(r" on topic (\S+)", x).group(1)) for x in lines if x.startswith("WARNING ")]
    topic_notes = [(offset(x), re.search(r" on topic (\S+?):", x).group(1)) for x in lines
                   if x.startswith("GUIDANCE ") and " on topic " in x]
    treatments = [((t.start, t.end), t.fact.id) for t in discovery.treatments]
    unknowns = [(u.start, u.end) for u in getattr(discovery, "unknown", ())]
    return suggestions, drafts, warnings, topic_notes, treatments, unknowns


class Score:
    def __init__(self, blind: bool = False):
        self.blind = blind
        self.c = Counter()
        self.misses: list[str] = []

    def add(self, name: str, reals: list[Real], out, expected_treatments, expected_unknown, verbose=False, text=""):
        suggestions, drafts, warnings, topic_notes, treatments, unknowns = out
        c = self.c
        for r in reals:
            at = [s for s in suggestions if any(_overlaps(s[0], sp) for sp in r.spans)]
            if r.topic is None:
                continue
            c["claims"] += 1
            first = [s for s in at if s[1] and s[1][0] in r.topics()]
            if r.numberless:
                c["numberless"] += 1
                mine = [d for d in drafts if d[1] in r.topics() and any(_overlaps(d[0], sp) for sp in r.spans)]
                c["numberless_top1"] += bool(first)
                c["numberless_drafted"] += bool(mine)
                c["numberless_valued"] += r.value is not None and bool(mine)
                c["numberless_value"] += r.value is not None and any(_value(d[2]) == _value(r.value) for d in mine)
            if first:
                c["top1"] += 1
                if r.value is not None:
                    c["valued"] += 1
                    c["value_right"] += any(_value(s[2]) == _value(r.value) for s in first)
                    ok_draft = any(d[1] in r.topics() and _value(d[2]) == _value(r.value) for d in drafts
                                   if any(_overlaps(d[0], sp) for sp in r.spans))
                    c["value_drafted"] += ok_draft
            else:
                self.misses.append(f"{name}: {r.topic} got {[s[1][:3] for s in at] or 'nothing'}: "
                                   + (text[r.spans[0][0]:r.spans[0][1]][:90] if r.spans else "?"))
            if any(r.topics() & set(s[1][:3]) for s in at):
                c["top3"] += 1

        def real_at(offset_or_span, topic) -> bool:
            span = offset_or_span if isinstance(offset_or_span, tuple) else (offset_or_span, offset_or_span + 1)
            return any(topic in r.topics() and any(_overlaps(span, sp) for sp in r.spans) for r in reals)

        c["drafts"] += len(drafts)
        c["deleted"] += sum(not real_at(d[0], d[1]) for d in drafts)
        c["warnings"] += len(warnings)
        c["false_warnings"] += sum(not real_at(o, t) for o, t in warnings)
        c["topic_notes"] += len(topic_notes)
        c["false_notes"] += sum(not real_at(o, t) for o, t in topic_notes)
        self.misses += [f"{name}: false {kind} on {t}: " + text[o:o + 80].split("\n")[0]
                        for kind, lines in (("WARNING", warnings), ("GUIDANCE", topic_notes))
                        for o, t in lines if not real_at(o, t)]
        for spans, fact in expected_treatments:
            c["treatments"] += 1
            if any(f == fact and any(_overlaps(sp, s) for s in spans) for sp, f in treatments):
                c["named"] += 1
            else:
                self.misses.append(f"{name}: treatment {fact} not named: " + text[spans[0][0]:spans[0][1]][:80])
        c["treatment_lines"] += len(treatments)
        c["unlabelled_treatments"] += sum(not any(f == fact and any(_overlaps(sp, s) for s in spans)
                                                  for spans, fact in expected_treatments) for sp, f in treatments)
        for spans in expected_unknown:
            c["unknown"] += 1
            if any(_overlaps(sp, s) for sp in unknowns for s in spans):
                c["unknown_noted"] += 1
            else:
                self.misses.append(f"{name}: no note of a thing no topic covers: "
                                   + (text[spans[0][0]:spans[0][1]][:80] if spans else "?"))
        c["unknown_lines"] += len(unknowns)
        for u in unknowns:
            if not any(_overlaps(u, s) for spans in expected_unknown for s in spans):
                c["unknown_unlabelled"] += 1
                self.misses.append(f"{name}: note of a thing no topic covers at no labelled place: " + text[u[0]:u[1]][:80])
        if self.blind:
            self.misses.clear()

    def rows(self) -> dict[str, str]:
        c = self.c

        def pct(a, b):
            return f"{100 * c[a] / c[b]:.0f} % ({c[a]}/{c[b]})" if c[b] else "-"
        return {"top-1 topic": pct("top1", "claims"), "top-3 topic": pct("top3", "claims"),
                "value right (suggested)": pct("value_right", "valued"),
                "value right (drafted)": pct("value_drafted", "valued"),
                "drafts deleted": pct("deleted", "drafts"),
                "numberless: top-1": pct("numberless_top1", "numberless"),
                "numberless: drafted": pct("numberless_drafted", "numberless"),
                "numberless: value right": pct("numberless_value", "numberless_valued"),
                "false WARNING lines": f"{c['false_warnings']} of {c['warnings']}",
                "false GUIDANCE value lines": f"{c['false_notes']} of {c['topic_notes']}",
                "treatments named": pct("named", "treatments"),
                "treatment lines unlabelled": f"{c['unlabelled_treatments']} of {c['treatment_lines']}",
                "unknown things noted": pct("unknown_noted", "unknown"),
                "unknown notes unlabelled": f"{c['unknown_unlabelled']} of {c['unknown_lines']}"}


def leave_one_out(project, texts: dict[str, str], verbose=False) -> Score:
    score = Score()
    status_topics = {t for f in project.guidance.values() if f.status for t in f.topics}
    for sid, text in texts.items():
        # the resolutions go too: they were written from every source's claims, the hidden one's included
        hidden = dataclasses.replace(project, claims={k: c for k, c in project.claims.items() if c.source != sid},
                                     drafts=[], dismissed=[], resolutions={})
        folded = FoldedText(text)
        mine = [c for c in project.claims.values() if c.source == sid and not c.implied]
        reals = []
        for c in mine:
            spans = place(text, c.quote, folded)
            if c.occurrence and len(spans) >= c.occurrence:
                spans = [spans[c.occurrence - 1]]
            reals.append(Real(spans, c.topic, None, None if project.topics[c.topic].kind == "fact" else c.value,
                              numberless(c.quote)))
        expected = [(r.spans, next(f.id for f in project.guidance.values() if f.status and r.topic in f.topics))
                    for r in reals if r.topic in status_topics and r.spans]
        score.add(sid, reals, run(hidden, "new", text), expected, [], verbose, text)
    return score


def labelled_claims(project, labels: dict, name: str) -> dict:
    """The hand-labelled claims of one page as reviewed claims (source id from the page's place in the list)."""
    sid = f"9{list(labels).index(name):02d}"
    out = {}
    for r in labels[name].get("claims", []):
        topic = project.topics.get(r["topic"]) if r["topic"] else None
        if topic is None:
            continue
        value = r.get("value")
        if topic.kind == "range":
            value = Range(value.get("min"), value.get("max"), value["unit"]) if value else None
            if value is None:
                continue
        claim = Claim(sid, topic.id, value, "", r["quote"])
        out.setdefault(claim.id, claim)
    return out


def new_pages(project, folder: Path = PAGES, verbose=False, learn=False, blind=False) -> Score:
    """``learn``: before a page is read, the other pages' labelled claims join the data, as reviewed sources would.
    ``blind``: the set's misses are not kept (never printed)."""
    score = Score(blind)
    labels = yaml.safe_load((folder / "labels.yaml").read_text(encoding="utf-8"))["pages"]
    base = project
    for name, label in labels.items():
        if learn:
            extra = {k: c for other in labels if other != name for k, c in labelled_claims(base, labels, other).items()}
            project = dataclasses.replace(base, claims={**base.claims, **extra})
        text = (folder / name).read_text(encoding="utf-8")
        folded = FoldedText(text)
        reals = [Real(place(text, r["quote"], folded), r["topic"], r.get("also"), r.get("value"), numberless(r["quote"]))
                 for r in label.get("claims", [])]
        treatments = [(place(text, g["term"], folded), g["fact"]) for g in label.get("guidance", [])]
        unknown = [place(text, q, folded) for q in label.get("new", [])]
        score.add(name, reals, run(project, "new", text), treatments, unknown, verbose, text)
    return score


def page_count(folder: Path) -> int:
    return len(yaml.safe_load((folder / "labels.yaml").read_text(encoding="utf-8"))["pages"])


README = ROOT / "README.md"
BEGIN, END = "<!-- assistant figures: written by python -m bench.assistant --readme -->", "<!-- /assistant figures -->"
TARGETS = {"top-1 topic": ">= 80 %", "top-3 topic": ">= 95 %", "false WARNING lines": "0", "treatments named": "100 %"}
LOSO = "leave one source out"
DATA_INPUTS = ("claims", "topics", "resolutions", "guidance.yaml", "sources.yaml", "dismissed.yaml")


def data_print(data: Path = ROOT / "data") -> str:
    """What the figures were measured on: a short hash of the data the assistant learns from (an editor who lands
    a source changes it, and the README's figures then say they were measured on other data)."""
    digest = hashlib.sha256()
    for name in DATA_INPUTS:
        path = data / name
        for f in sorted(path.rglob("*.yaml")) if path.is_dir() else [path]:
            if f.is_file():
                digest.update(f.relative_to(data).as_posix().encode() + b"\0" + f.read_bytes())
    return digest.hexdigest()[:12]


def readme_print(text: str) -> str | None:
    """The data the README's figures were measured on (data_print), as its generated block says."""
    m = re.search(r"measured on the data ([0-9a-f]{12})", text[text.find(BEGIN):text.find(END)] if BEGIN in text else "")
    return m[1] if m else None


def measure(project, archive: Path | None, pages: Path = PAGES, blind: Path = BLIND, verbose=False) -> list[tuple[str, Score]]:
    """Every set the benchmark scores, as (column name, score); the leave-one-source-out set only with an archive."""
    sets = []
    if archive is not None and archive.is_dir():
        texts = {sid: (archive / s.file).read_text(encoding="utf-8") for sid, s in project.sources.items()}
        sets.append((f"{LOSO} ({len(texts)} sources)", leave_one_out(project, texts, verbose)))
    sets.append((f"new real pages ({page_count(pages)})", new_pages(project, pages, verbose)))
    sets.append(("the same, others' labels learned", new_pages(project, pages, verbose, learn=True)))
    if (blind / "labels.yaml").is_file():
        sets.append((f"blind pages ({page_count(blind)})", new_pages(project, blind, blind=True)))
    return sets


def markdown(sets: list[tuple[str, Score]], project=None) -> str:
    """The figures as the README's table (one column a set, and the targets), after a line naming the data."""
    rows = [r.rows() for _, r in sets]
    counts = f" ({len(project.sources)} sources, {len(project.claims)} claims)" if project is not None else ""
    lines = [f"Figures measured on the data {data_print()}{counts}.", "",
             "| measure | " + " | ".join(name for name, _ in sets) + " | target |",
             "| --- |" + " --- |" * (len(sets) + 1)]
    lines += [f"| {key} | " + " | ".join(r[key] for r in rows) + f" | {TARGETS.get(key, '')} |" for key in rows[0]]
    return "\n".join(lines)


def readme_table(text: str) -> dict[str, dict[str, str]]:
    """The figures the README gives: {column: {measure: figure}} from its generated block ({} without one)."""
    if BEGIN not in text or END not in text:
        return {}
    rows = [[cell.strip() for cell in line.strip().strip("|").split("|")]
            for line in text[text.index(BEGIN) + len(BEGIN):text.index(END)].strip().splitlines() if line.startswith("|")]
    if len(rows) < 3:
        return {}
    head = rows[0]
    return {col: {row[0]: row[i] for row in rows[2:] if len(row) == len(head)} for i, col in enumerate(head[1:-1], 1)}


def write_readme(sets: list[tuple[str, Score]], readme: Path = README, project=None) -> None:
    """Replace the README's generated block with today's figures (under the data folder's lock, atomically)."""
    from reconcile.atomic import locked, write_atomic
    with locked(ROOT / "data"):
        text = readme.read_text(encoding="utf-8")
        if BEGIN not in text or END not in text:
            print(f"{readme}:1: no block between {BEGIN} and {END} to write the figures in", file=sys.stderr)
            raise SystemExit(2)
        head, tail = text[:text.index(BEGIN) + len(BEGIN)], text[text.index(END):]
        write_atomic(readme, head + "\n" + markdown(sets, project) + "\n" + tail)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--archive", help="the real archive (default: $SOURCE_ARCHIVE or ../shared/sources)")
    p.add_argument("--pages", default=str(PAGES), help="the labelled new pages")
    p.add_argument("--blind", default=str(BLIND), help="the labelled blind pages")
    p.add_argument("--verbose", action="store_true", help="list every miss (not the blind pages')")
    p.add_argument("--readme", action="store_true", help="write the figures into README.md's generated table")
    args = p.parse_args(argv)
    project = load_project(ROOT / "data")
    archive = archive_dir(args.archive)
    if not archive.is_dir():
        if args.readme:
            print(f"{archive}: no archive, so no leave-one-source-out figures: the README's table is left as it is",
                  file=sys.stderr)
            return 2
        print(f"(no archive at {archive}: the leave-one-source-out set is skipped)")
    sets = measure(project, archive, Path(args.pages), Path(args.blind), args.verbose)
    rows = [r.rows() for _, r in sets]
    print(f"{'':<27}" + "".join(f"{name:>36}" for name, _ in sets) + "   target")
    for key in rows[0]:
        print(f"{key:<27}" + "".join(f"{r[key]:>36}" for r in rows) + f"   {TARGETS.get(key, '')}")
    if args.readme:
        write_readme(sets, project=project)
        print(f"written: {README.name}'s table of the assistant's figures")
    if args.verbose:
        for name, s in sets:
            if s.blind:
                continue  # the blind pages' misses are never printed: they would stop being blind
            print(f"\n{name}: misses")
            for m in s.misses:
                print("  " + m)
    return 0


if __name__ == "__main__":
    sys.exit(main())
