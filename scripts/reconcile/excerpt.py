"""The words of a claim's quote that the site shows: the few that carry what the claim says, where it weighs them.

The sources are other people's writing. The site shows a claim's words only as evidence for what it weighs
(``weighed``: a question where the sources differ, or a claim that carries a guidance mark or note), once,
and only a part of them: at most SHOWN_WORDS words, fewer than the run of 8 words website.copied counts as
copying, so that all of a source's claims together do not rebuild its text (tests/test_site_quotes.py
bounds the share of a source's words shown). The part shown is the window of the quote that carries the
claim: the number phrase its value is read from, the words that turn a stance (not, may, only, routinely),
the last word of its question's id (what sets it apart from its family: the "twins" of progesterone.twins),
and the words our summary, the claim's options and its question share with it. "…" marks what is left out.
The whole quote is checked against the archive as before and stays in the local report
(scripts/disagreements.py) and the data. Where the window misses what carries a claim (a cut that changes its
meaning), the editor writes the words to show in the claim's ``shows`` (one or two pieces of its quote, in order,
at most SHOWN_WORDS words together: load.py refuses anything else).
"""
from __future__ import annotations

import re

from .model import Claim, Range, Topic
from .phrases import mentions
from .quotes import fold
from .suggest import STOPWORDS, stem

SHOWN_WORDS = 7  # website.copied.SHINGLE - 1: no run of the source long enough to count as copied
MIN_WORDS = 3    # the small words at a window's edges go, but never below this many words are left
ELLIPSIS = "\u2026"
# Words that turn what a sentence says: a negation, a modal, a limit ("only", "routinely").
TURNS = re.compile(r"(?:not|no|never|none|cannot|without|nor|neither|may|might|can|could|should|must|only|"
                   r"routinely|always|usually|rarely|unless|recommended|recommend|advised|advise)$|.*n['\u2019]t$")
_WORD = re.compile(r"\S+")
WORDS = re.compile(r"[^\W_]+(?:'[^\W_]+)*")  # the words in a piece of text, as website.copied counts them
_EDGE = re.compile(r"^[^\w]+|[^\w]+$")
NUMBER, NUMBER_CORE, OTHER_NUMBER, TURN, TOPIC, SUMMARY, QUESTION = 10, 5, 2, 3, 3, 2, 1  # weights of a word
DIFFER = ("conflict", "omission", "variation")  # the statuses where the sources differ


def _plain(token: str) -> str:
    return _EDGE.sub("", token.casefold())


def _stems(*texts: str) -> set[str]:
    return {stem(w) for t in texts for w in re.findall(r"[a-z]+", t.casefold()) if w not in STOPWORDS}


def weights(quote: str, claim_value: object, says: str, topic: Topic | None) -> tuple[list[tuple[int, int]], list[float]]:
    """Each word of the quote (its place) and how much of the claim it carries."""
    spans = [m.span() for m in _WORD.finditer(quote)]
    weight = [0.0] * len(spans)

    def add(start: int, end: int, w: float) -> None:
        for i, (a, b) in enumerate(spans):
            if a < end and start < b:
                weight[i] += w

    unit = topic.unit if topic is not None and topic.kind == "range" else None
    for m in mentions(quote):
        own = unit is not None and m.kind == unit and (not isinstance(claim_value, Range) or m.value is None
                                                        or m.value.overlaps(claim_value))
        add(m.start, m.end, NUMBER if own else OTHER_NUMBER)
        if own:
            add(m.core_start, m.core_end, NUMBER_CORE)
    options = topic.options if topic is not None else {}
    chosen = [claim_value] if isinstance(claim_value, str) else list(claim_value) if isinstance(claim_value, tuple) else []
    key = _stems(says, *(f"{o.replace('-', ' ')} {options.get(o, '')}" for o in chosen))
    asked = _stems(topic.question) if topic is not None else set()
    named = _stems(topic.id.rsplit(".", 1)[-1].replace("-", " ")) if topic is not None else set()  # its facet
    for i, (a, b) in enumerate(spans):
        word = _plain(quote[a:b])
        if TURNS.match(word):
            weight[i] += TURN
        for part in {stem(w) for w in re.findall(r"[a-z]+", word) if w not in STOPWORDS}:  # "D&C": d, c
            weight[i] += TOPIC * (part in named) + SUMMARY * (part in key) + QUESTION * (part in asked)
    return spans, weight


