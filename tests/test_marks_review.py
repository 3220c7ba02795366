"""The marks rule and the review dates, through `check` on a small copy of the data.

- A "(matches current guidance)" mark names the guidance facts it rests on; "partly" where only part
  is supported; `check` refuses a support mark where guidance is silent, or one resting on a fact the
  resolution does not cite.
- `check` fails once a page or a resolution is past its next review date (`--today`).
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

import disagreements  # noqa: E402
import minidata  # noqa: E402
from reconcile.compare import compare  # noqa: E402
from reconcile.load import load_project  # noqa: E402
from reconcile.report import claim_mark  # noqa: E402
from reconcile.review_dates import front_matter, site_defaults  # noqa: E402

RESOLUTIONS = "resolutions/main.yaml"
TODAY = "2026-11-23"  # within every review date of the data as written


from test_engine import mini  # noqa: E402,F401  (the engine's mini project fixture)


def check(mini, capsys, *extra):
    data, archive, reference = mini
    code = disagreements.main(["--data", str(data), "--archive", str(archive), "--reference", str(reference),
                               "--today", TODAY, *extra])
    out, err = capsys.readouterr()
    return code, out + err


def edit(data: Path, old: str, new: str):
    path = data / RESOLUTIONS
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def marks(mini, capsys, topic: str) -> dict:
    code, out = check(mini, capsys, "--format", "json")
    report = json.loads(out[:out.rindex("}") + 1])
    found = next(t for t in report["topics"] if t["id"] == topic)
    return {c["source"]: c["mark"] for c in found["claims"]}


# ------------------------------------------------------------------ marks

def test_marks_name_the_guidance_they_rest_on(mini, capsys):
    assert check(mini, capsys)[0] == 0
    assert marks(mini, capsys, "cerclage.removal") == {
        "900": {"level": "differs", "guidance": ["guidance.cerclage-removal"]},
        "901": {"level": "matches", "guidance": ["guidance.cerclage-removal"]}}
    assert marks(mini, capsys, "progesterone.twins")["901"] == {"level": "trusted", "guidance": []}


def test_partly_matches(mini, capsys):
    edit(mini[0], 'supports: {"901": [guidance.cerclage-removal]}', 'supports: {"901": {partly: [guidance.cerclage-removal], why: "we read it as 35 to 37 weeks"}}')
    assert marks(mini, capsys, "cerclage.removal")["901"] == {"level": "partly", "guidance": ["guidance.cerclage-removal"],
                                                              "why": "we read it as 35 to 37 weeks"}


def test_a_partly_mark_may_name_the_part_that_matches(mini, capsys):
    edit(mini[0], 'supports: {"901": [guidance.cerclage-removal]}',
         'supports: {"901": {partly: [guidance.cerclage-removal], part: "the  36-week\n      part"}}')
    assert marks(mini, capsys, "cerclage.removal")["901"] == {
        "level": "partly", "guidance": ["guidance.cerclage-removal"], "part": "the 36-week part"}
    edit(mini[0], 'part: "the  36-week', 'part: "TODO the  36-week')
    code, out = check(mini, capsys)
    assert code == 1 and "the resolution of cerclage.removal still says TODO in supports.901.part" in out


def test_check_rejects_a_support_mark_where_guidance_is_silent(mini, capsys):
    edit(mini[0], "supports: {}\n    trusted: [\"901\"]",
         'supports: {"901": [guidance.cerclage-removal]}')
    code, out = check(mini, capsys)
    assert code == 1
    assert "progesterone.twins is guidance_silent, so no source can match guidance" in out


def test_check_rejects_answered_in_part_where_guidance_is_silent(mini, capsys):
    """Review 64 M2: in_part (guidance answers only part of the question) says guidance speaks to it."""
    edit(mini[0], "supports: {}\n    trusted: [\"901\"]", "supports: {}\n    trusted: [\"901\"]\n    in_part: it gives no week for one kind")
    code, out = check(mini, capsys)
    assert code == 1 and "progesterone.twins is guidance_silent, so guidance answers no part of it (in_part:)" in out


def test_check_rejects_a_mark_on_guidance_the_resolution_does_not_cite(mini, capsys):
    data = mini[0]
    with (data / "guidance.yaml").open("a", encoding="utf-8") as f:
        f.write("  - id: guidance.other\n    row: cerclage removal\n    says: Another fact.\n    cite: [ACOG PB 142]\n")
    edit(data, 'supports: {"901": [guidance.cerclage-removal]}', 'supports: {"901": [guidance.other]}')
    code, out = check(mini, capsys)
    assert code == 1 and "rests on guidance.other, which the resolution's guidance: does not list" in out


def test_check_rejects_an_unmarked_side_where_guidance_matches_the_other(mini, capsys):
    """Eleventh review, S5/S6: in a conflict where guidance matches one side, a source holding another value
    sat unmarked beside "matches current guidance" (000's "inflammation or infection"). Every such side is weighed."""
    edit(mini[0], '\n    differs: {"900": [guidance.cerclage-removal]}', "")
    code, out = check(mini, capsys)
    assert code == 1 and "guidance matches another side, but source 900" in out, out
    edit(mini[0], 'supports: {"901": [guidance.cerclage-removal]}',
         'supports: {"901": [guidance.cerclage-removal], "900": {partly: [guidance.cerclage-removal], why: "we read it as 35 to 37 weeks"}}')
    assert "guidance matches another side" not in check(mini, capsys)[1]


def test_the_unmarked_divergences_of_review_11_are_marked():
    """Still marked, by the rule of review 15 (S2, S3): 000's main cause is not backed by guidance, which names no
    main cause (it contradicts none); 001's past early births are partly backed (guidance names some of them)."""
    project = load_project(ROOT / "data")
    findings = {f.topic.id: f for f in compare(project)}
    for cid, (level, facts) in {"000.causes.main-cause": ("open", ["guidance.causes"]),
                                "001.cerclage.who": ("partly", ["guidance.cerclage-history", "guidance.cerclage-ultrasound"])}.items():
        claim = project.claims[cid]
        mark = claim_mark(claim, findings[claim.topic].resolution, project)
        assert (mark["level"], mark["guidance"]) == (level, facts), cid


def test_check_rejects_trusted_where_guidance_is_cited(mini, capsys):
    edit(mini[0], 'supports: {"901": [guidance.cerclage-removal]}', 'supports: {}\n    trusted: ["901"]')
    code, out = check(mini, capsys)
    assert code == 1 and "mark sources with supports:, not trusted:" in out


def test_the_marks_the_clinical_review_questioned():
    """003's miscarriage claim carries no support mark; 001 on twins has no mark; 004 on a short cervix matches."""
    project = load_project(ROOT / "data")
    findings = {f.topic.id: f for f in compare(project)}

    def mark(claim_id):
        claim = project.claims[claim_id]
        return claim_mark(claim, findings[claim.topic].resolution)

    # eleventh review, S4: 003's progesterone includes the weekly shots it describes, and the vaginal-progesterone
    # fact says nothing of miscarriage: no support mark; the withdrawn shots it takes in are noted instead (review 14,
    # M3: guidance says nothing on twins, so the withdrawal is a note there, not a "differs" mark)
    assert mark("003.progesterone.twins") is None
    from reconcile.report import claim_names, claim_notes
    claim = project.claims["003.progesterone.twins"]
    assert claim_names(project, claim, findings[claim.topic].resolution) == []
    assert [n["guidance"] for n in claim_notes(project, claim, findings[claim.topic].resolution)
            if n.get("part")] == ["guidance.progesterone-shots"]
    # third review, S2: guidance defines the condition by the second trimester and is silent on later losses
    assert mark("003.outlook.loss-timing") == {"level": "partly", "guidance": ["guidance.definition"],
                                               "part": "the second-trimester part"}
    # review 111 M2: the blog's own words on it name the middle months only, which guidance's definition says
    assert mark("004.outlook.loss-timing") == {"level": "matches", "guidance": ["guidance.definition"]}
    assert mark("001.progesterone.twins") is None
    # review 17 S1 read the blog's "two different things" as guidance's point; reviews 26 and 27 did not: guidance
    # says a short cervix alone is not enough to diagnose it (not that the two differ) and that it still makes an
    # early birth more likely, which the blog leaves out (its short cervix "always will stay short"): partly
    m = mark("004.definition.short-cervix")
    assert m["level"] == "partly" and m["guidance"] == ["guidance.short-cervix"] and "not enough alone" in m["why"]
    assert "stay short" not in project.claims["004.definition.short-cervix"].says
    for res in project.resolutions.values():  # every "matches" rests on a fact the resolution cites
        assert not (res.guidance_silent and res.supports), res.topic
        assert all(set(m["guidance"]) <= set(res.guidance) for m in res.supports.values()), res.topic


# ------------------------------------------------------------------ review dates

def test_check_fails_when_pages_or_resolutions_are_past_review(mini, capsys):
    code, out = check(mini, capsys, "--today", "2099-01-01")
    assert code == 1
    assert "docs/index.md:1: page review was due" in out
    assert "the resolution of cerclage.removal was due for review on 2027-11-21" in out


def test_a_page_can_set_its_own_review_date(tmp_path):
    page = tmp_path / "x.md"
    page.write_text('---\nnext_review: "2030-01-01"\n---\n\n# X\n', encoding="utf-8")
    assert front_matter(page)["next_review"] == "2030-01-01"
    defaults = site_defaults(ROOT / "mkdocs.yml")
    assert defaults["last_reviewed"] <= defaults["next_review"]


def test_bad_today_is_one_line(mini, capsys):
    code, out = check(mini, capsys, "--today", "soon")
    assert code == 2 and "is not a date" in out and "Traceback" not in out


# ------------------------------------------------------------------ "differs from current guidance" and the map's cells

def _res(**kw):
    from reconcile.model import Resolution

    base = dict(topic="cerclage.removal", summary="s", short="s", supports={}, guidance=["guidance.cerclage-removal"],
                reviewed="2026-11-23")
    return Resolution(**{**base, **kw})


def _claim(source, value=None):
    from reconcile.model import Claim

    return Claim(source, "cerclage.removal", value, "says", "quote")


def test_differs_marks_rest_on_cited_guidance_and_never_where_guidance_is_silent():
    from reconcile.report import claim_mark, mark_problems

    res = _res(supports={"003": {"level": "matches", "guidance": ["guidance.cerclage-removal"]}},
               differs={"000": ["guidance.cerclage-removal"]})
    assert claim_mark(_claim("000"), res) == {"level": "differs", "guidance": ["guidance.cerclage-removal"]}
    assert claim_mark(_claim("001"), res) is None
    assert mark_problems(res, {"000", "003"}) == []
    silent = _res(guidance=[], guidance_silent=True, differs={"000": ["guidance.cerclage-removal"]})
    assert any("guidance_silent" in p for p in mark_problems(silent, {"000"}))
    both = _res(supports={"000": {"level": "matches", "guidance": ["guidance.cerclage-removal"]}},
                differs={"000": ["guidance.cerclage-removal"]})
    assert any("both matches and differs" in p for p in mark_problems(both, {"000"}))
    outdated = _res(outdated=True)
    assert claim_mark(_claim("002"), outdated)["level"] == "differs"  # all agree, guidance says otherwise


def test_only_guidance_takes_a_side_in_the_map():
    from website import shortcodes

    def claim(sid, value, level=None):
        return {"id": f"{sid}.t", "source": sid, "value": value, "mark": {"level": level, "guidance": []} if level else None}

    week = lambda lo, hi: {"min": lo, "max": hi, "unit": "weeks"}  # noqa: E731
    conflict = {"status": "conflict", "outdated": False, "kind": "range", "pairs": [],
                "claims": [claim("000", week(26, 28), "differs"), claim("001", week(36, 40)),
                           claim("003", week(35, 37), "matches"), claim("004", week(30, 31))]}
    cells = [shortcodes.cell(conflict, c) for c in conflict["claims"]]
    assert cells == ["guidance", "varies", "agree", "differs"]
    assert shortcodes.cell(conflict, None) == "silent"
    silent = {"status": "conflict", "outdated": False, "kind": "choice", "pairs": [],
              "claims": [claim("000", "yes", "trusted"), claim("004", "no")]}
    assert [shortcodes.cell(silent, c) for c in silent["claims"]] == ["differs", "differs"]  # no side where guidance is silent


# ------------------------------------------------------------------ guidance that speaks to the question (review 13)

def test_check_rejects_a_mark_or_settles_on_guidance_that_does_not_speak_to_the_question(mini, capsys):
    """Review 13, S2: the map said "guidance settles it" on how long progesterone is given, and marked a source as
    differing, resting on a fact about another question. A mark and "guidance settles it" rest on a fact that
    names the question under topic:."""
    data = mini[0]
    assert check(mini, capsys)[0] == 0
    path = data / "guidance.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("    topic: cerclage.removal\n", ""), encoding="utf-8")
    code, out = check(mini, capsys)
    assert code == 1
    assert "the differs mark on source 900 (cerclage.removal) rests on guidance.cerclage-removal, which does not " \
           "speak to cerclage.removal" in out, out
    assert "the matches mark on source 901 (cerclage.removal) rests on guidance.cerclage-removal" in out
    assert "the resolution of cerclage.removal says guidance settles it, but none of its facts" in out


def test_check_rejects_a_differs_mark_on_a_source_that_leaves_the_question_out(mini, capsys):
    """Review 13, S1: a source that says nothing on a question (its claim is implied: it leaves it out) was marked
    "differs from guidance" there, on the strength of its words elsewhere. No mark can fall on it; check says so."""
    data = mini[0]
    with (data / "guidance.yaml").open("a", encoding="utf-8") as f:
        f.write("  - id: guidance.twins\n    row: cerclage removal\n    says: Another fact.\n    cite: [ACOG PB 142]\n"
                "    topic: progesterone.twins\n")
    edit(data, 'supports: {}\n    trusted: ["901"]\n    guidance_silent: true\n    trust: The hospital page is newer.',
         'supports: {}\n    differs: {"900": [guidance.twins]}\n    guidance: [guidance.twins]')
    code, out = check(mini, capsys)
    assert code == 1
    assert "the resolution of progesterone.twins says source 900 differs from guidance, but its claim is implied" in out
    assert marks(mini, capsys, "progesterone.twins")["900"] is None


# ------------------------------------------------------------------ a withdrawn treatment where guidance is silent (review 14)

def test_a_withdrawn_treatment_is_a_mark_only_where_its_fact_speaks_to_the_question():
    """Review 14, M2 M3: "For how long is progesterone given?" and "Does progesterone help with twins?" were marked
    "differs from guidance" because the claims name (or rest on) the withdrawn weekly shots, though no guidance fact
    speaks to either question. The withdrawal is a note there, not a mark; it is a mark where its fact names the
    question under topic: (the rule follows the fact's topics, not a list of claims)."""
    import dataclasses

    from reconcile.report import claim_names, claim_notes

    project = load_project(ROOT / "data")
    findings = {f.topic.id: f for f in compare(project)}

    def names_and_notes(cid):
        claim = project.claims[cid]
        res = findings[claim.topic].resolution
        return ([n["guidance"] for n in claim_names(project, claim, res)],
                [n["guidance"] for n in claim_notes(project, claim, res)])

    for cid in ("000.progesterone.duration", "003.progesterone.duration", "001.progesterone.twins",
                "003.progesterone.twins"):
        assert names_and_notes(cid) == ([], ["guidance.progesterone-shots"]), cid
    # 002: bed rest, named on "Is a stitch used when the cervix starts to open?", which the bed-rest fact does not
    # speak to: a note. Were the fact to name that question, the same words would carry the mark.
    assert names_and_notes("002.cerclage.opening") == ([], ["guidance.bed-rest"])
    fact = project.guidance["guidance.bed-rest"]
    project.guidance["guidance.bed-rest"] = dataclasses.replace(fact, topics=[*fact.topics, "cerclage.opening"])
    assert names_and_notes("002.cerclage.opening") == (["guidance.bed-rest"], [])


def test_check_rejects_a_differs_mark_resting_on_a_fact_that_does_not_speak_to_the_question(monkeypatch, capsys):
    """`check` reads the marks the pages render: a claim marked "differs from current guidance" for a treatment it
    names, on a question that fact does not speak to, fails it (here the old rule, which marked every claim naming
    the weekly shots, put back by hand)."""
    from reconcile import report
    from reconcile.report import names_speak_problems

    args = ["check", "--without-archive", "--format", "json"]  # today, as `make check` runs it
    assert disagreements.main(args) == 0
    capsys.readouterr()
    old_rule = lambda project, claim, res: [] if claim.implied or report._is_definition(project, claim) \
        else report._named(project, claim, res)  # noqa: E731
    monkeypatch.setattr(report, "claim_names", old_rule)
    assert disagreements.main(args) == 1
    problems = json.loads(capsys.readouterr().out)["summary"]["problems"]
    assert "claim 000.progesterone.duration is marked 'differs from current guidance' resting on " \
           "guidance.progesterone-shots, which does not speak to progesterone.duration: there it is a note, not a mark" \
           in problems, problems
    assert any("claim 001.progesterone.twins is marked" in p for p in problems)
    # a claim's own differs mark is held to the same rule; a fact that speaks passes
    speaks = lambda g, t: (g, t) == ("guidance.cerclage-removal", "cerclage.removal")  # noqa: E731
    own = {"id": "000.x", "mark": {"level": "differs", "guidance": ["guidance.twins"]}, "names": []}
    assert names_speak_problems("cerclage.removal", own, speaks)
    fine = {"id": "000.x", "mark": {"level": "differs", "guidance": ["guidance.cerclage-removal"]}, "names": []}
    assert names_speak_problems("cerclage.removal", fine, speaks) == []
