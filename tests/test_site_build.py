"""The strict build, and what every built page must carry."""
from __future__ import annotations

import json
import re
import zipfile
from pathlib import Path

import jsonschema

from conftest import ROOT, html_files, site_relative, soup_of
from test_paper import DIST, shipped  # noqa: F401  (shipped: the fixture, dist/ as `make site` made it)
from website.build_offline import ZIP_FOLDER


def test_strict_build_prints_no_warning(hosted):
    warnings = [line for line in hosted.log.splitlines() if re.search(r"\bWARNING\b|\bERROR\b", line)]
    assert not warnings, "\n".join(warnings)


def test_every_page_has_description_disclaimer_edition_and_help_link(hosted, mkdocs_config):
    edition = mkdocs_config["extra"]["edition"]
    problems = []
    for page in html_files(hosted.dir):
        soup = soup_of(page)
        name = site_relative(hosted.dir, page)
        if page.name == "404.html" or soup.select_one("#print-site-page"):
            continue
        description = soup.select_one('meta[name="description"]')
        if not description or len(description.get("content", "").strip()) < 20:
            problems.append(f"{name}: no meta description")
        disclaimer = soup.select_one("article aside.ci-disclaimer")
        if not disclaimer or "not medical advice" not in disclaimer.get_text():
            problems.append(f"{name}: no disclaimer")
        elif disclaimer.select_one("time[datetime]")["datetime"] != edition:
            problems.append(f"{name}: edition is not {edition}")
        help_link = soup.select_one("nav.ci-help-now a[href]")
        target = (page.parent / help_link["href"]).resolve() if help_link else None
        if target != (hosted.dir / "help-now").resolve():
            problems.append(f"{name}: no always-visible link to 'When to get help now'")
    assert not problems, "\n".join(problems)


def test_page_descriptions_come_from_front_matter(hosted):
    """A page with `description:` in its front matter gets exactly that description."""
    checked = 0
    for source in (ROOT / "docs").rglob("*.md"):
        match = re.match(r"---\n(.*?)\n---\n", source.read_text(encoding="utf-8"), re.S)
        found = match and re.search(r"^description:\s*(.+)$", match.group(1), re.M)
        if not found:
            continue
        rel = source.relative_to(ROOT / "docs").with_suffix("")
        built = hosted.dir / (rel.parent if rel.name == "index" else rel) / "index.html"
        meta = soup_of(built).select_one('meta[name="description"]')["content"]
        assert meta == found.group(1).strip().strip("\"'"), built
        checked += 1
    assert checked >= 5


def test_edition_is_set_in_one_place(mkdocs_config):
    edition = mkdocs_config["extra"]["edition"]
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", edition)
    places = [p for p in (ROOT / "overrides").rglob("*") if p.is_file() and edition in p.read_text(encoding="utf-8")]
    assert not places, f"edition date written out in {places}; use config.extra.edition"


def test_sitemap_lists_every_page(hosted, nav_pages, mkdocs_config):
    sitemap = (hosted.dir / "sitemap.xml").read_text(encoding="utf-8")
    locations = set(re.findall(r"<loc>(.*?)</loc>", sitemap))
    base = mkdocs_config["site_url"]
    for page in nav_pages:
        assert base + site_relative(hosted.dir, page.path) in locations, page.path


def test_404_page_helps_the_reader(hosted, mkdocs_config):
    soup = soup_of(hosted.dir / "404.html")
    hrefs = [a["href"] for a in soup.select("article a[href]")]
    prefix = re.sub(r"^https?://[^/]+", "", mkdocs_config["site_url"])
    # Served from any missing address, so its links must be absolute.
    assert all(h.startswith(prefix) for h in hrefs), hrefs
    assert any(h.rstrip("/").endswith("help-now") for h in hrefs)
    assert soup.select_one("article h1").get_text(strip=True) == "Page not found"


def test_no_web_fonts_and_directory_urls(hosted, mkdocs_config):
    assert mkdocs_config["theme"]["font"] is False
    assert mkdocs_config.get("use_directory_urls", True) is True
    assert (hosted.dir / "help-now" / "index.html").is_file()


