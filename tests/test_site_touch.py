"""Readable and tappable on a phone (390 x 844, Chromium): every link, button and summary a reader
can tap has a touch area of at least 44 x 44 px (hits 21 px from its middle, every way, land on it),
in the page and in the open navigation drawer; the "Get help now" box reads at body size.

A link inside a sentence is the one exception (WCAG 2.5.8, "inline"): lines are 26 px apart, so a
44 px area round it would take the taps meant for what is above and below. The citation numbers
are not excepted: they are the marks a reader taps to see where a fact comes from (two of them on
neighbouring lines share the space between them)."""
from __future__ import annotations

import pytest

from bench.phone import PHONE, patient_pages

# For each visible target (its middle is on it), the points 21 px left, right, above and below its
# middle: a point that lands on anything else is a touch area under 44 px.
SMALL_TARGETS = r"""scope => {
  const out = [];
  const root = document.querySelector(scope);
  const targets = [...root.querySelectorAll('a[href], button, summary, label[for], select, textarea, input:not([type=hidden]):not([type=checkbox]):not([type=radio])')];
  for (const e of targets) {
    if (!e.getClientRects().length) continue;
    e.scrollIntoView({block: 'center', inline: 'center'});
    const r = e.getClientRects()[0];  // a link that wraps: its first line
    const x = r.left + r.width / 2, y = r.top + r.height / 2;
    const mid = document.elementFromPoint(x, y);
    if (!mid || !(mid === e || e.contains(mid))) continue;  // not shown here (off-canvas, folded, covered)
    const block = e.closest('p, li, td, th, dd, blockquote, figcaption');
    const inSentence = e.tagName === 'A' && block && !e.closest('sup.ci-ref, .ci-references')
      && block.innerText.replace(e.innerText, '').replace(/[\s,.:;()\[\]]/g, '').length > 2;
    if (inSentence) continue;
    const on = (dx, dy) => {
      if (x + dx < 0 || x + dx >= innerWidth || y + dy < 0 || y + dy >= innerHeight) return true;  // off the screen: no finger there
      const h = document.elementFromPoint(x + dx, y + dy);
      // two citation numbers on neighbouring lines share the space between them
      const shared = e.closest('sup.ci-ref') && h && h.closest('sup.ci-ref');
      return h && (h === e || e.contains(h) || shared);
    };
    if (![[-21, 0], [21, 0], [0, -21], [0, 21]].every(([dx, dy]) => on(dx, dy)))
      out.push(`${e.tagName.toLowerCase()} "${(e.innerText || e.getAttribute('aria-label') || '').trim().slice(0, 40)}" ${Math.round(r.width)}x${Math.round(r.height)}`);
  }
  return out;
}"""


@pytest.fixture(scope="module")
def phone(browser):
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    yield context.new_page()
    context.close()


def _pages(site):
    return patient_pages(site) + ["disagreements/", "sources/000/"]


def test_every_target_on_every_page_is_44_px(hosted, phone):
    small = []
    for rel in _pages(hosted.dir):
        phone.goto((hosted.dir / rel / "index.html").as_uri())
        small += [f"{rel or 'home'}: {s}" for s in phone.evaluate(SMALL_TARGETS, "body")]
        phone.evaluate("document.querySelectorAll('article details').forEach(d => d.open = true)")
        small += [f"{rel or 'home'} (opened): {s}" for s in phone.evaluate(SMALL_TARGETS, "article")]
    assert not small, "\n".join(sorted(set(small)))


def test_navigation_drawer_rows_are_44_px(hosted, phone):
    phone.goto((hosted.dir / "treatment" / "cerclage" / "index.html").as_uri())
    phone.locator("label.md-header__button[for=__drawer]").tap()
    phone.wait_for_timeout(400)  # the drawer slides in
    small = phone.evaluate(SMALL_TARGETS, "nav.md-nav--primary")
    assert phone.evaluate("document.querySelectorAll('nav.md-nav--primary a.md-nav__link').length") > 10
    assert not small, "\n".join(small)


def test_help_box_text_is_body_size(hosted, phone):
    phone.goto((hosted.dir / "treatment" / "cerclage" / "index.html").as_uri())
    sizes = phone.evaluate("""() => [document.querySelector('article > p'),
        document.querySelector('article .admonition.danger p:not(.admonition-title)')].map(p => getComputedStyle(p).fontSize)""")
    assert sizes[0] == sizes[1] and float(sizes[0].rstrip("px")) >= 16, sizes
