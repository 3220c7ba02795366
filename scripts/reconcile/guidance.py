"""Guidance in the loop: where a claim, or a sentence of a source, meets a guidance fact.

A guidance fact (data/guidance.yaml) may say more than its words, where its row of the reference
says so: the topics it speaks to (``topic``), a range (``value``: "removed at 36 to 37 weeks"),
that a treatment was withdrawn or is discouraged (``status``), and the words that name that
treatment in a text (``terms``). From these:

- a claim whose value lies outside a fact's range (no overlap: removal at 38 weeks, guidance 36-37);
- a claim joining a topic a fact marks withdrawn or discouraged (weekly injections, bed rest);
- a sentence of a source naming such a treatment, with or without a number (found by discovery);
- a claim on a ``fact`` topic, which the engine never compares: "compare by hand".

``check`` makes the first two a problem for a claim that no resolution of its topic has weighed
(the editor has not seen it next to guidance yet) and a note once one has; the existing, resolved
data passes. The last two are notes: discovery lists the sentences, add-source drafts them.
"""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from .compare import STEP
from .model import Claim, GuidanceFact, Project, Range, value_json
from .phrases import mentions
from .suggest import stem


def facts_on(project: Project, topic: str) -> list[GuidanceFact]:
    return [f for f in project.guidance.values() if topic in f.topics]


def speaks_to(project: Project, gid: str, topic: str) -> bool:
    """Whether guidance fact ``gid`` speaks to the question ``topic`` (it names it under ``topic:``): the only
    facts a mark on that question ("matches", "differs") or "guidance settles it" may rest on."""
    fact = project.guidance.get(gid)
    return fact is not None and topic in fact.topics


def settles(project: Project, res) -> bool:
    """Whether current guidance settles a resolution's question: it is not guidance_silent and cites a fact that
    speaks to that very question (a fact cited only for a treatment its claims name does not settle it)."""
    return res is not None and not res.guidance_silent and any(speaks_to(project, g, res.topic) for g in res.guidance)


def notes_for(project: Project, topic: str, value=None) -> list[str]:
    """What guidance says to a (new or changed) claim on ``topic`` with ``value``."""
    out = []
    for fact in facts_on(project, topic):
        if fact.value is not None and isinstance(value, Range) and value.unit == fact.value.unit \
                and not value.overlaps(fact.value):
            out.append(f"{value} is outside what {fact.id} says ({fact.value})")
        if fact.status:
            out.append(f"{fact.id} marks this treatment {fact.status}")
    t = project.topics.get(topic)
    if t is not None and t.kind == "fact":
        others = sorted({c.source for c in project.claims.values() if c.topic == topic})
        out.append("a fact topic is not compared by the engine: compare by hand with "
                   + (", ".join(f"{s}.{topic}" for s in others) if others else "guidance (no other source says it yet)"))
    return out


def claim_meets(project: Project, claim: Claim) -> list[str]:
    """The guidance facts a claim runs into (outside a range, or on a withdrawn/discouraged topic)."""
    return [n for n in notes_for(project, claim.topic, claim.value) if "compare by hand" not in n]


def check_facts(project: Project) -> list[str]:
    """A fact that names a topic that does not exist is a mistake in guidance.yaml."""
    out = []
    for fact in project.guidance.values():
        for t in fact.topics:
            topic = project.topics.get(t)
            if topic is None:
                out.append(f"{fact.where}: {fact.id} names topic {t!r}, which is not in data/topics")
        for t in fact.lists:
            if t not in fact.topics:
                out.append(f"{fact.where}: {fact.id} lists {t!r}, but does not speak to it (add it under topic:)")
        for t, opened in fact.open.items():
            if t not in fact.topics:
                out.append(f"{fact.where}: {fact.id} leaves {t!r} open, but does not speak to it (add it under topic:)")
            elif "answer" in opened and (topic := project.topics.get(t)) is not None \
                    and opened["answer"] not in (topic.options or {}):
                out.append(f"{fact.where}: {fact.id}: the answer {opened['answer']!r} it gives {t} is not one of "
                           f"that topic's options")
        if fact.value is not None and not any((t := project.topics.get(tid)) is not None and t.kind == "range"
                                              and t.unit == fact.value.unit for tid in fact.topics):
            out.append(f"{fact.where}: {fact.id} gives a value in {fact.value.unit}, but none of its topics "
                       f"({', '.join(fact.topics)}) is a range in {fact.value.unit}")
    return out


