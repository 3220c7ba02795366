"""Plain data: what the YAML files describe, after validation."""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

STATUSES = ("conflict", "omission", "variation", "single-source", "agree")
# A caveat's values: the source states it; it speaks only of another group than the one the caveat is about and
# says nothing of that one ("if you're carrying only one baby": neither a caution about twins nor one left out;
# reviews 96 to 105 read 003's words both ways); it covers the treatment and leaves the caveat out.
CAVEAT_VALUES = ("stated", "limited", "omitted")
RULES = {"range": "overlap", "stance": "equal", "choice": "equal", "caveat": "caveat", "set": "union", "fact": "none"}


@dataclass(frozen=True)
class Where:
    """A place in a data file, for error messages."""
    path: Path
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass
class Source:
    id: str
    file: str
    sha256: str
    title: str | None
    label: str
    names: str
    date: dict | None
    kind: str
    appraisal: dict
    where: Where
    draft: bool = False
    url: str | None = None          # the page's address
    saved: str | None = None        # the date the archived copy was saved (YYYY-MM-DD)
    history: list[dict] = field(default_factory=list)  # earlier copies: {file, sha256, saved}, oldest first
    publisher: str | None = None    # as the text shows it, word for word


@dataclass
class Topic:
    id: str
    question: str
    page: str
    kind: str
    rule: str
    unit: str | None = None
    options: dict[str, str] = field(default_factory=dict)
    caveat: str | None = None
    where: Where | None = None
    role: str | None = None  # "definition": a what-is question, not advice (a treatment named there is no advice to mark)
    compatible: bool = False  # set topics: options that can all be true at once (different lists still agree)
    ask: str | None = None  # the question in a patient's own words, about themselves (the questions to ask a doctor)
    # stance topics: options that give one answer, put more or less strongly ("never done", "not recommended"):
    # sources choosing different ones of a group differ a little, they do not disagree
    same_answer: tuple[frozenset, ...] = ()


@dataclass(frozen=True)
class Range:
    min: float | None
    max: float | None
    unit: str
    of: str | None = field(default=None, compare=False)  # a guidance range for one kind only ("a planned stitch")
    about: bool = field(default=False, compare=False)  # a guidance range its fact gives as "about" (11 to 14 weeks)

    def bounds(self) -> tuple[float, float]:
        lo = float("-inf") if self.min is None else self.min
        hi = float("inf") if self.max is None else self.max
        return lo, hi

    def overlaps(self, other: "Range") -> bool:
        (a0, a1), (b0, b1) = self.bounds(), other.bounds()
        return a0 <= b1 and b0 <= a1

    def as_json(self) -> dict:
        return {"min": self.min, "max": self.max, "unit": self.unit}

    def beyond_bounds(self) -> str | None:
        """Why no claim can carry this value ("370 weeks is outside 0-45 weeks"), or None: ``UNIT_BOUNDS``."""
        return out_of_bounds(self.min, self.max, self.unit)

    def __str__(self) -> str:
        def num(x):
            return f"{x:g}"
        unit = {"percent": "%"}.get(self.unit, f" {self.unit}")
        if self.min is None and self.max is None:
            return "not specified"
        if self.min is None:
            return f"up to {num(self.max)}{unit}"
        if self.max is None:
            return f"from {num(self.min)}{unit}"
        if self.min == self.max:
            return f"{num(self.min)}{unit}"
        return f"{num(self.min)}-{num(self.max)}{unit}"


# What a number in each unit may be (data/README.md, "Bounds"): outside them it is a typo.
UNIT_BOUNDS = {"weeks": (0, 45), "percent": (0, 100), "mm": (0, 100), "pounds": (0, 1000), "count": (0, 100)}


def out_of_bounds(lo, hi, unit: str) -> str | None:
    floor, ceiling = UNIT_BOUNDS.get(unit, (0, math.inf))
    for bound in (lo, hi):
        if bound is not None and not floor <= bound <= ceiling:
            return f"{bound:g} {unit} is outside {floor}-{ceiling} {unit}"
    return None


@dataclass
class Claim:
    source: str
    topic: str
    value: object  # Range | str | tuple[str, ...] | None, by the topic's kind
    says: str
    quote: str
    note: str | None = None
    implied: bool = False
    unused: str | None = None
    draft: bool = False
    where: Where | None = None
    occurrence: int | None = None  # which place of its source the quote means, when it occurs more than once
    shows: str | None = None  # the editor's choice of the quote's words a page shows (excerpt.py), else None

    @cached_property  # asked for millions of times at 100k claims; source and topic never change
    def id(self) -> str:
        return f"{self.source}.{self.topic}"


@dataclass
class Citation:
    key: str
    text: str


