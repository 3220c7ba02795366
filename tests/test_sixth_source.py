"""End to end: a sixth source is added, reviewed by script as an editor would, and the site rebuilt.

On a copy of the whole project and of the archive: add-source, then the review (says filled,
claims moved out of the draft, the entry's TODOs filled, numbers left over dismissed, a
resolution written for the conflict the new source opens, `review` recorded for every topic the
new claims joined, and `review --pages` for every page citing one), then `check`, the hosted
build and the PDF book. The site must follow by itself: the new source in the navigation, on its page and in the book's contents, one more
where the site counts its sources (counted from the data it started with), no TODO anywhere, and the new conflict on the disagreements page.
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

ROOT = Path(__file__).resolve().parents[1]

from conftest import IN_CI, pdf_text, soup_of  # noqa: E402
from website.shortcodes import NUMBER_WORDS  # noqa: E402  (the words the site counts in)

ARCHIVE = Path(os.environ.get("SOURCE_ARCHIVE") or ROOT.parent / "shared" / "sources")
REFERENCE = Path(os.environ.get("GUIDELINES") or ROOT.parent / "shared" / "reference" / "guidelines.md")
SKIP = {".git", ".venv", "node_modules", "site", "build", "dist", ".pytest_cache", ".hypothesis", ".cache", "__pycache__"}
LABEL = "Maternity unit leaflet"
SIXTH = """Pregnancy after a late miscarriage: your questions answered

A leaflet from the maternity unit.

If you have a stitch, it is usually taken out at 37 weeks of pregnancy.
Scans of your cervix may be offered every two weeks from 16 to 24 weeks.
If you are overweight, you may be advised to gain between 15 and 20 pounds in this pregnancy.
"""
NEW_CONFLICT = "healthy-pregnancy.weight"


def needs(path: Path, what: str):
    if not path.exists():
        message = f"{what} is needed: {path}"
        if IN_CI:
            pytest.fail(message + " (CI=true)")
        pytest.skip(message)


def cli(project: Path, archive: Path, *args) -> subprocess.CompletedProcess:
    proc = subprocess.run([sys.executable, str(project / "scripts" / "disagreements.py"), *args,
                           "--data", str(project / "data"), "--archive", str(archive)],
                          capture_output=True, text=True, cwd=project,
                          env=dict(os.environ, GUIDELINES=str(REFERENCE), SOURCE_ARCHIVE=str(archive)))
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def review_by_script(project: Path, archive: Path, sid: str):
    """What an editor does after add-source, done by a script."""
    data = project / "data"
    draft = data / "claims" / f"{sid}.draft.yaml"
    claims = yaml.safe_load(draft.read_text(encoding="utf-8"))["claims"]
    assert {c["topic"] for c in claims} >= {"cerclage.removal", NEW_CONFLICT}
    for c in claims:
        c.pop("draft")
        c["says"] = "The leaflet gives a figure for this."  # plain words of our own
    (data / "claims" / f"{sid}.yaml").write_text(yaml.safe_dump({"claims": claims}, sort_keys=False), encoding="utf-8")
    draft.unlink()

    sources = (data / "sources.yaml").read_text(encoding="utf-8")
    head, entry = sources.split(f'- id: "{sid}"')
    entry = re.sub(r"  draft: true.*\n", "", entry)
    entry = entry.replace("label: TODO", f"label: {LABEL}").replace("title: TODO", "title: Pregnancy after a late miscarriage")
    entry = re.sub(r"\bTODO\b", "a maternity unit leaflet (test)", entry)
    (data / "sources.yaml").write_text(head + f'- id: "{sid}"' + entry, encoding="utf-8")

    # every number left without a claim: dismissed with a reason
    proc = cli(project, archive, "discover", "--source", sid, "--uncovered", "--format", "json")
    assert proc.returncode == 0, proc.stderr
    left = json.loads(proc.stdout)["mentions"]
    if left:
        with open(data / "dismissed.yaml", "a", encoding="utf-8") as out:
            for m in left:
                out.write(f'  - source: "{sid}"\n    text: {json.dumps(m["text"])}\n    reason: not about this condition\n')

    # the conflict the new source opens gets a resolution
    with open(data / "resolutions" / "treatment.yaml", "a", encoding="utf-8") as out:
        out.write(f"""
  - topic: {NEW_CONFLICT}
    summary: >-
      One source gives 25 to 35 pounds. The leaflet ({sid}) gives 15 to 20 pounds for a person who
      is overweight. The guidance this site uses does not give a number. Ask your doctor or midwife.
    short: "25 to 35 pounds (000) or 15 to 20 pounds if overweight ({sid})? Guidance gives no number."
    supports: {{}}
    guidance_silent: true
    trust: The sources speak of different people. Neither is a guideline. Ask your doctor or midwife.
    reviewed: "2026-11-23"