# ------------------------------------------------------------------ treatments named in a text

@dataclass
class Treatment:
    """A sentence of a source that names a treatment guidance discourages or withdrew."""
    source: str
    file: str
    line: int
    col: int
    start: int
    end: int
    term: str            # as the text writes it
    sentence: str
    fact: GuidanceFact
    covered_by: list[str] = field(default_factory=list)   # claims whose quote holds it
    acknowledged: object = None   # the entry of data/dismissed.yaml (acknowledged:) whose words hold it

    @property
    def message(self) -> str:
        seen = f"quoted by {', '.join(self.covered_by)}" if self.covered_by else \
            f"{self.acknowledged.where}: {self.acknowledged.reason}" if self.acknowledged else \
            (f"no claim quotes it: add one on {' or '.join(self.fact.topics)}, or acknowledge it with a reason "
             "in data/dismissed.yaml (acknowledged:)")
        return f"names a treatment that {self.fact.id} marks {self.fact.status} ({seen})"

    def as_json(self) -> dict:
        return {"source": self.source, "file": self.file, "line": self.line, "col": self.col, "term": self.term,
                "sentence": self.sentence, "guidance": self.fact.id, "status": self.fact.status,
                "topics": self.fact.topics, "covered_by": self.covered_by,
                "acknowledged": self.acknowledged.reason if self.acknowledged else None}


_TERM_WORD = re.compile(r"[^\W_]+")
_STOP_IN_TERMS = {"a", "an", "the", "of", "by", "from", "your", "any", "to", "on", "with", "in", "for", "or", "and", "are", "is"}
_SENTENCE_END = re.compile(r"[.!?;:\n]")


def _term_words(term: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in _TERM_WORD.findall(term.casefold()) if w not in _STOP_IN_TERMS)


# A word that says "not" (any negation) stands for the term word "no": "not to have sex" is "no sex".
_NEGATIONS = {"not", "never", "don", "doesn", "didn", "shouldn", "mustn", "cannot", "no"}
NO = stem("no")

# Restriction as a class of plain English, not of any page: every word or phrase that says "do less of it" or "do
# without it" is one word, RESTRICT, in a text and in the guidance terms alike. A fact whose terms pair such a word
# with what it restricts ("avoid sex", "limit activity") is then named by any of them with any of its objects
# ("refrain from exercise", "cut back on activities", "stay away from intercourse"); the objects come from the
# data's terms only. A phrase that restricts with no object ("take it easy", "stay off your feet") says "limit
# activity": it stands for RESTRICT and the data's word "activity", so it names a fact only where the data pairs a
# restriction with activity.
RESTRICT = "\x00restrict"   # no word of a text
RESTRICTING = {stem(w) for w in """no avoid limit restrict reduce decrease lessen minimise minimize curtail refrain abstain
    abstinence stop forgo forego skip prohibit forbid discourage""".split()} | {NO}
_RESTRICTING_PHRASES = [tuple(stem(w) for w in p.split()) for p in (
    "cut back", "cut down", "stay off", "keep off", "stay away", "keep away", "steer clear", "hold off", "give up",
    "ease off", "ease up", "back off", "stay out", "keep out")]
_RESTING_PHRASES = [tuple(stem(w) for w in p.split()) for p in (
    "take it easy", "taking it easy", "off your feet", "off her feet", "feet up", "slow down", "slowing down")]
ACTIVITY = stem("activity")
# A word made from an object of the terms by a suffix Snowball keeps ("sexual", "sexually" from "sex") is that object.
_DERIVED = ("ual", "al", "iv")


def _term_word(w: str) -> str:
    return RESTRICT if w in RESTRICTING else w


