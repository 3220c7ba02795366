"""Compiled templates kept between builds, with no pickle and nothing unsigned loaded.

Jinja's own ``FileSystemBytecodeCache`` reads its entries with ``pickle`` and ``marshal`` from the
build folder: anyone who can put a file there (a copied project, a restored CI cache) runs code in
``mkdocs build``. Here an entry is this user's signature (HMAC-SHA256 with the key of
``reconcile.cache.signing_key``, kept outside every project) over its name and payload, then the
payload: the Python and Jinja versions, the template source's checksum and the code object as
``marshal`` data. The code is loaded only when the signature, both versions and the checksum agree;
anything else is ignored and the template compiled again. Compiling the shortcode templates in
every cold build was half of the shortcodes' time (README, Benchmark).
"""
from __future__ import annotations

import marshal
import os
import sys
import tempfile
from pathlib import Path

import jinja2
from jinja2.bccache import BytecodeCache

from reconcile.cache import sign, signed

_VERSIONS = f"{sys.version}\0{jinja2.__version__}\0".encode("utf-8")


class SignedBytecodeCache(BytecodeCache):
    def __init__(self, folder: Path):
        self.folder = Path(folder)

    def _path(self, bucket) -> Path:
        return self.folder / f"{bucket.key}.signed"

    def load_bytecode(self, bucket) -> None:
        try:
            payload = signed(bucket.key, self._path(bucket).read_bytes())
        except OSError:
            return
        if payload is None:
            return
        head, _, code = payload.partition(b"\0\0")  # versions, checksum; then the code
        if head != _VERSIONS + bucket.checksum.encode("ascii"):
            return
        try:
            bucket.code = marshal.loads(code)
        except (EOFError, ValueError, TypeError):
            bucket.reset()

    def dump_bytecode(self, bucket) -> None:
        if bucket.code is None:
            return
        payload = _VERSIONS + bucket.checksum.encode("ascii") + b"\0\0" + marshal.dumps(bucket.code)
        tmp = None
        try:  # a temporary file and a rename: a reader never sees half an entry
            fd, tmp = tempfile.mkstemp(dir=self.folder, prefix=".entry.", suffix=".tmp")
            with os.fdopen(fd, "wb") as out:
                out.write(sign(bucket.key, payload))
            os.replace(tmp, self._path(bucket))
        except OSError:  # a read-only build folder only costs speed
            if tmp:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass

    def clear(self) -> None:
        for entry in self.folder.glob("*.signed"):
            entry.unlink(missing_ok=True)
