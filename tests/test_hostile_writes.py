"""Faults around the commands that write (issue 22, classes 1, 5, 6, 7 and 8): a lock deleted while
held, Ctrl-C and SIGKILL in every writer, a full disk, a closed stdout; valid YAML the tools must edit;
dates; resources; near-identical texts.

Each writer is driven as an editor drives it (``disagreements.main`` in this process, or the script),
on a copy of the small project of minidata or of the real data and pages.
"""
from __future__ import annotations

import errno
import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

import disagreements  # noqa: E402
import minidata  # noqa: E402
from reconcile import atomic, newsource  # noqa: E402
from reconcile.atomic import Changes, locked  # noqa: E402
from reconcile.load import load_project  # noqa: E402
from reconcile.yamlfile import InputError  # noqa: E402
from test_engine import mini  # noqa: E402,F401  (the engine's mini project fixture)
from test_hostile import tree_hash  # noqa: E402
from test_page_review import project  # noqa: E402,F401  (a copy of the real data, pages and snippets)

SCRIPT = ROOT / "scripts" / "disagreements.py"
NEW_TEXT = "Page new: the stitch\n\nThe stitch is removed at 31 weeks.\nBleeding after 2 days needs a call to your doctor.\n"


def main(mini, *args, capsys):
    data, archive, reference = mini
    code = disagreements.main([*args, "--data", str(data), "--archive", str(archive), "--reference", str(reference)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def one_error_line(err: str, *words: str):
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    for word in words:
        assert word in lines[0], (word, lines[0])


def temps(*folders: Path) -> list[Path]:
    return sorted(p for f in folders for p in f.rglob(".*.tmp"))


def edit_quote(data: Path):
    """Change a claim's quote (still in the text), so that check --update-lock rewrites verified.lock."""
    path = data / "claims" / "main.yaml"
    text = path.read_text(encoding="utf-8")
    assert "Cramps and backache are common." in text
    path.write_text(text.replace("Cramps and backache are common.", "Cramps and backache"), encoding="utf-8")


# ------------------------------------------------------------------ class 1: the lock

def test_the_lock_holds_when_everything_deletable_in_the_data_folder_is_deleted(mini):
    """`git clean -fdX` or an editor removing a "stale" lock file while a command holds the lock:
    a second writer must still wait, not lock a new file and run at the same time."""
    data, _, _ = mini
    ready_r, ready_w = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child holds the lock for a while
        with locked(data):
            os.write(ready_w, b"x")
            time.sleep(3)
        os._exit(0)
    try:
        os.read(ready_r, 1)
        for path in data.rglob("*"):  # every dot file (a lock file, ignored by git) goes
            if path.name.startswith(".") and path.is_file():
                path.unlink()
        started = time.monotonic()
        with pytest.raises(InputError, match="held the data folder's lock"):
            with locked(data, timeout=0.5):
                pass
        assert time.monotonic() - started >= 0.5
    finally:
        os.waitpid(pid, 0)
    with locked(data, timeout=0.5):  # released with its holder
        pass


def test_a_deleted_lock_file_never_lets_two_add_sources_run_at_once(mini, tmp_path):
    """Eight add-sources at once while another process keeps deleting dot files in data/: every one
    finishes, each with its own id and archive copy, and the data loads."""
    data, archive, _ = mini
    stop = tmp_path / "stop"
    deleter = os.fork()
    if deleter == 0:  # pragma: no cover
        while not stop.exists():
            for path in list(data.glob(".*")):
                if not path.name.endswith(".tmp"):
                    try:
                        path.unlink()
                    except OSError:
                        pass
            time.sleep(0.001)
        os._exit(0)
    texts = []
    for n in range(8):
        path = tmp_path / f"new{n}.txt"
        path.write_text(NEW_TEXT.replace("31 weeks", f"{20 + n} weeks"), encoding="utf-8")
        texts.append(path)
    pids = []
    for path in texts:
        pid = os.fork()
        if pid == 0:  # pragma: no cover
            sys.stdout = open(os.devnull, "w")
            try:
                newsource.add_source(path, data, archive)
                os._exit(0)
            except BaseException:
                os._exit(2)
        pids.append(pid)
    codes = [os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) for pid in pids]
    stop.touch()
    os.waitpid(deleter, 0)
    assert codes == [0] * 8
    project = load_project(data)
    new = [s for s in project.sources.values() if s.draft]
    assert len({s.id for s in new}) == 8 and all((archive / s.file).is_file() for s in new)
    assert newsource.unfinished(project, archive) == []


# ------------------------------------------------------------------ class 1: Ctrl-C in every writer

def interrupt_after_the_write(monkeypatch, name: str):
    """Ctrl-C lands right after ``name`` (a file) was written, while the command still runs."""
    original = Changes.replace

    def replace(self, path, content):
        original(self, path, content)
        if Path(path).name == name:
            raise KeyboardInterrupt

    monkeypatch.setattr(Changes, "replace", replace)


def test_ctrl_c_during_check_update_lock_takes_the_record_back(mini, monkeypatch, capsys):
    data, _, _ = mini
    edit_quote(data)
    before = tree_hash(data)
    interrupt_after_the_write(monkeypatch, "verified.lock")
    code, out, err = main(mini, "check", "--update-lock", capsys=capsys)
    assert code == 130 and "nothing it wrote was kept" in err
    assert tree_hash(data) == before and temps(data) == []


def test_ctrl_c_during_review_pages_takes_the_record_back(project, monkeypatch, capsys):
    data = project / "data"
    (data / "pages.lock").write_text('{"about": "x", "pages": {}}\n', encoding="utf-8")
    before = tree_hash(data)
    interrupt_after_the_write(monkeypatch, "pages.lock")
    code = disagreements.main(["review", "--pages", "--data", str(data)])
    out, err = capsys.readouterr()
    assert code == 130 and "nothing it wrote was kept" in err and "Traceback" not in err
    assert tree_hash(data) == before and temps(data) == []


def test_a_real_ctrl_c_while_the_arguments_are_read_is_an_interruption_not_a_traceback(mini, monkeypatch, capsys):
    """A SIGINT that lands inside argparse (CI caught one: Python 3.11's parse_intermixed_args then fails
    with AttributeError in its own clean-up) waits until the arguments are read, then stops the command."""
    data, archive, reference = mini
    edit_quote(data)
    before = tree_hash(data)
    real_parser = disagreements.parser

    def parser():
        p = real_parser()
        format_usage = p.format_usage

        def interrupted_usage():
            os.kill(os.getpid(), signal.SIGINT)  # a real signal, delivered while argparse works
            return format_usage()

        p.format_usage = interrupted_usage
        return p

    monkeypatch.setattr(disagreements, "parser", parser)
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        code = disagreements.main(["check", "--update-lock", "--data", str(data), "--archive", str(archive),
                                   "--reference", str(reference)])
    finally:
        signal.signal(signal.SIGINT, previous)
    out, err = capsys.readouterr()
    assert code == 130 and "interrupted" in err and "Traceback" not in err, err
    assert tree_hash(data) == before and temps(data) == []


def test_sigint_to_check_update_lock_says_truthfully_what_was_kept(mini):
    """Real Ctrl-C at random moments: exit 130 with "nothing it wrote was kept" and the record as it
    was, or exit 0/1 with the record rewritten; never a traceback."""
    data, archive, reference = mini
    edit_quote(data)
    record = data / "verified.lock"
    old = record.read_bytes()
    rng = random.Random(22)
    seen = set()
    for trial in range(6):
        record.write_bytes(old)
        proc = subprocess.Popen([sys.executable, str(SCRIPT), "check", "--update-lock", "--data", str(data),
                                 "--archive", str(archive), "--reference", str(reference)],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(rng.uniform(0.1, 1.0))
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
        assert "Traceback" not in err, err
        seen.add(proc.returncode)
        if proc.returncode in (130, -signal.SIGINT):
            assert record.read_bytes() == old, f"trial {trial}: interrupted, yet the record was kept"
        else:
            assert proc.returncode in (0, 1) and record.read_bytes() != old, (proc.returncode, err)
        assert temps(data) == []
    print(f"\nexit codes after Ctrl-C: {sorted(seen)}")


# ------------------------------------------------------------------ class 1: SIGKILL leftovers

LEFTOVERS = ["data/.verified.lock.k1.tmp", "data/.pages.lock.k2.tmp", "data/.sources.yaml.1234.undo.tmp",
             "data/resolutions/.main.yaml.k3.tmp", "data/claims/.main.yaml.k4.tmp"]


@pytest.mark.parametrize("command", [["check", "--update-lock"], ["review", "--all"], ["review", "--pages"],
                                     ["add-source", "NEW"], ["update-source", "902", "NEW"]])
def test_every_writer_clears_what_a_killed_writer_left(mini, tmp_path, capsys, command):
    """What a SIGKILL leaves (temporary files in any folder a command writes): check names each one,
    and the next run of any writing command removes them, so check stops naming them."""
    data, archive, _ = mini
    root = data.parent
    for name in LEFTOVERS + ["archive/.902_0123456789abcdef.txt.k5.tmp"]:
        (root / name).write_text("half a file", encoding="utf-8")
    code, out, _ = main(mini, "check", capsys=capsys)
    assert code == 1 and all(name.split("/")[-1] in out for name in LEFTOVERS)
    new = tmp_path / "new.txt"
    new.write_text(NEW_TEXT, encoding="utf-8")
    args = [str(new) if a == "NEW" else a for a in command]
    code, out, err = main(mini, *args, capsys=capsys)
    assert code in (0, 1), err
    assert temps(data) == []
    if command[0] != "review":  # the commands that know the archive clear it too (review never reads it)
        assert temps(archive) == []
    code, out, _ = main(mini, "check", capsys=capsys)
    assert ("temporary file" in out) == (command[0] == "review")


def test_sigkill_during_check_update_lock_then_a_rerun_completes(mini):
    """SIGKILL at random moments of check --update-lock: the record is the old one or the new one,
    and the rerun leaves no temporary file and a record check accepts."""
    data, archive, reference = mini
    edit_quote(data)
    record = data / "verified.lock"
    old = record.read_bytes()
    cmd = [sys.executable, str(SCRIPT), "check", "--update-lock", "--data", str(data), "--archive", str(archive),
           "--reference", str(reference)]
    started = time.perf_counter()
    subprocess.run(cmd, capture_output=True, timeout=60)
    runtime = time.perf_counter() - started
    new = record.read_bytes()
    assert new != old
    rng = random.Random(5)
    for trial in range(10):
        record.write_bytes(old)
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0, runtime))
        proc.kill()
        proc.wait()
        assert record.read_bytes() in (old, new), f"trial {trial}: half a record"
        rerun = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        assert rerun.returncode == 0 and "Traceback" not in rerun.stderr, rerun.stdout + rerun.stderr
        assert record.read_bytes() == new and temps(data) == []