def _text_words(text: str) -> list[tuple[int, int, str]]:
    """The words of ``text`` as (start, end, stem), negations and restriction words as RESTRICT, a restricting
    phrase as RESTRICT (then blanks), a resting phrase as RESTRICT and ACTIVITY (then blanks)."""
    words = [(m.start(), m.end(), RESTRICT if m.group().casefold() in _NEGATIONS else _term_word(stem(m.group().casefold())))
             for m in _TERM_WORD.finditer(text)]
    stems = [w for _, _, w in words]
    for phrases, head in ((_RESTING_PHRASES, (RESTRICT, ACTIVITY)), (_RESTRICTING_PHRASES, (RESTRICT,))):
        for phrase in phrases:
            n = len(phrase)
            for i in range(len(stems) - n + 1):
                if tuple(stems[i:i + n]) == phrase:
                    for k, w in enumerate(head + ("",) * (n - len(head))):
                        stems[i + k] = w
    return [(a, b, w) for (a, b, _), w in zip(words, stems)]


def pairings(terms: list[tuple[str, ...]]) -> set[tuple[str, str]]:
    """The two-word terms a fact's two-word terms imply. Its terms pair a restriction with what it restricts ("avoid
    sex", "no lifting", "heavy lifting", "limit activity"): two words of one side never pair with each other, so
    the pairs form a two-sided graph. Within each connected part every word of one side goes with every word of
    the other ("avoid exercise" and "no sex" give "no exercise"); a part that is not two-sided adds nothing.
    Nothing is typed per treatment: the pairs come from the guidance data's own terms."""
    edges = defaultdict(set)
    for t in terms:
        if len(t) == 2 and t[0] != t[1]:
            edges[t[0]].add(t[1])
            edges[t[1]].add(t[0])
    side: dict[str, int] = {}
    out = set()
    for start in edges:
        if start in side:
            continue
        side[start], todo, part, ok = 0, [start], [start], True
        while todo:
            w = todo.pop()
            for v in edges[w]:
                if v not in side:
                    side[v] = 1 - side[w]
                    todo.append(v)
                    part.append(v)
                elif side[v] == side[w]:
                    ok = False
        if ok:
            firsts = {t[0] for t in terms if len(t) == 2 and t[0] in part}
            for a in part:
                for b in part:
                    if side[a] != side[b] and a in firsts:
                        out.add((a, b))   # the word order of the terms it comes from ("no" before "sex")
    return out


def term_matcher(project: Project):
    """Every term of every fact with a status, as its stemmed words: {words: fact}, longest first (None, {} when none);
    with the pairings its two-word terms imply (``pairings``)."""
    terms: dict[tuple[str, ...], GuidanceFact] = {}
    for fact in project.guidance.values():
        if fact.status:
            own = [tuple(_term_word(x) for x in w) for w in (_term_words(term) for term in fact.terms) if w]
            for words in own:
                terms.setdefault(words, fact)
            for words in sorted(pairings(own)):
                terms.setdefault(words, fact)
    if not terms:
        return None, {}
    return sorted(terms, key=lambda t: (-len(t), t)), terms


def find_terms(project: Project, text: str, matcher=None) -> list[tuple[int, int, GuidanceFact]]:
    """Where ``text`` names a treatment a guidance fact marks withdrawn or discouraged: a term's words in any order
    and any grammatical form ("injections of progesterone", "progesterone given by injection", "activity limits"),
    all within a few words of each other in one sentence; any word or phrase of restriction (RESTRICTING) for the
    terms' own ("refrain from exercise", "take it easy"). The longest term wins where two overlap."""
    ordered, facts = matcher or term_matcher(project)
    if not ordered:
        return []
    words = _text_words(text)
    objects = {w for term in ordered for w in term}
    for i, (a, b, w) in enumerate(words):
        if w not in objects and len(w) > 4:
            base = next((o for o in objects if len(o) >= 3 and w.startswith(o) and w[len(o):] in _DERIVED), None)
            if base:
                words[i] = (a, b, base)
    where: dict[str, list[int]] = {}
    for i, (_, _, w) in enumerate(words):
        where.setdefault(w, []).append(i)
    found, taken = [], set()
    for term in ordered:
        window = len(term) + 3
        for i in where.get(term[0], ()):
            lo, hi = max(0, i - window + 1), min(len(words), i + window)
            near = {}
            for j in range(lo, hi):
                near.setdefault(words[j][2], []).append(j)
            if not all(w in near for w in term):
                continue
            picks = [i] + [min(near[w], key=lambda j: abs(j - i)) for w in term[1:]]
            a, b = min(picks), max(picks)
            if b - a >= window or _SENTENCE_END.search(text, words[a][0], words[b][1]) or taken & set(range(a, b + 1)):
                continue
            taken |= set(range(a, b + 1))
            found.append((words[a][0], words[b][1], facts[term]))
    return sorted(found, key=lambda x: x[0])