def test_offline_zip_opens_at_index_and_carries_the_search_shim(offline_zip):
    with zipfile.ZipFile(offline_zip) as zf:
        names = set(zf.namelist())
    folder = Path(next(iter(names))).parts[0]
    assert f"{folder}/index.html" in names
    assert f"{folder}/help-now.html" in names  # no directory URLs offline
    assert f"{folder}/search/search_index.js" in names
    assert f"{folder}/assets/javascripts/iframe-worker-shim.js" in names
    assert f"{folder}/404.html" not in names


def test_generated_pages_that_list_symptoms_carry_the_help_box(hosted):
    """Source pages and the disagreements page list warning signs: they carry the same "Get help now"
    box as the written pages (includes/help-box.md), with its citation."""
    pages = [hosted.dir / "disagreements" / "index.html"] + sorted((hosted.dir / "sources").glob("[0-9]*/index.html"))
    assert len(pages) > 1
    for page in pages:
        box = soup_of(page).select_one("article .admonition.danger")
        assert box is not None, page
        text = " ".join(box.get_text(" ").split())
        assert "Call your doctor or midwife, then go to the emergency department, if you are pregnant and have:" in text, page
        assert "heavy bleeding from the vagina any cramping Do the same" in text, page
        assert "Do the same if your waters break or labor starts." in text, page
        assert ("call an ambulance. These are our own safety rules. To be safe, we read the source's "
                "\"cramping\" as any cramping.") in text, page
        assert box.select_one("a.cite, .cite a") and box.select_one("a[href$='help-now/']"), page


# Words that show a page speaks of signs that may need care now: the signs the help box itself names
# (checked below against includes/help-box.md) and the words for signs and urgent care.
BOX_SIGNS = ("bleeding", "cramping", "waters break", "labor starts")
SIGN_WORDS = re.compile(r"\b(?:bleed\w*|cramp\w*|waters? (?:break|broke)\w*|labou?r starts?|warning signs?|symptoms?|"
                        r"urgent\w*|emergency department)\b", re.I)


def test_every_page_where_symptoms_come_up_carries_the_help_box(hosted):
    """The rule "every page where symptoms come up carries when to seek care now", over every built page
    (written, generated, the print page): a page whose text names a warning sign, waters breaking, labor
    starting or urgent care has the "Get help now" box (includes/help-box.md or its copy) in its article."""
    box_text = (ROOT / "includes" / "help-box.md").read_text(encoding="utf-8")
    assert all(sign in box_text for sign in BOX_SIGNS) and all(SIGN_WORDS.search(sign) for sign in BOX_SIGNS)
    checked, problems = 0, []
    for page in html_files(hosted.dir):
        soup = soup_of(page)
        article = soup.select_one("article")
        if page.name == "404.html" or article is None:
            continue
        boxes = article.select(".admonition.danger")
        text = " ".join(el.get_text(" ") for el in article.find_all(string=True)
                        if not any(el in box.descendants for box in boxes)
                        and not el.find_parent("aside", class_="ci-disclaimer"))
        found = sorted({m.group(0).lower() for m in SIGN_WORDS.finditer(text)})
        if not found:
            continue
        checked += 1
        if not any("Get help now" in box.get_text() and "emergency department" in box.get_text() for box in boxes):
            problems.append(f"{site_relative(hosted.dir, page)}: speaks of {', '.join(found[:4])} but has no "
                            "\"Get help now\" box")
    assert checked >= 10, checked
    assert not problems, "\n".join(problems)


def test_a_build_folder_given_relative_is_the_callers_folder(tmp_path, monkeypatch):
    """mkdocs runs from the project root; a folder named relative to another working directory (build_offline's
    --build-dir, run from a clone whose venv points at the project) is built there, where the caller then reads
    it, and not under the root (review 84 M1: the offline zip zipped a stale folder)."""
    from website.sitebuild import mkdocs_build

    monkeypatch.chdir(tmp_path)
    mkdocs_build(Path("built"))
    assert (tmp_path / "built" / "index.html").is_file()
    assert not (ROOT / "built").exists()


