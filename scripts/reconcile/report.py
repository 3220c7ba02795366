"""Findings + verification -> the one report: a JSON-ready dict, and the problems that fail the check."""
from __future__ import annotations

from typing import TYPE_CHECKING

from .excerpt import shown, weighed
from .gcpause import gc_paused
from .guidance import derived_mark, includes_in, listed_mark, with_reading, listed_problems, names_in, open_problems, range_problems, settles, speaks_to
from .model import STATUSES, Claim, Finding, Project, value_json, value_label  # noqa: F401 (value_json: re-exported)
from .quotes import Verification
from .render import mark_guidance

if TYPE_CHECKING:  # a type only: the report does not run discovery (no import circle)
    from .discover import Discovery


def claim_mark(claim: Claim, res, project: Project | None = None) -> dict | None:
    """The mark a resolution gives one claim (rendered beside it on the pages).

    ``matches`` and ``partly`` rest on the guidance facts the resolution's ``supports`` names for that
    source; ``differs`` on the facts its ``differs`` names, or on all it cites when the sources agree
    but guidance says otherwise (``outdated``); ``trusted`` is the side an editor weighed more where
    guidance is silent. With the project, a claim the resolution does not mark by name gets the mark the
    data gives it (guidance.derived_mark: a range weighed against the guidance range, ``open`` where guidance
    leaves the question open, ``uncompared`` with its reason). None: no mark.
    """
    if project is not None and (listed := listed_mark(project, res, claim)) is not None:
        return listed
    if res is None:
        return None
    if claim.source in res.supports:
        mark = res.supports[claim.source]
        extra = {k: mark[k] for k in ("part", "why") if k in mark}
        return with_reading(project, claim, {"level": mark["level"], "guidance": list(mark["guidance"]), **extra})
    if claim.source in res.differs and not claim.implied:
        return with_reading(project, claim, {"level": "differs", "guidance": list(res.differs[claim.source])})
    if claim.implied:  # it says nothing on the question (it leaves it out): no answer to differ from guidance
        return None
    if claim.source in res.differs:
        return {"level": "differs", "guidance": list(res.differs[claim.source])}
    if res.outdated and not res.guidance_silent and res.guidance and claim.source not in res.uncompared:
        return {"level": "differs", "guidance": list(res.guidance)}   # not an answer it says cannot be weighed
    if claim.source in res.trusted:
        return {"level": "trusted", "guidance": []}
    return derived_mark(project, res, claim) if project is not None else None


def claim_names(project: Project, claim: Claim, res) -> list[dict]:
    """The withdrawn or discouraged treatments a claim names (in its own words or its quote), or rests on (its
    general word takes in a form its source describes elsewhere), other than those its own mark already rests on,
    where the fact speaks to the claim's question (its ``topic:`` names it): each is shown beside the claim wherever
    it is rendered, as "differs from current guidance". Elsewhere guidance says nothing on the question ("For how
    long is progesterone given?", "Does progesterone help with twins?"), so the withdrawal is no mark on the
    claim's answer: ``claim_notes`` gives a plain note instead, as on a definition (a what-is question is no advice).
    Neither on a claim that says nothing there (``implied``: the source leaves the question out)."""
    if claim.implied or _is_definition(project, claim):
        return []
    return [n for n in _named(project, claim, res) if speaks_to(project, n["guidance"], claim.topic)]


def claim_notes(project: Project, claim: Claim, res) -> list[dict]:
    """The withdrawn or discouraged treatments a claim names or takes in where they are no mark on its answer (a
    definition, or a question the fact does not speak to): a plain note ("this source's progesterone treatment
    includes the weekly shots, now withdrawn"), shown wherever the claim is, so the withdrawal stays in sight: on a
    claim that leaves the question out (``implied``) too, whose words still describe the treatment (review 82 M3:
    000's "describes progesterone shots" on twins stood without the withdrawal its neighbours carry)."""
    named = _named(project, claim, res)
    if claim.implied or _is_definition(project, claim):
        return named
    return [n for n in named if not speaks_to(project, n["guidance"], claim.topic)]


def names_speak_problems(topic: str, claim: dict, speaks) -> list[str]:
    """A "differs from current guidance" mark shown on a claim (its own mark or a treatment it names) rests only on
    a fact that speaks to the claim's question; ``speaks(gid, topic)``. Checked on the report the pages render."""
    rests = [n["guidance"] for n in claim.get("names", [])]
    if (claim.get("mark") or {}).get("level") == "differs":
        rests += claim["mark"]["guidance"]
    return [f"claim {claim['id']} is marked 'differs from current guidance' resting on {g}, which does not speak to "
            f"{topic}: there it is a note, not a mark" for g in dict.fromkeys(rests) if not speaks(g, topic)]