def names_in(project: Project, *texts: str) -> list[dict]:
    """The withdrawn or discouraged treatments the texts name (``find_terms``), one entry a fact: its ``name``
    in plain words (else the words of the first text that names it)."""
    matcher = cached_matcher(project)
    found: dict[str, str] = {}
    for text in texts:
        for start, end, fact in find_terms(project, text or "", matcher):
            found.setdefault(fact.id, fact.name or " ".join(text[start:end].split()))
    return [{"guidance": gid, "status": project.guidance[gid].status, "term": term} for gid, term in found.items()]


def _stems(text: str) -> set[str]:
    return {stem(m.group().casefold()) for m in _TERM_WORD.finditer(text or "")}


def includes_in(project: Project, claim: Claim) -> list[dict]:
    """The withdrawn or discouraged forms a claim takes in by a general name: a fact's ``covers`` terms
    ("progesterone") in the claim's words, where the same source has its own claim on the fact's topic (it
    describes that form: "weekly shots"), the claim is not on that topic itself and names none of the other
    forms (``unless``: "vaginal"). Each entry is a name (``names_in``) with ``part``: the claim's treatment
    includes the form, it is not only that form."""
    out = []
    text = _stems(f"{claim.says} {claim.quote}")
    for fact in project.guidance.values():
        cover = fact.covers
        if not (fact.status and cover) or claim.topic in fact.topics:
            continue
        general = [t for t in cover["terms"] if set(_term_words(t)) <= text]
        if not general or any(set(_term_words(t)) <= text for t in cover.get("unless", ())):
            continue
        if any(c.source == claim.source and c.topic in fact.topics for c in project.claims.values()):
            out.append({"guidance": fact.id, "status": fact.status, "term": fact.name or fact.terms[0],
                        "part": True, "general": general[0]})
    return out


_MATCHERS: dict[int, tuple] = {}


def cached_matcher(project: Project):
    """term_matcher, built once for a project's guidance (kept with the guidance it was built from)."""
    key = id(project.guidance)
    if key not in _MATCHERS or _MATCHERS[key][0] is not project.guidance:
        _MATCHERS[key] = (project.guidance, term_matcher(project))
    return _MATCHERS[key][1]


# ------------------------------------------------------------------ marks the data gives by itself

# What a range's words must name for it to be weighed against a guidance range, by unit ("its words give no week").
UNIT_WORDS = {"weeks": "week", "percent": "number", "mm": "length", "pounds": "weight", "count": "number"}
LEVELS = ("matches", "partly", "differs")


# The readings that widen a stated number by a unit step on each side ("about 36 weeks" is read as 35 to 37, to be
# compared with other sources): weighed against guidance, the number the words state is what counts.
WIDENING = {"around", "around-nth"}


def stated(claim: Claim) -> Range | None:
    """The value a claim's words state before the site widens it: "about 36 weeks" states 36 (read as 35 to 37);
    None where no widening reading gave the claim's value."""
    value = claim.value
    if not isinstance(value, Range) or value.min is None or value.max is None:
        return None
    step = STEP.get(value.unit or "", 0.0)
    for m in mentions(claim.quote):
        if m.rule in WIDENING and m.value is not None and m.value.bounds() == value.bounds():
            return Range(value.min + step, value.max - step, value.unit)
    return None


def within(claim: Claim, fact: Range) -> bool:
    """Whether a claim's range says what a guidance range says: inside it, or, for a value the site widened
    ("about 36 weeks", read as 35 to 37 to compare sources), the week the words state is inside it (review 17 M1:
    the widening is the site's reading, not the source's answer, and never turns a stated 36 against 36 to 37)."""
    (lo, hi), (flo, fhi) = claim.value.bounds(), fact.bounds()
    said = stated(claim)
    return (flo <= lo and hi <= fhi) or (said is not None and flo <= said.bounds()[0] and said.bounds()[1] <= fhi)


