"""Issue 22, classes 2 to 4: trust boundaries, text that shows or exports differently from what was
checked, and numbers read wrong or not at all.

Each kind is tried the way a user meets it (the command, the build, the export) and must end in
one clear line and exit 2, a named problem, or the right output; never a traceback, never the
hostile text doing what it was made to do.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import minidata  # noqa: E402
from test_engine import mini  # noqa: E402,F401  (the engine's mini project fixture)
from test_hostile import assert_one_line, claims, edit, run_process, tree_hash  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SECRET = "CI_TOKEN=hunter2-secret"


# ================================================================== 2. trust boundaries

def _relax_file_pattern(data: Path):
    """What a hostile change to the data folder can do: the schema's pattern is data too."""
    path = data / "schema" / "sources.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))

    def strip(node):
        if isinstance(node, dict):
            node.pop("pattern", None) if node.get("type") == "string" and "txt" in str(node.get("pattern", "")) else None
            for v in node.values():
                strip(v)
        elif isinstance(node, list):
            for v in node:
                strip(v)
    strip(schema)
    path.write_text(json.dumps(schema), encoding="utf-8")


def _secret_file(tmp: Path) -> Path:
    secret = tmp / "secret.txt"
    secret.write_text(f"Your stitch is taken out around 27 weeks of pregnancy. {SECRET}\n", encoding="utf-8")
    return secret


def _point_at(data: Path, archive: Path, target: str):
    _relax_file_pattern(data)
    edit(data / "sources.yaml", "file: 900.txt", f"file: {json.dumps(target)}")


ARCHIVE_ESCAPES = {
    "an absolute path": (lambda d, a: _point_at(d, a, "/proc/self/environ"), "not a plain file name"),
    "a relative path up": (lambda d, a: _point_at(d, a, str(Path("..") / _secret_file(a.parent).name)), "not a plain file name"),
    "a link out of the archive": (lambda d, a: ((a / "900.txt").unlink(), (a / "900.txt").symlink_to(_secret_file(a.parent))),
                                  "leads out of the archive folder"),
    "a history file out of the archive": (
        lambda d, a: (_relax_file_pattern(d), edit(d / "sources.yaml", "file: 900.txt",
                                                   "file: 900.txt\n    history: [{file: ../secret.txt, sha256: "
                                                   + "a" * 64 + ", saved: \"2020-01-01\"}]"), _secret_file(a.parent)),
        "not a plain file name"),
}


@pytest.mark.parametrize("kind", ARCHIVE_ESCAPES, ids=list(ARCHIVE_ESCAPES))
def test_a_source_file_outside_the_archive_is_never_read(mini, kind):
    """A source's `file:` is contained in code, not by the data's own schema: with the pattern
    relaxed, check refuses it in one line and prints nothing of the file it names."""
    data, archive, _ = mini
    breaker, what = ARCHIVE_ESCAPES[kind]
    breaker(data, archive)
    proc = run_process(mini)
    assert SECRET not in proc.stdout + proc.stderr and "PATH=" not in proc.stdout + proc.stderr
    if kind == "a history file out of the archive":  # the current copy is fine: the history is named
        assert proc.returncode == 1 and what in proc.stdout, proc.stdout[-2000:] + proc.stderr
        return
    assert_one_line(proc.returncode, proc.stdout, proc.stderr, 2, "sources.yaml:", what)


def test_update_source_never_reads_a_file_outside_the_archive(mini, tmp_path):
    data, archive, _ = mini
    (archive / "900.txt").unlink()
    (archive / "900.txt").symlink_to(_secret_file(tmp_path))
    new = tmp_path / "new.txt"
    new.write_text("A new text about 30 weeks.\n", encoding="utf-8")
    proc = run_process(mini, "update-source", "900", str(new))
    assert SECRET not in proc.stdout + proc.stderr
    assert_one_line(proc.returncode, proc.stdout, proc.stderr, 2, "sources.yaml:", "leads out of the archive folder")