# ------------------------------------------------------------------ class 1: a full disk

def disk_full_after(monkeypatch, good_writes: int):
    """Every file write after the first ``good_writes`` fails with ENOSPC, as on a full disk (the
    data of a write reaches the disk at fsync, where a full disk shows). Removing and renaming
    still work, as they do on a full disk."""
    count = {"n": 0}
    real = os.fsync

    def fsync(fd):
        import stat

        if stat.S_ISREG(os.fstat(fd).st_mode):
            count["n"] += 1
            if count["n"] > good_writes:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(fd)

    monkeypatch.setattr(atomic.os, "fsync", fsync)


@pytest.mark.parametrize("good_writes", [0, 1, 2])
def test_add_source_on_a_full_disk_takes_everything_back(mini, tmp_path, monkeypatch, capsys, good_writes):
    data, archive, _ = mini
    new = tmp_path / "new.txt"
    new.write_text(NEW_TEXT, encoding="utf-8")
    before = tree_hash(data.parent)
    disk_full_after(monkeypatch, good_writes)
    code, out, err = main(mini, "add-source", str(new), capsys=capsys)
    assert code == 2
    one_error_line(err, "No space left on device")
    assert tree_hash(data.parent) == before and temps(data.parent) == []  # no archive copy, no entry


@pytest.mark.parametrize("good_writes", [0, 1])
def test_update_source_on_a_full_disk_takes_everything_back(mini, tmp_path, monkeypatch, capsys, good_writes):
    data, archive, _ = mini
    new = tmp_path / "revised.txt"
    new.write_text(minidata.TEXTS["902"] + " It may stop by 30 weeks.\n", encoding="utf-8")
    before = tree_hash(data.parent)
    disk_full_after(monkeypatch, good_writes)
    code, out, err = main(mini, "update-source", "902", str(new), capsys=capsys)
    assert code == 2
    one_error_line(err, "No space left on device")
    assert tree_hash(data.parent) == before and temps(data.parent) == []


