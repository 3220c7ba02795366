"""Discovery: every number and time in the archive, and whether a claim covers it.

The rule for *covered* (one rule, the same one quotes are verified by): a mention is covered by
a claim when the mention's number and unit ("27 weeks" in "around 27 weeks of pregnancy") lie
inside a place where that claim's quote occurs in the same source. Quote and archive are both
folded exactly as ``quotes.fold`` folds them; the folded match is mapped back to offsets in the
text as saved. So an editor who quoted the sentence has read and recorded that number.

A mention is *dismissed* when it lies inside the text of an entry of data/dismissed.yaml for
its source (the entry's ``text`` is matched the same way, every place it occurs); an entry that
is not in the text, or holds no number, is stale and reported. A mention inside a draft claim's
quote is *drafted*: the draft itself already fails the check until reviewed.

For each mention left over, ``suggest`` names the most likely existing topic from the words of
its sentence (topic ids, questions, and the quotes and plain wording of the topic's claims are the
vocabulary; rarer words weigh more; a range topic in the mention's unit is preferred, one in
another unit is ruled out), the value the mention would carry, and a warning when a claim with
that value would disagree with the topic's existing claims under the engine's own rule.
"""
from __future__ import annotations

import bisect
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from . import guidance
from .compare import classify
from .model import Claim, Dismissal, Project, Range, Topic, value_json
from .phrases import Mention, mentions
from .quotes import DROPPED, fold, fold_chars
from .suggest import CLOSE, MIN_WORDS, STOPWORDS, Library, Ranking, SentenceSuggestion, Unknown, masked, stem, unknown_words, words_of  # noqa: F401



# ------------------------------------------------------------------ folding with a map back to the text

_EDIT = re.compile(r"\s*-\s*|\s{2,}|[^\S ]")  # where folding changes the text: dashes, runs of spaces, other spaces


_DROPPED = re.compile("[" + DROPPED + "]")


_NON_ASCII = re.compile(r"[^\x00-\x7f]")


def _composes(text: str) -> bool:
    """Whether NFKC may join characters here (a combining mark, or Hangul jamo): the one way, besides
    dropped characters, that folding shortens a text. NBSP and the like map one to one."""
    if unicodedata.is_normalized("NFKC", text):
        return False
    return any(unicodedata.combining(c) or 0x1100 <= ord(c) <= 0x11ff for c in {m.group() for m in _NON_ASCII.finditer(text)})


class FoldedText:
    """``quotes.fold(text)`` (maybe with one leading space) and the way back to offsets in ``text``."""

    def __init__(self, text: str):
        t2, origin = fold_chars(text), None
        # Folding only widens a character (casefold, NFKC, "…") except where it drops one (zero-width marks)
        # or composes several (not NFKC-normal): only then can equal lengths hide a shift, so only then
        # is the slower character-by-character map needed.
        if len(t2) != len(text) or _DROPPED.search(text) or _composes(text):
            t2, origin = self._per_char(text)
        parts, f_at, o_at, pos, flen = [], [0], [0], 0, 0
        for m in _EDIT.finditer(t2):
            g = m.group()
            rep = "-" if "-" in g else " "
            if g == rep:
                continue
            parts.append(t2[pos:m.start()])
            flen += m.start() - pos
            f_at.append(flen)
            o_at.append(m.start() + g.index("-") if rep == "-" else m.start())
            parts.append(rep)
            flen += 1
            f_at.append(flen)
            o_at.append(m.end())
            pos = m.end()
        parts.append(t2[pos:])
        folded = "".join(parts)
        if folded.endswith(" "):
            folded = folded[:-1]
        self.folded, self._f, self._o, self._origin, self._len = folded, f_at, o_at, origin, len(text)
        self.exact = folded.strip() == fold(text)

    @staticmethod
    def _per_char(text: str):
        """Fold a character at a time (a base character with the combining marks after it, which NFKC
        composes), remembering where each folded character came from."""
        chars, starts, ends, i = [], [], [], 0
        while i < len(text):
            j = i + 1
            while j < len(text) and unicodedata.combining(text[j]):
                j += 1
            for c in fold_chars(text[i:j]):
                chars.append(c)
                starts.append(i)
                ends.append(j)
            i = j
        return "".join(chars), (starts, ends)

    def _t2(self, f: int) -> int:
        """Folded offset -> offset in the text before spaces and dashes were folded."""
        k = bisect.bisect_right(self._f, f) - 1
        return self._o[k] + (f - self._f[k])

    def spans(self, folded_needle: str) -> list[tuple[int, int]]:
        """Offsets in the saved text of every place the folded needle occurs."""
        out, at = [], self.folded.find(folded_needle) if folded_needle else -1
        origin = self._origin
        while at >= 0:
            first, last = self._t2(at), self._t2(at + len(folded_needle) - 1)
            if origin is None:
                last += 1
            else:  # a character folded into several, or several into one: whole characters
                first, last = origin[0][first], origin[1][last]
            out.append((first, min(self._len, last)))
            at = self.folded.find(folded_needle, at + 1)
        return out


