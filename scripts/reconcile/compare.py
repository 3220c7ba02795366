"""One comparison rule per value kind; each topic gets a status.

Statuses, most serious first: conflict, omission, variation, single-source, agree.

A stance topic may name options that give one answer put more or less strongly (``same_answer``: "never done",
"not recommended"): sources choosing different ones of a group differ a little (variation), not disagree.

Two kinds of "agree" keep their exact basis for editors (``Finding.basis``, shown in ``check``'s report):
- "compatible": a set topic marked ``compatible: true`` whose options can all be true at once (names for the
  same thing, kinds of pain relief, settings): sources that list different ones do not differ.
- "about the same": ranges where one lies inside the other and no end is more than the unit's step apart
  (STEP): "before the 24th week" (up to 23) against "before 24 weeks" (up to 24) is one answer read two ways,
  and "1 in 100" against "1 to 2 in 100" is a figure inside the other's range. A value outside another's range
  stays a conflict, and ranges further apart than a step stay a variation.
"""
from __future__ import annotations

from .model import Claim, Finding, Project, Topic


# How far apart two ends may be and still say the same thing, by unit: a week is the reading's own edge (an
# ordinal "the Nth week" ends at N or starts at N-1, WEEK_READINGS), a per-cent point the rounding of "1 in 100".
# Units not named here must match exactly.
STEP = {"weeks": 1.0, "percent": 1.0}


def about_same(a: tuple[float, float], b: tuple[float, float], step: float) -> bool:
    """One range inside the other, with each end within ``step`` (open ends must both be open)."""
    inside = (a[0] <= b[0] and b[1] <= a[1]) or (b[0] <= a[0] and a[1] <= b[1])
    return inside and all(x == y or abs(x - y) <= step for x, y in zip(a, b))


def _range(claims: list[Claim], topic: Topic):
    """Closed intervals; an open end reaches to infinity. Touching ranges overlap (compatible).

    Intervals on a line overlap pairwise exactly when the highest start is not after the lowest
    end, so the test is linear. The pairs named are the claims apart from the one that ends
    first and from the one that starts last: enough to show every side, without n-squared pairs.
    """
    bounds = [c.value.bounds() for c in claims]
    first_end = min(range(len(claims)), key=lambda i: bounds[i][1])
    last_start = max(range(len(claims)), key=lambda i: bounds[i][0])
    if bounds[last_start][0] <= bounds[first_end][1]:
        distinct = sorted(set(bounds))
        if len(distinct) == 1:
            return "agree", [], None
        step = STEP.get(topic.unit or "", 0.0)
        if all(about_same(a, b, step) for i, a in enumerate(distinct) for b in distinct[i + 1:]):
            return "agree", [], "about the same"
        return "variation", [], None
    pairs = {tuple(sorted((claims[first_end].id, c.id))) for c, b in zip(claims, bounds) if b[0] > bounds[first_end][1]}
    pairs |= {tuple(sorted((claims[last_start].id, c.id))) for c, b in zip(claims, bounds) if b[1] < bounds[last_start][0]}
    return "conflict", sorted(pairs), None


def _equal(claims: list[Claim], topic: Topic):
    """Values differ: each claim that differs from the first is paired with it (and the first of each other value).
    Values of one ``same_answer`` group (a stance put more or less strongly) differ a little."""
    first = claims[0]
    apart = [(first.id, c.id) for c in claims[1:] if c.value != first.value]
    if apart and any({c.value for c in claims} <= group for group in topic.same_answer):
        return "variation", [], None
    return ("conflict", apart, None) if apart else ("agree", [], None)


def _caveat(claims: list[Claim], topic: Topic):
    """Some state the caveat and some cover the treatment and leave it out: an omission. A source that speaks only of
    another group (``limited``) neither states it nor leaves it out: it opens no omission of its own."""
    stated = [c for c in claims if c.value == "stated"]
    omitted = [c for c in claims if c.value == "omitted"]
    if stated and omitted:
        return "omission", [(stated[0].id, o.id) for o in omitted], None
    return "agree", [], None


def _union(claims: list[Claim], topic: Topic):
    """Different lists differ a little, unless the topic's options can all be true at once (``compatible``)."""
    if len({c.value for c in claims}) == 1:
        return "agree", [], None
    return ("agree", [], "compatible") if topic.compatible else ("variation", [], None)


def _none(claims: list[Claim], topic: Topic):
    return "agree", [], None


RULES = {"overlap": _range, "equal": _equal, "caveat": _caveat, "union": _union, "none": _none}


def classify(topic: Topic, claims: list[Claim]) -> tuple[str, list[tuple[str, str]]]:
    """The status and the pairs apart (``judge`` without the basis)."""
    return judge(topic, claims)[:2]


def judge(topic: Topic, claims: list[Claim]) -> tuple[str, list[tuple[str, str]], str | None]:
    """The status, the pairs apart, and the basis of an "agree" that is not word for word (see above). A range is compared on the claims that give one: a source whose words give no number ("early in
    pregnancy") is left out, never read into a range of our own."""
    if topic.rule == "overlap":
        claims = [c for c in claims if c.value is not None]
    if len({c.source for c in claims}) < 2:
        return "single-source", [], None
    return RULES[topic.rule](claims, topic)


def compare(project: Project) -> list[Finding]:
    """A finding for every topic, in the order the topics were written."""
    by_topic: dict[str, list[Claim]] = {tid: [] for tid in project.topics}
    for claim in project.claims.values():
        by_topic[claim.topic].append(claim)
    findings = []
    for tid, topic in project.topics.items():
        claims = sorted(by_topic[tid], key=lambda c: c.source)
        status, pairs, basis = judge(topic, claims)
        findings.append(Finding(topic, status, claims, pairs, project.resolutions.get(tid), basis))
    return findings
