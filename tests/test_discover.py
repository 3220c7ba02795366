"""Discovery: phrase parsing, the covered rule, dismissals, suggestions, the CLI and speed."""
from __future__ import annotations

import hashlib
import json
import re
import os
import sys
import unicodedata
from pathlib import Path

import jsonschema
import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

import disagreements  # noqa: E402
import minidata  # noqa: E402
from test_engine import mini  # noqa: E402,F401  (the engine's mini project fixture)
import conftest  # noqa: E402
from reconcile.discover import Discovery, FoldedText, Layout, discover, scan  # noqa: E402
from reconcile.load import load_project  # noqa: E402
from reconcile.model import Claim, Dismissal, Range  # noqa: E402
from reconcile.phrases import mentions, parse  # noqa: E402
from reconcile.quotes import fold, verify  # noqa: E402

ARCHIVE = Path(os.environ.get("SOURCE_ARCHIVE") or ROOT.parent / "shared" / "sources")


def needs_archive():
    conftest.needs_archive()  # skips in a clone without the archive, fails under CI=true


# ------------------------------------------------------------------ parsing

W = "weeks"


@pytest.mark.parametrize("phrase, text, kind, lo, hi", [
    # every form in the five sources, as the sources write them (with their spaces and dashes)
    ("Mild discomfort or spotting when you are 14 to 20 weeks pregnant", "14 to 20 weeks pregnant", W, 14, 20),
    ("a history of delivering during your second trimester, or", "second trimester", W, 14, 27),
    ("before you\u2019re 24 weeks pregnant.", "before you\u2019re 24 weeks pregnant", W, None, 24),
    ("It's usually done between 12 and 14 weeks of pregnancy.", "between 12 and 14 weeks of pregnancy", W, 12, 14),
    ("The stitch will be removed around 27 weeks of pregnancy.", "around 27 weeks of pregnancy", W, 26, 28),
    ("during your second and third trimester.", "second and third trimester", W, 14, 40),
    ("you should probably gain between 25 and 35 pounds.", "between 25 and 35 pounds", "pounds", 25, 35),
    ("symptoms may not be present up to 20th week of pregnancy.", "up to 20th week of pregnancy", W, None, 20),
    ("Beginning from the 20th week It is best", "Beginning from the 20th week", W, 19, None),
    ("This is carried out from the 15th week of pregnancy", "from the 15th week of pregnancy", W, 14, None),
    ("The sutures are removed during the last month of pregnancy or", "the last month of pregnancy", W, 36, 40),
    ("and is done in the 14th week of pregnancy.", "14th week of pregnancy", W, 13, 14),
    ("before the 24th week of pregnancy without", "before the 24th week of pregnancy", W, None, 23),  # ends as it starts
    ("or a previous second-trimester miscarriage", "second-trimester", W, 14, 27),
    ("miscarriage in the second or third trimester, or", "second or third trimester", W, 14, 40),
    ("happens in about 1 out of every 100 pregnancies.", "about 1 out of every 100", "percent", 1, 1),
    ("Short (less than 25 millimeters long).", "less than 25 millimeters", "mm", None, 25),
    ("there\u2019s up to a 30% chance it may happen again.", "up to a 30%", "percent", None, 30),
    ("If you\u2019re carrying only one baby,", "one baby", "count", 1, 1),
    ("prescribe progesterone until you're 36 weeks pregnant.", "until you're 36 weeks pregnant", W, None, 36),
    ("cerclage early in your second trimester.", "early in your second trimester", W, 14, 20),
    ("when you\u2019re about 36\u202fweeks pregnant, or", "about 36 weeks pregnant", W, 35, 37),
    ("You\u2019re carrying more than one baby.", "more than one baby", "count", 1, None),
    ("with over 15 years of high-risk OB experience.", "over 15 years", "years", 15, None),
    ("I am also a mama to 7 kids and", "7 kids", "count", 7, 7),
    ("and have given birth to 6.", "6", "count", 6, 6),
    ("teaching over 230k mamas daily", "over 230k mamas", "count", 230000, None),
    ("happens in about 1-2% of pregnancies.", "about 1-2%", "percent", 1, 2),
    ("happens in about 1\u20132% of pregnancies.", "about 1\u20132%", "percent", 1, 2),
    ("Almost 25% of babies miscarried", "Almost 25%", "percent", 25, 25),
    ("But somewhere around 14-16 weeks, things", "somewhere around 14-16 weeks", W, 13, 17),
    ("a second or third-trimester loss of pregnancy.", "second or third-trimester", W, 14, 40),
    ("4 min read", "4 min", "minutes", 4, 4),
    # number words and unit variants
    ("It's usually done at twelve weeks.", "twelve weeks", W, 12, 12),
    ("before twenty-four weeks of pregnancy", "before twenty-four weeks of pregnancy", W, None, 24),
    ("in the fourteenth week", "fourteenth week", W, 13, 14),
    ("removed at 36 wks.", "36 wks", W, 36, 36),
    ("removed at 36 wk", "36 wk", W, 36, 36),
    ("from 14-16 wks", "from 14-16 wks", W, 14, 16),
    ("a cervix shorter than 25 mm", "shorter than 25 mm", "mm", None, 25),
    ("less than 2.5 cm long", "less than 2.5 cm", "mm", None, 25),
    ("gain 25 to 35 lbs", "25 to 35 lbs", "pounds", 25, 35),
    ("about 25 per cent of losses", "about 25 per cent", "percent", 25, 25),
    ("one in 100 pregnancies", "one in 100", "percent", 1, 1),
    ("seven kids", "seven kids", "count", 7, 7),
    ("the last trimester", "the last trimester", W, 28, 40),
    ("in weeks 20 to 24", "weeks 20 to 24", W, 20, 24),
    ("removed at week 36.", "week 36", W, 36, 36),
    ("pages 20-24", "20-24", "count", 20, 24),
])
def test_phrase_forms(phrase, text, kind, lo, hi):
    m = parse(phrase)
    assert m is not None, phrase
    assert (m.text, m.kind) == (text, kind)
    assert (m.value.min, m.value.max) == (lo, hi)


