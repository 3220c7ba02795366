"""Every answer to a question guidance settles is weighed against it, by one rule (review 15, S2 S3).

- A mark "differs from current guidance" needs a fact that says the opposite. A fact that leaves the question open
  ("how it happens is still poorly understood": ``open:`` in data/guidance.yaml) backs the same answer ("not
  known") and contradicts none: a definite answer there reads "current guidance does not back this: ...", its own
  kind, never "differs"; `check` refuses a "differs" mark resting only on such a fact (S2).
- On a question guidance settles, every source that answers it gets a guidance mark: a range by the range rule
  (inside matches, overlapping partly, apart differs), computed from the data for any source, a sixth as much as
  the first; a range read into words that give no week is not weighed ("its words give no week"); any other
  answer is marked by the resolution, or the resolution says in plain words why it cannot be compared. `check`
  fails on an answer left with none (S3).

On the real data (the review's examples) and on made-up data (a small project with a new source).
"""
from __future__ import annotations

import re

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import minidata  # noqa: E402
from conftest import real_findings, soup_of  # noqa: E402
from test_engine import mini, run  # noqa: E402,F401  (the engine's mini project fixture)
from test_marks_follow import words  # noqa: E402

from reconcile.report import claim_mark, claim_names  # noqa: E402
from reconcile.guidance import settles  # noqa: E402


# ------------------------------------------------------------------ the real data

_real = real_findings  # loaded once (conftest)


def test_every_answer_to_a_settled_question_is_weighed_against_guidance():
    project, findings = _real()
    unweighed, weighed = [], 0
    for f in findings.values():
        res = f.resolution
        if res is None or res.outdated or not settles(project, res):
            continue
        for c in f.claims:
            if c.implied:
                continue
            if claim_mark(c, res, project) is None and not claim_names(project, c, res):
                unweighed.append(c.id)
            weighed += 1
    assert weighed > 20 and unweighed == [], unweighed


def test_the_review_examples():
    project, findings = _real()

    def mark(cid):
        c = project.claims[cid]
        return claim_mark(c, findings[c.topic].resolution, project)

    # stitch removal: "about 36 weeks" states a week guidance gives (36-37; only the site's reading of "about"
    # reaches a week past it): matches (review 17, M1); "the last month of pregnancy" (36-40) overlaps: partly
    assert mark("003.cerclage.removal")["level"] == "matches"
    # "the last month of pregnancy" gives no week: not weighed against guidance's weeks (review 17 S3)
    assert mark("001.cerclage.removal") == {
        "level": "uncompared", "guidance": ["guidance.cerclage-removal"],
        "reason": "its words give no week number; our chart puts them at 36 to 40 weeks"}
    assert mark("000.cerclage.removal")["level"] == "differs"  # around 27 weeks: apart
    assert mark("002.cerclage.removal") == {"level": "uncompared", "guidance": ["guidance.cerclage-removal"],
                                           "reason": "its words give no week"}
    # who is offered a stitch: every source that answers gets a guidance mark, or the reason it cannot be compared
    assert {s: mark(f"{s}.cerclage.who")["level"] for s in ("001", "002", "004")} == \
        {"001": "partly", "002": "uncompared", "004": "uncompared"}  # reviews 20 S4, 21 S3: 004 names no group
    assert "very high risk" in mark("002.cerclage.who")["reason"]
    # the main cause: guidance names none, so 000's answer is not backed, and not contradicted
    assert mark("000.causes.main-cause") == {"level": "open", "guidance": ["guidance.causes"],
                                            "words": project.guidance["guidance.causes"].open["causes.main-cause"]["says"]}
    assert mark("003.causes.main-cause")["level"] == "matches"


def test_no_differs_mark_rests_on_a_fact_that_leaves_its_question_open():
    project, findings = _real()
    opened = [(g, t) for g, f in project.guidance.items() for t in f.open]
    assert opened, "no fact leaves a question open: this test checks nothing"
    for f in findings.values():
        for c in f.claims:
            m = claim_mark(c, f.resolution, project) or {}
            if m.get("level") == "differs":
                assert not all(f.topic.id in project.guidance[g].open for g in m["guidance"]), c.id


