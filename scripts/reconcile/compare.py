"""One comparison rule per value kind; each topic gets a status.

Statuses, most serious first: conflict, omission, variation, single-source, agree.
"""
from __future__ import annotations

from itertools import combinations

from .model import Claim, Finding, Project, Topic


def _range(claims: list[Claim]):
    """Closed intervals; an open end reaches to infinity. Touching ranges overlap (compatible)."""
    values = [c.value for c in claims]
    apart = [(a.id, b.id) for a, b in combinations(claims, 2) if not a.value.overlaps(b.value)]
    if apart:
        return "conflict", apart
    return ("agree" if len({v.bounds() for v in values}) == 1 else "variation"), []


def _equal(claims: list[Claim]):
    apart = [(a.id, b.id) for a, b in combinations(claims, 2) if a.value != b.value]
    return ("conflict", apart) if apart else ("agree", [])


def _caveat(claims: list[Claim]):
    stated = [c for c in claims if c.value == "stated"]
    omitted = [c for c in claims if c.value == "omitted"]
    if stated and omitted:
        return "omission", [(s.id, o.id) for s in stated for o in omitted]
    return "agree", []


def _union(claims: list[Claim]):
    return ("agree" if len({c.value for c in claims}) == 1 else "variation"), []


def _none(claims: list[Claim]):
    return "agree", []


RULES = {"overlap": _range, "equal": _equal, "caveat": _caveat, "union": _union, "none": _none}


def classify(topic: Topic, claims: list[Claim]) -> tuple[str, list[tuple[str, str]]]:
    if len({c.source for c in claims}) < 2:
        return "single-source", []
    return RULES[topic.rule](claims)


def compare(project: Project) -> list[Finding]:
    """A finding for every topic, in the order the topics were written."""
    by_topic: dict[str, list[Claim]] = {tid: [] for tid in project.topics}
    for claim in project.claims.values():
        by_topic[claim.topic].append(claim)
    findings = []
    for tid, topic in project.topics.items():
        claims = sorted(by_topic[tid], key=lambda c: c.source)
        status, pairs = classify(topic, claims)
        findings.append(Finding(topic, status, claims, pairs, project.resolutions.get(tid)))
    return findings
