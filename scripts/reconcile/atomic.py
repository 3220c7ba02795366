"""Writing data safely: one lock per data folder, and files replaced whole.

Every command that writes (add-source, update-source, review, check --update-lock) does so inside
``locked(data_dir)`` and writes each file with ``write_atomic``: the new content goes to a
temporary file in the same folder, is flushed to disk, and then replaces the old file with
``os.replace``. A reader, or a kill at any moment, sees either the old file or the new one,
never half of one. A second writer waits for the lock (up to ``timeout`` seconds), then
gives up with an ``InputError`` instead of a traceback.
"""
from __future__ import annotations

import errno
import fcntl
import os
import signal
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from .yamlfile import InputError

LOCK_NAME = ".lock"


@contextmanager
def locked(data_dir: Path, timeout: float = 60.0):
    """Hold the data folder's lock (an advisory ``flock`` on ``DATA/.lock``) for the block."""
    path = Path(data_dir) / LOCK_NAME
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise InputError(path, 0, f"cannot create the lock file ({exc.strerror}); is the data folder writable?") from None
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                    raise InputError(path, 0, f"cannot lock the data folder ({exc.strerror})") from None
                if time.monotonic() > deadline:
                    raise InputError(path, 0, f"another command has held the data folder's lock for {timeout:g} s; "
                                              "try again when it has finished") from None
                time.sleep(0.05)
        yield path
    finally:
        os.close(fd)  # closing the descriptor releases the lock


def write_atomic(path: Path, data: bytes | str, *, exclusive: bool = False) -> None:
    """Replace ``path`` with ``data`` in one step (temp file in the same folder, fsync, ``os.replace``).

    ``exclusive``: refuse (``InputError``) when ``path`` already exists; add-source never overwrites.
    """
    path = Path(path)
    if isinstance(data, str):
        data = data.encode("utf-8")
    if exclusive and path.exists():
        raise InputError(path, 0, "already exists; this command never overwrites a file")
    with _interrupt_deferred():  # a Ctrl-C mid-write would leave the temporary file: it lands after
        _write(path, data, exclusive)
    _fsync_dir(path.parent)


def _write(path: Path, data: bytes, exclusive: bool) -> None:
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise InputError(path.parent, 0, f"cannot write in this folder ({exc.strerror})") from None
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        if exclusive:
            try:
                os.link(tmp, path)  # fails if the name was taken meanwhile: never overwrite
            except FileExistsError:
                raise InputError(path, 0, "already exists; this command never overwrites a file") from None
            os.unlink(tmp)
        else:
            os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def leftover_temps(folder: Path) -> list[Path]:
    """Temporary files a killed writer left behind (``check`` names them; they are safe to delete)."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.name.startswith(".") and p.name.endswith(".tmp"))


def _set_sigint(handler):
    """SIGINT goes to ``handler`` from now on; returns the handler it replaced (None off the main
    thread, where signals go elsewhere anyway)."""
    try:
        return signal.signal(signal.SIGINT, handler)
    except ValueError:
        return None


@contextmanager
def _sigint(handler):
    """SIGINT goes to ``handler`` for the block; yields the handler it replaced (see _set_sigint)."""
    previous = _set_sigint(handler)
    try:
        yield previous
    finally:
        if previous is not None:
            signal.signal(signal.SIGINT, previous)


@contextmanager
def _interrupt_deferred():
    """Ctrl-C waits until the block is done, then raises KeyboardInterrupt as usual."""
    caught = []
    with _sigint(lambda *_: caught.append(True)) as previous:
        yield
    if caught and previous not in (signal.SIG_IGN, None):
        raise KeyboardInterrupt


def _uninterrupted():
    """Ctrl-C is ignored while a rollback runs, so that it finishes."""
    return _sigint(signal.SIG_IGN)


class Changes:
    """The files one command writes, each whole (``write_atomic``), and how to take them back.

    ``undo`` runs when the command fails or is interrupted (Ctrl-C): created files are removed,
    replaced files get their old bytes back. A SIGKILL cannot be undone; the order of the writes
    (see newsource and update) makes what it leaves a state that check names and a rerun completes.
    """

    def __init__(self):
        self._undo: list[tuple[Path, bytes | None]] = []

    def create(self, path: Path, data: bytes | str) -> None:
        self._undo.append((Path(path), None))  # before the write: an interrupt inside it is undone too
        try:
            write_atomic(path, data, exclusive=True)
        except InputError:
            self._undo.pop()  # the file was someone else's: it stays
            raise

    def replace(self, path: Path, data: bytes | str) -> None:
        path = Path(path)
        self._undo.append((path, path.read_bytes()))
        write_atomic(path, data)

    def undo(self) -> None:
        with _uninterrupted():
            for path, before in reversed(self._undo):
                if before is None:
                    path.unlink(missing_ok=True)
                else:
                    write_atomic(path, before)
            self._undo.clear()

    @contextmanager
    def undone_on_failure(self):
        """Undo on any failure inside the block. Once the block has finished, the writes stand: a
        Ctrl-C after that point would otherwise report a rollback that did not happen, so the rest
        of the command (its report) runs with Ctrl-C ignored."""
        try:
            yield self
        except BaseException:
            self.undo()
            raise
        _set_sigint(signal.SIG_IGN)
