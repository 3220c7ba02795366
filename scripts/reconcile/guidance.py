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
from dataclasses import dataclass, field

from .model import Claim, GuidanceFact, Project, Range


def facts_on(project: Project, topic: str) -> list[GuidanceFact]:
    return [f for f in project.guidance.values() if topic in f.topics]


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
            elif fact.value is not None and (topic.kind != "range" or topic.unit != fact.value.unit):
                out.append(f"{fact.where}: {fact.id} gives a value in {fact.value.unit}, but topic {t} is not a "
                           f"range in {fact.value.unit}")
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

    @property
    def message(self) -> str:
        seen = f"quoted by {', '.join(self.covered_by)}" if self.covered_by else \
            f"no claim quotes it: add one on {' or '.join(self.fact.topics)}"
        return f"names a treatment that {self.fact.id} marks {self.fact.status} ({seen})"

    def as_json(self) -> dict:
        return {"source": self.source, "file": self.file, "line": self.line, "col": self.col, "term": self.term,
                "sentence": self.sentence, "guidance": self.fact.id, "status": self.fact.status,
                "topics": self.fact.topics, "covered_by": self.covered_by}


def _pattern(term: str) -> str:
    words = re.findall(r"[^\W_]+", term.casefold())
    return r"(?<![^\W_])" + r"[\s\-\u2010-\u2015]*".join(map(re.escape, words)) + r"(?![^\W_])"


def term_matcher(project: Project):
    """One regular expression for every term of every fact with a status; None when there are none."""
    terms = {}
    for fact in project.guidance.values():
        if fact.status:
            for term in fact.terms:
                terms.setdefault(term.casefold(), fact)
    if not terms:
        return None, {}
    ordered = sorted(terms, key=len, reverse=True)  # "progesterone injections" before "injections"
    regex = re.compile("|".join(f"(?P<t{i}>{_pattern(t)})" for i, t in enumerate(ordered)), re.I)
    return regex, {f"t{i}": terms[t] for i, t in enumerate(ordered)}


def check(project: Project, treatments: list[Treatment]) -> tuple[list[str], list[str]]:
    """(problems, notes) for ``check``: see the module's docstring for which is which."""
    from .review import is_weighed

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
            notes.append(f"{t.file}:{t.line}:{t.col}: \"{t.term}\" in source {t.source} {t.message}")
    return problems, notes
