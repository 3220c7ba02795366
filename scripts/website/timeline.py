"""The timeline of weeks: each source's range of weeks and the guidance range on one axis, a table per
question (<!-- timeline: ... --> and the small one inside a weeks question's evidence block)."""
from __future__ import annotations

import re

from markupsafe import Markup

from reconcile.guidance import WORD_READINGS, stated
from reconcile.phrases import mentions
from website.cells import cell, differs_words, mark_level, match_kind, note_words, status_of
from website.pagecontext import Context, guidance_links

NO_WEEK = "no week given"  # a source whose words give no week (reconcile.model.value_label says the same)
WEEKS = 40  # the axis: a pregnancy, 0 to 40 weeks (longer when a value goes past it)


def is_weeks(topic: dict) -> bool:
    """A question whose answer is a range of weeks of pregnancy."""
    return topic["kind"] == "range" and any(c["value"] for c in topic["claims"]) \
        and all(c["value"] is None or c["value"].get("unit") == "weeks" for c in topic["claims"])


def weeks_words(lo, hi) -> str:
    """A range of weeks in words: "26 to 28 weeks", "up to 24 weeks", "19 weeks on"."""
    def n(v, unit=" weeks"):  # a part of a week that is whole days in days: 27.86 is "27 weeks and 6 days"
        days = round((v - int(v)) * 7)
        if 0 < days < 7 and abs((v - int(v)) * 7 - days) < 0.05:
            return f"{int(v)} weeks and {days} days"
        return f"{v:g}{unit}"
    if lo is None and hi is None:
        return "any week"
    if lo is None:
        return f"up to {n(hi)}"
    if hi is None:
        return f"{n(lo)} on"
    return n(lo) if lo == hi else f"{n(lo, '')} to {n(hi)}"


# What a row's mark is measured against, in words (a plain agreement needs none).
TIMELINE_WORDS = {"agree": "", "partly": "partly matches guidance", "varies": "differs a little from the others",
                  "differs": "differs from at least one other source", "guidance": "differs from guidance",
                  "open": "not backed by guidance", "uncompared": "not compared with guidance"}


def _timeline_mark(ctx: Context, topic: dict, claim: dict) -> str:
    kind = cell(topic, claim)
    if kind == "agree" and mark_level(claim) == "matches":  # for the one kind the guidance range is for, if so
        for_kind = match_kind(ctx, topic, claim)
        return f"matches guidance for {for_kind}" if for_kind else "matches guidance"
    if kind == "differs":  # a row names the sources it is apart from (the key keeps the general words)
        return differs_words(topic, claim)
    return TIMELINE_WORDS.get(kind, "")



# Each bar is coloured by its row's mark, and every colour a chart uses is in its key, in the row's words. Green
# means "matches guidance" only: a source that agrees with the others where guidance gives no week (or that alone
# answers) is drawn in the neutral colour, "not weighed against guidance" (review 30 S2); "differs from guidance"
# has its own colour, named in the key (review 30 M1: a purple bar no key explained).
BAR_WORDS = {"agree": "matches guidance", "partly": TIMELINE_WORDS["partly"], "guidance": TIMELINE_WORDS["guidance"],
             "differs": TIMELINE_WORDS["differs"], "varies": TIMELINE_WORDS["varies"], "open": TIMELINE_WORDS["open"],
             "uncompared": TIMELINE_WORDS["uncompared"], "plain": "not weighed against guidance"}


def _bar(topic: dict, claim: dict) -> str:
    """The bar's colour (its class): the row's mark; "plain" where the row has no mark against guidance or the others."""
    kind = cell(topic, claim)
    if kind == "agree" and mark_level(claim) != "matches":
        return "plain"
    return kind if kind in BAR_WORDS else "plain"


def states_weeks(quote: str) -> bool:
    """Whether a source's own words give a week (a number or a named stretch such as a trimester): a
    week range read from words like "early in pregnancy" is the site's reading, never drawn as theirs."""
    return bool(own_weeks(quote))


def own_weeks(quote: str) -> list[str]:
    """The words in which a source gives its weeks, as its quote has them ("the 14th week of pregnancy",
    "around 27 weeks"). A row says these, not the numbers its bar is drawn from: "in the 14th week"
    drawn from 13 to 14 full weeks must not read "13 to 14 weeks" beside a quote that says 14th."""
    return [m.text for m in mentions(quote) if m.kind == "weeks"]


def readings(quotes: list[str]) -> dict:
    """Which of the chart's reading rules its words use (phrases.WEEK_READINGS keys): the key under the chart
    explains an Nth week only where a source says one, each Nth week its rows give ("the 15th week" starts after 14
    full weeks: review 26 S11, it said "the 14th week" under a chart with none; review 130 S3, a chart of four
    questions explained only the first of its four), and "around" only where one says around."""
    found = [m for q in quotes for m in mentions(q) if m.kind == "weeks"]
    nths = dict.fromkeys(int(n[1]) for m in found if m.rule == "nth" or m.rule.endswith("-nth")
                         for n in [re.search(r"(\d+)(?:st|nd|rd|th)\b", m.text)] if n)
    # words that give no week number ("early in your second trimester", "the last month"): the bar is our reading,
    # and the key says so with the weeks it is drawn at (review 94 M1, S4: only the row's evidence said it)
    ours = {m.text: weeks_words(m.value.min, m.value.max) for m in found if m.rule in WORD_READINGS and m.value is not None}
    return {"nth": [{"ordinal": f"{n}{ordinal_suffix(n)}", "full": n - 1} for n in nths],
            "around": any(m.rule.split("-")[0] == "around" for m in found), "ours": sorted(ours.items())}


