"""Hostile and broken data: each kind gives one line ``file:line: what is wrong`` and exit 2 (or a named
problem and exit 1), never a traceback or a signal death, and leaves every data file as it was.

Issue 9, items 5-7 (resources, tracebacks, silent wrong results), each class with more than the case
that was reported. Then a hypothesis fuzz of whole data files shaped like the schemas.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

import disagreements  # noqa: E402
import minidata  # noqa: E402
from reconcile import yamlfile  # noqa: E402
from reconcile.pipeline import analyse  # noqa: E402
from reconcile.report import build_report  # noqa: E402
from reconcile.yamlfile import InputError  # noqa: E402

SCRIPT = ROOT / "scripts" / "disagreements.py"
ONE_LINE = re.compile(r"^error: (?P<file>[^\n]+?)(?::(?P<line>\d+))?: (?P<what>[^\n]+)$")


from test_engine import mini  # noqa: E402,F401  (the engine's mini project fixture)


def tree_hash(folder: Path) -> dict:
    """Every file under ``folder`` (links as their target name, not followed) and its sha256."""
    out = {}
    for path in sorted(folder.rglob("*")):
        if path.is_symlink():
            out[str(path)] = "-> " + os.readlink(path)
        elif path.is_file() and path.name != ".lock":
            out[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def claims(data: Path) -> Path:
    return data / "claims" / "main.yaml"


def edit(path: Path, old: str, new: str):
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def append_to_text(data: Path, archive: Path, sid: str, sentence: str):
    """Add to an archive text, record its new sha256, and re-record the verified quotes (as an editor does)."""
    path = archive / f"{sid}.txt"
    old = hashlib.sha256(path.read_bytes()).hexdigest()
    path.write_text(path.read_text(encoding="utf-8") + " " + sentence, encoding="utf-8")
    edit(data / "sources.yaml", old, hashlib.sha256(path.read_bytes()).hexdigest())
    minidata.write_record(data, archive)


def run_process(mini, *extra, env=None, timeout=60):
    data, archive, reference = mini
    cmd = [sys.executable, str(SCRIPT), *extra]
    if "--data" not in extra:
        cmd += ["--data", str(data), "--archive", str(archive), "--reference", str(reference)]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, env=env)


def assert_one_line(code, out, err, expected_code, where, what):
    assert code == expected_code, (code, out[-2000:], err[-2000:])
    assert "Traceback" not in out + err
    if expected_code == 2:
        lines = err.strip().splitlines()
        assert len(lines) == 1, err
        match = ONE_LINE.match(lines[0])
        assert match, lines[0]
        assert where in lines[0] and what in lines[0], lines[0]
        assert len(lines[0]) < 1000, "an error message quotes at most a little of the data"
    else:
        assert what in out, out[-3000:]


# ------------------------------------------------------------------ the kinds

def _alias_bomb(d, a):
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [*a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}, *a{i - 1}]"
              for i in range(1, 9)]
    text = claims(d).read_text(encoding="utf-8")
    claims(d).write_text(text.replace("value: {min: 26, max: 28, unit: weeks}", "value: *a8", 1).replace(
        "claims:", "x:\n" + "\n".join("  " + x for x in lines) + "\nclaims:", 1), encoding="utf-8")


def _link(target):
    def breaker(d, a, name="claims/main.yaml"):
        path = d / name
        path.unlink()
        path.symlink_to(target(path) if callable(target) else target)
    return breaker


def _loop(d, a):
    (d / "claims" / "loop.yaml").symlink_to(d / "claims" / "loop.yaml")


def _fifo(d, a):
    claims(d).unlink()
    os.mkfifo(claims(d))


def _sparse(d, a):
    with open(claims(d), "r+b") as f:
        f.truncate(yamlfile.MAX_BYTES + 4096)  # a hole of zeros: st_size says big, reading would be slow


def _bad_reference(d, a):
    (d.parent / "guidelines.md").write_bytes("| topic | caf\xe9 |\n".encode("latin-1"))


def _archive_bytes(d, a, raw: bytes):
    path = a / "902.txt"
    old = hashlib.sha256(path.read_bytes()).hexdigest()
    path.write_bytes(raw)
    edit(d / "sources.yaml", old, hashlib.sha256(raw).hexdigest())


def _record(text):
    return lambda d, a: (d / "verified.lock").write_text(text, encoding="utf-8")


def _week(v):
    return lambda d, a: edit(claims(d), "{min: 26, max: 28, unit: weeks}", v)


# name -> (breaker, expected exit, where, what); each runs `check` on the mini project
KINDS = {
    # 5. resources
    "alias chain nine deep": (_alias_bomb, 2, "main.yaml:", "anchors (&a0) are not used"),
    "one anchor": (lambda d, a: edit(claims(d), "says: Around 27 weeks.", "says: &s Around 27 weeks."), 2, "main.yaml:5", "anchors"),
    "an alias": (lambda d, a: edit(claims(d), "says: About 36 weeks.", "says: *s"), 2, "main.yaml:", "aliases (*s)"),
    "25,000 nested [": (lambda d, a: claims(d).write_text("claims: " + "[" * 25_000 + "\n"), 2, "main.yaml:1", "nests more than"),
    "25,000 nested {": (lambda d, a: claims(d).write_text("claims: " + "{a: " * 25_000 + "\n"), 2, "main.yaml:1", "nests more than"),
    "25,000 nested block lists on one line": (lambda d, a: claims(d).write_text("claims:\n  " + "- " * 25_000 + "x\n"),
                                              2, "main.yaml:2", "nests more than"),
    "/dev/zero as a claims file": (_link("/dev/zero"), 2, "main.yaml", "not a regular file"),
    "/dev/zero as sources.yaml": (lambda d, a: _link("/dev/zero")(d, a, "sources.yaml"), 2, "sources.yaml", "not a regular file"),
    "/dev/zero as an archive file": (lambda d, a: ((a / "902.txt").unlink(), (a / "902.txt").symlink_to("/dev/zero")),
                                     2, "902.txt", "not a regular file"),
    "/dev/zero as the record": (lambda d, a: ((d / "verified.lock").unlink(), (d / "verified.lock").symlink_to("/dev/zero")),
                                2, "verified.lock", "not a regular file"),
    "a FIFO as a claims file": (_fifo, 2, "main.yaml", "not a regular file"),
    "a file with a size beyond the limit": (_sparse, 2, "main.yaml", "are refused"),
    "an explicit tag": (lambda d, a: edit(claims(d), "says: Around 27 weeks.", "says: !!python/object/apply:os.system [ls]"),
                        2, "main.yaml:5", "tags (tag:yaml.org,2002:python/object/apply:os.system)"),
    "a local tag": (lambda d, a: edit(claims(d), "says: Around 27 weeks.", "says: !x Around"), 2, "main.yaml:5", "tags (!x)"),
    "two documents": (lambda d, a: claims(d).write_text(claims(d).read_text() + "---\nclaims: []\n"), 2, "main.yaml:", "more than one YAML document"),
    "record nested 100,000 deep": (_record("[" * 100_000), 2, "verified.lock:1", "nested too deeply"),
    # 6. tracebacks
    "reference not UTF-8": (_bad_reference, 2, "guidelines.md:1", "not UTF-8"),
    "reference is a folder": (lambda d, a: ((d.parent / "guidelines.md").unlink(), (d.parent / "guidelines.md").mkdir()),
                              2, "guidelines.md", "not found"),
    "archive file not UTF-8": (lambda d, a: _archive_bytes(d, a, b"caf\xe9"), 2, "902.txt", "not UTF-8"),
    "schema not JSON": (lambda d, a: (d / "schema" / "claims.schema.json").write_text("{"), 2, "claims.schema.json", "not valid JSON"),
    "record not JSON": (_record("{\n  \"claims\": {,\n}"), 2, "verified.lock:2", "not valid JSON"),
    "record entry of the wrong form": (_record('{"claims": {\n"900.causes.main": {"line": "x"}}}'), 2, "verified.lock:2", "900.causes.main"),
    # 7. silent wrong results: numbers
    "week -5": (_week("{min: -5, max: 28, unit: weeks}"), 2, "main.yaml:", "-5 is less than the minimum of 0"),
    "weeks 50-60": (_week("{min: 50, max: 60, unit: weeks}"), 2, "main.yaml:4", "50 weeks is outside 0-45 weeks"),
    "150-200 percent": (lambda d, a: (edit(d / "topics" / "main.yaml", "unit: weeks", "unit: percent"),
                                      edit(claims(d), "{min: 26, max: 28, unit: weeks}", "{min: 150, max: 200, unit: percent}")),
                        2, "main.yaml:4", "150 percent is outside 0-100 percent"),
    "half a count": (lambda d, a: (edit(d / "topics" / "main.yaml", "unit: weeks", "unit: count"),
                                   edit(claims(d), "{min: 26, max: 28, unit: weeks}", "{min: 1.5, max: 2, unit: count}")),
                     2, "main.yaml:4", "a count is a whole number"),
    ".nan": (_week("{min: .nan, max: 28, unit: weeks}"), 2, "main.yaml:4", "'.nan' is not a finite number"),
    ".inf": (_week("{min: 26, max: .inf, unit: weeks}"), 2, "main.yaml:4", "'.inf' is not a finite number"),
    "-.Inf": (_week("{min: -.Inf, max: 28, unit: weeks}"), 2, "main.yaml:4", "is not a finite number"),
    "a float too large": (_week("{min: 26, max: 1.0e+999, unit: weeks}"), 2, "main.yaml:4", "is not a finite number"),
    "an int far too large": (_week("{min: 26, max: 99999999999999999999999999, unit: weeks}"), 2, "main.yaml:4", "outside 0-45"),
    "a sexagesimal week": (_week("{min: 26, max: 1:30, unit: weeks}"), 2, "main.yaml:4", "90 weeks is outside"),
    "true as a week": (_week("{min: true, max: 28, unit: weeks}"), 2, "main.yaml:", "True is not of type 'number'"),
    # 7. silent wrong results: text and ids
    "whitespace-only says": (lambda d, a: edit(claims(d), "says: Around 27 weeks.", 'says: "   "'), 2, "main.yaml:5", "only spaces"),
    "tab-and-newline-only says": (lambda d, a: edit(claims(d), "says: Around 27 weeks.", 'says: "\\t\\n "'), 2, "main.yaml:5", "only spaces"),
    "blank block says": (lambda d, a: edit(claims(d), "says: Around 27 weeks.", "says: |\n\n\n"), 2, "main.yaml:", "says"),
    'source "902\\n"': (lambda d, a: edit(claims(d), 'source: "902"', 'source: "902\\n"'), 2, "main.yaml:", "does not match"),
    'topic id with a trailing newline': (lambda d, a: edit(d / "topics" / "main.yaml", "id: symptoms.start", 'id: "symptoms.start\\n"'),
                                         2, "main.yaml:", "does not match"),
    "a handout line too long": (lambda d, a: edit(d / "resolutions" / "main.yaml", "short: Main cause.", "short: " + "x" * 321),
                                2, "main.yaml:", "short: is too long: 321 characters, at most 320 allowed"),
    "a date in wide digits": (lambda d, a: edit(d / "resolutions" / "main.yaml", 'reviewed: "2026-11-21"', 'reviewed: "２０２６-11-21"'),
                              2, "resolutions/main.yaml:", "does not match"),
    "an escaped NUL in a quote": (lambda d, a: edit(claims(d), 'quote: "Your stitch', 'quote: "\\0Your stitch'), 2, "main.yaml:6", "U+0000"),
    "an escaped bell in a file name": (lambda d, a: edit(d / "sources.yaml", "file: 900.txt", 'file: "9\\a00.txt"'), 2, "sources.yaml:", "U+0007"),
    "a raw NUL": (lambda d, a: claims(d).write_bytes(claims(d).read_bytes().replace(b"Around 27", b"Around\x0027")), 2, "main.yaml:5", "U+0000"),
    "a raw escape character": (lambda d, a: claims(d).write_bytes(claims(d).read_bytes().replace(b"Mostly", b"\x1b[31mMostly")),
                               2, "main.yaml:", "U+001B"),
    "a comment-only file": (lambda d, a: claims(d).write_text("# claims to come\n# later\n"), 2, "main.yaml:1", "only comments"),
    "a bare '---'": (lambda d, a: claims(d).write_text("# nothing yet\n---\n"), 2, "main.yaml:2", "not nothing"),
    "a list instead of fields": (lambda d, a: claims(d).write_text("- claims\n"), 2, "main.yaml:1", "not a list"),
    "a mapping as a key": (lambda d, a: claims(d).write_text("? {a: 1}\n: x\n"), 2, "main.yaml:1", "a key must be a plain word"),
    "a null key": (lambda d, a: claims(d).write_text("~: x\n"), 2, "main.yaml:1", "a key must be a plain word"),
    "a huge value of the wrong kind": (lambda d, a: edit(claims(d), "says: Around 27 weeks.", "says: [" + "x, " * 200_000 + "x]"),
                                       2, "main.yaml:5", "is not of type 'string'"),
    "a tab for indentation": (lambda d, a: claims(d).write_text("claims:\n\t- source: x\n"), 2, "main.yaml:2", "invalid YAML"),
    # 7. silent wrong results: files
    "a claims file that is a link loop": (_loop, 2, "loop.yaml", "link loop"),
    "a broken link": (lambda d, a: (d / "claims" / "gone.yaml").symlink_to(d / "nowhere.yaml"), 2, "gone.yaml", "broken link"),
    "a folder named like a claims file": (lambda d, a: (d / "claims" / "more.yaml").mkdir(), 2, "more.yaml", "not a regular file"),
    # problems: exit 1
    "a quote that occurs twice": (lambda d, a: append_to_text(d, a, "902", "Cramps and backache are common."),
                                  1, "", "occurs 2 times in 902.txt; lengthen it so it occurs once, or add 'occurrence: N'"),
    "an occurrence that is not there": (lambda d, a: (edit(claims(d), "says: From week 20.", "says: From week 20.\n    occurrence: 2"),
                                                      minidata.write_record(d, a)),
                                        1, "", "so 'occurrence: 2' names no place"),
    "a quote edited since it was verified": (lambda d, a: edit(claims(d), "quote: Cramps and backache are common.", "quote: Cramps and backache"),
                                             1, "", "1 claim changed since it was verified: 902.symptoms.list (quote, verified "),
    "a claim missing from the record": (lambda d, a: (d / "verified.lock").write_text(
        (d / "verified.lock").read_text().replace('    "902.symptoms.list"', '    "902.symptoms.lost"')),
        1, "", "1 claim not in it yet: 902.symptoms.list;"),
    "a stale record entry": (lambda d, a: (d / "verified.lock").write_text(
        (d / "verified.lock").read_text().replace('    "902.symptoms.list"', '    "902.symptoms.lost"')),
        1, "", "1 entry naming no claim (removed or renamed): 902.symptoms.lost"),
    "no record": (lambda d, a: (d / "verified.lock").unlink(), 1, "", "the verification record is missing"),
}


@pytest.mark.parametrize("kind", KINDS, ids=list(KINDS))
def test_hostile_input(mini, kind):
    data, archive, reference = mini
    breaker, code, where, what = KINDS[kind]
    breaker(data, archive)
    before = tree_hash(data.parent)
    proc = run_process(mini, timeout=120)
    assert_one_line(proc.returncode, proc.stdout, proc.stderr, code, where, what)
    assert tree_hash(data.parent) == before, "the check changed a file"


def test_there_are_enough_kinds():
    assert len(KINDS) >= 40


def test_guidelines_variable_not_utf8_in_check(mini):
    data, archive, reference = mini
    reference.write_bytes(b"| a | \xff |\n")
    env = dict(os.environ, GUIDELINES=str(reference))
    proc = subprocess.run([sys.executable, str(SCRIPT), "--data", str(data), "--archive", str(archive)],
                          capture_output=True, text=True, env=env)
    assert_one_line(proc.returncode, proc.stdout, proc.stderr, 2, "guidelines.md:1", "not UTF-8")


def test_guidelines_not_utf8_in_the_build(tmp_path):
    """The hook runs the same pipeline: a bad reference stops the build with one line, no traceback."""
    import test_hooks

    project = test_hooks.make_site(tmp_path)
    (project / "guidelines.md").write_bytes(b"| a | \xff |\n")
    proc = test_hooks.build(project)
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    errors = [line for line in proc.stderr.splitlines() if "guidelines.md" in line]
    assert len(errors) == 1 and "guidelines.md:1: the guidance reference file is not UTF-8" in errors[0], proc.stderr


@pytest.mark.parametrize("where", ["claims/main.yaml", "claims", "sources.yaml", "schema/claims.schema.json"])
def test_unreadable_data_is_one_line(mini, monkeypatch, capsys, where):
    """Permission denied (tests run as root, where chmod denies nothing, so the system call is made to fail)."""
    data, archive, reference = mini
    target = str(data / where)
    real_open = os.open

    def deny_open(path, *args, **kwargs):
        if str(path) == target:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(os, "open", deny_open)
    monkeypatch.setattr(Path, "iterdir", lambda self: (_ for _ in ()).throw(PermissionError(13, "Permission denied"))
                        if str(self) == target else iter([self / n for n in os.listdir(self)]))
    code = disagreements.main(["--data", str(data), "--archive", str(archive), "--reference", str(reference)])
    out, err = capsys.readouterr()
    assert_one_line(code, out, err, 2, where.split("/")[-1], "Permission denied")


def test_update_lock_in_a_read_only_data_folder_is_one_line(mini, monkeypatch, capsys):
    import tempfile

    data, archive, reference = mini

    def deny(*args, **kwargs):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(tempfile, "mkstemp", deny)
    before = tree_hash(data)
    code = disagreements.main(["--data", str(data), "--archive", str(archive), "--reference", str(reference), "--update-lock"])
    out, err = capsys.readouterr()
    assert_one_line(code, out, err, 2, "data", "cannot write in this folder (Permission denied)")
    assert tree_hash(data) == before


def test_messages_stay_on_one_line_whatever_the_file_name(mini, capsys):
    data, archive, reference = mini
    (data / "claims" / "odd\nname.yaml").write_text("claims: [\n", encoding="utf-8")
    code = disagreements.main(["--data", str(data), "--archive", str(archive), "--reference", str(reference)])
    out, err = capsys.readouterr()
    assert_one_line(code, out, err, 2, "odd\\nname.yaml:", "invalid YAML")


# ------------------------------------------------------------------ the place a quote means

def _mentions(mini):
    data, archive, reference = mini
    proc = run_process(mini, "discover", "--format", "json", "--data", str(data), "--archive", str(archive))
    assert proc.returncode == 0, proc.stderr
    return [m for m in json.loads(proc.stdout)["mentions"] if m["source"] == "902" and "20th week" in m["text"]]


def test_discovery_credits_the_occurrence_a_claim_names(mini):
    data, archive, _ = mini
    append_to_text(data, archive, "902", "Symptoms may start from the 20th week.")
    both = _mentions(mini)
    assert len(both) == 2
    edit(claims(data), "says: From week 20.", "says: From week 20.\n    occurrence: 2")
    minidata.write_record(data, archive)
    first, second = sorted(_mentions(mini), key=lambda m: (m["line"], m["col"]))
    assert first["covered_by"] == [] and second["covered_by"] == ["902.symptoms.start"]
    proc = run_process(mini)
    assert proc.returncode == 1 and "occurs" not in proc.stdout  # the quote's place is named; the other number is not covered
    assert "is not covered" in proc.stdout


# ------------------------------------------------------------------ fuzz: whole data files shaped like the schemas

def _text():
    return st.text(st.characters(blacklist_categories=("Cs",)), max_size=12) | st.sampled_from(
        ["900", "901", "902", "cerclage.removal", "causes.main", "weeks", "infection", "", " ", "\n", "2026-11-21",
         ".nan", "-1", "1e999", "guidance.cerclage-removal", "ACOG PB 142", "Cramps Spotting", "*a", "&a x", "!!str"])


_SCALAR = st.one_of(st.none(), st.booleans(), st.integers(-10**30, 10**30), st.floats(allow_nan=True, allow_infinity=True),
                    _text())
_VALUE = st.recursive(_SCALAR, lambda inner: st.lists(inner, max_size=3) | st.dictionaries(_text(), inner, max_size=3),
                      max_leaves=8)


def _shaped(fields: dict) -> st.SearchStrategy:
    """A record with the schema's fields, some left out, some of the wrong kind, some extra."""
    return st.fixed_dictionaries({k: v | _VALUE for k, v in fields.items()}).flatmap(
        lambda d: st.sets(st.sampled_from(sorted(d)), max_size=2).map(lambda drop: {k: v for k, v in d.items() if k not in drop}))


