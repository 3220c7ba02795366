"""The disagreement engine: comparison rules, quote folding, bad input, the JSON shape."""
from __future__ import annotations

import datetime
import json
import shutil
import os
import re
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

import disagreements  # noqa: E402
import minidata  # noqa: E402
from reconcile.compare import classify, judge  # noqa: E402
from reconcile.load import load_project  # noqa: E402
from reconcile.model import Claim, Range, Topic  # noqa: E402
from reconcile.quotes import fold  # noqa: E402
from reconcile.yamlfile import InputError  # noqa: E402

from conftest import ARCHIVE  # noqa: E402  ($SOURCE_ARCHIVE, else ../shared/sources)


@pytest.fixture
def mini(tmp_path):
    data, archive = minidata.make(tmp_path)
    reference = tmp_path / "guidelines.md"
    reference.write_text(minidata.REFERENCE, encoding="utf-8")
    return data, archive, reference


def run(mini, *extra, capsys):
    data, archive, reference = mini
    code = disagreements.main(["--data", str(data), "--archive", str(archive), "--reference", str(reference), *extra])
    out, err = capsys.readouterr()
    return code, out, err


# ------------------------------------------------------------------ comparison rules

def claims(kind, *values, **topic_fields):
    rule = {"range": "overlap", "stance": "equal", "choice": "equal", "caveat": "caveat", "set": "union", "fact": "none"}[kind]
    topic = Topic("t.x", "?", "index.md", kind, rule, **topic_fields)
    return topic, [Claim(f"{i:03d}", "t.x", v, "says", "quote") for i, v in enumerate(values)]


@pytest.mark.parametrize("a, b, expected", [
    (Range(26, 28, "weeks"), Range(35, 37, "weeks"), "conflict"),      # 27 vs 36 weeks
    (Range(26, 28, "weeks"), Range(28, 30, "weeks"), "variation"),     # touching counts as overlap
    (Range(26, 28, "weeks"), Range(28.5, 30, "weeks"), "conflict"),    # a gap, however small
    (Range(14, 20, "weeks"), Range(20, None, "weeks"), "variation"),   # "from the 20th week" is open
    (Range(14, 16, "weeks"), Range(20, None, "weeks"), "conflict"),
    (Range(None, 36, "weeks"), Range(35, 37, "weeks"), "variation"),   # "until 36 weeks"
    (Range(35, 37, "weeks"), Range(35, 37, "weeks"), "agree"),
    (Range(10, 10, "weeks"), Range(10, 14, "weeks"), "variation"),    # inside, but four weeks from its end
    (Range(None, None, "weeks"), Range(26, 28, "weeks"), "variation"),  # unspecified overlaps anything
])
def test_range_rule(a, b, expected):
    topic, cs = claims("range", a, b, unit="weeks")
    assert classify(topic, cs)[0] == expected


@pytest.mark.parametrize("unit, values, expected", [
    # one answer read two ways: "before the 24th week" (up to 23) against "before 24 weeks" (up to 24)
    ("weeks", [Range(None, 23, "weeks"), Range(None, 24, "weeks")], ("agree", "about the same")),
    ("weeks", [Range(19, None, "weeks"), Range(20, None, "weeks")], ("agree", "about the same")),  # from the 20th / 20
    ("weeks", [Range(13, 14, "weeks"), Range(14, 14, "weeks")], ("agree", "about the same")),      # the 14th week / 14
    ("weeks", [Range(12, 14, "weeks"), Range(13, 14, "weeks"), Range(13, 13, "weeks")], ("agree", "about the same")),
    ("percent", [Range(1, 1, "percent"), Range(1, 2, "percent")], ("agree", "about the same")),    # 1 in 100 vs 1-2
    # real variations stay: ends further apart than a step, or neither inside the other
    ("weeks", [Range(None, 23, "weeks"), Range(None, 36, "weeks")], ("variation", None)),
    ("weeks", [Range(None, 23, "weeks"), Range(None, 25, "weeks")], ("variation", None)),
    ("weeks", [Range(None, 23, "weeks"), Range(None, None, "weeks")], ("variation", None)),        # an open end vs a week
    ("weeks", [Range(12, 14, "weeks"), Range(13, 15, "weeks")], ("variation", None)),              # overlap, not inside
    ("weeks", [Range(12, 14, "weeks"), Range(13, 14, "weeks"), Range(14, 20, "weeks")], ("variation", None)),
    ("percent", [Range(1, 1, "percent"), Range(1, 3, "percent")], ("variation", None)),
    ("mm", [Range(24, 25, "mm"), Range(25, 25, "mm")], ("variation", None)),                       # no step for mm
    # conflicts stay: a value outside another's range, however close
    ("weeks", [Range(22, 23, "weeks"), Range(24, 24, "weeks")], ("conflict", None)),
    ("percent", [Range(1, 1, "percent"), Range(2, 2, "percent")], ("conflict", None)),
    ("weeks", [Range(26, 28, "weeks"), Range(26, 28, "weeks")], ("agree", None)),
])
def test_ranges_about_the_same_are_one_answer(unit, values, expected):
    """The class of (c) and (b): one range inside the other, each end at most the unit's step away, agrees with
    the basis "about the same"; anything wider stays a variation, anything apart a conflict."""
    topic, cs = claims("range", *values, unit=unit)
    status, _, basis = judge(topic, cs)
    assert (status, basis) == expected
    assert classify(topic, cs)[0] == status


