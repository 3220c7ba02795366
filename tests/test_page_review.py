"""The page review record, data/pages.lock: a page's own sentences are read again when what they cite changes.

Runs on a copy of the project's data, docs and snippets; `check --without-archive` (what a clone
runs) takes its quotes from data/verified.lock, so these tests need neither the archive nor the
guidance reference.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

from reconcile import pagereview  # noqa: E402
from reconcile.load import load_project  # noqa: E402
from reconcile.yamlfile import InputError  # noqa: E402

FACT = "guidance.cerclage-removal"


@pytest.fixture
def project(tmp_path) -> Path:
    for folder in ("data", "docs", "includes"):
        shutil.copytree(ROOT / folder, tmp_path / folder)
    return tmp_path


def cli(project: Path, *args: str) -> subprocess.CompletedProcess:
    extra = ["--without-archive"] if args[0] == "check" else []
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "disagreements.py"), *args, *extra,
                           "--data", str(project / "data")], capture_output=True, text=True, cwd=project)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def citing(project: Path, pattern: str) -> dict[str, list[int]]:
    """Found by a plain search, not by the module under test: the lines of each page whose cite names ``pattern``."""
    out = {}
    for folder in ("docs", "includes"):
        for path in sorted((project / folder).rglob("*.md")):
            lines = [n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                     if re.search(r"<!--\s*cite:[^>]*" + re.escape(pattern) + r"\b", line)]
            if lines:
                out[path.relative_to(project).as_posix()] = lines
    return out


def page_problems(proc: subprocess.CompletedProcess) -> dict[str, str]:
    return {m.group(1): line for line in proc.stdout.splitlines()
            for m in [re.match(r"- \S+?/((?:docs|includes)/\S+?\.md):\d+: the page cites", line)] if m}


def test_the_committed_record_is_current():
    """Every page has been read against what it cites as the data is now (else run `review --pages`)."""
    assert pagereview.stale(load_project(ROOT / "data"), ROOT) == []


def test_cited_names_each_topic_and_fact_with_its_lines():
    text = ("# Title\n\nOne. <!-- cite: 000.cerclage.removal, 003.cerclage.removal, guidance.twins -->\n"
            "Two. <!-- cite: 001.cerclage.removal --> <!-- sources: twins.cerclage --> <!-- cite: 002.cerclage.removal -->\n")
    assert pagereview.cited(text) == {"cerclage.removal": [3, 4], "guidance.twins": [3]}


def test_a_changed_guidance_fact_makes_each_page_citing_it_stale_until_reviewed(project):
    assert cli(project, "check").returncode == 0
    guidance = project / "data" / "guidance.yaml"
    text = guidance.read_text(encoding="utf-8")
    start = text.index(f"id: {FACT}")
    says = text.index("says: >-", start)
    guidance.write_text(text[:says] + "says: >-\n      A new edition moved the week.\n" + text[text.index("    cite:", says):],
                        encoding="utf-8")
    expected = citing(project, FACT)
    assert expected, f"no page cites {FACT}"

    proc = cli(project, "check")
    assert proc.returncode == 1
    named = page_problems(proc)
    assert set(named) == set(expected)
    for page, lines in expected.items():
        line = named[page]
        assert f"{page}:{lines[0]}: the page cites guidance fact {FACT}" in line
        assert f"line{'s' if len(lines) > 1 else ''} {', '.join(map(str, lines))})" in line
        assert "changed since the page was reviewed" in line and f"review --pages {page}`" in line

    first, *rest = sorted(expected)
    proc = cli(project, "review", "--pages", str(project / first))
    assert proc.returncode == 0 and f"reviewed {first}: weighed" in proc.stdout, proc.stderr
    assert set(page_problems(cli(project, "check"))) == set(rest)
    proc = cli(project, "review", "--pages")  # every page
    assert proc.returncode == 0, proc.stderr
    assert cli(project, "check").returncode == 0


def test_a_claim_that_leaves_a_topic_makes_each_page_citing_the_topic_stale(project):
    data = load_project(project / "data")
    del data.claims["000.cerclage.removal"]
    problems = [p for p in pagereview.stale(data, project) if "the page cites topic " in p]  # facts: the test below
    expected = citing(project, "cerclage.removal")
    assert {p.split(":")[0] for p in problems} == {str(project / page) for page in expected}
    left = ", ".join(sorted(c.source for c in data.claims.values() if c.topic == "cerclage.removal"))
    assert all("topic cerclage.removal" in p and f"come from sources {left})" in p for p in problems)


def test_a_new_page_is_named_until_it_is_reviewed_and_a_removed_one_leaves_the_record(project):
    new = project / "docs" / "new-page.md"
    new.write_text("# New\n\nSome text.\n\nA stitch comes out near term. <!-- cite: 001.cerclage.removal, "
                   f"{FACT} -->\n", encoding="utf-8")
    proc = cli(project, "check")
    assert proc.returncode == 1
    assert page_problems(proc) == {"docs/new-page.md": page_problems(proc)["docs/new-page.md"]}
    assert "docs/new-page.md:5: the page cites 2 topics and guidance facts, and no review of it is recorded" in proc.stdout
    assert cli(project, "review", "--pages", "docs/new-page.md").returncode == 0
    assert '"docs/new-page.md"' in (project / "data" / "pages.lock").read_text(encoding="utf-8")
    assert cli(project, "check").returncode == 0
    new.unlink()
    assert cli(project, "review", "--pages", "docs/twins.md").returncode == 0
    assert '"docs/new-page.md"' not in (project / "data" / "pages.lock").read_text(encoding="utf-8")


@pytest.mark.parametrize("text, where, what", [
    ('{\n  "pages": {,\n}', "pages.lock:2", "not valid JSON"),
    ('{"about": "x",\n "pages": {"docs/twins.md": ["a"]}}', "pages.lock:2", "'docs/twins.md' is not in the record's form"),
    ('{"pages": []}', "pages.lock:1", "no 'pages' mapping"),
    ("[" * 100_000, "pages.lock:1", "nested too deeply"),
    (b"{\"pages\": {\"caf\xe9\": {}}}", "pages.lock:1", "not UTF-8"),
])
def test_a_broken_record_is_one_line_and_never_overwritten(project, text, where, what):
    lock = project / "data" / "pages.lock"
    lock.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    for command in (["check"], ["review", "--pages"]):
        proc = cli(project, *command)
        assert proc.returncode == 2, (command, proc.stdout[-2000:], proc.stderr)
        assert len(proc.stderr.strip().splitlines()) == 1 and where in proc.stderr and what in proc.stderr, proc.stderr
        assert lock.read_bytes() == (text if isinstance(text, bytes) else text.encode("utf-8"))


def test_the_record_must_be_a_regular_file(project):
    lock = project / "data" / "pages.lock"
    lock.unlink()
    lock.symlink_to("/dev/zero")
    with pytest.raises(InputError, match="not a regular file"):
        pagereview.read_record(project / "data")


def test_review_names_what_it_cannot_record(project):
    before = (project / "data" / "pages.lock").read_bytes()
    for args, what in [(["review", "--pages", "docs/no-such-page.md"], "not a page of this project"),
                       (["review", "--pages", str(ROOT / "docs" / "twins.md")], "not a page of this project"),
                       (["review"], "name the topics whose resolutions you reviewed, or --all, or --pages")]:
        proc = cli(project, *args)
        assert proc.returncode == 2 and what in proc.stderr and len(proc.stderr.strip().splitlines()) == 1, proc.stderr
    assert (project / "data" / "pages.lock").read_bytes() == before


def test_a_claim_on_a_guidance_facts_topic_makes_each_page_citing_only_the_fact_stale(project):
    """"Three of the sources still describe them. <!-- cite: guidance.progesterone-shots -->" counts the
    sources on the fact's topic while citing only the fact: a claim joining or leaving one of the topics a
    fact speaks to names every page citing the fact. For every fact that speaks to a topic with claims."""
    data = load_project(project / "data")
    facts = [(f, t) for f in data.guidance.values() for t in f.topics
             if citing(project, f.id) and any(c.topic == t for c in data.claims.values())]
    assert facts, "no cited guidance fact speaks to a topic with claims"
    for fact, topic in facts:
        data = load_project(project / "data")
        gone = next(c for c in data.claims.values() if c.topic == topic)
        del data.claims[gone.id]
        problems = [p for p in pagereview.stale(data, project) if f"guidance fact {fact.id} " in p]
        expected = citing(project, fact.id)
        assert {p.split(":")[0] for p in problems} == {str(project / page) for page in expected}, (fact.id, problems)
        assert all(f"{topic}: sources " in p and "a sentence counting those sources may be out of date" in p
                   for p in problems)