_ID = st.sampled_from(["900", "901", "902", "903", "90"]) | _text()
_TOPIC = st.sampled_from(["cerclage.removal", "causes.main", "symptoms.list", "symptoms.start", "progesterone.twins", "x.y"])
FILES = {
    "claims/main.yaml": st.fixed_dictionaries({"claims": st.lists(_shaped({
        "source": _ID, "topic": _TOPIC,
        "value": st.fixed_dictionaries({"min": _SCALAR, "max": _SCALAR, "unit": st.just("weeks")}) | _SCALAR,
        "says": _text(), "quote": st.sampled_from(["Cramps Spotting", "Symptoms may start from the 20th week."]) | _text(),
        "occurrence": st.integers(-1, 3)}), max_size=4)}),
    "topics/main.yaml": st.fixed_dictionaries({"topics": st.lists(_shaped({
        "id": _TOPIC, "question": _text(), "page": st.just("index.md"),
        "kind": st.sampled_from(["range", "stance", "choice", "caveat", "set", "fact"]),
        "unit": st.sampled_from(["weeks", "percent", "mm", "count"]), "options": st.dictionaries(_text(), _text(), max_size=2)}),
        max_size=4)}),
    "resolutions/main.yaml": st.fixed_dictionaries({"resolutions": st.lists(_shaped({
        "topic": _TOPIC, "summary": _text(), "short": _text(), "supports": st.lists(_ID, max_size=2),
        "guidance": st.lists(st.just("guidance.cerclage-removal") | _text(), max_size=2), "reviewed": _text(),
        "guidance_silent": st.booleans(), "trust": _text()}), max_size=3)}),
    "guidance.yaml": st.fixed_dictionaries({
        "citations": st.lists(_shaped({"key": _text(), "text": _text()}), max_size=2),
        "facts": st.lists(_shaped({"id": st.just("guidance.cerclage-removal") | _text(), "row": _text(), "says": _text(),
                                   "cite": st.lists(st.just("ACOG PB 142") | _text(), max_size=2)}), max_size=2)}),
    "dismissed.yaml": st.fixed_dictionaries({"dismissed": st.lists(_shaped({"source": _ID, "text": _text(), "reason": _text()}),
                                                                    max_size=3)}),
    "sources.yaml": st.fixed_dictionaries({"sources": st.lists(_shaped({
        "id": _ID, "file": st.sampled_from(["900.txt", "901.txt", "902.txt", "../x.txt"]) | _text(),
        "sha256": st.just("0" * 64) | _text(), "title": _text() | st.none(), "label": _text(), "names": _text(),
        "date": st.none() | st.fixed_dictionaries({"value": _text(), "meaning": _text()}), "kind": _text(),
        "appraisal": st.fixed_dictionaries({k: _text() for k in ("clinician_review", "dated", "references",
                                                                 "commercial_interest", "opinion", "summary")})
        | _VALUE}), min_size=1, max_size=3)}),
}


