"""Writing data safely: one lock per data folder, files replaced whole, one way back.

Every command that writes (add-source, update-source, review, review --pages, check --update-lock)
does so inside ``writing(data_dir)``: it holds the data folder's lock, clears what a killed writer
left, and writes each file through ``Changes``, which takes everything back on any failure or
Ctrl-C. A file is written with ``write_atomic``: the new content goes to a temporary file in the
same folder, is flushed to disk, and then replaces the old file with ``os.replace``. A reader, or a
kill at any moment, sees either the old file or the new one, never half of one. A second writer
waits for the lock (up to ``timeout`` seconds), then gives up with an ``InputError``.
"""
from __future__ import annotations

import errno
import fcntl
import os
import secrets
import signal
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

from .yamlfile import InputError

WRITTEN = ("claims", "resolutions")  # the data folder's subfolders a command writes in (besides the folder itself)


@contextmanager
def locked(data_dir: Path, timeout: float = 60.0, also: tuple[Path, ...] = ()):
    """Hold the data folder's lock for the block: an advisory ``flock`` on the folder itself.

    A lock file can be deleted while held (``git clean -X``, an editor removing a "stale" lock), and
    the next writer would lock a new file and run at the same time; a folder that holds the data
    cannot be deleted, so the lock always means the same thing. Under the lock no other writer runs:
    any temporary file in the data folders (and in ``also``, the archive) is a killed writer's
    leftover, and is removed first; ``check`` names them until then."""
    data_dir = Path(data_dir)
    try:
        fd = os.open(data_dir, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as exc:
        raise InputError(data_dir, 0, f"cannot open the data folder to lock it ({exc.strerror})") from None
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK):
                    raise InputError(data_dir, 0, f"cannot lock the data folder ({exc.strerror})") from None
                if time.monotonic() > deadline:
                    raise InputError(data_dir, 0, f"another command has held the data folder's lock for {timeout:g} s; "
                                                  "try again when it has finished") from None
                time.sleep(0.05)
        clear_leftovers(*written_folders(data_dir), *also)
        yield data_dir
    finally:
        os.close(fd)  # closing the descriptor releases the lock


@contextmanager
def writing(data_dir: Path, also: tuple[Path, ...] = (), timeout: float = 60.0):
    """The one way a command writes: under the lock (``locked``), through ``Changes``, every write
    taken back if the block fails or is interrupted."""
    with locked(data_dir, timeout, also):
        changes = Changes()
        with changes.undone_on_failure():
            yield changes


def write_atomic(path: Path, data: bytes | str, *, exclusive: bool = False) -> None:
    """Replace ``path`` with ``data`` in one step (temp file in the same folder, fsync, ``os.replace``).

    ``exclusive``: refuse (``InputError``) when ``path`` already exists; add-source never overwrites.
    A write that fails (a full disk, a read-only folder) is an ``InputError`` naming the file; its
    temporary file is removed and ``path`` is as it was.
    """
    path = Path(path)
    if isinstance(data, str):
        data = data.encode("utf-8")
    if exclusive and path.exists():
        raise InputError(path, 0, "already exists; this command never overwrites a file")
    with interrupt_deferred():  # a Ctrl-C mid-write would leave the temporary file: it lands after
        _write(path, data, exclusive)
    _fsync_dir(path.parent)


def _write(path: Path, data: bytes, exclusive: bool) -> None:
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise InputError(path.parent, 0, f"cannot write in this folder ({exc.strerror})") from None
    try:
        with os.fdopen(fd, "wb") as out:
            os.fchmod(out.fileno(), _normal_mode())  # mkstemp made it 0600
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
    except BaseException as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        if isinstance(exc, OSError):
            raise InputError(path, 0, f"cannot write the file ({exc.strerror or exc})") from None
        raise