@pytest.mark.parametrize("phrase, text, kind", [
    ("Medically Reviewed by Melinda Ratini, MS, DO on August 05, 2023", "August 05, 2023", "date"),
    ("OBG Management Aug 2003.", "Aug 2003", "date"),
    ("American Family Physician 15 Jan 2004.", "15 Jan 2004", "date"),
    ("Last reviewed on 2024-09-05.", "2024-09-05", "date"),
    ("January 27, 2020", "January 27, 2020", "date"),
    ("published in 2006", "2006", "date"),
    ("shots of progesterone every week during", "every week", "frequency"),
    ("Weekly shots if you've had", "Weekly", "frequency"),
])
def test_dates_and_frequencies_carry_no_value(phrase, text, kind):
    m = parse(phrase)
    assert (m.text, m.kind, m.value) == (text, kind, None)


@pytest.mark.parametrize("phrase", [
    "One of the reasons is linked to inability of the cervix",
    "a short cervix and incompetent cervix are two different things",
    "especially if it's the first pregnancy of the woman",
    "either one or both of these",
    "vitamin B12 and COVID-19",
    "your doctor may do an amniocentesis",
    "You may 5 times",   # 'may' is a verb, not May
])
def test_no_number_no_mention(phrase):
    found = [m for m in mentions(phrase) if m.kind == "date"] if "may 5" in phrase.lower() else mentions(phrase)
    assert found == []


def test_mentions_do_not_overlap_and_keep_positions():
    text = "Done between 12 and 14 weeks. Removed around 27 weeks, or about 36 weeks."
    found = mentions(text)
    assert [m.text for m in found] == ["between 12 and 14 weeks", "around 27 weeks", "about 36 weeks"]
    for m in found:
        assert text[m.start:m.end] == m.text and m.start <= m.core_start < m.core_end <= m.end
    assert all(a.end <= b.start for a, b in zip(found, found[1:]))