def _is_definition(project: Project, claim: Claim) -> bool:
    topic = project.topics.get(claim.topic)
    return topic is not None and topic.role == "definition"


def _named(project: Project, claim: Claim, res) -> list[dict]:
    own = set((claim_mark(claim, res, project) or {}).get("guidance", []))
    named = [n for n in names_in(project, claim.says, claim.quote) if n["guidance"] not in own]
    seen = own | {n["guidance"] for n in named}
    return named + [n for n in includes_in(project, claim) if n["guidance"] not in seen]


def names_problems(project: Project, res, claims: list[Claim]) -> list[str]:
    """A resolution whose topic has a claim naming a withdrawn or discouraged treatment cites that fact
    (its summary line then carries the key), and is not guidance_silent about it."""
    out = []
    for claim in claims:
        for n in claim_names(project, claim, res):
            if n["guidance"] not in res.guidance:
                out.append(f"{res.where}: claim {claim.id} names {n['term']!r}, which {n['guidance']} marks "
                           f"{n['status']}: the resolution of {res.topic} must cite {n['guidance']} under guidance: "
                           "and say so in its summary and short")
    return out


def side_problems(project: Project, finding: Finding) -> list[str]:
    """In a conflict where guidance matches one side, every other side is weighed against it: a claim holding
    another value carries a mark (differs, or partly with the part that matches), or names a withdrawn or
    discouraged treatment. Left unmarked, it sat beside "matches current guidance" as if guidance had no view."""
    res = finding.resolution
    if finding.status != "conflict" or res is None or res.guidance_silent:
        return []
    matched = [value_json(c.value) for c in finding.claims if (claim_mark(c, res, project) or {}).get("level") == "matches"]
    if not matched:
        return []
    return [f"{res.where}: in {res.topic}, guidance matches another side, but source {c.source} ({value_label(c, project)}) "
            "has no mark: add it under differs: (or supports: with partly and the part that matches)"
            for c in finding.claims
            if value_json(c.value) not in matched and claim_mark(c, res, project) is None and not claim_names(project, c, res)]


def unmarked_problems(project: Project, finding: Finding) -> list[str]:
    """On a question guidance settles, every source that answers it is weighed against that guidance by the same
    rule: its claim carries a guidance mark (by name, or the one the data gives it: ``claim_mark``), or names a
    withdrawn or discouraged treatment, or the resolution says plainly why it cannot be compared (uncompared:).
    A claim that leaves the question out (implied) answers nothing."""
    res = finding.resolution
    if res is None or res.outdated or not settles(project, res):
        return []
    return [f"{res.where}: source {c.source} answers {res.topic} ({value_label(c, project)}), which guidance settles, "
            "but has no guidance mark: add it under supports: (with partly where guidance backs only part) or differs:, "
            "or say in plain words why it cannot be compared, under uncompared:"
            for c in finding.claims
            if not c.implied and claim_mark(c, res, project) is None and not claim_names(project, c, res)]


def mark_problems(res, claimed: set[str]) -> list[str]:
    """The marks rule: a support mark rests on guidance the resolution cites, never where guidance is silent."""
    out = []
    where, topic = res.where, res.topic
    if res.guidance_silent and res.supports:
        out.append(f"{where}: the resolution of {topic} is guidance_silent, so no source can match guidance "
                   f"(supports names {', '.join(res.supports)}); use trusted: for the side an editor weighs more")
    if res.trusted and not res.guidance_silent:
        out.append(f"{where}: the resolution of {topic} cites guidance, so mark sources with supports:, not trusted:")
    if res.guidance_silent and res.in_part:
        out.append(f"{where}: the resolution of {topic} is guidance_silent, so guidance answers no part of it (in_part:)")
    if res.guidance_silent and res.differs:
        out.append(f"{where}: the resolution of {topic} is guidance_silent, so guidance contradicts no source "
                   f"(differs names {', '.join(res.differs)})")
    for s in res.differs:
        if s in res.supports:
            out.append(f"{where}: the resolution of {topic} says source {s} both matches and differs from guidance")
        if s not in claimed:
            out.append(f"{where}: the resolution of {topic} says source {s} differs from guidance, but it has no claim there")
        for g in res.differs[s]:
            if g not in res.guidance:
                out.append(f"{where}: the differs mark on source {s} ({topic}) rests on {g}, which the resolution "
                           "does not cite")
    for s, mark in res.supports.items():
        if not mark["guidance"]:
            out.append(f"{where}: the resolution of {topic} marks source {s} with no guidance fact to rest on")
        for g in mark["guidance"]:
            if g not in res.guidance:
                out.append(f"{where}: the mark on source {s} ({topic}) rests on {g}, which the resolution's "
                           "guidance: does not list")
    for s in [*res.supports, *res.trusted]:
        if s not in claimed:
            out.append(f"{where}: the resolution of {topic} marks source {s}, which has no claim on that topic")
    return out