""")
    # check names every resolution the new claims made stale; the editor weighs them and records it
    proc = cli(project, archive, "check", "--format", "json")
    assert proc.returncode in (0, 1), proc.stderr
    stale = sorted({m.group(1) for p in json.loads(proc.stdout)["summary"]["problems"]
                    for m in [re.search(r"the resolution of (\S+) (?:is stale|does not record)", p)] if m})
    assert "cerclage.removal" in stale and NEW_CONFLICT in stale, stale
    proc = cli(project, archive, "review", *stale)
    assert proc.returncode == 0, proc.stderr
    # on a question guidance settles, the editor weighs the new answer against guidance (review 15, S3): a range is
    # weighed by the data itself (37 weeks on the stitch's removal); any other answer the check names gets a mark or,
    # here, the plain reason it is not compared
    proc = cli(project, archive, "check", "--format", "json")
    unweighed = sorted({m.group(1) for p in json.loads(proc.stdout)["summary"]["problems"]
                        for m in [re.search(rf"source {sid} answers (\S+) .*, which guidance settles", p)] if m})
    assert "cerclage.removal" not in unweighed, unweighed
    path = data / "resolutions" / "treatment.yaml"
    text = path.read_text(encoding="utf-8")
    for topic in unweighed:
        text = text.replace(f"  - topic: {topic}\n", f"  - topic: {topic}\n    uncompared: {{\"{sid}\": the leaflet gives too little to compare}}\n", 1)
    path.write_text(text, encoding="utf-8")
    # check names every page whose sentences cite a topic the new claims joined (or a guidance fact on
    # such a topic); the editor reads
    # them again (the stitch page says how many sources put its removal where) and records it
    proc = cli(project, archive, "check", "--format", "json")
    pages = sorted({m.group(1) for p in json.loads(proc.stdout)["summary"]["problems"]
                    for m in [re.search(r"/((?:docs|includes)/\S+\.md):\d+: the page cites (?:topic|guidance fact) ", p)] if m})
    assert "docs/treatment/cerclage.md" in pages, pages
    proc = cli(project, archive, "review", "--pages", *pages)
    assert proc.returncode == 0, proc.stderr
    # the new quotes verified: the editor records that (data/verified.lock, for clones without the archive)
    proc = cli(project, archive, "check", "--update-lock")
    assert proc.returncode in (0, 1), proc.stderr


def test_a_sixth_source_end_to_end(tmp_path):
    needs(ARCHIVE, "the source archive")
    needs(REFERENCE, "the guidance reference")
    project, archive = tmp_path / "project", tmp_path / "archive"
    shutil.copytree(ROOT, project, ignore=lambda d, names: [n for n in names if n in SKIP and Path(d) == ROOT]
                    or [n for n in names if n in ("__pycache__", ".lock")])
    if (ROOT / "node_modules").is_dir():
        (project / "node_modules").symlink_to(ROOT / "node_modules")
    shutil.copytree(ARCHIVE, archive)
    for path in [archive, *archive.iterdir()]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    text = tmp_path / "leaflet.txt"
    text.write_text(SIXTH, encoding="utf-8")
    before = json.loads(cli(project, archive, "check", "--format", "json").stdout)["summary"]["sources"]
    count, was = NUMBER_WORDS[before + 1], NUMBER_WORDS[before]  # the count the site gives, before and after

    proc = cli(project, archive, "add-source", str(text), "--url", "https://example.org/leaflet", "--saved", "2026-11-23")
    assert proc.returncode == 0, proc.stderr
    sid = re.search(r"added source (\d{3})", proc.stdout).group(1)
    assert "this conflict is already resolved" in proc.stdout  # 37 weeks on the stitch removal topic

    review_by_script(project, archive, sid)
    proc = cli(project, archive, "check")
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr
    assert proc.stdout.count(f"{before + 1} sources") == 1
    # its 37 weeks on a question guidance settles gets its guidance mark by the range rule, as every source's does
    report = json.loads(cli(project, archive, "check", "--format", "json").stdout)
    removal = next(t for t in report["topics"] if t["id"] == "cerclage.removal")
    assert {c["source"]: (c["mark"] or {}).get("level") for c in removal["claims"]}[sid] == "matches"

    env = dict(os.environ, SOURCE_ARCHIVE=str(archive), GUIDELINES=str(REFERENCE), NO_MKDOCS_2_WARNING="1",
               OFFLINE="false")
    site = tmp_path / "site"
    build = subprocess.run([str(Path(sys.executable).parent / "mkdocs"), "build", "--strict", "--site-dir", str(site)],
                           cwd=project, env=env, capture_output=True, text=True)
    assert build.returncode == 0, build.stdout[-3000:] + build.stderr[-3000:]

    # the source has its page, and is in the navigation
    page = site / "sources" / sid / "index.html"
    assert page.exists()
    # its page links to the original and says when our copy was saved
    links = [x for x in soup_of(page).select("article a[href]") if x["href"] == "https://example.org/leaflet"]
    assert links and "2026-11-23" in links[0].parent.get_text(" ")
    nav = [a.get("href", "") for a in soup_of(site / "index.html").select("nav.md-nav--primary a.md-nav__link")]
    follow = []  # what the site must do by itself (nav, counts, book): all named at the end, not just the first
    if not any(re.search(rf"sources/{sid}/?$", href) for href in nav):
        follow.append(f"sources/{sid}/ is not in the navigation")

    # no TODO anywhere in the built site
    todo = [str(p.relative_to(site)) for p in site.rglob("*") if p.is_file() and p.suffix in (".html", ".json", ".csv", ".txt", ".xml")
            and re.search(r"\bTODO\b", p.read_text(encoding="utf-8", errors="replace"))]
    assert todo == []

    # the disagreements page shows the conflict it opened, with the new source
    page_text = " ".join(soup_of(site / "disagreements" / "index.html").get_text(" ").split())
    question = yaml.safe_load((project / "data" / "topics" / "treatment.yaml").read_text(encoding="utf-8"))
    question = next(t["question"] for t in question["topics"] if t["id"] == NEW_CONFLICT)
    assert question in page_text and f"({sid})" in page_text
    # ... and the handout's sheet of questions to ask your doctor asks it, by itself
    sheet = [" ".join(li.strong.get_text().split()) for li in soup_of(site / "handout" / "index.html").select(".ci-ask-sheet ol li")]
    if question not in sheet:
        follow.append(f"the handout's sheet of questions does not ask {question!r}: {sheet}")

    # the timeline draws its weeks by itself: on the disagreements page and in the stitch page's evidence
    for page, where in ((site / "disagreements" / "index.html", ".ci-timeline table"),
                        (site / "treatment" / "cerclage" / "index.html", "#topic-cerclage-removal .ci-timeline table")):
        tables = [t for t in soup_of(page).select(where) if "stitch taken out" in t.caption.get_text()
                  or page.parent.name == "cerclage"]
        rows = [" ".join(tr.get_text(" ").split()) for t in tables for tr in t.select("tbody tr.ci-timeline__row")]
        if not any(r.startswith(f"{LABEL} {sid} ") and "37 weeks" in r for r in rows):
            follow.append(f"the timeline on {page.parent.name} has no row for the new source's 37 weeks: {rows}")

    # counts on the site say six: wherever the site counts its sources
    home = " ".join(soup_of(site / "index.html").get_text(" ").split())
    if not re.search(rf"\b{count}\b", home, re.I):
        follow.append(f"the home page does not count {count} sources")
    counted = [str(p.relative_to(site)) for p in site.rglob("*.html")
               if re.search(rf"\b({was}|{before}) (public |web |online )*(sources|pages|web sources)\b",
                            " ".join(soup_of(p).get_text(" ").split()), re.I)]
    if counted:
        follow.append(f"pages still counting {was} sources: {counted}")

    # the methods page lists the kinds of page from the data: the new source's kind is there
    kinds = [" ".join(li.get_text(" ").split()) for li in soup_of(site / "methods" / "index.html").select("ul.source-kinds li")]
    if not any(k.startswith("a maternity unit leaflet (test)") for k in kinds):
        follow.append(f"the methods page does not list the new source's kind: {kinds}")

    # the PDF book lists it in its contents
    from website import build_pdf

    build_pdf.build(site, tmp_path / "pdf", names=("book",))
    book = tmp_path / "pdf" / build_pdf.JOBS["book"][2]
    contents = " ".join(pdf_text(book)[:6])
    if LABEL not in contents:
        follow.append("the new source is not in the PDF book's contents")
    assert follow == [], "the site does not follow the sixth source: " + "; ".join(follow)