@pytest.mark.parametrize("command", [["check", "--update-lock"], ["review", "--all"]])
def test_other_writers_on_a_full_disk_say_one_line(mini, monkeypatch, capsys, command):
    data, _, _ = mini
    edit_quote(data)
    before = tree_hash(data)
    disk_full_after(monkeypatch, 0)
    code, out, err = main(mini, *command, capsys=capsys)
    assert code == 2
    one_error_line(err, "No space left on device")
    assert tree_hash(data) == before


# ------------------------------------------------------------------ class 1: a closed stdout

def test_add_source_with_its_reader_gone_exits_cleanly(mini, tmp_path):
    """`add-source ... | head -0`: everything is written; no traceback, exit 0 (a script that checks
    the status must not run it again and be told the text is already in the archive)."""
    data, archive, reference = mini
    new = tmp_path / "new.txt"
    new.write_text(NEW_TEXT, encoding="utf-8")
    shell = (f"{sys.executable} {SCRIPT} add-source {new} --data {data} --archive {archive} | head -c0; "
             "echo \"status=${PIPESTATUS[0]}\"")
    proc = subprocess.run(["bash", "-c", shell], capture_output=True, text=True, timeout=60)
    assert proc.stdout.strip() == "status=0", proc.stdout + proc.stderr
    assert proc.stderr == "", proc.stderr
    assert any(s.draft for s in load_project(data).sources.values())
    assert newsource.unfinished(load_project(data), archive) == []