def speaks_problems(project: Project, res, claims: list[Claim]) -> list[str]:
    """A mark or a status that claims guidance rests on a fact that speaks to that very question (``topic:`` of the
    fact names it): a support or differs mark, the differs of an outdated resolution, and "guidance settles it"
    (a resolution that is not guidance_silent). A claim that says nothing there (implied) cannot differ."""
    out, where, topic = [], res.where, res.topic
    implied = {c.source for c in claims if c.implied}
    marks = [(s, "matches", m["guidance"]) for s, m in res.supports.items()] + \
            [(s, "differs", g) for s, g in res.differs.items()]
    if res.outdated:
        marks.append(("every source", "differs", res.guidance))
    for s, level, ids in marks:
        for g in ids:
            if not speaks_to(project, g, topic):
                out.append(f"{where}: the {level} mark on {s if s == 'every source' else 'source ' + s} ({topic}) rests "
                           f"on {g}, which does not speak to {topic} (not under its topic: in data/guidance.yaml): "
                           f"add {topic} there if the fact says that very thing, else drop the mark")
    for s in res.differs:
        if s in implied:
            out.append(f"{where}: the resolution of {topic} says source {s} differs from guidance, but its claim is "
                       "implied (it says nothing there, it leaves it out): drop the mark")
    speaking = [g for g in res.guidance if speaks_to(project, g, topic)]
    if not res.guidance_silent and not settles(project, res):
        out.append(f"{where}: the resolution of {topic} says guidance settles it, but none of its facts "
                   f"({', '.join(res.guidance)}) speaks to {topic}: set guidance_silent: true with trust:, or name "
                   f"{topic} under topic: of the fact that settles it")
    if res.guidance_silent and speaking:
        out.append(f"{where}: the resolution of {topic} is guidance_silent, but {', '.join(speaking)} speaks to it")
    return out


def problems(project: Project, verification: Verification, findings: list[Finding], extra=()) -> list[str]:
    out = list(extra)
    for claim in list(project.claims.values()) + project.drafts:
        if claim.id in verification.nearest:
            source = project.sources[claim.source]
            out.append(f"{claim.where}: quote of {'draft ' if claim.draft else ''}claim {claim.id} not found in "
                       f"{source.file}; nearest passage: \"{verification.nearest[claim.id]}\"")
        elif claim.id in verification.places:
            count, source = verification.places[claim.id], project.sources[claim.source]
            out.append(f"{claim.where}: the quote of claim {claim.id} occurs {count} times in {source.file}"
                       + (f", so 'occurrence: {claim.occurrence}' names no place" if claim.occurrence else
                          "; lengthen it so it occurs once, or add 'occurrence: N' (1 = the first place)"))
    out += verification.record_problems
    for finding in findings:
        if not finding.resolved:
            sides = ", ".join(sorted({s for pair in finding.pairs for s in (p.split('.')[0] for p in pair)}))
            out.append(f"topic {finding.topic.id}: unresolved {finding.status} between sources {sides}; "
                       f"add a resolution to {project.data_dir / 'resolutions'}/ ({finding.topic.where})")
        if finding.resolution:
            out += mark_problems(finding.resolution, {c.source for c in finding.claims})
            out += range_problems(project, finding.resolution, finding.claims)
            out += names_problems(project, finding.resolution, finding.claims)
            out += speaks_problems(project, finding.resolution, finding.claims)
            out += side_problems(project, finding)
            out += open_problems(project, finding.resolution, finding.claims)
            out += listed_problems(project, finding.resolution)
            out += unmarked_problems(project, finding)
    for claim in project.drafts:
        out.append(f"{claim.where}: draft claim {claim.id} awaits review: check it, then move it to a file "
                   "not ending in .draft.yaml")
    for source in project.sources.values():
        fields = [source.title, source.label, source.names, source.kind, *source.appraisal.values()]
        if source.draft or any(v == "TODO" for v in fields):
            out.append(f"{source.where}: source {source.id} is a draft: fill in its TODO fields")
    return out