# ------------------------------------------------------------------ sentences and positions

_BULLETS = "\u2022\u25cf\u25aa\u2023\u2043\u00b7\u25e6*-"
_BOUNDARIES = [re.compile(p) for p in (
    r"(?<=[.!?])[\"'\u201d\u2019)]?\s+(?=[\"'\u201c\u2018(]?[A-Z0-9\u2022])",   # end of a sentence
    r"\n[ \t\u00a0\u202f]*\n",                                                  # blank line
    r"\n(?=[ \t\u00a0\u202f]*[\"\u201c(]?[A-Z0-9" + _BULLETS + "])",              # a line starting a new item
    r"(?<=:)[ \t\u00a0\u202f]*\n",                                               # after a line ending in ':'
    r"(?m)^[ \t\u00a0\u202f]*[" + _BULLETS + r"]\s[^\n]*\n",                    # after a bullet line
)]


class Layout:
    """Lines and sentences of one text, for positions and context."""

    def __init__(self, text: str):
        self.text = text
        self.newlines = [m.start() for m in re.finditer("\n", text)]
        self.cuts = sorted({0, len(text), *(m.end() for p in _BOUNDARIES for m in p.finditer(text))})

    def line_col(self, offset: int) -> tuple[int, int]:
        k = bisect.bisect_left(self.newlines, offset)
        return k + 1, offset - (self.newlines[k - 1] + 1 if k else 0) + 1

    def sentence(self, offset: int) -> tuple[int, int]:
        k = bisect.bisect_right(self.cuts, offset)
        start, end = self.cuts[k - 1], self.cuts[min(k, len(self.cuts) - 1)]
        while start < end and self.text[start] in " \t\n\u00a0\u202f\u2022*-\u00b7":
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        return start, end


RUN_IN_WORDS = 3   # a paragraph's first sentence this short, with the paragraph going on after it, is its heading


def lead_ins(text: str, layout: Layout) -> dict[tuple[int, int], str]:
    """Each sentence's heading or lead-in, where it has one. The items of a list, and the sentence right after
    a line ending in ':', take that line ("You can't have this treatment if:"); every other sentence takes the
    heading above it (a short line of its own, or a question on a line of its own: "When is the stitch
    removed?"), until the next heading. What a list item or a short answer is about is often said only there."""
    out, heading, colon, fresh = {}, "", "", False
    for cut in layout.cuts[:-1]:
        s0, s1 = layout.sentence(cut)
        if s1 <= s0:
            continue
        sentence = text[s0:s1].rstrip()
        if sentence.endswith(":"):
            colon, fresh = sentence, True
            continue
        if _heading(text, s0, s1) or _run_in(text, s0, s1) or (sentence.endswith("?") and re.match(r"[ \t]*(\n|$)", text[s1:])):
            heading, colon = sentence, ""
            continue
        if colon and not fresh and not _bulleted(text, s0):
            colon = ""  # the list is over
        fresh = False
        if colon or heading:
            out[(s0, s1)] = colon or heading
    return out


def _run_in(text: str, s0: int, s1: int) -> bool:
    """A run-in heading: a paragraph's first sentence of at most RUN_IN_WORDS words, the paragraph going on after it
    on the same line ("Repeated ultrasounds. If you have ...")."""
    return (len(text[s0:s1].split()) <= RUN_IN_WORDS and not text[text.rfind("\n", 0, s0) + 1:s0].strip()
            and re.match(r"[ \t]+\S", text[s1:]) is not None)


