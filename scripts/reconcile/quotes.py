"""Folding text for comparison, and verifying claims' quotes against the archive.

The archive is never changed: both the archive text and the quote are folded the
same way (Unicode spaces, curly quotes, dashes, bullets, line breaks, case), and
the folded quote must occur in the folded text.
"""
from __future__ import annotations

import datetime
import difflib
import hashlib
import heapq
import marshal
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from . import parallel
from .cache import ParseCache, code_version
from .model import Project, Where
from .yamlfile import InputError, read_limited

_MAP = {}
for ch in "\u00a0\u202f\u2007\u2009\u200a\u2002\u2003\u2004\u2005\u2006\u2008\u205f\u3000\t\r\n\f\v\u2028\u2029":
    _MAP[ord(ch)] = " "
for ch in "\u2018\u2019\u201a\u201b\u2032\u00b4`":
    _MAP[ord(ch)] = "'"
for ch in "\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb":
    _MAP[ord(ch)] = '"'
for ch in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212":
    _MAP[ord(ch)] = "-"
for ch in "\u2022\u25cf\u25aa\u25a0\u2023\u2043\u00b7\u25e6":
    _MAP[ord(ch)] = " "
# Characters that show nothing: format characters (soft hyphen, zero-width and direction marks) and
# control characters other than spaces and line breaks. Folding drops them, so a quote is written without
# them, and numbers are read without them ("3\u00ad4 weeks" is 34 weeks: phrases.mentions).
INVISIBLE_RANGES = [(0x00, 0x08), (0x0e, 0x1f), (0x7f, 0x84), (0x86, 0x9f), (0xad, 0xad), (0x61c, 0x61c), (0x180e, 0x180e),
                    (0x200b, 0x200f), (0x202a, 0x202e), (0x2060, 0x2064), (0x2066, 0x206f), (0xfeff, 0xfeff),
                    (0xfffe, 0xffff)]
for lo, hi in INVISIBLE_RANGES:
    for code in range(lo, hi + 1):
        _MAP[code] = None
INVISIBLE = re.compile("[" + "".join(f"\\u{lo:04x}-\\u{hi:04x}" for lo, hi in INVISIBLE_RANGES) + "]")
PARALLEL_MIN = 200_000_000  # text length x quotes (about 20k claims); below this a second process costs more than it saves
DROPPED = INVISIBLE.pattern[1:-1]  # what folding removes, as a regex character class body
_ASCII_MAP = {k: v for k, v in _MAP.items() if k < 128}


def fold_chars(text: str) -> str:
    """The character step of folding: compatibility forms, spaces, quotes, dashes, bullets, case."""
    if text.isascii():  # the same result, four times faster: NFKC and casefold leave ASCII as lower()
        return text.lower().translate(_ASCII_MAP)
    return unicodedata.normalize("NFKC", text).translate(_MAP).casefold().replace("\u2026", "...")


def fold(text: str) -> str:
    """The comparable form of a text: one space between words, plain quotes and dashes, lower case.

    The same as ``re.sub(" ?- ?", "-", re.sub(r"\\s+", " ", fold_chars(text))).strip()`` (tests/test_engine.py
    checks this on random text), at a third of the cost: split/join and replace instead of regexes.
    """
    out = " ".join(fold_chars(text).split())
    if "-" in out:  # one space at most is left beside a dash, and it goes
        out = out.replace(" - ", "-").replace(" -", "-").replace("- ", "-")
    return out


@dataclass
class Verification:
    """What checking the archive found. ``verified`` is None for every claim when there was no archive."""
    archive: Path | None
    texts: dict[str, str] = field(default_factory=dict)   # source id -> archive text as saved
    verified: dict[str, bool | None] = field(default_factory=dict)  # claim id -> verified
    nearest: dict[str, str] = field(default_factory=dict)  # claim id -> nearest passage, for failures
    places: dict[str, int] = field(default_factory=dict)  # claim id -> places its quote occurs at, when
    # it occurs more than once without ``occurrence``, or fewer times than its ``occurrence``
    how: dict[str, dict] = field(default_factory=dict)  # claim id -> {"how": "archive"|"record", "date"}
    record_problems: list[str] = field(default_factory=list)  # where data/verified.lock and the data disagree

    @property
    def available(self) -> bool:
        return self.archive is not None