def test_range_conflict_names_the_pairs_apart():
    topic, cs = claims("range", Range(26, 28, "weeks"), Range(36, 40, "weeks"), Range(35, 37, "weeks"), unit="weeks")
    status, pairs = classify(topic, cs)
    assert status == "conflict"
    assert pairs == [("000.t.x", "001.t.x"), ("000.t.x", "002.t.x")]


def test_one_source_is_single_source_whatever_the_kind():
    topic, cs = claims("range", Range(26, 28, "weeks"), unit="weeks")
    assert classify(topic, cs)[0] == "single-source"
    topic, cs = claims("choice", "infection", options={"infection": "I"})
    assert classify(topic, cs)[0] == "single-source"


def test_stance_and_choice_rules():
    assert classify(*claims("stance", "recommended", "recommended", options={}))[0] == "agree"
    assert classify(*claims("stance", "recommended", "not-effective", options={}))[0] == "conflict"
    assert classify(*claims("choice", "infection", "unknown", "infection", options={}))[0] == "conflict"


def test_caveat_rule():
    status, pairs = classify(*claims("caveat", "stated", "omitted", "stated", caveat="one baby"))
    assert status == "omission" and pairs == [("000.t.x", "001.t.x")]  # the first stated, against each omitted
    assert classify(*claims("caveat", "stated", "stated", caveat="one baby"))[0] == "agree"
    # a source that speaks only of another group neither states the caveat nor leaves it out (review 105 M1 against
    # review 104 M2: 003's "if you're carrying only one baby"): it opens no omission and takes no side in one
    status, pairs = classify(*claims("caveat", "stated", "limited", "omitted", caveat="one baby"))
    assert status == "omission" and pairs == [("000.t.x", "002.t.x")]
    assert classify(*claims("caveat", "stated", "limited", caveat="one baby"))[0] == "agree"
    assert classify(*claims("caveat", "limited", "omitted", caveat="one baby"))[0] == "agree"


def test_set_and_fact_rules():
    assert classify(*claims("set", ("a", "b"), ("a", "b"), options={}))[0] == "agree"
    assert classify(*claims("set", ("a", "b"), ("a",), options={}))[0] == "variation"
    # a topic whose options can all be true at once (names, kinds of pain relief, settings): different lists agree
    assert judge(*claims("set", ("a", "b"), ("a",), ("c",), options={}, compatible=True)) == ("agree", [], "compatible")
    assert judge(*claims("set", ("a",), ("a",), options={}, compatible=True)) == ("agree", [], None)
    assert judge(*claims("set", ("a", "b"), ("a",), options={}, compatible=False))[::2] == ("variation", None)
    assert classify(*claims("fact", None, None))[0] == "agree"


def test_a_silent_source_is_not_compared(mini, capsys):
    code, out, _ = run(mini, "--format", "json", capsys=capsys)
    topics = {t["id"]: t for t in json.loads(out)["topics"]}
    assert [c["source"] for c in topics["cerclage.removal"]["claims"]] == ["900", "901"]
    assert topics["symptoms.start"]["status"] == "single-source"
    assert topics["symptoms.list"]["status"] == "variation"
    assert topics["cerclage.removal"]["status"] == "conflict"
    assert topics["progesterone.twins"]["status"] == "omission"


# ------------------------------------------------------------------ quotes