def test_the_pages_say_it_plainly(hosted):
    causes = soup_of(hosted.dir / "about" / "causes" / "index.html")
    box = causes.find(id="topic-causes-main-cause")
    row = words(box.find(id="claim-000-causes-main-cause-here").get_text(" "))
    assert "current guidance does not back this: it says how it happens is not well known; the guidance we use names no main cause" in row
    assert "differs from current guidance" not in row
    assert "does not list either" not in words(causes.get_text(" "))
    stitch = soup_of(hosted.dir / "treatment" / "cerclage" / "index.html")
    for cid, said in (("002-cerclage-removal", "not compared with current guidance: its words give no week"),
                      ("001-cerclage-removal", "not compared with current guidance: its words give no week number; "
                                               "our chart puts them at 36 to 40 weeks"),
                      ("003-cerclage-removal", "matches current guidance"),
                      ("002-cerclage-who", "not compared with current guidance: it does not say who counts as very high risk"),
                      ("001-cerclage-who", "partly matches current guidance"),
                      # reviews 20 S4, 21 S3: "found to have it" names no group a guidance row names
                      ("004-cerclage-who", "not compared with current guidance: it does not say how the problem was found")):
        text = words(stitch.find(id=f"claim-{cid}-here").get_text(" "))
        if said.startswith("not compared"):  # the guidance it is not weighed against comes before the reason (review 28 S4)
            assert re.search(r"not compared with current guidance, [A-Z][^:]*: ", text), text
            text = re.sub(r"(not compared with current guidance), [^:]*:", r"\1:", text)
        assert said in text, cid


# ------------------------------------------------------------------ made-up data

def _append(path: Path, text: str):
    with path.open("a", encoding="utf-8") as f:
        f.write(text)


def _replace(path: Path, old: str, new: str):
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _add_source(data: Path, archive: Path, sid: str, text: str, claims: str):
    _append(data / "sources.yaml", minidata.archive_source(archive, sid, text))
    _append(data / "claims" / "main.yaml", claims)


def _reviewed(data: Path, archive: Path):
    from reconcile import review

    review.record(data, None)
    minidata.write_record(data, archive)


def _marks(mini, capsys, topic):
    code, out, _ = run(mini, "--format", "json", capsys=capsys)
    report = json.loads(out[:out.rindex("}") + 1])
    t = next(t for t in report["topics"] if t["id"] == topic)
    return code, {c["source"]: c["mark"] for c in t["claims"]}, report["summary"]["problems"]


RANGE = ("    topic: cerclage.removal\n", "    topic: cerclage.removal\n    value: {min: 36, max: 37, unit: weeks}\n")


def test_a_new_source_on_a_settled_range_gets_its_mark_by_the_range_rule(mini, capsys):
    data, archive, _ = mini
    _replace(data / "guidance.yaml", *RANGE)
    _replace(data / "resolutions" / "main.yaml", 'supports: {"901": [guidance.cerclage-removal]}',
             'supports: {"901": {partly: [guidance.cerclage-removal], why: "we read it as 35 to 37 weeks"}}')  # about 36 weeks: 35-37 overlaps 36-37
    _add_source(data, archive, "903", "If you have a stitch, it is usually taken out at 37 weeks of pregnancy.\n", """
  - source: "903"
    topic: cerclage.removal
    value: {min: 37, max: 37, unit: weeks}
    says: At 37 weeks.
    quote: it is usually taken out at 37 weeks of pregnancy
""")
    # the same rule for a range read into words that give no week: not weighed, and it says why
    _add_source(data, archive, "904", "The stitch comes out when the baby should be born.\n", """
  - source: "904"
    topic: cerclage.removal
    says: When the baby should be born.
    quote: The stitch comes out when the baby should be born.
""")
    _reviewed(data, archive)
    code, marks, problems = _marks(mini, capsys, "cerclage.removal")
    assert code == 0, problems
    assert marks["903"] == {"level": "matches", "guidance": ["guidance.cerclage-removal"]}
    assert marks["904"] == {"level": "uncompared", "guidance": ["guidance.cerclage-removal"], "reason": "its words give no week"}
    # ... and a mark an editor puts on it by name is refused
    _replace(data / "resolutions" / "main.yaml", 'supports: {"901": {partly: [guidance.cerclage-removal], why: "we read it as 35 to 37 weeks"}}',
             'supports: {"901": {partly: [guidance.cerclage-removal], why: "we read it as 35 to 37 weeks"}, "904": {partly: [guidance.cerclage-removal], why: "we read it as 35 to 37 weeks"}}')
    code, out, _ = run(mini, capsys=capsys)
    assert code == 1 and "is marked under supports:, but its words give no week" in out