def test_the_five_sources_every_mention():
    """Every number and time in the archive is found (the list an editor would make by hand)."""
    needs_archive()
    project = load_project(ROOT / "data")
    texts = verify(project, ARCHIVE).texts
    found = {sid: [m.text for m in mentions(t)] for sid, t in texts.items()}
    assert found["000"] == ["August 05, 2023", "4 min", "14 to 20 weeks pregnant", "second trimester",
                            "before you're 24 weeks pregnant", "between 12 and 14 weeks of pregnancy",
                            "around 27 weeks of pregnancy", "every week", "second and third trimester",
                            "between 25 and 35 pounds"]
    assert found["001"] == ["up to 20th week of pregnancy", "Beginning from the 20th week", "weekly",
                            "from the 15th week of pregnancy", "the last month of pregnancy", "14th week of pregnancy",
                            "second trimester", "second trimester", "before the 24th week of pregnancy"]
    assert found["002"] == ["second-trimester", "Aug 2003", "June 2006", "15 Jan 2004", "Oct 2006"]
    assert found["003"][:6] == ["second or third trimester", "second or third trimester", "about 1 out of every 100",
                                "less than 25 millimeters", "up to a 30%", "second or third trimester"]
    assert len(found["003"]) == 13 and found["003"][-1] == "2024-09-05"
    assert "7 kids" in found["004"] and "over 230k mamas" in found["004"] and "about 1-2%" in found["004"]


# ------------------------------------------------------------------ folding back to the text

def test_folded_matches_map_back_to_the_saved_text():
    text = "Intro\u00a0line.\n\n  \u2022 They\u2019ll remove the\u202fstitch \u2013 at about 36 weeks\u2026 Stra\u00dfe \ufb01ne."
    ft = FoldedText(text)
    assert ft.folded.strip() == fold(text) and ft.exact
    for quote in ["They'll remove the stitch - at about 36 weeks...", "intro line. they", "strasse fine."]:
        (start, end), = ft.spans(fold(quote))
        assert fold(text[start:end]) == fold(quote)


def test_every_real_quote_maps_to_a_span_of_its_own_words():
    needs_archive()
    project = load_project(ROOT / "data")
    texts = verify(project, ARCHIVE).texts
    folded = {sid: FoldedText(t) for sid, t in texts.items()}
    for claim in project.claims.values():
        spans = folded[claim.source].spans(fold(claim.quote))
        assert spans, claim.id
        start, end = spans[0]
        assert fold(texts[claim.source][start:end]) == fold(claim.quote), claim.id


def test_combining_marks_still_map_exactly_and_anything_else_falls_back(mini):
    assert FoldedText("Cafe\u0301 at 30 weeks").exact          # e + combining acute: NFKC composes it
    odd = "\u1100\u1161 The stitch is removed at 30 weeks. Posted 2024."  # Hangul jamo compose too, unmapped
    assert not FoldedText(odd).exact
    project = load_project(mini[0])
    claim = Claim("902", "cerclage.removal", Range(30, 30, "weeks"), "says", "The stitch is removed at 30 weeks.")
    stale = Dismissal("902", "Posted in 1999", "old")
    found = Discovery([])
    scan(project, "902", "902.txt", odd, [claim], [Dismissal("902", "Posted 2024", "date"), stale], None, found)
    assert [(f.mention.text, f.state) for f in found.found] == [("30 weeks", "covered"), ("2024", "dismissed")]
    assert len(found.stale) == 1 and "Posted in 1999" in found.stale[0]


def test_sentences_end_at_stops_bullets_and_headings():
    text = "Heading\n\nFirst one. Second one at 27 weeks.\n  \u2022 item 14 weeks\nNext line"
    layout = Layout(text)
    s, e = layout.sentence(text.index("27"))
    assert text[s:e] == "Second one at 27 weeks."
    s, e = layout.sentence(text.index("14"))
    assert text[s:e] == "item 14 weeks"
    assert layout.line_col(text.index("14")) == (4, 10)


# ------------------------------------------------------------------ coverage in check