def range_level(claim: Claim, fact: Range) -> str:
    """One rule for every claim's range weighed against a guidance range: within it (see ``within``) matches,
    overlapping (touching counts) partly, apart differs."""
    return "matches" if within(claim, fact) else "partly" if claim.value.overlaps(fact) else "differs"


def states_value(claim: Claim, unit: str) -> bool:
    """Whether the claim's own words give its range ("about 36 weeks", "the last month of pregnancy"); words that give
    none ("when the baby should be born") carry no value, and are never weighed as if they did."""
    return claim.value is not None and any(m.kind == unit for m in mentions(claim.quote))


def derived_mark(project: Project, res, claim: Claim) -> dict | None:
    """The guidance mark the data gives a claim its resolution does not mark by name, on a question guidance
    settles (the same rule for every source, a sixth as much as the first):

    - ``uncompared`` with the editor's plain reason (the resolution's ``uncompared:``): the answer cannot be weighed
      against the guidance ("it does not say who counts as very high risk");
    - on a question a fact leaves open (its ``open:``), ``matches`` for the answer that says the same ("not known"),
      else ``open``: guidance names no answer, so it does not back this one; it contradicts none;
    - a range, where a fact states one in its unit: ``range_level`` when the claim's words give it, else
      ``uncompared`` ("its words give no week").

    None where guidance is silent, the question is outdated (every answer differs, but one the editor says cannot be
    weighed: report.claim_mark), or the claim leaves it out."""
    if res is None or claim.implied:
        return None
    facts = [project.guidance[g] for g in res.guidance if speaks_to(project, g, claim.topic)]
    if claim.source in res.uncompared and (res.outdated or settles(project, res)):
        return {"level": "uncompared", "guidance": [f.id for f in facts], "reason": res.uncompared[claim.source]}
    if res.outdated or not settles(project, res):
        return None
    for fact in facts:
        opened = fact.open.get(claim.topic)
        if opened is not None:
            if opened.get("answer") is not None and value_json(claim.value) == opened["answer"]:
                return {"level": "matches", "guidance": [fact.id]}
            return {"level": "open", "guidance": [fact.id], "words": opened["says"]}
    topic = project.topics.get(claim.topic)
    if topic is not None and topic.kind == "range":
        ranged = [f for f in facts if f.value is not None and f.value.unit == topic.unit]
        if not ranged:
            return None
        # words that give no number ("early in your second trimester", "the last month") are not weighed against
        # a guidance range: the site's reading of them (the trimesters' weeks) is not a guidance fact (review 17 S3)
        unit = UNIT_WORDS.get(topic.unit, 'number')
        if not states_value(claim, topic.unit):
            return {"level": "uncompared", "guidance": [f.id for f in ranged], "reason": f"its words give no {unit}"}
        if (placed := word_mention(claim, topic.unit)) is not None:  # the chart still draws it: say so (review 18 S2)
            return {"level": "uncompared", "guidance": [f.id for f in ranged],
                    "reason": f"its words give no {unit} number; our chart puts them at {_plain(placed.value)}"}
        levels = {f.id: range_level(claim, f.value) for f in ranged}
        best = min(levels.values(), key=LEVELS.index)
        ids = [g for g, level in levels.items() if level == best]
        why = [f"Only part of {_plain(claim.value)} is inside {_plain(project.guidance[ids[0]].value)}"] \
            if best == "partly" else []
        return {"level": best, "guidance": ids, **({"why": ". ".join(why)} if why else {})}
    return None


# The week readings that read words giving no week number ("early in your second trimester", "the last month"):
# a mark resting on one rests on the site's reading, and says so beside the mark (phrases.WEEK_READINGS).
WORD_READINGS = {"trimester", "early-trimester", "late-trimester", "last-month", "last-trimester", "month"}


def word_mention(claim: Claim, unit: str):
    """The phrase of words that give no number ("early in your second trimester") a claim's range was read from,
    or None."""
    return next((m for m in mentions(claim.quote)
                 if m.kind == unit and m.rule in WORD_READINGS and m.value is not None), None)


