"""The report as text, Markdown and CSV (JSON is the report itself)."""
from __future__ import annotations

import csv
import hashlib
import io
import re
from pathlib import PurePath

from .model import STATUSES


def _values(topic: dict) -> str:
    return "; ".join(f"{c['source']} {c['label']}" for c in topic["claims"])


def _summary_lines(report: dict) -> list[str]:
    s = report["summary"]
    counts = ", ".join(f"{s['statuses'][k]} {k}" for k in STATUSES)
    q = s["quotes"]
    lines = [
        f"{s['sources']} sources, {s['topics']} topics, {s['claims']} claims ({s['drafts']} drafts)",
        f"topics: {counts}",
        f"unresolved: {s['unresolved']}; sources agree but guidance differs: {s['outdated']}",
        f"quotes: {q['verified']} verified, {q['failed']} failed, {q['unverified']} not checked"
        + ("" if s["archive"] else f" (no archive: {q.get('record', 0)} of them verified from data/verified.lock)"),
    ]
    m = s.get("mentions")
    if m:
        lines.append(f"numbers in the archive: {m['total']}; covered by a claim: {m['covered']} "
                     f"({100 * m['coverage']:.1f}%); dismissed: {m['dismissed']}; not covered: {m['uncovered']}"
                     + (f"; in drafts: {m['drafted']}" if m["drafted"] else ""))
    return lines


def text(report: dict) -> str:
    rows = [("TOPIC", "STATUS", "RESOLVED", "WHAT EACH SOURCE SAYS")]
    order = {s: i for i, s in enumerate(STATUSES)}
    for t in sorted(report["topics"], key=lambda t: (order[t["status"]], t["id"])):
        status = t["status"] + (f" ({t['basis']})" if t.get("basis") else "") + (" *" if t["outdated"] else "")
        rows.append((t["id"], status, "yes" if t["resolved"] else "NO", _values(t)))
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    out = ["  ".join(r[i].ljust(widths[i]) for i in range(3)) + "  " + r[3] for r in rows]
    out.append("(* the sources agree with each other, but current guidance differs)")
    problems = report["summary"]["problems"]
    if problems:
        out.append("")
        out.append(f"{len(problems)} problem(s):")
        out.extend(f"- {p}" for p in problems)
    out.append("")
    out.extend(_summary_lines(report))
    out.append("check: OK" if report["summary"]["ok"] else "check: FAILED")
    return "\n".join(out) + "\n"


_MARKDOWN = re.compile(r"([\\`*_\[\]#!|~>])")


def _md(text: str) -> str:
    """Data as Markdown text: every character Markdown could read as markup escaped (no link, image, emphasis,
    heading or table cell comes from the data), < and & as entities."""
    return _MARKDOWN.sub(r"\\\1", text.replace("&", "&amp;").replace("<", "&lt;"))


# A cell a spreadsheet would read as a formula (OWASP "CSV injection"): it starts with = + - @, a tab or a
# carriage return, maybe after spaces. Such a cell gets a leading apostrophe, which spreadsheets show as text.
_FORMULA = re.compile(r"^[\s]*[=+\-@\t\r\uff1d\uff0b\uff0d\uff20]")


