"""Feedback: "Report a problem with this page" at the end of every page, to the address set in mkdocs.yml
through FEEDBACK_ADDRESS (an e-mail or an http(s) address); unset, no link and no invented address."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import pytest

from conftest import ROOT, html_files, site_relative, soup_of

MKDOCS = Path(sys.executable).parent / "mkdocs"


def _build(dest: Path, address: str | None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "FEEDBACK_ADDRESS"}
    env.update(NO_MKDOCS_2_WARNING="1", OFFLINE="false", SITE_URL="https://maternity.example-hospital.org/ci/")
    if address is not None:
        env["FEEDBACK_ADDRESS"] = address
    return subprocess.run([str(MKDOCS), "build", "--strict", "--quiet", "--site-dir", str(dest)],
                          cwd=ROOT, env=env, capture_output=True, text=True)


def _pages(site: Path) -> list[Path]:
    return [p for p in html_files(site) if p.name != "404.html" and "print_page" not in p.parts]


def test_without_an_address_no_link_and_no_invented_address(hosted):
    if os.environ.get("FEEDBACK_ADDRESS"):
        pytest.skip("FEEDBACK_ADDRESS is set in this environment")
    for page in _pages(hosted.dir):
        text = page.read_text(encoding="utf-8")
        assert "Report a problem" not in text and "mailto:" not in text, page


def test_an_email_address_gives_every_page_its_link(tmp_path):
    site = tmp_path / "site"
    proc = _build(site, "editors@maternity.example-hospital.org")
    assert proc.returncode == 0, proc.stderr[-2000:]
    pages = _pages(site)
    assert len(pages) > 20
    for page in pages:
        links = [a for a in soup_of(page).select("article a[href]") if a.get_text() == "Report a problem with this page"]
        assert len(links) == 1, page
        href = urlsplit(links[0]["href"])
        assert href.scheme == "mailto" and href.path == "editors@maternity.example-hospital.org", href
        subject = parse_qs(href.query)["subject"][0]
        own = "https://maternity.example-hospital.org/ci/" + site_relative(site, page)
        assert subject.startswith("Problem with the page: ") and subject.endswith(f"({own})"), (subject, own)


def test_a_web_address_gets_the_page_as_a_parameter(tmp_path):
    site = tmp_path / "site"
    proc = _build(site, "https://maternity.example-hospital.org/feedback/")
    assert proc.returncode == 0, proc.stderr[-2000:]
    link = next(a for a in soup_of(site / "treatment" / "cerclage" / "index.html").select("article a[href]")
                if a.get_text() == "Report a problem with this page")
    href = urlsplit(link["href"])
    assert href.netloc == "maternity.example-hospital.org" and href.path == "/feedback/"
    assert unquote(parse_qs(href.query)["page"][0]) == "https://maternity.example-hospital.org/ci/treatment/cerclage/"


@pytest.mark.parametrize("address", ['editors@x.org" onclick="alert(1)', "javascript:alert(1)", "not an address",
                                     "a@b@c.org"])
def test_a_bad_address_stops_the_build_in_one_line(tmp_path, address):
    site = tmp_path / "site"
    proc = _build(site, address)
    assert proc.returncode == 2, proc.stdout[-1000:] + proc.stderr[-1000:]
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: FEEDBACK_ADDRESS "), proc.stderr
    assert "Traceback" not in proc.stderr and not (site / "index.html").exists()