def run(mini, *args, capsys):
    """The CLI on the mini project; a command (check, discover) goes first."""
    data, archive, reference = mini
    command = [args[0]] if args and args[0] in ("check", "discover") else []
    rest = list(args[len(command):])
    code = disagreements.main(command + ["--data", str(data), "--archive", str(archive), "--reference", str(reference)] + rest)
    out, err = capsys.readouterr()
    return code, out, err


def add_sentence(mini, sid: str, sentence: str):
    """Append to an archive text and record its new sha256."""
    data, archive, _ = mini
    path = archive / f"{sid}.txt"
    old = hashlib.sha256(path.read_bytes()).hexdigest()
    path.write_text(path.read_text(encoding="utf-8") + " " + sentence, encoding="utf-8")
    new = hashlib.sha256(path.read_bytes()).hexdigest()
    sources = data / "sources.yaml"
    sources.write_text(sources.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    minidata.write_record(data, archive)  # as `check --update-lock` does after a source is re-read


def test_mini_project_is_fully_covered(mini, capsys):
    code, out, _ = run(mini, "--format", "json", capsys=capsys)
    report = json.loads(out)
    assert code == 0
    m = report["summary"]["mentions"]
    assert (m["total"], m["covered"], m["uncovered"], m["coverage"]) == (6, 6, 0, 1.0)  # alert(1) too
    schema = json.loads((ROOT / "data" / "schema" / "findings.schema.json").read_text(encoding="utf-8"))
    jsonschema.validate(report, schema)


def test_an_uncovered_number_fails_check_naming_its_place(mini, capsys):
    add_sentence(mini, "902", "Signs may start by 22 weeks.")
    col = len(minidata.TEXTS["902"]) + len(" Signs may start ") + 1
    code, out, err = run(mini, capsys=capsys)
    assert code == 1 and not err
    assert f'902.txt:1:{col}: "by 22 weeks" in source 902 is not covered by a claim nor dismissed' in out
    assert "likely topic symptoms.start" in out
    assert "numbers in the archive: 7; covered by a claim: 6 (85.7%)" in out and "not covered: 1" in out


def test_a_dismissal_with_a_reason_accounts_for_it(mini, capsys):
    add_sentence(mini, "900", "Posted 3 March 2024. Read 4 min.")
    data = mini[0]
    (data / "dismissed.yaml").write_text(
        'dismissed:\n  - source: "900"\n    text: Posted 3 March 2024\n    reason: the page date\n'
        '  - source: "900"\n    text: "Read 4\u00a0MIN"\n    reason: reading time\n', encoding="utf-8")
    code, out, _ = run(mini, "--format", "json", capsys=capsys)
    summary = json.loads(out)["summary"]
    assert code == 0, summary["problems"]
    assert summary["mentions"]["dismissed"] == 2


@pytest.mark.parametrize("text, message", [
    ("Posted in 2019", 'dismissed text "Posted in 2019" is not in 900.txt'),
    ("Cramps", 'dismissed text "Cramps" holds no number or time that discover finds'),
])
def test_a_stale_dismissal_fails_check(mini, capsys, text, message):
    (mini[0] / "dismissed.yaml").write_text(
        f'dismissed:\n  - source: "900"\n    text: {text}\n    reason: none\n', encoding="utf-8")
    code, out, _ = run(mini, capsys=capsys)
    assert code == 1
    assert f"dismissed.yaml:2: {message}" in out


def test_a_dismissal_without_a_reason_is_bad_input(mini, capsys):
    (mini[0] / "dismissed.yaml").write_text('dismissed:\n  - source: "900"\n    text: x\n', encoding="utf-8")
    code, _, err = run(mini, capsys=capsys)
    assert code == 2 and "dismissed.yaml:2:" in err and "reason" in err and "Traceback" not in err


def test_a_claim_value_that_differs_from_its_quote_is_noted(mini, capsys):
    claims = mini[0] / "claims" / "main.yaml"
    claims.write_text(claims.read_text(encoding="utf-8").replace("{min: 26, max: 28, unit: weeks}",
                                                                 "{min: 27, max: 27, unit: weeks}"), encoding="utf-8")
    code, out, _ = run(mini, "--format", "json", capsys=capsys)
    notes = [n for n in json.loads(out)["summary"]["mentions"]["notes"] if "900." in n]
    assert len(notes) == 1 and "claim 900.cerclage.removal has the value 27 weeks" in notes[0]
    assert '"26-28 weeks"' in notes[0]


# ------------------------------------------------------------------ suggestions

def test_suggestion_names_the_topic_and_warns_of_a_conflict(mini, capsys):
    add_sentence(mini, "902", "The stitch is removed at 30 weeks.")
    code, out, _ = run(mini, "discover", "--uncovered", capsys=capsys)
    assert code == 0
    assert '"30 weeks" = 30 weeks  NOT COVERED' in out
    assert "likely topic: cerclage.removal" in out
    assert "WARNING: would conflict with 900.cerclage.removal (26-28 weeks), 901.cerclage.removal (35-37 weeks)" in out
    assert "  covered by" not in out  # --uncovered lists only what is left


def test_suggestion_without_conflict_says_the_status(mini, capsys):
    add_sentence(mini, "902", "The stitch is removed at 36 weeks.")
    code, out, _ = run(mini, "discover", "--format", "json", capsys=capsys)
    doc = json.loads(out)
    (item,) = [m for m in doc["mentions"] if m["state"] == "uncovered"]
    assert item["suggestion"]["topic"] == "cerclage.removal"
    assert item["suggestion"]["value"] == {"min": 36, "max": 36, "unit": "weeks"}
    assert item["suggestion"]["status"] == "conflict" and "900.cerclage.removal" in item["suggestion"]["warning"]
    against, resolved = item["suggestion"]["warning"].split("; ", 1)
    assert "901" not in against  # 36 lies within 901's 35-37
    # the conflict is already resolved: the warning says so, and which side the new value takes
    assert resolved.startswith("this conflict is already resolved (") and "the resolution supports 901" in resolved
    assert resolved.endswith("the new value sides with 901 (the side the resolution supports)")


def test_the_clause_around_a_mention_decides_between_topics_of_one_sentence(mini, capsys):
    add_sentence(mini, "902", "Signs may start by 15 weeks, and the stitch is taken out at 30 weeks.")
    code, out, _ = run(mini, "discover", "--format", "json", capsys=capsys)
    topics = {m["text"]: m["suggestion"]["topic"] for m in json.loads(out)["mentions"] if m["state"] == "uncovered"}
    assert topics == {"by 15 weeks": "symptoms.start", "30 weeks": "cerclage.removal"}


def test_real_archive_suggestions_use_the_words_around():
    needs_archive()
    project = load_project(ROOT / "data")
    texts = dict(verify(project, ARCHIVE).texts)
    texts["000"] = texts["000"].replace("The stitch will be removed around 27 weeks of pregnancy.",
                                        "The stitch will be removed around 27 weeks of pregnancy. "
                                        "Stitches are usually taken out at 37 weeks.")
    d = discover(project, texts)
    (item,) = [f for f in d.found if f.mention.text == "37 weeks"]
    assert item.state == "uncovered" and item.suggestion.topic == "cerclage.removal"
    assert "000.cerclage.removal (26-28 weeks)" in item.suggestion.warning


# ------------------------------------------------------------------ the discover command

def test_discover_lists_each_mention_with_place_claim_and_coverage(capsys):
    needs_archive()
    code = disagreements.main(["discover", "--archive", str(ARCHIVE)])
    out, err = capsys.readouterr()
    assert code == 0 and not err
    assert '42:150   weeks      "around 27 weeks of pregnancy" = 26-28 weeks  covered by 000.cerclage.removal' in out
    assert '4:1      minutes    "4 min" = 4 minutes  dismissed: ' in out
    # the summary counts what the list shows, every mention accounted for (whatever the data holds)
    listed = len(re.findall(r"^  \d+:\d+ ", out, re.M))
    counts = re.fullmatch(r"mentions: (\d+); covered by a claim: (\d+) \([\d.]+%\); dismissed: (\d+); in drafts: (\d+); "
                          r"not covered: (\d+)", out.rstrip().splitlines()[-1])
    total, *parts = map(int, counts.groups())
    assert total == listed == sum(parts) and total > 0


def test_discover_json_and_one_source(capsys):
    needs_archive()
    code = disagreements.main(["discover", "--archive", str(ARCHIVE), "--source", "003", "--format", "json"])
    doc = json.loads(capsys.readouterr()[0])
    assert code == 0 and {m["source"] for m in doc["mentions"]} == {"003"}
    first = doc["mentions"][2]
    assert first["text"] == "about 1 out of every 100" and first["value"] == {"min": 1, "max": 1, "unit": "percent"}
    assert first["covered_by"] == ["003.frequency.how-common"] and first["line"] == 29
    assert set(doc["summary"]) == {"total", "covered", "dismissed", "drafted", "uncovered", "coverage", "accounted"}


def test_discover_a_text_not_yet_added(tmp_path, capsys):
    needs_archive()
    new = tmp_path / "new.txt"
    new.write_text("The stitch is removed at 30 weeks.\n", encoding="utf-8")
    code = disagreements.main(["discover", "--archive", str(ARCHIVE), "--text", str(new)])
    out = capsys.readouterr()[0]
    assert code == 0 and "likely topic: cerclage.removal" in out and "WARNING: would conflict with 000.cerclage.removal" in out


@pytest.mark.parametrize("args, message", [
    (["discover", "--source", "999"], "unknown source '999'"),
    (["discover", "--text", "/nonexistent/new.txt"], "/nonexistent/new.txt: file not found"),
    (["discover", "--archive", "/nonexistent"], "source archive folder not found"),
    # a clone: check (whatever the format) says which option checks without the archive
    (["check", "--format", "json", "--archive", "/nonexistent"], "add --without-archive to check against data/verified.lock"),
    (["check", "some-file.txt"], "unexpected argument for check (it takes no file)"),
])
def test_discover_bad_input_is_one_line_exit_2(args, message, capsys):
    if "--archive" not in args:
        needs_archive()
        args = args + ["--archive", str(ARCHIVE)]
    code = disagreements.main(args)
    out, err = capsys.readouterr()
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1


def test_every_number_in_the_archive_is_covered_or_dismissed():
    """A property of the real archive, whatever its size (speed is scripts/bench/discover.py's job)."""
    needs_archive()
    project = load_project(ROOT / "data")
    summary = discover(project, verify(project, ARCHIVE).texts).summary()
    assert summary["total"] > 0 and summary["uncovered"] == 0
    assert summary["covered"] + summary["dismissed"] == summary["total"]


# ------------------------------------------------------------------ fuzz

from hypothesis import HealthCheck, example, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

ALPHABET = st.sampled_from(list("abc XYZ019.,;:%-~'\n\t") + ["\u00a0", "\u202f", "\u2013", "\u2014", "\u2019", "\u201c",
                                                              "\u2022", "\u2026", "\u00df", "\ufb01", "\u200b", "e\u0301",
                                                              " weeks", " week ", "th", " to ", " and ", "between ",
                                                              "around ", "twenty-", "four", "second", " trimester",
                                                              " out of every ", "k", " mm", "Jan ", "May "])


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ALPHABET, max_size=60).map("".join))
@example("0th trimester")  # an ordinal that is no trimester once failed to unpack
@example("in the fifth trimester, 9th trimester")
def test_fuzz_mentions_never_fail_and_stay_in_place(text):
    found = mentions(text)
    for m in found:
        assert 0 <= m.start <= m.core_start < m.core_end <= m.end <= len(text)
        assert m.text == " ".join(text[m.start:m.end].split())
        if m.value is not None and m.value.min is not None and m.value.max is not None:
            assert m.value.min <= m.value.max
    assert all(a.end <= b.start for a, b in zip(found, found[1:]))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(ALPHABET, min_size=1, max_size=40).map("".join), st.data())
