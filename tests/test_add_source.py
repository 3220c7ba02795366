"""The README walkthrough "Add a source", end to end, on copies of data/ and of the archive."""
from __future__ import annotations

import hashlib
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

from reconcile.load import load_project  # noqa: E402
import conftest  # noqa: E402

ARCHIVE = Path(os.environ.get("SOURCE_ARCHIVE") or ROOT.parent / "shared" / "sources")
SCRIPT = ROOT / "scripts" / "disagreements.py"
NEW_TEXT = ("Cervical stitch: what to expect\n\n"
            "A cervical stitch is usually put in at 13 to 14 weeks.\u00a0The stitch is removed at 30 weeks.\n"
            "Posted 3 March 2024\n")


@pytest.fixture
def copy(tmp_path):
    """Copies of the project's data and of the archive (writable), and a new text of our own."""
    conftest.needs_archive()  # skips in a clone without the archive, fails under CI=true
    data, archive = tmp_path / "data", tmp_path / "archive"
    shutil.copytree(ROOT / "data", data)
    shutil.copytree(ARCHIVE, archive)
    for path in [archive, *archive.iterdir()]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    new = tmp_path / "new-page.txt"
    new.write_text(NEW_TEXT, encoding="utf-8")
    return data, archive, new


def cli(*args, data, archive):
    proc = subprocess.run([sys.executable, str(SCRIPT), *args, "--data", str(data), "--archive", str(archive)],
                          capture_output=True, text=True)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file's bytes; the lock file (made by any writing command, never holding data) aside."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file() and p.name != ".lock"}


def test_walkthrough_add_a_source(copy):
    data, archive, new = copy
    before = snapshot(data)
    next_id = f"{max(int(s) for s in load_project(data).sources) + 1:03d}"

    # 1. add-source: copies the text, appends a draft entry, writes draft claims, flags the contradiction
    proc = cli("add-source", str(new), data=data, archive=archive)
    assert proc.returncode == 0, proc.stderr
    digest = hashlib.sha256(new.read_bytes()).hexdigest()
    copied = archive / f"{next_id}_{digest[:16]}.txt"
    assert copied.read_bytes() == new.read_bytes()
    assert f"added source {next_id}" in proc.stdout
    warning = [line for line in proc.stdout.splitlines() if line.startswith("WARNING")]
    assert len(warning) == 1
    assert '"30 weeks" (30 weeks) on topic cerclage.removal would conflict with 000.cerclage.removal (26-28 weeks)' in warning[0]
    assert "003.cerclage.removal (35-37 weeks)" in warning[0]

    # nothing existing was rewritten: sources.yaml only grew, every other file is as it was
    after = snapshot(data)
    assert after["sources.yaml"].startswith(before["sources.yaml"])
    assert {k: v for k, v in after.items() if k in before and k != "sources.yaml"} == \
           {k: v for k, v in before.items() if k != "sources.yaml"}
    assert set(after) - set(before) == {f"claims/{next_id}.draft.yaml"}
    entry = yaml.safe_load(after["sources.yaml"])["sources"][-1]
    assert entry["id"] == next_id and entry["sha256"] == digest and entry["draft"] is True and entry["title"] == "TODO"

    draft = yaml.safe_load(after[f"claims/{next_id}.draft.yaml"])["claims"]
    removal = next(c for c in draft if c["topic"] == "cerclage.removal")
    assert removal == {"source": next_id, "topic": "cerclage.removal", "value": {"min": 30, "max": 30, "unit": "weeks"},
                       "says": "TODO: what the source says, in plain words",
                       "quote": "The stitch is removed at 30 weeks.", "draft": True}
    assert any(c["topic"] == "cerclage.timing" and c["value"] == {"min": 13, "max": 14, "unit": "weeks"} for c in draft)
    assert "# WARNING: this value would conflict with 000.cerclage.removal" in after[f"claims/{next_id}.draft.yaml"].decode()

    # 2. drafts never reach the site: the loader keeps them apart
    project = load_project(data)
    assert not [c for c in project.claims.values() if c.source == next_id]
    assert {c.topic for c in project.drafts} >= {"cerclage.removal", "cerclage.timing"}

    # 3. check fails until the drafts and the source entry are reviewed
    proc = cli("check", data=data, archive=archive)
    assert proc.returncode == 1
    assert f"draft claim {next_id}.cerclage.removal awaits review" in proc.stdout
    assert f"source {next_id} is a draft: fill in its TODO fields" in proc.stdout
    assert '"3 March 2024" in source ' + next_id + " is not covered" in proc.stdout

    # 4. the editor reviews: claims moved to a normal file with plain words, the entry filled in, the date dismissed
    reviewed = after[f"claims/{next_id}.draft.yaml"].decode().replace("    draft: true\n", "")
    reviewed = reviewed.replace('"TODO: what the source says, in plain words"', "The page gives a week for this.")
    (data / "claims" / f"{next_id}.yaml").write_text(reviewed, encoding="utf-8")
    (data / "claims" / f"{next_id}.draft.yaml").unlink()
    sources = (data / "sources.yaml").read_text(encoding="utf-8")
    head, tail = sources[:len(before["sources.yaml"].decode())], sources[len(before["sources.yaml"].decode()):]
    tail = re.sub(r"\bTODO\b", "A test page", tail).replace("    draft: true", "")
    (data / "sources.yaml").write_text(head + tail, encoding="utf-8")
    with open(data / "dismissed.yaml", "a", encoding="utf-8") as out:
        out.write(f'  - source: "{next_id}"\n    text: Posted 3 March 2024\n    reason: the date of the page\n')

    # the new claims join topics that have resolutions: those are stale until the editor weighs them
    proc = cli("check", "--format", "json", data=data, archive=archive)
    problems = json.loads(proc.stdout)["summary"]["problems"]
    assert any(f"the resolution of cerclage.removal is stale: claim {next_id}.cerclage.removal" in p for p in problems)
    assert any(f"claim {next_id}.cerclage.removal: 30 weeks is outside what guidance.cerclage-removal says (36-37 weeks)" in p
               for p in problems)
    proc = cli("review", "cerclage.removal", "cerclage.timing", data=data, archive=archive)
    assert proc.returncode == 0, proc.stderr
    assert f"reviewed cerclage.removal: weighed 000.cerclage.removal" in proc.stdout and f"{next_id}.cerclage.removal" in proc.stdout

    assert cli("check", "--update-lock", data=data, archive=archive).returncode != 2  # 5. record the verified quotes
    proc = cli("check", "--format", "json", data=data, archive=archive)
    report = json.loads(proc.stdout)
    mine = [p for p in report["summary"]["problems"]
            if f"source {next_id}" in p or p.startswith(f"{next_id}_") or f"{next_id}." in p or "draft" in p or "stale" in p]
    assert mine == []
    assert any(f"claim {next_id}.cerclage.removal: 30 weeks is outside" in n for n in report["summary"]["mentions"]["notes"])
    removal = next(t for t in report["topics"] if t["id"] == "cerclage.removal")
    assert removal["status"] == "conflict" and f"{next_id}.cerclage.removal" in {c["id"] for c in removal["claims"]}
    assert any(f"{next_id}.cerclage.removal" in pair for pair in removal["pairs"])
    assert report["summary"]["mentions"]["drafted"] == 0


