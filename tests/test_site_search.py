"""Search in patients' words, in Chromium, on the offline zip (opened from file://).

Each query is typed into Material's search box as a patient would; the pages of the
first three results are read from the result list. Safety queries must put "When to
get help now" first; every other query must find one of its pages in the top 3; the
glossary never comes before a content page. The accuracy is printed (run with -s).
"""
from __future__ import annotations

import pytest

HELP = "help-now.html"
CERCLAGE = "treatment/cerclage.html"
WHAT = "about/what-is-it.html"
PROGESTERONE = "treatment/progesterone.html"
MONITORING = "treatment/monitoring.html"
DIAGNOSIS = "about/diagnosis.html"
SYMPTOMS = "about/symptoms.html"
CAUSES = "about/causes.html"
BED_REST = "treatment/bed-rest.html"
TWINS = "twins.html"
COPING = "after-a-loss/coping.html"
NEXT = "after-a-loss/next-pregnancy.html"
HEALTHY = "after-a-loss/healthy-pregnancy.html"
TREATMENT = "treatment/index.html"

# Safety: "When to get help now" must be the first result.
SAFETY = ["when to go to the hospital", "hospital", "emergency", "A&E", "ER", "bleeding", "heavy bleeding",
          "waters broke", "waters breaking", "leaking fluid", "contractions", "pain", "cramps", "cramping"]

# Everyday words, misspellings, UK and US words -> the pages that answer them (one must be in the top 3).
QUERIES = {
    "stitch": [CERCLAGE], "stich": [CERCLAGE], "cerclage": [CERCLAGE], "cerclage removal": [CERCLAGE],
    "when is the stitch taken out": [CERCLAGE], "cervical stitch": [CERCLAGE],
    "incompetent cervix": [WHAT], "incompetant cervix": [WHAT], "weak cervix": [WHAT],
    "cervical insufficiency": [WHAT], "cervix opening early": [WHAT],
    "cervical length": [MONITORING, DIAGNOSIS], "short cervix": [WHAT, MONITORING],
    "scan": [MONITORING, DIAGNOSIS], "ultrasound": [MONITORING, DIAGNOSIS],
    "progesterone": [PROGESTERONE], "progesteron": [PROGESTERONE], "makena": [PROGESTERONE],
    "shots": [PROGESTERONE], "injections": [PROGESTERONE], "pessaries": [PROGESTERONE],
    "bed rest": [BED_REST], "bedrest": [BED_REST], "exercise": [BED_REST], "sex": [BED_REST],
    "twins": [TWINS], "multiples": [TWINS], "triplets": [TWINS],
    "miscarriage": [COPING, WHAT], "lost my baby": [COPING], "my fault": [COPING],
    "pregnant again": [NEXT], "next pregnancy": [NEXT],
    "causes": [CAUSES], "why did this happen": [CAUSES], "cone biopsy": [CAUSES],
    "symptoms": [SYMPTOMS], "spotting": [SYMPTOMS, HELP], "pelvic pressure": [SYMPTOMS], "discharge": [SYMPTOMS],
    "diagnosis": [DIAGNOSIS], "how is it diagnosed": [DIAGNOSIS],
    "treatment": [TREATMENT], "healthy pregnancy": [HEALTHY], "smoking": [HEALTHY],
    "labour": [HELP, CERCLAGE],
    # Several words at once, as people ask.
    "stitch with twins": [TWINS, CERCLAGE], "progesterone for twins": [PROGESTERONE, TWINS],
    "weak cervix next pregnancy": [NEXT], "ultrasound cervical length": [MONITORING, DIAGNOSIS], "gynaecologist": [HELP, DIAGNOSIS], "midwife": [HELP],
}

WAIT_FOR_RESULTS = """async () => {
    // Results arrive while the worker catches up: wait until the list stops changing.
    const state = () => (document.querySelector('.md-search-result__meta')?.textContent ?? '') +
        (document.querySelector('.md-search-result__list')?.innerHTML ?? '');
    let last = null, same = 0;
    for (let i = 0; i < 100 && same < 4; i++) {
        await new Promise(r => setTimeout(r, 100));
        const now = state();
        same = (now === last && !/^(Type to start|Initializing)/.test(now)) ? same + 1 : 0;
        last = now;
    }
    return [...document.querySelectorAll('.md-search-result__item > a.md-search-result__link')]
        .map(a => a.getAttribute('href'));
}"""


def _page_of(href: str, folder) -> str:
    """'file:///.../cervical-insufficiency-offline/treatment/cerclage.html?h=stitch#x' -> 'treatment/cerclage.html'."""
    path = href.split("#")[0].split("?")[0]
    return path.split(folder.name + "/", 1)[-1]


@pytest.fixture(scope="module")
def search(offline_dir, browser):
    context = browser.new_context()
    page = context.new_page()
    page.goto((offline_dir / "index.html").as_uri())
    box = page.locator("input.md-search__input")
    results = {}

    def run(query: str) -> list[str]:
        if query not in results:
            box.click()
            box.fill("")
            page.keyboard.type(query, delay=10)  # Material searches on key events, as a person types
            pages = []
            for href in page.evaluate(WAIT_FOR_RESULTS):
                name = _page_of(href, offline_dir)
                if name not in pages:
                    pages.append(name)
            results[query] = pages
        return results[query]

    yield run
    context.close()


def test_search_accuracy(search):
    misses = []
    for query in SAFETY:
        top = search(query)[:3]
        if not top or top[0] != HELP:
            misses.append(f"safety {query!r}: {top}")
    for query, pages in QUERIES.items():
        top = search(query)[:3]
        if not set(pages) & set(top):
            misses.append(f"{query!r}: want one of {pages}, got {top}")
        elif "glossary.html" in top and top.index("glossary.html") < min(top.index(p) for p in pages if p in top):
            misses.append(f"{query!r}: the glossary comes before {pages}")
    total = len(SAFETY) + len(QUERIES)
    print(f"\nsearch: {total - len(misses)}/{total} queries right "
          f"({100 * (total - len(misses)) / total:.0f} % top-3 accuracy, safety queries first)")
    assert total >= 40
    assert not misses, "\n".join(misses)