def archive_file(archive: Path, name: str, where=None) -> Path:
    """The archive's file ``name``, in code and not only in the data's schema (data/ is untrusted):
    a plain file name whose real path, links followed, is a regular file inside the archive folder.
    ``file: /proc/self/environ``, ``../x.txt`` or a link out of the archive is bad input, never read."""
    where = where or Where(archive, 0)
    path = Path(archive) / name
    if not name or name in (".", "..") or "/" in name or "\\" in name or "\0" in name or Path(name).is_absolute():
        raise InputError(where.path, where.line, f"archive file {name!r} is not a plain file name in the archive folder")
    try:
        real, home = path.resolve(strict=True), Path(archive).resolve(strict=True)
    except (OSError, RuntimeError):
        raise InputError(where.path, where.line, f"archive file {path} not found") from None
    if not real.is_file():
        raise InputError(where.path, where.line, f"archive file {path} is not a regular file")
    if real.parent != home:
        raise InputError(where.path, where.line, f"archive file {path} leads out of the archive folder; "
                                                 "an archive file is a plain file in that folder")
    return real


def read_archive(project: Project, archive: Path) -> dict[str, str]:
    """Read and checksum every source's archive file; a missing or changed file is bad input."""
    texts = {}
    for source in project.sources.values():
        path = archive_file(archive, source.file, source.where)
        raw = read_limited(path, what="archive file")
        digest = hashlib.sha256(raw).hexdigest()
        if digest != source.sha256:
            raise InputError(source.where.path, source.where.line,
                             f"source {source.id}: {path.name} has sha256 {digest}, not the recorded {source.sha256}; "
                             "the archive changed: re-read the text and update the claims and the sha256")
        try:
            texts[source.id] = raw.decode("utf-8")
        except UnicodeDecodeError:
            raise InputError(path, 0, "the archive file is not UTF-8 text") from None
    return texts


WINDOW_WORDS = 60      # a sentence longer than this is looked at in windows of this many words (half overlapping)
NEAREST_CANDIDATES = 24  # the pieces sharing the most words with a quote that are compared with it closely


@lru_cache(maxsize=16)
def _pieces(text: str) -> tuple[list[str], list[str], list[frozenset]]:
    """The sentence-sized pieces of ``text`` (a sentence longer than WINDOW_WORDS words cut into
    half-overlapping windows), each folded, and each folded piece's set of words; made once a text."""
    pieces = []
    for part in re.split(r"(?<=[.!?:])\s+|\n+", text):
        words = part.split()
        if len(words) <= WINDOW_WORDS:
            if words:
                pieces.append(" ".join(words))
            continue
        step = WINDOW_WORDS // 2
        for at in range(0, len(words) - step, step):
            pieces.append(" ".join(words[at:at + WINDOW_WORDS]))
    folded = [fold(p) for p in pieces]
    return pieces, folded, [frozenset(f.split()) for f in folded]


def nearest_passage(text: str, quote: str) -> str:
    """The sentence-sized piece of ``text`` most like ``quote``, to show the editor what is there.

    Bounded whatever the text: a piece is at most WINDOW_WORDS words (a text without sentence
    breaks is cut into windows), and only the NEAREST_CANDIDATES pieces sharing the most words with
    the quote are compared character by character; the rest costs one set intersection a piece."""
    pieces, folded, word_sets = _pieces(text)
    if not pieces:
        return ""
    folded_quote = fold(quote)
    order = range(len(pieces))
    if len(pieces) > NEAREST_CANDIDATES:
        quote_words = frozenset(folded_quote.split())
        shared = [len(quote_words & words) for words in word_sets]
        order = heapq.nlargest(NEAREST_CANDIDATES, order, key=lambda i: (shared[i], -i))  # most shared first
    matcher = difflib.SequenceMatcher(autojunk=False)
    matcher.set_seq2(folded_quote)
    best, best_at, score = pieces[0], 0, -1.0
    for i in order:
        matcher.set_seq1(folded[i])
        if matcher.real_quick_ratio() < score or matcher.quick_ratio() < score:
            continue
        ratio = matcher.ratio()
        if ratio > score or (ratio == score and i < best_at):  # the first in the text on a tie
            best, best_at, score = pieces[i], i, ratio
    return best