def test_add_source_again_is_refused_and_writes_nothing(copy):
    data, archive, new = copy
    assert cli("add-source", str(new), data=data, archive=archive).returncode == 0
    data_before, archive_before = snapshot(data), snapshot(archive)
    proc = cli("add-source", str(new), data=data, archive=archive)
    assert proc.returncode == 2
    assert "is already in the archive as source" in proc.stderr and len(proc.stderr.strip().splitlines()) == 1
    assert snapshot(data) == data_before and snapshot(archive) == archive_before


@pytest.mark.parametrize("content, message", [
    (None, "file not found"),
    (b"", "the file is empty"),
    (b"  \n\n", "the file is empty"),
    (b"caf\xe9 at 30 weeks", "not UTF-8 text"),
    (b"bin\x00ary 30 weeks", "not plain text"),
])
def test_add_source_bad_input_is_one_line_exit_2(copy, tmp_path, content, message):
    data, archive, _ = copy
    bad = tmp_path / "bad.txt"
    if content is not None:
        bad.write_bytes(content)
    data_before, archive_before = snapshot(data), snapshot(archive)
    proc = cli("add-source", str(bad), data=data, archive=archive)
    assert proc.returncode == 2 and message in proc.stderr and str(bad) in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1
    assert snapshot(data) == data_before and snapshot(archive) == archive_before


def test_add_source_never_overwrites_an_existing_draft(copy):
    data, archive, new = copy
    next_id = f"{max(int(s) for s in load_project(data).sources) + 1:03d}"
    # an editor's own file of the next id is kept: that id is skipped, nothing is overwritten
    (data / "claims" / f"{next_id}.notes.txt").write_text("mine", encoding="utf-8")
    proc = cli("add-source", str(new), data=data, archive=archive)
    assert proc.returncode == 0
    assert f"added source {int(next_id) + 1:03d}" in proc.stdout
    assert (data / "claims" / f"{next_id}.notes.txt").read_text() == "mine"


def test_add_source_without_a_file_or_archive(copy, tmp_path):
    data, archive, new = copy
    proc = cli("add-source", data=data, archive=archive)
    assert proc.returncode == 2 and "name the new text file" in proc.stderr
    proc = cli("add-source", str(new), data=data, archive=tmp_path / "nowhere")
    assert proc.returncode == 2 and "source archive folder not found" in proc.stderr


def test_a_failed_add_source_takes_back_what_it_wrote(copy, monkeypatch):
    """If the data does not load after writing (simulated here), nothing written stays."""
    from reconcile import newsource
    from reconcile.yamlfile import InputError

    data, archive, new = copy

    def broken(project, archive):
        raise InputError(data / "sources.yaml", 1, "simulated failure after writing")

    monkeypatch.setattr(newsource, "verify", broken)
    data_before, archive_before = snapshot(data), snapshot(archive)
    with pytest.raises(InputError, match="simulated failure"):
        newsource.add_source(new, data, archive)
    assert snapshot(data) == data_before and snapshot(archive) == archive_before