def test_fuzz_folded_matches_map_back(text, data):
    ft = FoldedText(text)
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    needle = fold(text[start:end])
    inside_a_character = unicodedata.combining(text[start]) or (end < len(text) and unicodedata.combining(text[end]))
    if not needle or not ft.exact or inside_a_character:
        return
    spans = ft.spans(needle)
    assert spans, (text, needle)
    for s, e in spans:
        # the place holds the needle; exactly it unless a character folded into several ("\u2026" -> "...")
        assert needle in fold(text[s:e]), (text, needle, s, e)
        if ft._origin is None:
            assert fold(text[s:e]) == needle, (text, needle, s, e)


# ------------------------------------------------------------------ suggestions that read the sentence

def _suggest_on_real_topics(text: str) -> dict[str, str | None]:
    from reconcile.newsource import _discover_new

    found = _discover_new(load_project(ROOT / "data"), "new", "new.txt", text).found
    return {f.mention.text: f.suggestion.topic if f.suggestion else None for f in found}


@pytest.mark.parametrize("sentence, mention, topic", [
    # a scan schedule is about monitoring, not about what the condition is
    ("You may be offered a transvaginal ultrasound scan every two weeks from 14-28 weeks to measure your cervix.",
     "from 14-28 weeks", "monitoring.start"),
    # pessaries are progesterone: how long it is used, not when the stitch comes out
    ("Your stitch is checked at each visit. Progesterone pessaries may be used until 34 weeks of pregnancy.",
     "until 34 weeks of pregnancy", "progesterone.duration"),
    # daily vaginal pessaries are not the weekly shots
    ("Some women are given daily vaginal pessaries of progesterone instead.", "daily", "progesterone.vaginal"),
    # two numbers in one sentence: each goes with its own clause
    ("A stitch may be put in at 12 weeks, and the stitch is usually removed at 38 weeks, or earlier if labour starts.",
     "38 weeks", "cerclage.removal"),
])
def test_a_named_drug_test_or_procedure_outranks_nearby_words(sentence, mention, topic):
    assert _suggest_on_real_topics(sentence)[mention] == topic


