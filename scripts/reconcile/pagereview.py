"""What each page's own sentences were last read against: the record ``data/pages.lock``.

A page's sentences restate claims and guidance facts, and count the sources ("Three sources put
it near the end of pregnancy"), with ``<!-- cite: ID, ID -->`` after them. The evidence blocks
follow the data by themselves; these sentences do not. So the record keeps, for each page in
docs/ and includes/, a fingerprint of every topic and guidance fact it cites, as they were when
an editor last read the page: for a topic, its claims' fingerprints (``review.weighed_now``: the
value and quote of each source's claim), so a claim that joins, leaves or changes makes the pages
citing that topic stale; for a guidance fact, what it says and the range or status it states, and
the claims on the topics it speaks to (a page citing only the fact may count the sources there).
``check`` names each stale page, the lines citing what changed, and the command to run after
reading them again: ``disagreements.py review --pages [PAGE ...]`` (every page when none is named),
which rewrites the record under the data folder's lock.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

from .atomic import writing
from .load import load_project
from .model import Project, value_json
from .pages import SHORTCODE, cite_keys, page_files, page_text
from .review import weighed_now
from .yamlfile import InputError, read_json

NAME = "pages.lock"
FOLDERS = ("docs", "includes")  # the pages, and the snippets pages include
ABOUT = ("What each page's sentences were last read against: for every topic and guidance fact a page cites, "
         "a fingerprint of its claims (or of the fact). Written by `scripts/disagreements.py review --pages`; "
         "do not edit.")
COMMAND = "`disagreements.py review --pages {page}`"


def cited(text: str) -> dict[str, list[int]]:
    """The topics and guidance facts a page's ``cite`` shortcodes name, each with its line numbers."""
    out: dict[str, list[int]] = {}
    for m in SHORTCODE.finditer(text):
        if m.group(1) == "cite":
            line = text.count("\n", 0, m.start()) + 1
            for key in cite_keys(m.group(2)):
                lines = out.setdefault(key, [])
                if line not in lines:
                    lines.append(line)
    return out


def pages(root: Path) -> dict[str, Path]:
    """Every page and snippet under ``root`` (the project), by its path relative to ``root``."""
    return {path.relative_to(root).as_posix(): path for folder in FOLDERS for path in page_files(root / folder)}


def cited_pages(known: dict[str, Path]) -> dict[str, dict[str, list[int]]]:
    """What each page cites (``cited``); a page that cites nothing is left out."""
    found = {page: cited(page_text(path)) for page, path in known.items()}
    return {page: keys for page, keys in found.items() if keys}


def fingerprint(project: Project, key: str) -> str:
    """8 hex of the sha256 of what a page citing ``key`` restates (see the module's docstring)."""
    if key.startswith("guidance."):
        # what the fact says, and the claims on the topics it speaks to: a page citing only the fact often
        # counts the sources on its topic ("Three of the sources still describe them")
        fact = project.guidance.get(key)
        what = None if fact is None else [" ".join(fact.says.split()), value_json(fact.value) if fact.value else None,
                                          fact.status, {t: weighed_now(project, t) for t in fact.topics}]
    else:
        what = weighed_now(project, key)
    return hashlib.sha256(json.dumps(what, sort_keys=True, ensure_ascii=False).encode("utf-8")).hexdigest()[:8]


def read_record(data_dir: Path) -> dict[str, dict[str, str]]:
    """The record's entries by page; empty when there is no record. Bad form: InputError."""
    path = Path(data_dir) / NAME
    if not path.exists():
        return {}
    fix = "run `scripts/disagreements.py review --pages` to write it again"
    doc, raw = read_json(path, "page review record", fix)
    entries = doc.get("pages") if isinstance(doc, dict) else None
    if not isinstance(entries, dict):
        raise InputError(path, 1, f"the record has no 'pages' mapping; {fix}")
    for page, weighed in entries.items():
        if not (isinstance(weighed, dict) and all(isinstance(v, str) for v in weighed.values())):
            at = raw.find(json.dumps(page).encode("utf-8"))
            raise InputError(path, raw[:max(at, 0)].count(b"\n") + 1,
                             f"the entry of {page!r} is not in the record's form; {fix}")
    return entries


