"""One comparison rule per value kind; each topic gets a status.

Statuses, most serious first: conflict, omission, variation, single-source, agree.
"""
from __future__ import annotations

from .model import Claim, Finding, Project, Topic


def _range(claims: list[Claim]):
    """Closed intervals; an open end reaches to infinity. Touching ranges overlap (compatible).

    Intervals on a line overlap pairwise exactly when the highest start is not after the lowest
    end, so the test is linear. The pairs named are the claims apart from the one that ends
    first and from the one that starts last: enough to show every side, without n-squared pairs.
    """
    bounds = [c.value.bounds() for c in claims]
    first_end = min(range(len(claims)), key=lambda i: bounds[i][1])
    last_start = max(range(len(claims)), key=lambda i: bounds[i][0])
    if bounds[last_start][0] <= bounds[first_end][1]:
        return ("agree" if len(set(bounds)) == 1 else "variation"), []
    pairs = {tuple(sorted((claims[first_end].id, c.id))) for c, b in zip(claims, bounds) if b[0] > bounds[first_end][1]}
    pairs |= {tuple(sorted((claims[last_start].id, c.id))) for c, b in zip(claims, bounds) if b[1] < bounds[last_start][0]}
    return "conflict", sorted(pairs)


def _equal(claims: list[Claim]):
    """Values differ: each claim that differs from the first is paired with it (and the first of each other value)."""
    first = claims[0]
    apart = [(first.id, c.id) for c in claims[1:] if c.value != first.value]
    return ("conflict", apart) if apart else ("agree", [])


def _caveat(claims: list[Claim]):
    stated = [c for c in claims if c.value == "stated"]
    omitted = [c for c in claims if c.value == "omitted"]
    if stated and omitted:
        return "omission", [(stated[0].id, o.id) for o in omitted]
    return "agree", []


def _union(claims: list[Claim]):
    return ("agree" if len({c.value for c in claims}) == 1 else "variation"), []


def _none(claims: list[Claim]):
    return "agree", []


RULES = {"overlap": _range, "equal": _equal, "caveat": _caveat, "union": _union, "none": _none}


def classify(topic: Topic, claims: list[Claim]) -> tuple[str, list[tuple[str, str]]]:
    """A range is compared on the claims that give one: a source whose words give no number ("early in
    pregnancy") is left out, never read into a range of our own."""
    if topic.rule == "overlap":
        claims = [c for c in claims if c.value is not None]
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