def word_reading(claim: Claim, unit: str) -> str | None:
    """Where a claim's range comes from the site's reading of words that give no number, that reading in plain
    words ("no week given. We read “early in your second trimester” as 14 to 20 weeks"); else None."""
    m = word_mention(claim, unit)
    return None if m is None else f"no {UNIT_WORDS.get(unit, 'number')} given. We read “{m.text}” as {_plain(m.value)}"


def with_reading(project: Project | None, claim: Claim, mark: dict) -> dict:
    """A mark a resolution gives by name to a range the site read from words that give no number says so too, as
    the range rule's marks do: the reading leads its reason."""
    topic = project.topics.get(claim.topic) if project is not None else None
    reading = word_reading(claim, topic.unit) if topic is not None and topic.kind == "range" else None
    if reading and reading not in mark.get("why", ""):
        mark = {**mark, "why": ". ".join(w for w in (reading, mark.get("why")) if w)}
    return mark


def _plain(value: Range) -> str:
    return str(value).replace("-", " to ")


def listed_mark(project: Project, res, claim: Claim) -> dict | None:
    """One rule for every claim on a topic a guidance fact lists (its ``lists:``: risk factors): the item listed
    plainly ``matches``; listed with a qualifier ("the data do not all agree") ``partly``, that qualifier its reason;
    a claim that says more than the list (its resolution's ``beyond:``: "the most common cause") ``partly``, with
    what it says beyond. An item the fact names only in general terms (``words:``: "collagen", "elastin") is weighed
    only against a claim whose quote uses one of those words; any other claim (it names a syndrome) is ``uncompared``,
    the words it leaves out its reason (review 85 M1). The same for every source, with or without a resolution; None
    off a listed topic, or for a claim that leaves the question out."""
    if claim.implied:
        return None
    for fact in project.guidance.values():
        if claim.topic in fact.lists:
            words = fact.list_words.get(claim.topic)
            if words and not says_any(claim.quote, words):
                return {"level": "uncompared", "guidance": [fact.id],
                        "reason": f"it does not say {' or '.join(words)}, which is how guidance lists it"}
            why = "; ".join(w for w in (fact.lists[claim.topic],
                                        res.beyond.get(claim.source) if res is not None else None) if w)
            return {"level": "partly", "guidance": [fact.id], "why": why} if why else \
                {"level": "matches", "guidance": [fact.id]}
    return None


def says_any(text: str, words) -> bool:
    """Whether the text uses any of the words (or phrases), folded and stemmed, whole words in order."""
    stems = [stem(w) for w in _TERM_WORD.findall((text or "").casefold())]
    for phrase in words:
        want = [stem(w) for w in _TERM_WORD.findall(phrase.casefold())]
        if want and any(stems[i:i + len(want)] == want for i in range(len(stems) - len(want) + 1)):
            return True
    return False


def listed_problems(project: Project, res) -> list[str]:
    """On a listed topic the marks come from the list alone: a resolution marking a source there by name is refused
    (the same item would get two rules); ``beyond:`` is only for a listed topic, and every partly mark a resolution
    gives by name says why (``why:``) or which part matches (``part:``), so the reader sees its reason."""
    listed = [f.id for f in project.guidance.values() if res.topic in f.lists]
    out = []
    if listed:
        named = [*res.supports, *res.differs, *res.uncompared, *res.trusted]
        if named:
            out.append(f"{res.where}: {listed[0]} lists {res.topic}: its marks come from the list (guidance.yaml "
                       f"lists:), not from the resolution (drop supports:/differs: for {', '.join(named)}; a claim "
                       "saying more than the list goes under beyond: with the reason)")
    elif res.beyond:
        out.append(f"{res.where}: beyond: is only for a topic a guidance fact lists, and no fact lists {res.topic}")
    for s, mark in res.supports.items():
        if mark["level"] == "partly" and not (mark.get("why") or mark.get("part")):
            out.append(f"{res.where}: the partly mark on source {s} ({res.topic}) gives the reader no reason: "
                       "add why: (why it only partly matches, in plain words)")
    return out


