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
sys.path.insert(0, str(ROOT / "scripts"))
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
        "900": None, "901": {"level": "matches", "guidance": ["guidance.cerclage-removal"]}}
    assert marks(mini, capsys, "progesterone.twins")["901"] == {"level": "trusted", "guidance": []}


def test_partly_matches(mini, capsys):
    edit(mini[0], 'supports: {"901": [guidance.cerclage-removal]}', 'supports: {"901": {partly: [guidance.cerclage-removal]}}')
    assert marks(mini, capsys, "cerclage.removal")["901"] == {"level": "partly", "guidance": ["guidance.cerclage-removal"]}


def test_check_rejects_a_support_mark_where_guidance_is_silent(mini, capsys):
    edit(mini[0], "supports: {}\n    trusted: [\"901\"]",
         'supports: {"901": [guidance.cerclage-removal]}')
    code, out = check(mini, capsys)
    assert code == 1
    assert "progesterone.twins is guidance_silent, so no source can match guidance" in out


def test_check_rejects_a_mark_on_guidance_the_resolution_does_not_cite(mini, capsys):
    data = mini[0]
    with (data / "guidance.yaml").open("a", encoding="utf-8") as f:
        f.write("  - id: guidance.other\n    row: cerclage removal\n    says: Another fact.\n    cite: [ACOG PB 142]\n")
    edit(data, 'supports: {"901": [guidance.cerclage-removal]}', 'supports: {"901": [guidance.other]}')
    code, out = check(mini, capsys)
    assert code == 1 and "rests on guidance.other, which the resolution's guidance: does not list" in out


def test_check_rejects_trusted_where_guidance_is_cited(mini, capsys):
    edit(mini[0], 'supports: {"901": [guidance.cerclage-removal]}', 'supports: {}\n    trusted: ["901"]')
    code, out = check(mini, capsys)
    assert code == 1 and "mark sources with supports:, not trusted:" in out


def test_the_marks_the_clinical_review_questioned():
    """003's miscarriage claim only partly matches; 001 on twins has no mark; 004 on a short cervix partly."""
    project = load_project(ROOT / "data")
    findings = {f.topic.id: f for f in compare(project)}

    def mark(claim_id):
        claim = project.claims[claim_id]
        return claim_mark(claim, findings[claim.topic].resolution)

    assert mark("003.progesterone.twins") == {"level": "partly", "guidance": ["guidance.vaginal-progesterone"]}
    assert mark("001.progesterone.twins") is None
    assert mark("004.definition.short-cervix")["level"] == "partly"
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