@dataclass
class GuidanceFact:
    id: str
    row: str
    says: str
    cite: list[str]
    secondary: bool = False
    where: Where | None = None
    topics: list[str] = field(default_factory=list)  # the topics the fact speaks to
    value: Range | None = None      # the range it states, if it states one
    status: str | None = None       # withdrawn | discouraged: what it says of a treatment
    terms: list[str] = field(default_factory=list)  # words naming that treatment in a text
    name: str | None = None         # with a status: the treatment in plain words, for the mark beside a claim
    covers: dict | None = None      # with a status: {terms, unless}: the general name this form is one kind of
    checked: str | None = None      # the day it was confirmed against its document, as the reference states it
    # the questions it leaves open ("how it happens is not well known"): topic -> {says: what it says there, in
    # plain words ("names no main cause"), answer: the option that says the same, if the topic has one}
    open: dict[str, dict] = field(default_factory=dict)
    # the items it lists, by topic: None where it lists the item plainly, else the qualifier it attaches, in plain
    # words ("but says the data do not all agree"); every claim on such a topic is marked by guidance.listed_mark
    lists: dict[str, str | None] = field(default_factory=dict)
    # with a status: what happened to the treatment and why, in plain words, shown after a claim that names it
    # where that is a note and not a mark ("These were taken off the US market in 2023. A later study ...")
    note: str | None = None
    # a few plain words naming what it speaks to ("emergency stitch"): shown after a key that one citation gives
    # for two of its facts, each a link to its own fact ("RCOG GTG 75 (planned stitch; emergency stitch)")
    label: str | None = None
    # an item it names only in general terms ("collagen and elastin deficiencies"), by topic: the words a claim's
    # quote must use to be weighed against it; a claim using none is not compared (guidance.listed_mark)
    list_words: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @property
    def cited_keys(self) -> list[str]:
        """Its keys as pages and exports cite them: "(secondary)" after each key of a row the reference confirms
        only through pages that report it."""
        return [key + (" (secondary)" if self.secondary else "") for key in self.cite]


@dataclass
class Resolution:
    topic: str
    summary: str
    short: str
    # source id -> {"level": "matches" | "partly", "guidance": [fact ids the mark rests on]}, and for
    # partly, "part": which part of the claim matches (plain words), when the editor names it
    supports: dict[str, dict]
    guidance: list[str]
    reviewed: str
    guidance_silent: bool = False
    trust: str | None = None
    outdated: bool = False
    where: Where | None = None
    weighed: dict[str, str] | None = None  # source id -> fingerprint of the claim the editor weighed; None: never recorded
    trusted: list[str] = field(default_factory=list)  # guidance silent: the sources an editor weighs more
    next_review: str | None = None
    differs: dict[str, list[str]] = field(default_factory=dict)  # source -> the guidance facts that contradict its claim
    uncompared: dict[str, str] = field(default_factory=dict)  # source -> why its answer cannot be weighed against guidance
    beyond: dict[str, str] = field(default_factory=dict)  # on a listed topic: source -> what its claim says beyond the list
    # guidance speaks to the question but answers only part of it, in plain words: what it leaves unanswered ("the
    # guidance we use gives no week for a stitch for a short cervix"); the map then says "only in part", not "settles"
    in_part: str | None = None


@dataclass
class Dismissal:
    source: str
    text: str
    reason: str
    where: Where | None = None


@dataclass
class Project:
    data_dir: Path
    sources: dict[str, Source]
    topics: dict[str, Topic]
    claims: dict[str, Claim]
    resolutions: dict[str, Resolution]
    citations: dict[str, Citation]
    guidance: dict[str, GuidanceFact]
    dismissed: list[Dismissal] = field(default_factory=list)
    acknowledged: list[Dismissal] = field(default_factory=list)  # notes read and kept as they are (dismissed.yaml)
    drafts: list[Claim] = field(default_factory=list)


@dataclass
class Finding:
    """What the comparison found for one topic."""
    topic: Topic
    status: str
    claims: list[Claim]
    pairs: list[tuple[str, str]]  # claim ids that are apart (conflict) or stated/omitted (omission)
    resolution: Resolution | None
    basis: str | None = None  # an "agree" that is not word for word: "compatible" or "about the same" (compare.py)

    @property
    def resolved(self) -> bool:
        return self.status not in ("conflict", "omission") or self.resolution is not None

    @property
    def outdated(self) -> bool:
        return bool(self.resolution and self.resolution.outdated)


# The value of a claim, as the report and the review records write it (here, below the report and the
# review, so that neither imports the other).
def value_json(value):
    if isinstance(value, Range):
        return value.as_json()
    if isinstance(value, tuple):
        return list(value)
    return value


def value_label(claim: Claim, project: Project) -> str:
    """The value in a few words, for tables."""
    topic = project.topics[claim.topic]
    value = claim.value
    if isinstance(value, Range):
        return str(value)
    if isinstance(value, tuple):
        return ", ".join(topic.options[v] for v in value)
    if topic.kind == "caveat":
        return {"stated": "states", "limited": "limits it to another group, silent on"}.get(value, "leaves out") + \
            f": {topic.caveat}"
    if value is None:
        return ("no week given" if topic.unit == "weeks" else "no number given") if topic.kind == "range" else "says so"
    return topic.options.get(value, value)