def test_compiled_templates_are_kept_but_a_changed_or_broken_one_is_never_trusted(tmp_path):
    """The shortcode templates are compiled once and kept in build/.cache/templates (issue 12):
    a template that changed is compiled again, and a broken cache file is ignored."""
    import os
    import shutil
    import subprocess
    import sys

    project = tmp_path / "project"
    for name in ("docs", "overrides", "includes", "scripts", "data"):
        shutil.copytree(ROOT / name, project / name, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    mkdocs = ROOT / ".venv" / "bin" / "mkdocs"
    command = [str(mkdocs)] if mkdocs.exists() else [sys.executable, "-m", "mkdocs"]
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", OFFLINE="false")

    def build() -> str:
        done = subprocess.run([*command, "build", "--strict", "-q", "-d", str(project / "site")],
                              cwd=project, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr
        return (project / "site" / "help-now" / "index.html").read_text(encoding="utf-8")

    build()
    kept = sorted((project / "build" / ".cache" / "templates").glob("*.signed"))
    assert kept, "no compiled template was kept"
    for entry in kept:
        entry.write_bytes(b"not a compiled template")
    cite = project / "overrides" / "partials" / "ci-cite.html"
    cite.write_text(cite.read_text(encoding="utf-8").replace('<sup class="cite">', '<sup class="cite" data-edited="yes">'),
                    encoding="utf-8")
    page = build()
    assert 'data-edited="yes"' in page, "the edited template was not compiled again"
    assert all(entry.read_bytes() != b"not a compiled template" for entry in kept if entry.exists())


def test_published_findings_json_matches_its_schema(hosted, shipped):
    """The findings.json a reader downloads (the hosted site's exports/, and the one in dist/'s offline zip
    as `make site` made it) is what data/schema/findings.schema.json describes: the published claims carry
    their quote's place (render.excerpted), never the quote, and the schema says so."""
    schema = json.loads((ROOT / "data" / "schema" / "findings.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    with zipfile.ZipFile(next(DIST.glob("*-offline.zip"))) as zf:
        shipped_json = zf.read(f"{ZIP_FOLDER}/exports/findings.json").decode("utf-8")
    for where, text in (("hosted", (hosted.dir / "exports" / "findings.json").read_text(encoding="utf-8")),
                        ("dist offline zip", shipped_json)):
        report = json.loads(text)
        claims = [c for t in report["topics"] for c in t["claims"]]
        assert claims and not any("quote" in c for c in claims), where
        errors = [f"{where}: {'/'.join(map(str, e.absolute_path))}: {e.message[:160]}"
                  for e in jsonschema.Draft202012Validator(schema).iter_errors(report)]
        assert not errors, "\n".join(errors[:10])


def test_a_page_with_verified_quotes_explains_that_date_beside_its_review_date(hosted):
    """Review 16, S11: a quote says "verified against the saved source on" one day while the page says "Last
    reviewed" another. Every page that shows a verified date says once, beside its review date, what each means."""
    pages = 0
    for page in sorted(hosted.dir.rglob("*.html")):
        soup = soup_of(page)
        if not soup.select(".verified time"):
            continue
        pages += 1
        note = soup.select_one(".ci-disclaimer .ci-checked")
        assert note is not None and soup.select_one(".ci-disclaimer .ci-review time"), page
        words = " ".join(note.get_text(" ").split())
        assert "“verified” date" in words and "“Last reviewed”" in words, (page, words)
    assert pages >= 5, pages


def test_the_exports_name_no_path_of_the_machine_that_built_them(hosted):
    """Review 41 #8: findings.json published the build machine's path to the source archive ("/work/shared/sources").
    No export names a path of this machine: the project's folder, the archive's, the home or the temporary folder."""
    import tempfile

    from reconcile.pipeline import archive_dir

    paths = {str(ROOT), str(archive_dir(None).resolve()), str(Path.home()), tempfile.gettempdir(), str(hosted.dir)}
    exports = sorted((hosted.dir / "exports").iterdir())
    assert len(exports) == 3, exports
    found = [f"{p.name}: {path}" for p in exports for path in paths if path and path != "/" and path in p.read_text(encoding="utf-8")]
    assert not found, found
    report = json.loads((hosted.dir / "exports" / "findings.json").read_text(encoding="utf-8"))
    assert report["summary"]["archive"] in (None, archive_dir(None).name)