def record_text(entries: dict[str, dict[str, str]]) -> str:
    """JSON with one page a line, so that a review shows as a one-line diff."""
    lines = [f"    {json.dumps(page)}: {json.dumps(entries[page], sort_keys=True)}" for page in sorted(entries)]
    return '{\n  "about": ' + json.dumps(ABOUT) + ',\n  "pages": {\n' + ",\n".join(lines) + "\n  }\n}\n"


def _lines(numbers: list[int]) -> str:
    return f"line {numbers[0]}" if len(numbers) == 1 else "lines " + ", ".join(map(str, numbers))


def stale(project: Project, root: Path) -> list[str]:
    """``check``'s problems: each cited topic or guidance fact that changed since its page was reviewed."""
    found = cited_pages(pages(root))
    if not found:
        return []
    record, out = read_record(project.data_dir), []
    for page, keys in found.items():
        command = COMMAND.format(page=page)
        if page not in record:
            first = next(iter(keys.values()))[0]  # in the order the page cites them
            out.append(f"{root / page}:{first}: the page cites {len(keys)} topics and guidance facts, and no review "
                       f"of it is recorded; read it against them, then run {command}")
            continue
        for key, lines in keys.items():
            what = f"guidance fact {key}" if key.startswith("guidance.") else f"topic {key}"
            if key not in record[page]:
                change = "which the page's last review did not weigh"
            elif record[page][key] != fingerprint(project, key):
                change = "which changed since the page was reviewed"
                if not key.startswith("guidance."):
                    sources = ", ".join(weighed_now(project, key)) or "none"
                    change += f" (a claim joined, left or changed; its claims now come from sources {sources})"
                elif key in project.guidance and project.guidance[key].topics:
                    on = "; ".join(f"{t}: sources {', '.join(weighed_now(project, t)) or 'none'}"
                                   for t in project.guidance[key].topics)
                    change += (f" (what it says, or a claim on the topics it speaks to, which now come from {on}; "
                               "a sentence counting those sources may be out of date)")
            else:
                continue
            out.append(f"{root / page}:{lines[0]}: the page cites {what} ({_lines(lines)}), {change}; "
                       f"read those lines again, then run {command}")
    return out


def _chosen(root: Path, known: dict[str, Path], names: list[str]) -> list[str]:
    if not names:
        return list(known)
    chosen = []
    for name in names:
        path = Path(name)
        path = (path if path.is_absolute() else Path.cwd() / path).resolve()
        page = next((p for p, f in known.items() if f.resolve() == path), None)
        if page is None:
            raise InputError(Path(name), 0, f"not a page of this project (a .md file under {'/ or '.join(FOLDERS)}/ "
                                            f"of {root}); nothing recorded")
        chosen.append(page)
    return chosen


def record(data_dir: Path, names: list[str]) -> list[str]:
    """Record that the pages named (all when none is) were read against the data as it is now."""
    data_dir = Path(data_dir)
    root = data_dir.parent
    with writing(data_dir) as changes:
        project = load_project(data_dir)
        known = pages(root)
        chosen = _chosen(root, known, names)
        found = cited_pages(known)
        entries = {page: weighed for page, weighed in read_record(data_dir).items() if page in found}
        done = []
        for page in chosen:
            keys = found.get(page, {})
            entries[page] = {key: fingerprint(project, key) for key in keys}
            if keys or names:
                done.append(f"{page}: weighed the {len(keys)} topics and guidance facts it cites" if len(keys) != 1
                            else f"{page}: weighed the topic or guidance fact it cites")
        changes.replace(data_dir / NAME, record_text({page: weighed for page, weighed in entries.items() if weighed}))
    return done
