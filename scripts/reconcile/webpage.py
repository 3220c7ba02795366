"""A saved web page -> the words a reader of it saw (add-source and update-source).

Three steps, offline:

1. **Decode.** Bytes that are valid UTF-8 are UTF-8, whatever the page declares (a cp1252 page's bytes
   almost never are). Otherwise the page's own declaration, if it names a real charset that decodes the
   bytes, else charset-normalizer's reading, preferring windows-1252 (a browser's fallback for a
   Western page, as HTML's encoding rules say) when it reads the bytes as well as the best guess. A page
   declaring UTF-8 whose bytes are not is read that way and *noted*, never archived as mojibake.
2. **What shows.** Elements a browser does not show are dropped before the text is taken: the ``hidden``
   attribute, ``<template>``, an inline ``style`` with ``display: none``, ``visibility: hidden`` or
   ``content-visibility: hidden``, and elements that a rule of the page's own ``<style>`` hides that way
   (selectors matched with cssselect2, as WeasyPrint does).
3. **Main text** by trafilatura (menus, scripts and markup left out), and the address in the canonical link.
"""
from __future__ import annotations

import codecs
import logging
import re
from pathlib import Path

from .yamlfile import InputError

# A web address as the data keeps it: http(s), then printable ASCII without space, quote, <, >, backslash or
# backtick (no control or direction character, nothing that ends an attribute).
WEB_ADDRESS = re.compile(r"https?://[\x21\x23-\x3b\x3d\x3f-\x5b\x5d-\x5f\x61-\x7e]+")
_DECLARED = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_HIDING = re.compile(r"(?:^|;)\s*(?:display\s*:\s*none|visibility\s*:\s*(?:hidden|collapse)|content-visibility\s*:\s*hidden)"
                     r"\s*(?:!\s*important\s*)?(?=;|$)", re.I)


def _codec(name: str | None) -> str | None:
    try:
        return codecs.lookup(name).name if name else None
    except LookupError:
        return None


def decode(path: Path, raw: bytes) -> tuple[str, list[str]]:
    """The page's text and what the editor should know about how it was read."""
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError:
        pass
    m = _DECLARED.search(raw[:4096])
    declared = _codec(m.group(1).decode("ascii", "replace")) if m else None
    if declared and declared not in ("utf-8", "utf-16", "utf-32"):
        declared = "cp1252" if declared in ("latin-1", "iso8859-1", "ascii") else declared  # as browsers read them
        try:
            return raw.decode(declared), []
        except UnicodeDecodeError:
            pass
    import charset_normalizer

    results = list(charset_normalizer.from_bytes(raw))
    if not results:
        raise InputError(path, 0, "cannot tell how this web page's text is encoded; save it as UTF-8")
    best = results[0]
    western = any("cp1252" in map(_codec, r.could_be_from_charset) for r in results if r.chaos <= best.chaos + 0.02)
    encoding, text = ("cp1252", raw.decode("cp1252", "replace")) if western else (_codec(best.encoding) or best.encoding,
                                                                                 str(best))
    said = f"declares {m.group(1).decode('ascii', 'replace')}" if m else "declares no encoding"
    return text, [f"{path.name} {said}, but its bytes are not UTF-8: read as {encoding} (detected by charset-normalizer); "
                  "check a few accented letters and dashes in the archived text"]


def visible(html: str) -> str:
    """The page without what a browser would not show (see the module's step 2)."""
    import cssselect2
    import lxml.html
    import tinycss2
    from lxml import etree

    root = lxml.html.document_fromstring(_XML_DECLARATION.sub("", html, count=1))
    rules = []
    for style in root.iter("style"):
        for rule in tinycss2.parse_stylesheet(style.text or "", skip_comments=True, skip_whitespace=True):
            if rule.type == "qualified-rule" and _HIDING.search(tinycss2.serialize(rule.content).strip()):
                try:
                    rules.extend(cssselect2.compile_selector_list(rule.prelude))
                except cssselect2.SelectorError:
                    continue
    hidden = [el for el in root.iter(etree.Element)
              if el.get("hidden") is not None or el.tag == "template" or _HIDING.search(el.get("style") or "")]
    if rules:
        hidden += [w.etree_element for w in cssselect2.ElementWrapper.from_html_root(root).iter_subtree()
                   if any(rule.test(w) for rule in rules)]
    for el in hidden:
        if el.getparent() is not None:
            el.drop_tree()  # its tail, the text after it, stays
    return lxml.html.tostring(root, encoding="unicode")


def main_text(path: Path, raw: bytes) -> tuple[str, str | None, list[str]]:
    """The main text of a saved web page, its address if it names one (canonical link), and notes."""
    import trafilatura  # only for web pages: its import takes a quarter of a second

    html, notes = decode(path, raw)
    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)  # its warnings are not the editor's business
    try:
        doc = trafilatura.bare_extraction(visible(html), with_metadata=True, include_comments=False,
                                          include_tables=True, favor_recall=True)
    except Exception as exc:  # trafilatura and lxml wrap many errors; any of them is a page they cannot read
        raise InputError(path, 0, f"cannot read this web page ({exc.__class__.__name__}); save the page's text as .txt") from None
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if not text:
        raise InputError(path, 0, "no main text found in this web page; save the page's text as .txt")
    url = getattr(doc, "url", None)
    return text + "\n", url if url and WEB_ADDRESS.fullmatch(url) else None, notes