@gc_paused()  # a hundred thousand small dicts and no cycles: the collector would rescan them all, in vain
def build_report(project: Project, verification: Verification, findings: list[Finding], extra_problems=(),
                 discovery: Discovery | None = None) -> dict:
    """The report every view renders: the documented JSON shape (data/schema/findings.schema.json).

    With a discovery (there is one when there is an archive), every number or time in the archive
    that no claim covers and data/dismissed.yaml does not dismiss is a problem (``summary.mentions``).
    """
    found = problems(project, verification, findings, extra_problems)
    if discovery is not None:
        found += discovery.problems()
    statuses = {s: 0 for s in STATUSES}
    for f in findings:
        statuses[f.status] += 1
    verified = list(verification.verified.values())
    topics = []
    for f in findings:
        res = f.resolution
        claims = [{
            "id": c.id,
            "source": c.source,
            "value": value_json(c.value),
            "label": value_label(c, project),
            "says": c.says,
            "quote": c.quote,
            "verified": verification.verified.get(c.id),
            "verification": verification.how.get(c.id),
            "implied": c.implied,
            "mark": claim_mark(c, res, project),
            "names": claim_names(project, c, res),
            "notes": claim_notes(project, c, res),
        } for c in f.claims]
        # the facts its claims' marks, named treatments and notes rest on (claims.csv's guidance and guidance_note)
        behind = {g for c in claims for g in [*mark_guidance(c), *(n["guidance"] for n in c["notes"])]}
        topics.append({
            "id": f.topic.id,
            "question": f.topic.question,
            "ask": f.topic.ask,
            "page": f.topic.page,
            "kind": f.topic.kind,
            "role": f.topic.role,
            "status": f.status,
            "basis": f.basis,
            "resolved": f.resolved,
            "outdated": f.outdated,
            # the guidance we use on the question: the facts filed on it (guidance.yaml topic:), those its
            # resolution cites and those its claims' marks and notes rest on (review 95 S6: the treatments question
            # named none, though its claims carry the shots' withdrawal and bed rest), in the file's order, and
            # their keys as the pages cite them: a question where the sources agree has no resolution, yet its page
            # cites them (review 71 S11: the exports named no guidance on DES or on weak body tissues; review 77 S1:
            # nor the withdrawn shots on how long progesterone is given)
            "guidance": (spoken := [g for g in project.guidance if speaks_to(project, g, f.topic.id)
                                    or (res is not None and g in res.guidance) or g in behind]),
            "guidance_cite": sorted({k for g in spoken for k in project.guidance[g].cited_keys}),
            "pairs": list(map(list, f.pairs)),  # quadratic in a topic's claims: the C loop
            "claims": claims,
            "resolution": None if res is None else {
                "summary": res.summary,
                "short": res.short,
                # the sources marked "matches" (or, guidance silent, "trusted"); each claim's `mark` has the detail
                "supports": [c.source for c in f.claims if (claim_mark(c, res, project) or {}).get("level") in ("matches", "trusted")],
                "guidance": res.guidance,
                # each key as the pages cite it: "(secondary)" after a key of a row the reference confirms only
                # through pages that report it (review 57 S12: the exports dropped it)
                "cite": sorted({k for g in res.guidance for k in project.guidance[g].cited_keys}),
                "guidance_silent": res.guidance_silent,
                "settles": settles(project, res),
                # what guidance leaves unanswered where it speaks to the question only in part (None: all of it)
                "in_part": res.in_part,
                "trust": res.trust,
                "outdated": res.outdated,
                "reviewed": res.reviewed,
                # the days its guidance facts were confirmed against their documents (the reference's dates)
                "checked": sorted({d for g in res.guidance if (d := project.guidance[g].checked)}),
            },
        })
    for t, f in zip(topics, findings):
        for row, c in zip(t["claims"], f.claims):  # the words of the quote the site shows, where it shows any
            row["shown"] = shown(c, f.topic) if weighed(t["status"], t["outdated"], row) else ""
    found += [p for t in topics for c in t["claims"]
              for p in names_speak_problems(t["id"], c, lambda g, tid: speaks_to(project, g, tid))]
    summary = {
        "sources": len(project.sources),
        "topics": len(findings),
        "claims": len(project.claims),
        "drafts": len(project.drafts),
        "statuses": statuses,
        "unresolved": sum(not f.resolved for f in findings),
        "outdated": sum(f.outdated for f in findings),
        "quotes": {
            "verified": sum(v is True for v in verified),
            "failed": sum(v is False for v in verified),
            "unverified": sum(v is None for v in verified),
            "record": sum(h["how"] == "record" for h in verification.how.values()),
        },
        "archive": str(verification.archive) if verification.archive else None,
        "mentions": None if discovery is None else {**discovery.summary(), "notes": discovery.notes},
        "problems": found,
        "ok": not found and verification.available,
    }
    return {"summary": summary, "topics": topics}