def test_a_number_glued_to_a_capitalised_name_is_part_of_it():
    assert [m.text for m in mentions("Weekly progesterone injections (17-OHPC) were once common.")] == ["Weekly"]


def test_a_draft_quote_always_holds_its_own_number():
    long = ("If your doctor thinks that your cervix may be weak because of what happened in an earlier pregnancy "
            "then after talking it through with you and your partner and looking at your notes the team in the "
            "clinic will usually plan for the stitch to be put in at around 13 weeks and removed at 37 weeks.")
    assert len(long.split()) > 50
    from reconcile.newsource import _discover_new

    found = _discover_new(load_project(ROOT / "data"), "new", "new.txt", long).found
    for f in found:
        assert fold(f.mention.text) in fold(f.sentence) and len(f.sentence.split()) <= 40
        assert fold(f.sentence) in fold(long)  # still a verbatim piece of the text


def test_a_treatment_guidance_discourages_is_seen_without_a_number():
    from reconcile.newsource import _discover_new

    d = _discover_new(load_project(ROOT / "data"), "new", "new.txt",
                      "The only alternative to a stitch is bed rest. Makena shots were used for years.")
    assert [(t.term, t.fact.id, t.fact.status) for t in d.treatments] == [
        ("bed rest", "guidance.bed-rest", "discouraged"), ("Makena", "guidance.progesterone-shots", "withdrawn")]
    assert d.found == []  # no number in it


