"""Where each source stands on a question, in the words the pages use: the cells of the map and of the
evidence tables, the evidence block's heading and its counts line. A plain function of the findings."""
from __future__ import annotations

from website.pagecontext import NOTE_LEAD, Context, guidance_kind, note_said

HEADINGS = {  # the first words of a question's folded evidence: short, a phone line is narrow
    "conflict": ("warning", "Sources disagree."),
    "omission": ("warning", "Some say what others leave out."),
    "outdated": ("danger", "Guidance differs."),
    "outdated-single": ("danger", "Guidance differs."),   # one source or several: the same words (review 39 #6)
    "variation": ("info", "Sources differ a little."),
    "single-source": ("info", "One source says this."),
    # a range question where one source gives a number and the others that answer give none (review 116 M1)
    "single-valued": ("info", "Only one source gives a number."),
    "agree": ("success", "Sources agree."),
    # an agree that is not word for word (the finding's basis, compare.py)
    "compatible": ("success", "Sources fit together."),
    "about the same": ("success", "Sources say about the same."),
    # the rows decide where the engine's status would contradict them (heading_of); each stays in its status's
    # group (HEADING_GROUP), and its words say so: a box never names another group than the one it is counted in
    "placed": ("warning", "Sources disagree, but guidance backs each at least in part."),
    "agree-guidance": ("warning", "Sources agree; guidance differs for some."),
    # not green: guidance backs them only in part (review 67 S3); a verb, not "guidance partly." (review 130 S3)
    "agree-partly": ("info", "Sources agree; guidance backs them only in part."),
}


# The group of the map, the question sheets and every count of questions that each heading belongs to: one
# classification, so a box's heading and the group it is counted in cannot disagree (review 32 #2: the twins box
# said "Sources differ in wording" under "The sources disagree (6)").
HEADING_GROUP = {"conflict": "conflict", "placed": "conflict", "omission": "omission", "outdated": "outdated",
                 "outdated-single": "outdated", "variation": "variation", "single-source": "single-source",
                 "single-valued": "single-source", "agree": "agree", "compatible": "agree", "about the same": "agree",
                 "agree-guidance": "agree", "agree-partly": "agree"}


def mark_level(claim: dict) -> str | None:
    return (claim["mark"] or {}).get("level")


def _overlap(a: dict, b: dict) -> bool:
    lo = lambda v: float("-inf") if v["min"] is None else v["min"]  # noqa: E731
    hi = lambda v: float("inf") if v["max"] is None else v["max"]  # noqa: E731
    return lo(a) <= hi(b) and lo(b) <= hi(a)


def apart_from(topic: dict, claim: dict) -> list[str]:
    """The sources whose answer on the question this one differs from: a range that does not overlap its own
    (touching counts as overlapping, as in the comparison), or another value. A mark "differs" names them where
    they are not all the others (review 128 S1: 004's "around 14-16 weeks" sits inside 000's "14 to 20 weeks"
    and is apart only from 001's "from the 20th week", yet its row said "differs from the others")."""
    ranged = topic["kind"] == "range"
    return [c["source"] for c in topic["claims"] if c is not claim and c["value"] is not None
            and (not _overlap(c["value"], claim["value"]) if ranged else c["value"] != claim["value"])]


def differs_words(topic: dict, claim: dict) -> str:
    """A "differs" mark in words that name what it differs from: "differs from the others" where it is apart from
    every other answer, else "differs from 001" (or "from 000 and 001"), the codes a chart's rows show
    (apart_from); the map's ✗ and the charts' keys keep the general words ("differs from at least one other
    source")."""
    apart = apart_from(topic, claim)
    others = [c["source"] for c in topic["claims"] if c is not claim and c["value"] is not None]
    if not apart or (apart == others and len(others) > 1):
        return "differs from the others"
    return "differs from " + (" and ".join(apart) if len(apart) < 3 else ", ".join(apart[:-1]) + " and " + apart[-1])


