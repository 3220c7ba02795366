"""update-source ID FILE: a publisher revised a page; archive the new copy and see what changed.

Nothing is lost: the old copy stays in the archive, and the source's entry gets the new ``file``,
``sha256`` and ``saved`` with the old ones added to its ``history``. Every claim of the source is
verified against the new text; a quote that is gone fails ``check`` (with the nearest passage)
until an editor deals with it. The report says which quotes are still found, which are gone,
which numbers appeared or vanished, and which resolutions to review.

Writes, under the data folder's lock, in this order: the new archive copy (content-addressed; a
rerun after a kill adopts it), then sources.yaml. A kill between the two leaves a copy no entry
names, which ``check`` reports; Ctrl-C or a failure takes back what was written.
"""
from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path

from .atomic import writing
from .discover import Discovery, Layout, Vocabulary, scan
from .load import load_project
from .model import Project
from .newsource import archive_copies, normalise, read_new_text
from .phrases import mentions
from .quotes import archive_file, fold, nearest_passage
from .yamlentry import edit_entry
from .yamlfile import InputError, read_limited
from . import guidance


def update_source(sid: str, path: Path, data_dir: Path, archive: Path, url: str | None = None,
                  saved: str | None = None) -> str:
    new = read_new_text(path)
    sources = data_dir / "sources.yaml"
    with writing(data_dir, also=(archive,)) as changes:
        project = load_project(data_dir)
        source = project.sources.get(sid)
        if source is None:
            raise InputError(sources, 0, f"unknown source {sid!r} (known: {', '.join(project.sources)})")
        old_raw = read_limited(archive_file(archive, source.file, source.where), what="archive file")
        if hashlib.sha256(old_raw).hexdigest() != source.sha256:
            raise InputError(source.where.path, source.where.line,
                             f"source {sid}: {source.file} does not match its recorded sha256; restore the archive first")
        old_text = old_raw.decode("utf-8", "replace")
        hit = archive_copies(project, archive).get(normalise(new.text))
        if hit is not None:
            other, current = hit
            what = "the current copy" if current else "an earlier copy"
            raise InputError(path, 0, f"this text is {what} of source {other.id} (spacing, quote marks, dashes, case and "
                                      "Unicode forms aside); nothing to update")
        file = f"{sid}_{new.digest[:16]}.txt"
        target = archive / file
        if not (target.exists() and target.read_bytes() == new.raw):  # else: a killed run's copy, adopted
            changes.create(target, new.raw)
        sets = {"file": file, "sha256": new.digest, "saved": saved or new.saved}
        if url or new.url:
            sets["url"] = url or new.url
        history = {"file": source.file, "sha256": source.sha256, "saved": source.saved}
        changes.replace(sources, edit_entry(sources, sources.read_text(encoding="utf-8"), "sources", ("id", sid),
                                            sets, {"history": history}))
        after = load_project(data_dir)
    return report(after, sid, source.file, file, old_text, new.text) + "".join(f"note: {n}\n" for n in new.notes)


def report(project: Project, sid: str, old_file: str, new_file: str, old_text: str, new_text: str) -> str:
    claims = sorted((c for c in list(project.claims.values()) + project.drafts if c.source == sid), key=lambda c: c.id)
    folded = fold(new_text)
    found = [c for c in claims if fold(c.quote) in folded]
    gone = [c for c in claims if fold(c.quote) not in folded]
    out = [f"updated source {sid}: {old_file} -> {new_file} (the old copy stays in the archive; see history in sources.yaml)",
           "", f"quotes still found: {len(found)}" + (f" ({', '.join(c.id for c in found)})" if found else ""),
           f"quotes gone: {len(gone)}" + (" (check fails until each is dealt with: fix the quote, or remove the claim)" if gone else "")]
    for c in gone:
        out += [f"  {c.id} ({c.where}): \"{c.quote}\"", f"    nearest passage: \"{nearest_passage(new_text, c.quote)}\""]
    # A number is the same when the same words stand in the same sentence; the others appeared (or
    # vanished). So a new "week 16" in a new sentence is the new one, at its place in the new text,
    # even when the old text had a "week 16" elsewhere. Only quotes found in the new text cover.
    old_layout = Layout(old_text)
    before = Counter((fold(m.text), fold(old_text[slice(*old_layout.sentence(m.core_start))])) for m in mentions(old_text))
    discovery = Discovery([])
    scan(project, sid, new_file, new_text, found, [d for d in project.dismissed if d.source == sid],
         Vocabulary(project), discovery)
    new_layout, kept, appeared = Layout(new_text), Counter(before), []
    for f in discovery.found:
        key = (fold(f.mention.text), fold(new_text[slice(*new_layout.sentence(f.mention.core_start))]))
        if kept[key] > 0:
            kept[key] -= 1
        else:
            appeared.append(f)
    vanished = Counter({text: 0 for text, _ in kept})
    for (text, _), n in kept.items():
        vanished[text] += n
    vanished = +vanished
    out += ["", f"numbers that appeared: {len(appeared)}"]
    review_topics: dict[str, str] = {c.topic: f"the quote of {c.id} is gone" for c in gone if c.topic in project.resolutions}
    for f in appeared:
        s = f.suggestion
        line = f"  {f.line}:{f.col} \"{f.mention.text}\"" + (f" covered by {', '.join(f.covered_by)}" if f.covered_by else
                                                            f" likely topic {s.topic}" if s else " no likely topic")
        out.append(line)
        if s and s.warning:
            out.append(f"    WARNING: {s.warning}")
        if s and s.beyond:
            out.append(f"    NOTE: {s.beyond}; a typo in the text?")
        elif s and s.topic in project.topics:
            out += [f"    GUIDANCE: {n}" for n in guidance.notes_for(project, s.topic, s.value)]
        if s and s.topic in project.resolutions:
            review_topics.setdefault(s.topic, f"\"{f.mention.text}\" appeared and may belong to it")
    out.append(f"numbers that vanished: {sum(vanished.values())}" +
               (" (" + ", ".join(f'"{k}"' + (f" x{n}" if n > 1 else "") for k, n in sorted(vanished.items())) + ")" if vanished else ""))
    for t in discovery.treatments:
        out.append(f"GUIDANCE {t.line}:{t.col} \"{t.term}\": {t.message}")
    out += ["", f"resolutions to review: {len(review_topics)}"]
    for tid, why in sorted(review_topics.items()):
        out.append(f"  {tid} ({project.resolutions[tid].where}): {why}; then `disagreements.py review {tid}`")
    out += ["", "next: deal with each gone quote and each new number; then record the quotes verified against the new "
                "copy (data/verified.lock names the old one): `disagreements.py check --update-lock`; then `make check`."]
    return "\n".join(out) + "\n"
