"""A small, complete project (archive + data) written into a folder, for the engine's tests.

Each test changes one thing in it and checks what the engine says.
"""
from __future__ import annotations

import hashlib
import shutil
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

TEXTS = {
    "900": "Your stitch\u00a0is taken out around 27 weeks of pregnancy. Progesterone shots are given every week.\n"
           "\u2022 Cramps\n\u2022 Spotting\nIt\u2019s most often caused by infection.",
    "901": "They\u2019ll remove the stitches when you\u2019re about 36\u202fweeks pregnant. If you\u2019re carrying only one baby,"
           " progesterone can help \u2014 it lowers the risk. Doctors don\u2019t know exactly why. <script>alert(1)</script>",
    "902": "Symptoms may start from the 20th week. Cramps and backache are common.",
}


def write(root: Path, files: dict[str, str]):
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(content).lstrip(), encoding="utf-8")


def archive_source(archive: Path, sid: str, text: str) -> str:
    """Save a source's text in the archive; its entry for sources.yaml (a test page, two spaces in)."""
    (archive / f"{sid}.txt").write_text(text, encoding="utf-8")
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return (f'  - id: "{sid}"\n    file: {sid}.txt\n    sha256: {digest}\n    title: Page {sid}\n    label: Page {sid}\n'
            '    names: nobody\n    date: null\n    kind: test page\n'
            '    appraisal: {clinician_review: "no", dated: "no", references: "no", commercial_interest: "no",\n'
            '                opinion: "no", trust: low, summary: "A test page."}\n')


def make(root: Path) -> tuple[Path, Path]:
    """Write archive/ and data/ under ``root``; return (data dir, archive dir)."""
    archive, data = root / "archive", root / "data"
    archive.mkdir(parents=True)
    entries = []
    for sid, text in TEXTS.items():
        entries.append(archive_source(archive, sid, text))
    shutil.copytree(ROOT / "data" / "schema", data / "schema")
    write(data, {
        "sources.yaml": "sources:\n" + "".join(entries),
        "guidance.yaml": """
            citations:
              - key: ACOG PB 142
                text: Practice Bulletin No. 142.
            facts:
              - id: guidance.cerclage-removal
                row: cerclage removal
                says: Taken out at 36 to 37 weeks.
                cite: [ACOG PB 142]
                topic: cerclage.removal
            """,
        "topics/main.yaml": """
            topics:
              - id: cerclage.removal
                question: When is the stitch taken out?
                page: index.md
                kind: range
                unit: weeks
              - id: progesterone.twins
                question: Only for one baby?
                page: index.md
                kind: caveat
                caveat: only for a single baby
              - id: causes.main
                question: Main cause?
                page: index.md
                kind: choice
                options: {infection: Infection, unknown: Not known}
              - id: symptoms.list
                question: Which signs?
                page: index.md
                kind: set
                options: {cramps: Cramps, spotting: Spotting, backache: Backache}
              - id: symptoms.start
                question: When do signs start?
                page: index.md
                kind: range
                unit: weeks
            """,
        "claims/main.yaml": """
            claims:
              - source: "900"
                topic: cerclage.removal
                value: {min: 26, max: 28, unit: weeks}
                says: Around 27 weeks.
                quote: "Your stitch is taken out around 27 weeks of pregnancy."
              - source: "901"
                topic: cerclage.removal
                value: {min: 35, max: 37, unit: weeks}
                says: About 36 weeks.
                quote: "They'll remove the stitches when you're about 36 weeks pregnant."
              - source: "900"
                topic: progesterone.twins
                value: omitted
                implied: true
                says: Shots every week, no word on twins.
                quote: Progesterone shots are given every week.
              - source: "901"
                topic: progesterone.twins
                value: stated
                says: Only with one baby.
                quote: "If you're carrying only one baby, progesterone can help - it lowers the risk."
              - source: "900"
                topic: causes.main
                value: infection
                says: Mostly infection.
                quote: It's most often caused by infection.
              - source: "901"
                topic: causes.main
                value: unknown
                says: "Not known <script>alert(1)</script>"
                quote: "Doctors don't know exactly why. <script>alert(1)</script>"
              - source: "900"
                topic: symptoms.list
                value: [cramps, spotting]
                says: Cramps and spotting.
                quote: Cramps Spotting
              - source: "902"
                topic: symptoms.list
                value: [cramps, backache]
                says: Cramps and backache.
                quote: Cramps and backache are common.
              - source: "902"
                topic: symptoms.start
                value: {min: 19, unit: weeks}
                says: From week 20.
                quote: Symptoms may start from the 20th week.
            """,
        "resolutions/main.yaml": """
            resolutions:
              - topic: cerclage.removal
                summary: Guidance says 36 to 37 weeks.
                short: 27 or 36 weeks? Guidance says 36 to 37.
                supports: {"901": [guidance.cerclage-removal]}
                differs: {"900": [guidance.cerclage-removal]}
                guidance: [guidance.cerclage-removal]
                reviewed: "2026-11-21"
              - topic: progesterone.twins
                summary: Only one source says it is for one baby.
                short: Progesterone in twins.
                supports: {}
                trusted: ["901"]
                guidance_silent: true
                trust: The hospital page is newer.
                reviewed: "2026-11-21"
              - topic: causes.main
                summary: Not known.
                short: Main cause.
                supports: {}
                trusted: ["901"]
                guidance_silent: true
                trust: Ask a doctor.
                reviewed: "2026-11-21"
            """,
    })
    from reconcile import review  # each resolution records the claims it weighed, as an editor would

    review.record(data, None)
    write_record(data, archive)
    return data, archive


def write_record(data: Path, archive: Path) -> None:
    """data/verified.lock for the data as it is, as `check --update-lock` writes it."""
    import sys

    from reconcile.pipeline import analyse
    from reconcile.record import update_record

    a = analyse(data, archive, None, cache=None)
    update_record(data, a.project, a.verification)


REFERENCE = """
# Reference
## Citations
- **ACOG PB 142** — Practice Bulletin No. 142.

| topic | fact | cite |
|---|---|---|
| cerclage removal | removed at 36-37 weeks | ACOG PB 142 |
"""