def cell(topic: dict, claim: dict | None) -> str:
    """Where one source stands on a question: agree, partly (guidance supports part of it), varies,
    differs, guidance (differs from it), open (guidance leaves the question open, so it does not back this answer),
    uncompared (the answer cannot be weighed against the guidance that settles the question), states or leaves (a point one source makes and another
    leaves out; no side is taken there unless guidance takes it), limits (it speaks only of another group) or silent.

    Only guidance takes a side: in a conflict, a source agrees when guidance supports its claim (or the
    same value); where guidance is silent every side of a conflict simply differs.
    """
    if claim is None:
        return "silent"
    if topic["kind"] == "range" and claim["value"] is None:
        return "unstated"  # words with no number ("early in pregnancy"): not compared, no side (compare.classify)
    level = mark_level(claim)
    if level == "differs" or claim.get("names") or (topic["outdated"] and level not in ("matches", "partly", "uncompared")):
        return "guidance"  # a withdrawn or discouraged treatment it names or rests on counts too (report.claim_names)
    if level in ("matches", "partly"):
        return "agree" if level == "matches" else "partly"
    if level in ("open", "uncompared"):  # guidance leaves the question open; the answer cannot be weighed against it
        return level
    if topic["kind"] == "caveat" and claim["value"] == "limited":  # neither states the caveat nor leaves it out
        return "limits"
    if topic["status"] == "omission":  # the one that makes the point is not the one that differs
        return "states" if claim["value"] == "stated" else "leaves"
    if topic["status"] == "conflict":
        sided = [c for c in topic["claims"] if mark_level(c) in ("matches", "partly")]
        same = [mark_level(c) for c in sided if c["value"] == claim["value"]]
        if same:  # the side guidance supports, wholly or in part
            return "agree" if "matches" in same else "partly"
        # a range that overlaps (or touches) every side is a small difference, not a side of the conflict
        if topic["kind"] == "range" and all(_overlap(c["value"], claim["value"]) for c in sided or topic["claims"]
                                            if c["value"] is not None):
            return "varies"
        return "differs"
    return "varies" if topic["status"] == "variation" else "agree"


# Each cell kind in the evidence summary's words: (several sources, one source).
CELL_WORDS = {"agree": ("agree", "agrees"), "partly": ("partly agree", "partly agrees"), "varies": ("differ a little", "differs a little"),
              "differs": ("differ", "differs"), "guidance": ("differ from guidance", "differs from guidance"),
              "open": ("not backed by guidance", "not backed by guidance"),
              "uncompared": ("cannot be compared with guidance", "cannot be compared with guidance"),
              "states": ("say it", "says it"), "limits": ("speak only of another group", "speaks only of another group"),
              "leaves": ("leave it out", "leaves it out"),
              "unstated": ("give no number", "gives no number"), "silent": ("silent", "silent")}


def note_words(ctx: Context, claim: dict | None) -> str:
    """A claim's notes (report.claim_notes: a withdrawn or discouraged treatment it names on a question that
    guidance does not speak to) in the words of the evidence block, with their keys: "" when it has none."""
    parts = []
    for n in (claim or {}).get("notes", []):
        fact = ctx.project.guidance[n["guidance"]]
        what = f"this source's {n['general']} includes {n['term']}" if n.get("part") else f"it describes {n['term']}"
        cite = ", ".join(fact.cited_keys)  # each key, as links
        parts.append(f"{what}. {note_said(ctx, n)} ({cite})")
    return NOTE_LEAD + "; and ".join(parts) if parts else ""


def match_kind(ctx: Context, topic: dict, claim: dict | None) -> str | None:
    """The one kind of treatment a source's agreement with guidance holds for ("a planned stitch": the guidance it
    matches gives its range for that kind only, pagecontext.guidance_kind), or None. Its own full match's kind; a
    source that takes the side of another's match in a conflict (cell) agrees for that match's kind. The map, the
    weeks charts and the tooltips say it wherever they say "agrees" (review 102 M1: the map's plain green tick for
    000's 12 to 14 weeks, where the page says "for a planned stitch")."""
    if claim is None or cell(topic, claim) != "agree":
        return None
    matched = [claim] if mark_level(claim) == "matches" else \
        [c for c in topic["claims"] if mark_level(c) == "matches" and c["value"] == claim["value"]]
    kinds = {guidance_kind(ctx, c["mark"].get("guidance") or []) for c in matched}
    return kinds.pop() if len(kinds) == 1 else None


# A claim's mark in a citation's tooltip, in the words of the mark beside the claim (ci-macros.html's mark).
TOOLTIP_MARKS = {"matches": "matches current guidance", "partly": "partly matches current guidance",
                 "open": "current guidance does not back this", "uncompared": "not compared with current guidance"}