def verify(project: Project, archive: Path | None, cache: Path | None = None) -> Verification:
    """Check every claim's quote (drafts too) against its source's archive text.

    A quote must occur once in its source, or name the place it means (``occurrence: K``): discovery
    credits the numbers inside a quote's place to its claim, so an unplaced quote would credit all.
    ``cache``: a folder keeping each source's counts under the sha256 of its text and its quotes."""
    if archive is None:
        result = Verification(None)
        result.verified = {c.id: None for c in project.claims.values()}
        return result
    result = Verification(archive, read_archive(project, archive))
    today = datetime.date.today().isoformat()
    by_source: dict[str, list] = {}
    for claim in list(project.claims.values()) + project.drafts:
        by_source.setdefault(claim.source, []).append(claim)
    counts = _all_counts(project, result.texts, by_source, ParseCache(cache))
    archived = {"how": "archive", "date": today}  # one value for all: 100k claims share it
    for sid, claims in by_source.items():
        for claim in claims:
            count = counts[sid][claim.quote]
            ok = count > 0
            if ok and (count > 1 or claim.occurrence) and (claim.occurrence is None or claim.occurrence > count):
                result.places[claim.id] = count
                ok = claim.occurrence is None  # a named place that is not there does not verify
            if not claim.draft:
                result.verified[claim.id] = ok
                if ok:
                    result.how[claim.id] = archived
            if not ok and claim.id not in result.places:
                result.nearest[claim.id] = nearest_passage(result.texts[claim.source], claim.quote)
    return result


def _all_counts(project: Project, texts: dict[str, str], by_source: dict[str, list], store: ParseCache) -> dict:
    """Source id -> {quote: how many places it occurs at (0: not found)}, from the cache where it
    knows (keyed by the sha256 of the text and of the quotes), else counted, in two processes when
    that helps (reconcile/parallel.py)."""
    out, todo = {}, []
    for sid, claims in by_source.items():
        quotes = sorted({c.quote for c in claims})
        key = hashlib.sha256(code_version("quotes") + "\x00".join(["verify 2", project.sources[sid].sha256, *quotes])
                             .encode("utf-8")).hexdigest()
        counts = store.get_payload(key)
        if isinstance(counts, dict) and set(counts) == set(quotes):
            out[sid] = counts
        else:
            todo.append((sid, key, quotes))

    def count(job):
        return _counts(texts[job[0]], job[2])
    found = parallel.map_halves(count, count, todo, [len(texts[sid]) * len(quotes) for sid, _, quotes in todo],
                                PARALLEL_MIN)
    for (sid, key, _), counts in zip(todo, found):
        store.put_payload(key, marshal.dumps(counts))
        out[sid] = counts
    store.prune()
    return out


def _counts(text: str, quotes: list[str]) -> dict[str, int]:
    folded, counts = fold(text), {}
    for quote in quotes:
        needle = fold(quote)
        first = folded.find(needle)
        counts[quote] = 0 if first < 0 else _count(folded, needle, first)
    return counts


def _count(text: str, quote: str, first: int) -> int:
    """How many places ``quote`` occurs at in ``text`` (overlapping ones too, as discovery finds them)."""
    count, at = 0, first
    while at >= 0:
        count += 1
        at = text.find(quote, at + 1)
    return count