def test_a_data_file_linked_out_of_the_data_folder_is_refused_unquoted(mini, tmp_path):
    data, _, _ = mini
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text(f"claims:\n  - {SECRET}: [\n", encoding="utf-8")  # a parse error would quote it
    (data / "claims" / "more.yaml").symlink_to(outside)
    before = tree_hash(data)
    proc = run_process(mini)
    assert SECRET not in proc.stdout + proc.stderr
    assert_one_line(proc.returncode, proc.stdout, proc.stderr, 2, "more.yaml", "a link out of the data folder")
    assert tree_hash(data) == before


BAD_SITE_URLS = {
    "a quote that ends the attribute": 'https://example.net/"><script>alert(1)</script>',
    "javascript: with slashes": "javascript://example.net/%0aalert(1)",
    "a data: address": "data://example.net/,alert(1)",
    "a user name": "https://evil@example.net/",
    "a space": "https://example.net/a b/",
    "an escape character": "https://example.net/\x1b]8;;x\x07/",
    "a query": "https://example.net/?a=<b>",
}


def _build(project: Path, site_url: str | None, site: Path):
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", OFFLINE="false")
    env.pop("SITE_URL", None)
    if site_url is not None:
        env["SITE_URL"] = site_url
    return subprocess.run([str(ROOT / ".venv" / "bin" / "mkdocs"), "build", "--strict", "--quiet", "-d", str(site)],
                          cwd=project, env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("kind", BAD_SITE_URLS, ids=list(BAD_SITE_URLS))
def test_site_url_that_is_not_a_plain_http_address_stops_the_build_in_one_line(tmp_path, kind):
    site = tmp_path / "site"
    proc = _build(ROOT, BAD_SITE_URLS[kind], site)
    assert proc.returncode == 2, proc.stdout[-2000:] + proc.stderr[-2000:]
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: SITE_URL ") and "plain http(s) address" in lines[0], proc.stderr
    assert "\x1b" not in proc.stderr and "Traceback" not in proc.stderr
    assert not (site / "index.html").exists()


def test_a_planted_canonical_link_never_reaches_paper(tmp_path):
    """build_pdf reads the address from the built site (a writable folder): it checks it again."""
    from website.build_pdf import BuildError, site_address

    (tmp_path / "index.html").write_text('<html><head><link rel="canonical" href="javascript://example.net/%0aalert(1)">'
                                         "</head><body></body></html>", encoding="utf-8")
    with pytest.raises(BuildError, match="not a plain http"):
        site_address(tmp_path)
    (tmp_path / "index.html").write_text('<html><head><link rel="canonical" href="https://maternity.hospital.org.uk/ci/">'
                                         "</head><body></body></html>", encoding="utf-8")
    assert site_address(tmp_path) == "https://maternity.hospital.org.uk/ci/"


# ================================================================== 4. numbers read wrong or not at all

@pytest.mark.parametrize("phrase, text, kind, lo, hi", [
    # the kinds reported
    ("The stitch comes out at 36+6 weeks.", "36+6 weeks", "weeks", 36.86, 36.86),
    ("It happens in .5% of pregnancies.", ".5%", "percent", 0.5, 0.5),
    ("It is done at 3\u00ad4 weeks.", "3\u00ad4 weeks", "weeks", 34, 34),
    ("a cervix shorter than 2,5 cm", "shorter than 2,5 cm", "mm", None, 25),
    ("It affects a third of women with it.", "a third", "percent", 33.3333, 33.3333),
    ("and half of them go on to", "half", "percent", 50, 50),
    ("Labour starts in the ninth month.", "ninth month", "weeks", 36, 40),
    ("The stitch is put in at24 weeks.", "24 weeks", "weeks", 24, 24),
    ("a cervix shorter than 2½ cm", "shorter than 2½ cm", "mm", None, 25),
    # the rest of the class
    ("at 36 weeks and 6 days of pregnancy", "36 weeks and 6 days of pregnancy", "weeks", 36.86, 36.86),
    ("at 36+0 weeks", "36+0 weeks", "weeks", 36, 36),
    ("booked at 12+3", "12+3", "weeks", 12.43, 12.43),
    ("from 34+ weeks", "from 34+ weeks", "weeks", 34, None),
    ("It is done at 2\u200b4 weeks.", "2\u200b4 weeks", "weeks", 24, 24),
    ("It is done at 2\u20604 weeks.", "2\u20604 weeks", "weeks", 24, 24),
    ("It is done at 2\x074 weeks.", "2\x074 weeks", "weeks", 24, 24),
    ("in about .25 per cent", "about .25 per cent", "percent", 0.25, 0.25),
    ("less than 0,5% of women", "less than 0,5%", "percent", None, 0.5),
    ("two thirds of babies", "two thirds", "percent", 66.6667, 66.6667),
    ("about a quarter of losses", "about a quarter", "percent", 25, 25),
    ("more than half of women", "more than half", "percent", 50, None),
    ("in the 7th month of pregnancy", "7th month of pregnancy", "weeks", 28, 31),
    ("a cervix of 2 ½ cm", "2 ½ cm", "mm", 25, 25),
    ("a cervix of ½ cm", "½ cm", "mm", 5, 5),
    ("removed before36 weeks", "before36 weeks", "weeks", None, 36),
    ("a cervix longer than 3 cm", "longer than 3 cm", "mm", 30, None),
    ("seen at 36/40 in clinic", "36/40", "weeks", 36, 36),
    ("seen at 36+6/40 in clinic", "36+6/40", "weeks", 36.86, 36.86),
    ("induced at 36w6d", "36w6d", "weeks", 36.86, 36.86),
    ("between 2,5 and 3 cm long", "between 2,5 and 3 cm", "mm", 25, 30),
    ("there is a 1-in-3 chance", "1-in-3", "percent", 33.3333, 33.3333),
])
def test_number_phrases_are_read_as_a_clinician_reads_them(phrase, text, kind, lo, hi):
    from reconcile.phrases import parse

    m = parse(phrase)
    assert m is not None, phrase
    assert (m.text, m.kind, m.value.min, m.value.max) == (text, kind, lo, hi)
    assert phrase[m.core_start:m.core_end].strip()  # the places are those of the text as saved


@pytest.mark.parametrize("phrase", ["vitamin B12 and COVID-19", "the third of May", "half an hour", "on the fifth of June",
                                    "\x1b[31mred\x1b[0m text"])
def test_names_dates_and_escape_sequences_are_not_numbers_to_cover(phrase):
    from reconcile.phrases import mentions

    assert mentions(phrase) == []


def test_update_source_sees_the_numbers_it_used_to_miss(mini, tmp_path):
    new = tmp_path / "902-revised.txt"
    new.write_text("Symptoms may start from the 20th week. Cramps and backache are common. A cervix shorter than 2,5 cm "
                   "is short. A third of women notice it. Half of them in the ninth month, some at24 weeks, "
                   "some at 3\u00ad4 weeks; .5% at 36+6 weeks; a cervix of 2½ cm.\n", encoding="utf-8")
    proc = run_process(mini, "update-source", "902", str(new))
    assert proc.returncode == 0, proc.stderr
    assert "numbers that appeared: 9" in proc.stdout, proc.stdout
    for seen in ('"shorter than 2,5 cm"', '"A third"', '"Half"', '"ninth month"', '"24 weeks"', '"3\u00ad4 weeks"', '".5%"',
                 '"36+6 weeks"', '"2½ cm"'):
        assert seen in proc.stdout, seen


def test_a_week_plus_days_is_not_read_as_days_in_the_warning(mini, tmp_path):
    new = tmp_path / "new.txt"
    new.write_text("Your stitch is taken out at 36+6 weeks.\n", encoding="utf-8")
    proc = run_process(mini, "add-source", str(new))
    assert proc.returncode == 0, proc.stderr
    assert '"36+6 weeks" (36.86 weeks) on topic cerclage.removal would conflict with 900.cerclage.removal' in proc.stdout
    assert "(6 weeks)" not in proc.stdout


def test_a_typo_or_a_control_character_in_a_new_text_is_a_note_not_a_refusal(mini, tmp_path):
    data, archive, _ = mini
    new = tmp_path / "new.txt"
    new.write_bytes("Your stitch is taken out at 370 weeks.\nBleeding\x07 at 2\u00ad4 weeks is \x1b[31mserious\x1b[0m."
                    "\u202e Call at\x0e once.\n".encode("utf-8"))
    proc = run_process(mini, "add-source", str(new))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert 'NOTE 1:29 "370 weeks" on topic cerclage.removal: 370 weeks is outside 0-45 weeks' in proc.stdout
    assert "invisible or control characters (the first, U+0007, at 2:9)" in proc.stdout
    assert "WARNING" not in proc.stdout and "GUIDANCE" not in proc.stdout
    draft = (data / "claims" / "903.draft.yaml").read_text(encoding="utf-8")
    assert "370 weeks is outside 0-45 weeks: a typo in the text?" in draft
    assert not any(c in draft for c in "\x07\x1b\u202e\u00ad\x0e")
    check = run_process(mini)  # the draft loads; the typo is a number to deal with, named with its place
    assert check.returncode == 1 and "903_" in check.stdout and "370 weeks" in check.stdout, check.stdout[-3000:] + check.stderr


def test_a_draft_that_does_not_load_names_the_input_not_a_file_taken_back(mini, tmp_path, monkeypatch, capsys):
    """Whatever makes the written draft fail to load, the message names the text given, and all is taken back."""
    import disagreements
    from reconcile import newsource

    data, archive, reference = mini
    new = tmp_path / "new.txt"
    new.write_text("Your stitch is taken out at 30 weeks.\n", encoding="utf-8")
    real = newsource.draft_file
    monkeypatch.setattr(newsource, "draft_file", lambda *a: (real(*a)[0] + "  - broken: [\n", 1))
    before = tree_hash(data.parent)
    code = disagreements.main(["add-source", str(new), "--data", str(data), "--archive", str(archive)])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith(f"error: {new}: add-source could not make a valid draft") and "nothing was kept" in err
    assert tree_hash(data.parent) == before


# ================================================================== 3. text shown or exported differently from what was checked

RLO = "\u202e"
BIDI_KINDS = {
    "an override in says": (lambda d: edit(claims(d), "says: Around 27 weeks.", f"says: Around 27 weeks.{RLO} See ACOG PB 142"),
                            "main.yaml:5", "direction control U+202E"),
    "an override in a label": (lambda d: edit(d / "sources.yaml", "label: Page 900", f"label: Page{RLO} 900"),
                               "sources.yaml:", "direction control U+202E"),
    "an escaped override in a question": (lambda d: edit(d / "topics" / "main.yaml", "question: When is the stitch taken out?",
                                                         'question: "When is the stitch taken out?\\u202e"'),
                                          "topics/main.yaml:", "direction control U+202E"),
    "an isolate in guidance": (lambda d: edit(d / "guidance.yaml", "says: Taken out at 36 to 37 weeks.",
                                              "says: Taken out at \u2067 36 to 37 weeks."), "guidance.yaml:", "U+2067"),
    "a right-to-left mark in a comment": (lambda d: edit(claims(d), "claims:", "# a note\u200f\nclaims:"),
                                          "main.yaml:1", "direction control U+200F"),
}


@pytest.mark.parametrize("kind", BIDI_KINDS, ids=list(BIDI_KINDS))
def test_direction_controls_in_data_are_refused_in_one_line(mini, kind):
    data, _, _ = mini
    breaker, where, what = BIDI_KINDS[kind]
    breaker(data)
    before = tree_hash(data)
    proc = run_process(mini)
    assert_one_line(proc.returncode, proc.stdout, proc.stderr, 2, where, what)
    assert RLO not in proc.stderr and "\u2067" not in proc.stderr and "\u200f" not in proc.stderr
    assert tree_hash(data) == before


FORMULAS = ["=HYPERLINK(\"https://evil.test\",\"click\")", "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)",
            "\t=1+1", "  =1+1", "\uff1d1+1"]


@pytest.mark.parametrize("formula", FORMULAS)
def test_csv_exports_neutralise_cells_a_spreadsheet_would_run(mini, formula):
    import csv
    import io

    from reconcile import render
    from reconcile.pipeline import analyse
    from reconcile.report import build_report

    data, archive, reference = mini
    edit(claims(data), "says: Around 27 weeks.", f"says: {json.dumps(formula)}")
    edit(data / "resolutions" / "main.yaml", "short: ", f"short: {json.dumps(formula)} #")
    a = analyse(data, archive, reference, cache=None)
    report = build_report(a.project, a.verification, a.findings, a.reference_problems, a.discovery)
    for text in (render.claims_csv(report), render.findings_csv(report)):
        cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
        assert not [c for c in cells if c.lstrip(" ")[:1] in ("=", "+", "-", "@", "\t", "\r", "\uff1d")]
        assert "'" + " ".join(formula.split()) in cells  # kept whole (spaces folded, as for all text), shown as text
    assert render._cell("\r=1+1") == "'\r=1+1"  # the loader refuses a CR in data; the export would still neutralise it
    plain = render.claims_csv(dict(report, topics=report["topics"][:1]))
    assert "26-28 weeks" in plain or "Around 27 weeks" not in plain  # ordinary text is left as it is


ESCAPES = "Call \x1b]8;;https://evil.test\x07here\x1b]8;;\x07 at \x1b[2J\x1b[31m30 weeks\x1b[0m \x9b31m now\u202e 42 BP."


def test_terminal_output_never_carries_an_archive_s_control_sequences(mini):
    """discover and check print the archive's words: an ESC/OSC sequence or a direction control is shown as an
    escape, never sent to the terminal; JSON output stays valid and keeps the words."""
    from test_hostile import append_to_text

    data, archive, _ = mini
    append_to_text(data, archive, "902", ESCAPES)
    edit(claims(data), "quote: Cramps and backache are common.", "quote: Call here at 30 weeks now 42 BP")
    for args in (["discover"], ["check"], ["discover", "--format", "json"]):
        proc = run_process(mini, *args)
        assert proc.returncode in (0, 1), proc.stderr
        out = proc.stdout + proc.stderr
        assert not any(c in out for c in "\x1b\x07\x9b\u202e"), args
        if "json" in args:
            assert ESCAPES in json.dumps(json.loads(proc.stdout), ensure_ascii=False) or "30 weeks" in proc.stdout
        else:
            assert "\\u001b" in out, args


def test_markdown_report_shows_data_as_text(mini):
    data, _, _ = mini
    edit(data / "topics" / "main.yaml", "question: When is the stitch taken out?",
         'question: "[x](javascript:a) ![i](https://evil.test/p.png) <b>?"')
    proc = run_process(mini, "--format", "markdown")
    import re

    assert not re.search(r"(?<!\\)\]\(", proc.stdout) and not re.search(r"(?<!\\)!(?<!\\)\[", proc.stdout)
    assert "<b>" not in proc.stdout
    assert "\\[x\\]" in proc.stdout


# ------------------------------------------------------------------ 2. caches: only what this user's key signed

@pytest.fixture
def own_key(tmp_path, monkeypatch):
    """A cache key of this test's own (XDG_CACHE_HOME), made the way a user's first run makes it."""
    from reconcile import cache

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    cache.signing_key.cache_clear()
    yield cache
    cache.signing_key.cache_clear()


def _forge(cache, name: str, payload: bytes) -> list[bytes]:
    """What an attacker who can write the build folder can make: the old format (a hash of the payload) and a
    signature under a key of their own."""
    import hashlib
    import hmac

    other = hmac.new(b"x" * 32, name.encode() + b"\0" + payload, hashlib.sha256).digest()
    return [b"RPC1" + hashlib.sha256(payload).digest() + payload, cache.MAGIC + other + payload]


def test_the_cache_key_is_the_users_own(own_key, tmp_path):
    import stat

    key = own_key.signing_key()
    path = tmp_path / "xdg" / own_key.KEY_FILE
    assert len(key) == 32 and path.read_bytes() == key and stat.S_IMODE(path.stat().st_mode) == 0o600
    own_key.signing_key.cache_clear()
    assert own_key.signing_key() == key  # the next run finds it
    path.chmod(0o644)  # readable by others: not a secret, so not used
    own_key.signing_key.cache_clear()
    assert own_key.signing_key() != key


@pytest.mark.parametrize("forgery", [0, 1], ids=["payload hash", "another key"])
def test_a_planted_parse_cache_entry_never_reaches_the_site(mini, own_key, tmp_path, forgery):
    import marshal

    from reconcile.load import load_project

    data, _, _ = mini
    folder = tmp_path / "parse"
    load_project(data, cache=folder)
    entries = list(folder.glob("*.bin"))
    assert entries
    for entry in entries:  # every entry says something no data file says
        payload = own_key.signed(entry.stem, entry.read_bytes())
        doc, shadow = marshal.loads(payload)
        for claim in doc.get("claims", []):
            claim["says"] = "PLANTED: found in no data file"
        entry.write_bytes(_forge(own_key, entry.stem, marshal.dumps((doc, shadow)))[forgery])
    project = load_project(data, cache=folder)
    assert not [c for c in project.claims.values() if "PLANTED" in c.says]
    again = load_project(data, cache=folder)  # and the entries made again are used
    assert again.claims.keys() == project.claims.keys()


def test_a_planted_verify_count_never_verifies_a_fabricated_quote(mini, own_key, tmp_path):
    import hashlib
    import marshal

    from reconcile import quotes
    from reconcile.load import load_project

    data, archive, _ = mini
    edit(claims(data), "quote: Cramps and backache are common.", "quote: Cerclage is never needed.")
    project = load_project(data)
    folder = tmp_path / "verify"
    first = quotes.verify(project, archive, cache=folder)
    assert first.verified["902.symptoms.list"] is False
    for entry in folder.glob("*.bin"):
        counts = marshal.loads(own_key.signed(entry.stem, entry.read_bytes()))
        entry.write_bytes(_forge(own_key, entry.stem, marshal.dumps({q: 1 for q in counts}))[1])
    assert quotes.verify(project, archive, cache=folder).verified["902.symptoms.list"] is False
    assert hashlib  # the key name is the sha256 of what the counts were made from; the signature is what is checked


def test_a_planted_or_damaged_pdf_is_never_shipped(own_key, tmp_path):
    """The PDF cache: an entry under the right name but not signed by this user, or signed but not a PDF
    pypdf can read, is typeset again."""
    import io

    import pypdf

    from website import build_pdf

    html = "<html><head><title>T</title></head><body><p>Ask your midwife today.</p></body></html>"
    cache, out = tmp_path / "pdf-cache", tmp_path / "out.pdf"
    build_pdf.render(html, tmp_path, [], out, cache=cache)
    (entry,) = cache.glob("*.pdf")
    foreign = io.BytesIO()
    writer = pypdf.PdfWriter()
    writer.add_blank_page(100, 100)
    writer.write(foreign)
    for planted in (foreign.getvalue(), own_key.sign(entry.name, b"%PDF-1.7\n1 0 obj\n%%EOF\n"),
                    own_key.sign(entry.name, foreign.getvalue()[:-200] + b"%%EOF")):
        entry.write_bytes(planted)
        out.unlink()
        build_pdf.render(html, tmp_path, [], out, cache=cache)
        text = pypdf.PdfReader(out).pages[0].extract_text()
        assert "Ask your midwife today." in text
    build_pdf.render(html, tmp_path, [], out, cache=cache)  # what it wrote is signed, and reused
    assert own_key.signed(entry.name, entry.read_bytes()) == out.read_bytes()


def test_no_template_cache_entry_runs_unless_this_user_signed_it(own_key, tmp_path):
    """Jinja's FileSystemBytecodeCache unpickles what it finds; the signed cache loads nothing it did not sign."""
    import marshal
    import pickle

    import jinja2

    from website.templatecache import SignedBytecodeCache

    folder = tmp_path / "templates"
    folder.mkdir()
    (tmp_path / "t").mkdir()
    (tmp_path / "t" / "x.html").write_text("{{ 1 + 1 }} safe", encoding="utf-8")
    marker = tmp_path / "ran"

    def env():
        return jinja2.Environment(loader=jinja2.FileSystemLoader(str(tmp_path / "t")), autoescape=True,
                                  bytecode_cache=SignedBytecodeCache(folder))
    assert env().get_template("x.html").render() == "2 safe"
    (entry,) = folder.glob("*.signed")
    evil = compile(f"open({str(marker)!r}, 'w').close()", "<planted>", "exec")
    payload = own_key.signed(entry.stem, entry.read_bytes())
    head = payload.partition(b"\0\0")[0] + b"\0\0"
    for planted in (_forge(own_key, entry.stem, head + marshal.dumps(evil))[1],
                    b"j2" + pickle.dumps("x") + marshal.dumps(evil)):
        entry.write_bytes(planted)
        (folder / "__jinja2_x.cache").write_bytes(planted)  # where Jinja's own cache would look
        assert env().get_template("x.html").render() == "2 safe"
        assert not marker.exists()
    assert own_key.signed(entry.stem, entry.read_bytes()) is not None  # compiled again and signed


# ------------------------------------------------------------------ 3. saved web pages: what shows, how it is encoded

PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>Stitch</title>
<style>.gone {{ display: none }} #later {{ visibility: hidden }} .sr p.note {{ display:none !important }}</style></head>
<body><article><h1>Cervical stitch</h1>
<p>The stitch is usually taken out at 37 weeks of pregnancy, after a check by your doctor or midwife in clinic.</p>
<p style="display: none">HIDDEN-A The stitch is taken out at 20 weeks.</p>
<p hidden>HIDDEN-B Bed rest is recommended for 30 days.</p>
<div class="gone"><p>HIDDEN-C Take 400 mg of progesterone.</p></div>
<p id="later">HIDDEN-D at 12 weeks</p>
<div class="sr"><p class="note">HIDDEN-E at 14 weeks</p></div>
<template><p>HIDDEN-F at 16 weeks</p></template>
<p>Cramps at 36{dash}37 weeks can mean labour: call your maternity unit straight away {cafe}.</p>
</article></body></html>"""


def test_text_a_saved_page_hides_is_not_archived(mini, tmp_path):
    data, archive, _ = mini
    page = tmp_path / "page.html"
    page.write_text(PAGE.format(dash="\u2013", cafe="caf\u00e9"), encoding="utf-8")
    proc = run_process(mini, "add-source", str(page))
    assert proc.returncode == 0, proc.stderr
    (copy,) = archive.glob("903_*.txt")
    text = copy.read_text(encoding="utf-8")
    assert "37 weeks of pregnancy" in text and "Cramps at 36\u201337 weeks" in text
    assert "HIDDEN" not in text and "HIDDEN" not in proc.stdout
    assert "note:" not in proc.stdout  # valid UTF-8: nothing to say


@pytest.mark.parametrize("declared", ["utf-8", None])
def test_a_cp1252_page_is_read_as_cp1252_and_noted(mini, tmp_path, declared):
    data, archive, _ = mini
    page = tmp_path / "page.html"
    html = PAGE.format(dash="\u2013", cafe="caf\u00e9 \u00be")
    if declared is None:
        html = html.replace('<meta charset="utf-8">', "")
    page.write_bytes(html.encode("cp1252"))
    proc = run_process(mini, "add-source", str(page))
    assert proc.returncode == 0, proc.stderr
    (copy,) = archive.glob("903_*.txt")
    text = copy.read_text(encoding="utf-8")
    assert "Cramps at 36\u201337 weeks" in text and "caf\u00e9 \u00be" in text  # no mojibake
    assert "but its bytes are not UTF-8: read as cp1252" in proc.stdout


def test_a_page_declaring_cp1252_whose_bytes_are_utf8_is_read_as_utf8(mini, tmp_path):
    data, archive, _ = mini
    page = tmp_path / "page.html"
    page.write_bytes(PAGE.format(dash="\u2013", cafe="caf\u00e9").replace("utf-8", "windows-1252").encode("utf-8"))
    assert run_process(mini, "add-source", str(page)).returncode == 0
    (copy,) = archive.glob("903_*.txt")
    assert "Cramps at 36\u201337 weeks" in copy.read_text(encoding="utf-8")  # not "36â€“37"


@pytest.mark.parametrize("url", ['https://example.org/a"onmouseover="x', "https://example.org/\x07", "https://example.org/\u202e",
                                 "javascript:alert(1)", "https://example.org/a b"])
def test_a_url_given_to_add_source_is_a_plain_web_address(mini, tmp_path, url):
    data, _, _ = mini
    new = tmp_path / "new.txt"
    new.write_text("A page about 30 weeks.\n", encoding="utf-8")
    before = tree_hash(data)
    proc = run_process(mini, "add-source", str(new), "--url", url)
    assert_one_line(proc.returncode, proc.stdout, proc.stderr, 2, "--url", "is not a web address")
    assert tree_hash(data) == before


def test_data_text_beside_the_projects_own_is_shown_isolated(hosted):
    """The second wall behind the loader's refusal: labels, questions and what sources say sit in <bdi>, so
    no direction a data text takes can run on into the project's words after it ("(003)", "ACOG PB 142")."""
    from bs4 import BeautifulSoup

    site = hosted.dir

    def soup(page):
        return BeautifulSoup((site / page).read_text(encoding="utf-8"), "html.parser")
    listing = soup("sources/index.html").select(".sources-list tbody th a")
    assert listing and all(a.find("bdi") and a.get_text().endswith(")") for a in listing)
    caption = soup("disagreements/index.html").select_one(".ci-map figcaption")
    assert len(caption.find_all("bdi")) >= 5
    evidence = soup("treatment/cerclage/index.html").select("ul.evidence__sources > li")
    assert evidence and all(len(li.find_all("bdi", recursive=False)) >= 1 for li in evidence)
    quoted = [li for li in evidence if li.select_one("blockquote")]  # the claims whose words the box shows
    assert quoted and all(li.select_one("blockquote bdi") for li in quoted)


@pytest.mark.parametrize("shows, what", [
    ("taken out around 28 weeks", "is not in the quote"),                 # words the source does not have
    ("around 27 weeks … Your stitch", "is not in the quote"),              # pieces out of the quote's order
    ("Your stitch is taken out around 27 weeks", "a page shows at most 7"),  # 8 words: a copied run
    ("Your … stitch … around 27 weeks", "one or two pieces"),
])
def test_shown_words_an_editor_chooses_must_be_a_few_of_the_quote_s_own_words(mini, shows, what):
    """A claim's `shows` (the words a page shows of its quote, excerpt.py) is the editor's choice, refused in one
    line with its file and line when it is not one or two pieces of the quote, in order, of at most 7 words."""
    data = mini[0]
    edit(claims(data), '    quote: "Your stitch is taken out around 27 weeks of pregnancy."',
         '    quote: "Your stitch is taken out around 27 weeks of pregnancy."\n'
         f'    shows: "{shows}"')
    before = tree_hash(data)
    proc = run_process(mini)
    assert_one_line(proc.returncode, proc.stdout, proc.stderr, 2, "main.yaml", what)
    assert tree_hash(data) == before


def test_shown_words_an_editor_chooses_are_what_the_report_shows(mini):
    data = mini[0]
    edit(claims(data), '    quote: "Your stitch is taken out around 27 weeks of pregnancy."',
         '    quote: "Your stitch is taken out around 27 weeks of pregnancy."\n'
         '    shows: "stitch … around 27 weeks"')
    proc = run_process(mini, "--format", "json")
    claim = next(c for t in json.loads(proc.stdout)["topics"] for c in t["claims"] if c["id"] == "900.cerclage.removal")
    assert claim["shown"] == "… stitch … around 27 weeks …", claim["shown"]