CAUSES_FACT = """  - id: guidance.causes
    row: causes
    says: How it happens is not well known.
    cite: [ACOG PB 142]
    topic: causes.main
    open:
      causes.main: {answer: unknown, says: it names no main cause}
"""
CAUSES_SILENT = """                supports: {}
                trusted: ["901"]
                guidance_silent: true
                trust: Ask a doctor."""


def _settle_causes(mini):
    data, _, reference = mini
    _append(data / "guidance.yaml", CAUSES_FACT)
    _append(reference, "| causes | How it happens is still poorly understood. | ACOG PB 142 |\n")
    text = (data / "resolutions" / "main.yaml").read_text(encoding="utf-8")
    old = "\n".join(line[12:] for line in CAUSES_SILENT.splitlines())
    assert old in text
    (data / "resolutions" / "main.yaml").write_text(
        text.replace(old, "    supports: {}\n    guidance: [guidance.causes]"), encoding="utf-8")


def test_a_fact_that_leaves_a_question_open_backs_no_answer_and_contradicts_none(mini, capsys):
    _settle_causes(mini)
    code, marks, problems = _marks(mini, capsys, "causes.main")
    assert code == 0, problems
    assert marks["900"] == {"level": "open", "guidance": ["guidance.causes"], "words": "it names no main cause"}
    assert marks["901"] == {"level": "matches", "guidance": ["guidance.causes"]}
    _replace(mini[0] / "resolutions" / "main.yaml", "supports: {}\n    guidance: [guidance.causes]",
             'supports: {}\n    differs: {"900": [guidance.causes]}\n    guidance: [guidance.causes]')
    code, out, _ = run(mini, capsys=capsys)
    assert code == 1 and "rests on guidance.causes, which leaves causes.main open" in out


def test_an_answer_no_rule_weighs_needs_a_mark_or_a_plain_reason(mini, capsys):
    """A choice answer on a settled question: the engine cannot weigh it, so the editor marks it or says why not."""
    data, archive, _ = mini
    _settle_causes(mini)
    _replace(data / "guidance.yaml", "    open:\n      causes.main: {answer: unknown, says: it names no main cause}\n", "")
    code, out, _ = run(mini, capsys=capsys)
    assert code == 1
    for sid in ("900", "901"):
        assert f"source {sid} answers causes.main" in out and "which guidance settles, but has no guidance mark" in out
    _replace(data / "resolutions" / "main.yaml", "supports: {}\n    guidance: [guidance.causes]",
             'supports: {"901": [guidance.causes]}\n    uncompared: {"900": it does not say what kind of infection}\n'
             "    guidance: [guidance.causes]")
    code, marks, problems = _marks(mini, capsys, "causes.main")
    assert code == 0, problems
    assert marks["900"] == {"level": "uncompared", "guidance": ["guidance.causes"],
                            "reason": "it does not say what kind of infection"}


def test_a_range_weighed_against_guidance_by_the_value_its_words_state():
    """range_level over the class (made-up quotes, read by phrases as the claims record them): a range inside the
    guidance range matches; a value the site widened ("about/around N", N-1..N+1 to compare sources) matches when
    the stated N is inside (review 17, M1: "about 36 weeks" against 36 to 37); a wider overlap is partly, also for
    the same range written out ("35 to 37 weeks"); apart differs. check's range_problems follows the same rule."""
    from reconcile.guidance import range_level
    from reconcile.model import Claim, Range
    from reconcile.phrases import mentions

    fact = Range(36, 37, "weeks")
    cases = {"about 36 weeks": "matches", "around 37 weeks": "matches", "around the 37th week": "matches",
             "36 to 37 weeks": "matches", "at 36 weeks": "matches", "35 to 37 weeks": "partly",
             "about 35 weeks": "partly", "about 38 weeks": "partly", "the last month of pregnancy": "partly",
             "around 34 weeks": "differs", "26 to 28 weeks": "differs"}
    for words, level in cases.items():
        value = [m.value for m in mentions(f"It comes out {words}.") if m.kind == "weeks"][0]
        claim = Claim("900", "cerclage.removal", value, "x", f"It comes out {words}.")
        assert range_level(claim, fact) == level, (words, value)
    # outside weeks, "about N" is N itself: no widening to undo, inside only
    claim = Claim("900", "t", Range(24, 26, "mm"), "x", "from 24 to 26 mm")
    assert range_level(claim, Range(25, 26, "mm")) == "partly"