# ------------------------------------------------------------------ acknowledged notes

def test_an_acknowledged_note_stays_a_note_with_its_reason_and_a_wrong_one_is_a_problem():
    """A treatment guidance speaks against, named where no claim belongs (a heading, a link): an editor
    acknowledges the note in data/dismissed.yaml (acknowledged:) with a reason; check keeps showing it,
    as acknowledged, with the reason. An entry whose words are not in the source, or hold no such
    note, is a problem. Holds for whatever the data acknowledges."""
    from reconcile import guidance, review

    needs_archive()
    project = load_project(ROOT / "data")
    texts = dict(verify(project, ARCHIVE).texts)
    d = discover(project, texts)
    _, notes = guidance.check(project, d.treatments, review.is_weighed)
    for a in project.acknowledged:
        shown = [n for n in notes if n.startswith("acknowledged: ") and f"in source {a.source} " in n
                 and " ".join(a.reason.split()) in n]
        assert shown, f"{a.where}: no note shows this acknowledgement"
    assert not [n for n in notes if "no claim quotes it" in n and "acknowledge it with a reason" not in n]
    assert d.stale == []
    # one acknowledgement more: the first note that reads as a to-do, acknowledged by the words of its place
    todo = next((t for t in d.treatments if not t.covered_by and not t.acknowledged), None)
    if todo is not None:
        text = texts[todo.source][todo.start:todo.end]
        project.acknowledged.append(Dismissal(todo.source, text, "A test reason."))
        _, notes = guidance.check(project, discover(project, texts).treatments, review.is_weighed)
        assert any(n.startswith("acknowledged: ") and "A test reason." in n for n in notes)
    # words that are not in the source, or that name no such treatment: problems
    sid = next(iter(project.sources))
    project.acknowledged += [Dismissal(sid, "words that are in no source at all", "x"),
                             Dismissal(sid, texts[sid].split("\n")[0].strip(), "y")]
    stale = discover(project, texts).stale
    assert any('acknowledged text "words that are in no source at all" is not in' in s for s in stale), stale
    assert any("holds no note of check" in s for s in stale), stale