def _cell(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if _FORMULA.match(text) else text


def _csv(header: list[str], rows) -> str:
    """CSV text with every cell neutralised (``_cell``): the published exports open safely in a spreadsheet."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows([_cell(v) for v in row] for row in rows)
    return buf.getvalue()


def markdown(report: dict) -> str:
    out = ["# Where the sources disagree", ""]
    out += [f"- {line}" for line in _summary_lines(report)]
    out += ["", "| Topic | Question | Status | Resolved | What each source says |", "|---|---|---|---|---|"]
    order = {s: i for i, s in enumerate(STATUSES)}
    for t in sorted(report["topics"], key=lambda t: (order[t["status"]], t["id"])):
        status = t["status"] + (" (guidance differs)" if t["outdated"] else "")
        out.append(f"| `{t['id']}` | {_md(t['question'])} | {status} | {'yes' if t['resolved'] else '**no**'} | {_md(_values(t))} |")
    if report["summary"]["problems"]:
        out += ["", "## Problems", ""] + [f"- {_md(p)}" for p in report["summary"]["problems"]]
    return "\n".join(out) + "\n"


def guidance_mark(claim: dict) -> str:
    """A claim's guidance mark in one word, as the pages show it: a treatment it names that guidance
    withdrew or advises against makes it differ where that fact speaks to its question (report.claim_names);
    elsewhere it is a note (claims.csv's guidance_note: the facts, report.claim_notes), not a mark. "open": guidance
    leaves the question open, so it does not back the answer; "uncompared": the answer cannot be weighed against it."""
    level = (claim["mark"] or {}).get("level")
    if claim.get("names"):
        return "differs"
    return level if level in ("matches", "partly", "differs", "open", "uncompared") else ""


def mark_guidance(claim: dict) -> list[str]:
    return [*(claim["mark"] or {}).get("guidance", []), *(n["guidance"] for n in claim.get("names", []))]


QUOTE_PLACE = ["excerpt", "quote_words", "quote_sha256", "evidence"]


def excerpted(report: dict, evidence=lambda topic, claim: "") -> dict:
    """The report as it is published: each claim's quote (other people's words) gives way to its place, the
    words of it the site shows (``shown``: fewer than eight, excerpt.py), its length in words and its sha256 (to find it in the archive text
    and the local report) and ``evidence(topic, claim)``, the address where the site shows it as evidence.
    The full report, quotes and all, stays local (``disagreements.py --format json``)."""
    def place(t: dict, c: dict) -> dict:
        words = c["quote"].split()
        out = {k: v for k, v in c.items() if k != "quote"}
        out.update(excerpt=c["shown"],
                   quote_words=len(words), quote_sha256=hashlib.sha256(c["quote"].encode("utf-8")).hexdigest(),
                   evidence=evidence(t, c) or "")
        return out
    summary = dict(report["summary"])
    if summary.get("archive"):  # the archive's folder name: never a path on the machine that built the site
        summary["archive"] = PurePath(summary["archive"]).name
    return dict(report, summary=summary, topics=[dict(t, claims=[place(t, c) for c in t["claims"]]) for t in report["topics"]])


def claims_csv(report: dict) -> str:
    """One row a claim; the local report's rows carry its quote, the published (``excerpted``) rows its place."""
    quoted = all("quote" in c for t in report["topics"] for c in t["claims"])
    where = ["quote"] if quoted else QUOTE_PLACE
    return _csv(["claim", "source", "topic", "question", "status", "value", "says", *where, "verified", "implied",
                 "guidance_mark", "guidance", "guidance_note"],
                ([c["id"], c["source"], t["id"], t["question"], t["status"], c["label"], c["says"],
                  *(str(c[k]) for k in where),
                  "" if c["verified"] is None else str(c["verified"]).lower(), str(c["implied"]).lower(),
                  guidance_mark(c), " ".join(mark_guidance(c)), " ".join(n["guidance"] for n in c.get("notes", []))]
                 for t in report["topics"] for c in t["claims"]))


def findings_csv(report: dict) -> str:
    """One row a question. ``cite``: the documents its resolution cites; ``guidance`` and ``guidance_cite``: all the
    guidance we use on the question (the facts filed on it and those its resolution cites) and their documents."""
    return _csv(["topic", "question", "status", "resolved", "guidance_differs", "sources", "resolution", "cite",
                 "guidance", "guidance_cite"],
                ([t["id"], t["question"], t["status"], str(t["resolved"]).lower(),
                  str(t["outdated"] or any(guidance_mark(c) == "differs" for c in t["claims"])).lower(),
                  " ".join(c["source"] for c in t["claims"]), (t["resolution"] or {}).get("short", ""),
                  "; ".join((t["resolution"] or {}).get("cite", [])), " ".join(t["guidance"]),
                  "; ".join(t["guidance_cite"])] for t in report["topics"]))