def _bulleted(text: str, s0: int) -> bool:
    """The sentence is a list item: only a bullet stands before it on its line."""
    before = text[text.rfind("\n", 0, s0) + 1:s0].strip(" \t\u00a0")
    return before != "" and all(c in _BULLETS for c in before)


def clause(text: str, start: int, end: int, core: tuple[int, int], max_words: int = 40) -> str:
    """The sentence, or the clause of it around ``core`` when the sentence is longer than ``max_words``.
    The piece always holds ``core`` (the number itself): a clause still too long is cut to the
    ``max_words`` words around it, not to its first words."""
    sentence = " ".join(text[start:end].split())
    if len(sentence.split()) <= max_words:
        return sentence
    cuts = sorted({start, end, *(start + m.end() for m in re.finditer(r"[;,:\u2014\u2013]\s", text[start:end]))})
    lo = max(c for c in cuts if c <= core[0])
    hi = min(c for c in cuts if c >= core[1])
    piece = " ".join(text[lo:hi].split()).rstrip(",;:")
    words = piece.split()
    if len(words) <= max_words:
        return piece
    before = len(text[lo:core[0]].split())       # words before the number
    inside = max(1, len(text[core[0]:core[1]].split()))
    first = max(0, min(before - (max_words - inside) // 2, len(words) - max_words))
    return " ".join(words[first:first + max_words]).rstrip(",;:")


_CLAUSE_CUT = re.compile(r"[,;:()\u2014\u2013]|\s(?:and|or|but|while|whereas|then)\s", re.I)


def near_clause(text: str, start: int, end: int, mention: Mention) -> str:
    """The part of the sentence around the mention, between commas, semicolons, "and", "or", "but"."""
    lo, hi = start, end
    for m in _CLAUSE_CUT.finditer(text, start, end):
        if m.end() <= mention.start:
            lo = m.end()
        elif m.start() >= mention.end:
            hi = m.start()
            break
    return text[lo:hi]


# ------------------------------------------------------------------ suggestions

@dataclass
class Suggestion:
    topic: str
    score: float
    value: Range | str | list | None   # the value the mention would carry on that topic (range topics in its unit)
    status: str | None = None      # the topic's status with that value added
    before: str | None = None      # and its status now
    against: list[str] = field(default_factory=list)   # claim ids the value would disagree with
    others: list[str] = field(default_factory=list)    # the next likely topics
    resolved: str | None = None    # the topic's conflict is already resolved: which side the new value takes
    ranking: Ranking | None = None

    far: bool = False              # the value is far from every value the topic's claims and guidance hold

    @property
    def sure(self) -> bool:
        """The topic leads the next by a clear margin, and the value is of the topic's order: only then may a
        WARNING or GUIDANCE line be raised."""
        return (self.ranking is None or self.ranking.sure) and not self.far

    @property
    def beyond(self) -> str | None:
        """Why the value cannot be a claim's ("370 weeks is outside 0-45 weeks"), or None."""
        return self.value.beyond_bounds() if isinstance(self.value, Range) else None

    @property
    def warning(self) -> str | None:
        if not self.against or not self.sure:
            return None
        return f"would {self.status} with " + ", ".join(self.against) + (f"; {self.resolved}" if self.resolved else "")

    @property
    def hesitation(self) -> str:
        return self.ranking.hesitation() if self.ranking is not None else ""


class Vocabulary:
    """Suggestions for the numbers of a text: the learned ranking (suggest.Library) under the number rules."""

    def __init__(self, project: Project):
        self.project = project
        self.library = Library(project)
        self.claims: dict[str, list[Claim]] = defaultdict(list)
        for claim in project.claims.values():
            self.claims[claim.topic].append(claim)

    def suggest(self, source: str, context: str, mention: Mention, near: str = "", before: str = "",
                lead: str = "") -> Suggestion | None:
        """``context``: the mention's sentence; ``near``: its clause, which weighs more; ``before``: the sentence
        before, which weighs less. A range topic in another unit than the mention's is ruled out, one in its unit
        preferred."""
        unit = mention.value.unit if mention.value else None
        ranking = self.library.rank(context, near, unit, before=before, lead=lead)
        if not ranking.topics:
            return None
        if (before or lead) and ranking.clear:
            alone = self.library.rank(context, near, unit)
            ranking.own = alone.clear and alone.first == ranking.first
        tid = ranking.first
        topic = self.project.topics[tid]
        out = Suggestion(tid, ranking.scores[0], None, others=ranking.topics[1:3], ranking=ranking)
        if topic.kind == "range" and mention.value is not None:
            out.value = mention.value
            if out.beyond is None:  # "370 weeks" is a typo to read in the text, not a side of a conflict
                self._compare(out, topic, source)
        elif topic.kind != "fact":
            out.value = self.library.value(tid, near or context)
        return out

    def _compare(self, out: Suggestion, topic: Topic, source: str):
        existing = [c for c in self.claims.get(topic.id, ())  # the source's own claim too: a text can contradict
                    if c.value is not None]                    # itself; a claim that gives no number compares with none
        out.far = _far(out.value, [c.value for c in existing] + [f.value for f in self.project.guidance.values()
                                                                   if topic.id in f.topics and f.value is not None])
        hypothetical = Claim(source, topic.id, out.value, "", "")
        out.status, _ = classify(topic, existing + [hypothetical])
        out.before = classify(topic, existing)[0] if existing else None
        if out.status == "conflict":
            out.against = [f"{c.id} ({c.value})" for c in sorted(existing, key=lambda c: c.source)
                           if not c.value.overlaps(out.value)]
            res = self.project.resolutions.get(topic.id)
            if res is not None and out.before == "conflict":
                sides = sorted({c.source for c in existing if c.value.overlaps(out.value)})
                side = f"the new value sides with {', '.join(sides)}" if sides else "the new value sides with no source"
                favoured = (f"the resolution supports {', '.join(res.supports)}" if res.supports
                            else "the resolution supports no source")
                agrees = " (the side the resolution supports)" if set(res.supports) & set(sides) else ""
                out.resolved = f"this conflict is already resolved ({res.where}; {favoured}): {side}{agrees}"


FAR = 2.0   # a value more than this factor below or above every known value of its topic is of another order


def _far(value: Range, known: list) -> bool:
    """``value`` lies wholly beyond FAR times the span of the ``known`` values of its topic ("within 2 weeks" on a
    topic whose claims say 26 to 40 weeks): more likely a duration or a count than a side of a conflict. A value
    merely different (27 weeks against 36) is not far."""
    ends = [x for v in known if isinstance(v, Range) for x in (v.min, v.max) if x is not None]
    if not ends or min(ends) <= 0:
        return False
    lo, hi = min(ends) / FAR, max(ends) * FAR
    vmin = value.min if value.min is not None else value.max
    vmax = value.max if value.max is not None else value.min
    return vmin is not None and (vmax < lo or vmin > hi)


# ------------------------------------------------------------------ discovery

@dataclass
class Found:
    source: str
    file: str
    line: int
    col: int
    mention: Mention
    sentence: str
    covered_by: list[str] = field(default_factory=list)
    drafted_by: list[str] = field(default_factory=list)
    dismissed: Dismissal | None = None
    suggestion: Suggestion | None = None

    @property
    def state(self) -> str:
        if self.covered_by:
            return "covered"
        if self.dismissed:
            return "dismissed"
        return "drafted" if self.drafted_by else "uncovered"

    def as_json(self) -> dict:
        m, s = self.mention, self.suggestion
        return {
            "source": self.source, "file": self.file, "line": self.line, "col": self.col,
            "text": m.text, "kind": m.kind, "value": m.value.as_json() if m.value else None,
            "sentence": self.sentence, "state": self.state, "covered_by": self.covered_by,
            "drafted_by": self.drafted_by,
            "dismissed": None if self.dismissed is None else self.dismissed.reason,
            "suggestion": None if s is None else {
                "topic": s.topic, "score": s.score, "value": value_json(s.value),
                "status": s.status, "status_now": s.before, "warning": s.warning, "others": s.others},
        }


@dataclass
class Discovery:
    found: list[Found]
    stale: list[str] = field(default_factory=list)   # problems with data/dismissed.yaml
    notes: list[str] = field(default_factory=list)   # covered, but the claim's value differs from its quote's numbers
    treatments: list[guidance.Treatment] = field(default_factory=list)  # sentences naming a treatment guidance discourages or withdrew
    sentences: list[SentenceSuggestion] = field(default_factory=list)   # a new text's sentences without numbers
    unknown: list[Unknown] = field(default_factory=list)   # a new text's sentences naming what no topic covers

    def count(self, state: str) -> int:
        return sum(f.state == state for f in self.found)

    def summary(self) -> dict:
        total = len(self.found)
        covered, dismissed = self.count("covered"), self.count("dismissed")
        return {"total": total, "covered": covered, "dismissed": dismissed, "drafted": self.count("drafted"),
                "uncovered": self.count("uncovered"),
                "coverage": round(covered / total, 4) if total else 1.0,
                "accounted": round((covered + dismissed) / total, 4) if total else 1.0}

    def problems(self) -> list[str]:
        out = list(self.stale)
        for f in self.found:
            if f.state != "uncovered":
                continue
            hint = f" (likely topic {f.suggestion.topic})" if f.suggestion else ""
            out.append(f"{f.file}:{f.line}:{f.col}: \"{f.mention.text}\" in source {f.source} is not covered by a "
                       f"claim nor dismissed: add a claim{hint} or dismiss it in data/dismissed.yaml with a reason")
        return out


class _Spans:
    """Places in a text (start, end) with what is there; which of them hold a given piece."""

    def __init__(self, items):
        self.items = sorted(items, key=lambda x: x[0])
        self.starts = [span[0] for span, _ in self.items]
        self.longest = max((e - s for (s, e), _ in self.items), default=0)

    def around(self, piece: tuple[int, int]) -> list:
        out, k = [], bisect.bisect_right(self.starts, piece[0]) - 1
        while k >= 0 and self.starts[k] >= piece[1] - self.longest:
            (s, e), what = self.items[k]
            if e >= piece[1]:
                out.append(what)
            k -= 1
        return sorted(out, key=lambda c: c.id)


def _inside(span, spans) -> bool:
    return any(s <= span[0] and span[1] <= e for s, e in spans)


def scan(project: Project, source: str, file: str, text: str, claims: list[Claim], dismissals: list[Dismissal],
         vocabulary: Vocabulary | None, discovery: Discovery, archive_name: str | None = None, sentences: bool = False):
    """Discover one text; add what was found to ``discovery``. ``sentences``: a new text (add-source, discover
    --text): also rank its sentences without numbers, and note what names a thing no topic covers."""
    found = mentions(text)
    layout = Layout(text)
    folded = FoldedText(text)
    name = archive_name or file

    def where(needle: str) -> list[tuple[int, int]]:
        if folded.exact:
            return folded.spans(fold(needle))
        # folding could not be mapped back exactly (rare Unicode): the whole text stands for the place,
        # and a mention is matched by its own folded words instead (below)
        return [(0, len(text))] if fold(needle) in fold(text) else []

    quote_spans = [(c, where(c.quote)[c.occurrence - 1:c.occurrence] if c.occurrence and folded.exact
                    else where(c.quote)) for c in claims]  # a quote that occurs twice names its place
    dismissed_spans = [(d, where(d.text)) for d in dismissals]
    placed = _Spans((span, claim) for claim, spans in quote_spans for span in spans)
    items = []
    for m in found:
        core = (m.core_start, m.core_end)
        line, col = layout.line_col(m.start)
        s0, s1 = layout.sentence(m.core_start)
        item = Found(source, name, line, col, m, clause(text, s0, s1, core))
        if folded.exact:
            covering = placed.around(core)
        else:
            core_text = fold(text[m.core_start:m.core_end])
            covering = [c for c in claims if core_text in fold(c.quote)]
        for claim in covering:
            ids = item.drafted_by if claim.draft else item.covered_by
            if claim.id not in ids:
                ids.append(claim.id)
        if not item.covered_by:
            for d, spans in dismissed_spans:
                if _inside(core, spans) and (folded.exact or fold(text[m.core_start:m.core_end]) in fold(d.text)):
                    item.dismissed = d
                    break
        items.append(item)
    for d, spans in dismissed_spans:
        if not spans:
            discovery.stale.append(f"{d.where}: dismissed text \"{d.text}\" is not in {file}; copy the words as the "
                                   "text has them, or remove the entry")
        elif not any(f.dismissed is d for f in items) and not any(
                _inside((f.mention.core_start, f.mention.core_end), spans) for f in items if folded.exact):
            discovery.stale.append(f"{d.where}: dismissed text \"{d.text}\" holds no number or time that discover "
                                   "finds; remove the entry")
    _value_notes(project, items, quote_spans, discovery)
    _treatments(project, source, name, text, layout, quote_spans, discovery,
                [(a, where(a.text)) for a in project.acknowledged if a.source == source])
    if vocabulary is not None:
        plain = masked(text, found)  # the words without the number and time phrases: what the topic is read from
        leads = lead_ins(text, layout) if sentences else {}
        for item in items:
            if item.state in ("uncovered", "drafted") and item.mention.kind != "date":
                s0, s1 = layout.sentence(item.mention.core_start)
                if sentences and _heading(text, s0, s1):
                    continue  # a number in a page's title or menu ("part 2") is no claim
                b0, b1 = layout.sentence(max(0, s0 - 2)) if s0 > 1 else (0, 0)
                # its own phrase out of its words; another one ("second-trimester losses") may name the topic
                m, blank = item.mention, " " * (item.mention.end - item.mention.start)
                phrase = text[m.start:m.end] if m.value is not None else None
                sentence, near = text[s0:s1], near_clause(text, s0, s1, m)
                if phrase:
                    sentence = sentence[:m.start - s0] + blank + sentence[m.end - s0:]
                    near = near.replace(phrase, blank)
                item.suggestion = vocabulary.suggest(source, sentence, m, near,
                                                     plain[b0:b1] if b1 <= s0 else "", leads.get((s0, s1), ""))
        if sentences:
            _sentences(project, vocabulary, text, plain, layout, items, discovery, leads)
    discovery.found.extend(items)


def _heading(text: str, s0: int, s1: int) -> bool:
    """A title or a menu line: one short line with no closing punctuation, not an item of a list."""
    sentence = text[s0:s1]
    line_start = text.rfind("\n", 0, s0) + 1
    alone = re.match(r"[ \t]*(\n[ \t]*\n|$)", text[s1:]) is not None  # a blank line (or the end) follows
    return ("\n" not in sentence.strip() and len(sentence.split()) <= (14 if alone else 8)
            and not sentence.rstrip().endswith((".", "!", ")", '"')) and not text[line_start:s0].strip(" \t")
            and not sentence.lstrip()[:1] in _BULLETS)


_CLAUSE_SPLIT = re.compile(r"\s*(?:[;()\u2014\u2013]|:\s|,\s+(?=(?:and|but|or|except|while|whereas|because|so|although|"
                           r"though|which|unless)\b)|\s(?:and|but|while|whereas|except|because)\s)\s*", re.I)


def clauses(text: str, s0: int, s1: int) -> list[tuple[int, int]]:
    """The clauses of the sentence text[s0:s1], each with at least MIN_WORDS content words (a shorter piece
    joins the one before it): "X is not common and doctors do not screen for it, except ..." holds two or
    three claims, each of which an editor quotes on its own."""
    out: list[list[int]] = []
    at = s0
    for m in [*_CLAUSE_SPLIT.finditer(text, s0, s1), None]:
        end = m.start() if m else s1
        if end > at:
            if out and (len(words_of(text[at:end])) < MIN_WORDS or len(words_of(text[out[-1][0]:out[-1][1]])) < MIN_WORDS):
                out[-1][1] = end
            else:
                out.append([at, end])
        at = m.end() if m else s1
    return [(a, b) for a, b in out if len(words_of(text[a:b])) >= MIN_WORDS]


def _sentences(project: Project, vocabulary, text: str, plain: str, layout: Layout, items: list[Found], discovery: Discovery,
               leads: dict[tuple[int, int], str]):
    """Each sentence of a new text, and each clause of it: the topics it is closest to (drafted when close enough
    and the topic's kind needs no number), and whether it names a thing the project's data does not know. In a
    sentence with a number, the clauses without one (the number's own clause has its suggestion)."""
    library = vocabulary.library
    numbers = [(f.mention.core_start, f.mention.core_end) for f in items if f.mention.kind != "date"]
    with_numbers = {layout.sentence(a) for a, _ in numbers}
    seen, before = set(), ""

    def piece(p0, p1, context, lead, new, quote, whole=None, part=False):
        ranking = library.rank(plain[p0:p1], numberless=True, before=context, lead=lead)
        if not ranking.topics or (whole is not None and ranking.first == whole):
            return None
        line, col = layout.line_col(p0)
        item = SentenceSuggestion(p0, p1, line, col, quote, ranking)
        topic = project.topics[ranking.first]
        if topic.kind == "range":
            item.why_not = f"{topic.id} needs a number, and this sentence gives none"
        elif ranking.closeness < CLOSE:
            item.why_not = "not close enough to the topic's claims"
        elif new and not ranking.sure:
            item.why_not = "it names something no topic covers"
        elif part and not ranking.sure:
            item.why_not = "a clause or a short sentence the assistant is not sure of"
        else:
            item.value = library.value(topic.id, text[p0:p1])
            item.drafted = topic.kind == "fact" or item.value is not None
            if not item.drafted:
                item.why_not = f"no option of {topic.id} fits: add one, or write the claim by hand"
        discovery.sentences.append(item)
        return item

    for cut in layout.cuts[:-1]:
        s0, s1 = layout.sentence(cut)
        if (s0, s1) in seen or s1 <= s0:
            continue
        seen.add((s0, s1))
        previous, before = before, plain[s0:s1]
        sentence = text[s0:s1]
        line, col = layout.line_col(s0)
        if sentence.rstrip().endswith(("?", ":")) or _heading(text, s0, s1) or _run_in(text, s0, s1):  # what follows says it
            continue
        new = unknown_words(library, sentence)
        if new:
            discovery.unknown.append(Unknown(s0, s1, line, col, clause(text, s0, s1, (s0, min(s1, s0 + 1))), new))
        short = len(words_of(sentence)) < MIN_WORDS   # "Progesterone is a hormone.": ranked, drafted only when sure
        if len(words_of(sentence)) < MIN_WORDS - 1:
            continue
        lead = leads.get((s0, s1), "")
        whole = None
        if (s0, s1) not in with_numbers:
            item = piece(s0, s1, previous, lead, new, clause(text, s0, s1, (s0, min(s1, s0 + 1))), part=short)
            whole = item.topic if item and item.drafted else None  # a closer clause may still draft what it did not
        parts = clauses(text, s0, s1)
        if len(parts) < 2 and (s0, s1) not in with_numbers:
            continue  # the sentence is its one clause
        for c0, c1 in parts:
            if any(c0 <= a < c1 for a, _ in numbers):
                continue
            piece(c0, c1, plain[s0:s1], lead, new, " ".join(text[c0:c1].split()).rstrip(",;:"), whole, part=True)


def _treatments(project: Project, source: str, name: str, text: str, layout: "Layout", quote_spans, discovery: Discovery,
                acknowledged=()):
    """Every place the text names a treatment that a guidance fact marks withdrawn or discouraged (in any word
    order and form: ``guidance.find_terms``), with the claims whose quote holds it (number or no number), or
    the entry of ``acknowledged`` in data/dismissed.yaml whose words hold it (an editor read it: a heading, a link)."""
    used = set()
    for start, end, fact in guidance.find_terms(project, text, guidance.cached_matcher(project)):
        line, col = layout.line_col(start)
        s0, s1 = layout.sentence(start)
        covered = sorted({c.id for c, spans in quote_spans if _inside((start, end), spans)})
        ack = next((a for a, spans in acknowledged if _inside((start, end), spans)), None)
        used.add(id(ack))
        discovery.treatments.append(guidance.Treatment(source, name, line, col, start, end,
                                                       " ".join(text[start:end].split()),
                                                       clause(text, s0, s1, (start, end)), fact, covered, ack))
    for a, spans in acknowledged:
        if not spans:
            discovery.stale.append(f"{a.where}: acknowledged text \"{a.text}\" is not in {name}; copy the words as the "
                                   "text has them, or remove the entry")
        elif id(a) not in used:
            discovery.stale.append(f"{a.where}: acknowledged text \"{a.text}\" holds no note of check (no treatment "
                                   "guidance speaks against); remove the entry")


def _value_notes(project: Project, items: list[Found], quote_spans, discovery: Discovery):
    """A range claim whose quote holds numbers in the topic's unit, none of which matches the claim's value."""
    for claim, spans in quote_spans:
        topic = project.topics.get(claim.topic)
        if not topic or topic.kind != "range" or claim.draft or not spans:
            continue
        values = [f.mention.value for f in items if claim.id in f.covered_by and f.mention.value is not None
                  and f.mention.value.unit == topic.unit]
        if values and claim.value not in values:
            discovery.notes.append(f"{claim.where}: claim {claim.id} has the value {claim.value}, but its quote says "
                                   + ", ".join(f'"{v}"' for v in values))


def discover(project: Project, texts: dict[str, str], suggest: bool = True, only: set[str] | None = None) -> Discovery:
    """Discover every archive text (``texts``: source id -> text as saved)."""
    discovery = Discovery([])
    claims_by_source: dict[str, list[Claim]] = defaultdict(list)
    for claim in list(project.claims.values()) + project.drafts:
        claims_by_source[claim.source].append(claim)
    dismissed_by_source: dict[str, list[Dismissal]] = defaultdict(list)
    for d in project.dismissed:
        dismissed_by_source[d.source].append(d)
    vocabulary = _LazyVocabulary(project) if suggest else None
    for sid, text in texts.items():
        if only and sid not in only:
            continue
        scan(project, sid, project.sources[sid].file, text, claims_by_source[sid], dismissed_by_source[sid],
             vocabulary, discovery)
    return discovery


class _LazyVocabulary:
    """The vocabulary is built the first time a suggestion is needed (most checks need none)."""

    def __init__(self, project: Project):
        self.project, self._v = project, None

    def suggest(self, *args):
        if self._v is None:
            self._v = Vocabulary(self.project)
        return self._v.suggest(*args)


# ------------------------------------------------------------------ text output

def describe(f: Found) -> list[str]:
    """A mention in a few lines: where, what, and what covers it or what to do."""
    m = f.mention
    value = f" = {m.value}" if m.value else ""
    head = f"  {f.line}:{f.col}".ljust(11) + f"{m.kind:<10} \"{m.text}\"{value}"
    if f.state == "covered":
        return [f"{head}  covered by {', '.join(f.covered_by)}"]
    if f.state == "dismissed":
        return [f"{head}  dismissed: {f.dismissed.reason}"]
    lines = [f"{head}  {'DRAFTED in ' + ', '.join(f.drafted_by) if f.drafted_by else 'NOT COVERED'}",
             f"             sentence: \"{f.sentence}\""]
    s = f.suggestion
    if s is None:
        lines.append("             likely topic: none found" + (" (a date: dismiss it unless it matters)"
                                                                if m.kind == "date" else ""))
    else:
        others = f" (then {', '.join(s.others)})" if s.others else ""
        lines.append(f"             likely topic: {s.topic}{others}")
        if s.value is not None:
            change = (f"the topic stays {s.status}" if s.status == s.before else
                      f"the topic would be {s.status}" + (f" (now {s.before})" if s.before else " (it has no claims yet)"))
            lines.append(f"             value: {s.value}; {change}")
        if s.warning:
            lines.append(f"             WARNING: {s.warning}")
    return lines


def render_text(discovery: Discovery, project: Project, labels: dict[str, str] | None = None) -> str:
    out, current = [], None
    for f in discovery.found:
        if f.source != current:
            current = f.source
            label = (labels or {}).get(f.source) or (project.sources[f.source].label if f.source in project.sources else "")
            out.append(f"\n{f.source} {label} ({f.file})".rstrip())
        out.extend(describe(f))
    if discovery.sentences:
        out.append("sentences without numbers, close to a topic:")
        out += [f"  {t.line}:{t.col}".ljust(11) + f"\"{t.text}\"\n             {t.describe()}" for t in discovery.sentences
                if t.why_not != "not close enough to the topic's claims"]
    for t in discovery.treatments:
        out.append(f"guidance: {t.file}:{t.line}:{t.col} \"{t.term}\" {t.message}")
    for u in discovery.unknown:
        out.append(f"new: {u.line}:{u.col} \"{u.text}\" {u.message}")
    for line in discovery.stale:
        out.append(f"stale dismissal: {line}")
    for line in discovery.notes:
        out.append(f"note: {line}")
    s = discovery.summary()
    out.append("")
    out.append(f"mentions: {s['total']}; covered by a claim: {s['covered']} ({100 * s['coverage']:.1f}%); "
               f"dismissed: {s['dismissed']}; in drafts: {s['drafted']}; not covered: {s['uncovered']}")
    return "\n".join(out).lstrip("\n") + "\n"
