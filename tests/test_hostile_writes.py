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