def tooltip_mark(ctx: Context, topic: dict, claim: dict) -> str:
    """What a citation's tooltip adds to a claim's own words: its mark (differs from current guidance, as its cell
    on the map says, or matches, partly, not backed, not compared) and the note on a withdrawn or discouraged
    treatment it names; "" when it has neither. The words beside the citation say it too, but a tooltip is read
    alone (review 76 S4: "Taken out at around 27 weeks" with no warning; review 77 S9: every mark, not one)."""
    level = mark_level(claim)
    words = ["differs from current guidance"] if cell(topic, claim) == "guidance" else \
        [TOOLTIP_MARKS[level]] if level in TOOLTIP_MARKS else []
    if words and level == "matches" and (kind := match_kind(ctx, topic, claim)):
        words[0] += f" for {kind}"  # as beside the claim: "for a planned stitch" (review 78 S8)
    words += [f"{NOTE_LEAD}{'its ' + n['general'] + ' includes' if n.get('part') else 'it describes'} {n['term']}, "
              f"now {'withdrawn' if n['status'] == 'withdrawn' else 'advised against'}" for n in claim.get("notes", [])]
    return f" ({'; '.join(words)})" if words else ""


def unweighed(topic: dict) -> bool:
    """Sources differ on it (disagree, leave out what another says, or differ a little) and no editor has weighed
    it against current guidance (no resolution): its box says it is not yet reviewed and sends the reader to a
    doctor, and the map says "not yet checked", never "silent" (review 127 S3: a box of sources that differ a
    little, with no word on guidance and no "ask your doctor"). `check` fails on a conflict or omission without
    a resolution; a variation (a new source's list or range) may wait for its editor."""
    return topic["status"] in ("conflict", "omission", "variation") and not topic["resolution"]


def status_of(topic: dict) -> str:
    if topic["outdated"]:
        return "outdated-single" if topic["status"] == "single-source" else "outdated"
    return topic["status"]


def heading_of(ctx: Context, topic: dict) -> str:
    """The evidence block's heading, never against its own rows: a conflict where guidance at least partly
    supports every source (all say no stitch for twins, in other words) is not "Sources disagree."; sources that
    agree, where a row differs from guidance (a withdrawn form it takes in) or guidance supports a row only in part,
    do not read "Sources agree." alone."""
    status = status_of(topic)
    by_source = {c["source"]: c for c in topic["claims"]}
    cells = [cell(topic, by_source.get(sid)) for sid in ctx.sources]
    if status == "conflict" and all(c in ("agree", "partly", "silent") for c in cells):
        return "placed"
    if status == "agree" and "guidance" in cells:
        return "outdated" if all(c in ("guidance", "silent") for c in cells) else "agree-guidance"
    if status == "agree" and "partly" in cells:  # two ideas a reader must not mix (review 17 S6): with each other,
        return "agree-partly"                    # and with guidance
    if status == "agree" and topic.get("basis"):
        return topic["basis"]
    if status == "single-source" and "unstated" in cells:  # the others answer, in words with no number
        return "single-valued"
    return status


def group_of(ctx: Context, topic: dict) -> str:
    """The group a question is counted and listed in: its box's heading's (HEADING_GROUP)."""
    return HEADING_GROUP[heading_of(ctx, topic)]


def counts_line(ctx: Context, topic: dict) -> str:
    """The folded evidence's summary: "5 sources: 3 agree, 1 differs, 1 silent; checked against guidance"."""
    by_source = {c["source"]: c for c in topic["claims"]}
    cells = [cell(topic, by_source.get(sid)) for sid in ctx.sources]
    parts = []
    alone = status_of(topic) == "single-source"  # its one answer "says this" (beside any with no number)
    for key, (several, one) in CELL_WORDS.items():
        n = cells.count(key)
        if n:
            word = "says this" if n == 1 and key == "agree" and alone else one if n == 1 else several
            parts.append(f"{n} {word}")
    line = f"{len(cells)} sources: " + ", ".join(parts)
    res = topic["resolution"]
    if res:  # the guidance itself is one tap away, with its links
        line += "; the guidance we use is silent" if res["guidance_silent"] else "; checked against guidance"
    elif not topic["resolved"]:
        line += "; not yet reviewed"
    return line