@pytest.mark.archive
def test_folding_on_the_archive_real_characters():
    texts = {p.name[:3]: p.read_text(encoding="utf-8") for p in ARCHIVE.glob("00*.txt")}
    # U+00A0 inside 000's list; U+202F in 003; curly apostrophe in 001; em dash in 004; bullets everywhere
    assert "\u00a0" in texts["000"] and "\u202f" in texts["003"] and "\u2019" in texts["001"] and "\u2014" in texts["004"]
    assert fold("Mild discomfort or spotting when you are 14 to 20 weeks pregnant") in fold(texts["000"])
    assert fold("diagnosis can still be difficult especially if it's the first pregnancy") in fold(texts["001"])
    assert fold("I am Trish - AKA Labor Nurse Mama") in fold(texts["004"])
    assert fold("HOW COMMON IS CERVICAL INSUFFICIENCY?") in fold(texts["003"])
    assert fold("Feeling pressure in your pelvis Backache that you haven't had before") in fold(texts["000"])
    assert fold("stitch removed around 36 weeks") not in fold(texts["000"])


def test_fold_maps_unicode_spaces_quotes_dashes_bullets():
    assert fold("It\u2019s\u00a0about 36\u202fweeks \u2014 \u201cyes\u201d\n\u2022 Done") == 'it\'s about 36 weeks-"yes" done'


def test_tampered_quote_fails_naming_claim_file_and_nearest_passage(mini, capsys):
    data = mini[0]
    path = data / "claims" / "main.yaml"
    path.write_text(path.read_text().replace("around 27 weeks of pregnancy", "around 29 weeks of pregnancy"))
    code, out, _ = run(mini, capsys=capsys)
    assert code == 1
    line = next(line for line in out.splitlines() if "not found" in line)
    assert "claim 900.cerclage.removal" in line and "900.txt" in line and "main.yaml:" in line
    assert 'nearest passage: "Your stitch is taken out around 27 weeks of pregnancy."' in line


def test_clean_data_passes_and_unresolved_conflict_fails(mini, capsys):
    code, out, _ = run(mini, capsys=capsys)
    assert code == 0, out
    assert "check: OK" in out
    res = mini[0] / "resolutions" / "main.yaml"
    res.write_text(res.read_text().split("  - topic: progesterone.twins")[0])
    code, out, _ = run(mini, capsys=capsys)
    assert code == 1
    assert "topic progesterone.twins: unresolved omission" in out
    assert "topic causes.main: unresolved conflict" in out


def test_json_output_validates_against_its_schema(mini, capsys):
    code, out, _ = run(mini, "--format", "json", capsys=capsys)
    report = json.loads(out)
    schema = json.loads((ROOT / "data" / "schema" / "findings.schema.json").read_text())
    jsonschema.validate(report, schema)
    assert report["summary"]["statuses"] == {"conflict": 2, "omission": 1, "variation": 1, "single-source": 1, "agree": 0}
    removal = next(t for t in report["topics"] if t["id"] == "cerclage.removal")
    assert removal["claims"][0] == {"id": "900.cerclage.removal", "source": "900", "value": {"min": 26, "max": 28, "unit": "weeks"},
                                    "label": "26-28 weeks", "says": "Around 27 weeks.",
                                    "quote": "Your stitch is taken out around 27 weeks of pregnancy.",
                                    "shown": "\u2026 taken out around 27 weeks of pregnancy.", "verified": True, "implied": False, "mark": {"level": "differs", "guidance": ["guidance.cerclage-removal"]}, "names": [],
                                    "notes": [], "verification": {"how": "archive", "date": datetime.date.today().isoformat()}}
    marked = removal["claims"][1]
    assert (marked["source"], marked["mark"]) == ("901", {"level": "matches", "guidance": ["guidance.cerclage-removal"]})
    assert removal["resolution"]["cite"] == ["ACOG PB 142"]


def test_markdown_output(mini, capsys):
    _edit(mini[0] / "topics" / "main.yaml", "question: Main cause?", "question: Main <b>cause</b> | reason?")
    code, out, _ = run(mini, "--format", "markdown", capsys=capsys)
    assert out.startswith("# Where the sources disagree")
    assert "| `cerclage.removal` | When is the stitch taken out? | conflict | yes |" in out
    assert "| Main &lt;b\\>cause&lt;/b\\> \\| reason? | conflict |" in out and "<b>" not in out


def test_guidance_row_must_exist_in_the_reference(mini, capsys):
    mini[2].write_text(minidata.REFERENCE.replace("| cerclage removal |", "| cerclage taken out |"))
    code, out, _ = run(mini, capsys=capsys)
    assert code == 1 and "guidance.cerclage-removal names the row 'cerclage removal', which is not in" in out


# ------------------------------------------------------------------ bad input: exit 2, one line, nothing written

def _edit(path: Path, old: str, new: str):
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _claims(data):
    return data / "claims" / "main.yaml"


