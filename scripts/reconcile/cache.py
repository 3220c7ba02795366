"""The parse cache: each data file parsed and validated once, until its bytes, its schema or the code
that reads it change.

An entry is named by the sha256 of what it was made from (this format's version, the source of the
code that parses, the schema's text, the file's bytes), so an edited file or schema simply finds no
entry: ``make serve`` re-reads the one file that changed. The build folder is writable by anyone
who can put a file there (a copied project, a restored CI cache), so an entry is trusted only if
it carries a signature (HMAC-SHA256 over its name and payload) made with this user's own cache key
(``signing_key``: 32 random bytes in ``~/.cache/cervical-insufficiency/cache.key``, mode 0600,
outside every project): a planted entry, even one whose name and payload hash agree, is ignored
and made again, like a damaged, cut short or other-version one. The payload is the parsed ``Doc``
as ``marshal`` data (plain values only: no code runs on loading it). The verify cache
(``quotes.verify``), the PDF cache (``website/build_pdf.py``) and the compiled templates
(``website/templatecache.py``) sign and check their entries the same way (``sign``, ``signed``).
It lives in the build folder (``build/.cache/parse/``) and is never committed.
"""
from __future__ import annotations

import hashlib
import hmac
import marshal
import os
import secrets
import stat
import tempfile
from functools import lru_cache
from pathlib import Path

from .yamlfile import MAX_BYTES, Doc, InputError, read_limited

VERSION = b"reconcile-parse-cache 2\n"  # change when the Doc format changes (the code's own source is in the key)
MAGIC = b"RPC2"
KEY_FILE = Path("cervical-insufficiency") / "cache.key"


def _key_home() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")


@lru_cache(maxsize=1)
def signing_key() -> bytes:
    """This user's cache key, made once: a regular file of 32 bytes, owned by the user, readable by no one
    else, outside any project. If it cannot be had (a read-only home), a key for this process only:
    entries then serve this run alone, and nothing written before is trusted."""
    try:
        path = _key_home() / KEY_FILE
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not path.exists():
            fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".key.")  # mode 0600
            try:
                os.write(fd, secrets.token_bytes(32))
                os.fsync(fd)
                os.close(fd)
                try:
                    os.link(tmp, path)  # never over a key another process made meanwhile
                except FileExistsError:
                    pass
            finally:
                os.unlink(tmp)
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
        try:
            info = os.fstat(fd)
            key = os.read(fd, 33)
        finally:
            os.close(fd)
        if stat.S_ISREG(info.st_mode) and info.st_uid == os.getuid() and not info.st_mode & 0o077 and len(key) == 32:
            return key
    except OSError:
        pass
    return secrets.token_bytes(32)


def sign(name: str, payload: bytes) -> bytes:
    """An entry: ``MAGIC``, the signature of ``name`` and ``payload`` with this user's key, the payload."""
    return MAGIC + hmac.new(signing_key(), name.encode("utf-8") + b"\0" + payload, hashlib.sha256).digest() + payload


def signed(name: str, blob: bytes) -> bytes | None:
    """The payload of an entry this user's key signed under ``name``; None for anything else."""
    payload = blob[len(MAGIC) + 32:]
    mac = hmac.new(signing_key(), name.encode("utf-8") + b"\0" + payload, hashlib.sha256).digest()
    if blob[:len(MAGIC)] != MAGIC or not hmac.compare_digest(mac, blob[len(MAGIC):len(MAGIC) + 32]):
        return None
    return payload


@lru_cache(maxsize=None)
def code_version(*modules: str) -> bytes:
    """The sha256 of these modules' source (names in this package): a cache entry made by other code is not found."""
    h = hashlib.sha256()
    for name in modules:
        h.update((Path(__file__).parent / f"{name}.py").read_bytes())
    return h.digest()


class ParseCache:
    def __init__(self, folder: Path | None):
        self.folder = Path(folder) if folder else None
        self.parsed: list[Path] = []  # files parsed in this run (not found in the cache)
        self.used: set[str] = set()

    def key(self, raw: bytes, schema_text: str) -> str:
        h = hashlib.sha256(VERSION)
        h.update(code_version("yamlfile", "load", "cache"))
        h.update(hashlib.sha256(schema_text.encode("utf-8")).digest())
        h.update(raw)
        return h.hexdigest()

    def get_payload(self, key: str):
        """The value stored under ``key`` (plain marshal data), or None: absent, damaged, or another format."""
        if self.folder is None:
            return None
        try:
            blob = read_limited(self.folder / f"{key}.bin", limit=4 * MAX_BYTES, what="cache entry")
        except InputError:
            return None
        payload = signed(key, blob)
        if payload is None:
            return None
        try:
            value = marshal.loads(payload)
        except (ValueError, EOFError, TypeError):
            return None
        self.used.add(key)
        return value

    def get(self, key: str) -> Doc | None:
        value = self.get_payload(key)
        if not (isinstance(value, tuple) and len(value) == 2):
            return None
        return Doc(*value)

    def lookup(self, path: Path, schema_text: str) -> tuple[bytes, str, Doc | None]:
        """The file's bytes, its key, and its checked ``Doc`` if the cache holds it."""
        raw = read_limited(path)
        key = self.key(raw, schema_text)
        return raw, key, self.get(key)

    def put(self, key: str, doc: Doc) -> None:
        self.put_payload(key, marshal.dumps((doc.data, doc.shadow)))

    def put_payload(self, key: str, payload: bytes) -> None:
        """Store a checked document (``marshal.dumps((data, shadow))``)."""
        if self.folder is None:
            return
        tmp = None
        try:  # temp file and rename, without fsync: a torn entry fails its hash and is rebuilt
            self.folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".entry.", suffix=".tmp")
            with os.fdopen(fd, "wb") as out:
                out.write(sign(key, payload))
            os.replace(tmp, self.folder / f"{key}.bin")
        except OSError:
            if tmp:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
            return  # a read-only build folder only costs speed
        self.used.add(key)

    def prune(self) -> None:
        """Remove the entries this run did not use (files since edited or removed)."""
        if self.folder is None or not self.folder.is_dir():
            return
        for entry in self.folder.glob("*.bin"):
            if entry.stem not in self.used:
                try:
                    os.unlink(entry)
                except OSError:
                    pass