@pytest.mark.parametrize("command", [["check"], ["discover"], ["check", "--format", "json"]])
def test_read_only_commands_with_their_reader_gone_keep_their_status(mini, command):
    data, archive, reference = mini
    full = [sys.executable, str(SCRIPT), *command, "--data", str(data), "--archive", str(archive),
            "--reference", str(reference)]
    expected = subprocess.run(full, capture_output=True, timeout=60).returncode
    proc = subprocess.Popen(full, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()  # the reader is gone before the first line
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == expected and "Traceback" not in err and "BrokenPipe" not in err, err


# ------------------------------------------------------------------ class 5: valid YAML the tools edit

def dash_alone(path: Path, key: str):
    """Every list item's ``- key:`` written as ``-`` alone on its line, the key below it."""
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(f"  - {key}:", f"  -\n    {key}:"), encoding="utf-8")


def flow_style(path: Path):
    """The whole file in flow style (``{key: [{...}, ...]}``), as a YAML tool may write it."""
    import yaml

    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    path.write_text(yaml.safe_dump(data, default_flow_style=True, width=100, allow_unicode=True), encoding="utf-8")


def flow_history(path: Path):
    """Source 902 gets an earlier copy, its history written as a one-line flow list."""
    text = path.read_text(encoding="utf-8")
    at = text.index('  - id: "902"\n') + len('  - id: "902"\n')
    path.write_text(text[:at] + '    history: [{file: 902-old.txt, sha256: "' + "0" * 64 + '", saved: null}]\n'
                    + text[at:], encoding="utf-8")


def other_entries(data: Path, key: str, list_key: str, skip: str) -> list:
    return [e for e in load_yaml(data / f"{list_key}.yaml")[list_key] if e[key] != skip]


def load_yaml(path: Path):
    from reconcile.yamlfile import read_yaml

    return read_yaml(path).data