BAD_INPUT = {
    "invalid YAML": (lambda d, a: _edit(_claims(d), "value: {min: 26, max: 28, unit: weeks}", "value: {min: 26, max: 28"),
                     "main.yaml:", "invalid YAML"),
    "empty file": (lambda d, a: _claims(d).write_text(""), "main.yaml:1:", "the file is empty"),
    "unknown source": (lambda d, a: _edit(_claims(d), 'source: "902"', 'source: "907"'), "main.yaml:", "unknown source '907'"),
    "unknown topic": (lambda d, a: _edit(_claims(d), "topic: symptoms.start", "topic: symptoms.begin"), "main.yaml:", "unknown topic 'symptoms.begin'"),
    "duplicate topic id": (lambda d, a: _edit(d / "topics" / "main.yaml", "id: symptoms.start", "id: symptoms.list"), "topics/main.yaml:", "duplicate topic id symptoms.list"),
    "duplicate claim": (lambda d, a: _edit(_claims(d), 'source: "901"\n    topic: causes.main', 'source: "900"\n    topic: causes.main'), "main.yaml:", "duplicate claim 900.causes.main"),
    "value of the wrong kind": (lambda d, a: _edit(_claims(d), "value: infection", "value: {min: 1, unit: weeks}"), "main.yaml:", "the value is one word from its options"),
    "option not allowed": (lambda d, a: _edit(_claims(d), "value: infection", "value: germs"), "main.yaml:", "'germs' is not an option of topic causes.main"),
    "wrong unit": (lambda d, a: _edit(_claims(d), "{min: 35, max: 37, unit: weeks}", "{min: 35, max: 37, unit: days}"), "main.yaml:", "wrong unit 'days'"),
    "range without the value its quote gives": (lambda d, a: _edit(_claims(d), "    value: {min: 35, max: 37, unit: weeks}\n", ""), "main.yaml:", "the quote gives 'about 36 weeks pregnant'"),
    "range upside down": (lambda d, a: _edit(_claims(d), "{min: 35, max: 37, unit: weeks}", "{min: 37, max: 35, unit: weeks}"), "main.yaml:", "upside down"),
    "missing quote": (lambda d, a: _edit(_claims(d), "    quote: Symptoms may start from the 20th week.\n", ""), "main.yaml:", "'quote' is a required property"),
    "unknown field": (lambda d, a: _edit(_claims(d), "says: From week 20.", "says: From week 20.\n    sayz: typo"), "main.yaml:", "unknown field"),
    "unquoted source id": (lambda d, a: _edit(d / "sources.yaml", 'id: "900"', "id: 900"), "sources.yaml:", 'write ids in quotes'),
    "missing archive file": (lambda d, a: (a / "902.txt").unlink(), "sources.yaml:", "archive file"),
    "sha256 mismatch": (lambda d, a: (a / "902.txt").write_text("changed"), "sources.yaml:", "the archive changed"),
    "non-UTF-8 file": (lambda d, a: _claims(d).write_bytes("claims: []\n# caf\xe9\n".encode("latin-1")), "main.yaml:2:", "not UTF-8"),
    "very large file": (lambda d, a: _claims(d).write_text("claims: []\n" + ("#" * 80 + "\n") * 260_000), "main.yaml:", "are refused"),
    "unknown guidance id": (lambda d, a: _edit(d / "resolutions" / "main.yaml", "[guidance.cerclage-removal]", "[guidance.removal]"), "resolutions/main.yaml:", "unknown guidance id"),
    "quote too long": (lambda d, a: _edit(_claims(d), "quote: Cramps Spotting", "quote: " + "word " * 45), "main.yaml:", "at most 40"),
    "duplicate key": (lambda d, a: _edit(_claims(d), "says: From week 20.", "says: From week 20.\n    says: again"), "main.yaml:", "appears twice"),
    "topic without claims": (lambda d, a: _edit(_claims(d), "topic: symptoms.start", "topic: cerclage.removal"), "topics/main.yaml:", "topic symptoms.start has no claims"),
    "no data folder": (lambda d, a: __import__("shutil").rmtree(d), "data", "data folder not found"),
    "no archive folder": (lambda d, a: __import__("shutil").rmtree(a), "archive", "source archive folder not found"),
}


@pytest.mark.parametrize("case", BAD_INPUT, ids=list(BAD_INPUT))
def test_bad_input_exits_2_with_one_clear_line(mini, capsys, case):
    data, archive, _ = mini
    breaker, where, what = BAD_INPUT[case]
    before = {p: p.read_bytes() for p in data.rglob("*.yaml")} if data.exists() else {}
    breaker(data, archive)
    after_break = {p: p.read_bytes() for p in data.rglob("*.yaml")} if data.exists() else {}
    code, out, err = run(mini, capsys=capsys)
    assert code == 2, (out, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert where in lines[0] and what in lines[0], lines[0]
    assert "Traceback" not in err + out
    # the check never writes the data files
    assert {p: p.read_bytes() for p in data.rglob("*.yaml")} == after_break if data.exists() else True
    assert before  # the fixture had data to begin with


def test_the_script_as_a_process_prints_no_traceback(mini, tmp_path):
    data, archive, reference = mini
    _claims(data).write_text("claims:\n  - [unclosed\n")
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "disagreements.py"), "--data", str(data),
                           "--archive", str(archive), "--reference", str(reference)], capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr.startswith("error: ") and "main.yaml:" in proc.stderr and "Traceback" not in proc.stderr