def weighed(status: str, outdated: bool, claim: dict) -> bool:
    """Whether the site shows any of a claim's words: only as evidence for what it weighs, on a question where
    the sources differ or guidance differs from them, or for a claim's own guidance mark or note. Elsewhere (the
    sources agree, or one says it, and no mark) the site gives it in its own words only."""
    return (status in DIFFER or outdated or bool((claim.get("mark") or {}).get("level"))
            or bool(claim.get("names")) or bool(claim.get("notes")))


def _split(shows: str) -> list[str]:
    """The pieces of an editor's ``shows``, joined there by "…" (or "...")."""
    return [p for p in (" ".join(p.split()) for p in shows.replace("...", ELLIPSIS).split(ELLIPSIS)) if p]


def _pieces(quote: str, shows: str) -> tuple[list[tuple[int, int]], str] | tuple[None, str]:
    """Where each piece of an editor's ``shows`` stands in the folded quote, in order; else None and why."""
    pieces = _split(shows)
    folded, at, places = fold(quote), 0, []
    if not pieces or len(pieces) > 2:
        return None, "give one or two pieces of the quote, joined by …"
    for piece in pieces:
        i = folded.find(fold(piece), at)
        if i < 0:
            return None, f"{piece!r} is not in the quote (after the piece before it)"
        places.append((i, i + len(fold(piece))))
        at = i + len(fold(piece))
    words = sum(len(WORDS.findall(p)) for p in pieces)
    if words > SHOWN_WORDS:
        return None, f"{words} words; a page shows at most {SHOWN_WORDS} of a quote"
    return places, folded


def shows_problem(quote: str, shows: str) -> str | None:
    """Why an editor's ``shows`` cannot be shown for this quote (not pieces of it in order, or too many words)."""
    places, why = _pieces(quote, shows)
    return why if places is None else None


def _chosen(quote: str, shows: str) -> str:
    """An editor's ``shows``, with "…" where the quote goes on before, between and after its pieces."""
    places, folded = _pieces(quote, shows)
    pieces = [p.strip(" ,;:") for p in _split(shows)]
    end = len(folded.rstrip(" .!?;:,"))
    text = f" {ELLIPSIS} ".join(pieces)
    return (ELLIPSIS + " " if places[0][0] > 0 else "") + text + (" " + ELLIPSIS if places[-1][1] < end else "")


def shown(claim: Claim, topic: Topic | None, most: int = SHOWN_WORDS) -> str:
    """The words of ``claim``'s quote a page shows: the whole quote when it has at most ``most`` words, else the
    window of at most ``most`` words that carries the most of the claim (the first such window), without the
    small words that carry nothing at its edges (a window that carries nothing is shown as it is), with "…" where the quote goes on."""
    quote = " ".join(claim.quote.split())
    if claim.shows:  # the editor's choice, checked when the data was read (load.py: shows_problem)
        return _chosen(quote, claim.shows)
    spans, weight = weights(quote, claim.value, claim.says, topic)
    counts = [len(WORDS.findall(quote[a:b])) for a, b in spans]  # "1-2%" is two words, as a reader counts
    if sum(counts) <= most:
        return quote
    best, first, last = -1.0, 0, 0
    for i in range(len(spans)):
        j, n = i, counts[i]
        while j + 1 < len(spans) and n + counts[j + 1] <= most:
            j, n = j + 1, n + counts[j + 1]
        total = sum(weight[i:j + 1])
        if total > best:
            best, first, last = total, i, j
    while best > 0 and last - first >= MIN_WORDS and not weight[last] and _plain(quote[slice(*spans[last])]) in STOPWORDS:
        last -= 1
    while best > 0 and last - first >= MIN_WORDS and not weight[first] and _plain(quote[slice(*spans[first])]) in STOPWORDS:
        first += 1
    text = quote[spans[first][0]:spans[last][1]]
    if last < len(spans) - 1:
        text = text.rstrip(",;:") + " " + ELLIPSIS
    return (ELLIPSIS + " " if first else "") + text