@pytest.mark.parametrize("layout", ["dash-alone", "flow-file", "flow-history", "history-empty-flow"])
def test_update_source_edits_any_valid_layout_of_sources_yaml(mini, tmp_path, capsys, layout):
    data, archive, _ = mini
    sources = data / "sources.yaml"
    if layout == "dash-alone":
        dash_alone(sources, "id")
    elif layout == "flow-file":
        flow_style(sources)
    elif layout == "flow-history":
        flow_history(sources)
        (archive / "902-old.txt").write_text("old", encoding="utf-8")
    else:
        edit_text(sources, '  - id: "902"\n', '  - id: "902"\n    history: []\n')
    untouched = other_entries(data, "id", "sources", "902")
    earlier = len(load_project(data).sources["902"].history)
    new = tmp_path / "revised.txt"
    new.write_text(minidata.TEXTS["902"] + " It may stop by 30 weeks.\n", encoding="utf-8")
    code, out, err = main(mini, "update-source", "902", str(new), "--saved", "2026-11-24", capsys=capsys)
    assert code == 0, err
    entry = load_project(data).sources["902"]
    assert entry.file.startswith("902_") and entry.saved == "2026-11-24" and len(entry.history) == earlier + 1
    assert entry.history[-1]["file"] == "902.txt"
    assert other_entries(data, "id", "sources", "902") == untouched  # nothing else changed


@pytest.mark.parametrize("layout", ["dash-alone", "flow-file", "block-weighed"])
def test_review_edits_any_valid_layout_of_a_resolutions_file(mini, capsys, layout):
    data, _, _ = mini
    path = data / "resolutions" / "main.yaml"
    if layout == "dash-alone":
        dash_alone(path, "topic")
    elif layout == "flow-file":
        flow_style(path)
    else:  # weighed as a block mapping, then a comment and the next entry
        text = path.read_text(encoding="utf-8")
        import re

        text = re.sub(r'weighed: \{"900": "(\w+)", "901": "(\w+)"\}', r'weighed:\n      "900": "\1"\n      "901": "00000000"'
                      "\n\n    # the next one", text, count=1)
        path.write_text(text, encoding="utf-8")
    edit_text(data / "claims" / "main.yaml", "Your stitch is taken out around 27 weeks of pregnancy.",
              "Your stitch is taken out around 27 weeks")  # every resolution of cerclage.removal is stale now
    code, out, err = main(mini, "review", "--all", capsys=capsys)
    assert code == 0, err
    project = load_project(data)
    from reconcile import review

    assert review.stale(project) == [] and all(r.weighed for r in project.resolutions.values())


def edit_text(path: Path, old: str, new: str):
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


# ------------------------------------------------------------------ classes 5 and 6: dates

def assert_refused(code, err, where: str, *words: str):
    assert code == 2, err
    one_error_line(err, where, *words)
    assert "Traceback" not in err


IMPOSSIBLE = ["2023-02-31", "9999-99-99", "2023-13-01", "2023-00-10"]


@pytest.mark.parametrize("day", IMPOSSIBLE)
@pytest.mark.parametrize("field", ["sources.saved", "sources.date", "sources.history", "resolutions.reviewed",
                                   "resolutions.next_review"])
def test_an_impossible_date_in_the_data_is_one_line(mini, capsys, field, day):
    data, _, _ = mini
    if field.startswith("sources"):
        path, anchor = data / "sources.yaml", "    title: Page 902\n"
        line = {"sources.saved": f'    saved: "{day}"\n',
                "sources.date": f'    date: {{value: "{day}", meaning: reviewed}}\n',
                "sources.history": f'    history:\n      - {{file: old.txt, sha256: "{"0" * 64}", saved: "{day}"}}\n'}[field]
        text = path.read_text(encoding="utf-8")
        if field == "sources.date":  # source 902 is the last entry: its date: null goes
            head, _, tail = text.rpartition("    date: null\n")
            text = head + tail
        path.write_text(text.replace(anchor, anchor + line), encoding="utf-8")
    else:
        path = data / "resolutions" / "main.yaml"
        key = field.split(".")[1]
        text = path.read_text(encoding="utf-8")
        if key == "reviewed":
            text = text.replace('reviewed: "2026-11-21"', f'reviewed: "{day}"', 1)
        else:
            text = text.replace('reviewed: "2026-11-21"', f'reviewed: "2026-11-21"\n    next_review: {day}', 1)
        path.write_text(text, encoding="utf-8")
    before = tree_hash(data)
    code, out, err = main(mini, "check", capsys=capsys)
    line = next(n for n, t in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if day in t)
    assert_refused(code, err, f"{path.name}:{line}:", day)
    assert tree_hash(data) == before


@pytest.mark.parametrize("saved, words", [("9999-99-99", "not a date of the calendar"),
                                          ("2023-02-31", "not a date of the calendar"),
                                          ("23-2-1", "YYYY-MM-DD"), ("2999-01-01", "in the future")])