# ------------------------------------------------------------------ fuzzing the loader

yaml_scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**6, 10**6), st.floats(allow_nan=False),
                         st.text(max_size=20), st.sampled_from(["900", "cerclage.removal", "weeks", "stated", "infection"]))
yaml_values = st.recursive(yaml_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4),
    st.dictionaries(st.sampled_from(["source", "topic", "value", "says", "quote", "min", "max", "unit", "implied", "x"]),
                    inner, max_size=6)), max_leaves=20)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(doc=st.one_of(yaml_values, st.fixed_dictionaries({"claims": st.lists(yaml_values, max_size=4)})))
def test_fuzz_structures_only_raise_input_error(mini, doc):
    data = mini[0]
    _claims(data).write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    try:
        load_project(data)
    except InputError as exc:
        assert str(exc).startswith(str(data))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(raw=st.binary(max_size=200) | st.text(alphabet="claims:-[]{}&*!|>'\"\n #900.", max_size=120))
def test_fuzz_raw_bytes_only_raise_input_error(mini, raw):
    data = mini[0]
    _claims(data).write_bytes(raw if isinstance(raw, bytes) else raw.encode("utf-8"))
    try:
        load_project(data)
    except InputError:
        pass


@pytest.mark.archive
@pytest.mark.reference
def test_real_data_checks_clean():
    """The project's own data: every quote verifies, every disagreement is resolved, and
    data/verified.lock records every quote as it is (run `check --update-lock` after editing one)."""
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "disagreements.py")], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr
    assert "check: OK" in proc.stdout


def test_a_topic_no_page_shows_is_a_check_problem(tmp_path):
    """The rule the build enforces too (reconcile/pages.py): a topic with claims needs a page that shows it."""
    shutil.copytree(ROOT / "data", tmp_path / "data")
    shutil.copytree(ROOT / "docs", tmp_path / "docs")
    from reconcile.pages import unshown_problems

    project = load_project(tmp_path / "data")
    assert unshown_problems(project, tmp_path / "docs") == []
    page = tmp_path / "docs" / "treatment" / "cerclage.md"
    kept = [line for line in page.read_text(encoding="utf-8").splitlines() if "cerclage.setting" not in line]
    page.write_text("\n".join(kept) + "\n", encoding="utf-8")
    problems = unshown_problems(project, tmp_path / "docs")
    assert len(problems) == 1 and "topic cerclage.setting has claims but no page shows it" in problems[0]
    assert problems[0].startswith(str(tmp_path / "data" / "topics"))


# ------------------------------------------------------------------ the verification record (data/verified.lock)

from reconcile.cache import ParseCache  # noqa: E402
from reconcile.pipeline import PARSE_CACHE, analyse, default_cache  # noqa: E402
from reconcile.record import read_record  # noqa: E402
from reconcile.report import build_report  # noqa: E402


def _report(data, archive):
    a = analyse(data, archive, None, cache=None)
    return build_report(a.project, a.verification, a.findings, a.reference_problems, a.discovery)


def _claim(report, cid):
    return next(c for t in report["topics"] for c in t["claims"] if c["id"] == cid)


def test_without_the_archive_the_record_vouches_for_the_quotes(mini):
    data, _, _ = mini
    report = _report(data, None)
    jsonschema.validate(report, json.loads((ROOT / "data" / "schema" / "findings.schema.json").read_text()))
    quotes = report["summary"]["quotes"]
    assert quotes == {"verified": 9, "failed": 0, "unverified": 0, "record": 9}
    today = datetime.date.today().isoformat()
    assert _claim(report, "900.cerclage.removal")["verification"] == {"how": "record", "date": today}
    # a quote edited since: not vouched for any more, and not claimed as verified
    _edit(_claims(data), "quote: Cramps and backache are common.", "quote: Cramps and backache")
    report = _report(data, None)
    assert _claim(report, "902.symptoms.list")["verified"] is None
    assert _claim(report, "902.symptoms.list")["verification"] is None
    assert report["summary"]["quotes"] == {"verified": 8, "failed": 0, "unverified": 1, "record": 8}


