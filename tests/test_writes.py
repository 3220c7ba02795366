"""Writing commands under stress: editors at once, SIGKILL at any moment, Ctrl-C.

The project is the small one of minidata (a copy per trial), so that hundreds of trials stay
fast. Writers are real processes: forked from this one (so Python is already loaded and a kill
lands inside the command, not in its imports), or the script itself for Ctrl-C.
"""
from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))

import minidata  # noqa: E402
from reconcile import newsource  # noqa: E402
from reconcile.atomic import Changes  # noqa: E402
from reconcile.load import load_project  # noqa: E402
from reconcile.yamlfile import InputError  # noqa: E402

SCRIPT = ROOT / "scripts" / "disagreements.py"


def new_text(n: int) -> str:
    return (f"Page {n}: the stitch\n\nThe stitch is put in at {12 + n % 3} weeks. It is removed at {30 + n % 8} weeks.\n"
            f"Bleeding after {n + 1} days needs a call to your doctor.\n")


@pytest.fixture(scope="module")
def template(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("template")
    minidata.make(root)
    return root


def fresh(template: Path, dest: Path) -> tuple[Path, Path]:
    """A new copy of the project at ``dest`` (the same place each trial: the loader's compiled schemas,
    cached by path in this process and in every child forked from it, stay valid, so a trial costs
    what the command costs, not a schema compilation)."""
    if dest.exists():
        shutil.rmtree(dest)
    shutil.copytree(template, dest)
    load_project(dest / "data")
    return dest / "data", dest / "archive"


def snapshot(*folders: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for f in folders for p in sorted(f.rglob("*")) if p.is_file() and p.name != ".lock"}


def forked(fn) -> int:
    """Run ``fn`` in a child process; return its pid (the child exits 0, or 2 on InputError)."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 0
        try:
            sys.stdout = open(os.devnull, "w")
            fn()
        except InputError:
            code = 2
        except BaseException:
            code = 3
        os._exit(code)
    return pid


def forked_runtime(template: Path, dest: Path, run) -> float:
    """How long ``run(data, archive)`` takes in a forked child on a fresh copy, from fork to exit: the
    slowest of five. The kills are spread over that time; a fork from the suite's large process can
    cost more than the command itself, so the command timed in this process would be too short."""
    times = []
    for _ in range(5):
        data, archive = fresh(template, dest)
        started = time.perf_counter()
        assert wait(forked(lambda: run(data, archive))) == 0
        times.append(time.perf_counter() - started)
    return max(times)


def follow(runtime: float, left: str, finished: str) -> float:
    """The next kill window after a kill left ``left``: a kill after the command finished narrows it, one before it
    wrote anything widens it (a staircase). The window starts at the measured time (``forked_runtime``); on a loaded
    machine that measure can be several times a later run's, and every kill fell after the end (a bare run of
    mend12: 50 of 50 trials "updated"), so the trials tested nothing in between."""
    return runtime * (0.85 if left == finished else 1.15 if left == "nothing" else 1.0)


def wait(pid: int) -> int:
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def state(data: Path, archive: Path, digest: str) -> str:
    """How far an add-source of the text with ``digest`` got: nothing, archived, entry, complete."""
    copies = list(archive.glob(f"*_{digest[:16]}.txt"))
    if not copies:
        return "nothing"
    sid = copies[0].name[:3]
    entry = sid in load_project(data).sources
    drafts = (data / "claims" / f"{sid}.draft.yaml").exists()
    return {(False, False): "archived", (True, False): "entry", (True, True): "complete"}.get((entry, drafts), "drafts-only")


# ------------------------------------------------------------------ eight editors at once

def test_eight_add_sources_at_once_twenty_trials(template, tmp_path):
    for trial in range(20):
        data, archive = fresh(template, tmp_path / "t")
        texts = []
        for n in range(8):
            path = tmp_path / f"new{n}.txt"
            path.write_text(new_text(n + 8 * trial), encoding="utf-8")
            texts.append(path)
        pids = [forked(lambda p=p: newsource.add_source(p, data, archive)) for p in texts]
        codes = [wait(pid) for pid in pids]
        assert codes == [0] * 8, f"trial {trial}: exit codes {codes}"
        project = load_project(data)  # the data always loads
        new = [s for s in project.sources.values() if s.draft]
        assert len(new) == 8 and len({s.id for s in new}) == 8 and len({s.file for s in new}) == 8
        assert sorted(p.name for p in archive.iterdir() if p.name[:3] in {s.id for s in new}) == sorted(s.file for s in new)
        assert {c.source for c in project.drafts} == {s.id for s in new}
        assert newsource.unfinished(project, archive) == []


# ------------------------------------------------------------------ SIGKILL at random moments

def test_sigkill_at_random_moments_two_hundred_trials(template, tmp_path):
    text = tmp_path / "new.txt"
    text.write_text(new_text(1), encoding="utf-8")
    digest = newsource.read_new_text(text).digest
    runtime = forked_runtime(template, tmp_path / "k", lambda data, archive: newsource.add_source(text, data, archive))
    rng = random.Random(20261123)
    seen = Counter()
    for trial in range(200):
        data, archive = fresh(template, tmp_path / "k")
        pid = forked(lambda: newsource.add_source(text, data, archive))
        time.sleep(rng.uniform(0, runtime * 1.3))
        os.kill(pid, signal.SIGKILL)
        wait(pid)
        project = load_project(data)  # the data always loads
        left = state(data, archive, digest)
        seen[left] += 1
        runtime = follow(runtime, left, "complete")
        assert left != "drafts-only", f"trial {trial}: a draft claims file of an unknown source"
        if left in ("archived", "entry"):  # check names what the kill left, and how to finish it
            assert newsource.unfinished(project, archive), f"trial {trial}: {left} but check names nothing"
        try:  # the editor runs the command again
            newsource.add_source(text, data, archive)
        except InputError as exc:
            assert left == "complete" and "already in the archive" in str(exc), f"trial {trial}: {exc}"
        assert state(data, archive, digest) == "complete"
        assert len(list(archive.glob(f"*_{digest[:16]}.txt"))) == 1, f"trial {trial}: more than one archive copy"
        project = load_project(data)
        assert newsource.unfinished(project, archive) == [], f"trial {trial}: {newsource.unfinished(project, archive)}"
    print(f"\nadd-source kill window at the end {runtime * 1000:.0f} ms; states a SIGKILL left in 200 trials: {dict(seen)}")
    assert seen["nothing"] and seen["complete"], "the kills did not span the command"


# ------------------------------------------------------------------ Ctrl-C

@pytest.mark.parametrize("step", [1, 2, 3, 4])
def test_interrupt_after_each_write_takes_everything_back(template, tmp_path, monkeypatch, step):
    """KeyboardInterrupt right after the 1st, 2nd or 3rd write, or during the final load: nothing stays."""
    data, archive = fresh(template, tmp_path / "p")
    text = tmp_path / "new.txt"
    text.write_text(new_text(2), encoding="utf-8")
    before = snapshot(data, archive)
    writes = {"n": 0}
    for name in ("create", "replace"):
        original = getattr(Changes, name)

        def counted(self, path, content, original=original):
            original(self, path, content)
            writes["n"] += 1
            if writes["n"] == step:
                raise KeyboardInterrupt

        monkeypatch.setattr(Changes, name, counted)
    if step == 4:
        monkeypatch.setattr(newsource, "verify", lambda *a: (_ for _ in ()).throw(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        newsource.add_source(text, data, archive)
    assert snapshot(data, archive) == before


def test_sigint_to_the_script_rolls_back_without_a_traceback(template, tmp_path):
    text = tmp_path / "new.txt"
    text.write_text(new_text(3), encoding="utf-8")
    rng = random.Random(7)
    codes = Counter()
    for trial in range(8):
        data, archive = fresh(template, tmp_path / f"i{trial}")
        before = snapshot(data, archive)
        proc = subprocess.Popen([sys.executable, str(SCRIPT), "add-source", str(text), "--data", str(data),
                                 "--archive", str(archive)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        time.sleep(rng.uniform(0.05, 1.2))
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
        codes[proc.returncode] += 1
        assert "Traceback" not in err and len(err.strip().splitlines()) <= 1, err
        if proc.returncode == 0:  # it had finished
            assert "added source" in out
        else:
            # 130: the command stopped and took back what it wrote; -2: the signal came before Python ran a line
            assert proc.returncode in (130, -signal.SIGINT), (proc.returncode, err)
            assert snapshot(data, archive) == before, "an interrupted add-source kept something"
    print(f"\nexit codes after Ctrl-C: {dict(codes)}")


def test_sigkill_during_update_source_fifty_trials(template, tmp_path):
    from reconcile import update

    text = tmp_path / "revised.txt"
    text.write_text(minidata.TEXTS["902"] + " It may stop by 30 weeks.\n", encoding="utf-8")
    digest = newsource.read_new_text(text).digest
    runtime = forked_runtime(template, tmp_path / "u", lambda data, archive: update.update_source("902", text, data, archive))
    rng = random.Random(902)
    seen = Counter()
    for trial in range(50):
        data, archive = fresh(template, tmp_path / "u")
        pid = forked(lambda: update.update_source("902", text, data, archive))
        time.sleep(rng.uniform(0, runtime * 1.3))
        os.kill(pid, signal.SIGKILL)
        wait(pid)
        entry = load_project(data).sources["902"]  # the data always loads
        copies = list(archive.glob(f"*_{digest[:16]}.txt"))
        left = "updated" if entry.sha256 == digest else ("archived" if copies else "nothing")
        seen[left] += 1
        runtime = follow(runtime, left, "updated")
        if left == "archived":
            assert newsource.unfinished(load_project(data), archive)
        try:
            update.update_source("902", text, data, archive)
        except InputError as exc:
            assert left == "updated" and "is the current copy of source 902" in str(exc), f"trial {trial}: {exc}"
        entry = load_project(data).sources["902"]
        assert entry.sha256 == digest and len(entry.history) == 1
        assert len(list(archive.glob(f"*_{digest[:16]}.txt"))) == 1 and (archive / entry.history[0]["file"]).exists()
        assert newsource.unfinished(load_project(data), archive) == []
    print(f"\nupdate-source kill window at the end {runtime * 1000:.0f} ms; states a SIGKILL left in 50 trials: {dict(seen)}")
    assert seen["nothing"] and seen["updated"], "the kills did not span the command"
