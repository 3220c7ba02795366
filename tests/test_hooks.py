"""The MkDocs hook renders the engine's findings: shortcodes, generated pages, exports, escaping."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(Path(__file__).resolve().parent))
import minidata  # noqa: E402

PAGE = """---
description: A test page.
---

# Test page

The stitch comes out at different times. <!-- cite: 900.cerclage.removal, guidance.cerclage-removal -->

<!-- sources: cerclage.removal -->

<!-- disagreement: cerclage.removal -->

<!-- sources: causes.main -->

<!-- disagreement: causes.main -->

Writing `<!-- cite: NOT.AN.ID -->` in code shows the shortcode itself.

Other questions. <!-- cite: 900.progesterone.twins, 900.symptoms.list, 902.symptoms.start -->

<!-- disagreements: short -->
"""


def make_site(tmp_path: Path, page: str = PAGE) -> Path:
    data, archive = minidata.make(tmp_path)
    (tmp_path / "guidelines.md").write_text(minidata.REFERENCE, encoding="utf-8")
    minidata.write(tmp_path, {
        "docs/index.md": page,
        "includes/glossary.md": "*[stitch]: A cerclage.\n",
        # the map's legend sends editors to the methods' section on resolving (a page every site of ours has)
        "docs/methods.md": "# How this site was made\n\n## How we resolved disagreements\n",
        "mkdocs.yml": f"""
            site_name: Test
            strict: true
            theme: {{name: material, font: false, custom_dir: {ROOT / 'overrides'}}}
            hooks: [{ROOT / 'scripts' / 'website' / 'hooks.py'}]
            markdown_extensions: [attr_list, md_in_html, admonition]
            """,
    })
    return tmp_path


def build(project: Path, archive: bool = True):
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1", GUIDELINES=str(project / "guidelines.md"),
               SOURCE_ARCHIVE=str(project / ("archive" if archive else "no-such-archive")))
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "-f", str(project / "mkdocs.yml"),
                           "-d", str(project / "site")], capture_output=True, text=True, env=env)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    project = make_site(tmp_path_factory.mktemp("hooks"))
    proc = build(project)
    assert proc.returncode == 0, proc.stderr
    return project / "site"


def html(site: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((site / path).read_text(encoding="utf-8"), "html.parser")


def test_evidence_is_folded_with_the_situation_in_its_summary(site):
    block = html(site, "index.html").find(id="topic-cerclage-removal")
    assert block.name == "details" and not block.has_attr("open")
    summary = block.summary.get_text(" ", strip=True)
    assert summary == "Sources disagree."  # the counts are for editors, inside the fold
    counts = block.select_one(".evidence__counts").get_text(" ", strip=True)
    assert counts == "For editors: 3 sources: 1 agrees, 1 differs from guidance, 1 silent; checked against guidance"
    items = {li.strong.get_text(strip=True): li for li in block.select("ul.evidence__sources > li")}
    assert list(items) == ["Page 900", "Page 901"]
    assert block.select_one(".evidence__silent").get_text(" ", strip=True) == "No answer to this question from: Page 902 ."
    assert "Around 27 weeks." in items["Page 900"].get_text()
    assert items["Page 900"].find("blockquote", class_="claim-quote").get_text().startswith(
        "\u201c\u2026 taken out around 27 weeks")  # the words that carry it (excerpt.py)


def test_one_block_per_question_callout_and_table_do_not_repeat(site):
    soup = html(site, "index.html")
    assert len(soup.select("#topic-cerclage-removal")) == 1
    assert soup.get_text().count("Around 27 weeks.") == 1


def test_evidence_has_sides_marks_resolution_and_citation(site):
    box = html(site, "index.html").find(id="topic-cerclage-removal")
    text = box.get_text(" ", strip=True)
    assert "warning" in box["class"]
    assert "About 36 weeks. (matches current guidance: ACOG PB 142 )" in text
    assert "Guidance says 36 to 37 weeks." in text
    link = box.select_one(".resolution-cite a")
    assert link.get_text() == "ACOG PB 142" and link["href"] == "guidance/#guidance-cerclage-removal"
    assert html(site, "guidance/index.html").find(id="guidance-cerclage-removal")


def test_guidance_silent_resolution_says_ask_your_doctor_once(site):
    text = html(site, "index.html").find(id="topic-causes-main").get_text(" ", strip=True)
    assert "The guidance we use does not settle this. Ask a doctor." in text and text.count("doctor") == 1
    project = make_site(site.parent / "twins", PAGE.replace("causes.main", "progesterone.twins")
                        + "\nCauses. <!-- cite: 900.causes.main -->\n")
    assert build(project).returncode == 0
    text = html(project / "site", "index.html").find(id="topic-progesterone-twins").get_text(" ", strip=True)
    assert "The hospital page is newer. Please ask your doctor." in text
    # guidance is silent: the editor's weighing stays in the data, no side is marked on the page
    assert "Only with one baby." in text and "trust more" not in text and "matches current guidance" not in text


def test_cite_links_to_the_claim_on_its_source_page(site):
    sup = html(site, "index.html").find("sup", class_="cite")
    hrefs = [a["href"] for a in sup.find_all("a")]
    assert hrefs == ["sources/900/#claim-900-cerclage-removal", "guidance/#guidance-cerclage-removal"]
    assert html(site, "sources/900/index.html").find(id="claim-900-cerclage-removal")


def test_a_citation_of_several_claims_of_one_source_leads_to_each_claim(site):
    """One key a source in the text ([900]), but the list at the page's end leads to every claim the citation credits
    (review 33 #4: a sentence resting on a source's second claim led only to its first), each by its question."""
    page = html(site, "index.html")
    item = next(li for li in page.select("#references li") if "symptoms" in " ".join(a["href"] for a in li.find_all("a")))
    hrefs = [a["href"] for a in item.find_all("a")]
    assert "sources/900/#claim-900-progesterone-twins" in hrefs and "sources/900/#claim-900-symptoms-list" in hrefs
    assert "sources/902/#claim-902-symptoms-start" in hrefs
    source = html(site, "sources/900/index.html")
    assert all(source.find(id=h.split("#")[1]) for h in hrefs if h.startswith("sources/900/"))
    titles = [a["title"] for a in page.find_all("a", class_="cite") if a["href"].startswith("sources/900/#claim-900-prog")]
    assert titles and all(";" in t for t in titles)   # the key's title says both claims


def test_all_data_is_escaped(site):
    page = (site / "index.html").read_text(encoding="utf-8")
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    for generated in ["sources/901/index.html", "disagreements/index.html"]:
        assert "<script>alert(1)</script>" not in (site / generated).read_text(encoding="utf-8")


def test_shortcodes_in_code_are_left_alone(site):
    codes = [c.get_text() for c in html(site, "index.html").find_all("code")]
    assert "<!-- cite: NOT.AN.ID -->" in codes


def test_generated_pages(site):
    page = html(site, "disagreements/index.html")
    headings = [h.get_text(strip=True) for h in page.find_all("h2")]
    assert headings[:3] == ["The sources disagree (2)", "Some sources say what others leave out (1)", "The sources differ a little (1)"]
    link = page.find("a", string="When is the stitch taken out?")
    assert link["href"] == "../#topic-cerclage-removal"
    source = html(site, "sources/900/index.html").get_text(" ", strip=True)
    assert "How trustworthy it is" in source and "What we took from it (4 claims)" in source
    assert "Page 900 (900)" in html(site, "sources/index.html").get_text(" ", strip=True)


def test_handout_lines(site):
    items = [li.get_text(" ", strip=True) for li in html(site, "index.html").select("ul.disagreements-short li")]
    assert "When is the stitch taken out? 27 or 36 weeks? Guidance says 36 to 37. [ ACOG PB 142 ]" in items  # the key, on paper too
    key = " ".join(html(site, "index.html").select_one("p.source-key").get_text().split())  # labels are in <bdi>
    assert key == "The numbers are the sources: 900 Page 900; 901 Page 901; 902 Page 902."


def test_exports_are_the_scripts_json_and_csv(site):
    report = json.loads((site / "exports" / "findings.json").read_text(encoding="utf-8"))
    assert report["summary"]["ok"] is True and report["summary"]["quotes"]["verified"] == 9
    claims_csv = (site / "exports" / "claims.csv").read_text(encoding="utf-8").splitlines()
    assert claims_csv[0].startswith("claim,source,topic,question,status")
    assert len(claims_csv) == 1 + 9
    assert (site / "exports" / "findings.csv").read_text(encoding="utf-8").count("\n") == 1 + 5


@pytest.mark.parametrize("shortcode, message", [
    ("<!-- sources: cerclage.taken-out -->", "index.md:9: unknown topic 'cerclage.taken-out'"),
    ("<!-- cite: 900.nothing -->", "index.md:9: unknown claim '900.nothing'"),
    ("<!-- cite: guidance.nothing -->", "index.md:9: unknown guidance id"),
    ("<!-- sauces: cerclage.removal -->", "index.md:9: unknown shortcode <!-- sauces: ... -->"),
])
def test_unknown_id_in_a_shortcode_fails_the_build_naming_page_and_line(tmp_path, shortcode, message):
    project = make_site(tmp_path, PAGE.replace("<!-- sources: cerclage.removal -->", shortcode))
    proc = build(project)
    assert proc.returncode != 0
    assert message in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stderr


def test_bad_data_fails_the_build_with_one_line(tmp_path):
    project = make_site(tmp_path)
    claims = project / "data" / "claims" / "main.yaml"
    claims.write_text(claims.read_text().replace("unit: weeks}", "unit: days}", 1))
    proc = build(project)
    assert proc.returncode != 0
    assert "main.yaml:4: wrong unit 'days'" in proc.stderr and "Traceback" not in proc.stderr


def test_site_builds_without_the_archive_and_says_so(tmp_path):
    project = make_site(tmp_path, PAGE + "\n<!-- verification: status -->\n")
    (project / "data" / "verified.lock").unlink()  # and no verification record: nothing vouches for the quotes
    proc = build(project, archive=False)
    assert proc.returncode == 0, proc.stderr
    assert "quotes shown as verified from data/verified.lock" in proc.stderr and ": 0 of" in proc.stderr
    page = (project / "site" / "index.html").read_text(encoding="utf-8")
    assert "Quotes not checked in this build" in page and "(quote not checked in this build)" in page


def test_site_without_the_archive_shows_the_quotes_verified_from_the_record(tmp_path):
    project = make_site(tmp_path, PAGE + "\n<!-- verification: status -->\n")
    proc = build(project, archive=False)
    assert proc.returncode == 0, proc.stderr
    page = (project / "site" / "index.html").read_text(encoding="utf-8")
    assert "Quotes not checked in this build" not in page and "(quote not checked in this build)" not in page
    assert "as recorded in the project's verification record" in page
    assert "(verified against the saved source on " in page


def test_counts_come_from_the_data_and_source_pages_join_the_nav(tmp_path):
    page = PAGE.replace("# Test page", "# What <!-- count: sources --> pages say") + "\n<!-- count: Sources --> pages.\n"
    project = make_site(tmp_path, page)
    yml = project / "mkdocs.yml"
    yml.write_text(yml.read_text() + "nav: [index.md, {Sources: [sources/index.md]}]\n")
    assert build(project).returncode == 0
    soup = html(project / "site", "index.html")
    assert soup.select_one("article h1").get_text(strip=True).startswith("What three pages say")
    assert "Three pages." in soup.get_text()
    nav = [a["href"] for a in soup.select("nav.md-nav--primary a[href]")]
    assert ["sources/900/", "sources/901/", "sources/902/"] == [h for h in nav if h.startswith("sources/9")]

    sources = project / "data" / "sources.yaml"
    sources.write_text(sources.read_text().replace('id: "902"', 'id: "902"\n    draft: true'))
    proc = build(project)
    assert proc.returncode != 0 and "index.md:19: claim '902.symptoms.start' is from draft source 902" in proc.stderr
    (project / "docs" / "index.md").write_text(page.replace(", 902.symptoms.start", ""))
    proc = build(project)
    assert proc.returncode == 0, proc.stderr
    assert "draft sources left out of the site: 902" in proc.stderr
    soup = html(project / "site", "index.html")
    assert "What two pages say" in soup.get_text() and "Page 902" not in soup.get_text()
    assert not (project / "site" / "sources" / "902").exists()


def test_a_topic_no_page_shows_fails_the_build_in_one_line(tmp_path):
    project = make_site(tmp_path, PAGE.replace("<!-- sources: causes.main -->", "").replace(
        "<!-- disagreement: causes.main -->", ""))
    proc = build(project)
    assert proc.returncode != 0
    errors = [line for line in proc.stderr.splitlines() if "ERROR" in line]
    assert len(errors) == 1 and "main.yaml:12: topic causes.main has claims but no page shows it" in errors[0], proc.stderr


def test_a_citation_that_credits_different_numbers_together_fails_the_build(tmp_path):
    """Review 32 #1, the class: where sources agree (or differ a little) but give different numbers, one citation
    may not credit them together ("1 or 2 of every 100 [003, 004]"); the build names the page, the line and the
    way out (<!-- values: T -->); the values shortcode says each number with its own source."""
    merged = "The stitch comes out at about 27 weeks. <!-- cite: 900.cerclage.removal, 901.cerclage.removal -->"
    project = make_site(tmp_path, PAGE.replace("Writing `<!-- cite: NOT.AN.ID -->` in code shows the shortcode itself.",
                                               merged))
    claims = project / "data" / "claims" / "main.yaml"
    claims.write_text(claims.read_text().replace("{min: 35, max: 37, unit: weeks}", "{min: 27, max: 28, unit: weeks}"))
    proc = build(project)
    assert proc.returncode != 0 and "Traceback" not in proc.stderr
    assert "index.md:" in proc.stderr and "credits different numbers of 'cerclage.removal'" in proc.stderr, proc.stderr
    assert "<!-- values: cerclage.removal -->" in proc.stderr
    (project / "docs" / "index.md").write_text((project / "docs" / "index.md").read_text().replace(
        merged, "<!-- values: cerclage.removal -->"))
    proc = build(project)
    assert proc.returncode == 0, proc.stderr
    line = html(project / "site", "index.html").find(string=lambda s: "says one source" in s)
    assert line is not None and "says another" in line.parent.get_text()


def test_where_sources_differ_and_no_editor_weighed_it_the_box_and_the_map_say_so(tmp_path):
    """The class of a question where the sources differ (disagree, leave something out, or differ a little: two
    lists of signs) with no resolution yet (`check` lets a variation wait for its editor): its box says it is
    not yet checked against current guidance and sends the reader to a doctor, and the map's guidance column
    says "not yet checked", never "the guidance we use is silent" (review 127 S3: "Which treatments does each
    source describe?" had neither a word on guidance nor "ask your doctor")."""
    project = make_site(tmp_path, PAGE + "\n<!-- sources: symptoms.list -->\n\n<!-- disagreements: all -->\n")
    proc = build(project)
    assert proc.returncode == 0, proc.stderr
    soup = html(project / "site", "index.html")
    block = soup.find(id="topic-symptoms-list")
    assert block.summary.get_text(" ", strip=True) == "Sources differ a little."
    said = " ".join(block.get_text(" ", strip=True).split())
    assert "not yet checked this against current guidance" in said and "ask your doctor" in said, said
    assert "What we make of it" not in said
    row = next(r for r in soup.select("figure.ci-map g.ci-map__row") if r.a.get_text() == "Which signs?")
    assert row.select_one("svg.ci-map__guidance > title").get_text() == "Current guidance: not yet checked against guidance"
    # a question an editor has weighed keeps its own words (the conflict on the same page)
    removal = " ".join(soup.find(id="topic-cerclage-removal").get_text(" ", strip=True).split())
    assert "What we make of it" in removal and "not yet checked" not in removal


@pytest.mark.parametrize("differ, why", [
    (1, "a source differs from current guidance on this"),
    (2, "some sources differ from current guidance on this"),
])
def test_a_question_where_sources_are_behind_guidance_says_so_with_its_guidance(tmp_path, differ, why):
    """The class of "Where current guidance differs" that names no withdrawn or discouraged treatment (the site's
    data may hold none of it at a given time): its question to ask says how many sources differ, in the words of
    the mark beside them, and cites the guidance they differ from, on the Questions list and on the sheet."""
    from reconcile import review

    project = make_site(tmp_path, PAGE + "\n<!-- questions: all -->\n\n<!-- questions: sheet -->\n")
    resolutions = project / "data" / "resolutions" / "main.yaml"
    text = resolutions.read_text(encoding="utf-8")
    text = text.replace('differs: {"900": [guidance.cerclage-removal]}',
                        'differs: {"900": [guidance.cerclage-removal]}\n    outdated: true')
    if differ == 2:
        claims = project / "data" / "claims" / "main.yaml"
        claims.write_text(claims.read_text().replace("{min: 35, max: 37, unit: weeks}", "{min: 26, max: 28, unit: weeks}"))
        text = text.replace('supports: {"901": [guidance.cerclage-removal]}', "supports: {}") \
                   .replace('differs: {"900": [guidance.cerclage-removal]}',
                            'differs: {"900": [guidance.cerclage-removal], "901": [guidance.cerclage-removal]}')
    resolutions.write_text(text, encoding="utf-8")
    review.record(project / "data", None)
    minidata.write_record(project / "data", project / "archive")
    proc = build(project)
    assert proc.returncode == 0, proc.stderr
    lists = html(project / "site", "index.html").select(".ci-questions")
    assert len(lists) == 2
    for questions in lists:
        item = next(li for li in questions.select("li") if "When is the stitch taken out?" in li.get_text())
        said = " ".join(item.get_text(" ", strip=True).split())
        assert why in said and "ACOG PB 142" in said, said
        assert "current guidance differs)" not in said, said   # never the bare group, which says no way