def test_with_the_archive_verification_is_dated_today(mini):
    report = _report(mini[0], mini[1])
    assert _claim(report, "900.cerclage.removal")["verification"] == {"how": "archive", "date": datetime.date.today().isoformat()}
    assert report["summary"]["quotes"]["record"] == 0


def test_update_lock_keeps_the_day_of_unchanged_entries(mini, capsys):
    data, archive, reference = mini
    lock = data / "verified.lock"
    lock.write_text(lock.read_text().replace(datetime.date.today().isoformat(), "2020-01-02"))
    _edit(_claims(data), "quote: Cramps and backache are common.", "quote: Cramps and backache")
    code, out, _ = run(mini, capsys=capsys)
    assert code == 1 and "902.symptoms.list (quote, verified 2020-01-02)" in out
    code, out, err = run(mini, "--update-lock", capsys=capsys)
    assert code == 0, out
    assert "9 verified quotes recorded" in err
    record = read_record(data)
    assert record["902.symptoms.list"]["verified"] == datetime.date.today().isoformat()
    assert {e["verified"] for cid, e in record.items() if cid != "902.symptoms.list"} == {"2020-01-02"}
    assert record["902.symptoms.start"]["line"] == 1
    assert not list(data.glob(".verified.lock.*"))  # written whole, no temp left


def test_the_committed_record_covers_the_data():
    """data/verified.lock vouches for every claim as it is now (without the archive, so a clone can check it)."""
    report = _report(ROOT / "data", None)
    quotes = report["summary"]["quotes"]
    assert quotes["record"] == quotes["verified"] == report["summary"]["claims"] > 0


# ------------------------------------------------------------------ the parse cache

def test_the_cache_reparses_only_the_file_that_changed(mini, tmp_path):
    data = mini[0]
    cache_dir = tmp_path / "cache"
    first = ParseCache(cache_dir)
    plain = load_project(data)
    assert load_project(data, first).claims == plain.claims
    assert len(first.parsed) == 5  # every file, the first time
    warm = ParseCache(cache_dir)
    assert load_project(data, warm).claims == plain.claims and warm.parsed == []
    _edit(_claims(data), "says: Around 27 weeks.", "says: Near 27 weeks.")
    reload = ParseCache(cache_dir)  # what `make serve` does after an editor saves one file
    project = load_project(data, reload)
    assert reload.parsed == [_claims(data)]
    assert project.claims["900.cerclage.removal"].says == "Near 27 weeks."
    assert len(list(cache_dir.glob("*.bin"))) == 5  # the old entry of the edited file is pruned


def test_a_corrupt_or_stale_cache_entry_is_never_trusted(mini, tmp_path):
    data = mini[0]
    cache_dir = tmp_path / "cache"
    load_project(data, ParseCache(cache_dir))
    entries = sorted(cache_dir.glob("*.bin"))
    corrupt = entries[0]
    blob = bytearray(corrupt.read_bytes())
    blob[-3] ^= 0xFF  # one flipped byte in the payload
    corrupt.write_bytes(bytes(blob))
    entries[1].write_bytes(entries[1].read_bytes()[:20])  # cut short
    entries[2].write_bytes(b"RPC0" + entries[2].read_bytes()[4:])  # another format
    again = ParseCache(cache_dir)
    assert load_project(data, again).claims == load_project(data).claims
    assert len(again.parsed) == 3
    fixed = ParseCache(cache_dir)
    load_project(data, fixed)
    assert fixed.parsed == []  # rebuilt
    # a changed schema makes every entry stale
    schema = data / "schema" / "claims.schema.json"
    schema.write_text(schema.read_text().replace('"Claims"', '"Claims "'))
    stale = ParseCache(cache_dir)
    load_project(data, stale)
    assert stale.parsed == [_claims(data)]


def test_the_cache_never_keeps_an_error(mini, tmp_path):
    data = mini[0]
    _edit(_claims(data), "{min: 26, max: 28, unit: weeks}", "{min: 26, max: 99, unit: weeks}")
    for _ in range(2):
        with pytest.raises(InputError, match="99 weeks is outside"):
            load_project(data, ParseCache(tmp_path / "cache"))


def test_only_the_projects_own_data_is_cached_in_its_build_folder(tmp_path):
    assert default_cache(ROOT / "data") == PARSE_CACHE == ROOT / "build" / ".cache" / "parse"
    assert default_cache(tmp_path) is None
    ignored = subprocess.run(["git", "check-ignore", "-q", str(PARSE_CACHE / "x.bin")], cwd=ROOT).returncode
    assert ignored == 0, "the parse cache must never be committed"