def ordinal_suffix(n: int) -> str:
    return "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")


def _span(lo, hi, axis: int) -> dict:
    """Where a range sits on the axis, in percent of its width (a single week still shows)."""
    start, end = 0 if lo is None else lo, axis if hi is None else hi
    left, width = 100 * start / axis, 100 * (end - start) / axis
    width = max(width, 1.5)
    return {"left": round(min(left, 100 - width), 2), "width": round(width, 2), "open_start": lo is None,
            "open_end": hi is None, "words": weeks_words(lo, hi)}


def _core(ctx: Context, claim: dict) -> dict | None:
    """Where, inside its bar, the week a widened value's words name sits: "about 36 weeks" is drawn 35 to 37 to compare
    the sources, and its mark is weighed on 36 (guidance.within), so the bar shows 36 thick and the week either side
    thin (reviews 86 S4, 90 S1, 91 S2, 92 S2: a bar from 35 beside "matches guidance" for 36 to 37). None where the
    words gave the value as it is."""
    said = stated(ctx.project.claims[claim["id"]])
    if said is None:
        return None
    (lo, hi), (slo, shi) = (claim["value"]["min"], claim["value"]["max"]), said.bounds()
    return {"left": round(100 * ((slo + shi) / 2 - lo) / (hi - lo), 2), "width": round(100 * (shi - slo) / (hi - lo), 2)}


def timeline(ctx: Context, topics: list[dict], small: bool = False) -> Markup:
    """Each source's range of weeks and the guidance range on one axis, a table per question.

    Made from the findings: a source with a claim on the question has a row, guidance facts that
    state a range for it make the band every row is read against. The table is the text alternative:
    each row says its weeks in words; the bars are drawn beside them and hidden from screen readers.
    """
    weeks = [t for t in topics if is_weeks(t)]
    highest = max([c["value"][k] or 0 for t in weeks for c in t["claims"] if c["value"] for k in ("min", "max")]
                  + [WEEKS])
    axis = int(-(-highest // 10) * 10)
    groups = []
    for t in weeks:
        facts = [f for f in ctx.project.guidance.values()
                 if t["id"] in f.topics and f.value is not None and f.value.unit == "weeks"]
        guidance = [dict(_span(f.value.min, f.value.max, axis), codes=guidance_links(ctx, [f.id]), id=f.id,
                         of=f.value.of, about=f.value.about, core=None) for f in facts]
        by_source = {c["source"]: c for c in t["claims"]}
        rows = [dict(_span(c["value"]["min"], c["value"]["max"], axis) if c["value"] else {}, sid=sid,
                     label=ctx.label(sid), kind=_bar(t, c), mark=_timeline_mark(ctx, t, c) if c["value"] else "",
                     note=note_words(ctx, c), own=own_weeks(c["quote"]), stated=bool(c["value"]), claim=c,
                     core=_core(ctx, c) if c["value"] else None)
                for sid in ctx.sources if (c := by_source.get(sid))]
        for row in rows:
            if row["stated"]:  # its own words, quoted; the bar is what the methods page's rule reads them as
                row["words"] = " … ".join(f"\u201c{words}\u201d" for words in row["own"])
            else:  # words such as "early in pregnancy": no week, no bar, left out of the comparison
                row["words"] = NO_WEEK
        groups.append({"topic": t, "status": status_of(t), "rows": rows, "guidance": guidance})
    if not groups:
        raise LookupError("timeline: no question whose answer is a range of weeks")
    ticks = [{"week": w, "left": 100 * w / axis} for w in range(0, axis + 1, 10)]
    quotes = [c["quote"] for t in weeks for c in t["claims"] if c["value"]]
    drawn = {r["kind"] for g in groups for r in g["rows"] if r["stated"]}
    key = [(kind, words) for kind, words in BAR_WORDS.items() if kind in drawn]
    faded = any(r.get("open_start") or r.get("open_end") for g in groups for r in g["rows"] if r["stated"])
    return ctx.render("timeline", groups=groups, ticks=ticks, axis=axis, small=small, readings=readings(quotes), key=key,
                      faded=faded, checked=checked([r["claim"] for g in groups for r in g["rows"] if r["stated"]]))


def checked(claims: list[dict]) -> dict:
    """How the source words a chart quotes were checked, said once in its key as an evidence block says it after each
    quote (review 86 S8: a chapter whose only quotes are in its charts had no word of it, on screen or on paper):
    ``date`` when every one verified against the saved source on that day; else ``failed`` when one did not match,
    ``unchecked`` when one was not checked in this build; ``between`` the first and last day when the days differ
    (an evidence block gives each); {} when none is quoted."""
    if not claims:
        return {}
    if any(c.get("verified") is False for c in claims):
        return {"failed": True}
    if any(c.get("verified") is None for c in claims):
        return {"unchecked": True}
    dates = {(c.get("verification") or {}).get("date") for c in claims}
    if None in dates:
        return {}
    return {"date": dates.pop()} if len(dates) == 1 else {"between": (min(dates), max(dates))}


def sc_timeline(ctx: Context, arg: str) -> Markup:
    """<!-- timeline: all --> every question answered in weeks; <!-- timeline: TOPIC --> one of them."""
    if arg == "all":
        return timeline(ctx, ctx.report["topics"])
    topic = ctx.topic(arg)
    if not is_weeks(topic):
        raise LookupError(f"timeline: topic {arg!r} is not a range of weeks")
    return timeline(ctx, [topic], small=True)
