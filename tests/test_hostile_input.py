"""Issue 22, classes 2 to 4: trust boundaries, text that shows or exports differently from what was
checked, and numbers read wrong or not at all.

Each kind is tried the way a user meets it (the command, the build, the export) and must end in
one clear line and exit 2, a named problem, or the right output; never a traceback, never the
hostile text doing what it was made to do.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import minidata  # noqa: E402
from test_engine import mini  # noqa: E402,F401  (the engine's mini project fixture)
from test_hostile import assert_one_line, claims, edit, run_process, tree_hash  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
SECRET = "CI_TOKEN=hunter2-secret"


# ================================================================== 2. trust boundaries

def _relax_file_pattern(data: Path):
    """What a hostile change to the data folder can do: the schema's pattern is data too."""
    path = data / "schema" / "sources.schema.json"
    schema = json.loads(path.read_text(encoding="utf-8"))

    def strip(node):
        if isinstance(node, dict):
            node.pop("pattern", None) if node.get("type") == "string" and "txt" in str(node.get("pattern", "")) else None
            for v in node.values():
                strip(v)
        elif isinstance(node, list):
            for v in node:
                strip(v)
    strip(schema)
    path.write_text(json.dumps(schema), encoding="utf-8")


def _secret_file(tmp: Path) -> Path:
    secret = tmp / "secret.txt"
    secret.write_text(f"Your stitch is taken out around 27 weeks of pregnancy. {SECRET}\n", encoding="utf-8")
    return secret


def _point_at(data: Path, archive: Path, target: str):
    _relax_file_pattern(data)
    edit(data / "sources.yaml", "file: 900.txt", f"file: {json.dumps(target)}")


ARCHIVE_ESCAPES = {
    "an absolute path": (lambda d, a: _point_at(d, a, "/proc/self/environ"), "not a plain file name"),
    "a relative path up": (lambda d, a: _point_at(d, a, str(Path("..") / _secret_file(a.parent).name)), "not a plain file name"),
    "a link out of the archive": (lambda d, a: ((a / "900.txt").unlink(), (a / "900.txt").symlink_to(_secret_file(a.parent))),
                                  "leads out of the archive folder"),
    "a history file out of the archive": (
        lambda d, a: (_relax_file_pattern(d), edit(d / "sources.yaml", "file: 900.txt",
                                                   "file: 900.txt\n    history: [{file: ../secret.txt, sha256: "
                                                   + "a" * 64 + ", saved: \"2020-01-01\"}]"), _secret_file(a.parent)),
        "not a plain file name"),
}


@pytest.mark.parametrize("kind", ARCHIVE_ESCAPES, ids=list(ARCHIVE_ESCAPES))
def test_a_source_file_outside_the_archive_is_never_read(mini, kind):
    """A source's `file:` is contained in code, not by the data's own schema: with the pattern
    relaxed, check refuses it in one line and prints nothing of the file it names."""
    data, archive, _ = mini
    breaker, what = ARCHIVE_ESCAPES[kind]
    breaker(data, archive)
    proc = run_process(mini)
    assert SECRET not in proc.stdout + proc.stderr and "PATH=" not in proc.stdout + proc.stderr
    if kind == "a history file out of the archive":  # the current copy is fine: the history is named
        assert proc.returncode == 1 and what in proc.stdout, proc.stdout[-2000:] + proc.stderr
        return
    assert_one_line(proc.returncode, proc.stdout, proc.stderr, 2, "sources.yaml:", what)


def test_update_source_never_reads_a_file_outside_the_archive(mini, tmp_path):
    data, archive, _ = mini
    (archive / "900.txt").unlink()
    (archive / "900.txt").symlink_to(_secret_file(tmp_path))
    new = tmp_path / "new.txt"
    new.write_text("A new text about 30 weeks.\n", encoding="utf-8")
    proc = run_process(mini, "update-source", "900", str(new))
    assert SECRET not in proc.stdout + proc.stderr
    assert_one_line(proc.returncode, proc.stdout, proc.stderr, 2, "sources.yaml:", "leads out of the archive folder")


def test_a_data_file_linked_out_of_the_data_folder_is_refused_unquoted(mini, tmp_path):
    data, _, _ = mini
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text(f"claims:\n  - {SECRET}: [\n", encoding="utf-8")  # a parse error would quote it
    (data / "claims" / "more.yaml").symlink_to(outside)
    before = tree_hash(data)
    proc = run_process(mini)
    assert SECRET not in proc.stdout + proc.stderr
    assert_one_line(proc.returncode, proc.stdout, proc.stderr, 2, "more.yaml", "a link out of the data folder")
    assert tree_hash(data) == before


BAD_SITE_URLS = {
    "a quote that ends the attribute": 'https://example.net/"><script>alert(1)</script>',
    "javascript: with slashes": "javascript://example.net/%0aalert(1)",
    "a data: address": "data://example.net/,alert(1)",
    "a user name": "https://evil@example.net/",
    "a space": "https://example.net/a b/",
    "an escape character": "https://example.net/\x1b]8;;x\x07/",
    "a query": "https://example.net/?a=<b>",
}


def _build(project: Path, site_url: str | None, site: Path):
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", OFFLINE="false")
    env.pop("SITE_URL", None)
    if site_url is not None:
        env["SITE_URL"] = site_url
    return subprocess.run([str(ROOT / ".venv" / "bin" / "mkdocs"), "build", "--strict", "--quiet", "-d", str(site)],
                          cwd=project, env=env, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("kind", BAD_SITE_URLS, ids=list(BAD_SITE_URLS))
def test_site_url_that_is_not_a_plain_http_address_stops_the_build_in_one_line(tmp_path, kind):
    site = tmp_path / "site"
    proc = _build(ROOT, BAD_SITE_URLS[kind], site)
    assert proc.returncode == 2, proc.stdout[-2000:] + proc.stderr[-2000:]
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: SITE_URL ") and "plain http(s) address" in lines[0], proc.stderr
    assert "\x1b" not in proc.stderr and "Traceback" not in proc.stderr
    assert not (site / "index.html").exists()


def test_a_planted_canonical_link_never_reaches_paper(tmp_path):
    """build_pdf reads the address from the built site (a writable folder): it checks it again."""
    from website.build_pdf import BuildError, site_address

    (tmp_path / "index.html").write_text('<html><head><link rel="canonical" href="javascript://example.net/%0aalert(1)">'
                                         "</head><body></body></html>", encoding="utf-8")
    with pytest.raises(BuildError, match="not a plain http"):
        site_address(tmp_path)
    (tmp_path / "index.html").write_text('<html><head><link rel="canonical" href="https://maternity.hospital.org.uk/ci/">'
                                         "</head><body></body></html>", encoding="utf-8")
    assert site_address(tmp_path) == "https://maternity.hospital.org.uk/ci/"