# ------------------------------------------------------------------ folding: the fast form is the documented one

@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aB -\u2013\u2014\u00a0\t\n\r\u2028\u3000`'\u2019\"\u201c\u2026\u00df\u0301\u200b\x1c\u2022x"))) | st.text())
def test_fold_is_the_regex_definition(text):
    import re
    import unicodedata

    from reconcile.quotes import _MAP

    chars = unicodedata.normalize("NFKC", text).translate(_MAP).casefold().replace("\u2026", "...")
    assert fold(text) == re.sub(r" ?- ?", "-", re.sub(r"\s+", " ", chars)).strip()


def test_parsing_in_two_processes_gives_the_same_project_and_the_first_error(tmp_path, monkeypatch):
    import reconcile.load as load

    data, _ = minidata.make(tmp_path)
    text = _claims(data).read_text(encoding="utf-8")
    head, *items = text.split("\n  - ")
    for i, item in enumerate(items):  # one claim a file: nine files, parsed half here and half there
        (data / "claims" / f"c{i}.yaml").write_text(head + "\n  - " + item.rstrip("\n") + "\n", encoding="utf-8")
    _claims(data).unlink()
    sequential = load_project(data)
    monkeypatch.setattr(load.parallel, "helps", lambda work, minimum: True)
    cache = ParseCache(tmp_path / "cache")
    assert load_project(data, cache).claims == sequential.claims
    assert len(cache.parsed) == 9 + 4
    assert load_project(data, ParseCache(tmp_path / "cache")).claims == sequential.claims  # the other process's entries
    for i in (7, 2):  # an error in each half: the first file in order is the one named
        _edit(data / "claims" / f"c{i}.yaml", "topic:", "topik:")
    with pytest.raises(InputError, match=r"c2\.yaml:\d+: .*unknown field"):
        load_project(data, ParseCache(tmp_path / "cache"))


def test_check_without_the_archive_relies_on_the_record(mini, capsys):
    data, _, reference = mini
    args = ["--data", str(data), "--reference", str(reference), "--without-archive"]
    assert disagreements.main(args) == 0
    out, err = capsys.readouterr()
    assert "without the archive: 9 of 9 quotes verified from" in err and "check: OK" in out
    _edit(_claims(data), "quote: Cramps and backache are common.", "quote: Cramps and backache")
    assert disagreements.main(args) == 1  # a quote the record does not vouch for
    assert disagreements.main(args + ["--update-lock"]) == 2  # recording needs the archive


def test_the_verify_cache_gives_the_same_verdicts_and_ignores_damage(mini, tmp_path):
    from reconcile.quotes import verify

    data, archive, _ = mini
    _edit(_claims(data), "quote: Cramps and backache are common.", "quote: Cramps and backache are rare.")
    project = load_project(data)
    plain = verify(project, archive)
    assert plain.verified["902.symptoms.list"] is False
    for _ in range(2):  # cold, then from the cache
        cached = verify(project, archive, cache=tmp_path / "verify")
        assert (cached.verified, cached.places, cached.nearest) == (plain.verified, plain.places, plain.nearest)
    entries = sorted((tmp_path / "verify").glob("*.bin"))
    assert len(entries) == 3  # one a source
    for entry in entries:
        entry.write_bytes(entry.read_bytes()[:-1] + b"\x00")
    damaged = verify(project, archive, cache=tmp_path / "verify")
    assert (damaged.verified, damaged.places) == (plain.verified, plain.places)


def test_counting_quotes_in_two_processes_gives_the_same_verdicts(mini, monkeypatch, tmp_path):
    import reconcile.parallel as parallel
    from reconcile.quotes import verify

    data, archive, _ = mini
    _edit(_claims(data), "quote: Cramps and backache are common.", "quote: Cramps and backache are rare.")
    project = load_project(data)
    plain = verify(project, archive)
    monkeypatch.setattr(parallel, "helps", lambda work, minimum: True)
    split = verify(project, archive, cache=tmp_path / "verify")
    assert (split.verified, split.places, split.nearest) == (plain.verified, plain.places, plain.nearest)
    assert len(list((tmp_path / "verify").glob("*.bin"))) == 3  # the other process's counts are cached here


def test_a_second_process_that_dies_costs_only_time(monkeypatch):
    import reconcile.parallel as parallel

    monkeypatch.setattr(parallel, "helps", lambda work, minimum: True)
    here = lambda x: x * 2  # noqa: E731
    there = lambda x: os._exit(9)  # noqa: E731  (as if killed)
    assert parallel.map_halves(here, there, [1, 2, 3, 4], [1, 1, 1, 1], 0) == [2, 4, 6, 8]


def test_compatible_is_a_set_topic_field_checked_by_schema_and_loader(mini, capsys):
    """`compatible: true` on a set topic turns its variation into an agree that check's report names exactly;
    anywhere else it is one clear line with file and line, exit 2."""
    data = mini[0]
    topics = data / "topics" / "main.yaml"
    code, out, _ = run(mini, "--format", "json", capsys=capsys)
    assert {t["id"]: t["status"] for t in json.loads(out)["topics"]}["symptoms.list"] == "variation"
    indent = re.search(r"\n( *)kind: set\n", topics.read_text(encoding="utf-8")).group(1)
    _edit(topics, "kind: set\n", f"kind: set\n{indent}compatible: true\n")
    code, out, _ = run(mini, "--format", "json", capsys=capsys)
    found = {t["id"]: t for t in json.loads(out)["topics"]}["symptoms.list"]
    assert (found["status"], found["basis"]) == ("agree", "compatible")
    code, out, _ = run(mini, capsys=capsys)
    assert re.search(r"symptoms\.list +agree \(compatible\) ", out)
    _edit(topics, "kind: caveat\n", f"kind: caveat\n{indent}compatible: true\n")
    code, out, err = run(mini, capsys=capsys)
    assert code == 2 and re.search(r"main\.yaml:\d+: .*'compatible' applies to a set topic only", err), err
    _edit(topics, f"compatible: true\n{indent}caveat", f"compatible: yes-please\n{indent}caveat")
    code, out, err = run(mini, capsys=capsys)
    assert code == 2 and "main.yaml" in err and "Traceback" not in err


def test_same_answer_is_a_stance_topic_field_checked_by_the_loader(mini, capsys):
    """A stance topic's ``same_answer`` group (one answer put more or less strongly): sources choosing different
    options of the group differ a little (variation), not disagree; options outside every group still disagree;
    on another kind, or naming an option the topic lacks, one clear line with file and line, exit 2."""
    data = mini[0]
    topics = data / "topics" / "main.yaml"
    indent = re.search(r"\n( *)kind: choice\n", topics.read_text(encoding="utf-8")).group(1)

    def status():
        code, out, _ = run(mini, "--format", "json", capsys=capsys)
        return {t["id"]: t["status"] for t in json.loads(out)["topics"]}["causes.main"]

    _edit(topics, "kind: choice\n", "kind: stance\n")
    assert status() == "conflict"
    _edit(topics, "kind: stance\n", f"kind: stance\n{indent}same_answer: [[infection, unknown]]\n")
    assert status() == "variation"
    _edit(topics, "same_answer: [[infection, unknown]]", "same_answer: [[infection, never]]")
    code, out, err = run(mini, capsys=capsys)
    assert code == 2 and re.search(r"main\.yaml:\d+: .*'same_answer' names never, not options", err), err
    _edit(topics, f"kind: stance\n{indent}same_answer: [[infection, never]]\n", "kind: choice\n")
    _edit(topics, "kind: set\n", f"kind: set\n{indent}same_answer: [[cramps, spotting]]\n")
    code, out, err = run(mini, capsys=capsys)
    assert code == 2 and re.search(r"main\.yaml:\d+: .*'same_answer' applies to a stance topic only", err), err


def test_real_data_shows_no_pedantic_differences():
    """The project's topics (review 16, S1): synonyms, settings and kinds of pain relief fit together, "before the
    24th week" and "before 24 weeks" or 1 in 100 and 1-2 in 100 say about the same; the real disagreements stay."""
    from reconcile.compare import compare
    found = {f.topic.id: f for f in compare(load_project(ROOT / "data"))}
    # review 17 S8: warning signs that can all happen fit together too
    for tid in ("names.other-names", "cerclage.setting", "cerclage.pain-relief", "symptoms.list"):
        assert (found[tid].status, found[tid].basis) == ("agree", "compatible"), tid
    for tid in ("diagnosis.before-24-weeks", "frequency.how-common"):
        assert (found[tid].status, found[tid].basis) == ("agree", "about the same"), tid
    for tid in ("cerclage.removal", "symptoms.timing", "causes.main-cause"):
        assert found[tid].status == "conflict", tid
    # reviews 33 #2 and 34 #1: "never" and "not recommended" for twins both say no stitch; sources naming different
    # groups of people for a stitch do not contradict each other
    for tid in ("cerclage.timing", "progesterone.duration", "treatment.options", "twins.cerclage", "cerclage.who"):
        assert found[tid].status == "variation", tid
    # no set topic with different lists is left marked compatible where leaving an option out tells the reader
    # something (a treatment a source does not offer)
    assert not found["treatment.options"].topic.compatible