# ------------------------------------------------------------------ the two senses of "pessary"

@pytest.mark.parametrize("sentence, device", [
    ("A cervical pessary is a soft silicone ring placed around the cervix.", True),
    ("The pessary is usually removed at about 37 weeks.", True),
    ("An Arabin pessary may be offered instead of a stitch.", True),
    ("Progesterone pessaries are used every night until 34 weeks.", False),
    ("You put one pessary into your vagina each night.", False),
    ("A cervical pessary is sometimes compared with vaginal progesterone.", True),  # the device, by its name
])
def test_a_device_pessary_is_not_the_drug(sentence, device):
    from reconcile import suggest

    assert (suggest.DEVICE_PESSARY in suggest.tokens(sentence)) is device


def test_a_device_pessary_number_is_not_given_a_progesterone_topic():
    """A pessary's "about 37 weeks" (the ring comes out) is not the drug's course; the drug's "until 34 weeks"
    still is. On the project's own topics, whatever they are."""
    from reconcile import newsource

    project = load_project(ROOT / "data")
    text = ("The pessary is usually removed at about 37 weeks.\n"
            "Progesterone pessaries are used every night until 34 weeks.\n")
    found = {f.mention.text: f.suggestion for f in newsource._discover_new(project, "777", "777_x.txt", text).found}
    device, drug = found["about 37 weeks"], found["until 34 weeks"]
    assert device is None or not device.topic.startswith("progesterone."), device
    assert drug is not None and drug.topic.startswith("progesterone."), drug


def test_a_mention_suggested_on_a_topic_of_any_kind_writes_its_json():
    """`discover --format json`: a number's suggestion carries the value it would take on its topic, of any kind the
    topic has (a range, a stance or choice option, a set's items, none), each written as JSON (an option, a str,
    once raised AttributeError: a sixth source's number first ranked on a choice topic)."""
    from reconcile.discover import Found, Suggestion
    m = mentions("The stitch is removed at 37 weeks.")[0]
    for value, written in ((m.value, m.value.as_json()), ("yes", "yes"), (("a", "b"), ["a", "b"]), (None, None)):
        found = Found("005", "005_x.txt", 1, 1, m, "The stitch is removed at 37 weeks.",
                      suggestion=Suggestion("cerclage.removal", 3.0, value))
        out = json.loads(json.dumps(found.as_json()))
        assert out["suggestion"]["value"] == written
