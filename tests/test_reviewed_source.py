"""A reviewed new source lands: the editor's path on a real page, then the suite on that project.

On a copy of the whole project and of the archive, the README's commands, in the README's order,
with a real public page (`tests/fixtures/peacehealth-cervical-cerclage.txt`, an excerpt of a
hospital-syndicated health-library page; see tests/fixtures/README.md): `add-source`, the review
an editor does by hand (the source entry, the claims, a new range topic the page needs and its
place on the stitch page, the page's count sentence that `make check` names), `review`,
`review --pages`, `check --update-lock`, `make check` (exit 0). Then the test modules that read
the project's data run on that copy, as they would in CI after the editor's commit: they must all
pass, so the suite asserts properties of the data, never today's counts or wording.

`EDITS` counts what the editor writes by hand (the rest is commands); the README's walkthrough
says how many (README "Add a source").
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ARCHIVE, needs_archive, needs_reference  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
PAGE = ROOT / "tests" / "fixtures" / "peacehealth-cervical-cerclage.txt"
URL = "https://www.peacehealth.org/medical-topics/id/hw221215"
SKIP = {".git", ".venv", "node_modules", "site", "build", "dist", ".pytest_cache", ".hypothesis", ".cache",
        "__pycache__"}
NEW_TOPIC = "cerclage.labor-after"
# The modules that read the project's own data (and the site built from it); run on the copy.
DATA_TESTS = ["test_engine.py", "test_discover.py", "test_content.py", "test_page_review.py", "test_marks_review.py",
              "test_add_source.py", "test_living_sources.py", "test_hooks.py", "test_sixth_source.py", "test_site_map.py",
              "test_marks_follow.py", "test_suggest.py"]
NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def copy_project(tmp_path: Path) -> tuple[Path, Path]:
    project, archive = tmp_path / "project", tmp_path / "archive"
    shutil.copytree(ROOT, project, ignore=lambda d, names: [n for n in names if n in SKIP and Path(d) == ROOT]
                    or [n for n in names if n in ("__pycache__", ".lock")])
    for name in (".venv", "node_modules"):  # `make` uses them as they are (its stamps stay newer than their inputs)
        if (ROOT / name).is_dir():
            (project / name).symlink_to(ROOT / name)
    subprocess.run(["git", "init", "-q", str(project)], check=True)  # an editor's clone (tests ask git what it ignores)
    shutil.copytree(needs_archive(), archive)
    for path in [archive, *archive.iterdir()]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    return project, archive


def environment(project: Path, archive: Path) -> dict:
    # the copy's own scripts first (the venv's .pth names this worktree's), its archive and the reference
    return dict(os.environ, PYTHONPATH=str(project / "scripts"), SOURCE_ARCHIVE=str(archive),
                GUIDELINES=str(needs_reference()), NO_MKDOCS_2_WARNING="1")


def run(project: Path, archive: Path, *cmd: str) -> subprocess.CompletedProcess:
    proc = subprocess.run(list(cmd), cwd=project, env=environment(project, archive), capture_output=True, text=True)
    assert "Traceback" not in proc.stdout + proc.stderr, proc.stdout[-2000:] + proc.stderr[-2000:]
    return proc


def tool(project: Path, archive: Path, *args: str) -> subprocess.CompletedProcess:
    """`.venv/bin/python scripts/disagreements.py ...`, as the README writes it."""
    return run(project, archive, sys.executable, "scripts/disagreements.py", *args)


def number_word(n: int) -> str:
    return NUMBER_WORDS[n] if n < len(NUMBER_WORDS) else str(n)


def review_entry(project: Path, sid: str):
    """Edit 1: the source entry, from what the text itself shows."""
    path = project / "data" / "sources.yaml"
    head, entry = path.read_text(encoding="utf-8").split(f'- id: "{sid}"')
    fill = {"title": "Cervical cerclage", "label": "Health library page",
            "names": "names no author, reviewer or publisher", "kind": "health library page",
            "clinician_review": "not said", "dated": "no: the text gives no date", "references": "none listed",
            "commercial_interest": "none shown", "opinion": "written as plain fact",
            "summary": "A short health-library page about the stitch. It names no author and gives no date."}
    for key, value in fill.items():
        entry, n = re.subn(rf"^(\s+{key}:) TODO\b.*$", lambda m: f"{m.group(1)} {json.dumps(value)}", entry, flags=re.M)
        assert n == 1, f"add-source wrote no TODO for {key}"
    entry = re.sub(r"^\s+draft: true.*\n", "", entry, flags=re.M)
    assert "TODO" not in entry, entry
    path.write_text(head + f'- id: "{sid}"' + entry, encoding="utf-8")


def review_claims(project: Path, sid: str) -> dict[str, dict]:
    """Edit 2: the claims, decided from each quote (add-source's topics are guesses)."""
    draft = project / "data" / "claims" / f"{sid}.draft.yaml"
    listed = draft.read_text(encoding="utf-8")
    quotes = [c["quote"] for c in (yaml.safe_load(listed) or {}).get("claims") or []]
    sentences = re.split(r"(?<=[.!?])\s+", " ".join(PAGE.read_text(encoding="utf-8").split()))

    def quote_with(words: str) -> str:
        """The draft's quote for the number, or, for a number the draft lists without a claim, its sentence."""
        assert words in listed, f"add-source neither drafted nor listed {words!r}"
        found = [q for q in quotes if words in q] or [x for x in sentences if words in x]
        return found[0]

    claims = {
        "cerclage.how": {"says": "A rarely used procedure that sews the cervix shut so it stays closed until near term.",
                         "quote": quote_with("week 37")},
        "cerclage.removal": {"value": {"min": 36, "max": 38, "unit": "weeks"},
                             "says": "Taken out at 36 to 38 weeks, or at once if labor starts early.",
                             "quote": quote_with("36 to 38 weeks")},
        NEW_TOPIC: {"value": {"max": 2, "unit": "weeks"}, "says": "Labor usually starts within 2 weeks of the stitch coming out.",
                    "quote": quote_with("within 2 weeks")},
    }
    out = [{"source": sid, "topic": topic, **claim} for topic, claim in claims.items()]
    (project / "data" / "claims" / f"{sid}.yaml").write_text(
        "# yaml-language-server: $schema=../schema/claims.schema.json\n"
        + yaml.safe_dump({"claims": out}, sort_keys=False, allow_unicode=True, width=120), encoding="utf-8")
    draft.unlink()
    return claims


def add_topic(project: Path, sid: str):
    """Edits 3 and 4: the new range topic (README "Add a topic") and its place on the stitch page."""
    with open(project / "data" / "topics" / "treatment.yaml", "a", encoding="utf-8") as out:
        out.write(f"  - id: {NEW_TOPIC}\n    question: How soon does labor begin once the stitch is out?\n"
                  "    page: treatment/cerclage.md\n    kind: range\n    unit: weeks\n")
    page = project / "docs" / "treatment" / "cerclage.md"
    text = page.read_text(encoding="utf-8")
    anchor = "<!-- disagreement: cerclage.removal -->\n"
    assert anchor in text
    page.write_text(text.replace(anchor, anchor + f"\nOne source says labor usually starts within 2 weeks once the "
                                 f"stitch is out. <!-- cite: {sid}.{NEW_TOPIC} -->\n\n<!-- sources: {NEW_TOPIC} -->\n"),
                    encoding="utf-8")


def rewrite_count(project: Path, problems: list[str]) -> list[str]:
    """Edit 5: the page sentences `make check` names for the topic the source joined, read again.

    The stitch page counts the sources on the removal week; the new count is written from the data
    (a source near the end of pregnancy gives 35 weeks or later)."""
    named = sorted({(m.group(1), int(m.group(2))) for p in problems
                    for m in [re.search(r"((?:docs|includes)/\S+\.md):(\d+): the page cites topic cerclage\.removal", p)] if m})
    assert any(p == "docs/treatment/cerclage.md" for p, _ in named), problems
    claims = [c for f in sorted((project / "data" / "claims").glob("*.yaml"))
              for c in yaml.safe_load(f.read_text(encoding="utf-8"))["claims"] if c["topic"] == "cerclage.removal"]
    late = sorted(c["source"] for c in claims if c.get("value", {}).get("min", 0) >= 35)
    early = sorted(c["source"] for c in claims if c.get("value", {}).get("min", 0) < 35)
    page = project / "docs" / "treatment" / "cerclage.md"
    lines = page.read_text(encoding="utf-8").split("\n")
    cites = ", ".join(f"{c['source']}.cerclage.removal" for c in claims)
    counted = (f"{number_word(len(late)).capitalize()} sources give a week near the end of pregnancy, close "
               f"to guidance. {number_word(len(early)).capitalize()} gives an earlier week. <!-- cite: {cites} -->")
    rewritten = 0
    # check names the page (at its first cite of the topic); the editor reads the whole page again. The
    # sentences a cite of the topic closes (from the previous cite, or the line's start) are rewritten only
    # where they count sources; a sentence that counts nothing stays true and is kept.
    for line in range(1, len(lines) + 1):
        for m in reversed(list(re.finditer(r"(?:^|(?<=-->))([^<]*?)<!-- cite: ([^>]*cerclage\.removal[^>]*) -->",
                                           lines[line - 1]))):
            if re.search(r"\b(one|two|three|four|five|six|seven)\b[^.]*\bsources?\b", m.group(1), re.I):
                lead = " " if m.group(1).startswith(" ") else ""
                lines[line - 1] = lines[line - 1][:m.start()] + lead + counted + lines[line - 1][m.end():]
                rewritten += 1
    assert rewritten, "no sentence that counts the sources was named"
    page.write_text("\n".join(lines), encoding="utf-8")
    return sorted({p for p, _ in named} | {m.group(1) for p in problems
                                           for m in [re.search(r"((?:docs|includes)/\S+\.md):\d+: the page cites", p)] if m})


def test_a_reviewed_real_page_lands_and_the_suite_stays_green(tmp_path):
    project, archive = copy_project(tmp_path)
    before = json.loads(tool(project, archive, "check", "--format", "json").stdout)["summary"]["sources"]

    # add-source, as the README writes it
    proc = tool(project, archive, "add-source", str(PAGE), "--url", URL, "--saved", "2026-12-02")
    assert proc.returncode == 0, proc.stderr
    sid = re.search(r"added source (\d{3})", proc.stdout).group(1)
    assert "this conflict is already resolved" in proc.stdout  # 36 to 38 weeks on the removal topic

    review_entry(project, sid)
    review_claims(project, sid)
    add_topic(project, sid)

    # make check names what is left: the stale resolution, the pages, the verification record (in one line)
    proc = run(project, archive, "make", "--no-print-directory", "check")
    assert proc.returncode == 1, proc.stdout[-3000:] + proc.stderr[-3000:]
    problems = [line[2:] for line in proc.stdout.splitlines() if line.startswith("- ")]
    assert any("the resolution of cerclage.removal is stale" in p for p in problems), problems
    assert sum("verified.lock" in p for p in problems) == 1, problems
    pages = rewrite_count(project, problems)

    assert tool(project, archive, "review", "cerclage.removal").returncode == 0
    proc = tool(project, archive, "review", "--pages", *pages)
    assert proc.returncode == 0, proc.stderr
    proc = tool(project, archive, "check", "--update-lock")
    assert proc.returncode in (0, 1), proc.stderr
    proc = run(project, archive, "make", "--no-print-directory", "check")
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    assert "check: OK" in proc.stdout
    report = json.loads(tool(project, archive, "check", "--format", "json").stdout)
    assert report["summary"]["sources"] == before + 1 and report["summary"]["ok"]

    # the suite's data-dependent tests, on the project as the editor left it
    proc = run(project, archive, sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
               *[f"tests/{name}" for name in DATA_TESTS])
    tail = proc.stdout[-6000:] + proc.stderr[-2000:]
    assert proc.returncode == 0, tail
    assert re.search(r"\d+ passed", proc.stdout) and " failed" not in proc.stdout, tail


def test_make_check_exits_with_the_scripts_own_status(tmp_path):
    """0, 1 or 2 as the script says (GNU make would turn every failure into 2): here the status of the
    project as it is, and bad input (a reference file that is not there)."""
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    clone = [] if ARCHIVE.is_dir() else ["--without-archive"]  # what make runs in a clone
    script = subprocess.run([sys.executable, "scripts/disagreements.py", *clone], cwd=ROOT, env=env, capture_output=True,
                            text=True)
    make = subprocess.run(["make", "--no-print-directory", "check"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert make.returncode == script.returncode in (0, 1), make.stdout[-2000:] + make.stderr[-2000:]
    needs_archive()  # bad input of the full check: a reference file that is not there
    env["GUIDELINES"] = str(tmp_path / "nowhere.md")
    make = subprocess.run(["make", "--no-print-directory", "check"], cwd=ROOT, env=env, capture_output=True, text=True)
    assert make.returncode == 2 and "guidance reference file not found" in make.stderr, make.stderr
