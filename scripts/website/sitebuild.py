"""Run `mkdocs build` the way the Makefile does: from the repository root, strict,
with the MkDocs 2 notice switched off. Shared by the offline zip, the benchmark
and the tests so that all of them build the site the same way."""
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MKDOCS = Path(sys.executable).parent / "mkdocs"


def mkdocs_build(dest: Path, *, offline: bool = False, config: Path | None = None,
                 check: bool = True, quiet: bool = True) -> subprocess.CompletedProcess:
    """Build the site into `dest`; raise SystemExit with mkdocs' own output on failure.

    mkdocs runs from ROOT, so a relative `dest` or `config` is made absolute first, from the caller's working
    directory: the caller then reads the very folder mkdocs wrote (the offline zip read a stale build/offline
    when the two differed)."""
    dest = Path(dest).absolute()
    config = Path(config).absolute() if config is not None else None
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", OFFLINE="true" if offline else "false")
    cmd = [str(MKDOCS), "build", "--strict", "--site-dir", str(dest)] + (["--quiet"] if quiet else [])
    if config is not None:
        cmd += ["--config-file", str(config)]
    result = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    if check and result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"mkdocs build failed (exit {result.returncode}) for {dest}")
    return result