@pytest.mark.parametrize("command", ["add-source", "update-source"])
def test_saved_must_be_a_real_day_not_in_the_future(mini, tmp_path, capsys, saved, words, command):
    data, archive, _ = mini
    new = tmp_path / "new.txt"
    new.write_text(NEW_TEXT, encoding="utf-8")
    before = tree_hash(data.parent)
    args = [command, str(new)] if command == "add-source" else [command, "902", str(new)]
    code, out, err = main(mini, *args, "--saved", saved, capsys=capsys)
    assert_refused(code, err, "--saved", words)
    assert tree_hash(data.parent) == before


@pytest.mark.parametrize("reviewed", ["9999-12-31", "tomorrow"])
def test_a_resolution_reviewed_in_the_future_is_a_problem_not_a_crash(mini, capsys, reviewed):
    """reviewed: "9999-12-31" crashed check (a year past 9999); a review dated after today would switch
    its due check off for years. Both are named as a problem."""
    import datetime

    data, _, _ = mini
    day = (datetime.date.today() + datetime.timedelta(days=1)).isoformat() if reviewed == "tomorrow" else reviewed
    edit_text(data / "resolutions" / "main.yaml", 'reviewed: "2026-11-21"', f'reviewed: "{day}"')
    code, out, err = main(mini, "check", capsys=capsys)
    assert code == 1 and f"says it was reviewed on {day}, a day in the future" in out, out + err
    code, out, err = main(mini, "check", "--today", "2099-01-01", capsys=capsys)  # as of a later day: due
    assert code == 1 and ("was due for review" in out or day == "9999-12-31"), out


def test_a_verification_dated_in_the_future_vouches_for_nothing(mini, capsys):
    """verified.lock with a date after today: check fails (naming it), the clone's check does not count
    the quote as verified, and check --update-lock writes the real day."""
    import datetime
    import json

    data, _, _ = mini
    record = data / "verified.lock"
    doc = json.loads(record.read_text(encoding="utf-8"))
    cid = sorted(doc["claims"])[0]
    doc["claims"][cid]["verified"] = "2999-01-01"
    from reconcile.record import record_text

    record.write_text(record_text(doc["claims"]), encoding="utf-8")
    code, out, err = main(mini, "check", capsys=capsys)
    assert code == 1 and f"1 claim verified on a day in the future: {cid} (2999-01-01)" in out
    code, out, err = main(mini, "check", "--without-archive", "--format", "json", capsys=capsys)
    report = json.loads(out)
    assert code == 1 and report["summary"]["quotes"]["unverified"] >= 1
    assert "2999-01-01" not in out
    code, out, err = main(mini, "check", "--update-lock", capsys=capsys)
    assert code == 0, out
    assert json.loads(record.read_text(encoding="utf-8"))["claims"][cid]["verified"] <= datetime.date.today().isoformat()


FRONT_MATTER = {
    "impossible last_reviewed": ("last_reviewed: 2023-02-31\n", 2, "not a date of the calendar"),
    "impossible next_review": ("title: X\nnext_review: 2023-02-31\n", 3, "not a date of the calendar"),
    "malformed next_review": ('next_review: "soon"\n', 2, "is not a date: write YYYY-MM-DD"),
    "year 9999-99-99": ('next_review: 9999-99-99\n', 2, "not a date of the calendar"),
    "not YAML": ("title: [unclosed\n", 3, "invalid YAML"),  # the parser notices at the end of the block
    "a list": ("- a\n- b\n", 2, "must hold fields"),
}


@pytest.mark.parametrize("kind", FRONT_MATTER, ids=list(FRONT_MATTER))
def test_a_bad_date_or_front_matter_in_a_page_is_one_line(project, capsys, kind):
    front, line, words = FRONT_MATTER[kind]
    page = project / "docs" / "zz-bad.md"
    page.write_text(f"---\n{front}---\n\n# A page\n", encoding="utf-8")
    code = disagreements.main(["check", "--without-archive", "--data", str(project / "data")])
    out, err = capsys.readouterr()
    assert_refused(code, err, f"zz-bad.md:{line}:", words)