def _analyse_all(data, archive, reference):
    for arch in (archive, None):
        a = analyse(data, arch, reference, cache=None)
        report = build_report(a.project, a.verification, a.findings, a.reference_problems, a.discovery)
        json.dumps(report, allow_nan=False)


@pytest.fixture(scope="module")
def fuzz_project(tmp_path_factory):
    root = tmp_path_factory.mktemp("fuzz")
    data, archive = minidata.make(root)
    reference = root / "guidelines.md"
    reference.write_text(minidata.REFERENCE, encoding="utf-8")
    return data, archive, reference, {p: p.read_bytes() for p in data.rglob("*.yaml")}


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(st.sampled_from(sorted(FILES)).flatmap(lambda name: st.tuples(st.just(name), FILES[name])))
def test_fuzz_schema_shaped_files_raise_only_input_errors(fuzz_project, case):
    data, archive, reference, originals = fuzz_project
    name, doc = case
    _restore(data, originals)
    try:
        text = yaml.safe_dump(doc, allow_unicode=True, sort_keys=False)
    except yaml.YAMLError:
        return
    (data / name).write_text(text, encoding="utf-8")
    try:
        _analyse_all(data, archive, reference)
    except InputError as exc:
        assert "\n" not in str(exc)


def _restore(data: Path, originals: dict):
    for path, content in originals.items():
        path.write_bytes(content)
    for path in data.rglob("*.yaml"):
        if path not in originals:
            path.unlink()


@settings(max_examples=250, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(set(FILES) - {"dismissed.yaml"})), st.data())
def test_fuzz_damaged_bytes_raise_only_input_errors(fuzz_project, name, data_strategy):
    """The real files with bytes cut, repeated or replaced: YAML syntax itself goes wrong."""
    data, archive, reference, originals = fuzz_project
    _restore(data, originals)
    raw = bytearray(originals[data / name])
    for _ in range(data_strategy.draw(st.integers(1, 4))):
        at = data_strategy.draw(st.integers(0, len(raw)))
        op = data_strategy.draw(st.sampled_from(["insert", "delete", "replace"]))
        piece = data_strategy.draw(st.binary(max_size=4) | st.sampled_from(
            [b"&", b"*", b"!", b"[", b"{", b"\x00", b"\xff", b"\t", b"---\n", b"? ", b": ", b"- ", b'"', b"\\", b"\n  "]))
        if op == "insert":
            raw[at:at] = piece
        elif op == "delete":
            del raw[at:at + len(piece) + 1]
        else:
            raw[at:at + len(piece)] = piece
    (data / name).write_bytes(bytes(raw))
    try:
        _analyse_all(data, archive, reference)
    except InputError as exc:
        assert "\n" not in str(exc)