def open_problems(project: Project, res, claims: list[Claim]) -> list[str]:
    """A fact that leaves a question open contradicts no answer to it: a ``differs`` mark resting only on such facts
    is refused (shown as not backed by guidance instead). A range whose words give none is not weighed: a mark on it
    is refused. And ``uncompared`` only on a question guidance settles, for a source with a claim there."""
    out = []
    for s, ids in res.differs.items():
        if ids and all(res.topic in project.guidance[g].open for g in ids if g in project.guidance):
            out.append(f"{res.where}: the differs mark on source {s} ({res.topic}) rests on {', '.join(ids)}, which "
                       f"leaves {res.topic} open ({project.guidance[ids[0]].open[res.topic]['says']}): it contradicts "
                       "no answer; drop the mark, and the page says guidance does not back it")
    marked = {**{s: "supports" for s in res.supports}, **{s: "differs" for s in res.differs}}
    topic = project.topics.get(res.topic)
    for claim in claims:
        if claim.source in marked and topic is not None and topic.kind == "range" \
                and not states_value(claim, topic.unit) and any(
                (f := project.guidance.get(g)) is not None and f.value is not None and claim.topic in f.topics
                for g in res.guidance):
            out.append(f"{res.where}: source {claim.source} ({res.topic}) is marked under {marked[claim.source]}:, but its "
                       f"words give no {UNIT_WORDS.get(topic.unit, 'number')}: drop the mark (the page says it is "
                       "not compared)")
    claimed = {c.source for c in claims}
    for s in res.uncompared:
        if s not in claimed:
            out.append(f"{res.where}: the resolution of {res.topic} says source {s} cannot be compared, but it has no claim there")
        if s in marked:
            out.append(f"{res.where}: the resolution of {res.topic} both marks source {s} and says it cannot be compared")
    if res.uncompared and not settles(project, res):
        out.append(f"{res.where}: the resolution of {res.topic} says sources cannot be compared with guidance "
                   f"({', '.join(res.uncompared)}), but guidance does not settle it")
    return out


def range_problems(project: Project, res, claims: list[Claim]) -> list[str]:
    """A mark on a range claim is checked against the range its fact states: "matches" needs the claim's
    value inside that range, "partly" an overlap; "differs" is refused on a value inside it."""
    out = []
    for claim in claims:
        if not isinstance(claim.value, Range):
            continue
        mark = res.supports.get(claim.source)
        level, ids = (mark["level"], mark["guidance"]) if mark else ("differs", res.differs.get(claim.source, []))
        for gid in ids:
            fact = project.guidance.get(gid)
            if fact is None or fact.value is None or claim.topic not in fact.topics or fact.value.unit != claim.value.unit:
                continue
            inside, overlaps = within(claim, fact.value), claim.value.overlaps(fact.value)
            wrong = {"matches": not inside, "partly": not overlaps, "differs": inside}.get(level, False)
            if wrong:
                should = "matches" if inside else "partly" if overlaps else "differs"
                out.append(f"{res.where}: the mark on source {claim.source} ({claim.topic}) says {level}, but its "
                           f"value {claim.value} is {'inside' if inside else 'partly inside' if overlaps else 'outside'} "
                           f"what {gid} says ({fact.value}): mark it {should}")
    return out


def check(project: Project, treatments: list[Treatment], is_weighed) -> tuple[list[str], list[str]]:
    """(problems, notes) for ``check``: see the module's docstring for which is which. ``is_weighed(project, claim)``:
    whether a resolution has weighed the claim (review.is_weighed; passed in, as review sits above this module)."""
    problems, notes = check_facts(project), []
    for claim in sorted(project.claims.values(), key=lambda c: c.id):
        for meets in claim_meets(project, claim):
            if is_weighed(project, claim):
                notes.append(f"{claim.where}: claim {claim.id}: {meets} (its resolution has weighed this)")
            else:
                problems.append(f"{claim.where}: claim {claim.id}: {meets}; no resolution of {claim.topic} has "
                                f"weighed it: resolve it and run `disagreements.py review {claim.topic}`")
    for claim in project.drafts:
        notes += [f"{claim.where}: draft claim {claim.id}: {n}" for n in notes_for(project, claim.topic, claim.value)]
    for t in treatments:
        if not t.covered_by:
            notes.append(f"{'acknowledged: ' if t.acknowledged else ''}{t.file}:{t.line}:{t.col}: \"{t.term}\" in "
                         f"source {t.source} {t.message}")
    return problems, notes
