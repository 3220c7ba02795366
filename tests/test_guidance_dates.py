"""The date shown beside current guidance is one a reader can verify in the guidance reference (review 15, S1).

The reference says in words when its facts were confirmed ("Each fact was confirmed on 2026-11-21 against ...").
Each guidance fact carries that day (``checked:`` in data/guidance.yaml); the pages show it ("Guidance checked
DATE" under a question's guidance, "Checked DATE" on the guidance page), never the day an editor last touched a
reconciliation. `check` fails on a fact whose date the reference does not state for its row, on a fact without
one where the reference states one, and on a fact whose ``secondary`` disagrees with the row's *(secondary)*.
The dates the reference states are read here by the test's own pattern, not the engine's.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from conftest import html_files, needs_reference, soup_of  # noqa: E402
from test_engine import mini, run  # noqa: E402,F401  (the engine's mini project fixture)

ROOT = Path(__file__).resolve().parents[1]
DATE = r"\d{4}-\d{2}-\d{2}"


def stated_dates(text: str) -> set[str]:
    """Every day the reference says something was confirmed on (its own words, read by this test)."""
    return set(re.findall(rf"confirmed\s+on\s+({DATE})", text, re.I))


def shown_dates(site: Path) -> dict[str, set[str]]:
    """{page: the dates shown as when guidance was checked}: under each question's guidance, and on the guidance page."""
    out = {}
    for page in html_files(site):
        soup = soup_of(page)
        texts = [p.get_text(" ") for p in soup.select(".resolution-cite")]
        texts += [p.get_text(" ") for p in soup.select(".guidance-list p[id^=guidance-]")]
        dates = {d for t in texts for d in re.findall(rf"[Cc]hecked\s+({DATE})", t)}
        if dates:
            out[str(page.relative_to(site))] = dates
    return out


def test_the_site_shows_only_dates_the_reference_states(hosted):
    stated = stated_dates(needs_reference().read_text(encoding="utf-8"))
    assert stated, "the reference states no confirmation date: this test checks nothing"
    shown = shown_dates(hosted.dir)
    assert "guidance/index.html" in shown and len(shown) > 5, shown
    wrong = {page: sorted(dates - stated) for page, dates in shown.items() if dates - stated}
    assert wrong == {}, f"dates shown as when guidance was checked that the reference does not state ({stated}): {wrong}"


def test_every_fact_has_a_date_the_reference_states():
    import yaml

    stated = stated_dates(needs_reference().read_text(encoding="utf-8"))
    facts = yaml.safe_load((ROOT / "data" / "guidance.yaml").read_text(encoding="utf-8"))["facts"]
    assert {f["id"]: f.get("checked") for f in facts if f.get("checked") not in stated} == {}


# ------------------------------------------------------------------ check, on made-up data

DATED = "Each fact was confirmed on 2026-11-21 against a public copy of the cited document.\n"


def _reference(mini, text: str):
    mini[2].write_text(text, encoding="utf-8")


def _fact(mini, old: str, new: str):
    path = mini[0] / "guidance.yaml"
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


CITE = "cite: [ACOG PB 142]\n"


def test_check_refuses_a_date_the_reference_does_not_state(mini, capsys):
    import minidata

    _reference(mini, minidata.REFERENCE.replace("## Citations", DATED + "## Citations"))
    code, out, _ = run(mini, capsys=capsys)
    assert code == 1 and "guidance.cerclage-removal has no checked: date" in out and '"2026-11-21"' in out
    _fact(mini, CITE, CITE + '    checked: "2026-11-23"\n')
    code, out, _ = run(mini, capsys=capsys)
    assert code == 1 and "guidance.cerclage-removal says checked: 2026-11-23" in out and "2026-11-21" in out
    _fact(mini, '"2026-11-23"', '"2026-11-21"')
    assert run(mini, capsys=capsys)[0] == 0


def test_a_row_of_its_own_date_replaces_the_general_one(mini, capsys):
    import minidata

    text = minidata.REFERENCE.replace("## Citations", DATED + "## Citations")
    _reference(mini, text.replace("removed at 36-37 weeks |", "removed at 36-37 weeks (confirmed on 2026-12-01) |"))
    _fact(mini, CITE, CITE + '    checked: "2026-11-21"\n')
    code, out, _ = run(mini, capsys=capsys)
    assert code == 1 and "says its row was confirmed on 2026-12-01" in out
    _fact(mini, '"2026-11-21"', '"2026-12-01"')
    assert run(mini, capsys=capsys)[0] == 0


def test_a_date_where_the_reference_states_none(mini, capsys):
    _fact(mini, CITE, CITE + '    checked: "2026-11-21"\n')
    code, out, _ = run(mini, capsys=capsys)
    assert code == 1 and "states no date for its row" in out


def test_secondary_follows_the_row(mini, capsys):
    import minidata

    _reference(mini, minidata.REFERENCE.replace("| ACOG PB 142 |", "| ACOG PB 142 *(secondary)* |"))
    code, out, _ = run(mini, capsys=capsys)
    assert code == 1 and "says secondary: false, but its row" in out
    _fact(mini, CITE, CITE + "    secondary: true\n")
    assert run(mini, capsys=capsys)[0] == 0


def test_a_date_that_is_no_day_is_bad_input(mini, capsys):
    _fact(mini, CITE, CITE + '    checked: "2026-02-30"\n')
    code, _, err = run(mini, capsys=capsys)
    assert code == 2 and "guidance.yaml" in err and "Traceback" not in err
