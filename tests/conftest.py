"""Shared fixtures for the site tests: one real build of each kind per session.

The hosted site, the offline zip (unzipped again, as a reader would) and the
two PDFs are built once into temporary folders and reused by every test. The
browser is Debian's chromium driven by Playwright; under CI=true a missing
browser fails the run instead of skipping the browser tests.
"""
from __future__ import annotations

import functools
import http.server
import os
import re
import sys
import threading
import zipfile
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[1]

from website import build_offline  # noqa: E402
from website import build_pdf  # noqa: E402
from website.sitebuild import mkdocs_build  # noqa: E402

from reconcile.pipeline import archive_dir, reference_file  # noqa: E402

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))  # override only to test the CI rule
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


# ------------------------------------------------------------------ the private archive and the reference

ARCHIVE = archive_dir()      # $SOURCE_ARCHIVE, else ../shared/sources
REFERENCE = reference_file()  # $GUIDELINES, else ../shared/reference/guidelines.md


def _require(present: bool, what: str):
    """A clone has neither the archive nor the reference: the tests that need one skip there, with
    one line saying why, and fail under CI=true, where both are provided."""
    if present:
        return
    if IN_CI:
        pytest.fail(f"{what} is missing; CI provides it, so this test may not be skipped under CI=true")
    pytest.skip(f"{what} is not here (a clone without ../shared); CI runs this test")


def needs_archive() -> Path:
    _require(ARCHIVE.is_dir(), f"the source archive {ARCHIVE} (SOURCE_ARCHIVE)")
    return ARCHIVE


def needs_reference() -> Path:
    _require(REFERENCE.is_file(), f"the guidance reference {REFERENCE} (GUIDELINES)")
    return REFERENCE


def pytest_configure(config):
    config.addinivalue_line("markers", "archive: needs the private source archive (skips without it, fails under CI)")
    config.addinivalue_line("markers", "reference: needs the guidance reference file (skips without it, fails under CI)")


def pytest_runtest_setup(item):
    if item.get_closest_marker("archive"):
        needs_archive()
    if item.get_closest_marker("reference"):
        needs_reference()


@pytest.fixture(scope="session")
def mkdocs_config() -> dict:
    from reconcile.review_dates import mkdocs_config as read

    return read(ROOT / "mkdocs.yml")


@dataclass
class Build:
    dir: Path
    log: str


def _build(dest: Path, offline: bool) -> Build:
    result = mkdocs_build(dest, offline=offline, check=False, quiet=False)
    log = result.stdout + result.stderr
    if result.returncode != 0:
        pytest.fail(f"mkdocs build (offline={offline}) failed:\n{log[-4000:]}")
    return Build(dest, log)


@pytest.fixture(scope="session")
def hosted(tmp_path_factory) -> Build:
    return _build(tmp_path_factory.mktemp("hosted") / "site", offline=False)