def test_a_page_reviewed_in_the_future_is_a_problem(project, capsys):
    page = project / "docs" / "zz-new.md"
    page.write_text("---\nlast_reviewed: 2999-01-01\nnext_review: 2999-06-01\n---\n\n# A page\n", encoding="utf-8")
    code = disagreements.main(["check", "--without-archive", "--data", str(project / "data")])
    out, err = capsys.readouterr()
    assert code == 1 and "zz-new.md:2: last_reviewed 2999-01-01 is a day in the future" in out, out + err


def test_a_source_saved_in_the_future_is_a_problem(mini, capsys):
    data, _, _ = mini
    edit_text(data / "sources.yaml", "    title: Page 902\n", '    title: Page 902\n    saved: "2999-01-01"\n')
    code, out, err = main(mini, "check", capsys=capsys)
    assert code == 1 and "source 902: saved 2999-01-01 is a day in the future" in out


# ------------------------------------------------------------------ class 7: pages that are not files

@pytest.mark.parametrize("kind", ["fifo", "dev-zero", "dangling", "huge"])
@pytest.mark.parametrize("folder", ["docs", "includes"])
def test_a_page_that_is_not_a_regular_file_is_one_line_not_a_hang(project, kind, folder):
    page = project / folder / "zz-odd.md"
    if kind == "fifo":
        os.mkfifo(page)
    elif kind == "dev-zero":
        page.symlink_to("/dev/zero")
    elif kind == "dangling":
        page.symlink_to(project / "nowhere.md")
    else:
        page.write_bytes(b"# big\n" + b"x" * (3 * 1024 * 1024))
    for args in (["check", "--without-archive"], ["review", "--pages"]):
        proc = subprocess.run([sys.executable, str(SCRIPT), *args, "--data", str(project / "data")],
                              capture_output=True, text=True, timeout=60, cwd=project)
        if folder == "includes" and args[0] == "check" and kind != "huge":
            pass  # check reads includes/ through the page record too
        assert proc.returncode == 2, (args, proc.returncode, proc.stdout[-500:], proc.stderr)
        one_error_line(proc.stderr, "zz-odd.md")


# ------------------------------------------------------------------ class 7: resources

def test_the_nearest_passage_is_bounded_in_a_text_without_sentence_breaks(monkeypatch):
    """A 0.44 MB text with no sentence break: each failing quote is compared closely with a few
    windows of at most WINDOW_WORDS words (the search was quadratic in the text's length: 85 s for
    every check and build). The passage found is still the right one."""
    import difflib

    from reconcile import quotes

    rng = random.Random(2)
    words = ["".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 9))) for _ in range(70000)]
    planted = "your stitch is taken out at about thirty seven weeks"
    at = len(words) * 2 // 3
    text = " ".join(words[:at] + planted.split() + words[at:])[:440000]
    assert len(text) > 400000 and not re.search(r"[.!?:]\s|\n", text)
    compared = []
    real = difflib.SequenceMatcher.set_seq1

    def set_seq1(self, a):
        compared.append(len(a))
        return real(self, a)

    monkeypatch.setattr(difflib.SequenceMatcher, "set_seq1", set_seq1)
    for n in range(5):
        del compared[:]
        found = quotes.nearest_passage(text, f"Your stitch is taken out at about {n} weeks.")
        sizes = [size for size in compared if size]  # the matcher's constructor sets an empty one
        assert len(sizes) <= quotes.NEAREST_CANDIDATES and max(sizes) < 1000, (len(sizes), max(sizes))
        assert "your stitch is taken out at about" in found