def _normal_mode() -> int:
    """The mode a plain ``open(path, "w")`` gives a new file: 0666 less the umask (read from /proc
    where it can be, since setting the umask to read it is not thread-safe)."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            umask = next(int(line.split()[1], 8) for line in status if line.startswith("Umask:"))
    except (OSError, StopIteration, ValueError):
        umask = os.umask(0o022)
        os.umask(umask)
    return 0o666 & ~umask


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


def written_folders(data_dir: Path) -> list[Path]:
    """The folders of ``data_dir`` a command writes in (where a killed one may leave a temporary file)."""
    return [Path(data_dir)] + [Path(data_dir) / name for name in WRITTEN]


def leftover_temps(folder: Path) -> list[Path]:
    """Temporary files a killed writer left behind (``check`` names them; the next writer removes them)."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.name.startswith(".") and p.name.endswith(".tmp"))


def clear_leftovers(*folders: Path) -> None:
    """Remove the temporary files of a killed writer. Only called under the lock (``locked``): no
    writer is running, so they are stale."""
    for folder in folders:
        for tmp in leftover_temps(folder):
            try:
                tmp.unlink()
            except FileNotFoundError:
                pass
            except OSError as exc:
                raise InputError(tmp, 0, f"a temporary file a killed command left cannot be removed ({exc.strerror}); "
                                         "delete it") from None


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
def interrupt_deferred():
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
    replaced files get their old content back. The old content is kept as a hard link under a
    temporary name, so taking it back is a rename, which needs no free space: a rollback survives
    a full disk. A SIGKILL cannot be undone; the order of the writes (see newsource and update)
    makes what it leaves a state that check names and a rerun completes (a rerun removes a kept
    old copy, which is then a temporary file like any other).
    """

    def __init__(self):
        self._undo: list[tuple[Path, Path | bytes | None]] = []

    def create(self, path: Path, data: bytes | str) -> None:
        self._undo.append((Path(path), None))  # before the write: an interrupt inside it is undone too
        try:
            write_atomic(path, data, exclusive=True)
        except InputError:
            self._undo.pop()  # the file was someone else's, or was never made: nothing to take back
            raise

    def replace(self, path: Path, data: bytes | str) -> None:
        """Write ``path`` whole, keeping what it held (a file that did not exist is removed by ``undo``)."""
        path = Path(path)
        with interrupt_deferred():  # the old content is kept and listed, or neither
            self._undo.append((path, _keep(path)))
        write_atomic(path, data)

    def undo(self) -> list[str]:
        """Take back every write, newest first; the files it could not restore (each with the reason)."""
        failed = []
        with _uninterrupted():
            for path, before in reversed(self._undo):
                try:
                    if before is None:
                        path.unlink(missing_ok=True)
                    elif isinstance(before, Path):
                        os.replace(before, path)  # does nothing when both name one file (the write failed):
                        before.unlink(missing_ok=True)  # then the kept name goes here
                    else:
                        write_atomic(path, before)
                except (OSError, InputError) as exc:
                    failed.append(f"{path} ({getattr(exc, 'strerror', None) or exc})")
            self._undo.clear()
        return failed

    def _commit(self) -> None:
        """The writes stand: drop the old contents kept for ``undo``."""
        for _, before in self._undo:
            if isinstance(before, Path):
                try:
                    before.unlink()
                except OSError:
                    pass  # a leftover temporary file: check names it, the next writer removes it
        self._undo.clear()

    @contextmanager
    def undone_on_failure(self):
        """Undo on any failure inside the block. Once the block has finished, the writes stand: a
        Ctrl-C after that point would otherwise report a rollback that did not happen, so the rest
        of the command (its report) runs with Ctrl-C ignored."""
        try:
            yield self
            _set_sigint(signal.SIG_IGN)  # a Ctrl-C before this line still lands in the except: undone
        except BaseException as exc:
            failed = self.undo()
            if failed:  # say what stayed, instead of "nothing was kept"
                raise InputError(Path(failed[0].split(" (")[0]), 0,
                                 f"{str(exc) or 'interrupted'}; and what the command wrote could not all be taken "
                                 f"back: {', '.join(failed)}") from None
            raise
        self._commit()


def _keep(path: Path) -> Path | bytes | None:
    """What ``path`` holds now, for ``undo``: a hard link under a temporary name (bytes where the
    file system has no hard links); None when there is no such file."""
    if not path.exists():
        return None
    keep = path.parent / f".{path.name}.{secrets.token_hex(4)}.undo.tmp"
    try:
        os.link(path, keep)
        return keep
    except OSError:
        return path.read_bytes()