@pytest.fixture(scope="session")
def offline_zip(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("offline")
    _build(work / "build", offline=True)
    return build_offline.make_zip(work / "build", work / "offline.zip")


@pytest.fixture(scope="session")
def offline_dir(offline_zip, tmp_path_factory) -> Path:
    """The zip unpacked somewhere else, the way a reader gets it."""
    dest = tmp_path_factory.mktemp("unzipped")
    with zipfile.ZipFile(offline_zip) as zf:
        zf.extractall(dest)
    return dest / build_offline.ZIP_FOLDER


@pytest.fixture(scope="session")
def pdfs(hosted, tmp_path_factory) -> dict[str, Path]:
    """Every PDF (book, handout A4, Letter, large print), made the way `make pdf` makes them."""
    out = tmp_path_factory.mktemp("pdf")
    build_pdf.build(hosted.dir, out)
    return {name: out / filename for name, (_, _, filename) in build_pdf.JOBS.items()}


@pytest.fixture(scope="session")
def book_pdf(pdfs) -> Path:
    return pdfs["book"]


@pytest.fixture(scope="session")
def handout_pdf(pdfs) -> Path:
    return pdfs["handout"]


def html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


@functools.lru_cache(maxsize=None)
def soup_of(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def heading_text(tag) -> str:
    """A heading's text without the permalink sign."""
    return " ".join(tag.get_text().replace("¶", " ").split())


@dataclass(frozen=True)
class NavPage:
    nav_title: str  # as in the navigation (the PDF contents give the page's own title)
    title: str      # the page's own h1
    path: Path      # built HTML file


@pytest.fixture(scope="session")
def nav_pages(hosted) -> list[NavPage]:
    """Every page in the navigation, in navigation order, read from the built home page."""
    index = hosted.dir / "index.html"
    pages, seen = [], set()
    for link in soup_of(index).select("nav.md-nav--primary a.md-nav__link[href]"):
        href = link["href"]
        if "#" in href or href in seen:
            continue
        seen.add(href)
        target = (index.parent / href).resolve()
        target = target / "index.html" if target.is_dir() else target
        h1 = soup_of(target).select_one("article h1")
        pages.append(NavPage(" ".join(link.get_text(" ").split()), heading_text(h1), target))
    assert len(pages) >= 10, f"only {len(pages)} pages found in the navigation of {index}"
    return pages


# ------------------------------------------------------------------ browser

@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing (apt-get install chromium)"
        if IN_CI:
            pytest.fail(message + "; browser tests may not be skipped under CI=true")
        pytest.skip(message + "; CI is not set, so the browser tests are skipped")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    prefix = "/"

    def translate_path(self, path):
        # The hosted site lives under site_url's path (e.g. /cervical-insufficiency/).
        if path.startswith(self.prefix):
            path = "/" + path[len(self.prefix):]
        return super().translate_path(path)

    def send_error(self, code, message=None, explain=None):
        if code == 404:  # like a static host: the site's own 404 page
            body = (Path(self.directory) / "404.html").read_bytes()
            self.send_response(404)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        super().send_error(code, message, explain)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="session")
def hosted_url(hosted, mkdocs_config) -> str:
    """The hosted build served over HTTP at its site_url path, like a static host."""
    prefix = urlsplit(mkdocs_config.get("site_url") or "/").path or "/"
    handler = type("Handler", (_QuietHandler,), {"prefix": prefix})
    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(handler, directory=str(hosted.dir)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}{prefix}"
    server.shutdown()


def site_relative(site: Path, page: Path) -> str:
    rel = page.relative_to(site).as_posix()
    return re.sub(r"(^|/)index\.html$", r"\1", rel)


def pdf_text(path: Path) -> list[str]:
    from pypdf import PdfReader

    return [" ".join((page.extract_text() or "").split()) for page in PdfReader(str(path)).pages]



@functools.cache
def _local_quotes() -> dict[str, str]:
    """Each claim's quote by its id, from the editors' local report (``disagreements.py --format json``): the
    published exports carry a quote's place, not its words."""
    import json
    import subprocess
    # a clone without the archive reads the quotes as data/verified.lock vouches for them, as `make test` does there
    without = [] if ARCHIVE.is_dir() else ["--without-archive"]
    proc = subprocess.run([sys.executable, str(ROOT / "scripts" / "disagreements.py"), "--format", "json", *without],
                          cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert proc.returncode in (0, 1), proc.stderr
    return {c["id"]: c["quote"] for t in json.loads(proc.stdout)["topics"] for c in t["claims"]}


def with_quotes(report: dict) -> dict:
    """A published report (exports/findings.json) with each claim's quote put back from the local report."""
    quotes = _local_quotes()
    return dict(report, topics=[dict(t, claims=[dict(c, quote=quotes[c["id"]]) for c in t["claims"]])
                                for t in report["topics"]])


@functools.cache
def real_findings():
    """The project's own data and its findings by topic, loaded once for every test that only reads them."""
    from reconcile.compare import compare
    from reconcile.load import load_project

    project = load_project(ROOT / "data")
    return project, {f.topic.id: f for f in compare(project)}