def test_a_huge_text_is_refused_before_the_lock_and_the_slow_work_is_done_outside_it(mini, tmp_path, monkeypatch, capsys):
    """A saved page of many megabytes held the lock for minutes while other editors gave up after
    60 s. Finding the numbers of a new text is done before the lock is taken; a text over
    MAX_TEXT_BYTES is refused in one line."""
    data, archive, _ = mini
    big = tmp_path / "big.txt"
    big.write_text("The stitch is removed at 36 weeks. " * (newsource.MAX_TEXT_BYTES // 30), encoding="utf-8")
    before = tree_hash(data.parent)
    code, out, err = main(mini, "add-source", str(big), capsys=capsys)
    assert_refused(code, err, "big.txt", "MB a source text may hold")
    assert tree_hash(data.parent) == before

    held = {"now": False, "during discovery": []}
    real_locked = atomic.locked

    from contextlib import contextmanager

    @contextmanager
    def watched(*args, **kwargs):
        with real_locked(*args, **kwargs) as x:
            held["now"] = True
            try:
                yield x
            finally:
                held["now"] = False

    real_discover = newsource._discover_new

    def discover(*args):
        held["during discovery"].append(held["now"])
        return real_discover(*args)

    monkeypatch.setattr(atomic, "locked", watched)
    monkeypatch.setattr(newsource, "_discover_new", discover)
    new = tmp_path / "new.txt"
    new.write_text(NEW_TEXT, encoding="utf-8")
    code, out, err = main(mini, "add-source", str(new), capsys=capsys)
    assert code == 0 and held["during discovery"] == [False], (err, held)


# ------------------------------------------------------------------ class 8: the same text, and the build's status

@pytest.mark.parametrize("variant", ["nbsp-straightened", "curly-straightened", "rewrapped", "case", "dashes"])
@pytest.mark.parametrize("command", ["add-source", "update-source"])
def test_the_same_page_with_spaces_or_quotes_straightened_is_no_new_text(mini, tmp_path, capsys, variant, command):
    """Source 901's text with its non-breaking and narrow spaces, curly quotes or dashes straightened,
    its lines wrapped again or its case changed: add-source refuses it as already archived, and
    update-source as nothing to update."""
    data, archive, _ = mini
    text = minidata.TEXTS["901"]
    changed = {"nbsp-straightened": text.replace("\u202f", " ").replace("\u00a0", " "),
               "curly-straightened": text.replace("\u2019", "'"),
               "rewrapped": text.replace(". ", ".\n"),
               "case": text.upper(),
               "dashes": text.replace("\u2014", "-")}[variant]
    assert changed != text
    new = tmp_path / "same.txt"
    new.write_text(changed, encoding="utf-8")
    before = tree_hash(data.parent)
    args = [command, str(new)] if command == "add-source" else [command, "901", str(new)]
    code, out, err = main(mini, *args, capsys=capsys)
    assert code == 2, out
    one_error_line(err, "source 901", "already in the archive" if command == "add-source" else "nothing to update")
    assert tree_hash(data.parent) == before


def test_mkdocs_build_exits_2_on_bad_data_as_the_readme_says(tmp_path):
    import test_hooks

    project = test_hooks.make_site(tmp_path)
    claims = project / "data" / "claims" / "main.yaml"
    claims.write_text(claims.read_text(encoding="utf-8").replace("unit: weeks}", "unit: days}", 1), encoding="utf-8")
    proc = test_hooks.build(project)
    assert proc.returncode == 2, proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len([line for line in lines if "ERROR" in line]) == 1 and "main.yaml:4: wrong unit 'days'" in proc.stderr
    assert "Traceback" not in proc.stderr
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "exit 2, in `make check` and in the build alike" in readme.replace("\n", " ")


def test_the_build_refuses_a_page_date_mkdocs_would_drop_silently(tmp_path):
    """MkDocs drops a whole front matter it cannot read (an impossible date), and the page showed an
    empty "Last reviewed": the build now stops with the page and line, exit 2, as check does."""
    import test_hooks

    project = test_hooks.make_site(tmp_path)
    page = project / "docs" / "index.md"
    page.write_text("---\nlast_reviewed: 2023-02-31\n---\n" + page.read_text(encoding="utf-8"), encoding="utf-8")
    proc = test_hooks.build(project)
    assert proc.returncode == 2 and "index.md:2: '2023-02-31' is not a date of the calendar" in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("extra, words", [("last_reviewed: 2023-02-31", "not a date of the calendar"),
                                          ("last_reviewed: [", "invalid YAML"),
                                          ('last_reviewed: "soon"', "is not a date")])
def test_a_bad_review_date_in_mkdocs_yml_is_one_line(project, capsys, extra, words):
    (project / "mkdocs.yml").write_text(f"site_name: X\nextra:\n  {extra}\n  next_review: 2027-01-01\n", encoding="utf-8")
    code = disagreements.main(["check", "--without-archive", "--data", str(project / "data")])
    out, err = capsys.readouterr()
    assert_refused(code, err, "mkdocs.yml:", words)
