"""The parse cache: each data file parsed and validated once, until its bytes or its schema change.

An entry is named by the sha256 of what determines it (this format's version, the schema's text,
the file's bytes), so an edited file or schema simply finds no entry: ``make serve`` re-reads
the one file that changed. An entry holds a sha256 of its payload and the payload itself, the
parsed ``Doc`` as ``marshal`` data (plain values only: no code runs on loading it). An entry that
is unreadable, cut short, altered, or of another version is ignored and written again: the cache
is never trusted over the data. It lives in the build folder (``build/.cache/parse/``) and is
never committed.
"""
from __future__ import annotations

import hashlib
import marshal
import os
import tempfile
from pathlib import Path

from .yamlfile import MAX_BYTES, Doc, InputError, read_limited

VERSION = b"reconcile-parse-cache 1\n"  # change when the Doc format or the parsing rules change
MAGIC = b"RPC1"


class ParseCache:
    def __init__(self, folder: Path | None):
        self.folder = Path(folder) if folder else None
        self.parsed: list[Path] = []  # files parsed in this run (not found in the cache)
        self.used: set[str] = set()

    def key(self, raw: bytes, schema_text: str) -> str:
        h = hashlib.sha256(VERSION)
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
        payload = blob[len(MAGIC) + 32:]
        if blob[:len(MAGIC)] != MAGIC or hashlib.sha256(payload).digest() != blob[len(MAGIC):len(MAGIC) + 32]:
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
                out.write(MAGIC + hashlib.sha256(payload).digest() + payload)
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
