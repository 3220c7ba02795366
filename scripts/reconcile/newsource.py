"""add-source: register a new archive text and draft its claims.

The input is a UTF-8 text file, or a saved web page (``.html``/``.htm``, or a file that starts
like HTML) whose main text trafilatura extracts (offline; markup never becomes "numbers").
A text already in the archive, current or earlier copy, is refused even if it differs only in
line endings, spacing, quote marks, dashes, case or Unicode forms (``normalise``).

Writes happen under the data folder's lock, each file replaced whole (``atomic``), in an order
that a kill at any moment leaves either nothing or a state that ``check`` names and a rerun of
the same command completes:

1. the text goes into the archive as ``NNN_<first 16 hex of its sha256>.txt`` (content-addressed:
   a rerun finds a copy with no entry and adopts it instead of making a second one);
2. a draft source entry is added to data/sources.yaml, with the fields an editor fills marked
   TODO and ``draft: true``;
3. data/claims/NNN.draft.yaml gets the candidate claims from discovery (a rerun that finds the
   draft entry without it writes it);
4. the data folder is loaded again; if that fails, or the command is interrupted (Ctrl-C),
   everything this run wrote is taken back.

Nothing an editor wrote is overwritten. Draft claims never reach the site, and check fails on
them (and on the TODO fields of the source) until an editor has reviewed them.
"""
from __future__ import annotations

import datetime
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import guidance, webpage
from .atomic import leftover_temps, writing, written_folders
from .discover import Discovery, Vocabulary, scan
from .suggest import CLOSE
from .load import load_project
from .model import Project, Source
from .quotes import INVISIBLE, archive_file, fold, verify
from .yamlfile import MAX_BYTES, InputError, read_limited

TODO = "TODO"
ARCHIVE_NAME = re.compile(r"^(\d{3})_([0-9a-f]{16})\.txt$")
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
MAX_TEXT_BYTES = 2_000_000  # a source's text (a saved page's main text): finding its numbers takes about 10 s a MB


@dataclass
class NewText:
    raw: bytes          # what goes into the archive
    text: str
    url: str | None     # the page's own address, when a saved web page names it
    saved: str          # the date the copy was saved: the file's modification date
    notes: list[str] = field(default_factory=list)  # how it was read (a page's encoding), for the editor

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.raw).hexdigest()


def normalise(text: str) -> str:
    """The text as compared for duplicates: folded as quotes are (``quotes.fold``: Unicode forms,
    every kind of space and line break as one space, curly quotes and dashes straightened,
    zero-width marks dropped, case). The same page saved again by another browser, or with its
    non-breaking spaces and curly quotes straightened by an editor, is the same text."""
    return fold(text)


def _looks_like_html(path: Path, raw: bytes) -> bool:
    if path.suffix.lower() in HTML_SUFFIXES:
        return True
    head = raw[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith((b"<!doctype html", b"<html"))


def read_new_text(path: Path) -> NewText:
    if not path.is_file():
        raise InputError(path, 0, "file not found (name the new text file, saved as UTF-8 plain text or a web page)")
    try:
        with open(path, "rb") as f:
            raw = f.read(MAX_BYTES + 1)  # a byte limit: a device or a huge file is not read whole
        mtime = path.stat().st_mtime
    except OSError as exc:
        raise InputError(path, 0, f"cannot read the file ({exc.strerror})") from None
    if len(raw) > MAX_BYTES:
        raise InputError(path, 0, f"the file is larger than {MAX_BYTES} bytes; such a source text is refused")
    saved = datetime.date.fromtimestamp(mtime).isoformat()
    url, notes = None, []
    if _looks_like_html(path, raw):
        text, url, notes = webpage.main_text(path, raw)
        raw = text.encode("utf-8")
    else:
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise InputError(path, raw[: exc.start].count(b"\n") + 1, "the file is not UTF-8 text; save it as UTF-8") from None
    if not text.strip():
        raise InputError(path, 1, "the file is empty")
    if len(raw) > MAX_TEXT_BYTES:
        raise InputError(path, 0, f"its text is {len(raw) / 1e6:.1f} MB, over the {MAX_TEXT_BYTES / 1e6:g} MB a source text "
                                  "may hold (a web page's main text is a few kilobytes): save only the page's own text")
    if "\x00" in text:  # the mark of a binary file or UTF-16; other control characters are read past (and noted)
        raise InputError(path, 0, "the file is not plain text (it holds NUL bytes)")
    return NewText(raw, text, url, saved, notes + ([invisible_note(text)] if invisible_note(text) else []))


def archive_copies(project: Project, archive: Path) -> dict[str, tuple[Source, bool]]:
    """Normalised text -> (source, is the current copy) for every archive file the entries name."""
    out = {}
    for source in project.sources.values():
        for file, current in [(h["file"], False) for h in source.history] + [(source.file, True)]:
            try:
                raw = read_limited(archive_file(archive, file, source.where), what="archive file")
            except InputError:
                continue  # a missing file, or one out of the archive, is check's business (it names it)
            out[normalise(raw.decode("utf-8", "replace"))] = (source, current)
    return out


def duplicate(project: Project, archive: Path, new: NewText, path: Path):
    """The source whose current copy is this text (None if none); an earlier copy is refused outright."""
    hit = archive_copies(project, archive).get(normalise(new.text))
    if hit is None:
        return None
    source, current = hit
    if not current:
        raise InputError(path, 0, f"this text is an earlier copy of source {source.id} (see its history in sources.yaml)")
    return source


def next_id(project: Project, archive: Path, data_dir: Path) -> str:
    taken = {int(s) for s in project.sources if s.isdigit()}
    n = max(taken, default=-1) + 1
    while n <= 999:
        sid = f"{n:03d}"
        if not any(archive.glob(f"{sid}_*")) and not any((data_dir / "claims").glob(f"{sid}.*")):
            return sid
        n += 1
    raise InputError(data_dir / "sources.yaml", 0, "no free three-digit source id is left")


def _discover_new(project: Project, sid: str, file: str, text: str) -> Discovery:
    discovery = Discovery([])
    scan(project, sid, file, text, [], [], Vocabulary(project), discovery, sentences=True)
    return discovery


def preview(project: Project, path: Path) -> Discovery:
    """What add-source would find in ``path``, without adding anything."""
    return _discover_new(project, "new", str(path), read_new_text(path).text)


def _q(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted scalar


def source_entry(sid: str, file: str, digest: str, indent: str, url: str | None, saved: str | None) -> str:
    fields = [
        f'- id: "{sid}"',
        f"  file: {file}",
        f"  sha256: {digest}",
        f"  url: {_q(url) if url else 'null'}          # the page's address, if known",
        f"  saved: {_q(saved) if saved else 'null'}          # the date this copy was saved",
        f"  title: {TODO}          # the title as the text shows it; null if it shows none",
        f"  label: {TODO}          # a short name for tables (at most 40 characters)",
        f"  names: {TODO}          # who or what the text names (author, reviewer, publisher), or that it names nobody",
        "  date: null          # or {value: \"YYYY-MM-DD\", meaning: reviewed | posted | ...} if the text gives one",
        f"  kind: {TODO}           # kind of page: hospital patient page, personal blog, ...",
        "  appraisal:",
        f"    clinician_review: {TODO}",
        f"    dated: {TODO}",
        f"    references: {TODO}",
        f"    commercial_interest: {TODO}",
        f"    opinion: {TODO}",
        "    trust: unknown     # high | medium | low | unknown",
        f"    summary: {TODO}",
        "  draft: true         # written by add-source: fill every TODO, then remove this line",
    ]
    return "".join(f"{indent}{line}\n" for line in fields)


def _value_yaml(value) -> str:
    parts = [f"{k}: {getattr(value, k):g}" for k in ("min", "max") if getattr(value, k) is not None]
    return "{" + ", ".join(parts + [f"unit: {value.unit}"]) + "}"


def _claim_value_yaml(topic, value) -> str | None:
    if topic.kind == "range":
        return _value_yaml(value)
    if topic.kind == "set":
        return "[" + ", ".join(value) + "]"
    return None if value is None else str(value)


def draft_file(project: Project, sid: str, file: str, discovery: Discovery) -> tuple[str, int]:
    """The text of NNN.draft.yaml and the number of candidate claims in it.

    Candidates come from the numbers (their likely topic, the value they carry) and from the sentences without
    numbers that are close to a topic's claims (the value read where the topic's kind allows), in text order,
    one per topic. A WARNING or GUIDANCE comment only where the topic is sure; otherwise the draft names the
    topics the assistant hesitated between."""
    claims, leftovers, used = [], [], {}
    items = []
    for f in discovery.found:
        s = f.suggestion
        topic = project.topics.get(s.topic) if s else None
        where = f'{f.line}:{f.col} "{f.mention.text}"'
        if topic is None or (topic.kind not in ("range", "fact") and s.value is None):
            why = "no likely topic" if topic is None else f"likely topic {topic.id} is a {topic.kind}: write this claim by hand"
            leftovers.append(f"#   {where} ({why}): {f.sentence}")
            continue
        if not (s.ranking.clear and s.ranking.own and s.ranking.closeness >= CLOSE / 2) and s.ranking.closeness < CLOSE:  # a weak guess is a hint, not a claim to delete
            leftovers.append(f"#   {where} (maybe {' or '.join(s.ranking.topics[:2])}; not close to their claims): {f.sentence}")
            continue
        if topic.kind == "range" and s.beyond:
            leftovers.append(f"#   {where} (likely topic {topic.id}, but {s.beyond}: a typo in the text? "
                             f"write the claim by hand if the text means it): {f.sentence}")
            continue
        items.append((f.mention.start, where, topic, s.value, s.ranking, f.sentence, s))
    for t in discovery.sentences:
        if t.drafted:
            items.append((t.start, f'{t.line}:{t.col} (no number)', project.topics[t.topic], t.value, t.ranking, t.text, None))
    for _, where, topic, value, ranking, quote, s in sorted(items, key=lambda x: x[0]):
        if topic.id in used:
            leftovers.append(f"#   {where} (also {topic.id}, see the claim from {used[topic.id]}): {quote}")
            continue
        used[topic.id] = where
        lines = [f"  # from {where}; likely topic {topic.id} ({topic.question})"]
        if ranking is not None and ranking.hesitation():
            lines.append(f"  # {ranking.hesitation()}: check the topic (no WARNING or GUIDANCE until it is sure)")
        elif ranking is not None and len(ranking.topics) > 1:
            lines.append(f"  # other likely topics: {', '.join(ranking.topics[1:3])}")
        sure = ranking is None or ranking.sure
        if s is not None and s.warning:
            lines.append(f"  # WARNING: this value {s.warning}")
        if sure:
            lines += [f"  # GUIDANCE: {note}" for note in
                      guidance.notes_for(project, topic.id, value if topic.kind == "range" else None)]
        lines += [f'  - source: "{sid}"', f"    topic: {topic.id}"]
        shown = _claim_value_yaml(topic, value)
        if shown is not None:
            lines.append(f"    value: {shown}")
        lines += [f"    says: {_q('TODO: what the source says, in plain words')}",
                  f"    quote: {_q(quote)}",
                  "    draft: true"]
        claims.append("\n".join(lines))
    hints = [f"#   {t.line}:{t.col} likely topic {t.topic} ({t.why_not}): {t.text}"
             for t in discovery.sentences if not t.drafted and t.why_not != "not close enough to the topic's claims"]
    unknown = [f"#   {u.line}:{u.col} {u.message}: {u.text}" for u in discovery.unknown]
    treatments = [f"#   {t.line}:{t.col} \"{t.term}\" ({t.fact.id}: {t.fact.status}; topic {', '.join(t.fact.topics)}): {t.sentence}"
                  for t in discovery.treatments]
    head = [
        "# yaml-language-server: $schema=../schema/claims.schema.json",
        f"# Draft claims for source {sid} ({file}), written by add-source from the numbers and times in the text.",
        "# Nothing here reaches the site, and `make check` fails until an editor has reviewed every claim:",
        "#   1. read each quote in the text; the topic and the value are guesses: keep, fix or delete the claim;",
        "#   2. write `says` in plain words and remove `draft: true`;",
        f"#   3. move the claims to a file whose name does not end in .draft.yaml (claims/{sid}.yaml) and delete this file;",
        "#   4. for every number left in the list below: add a claim, or dismiss it in data/dismissed.yaml with a reason;",
        "#   5. where a claim joins a topic that has a resolution, weigh it and run `disagreements.py review TOPIC`.",
    ]
    if leftovers:
        head.append("# Numbers without a candidate claim:")
        head += leftovers
    if hints:
        head.append("# Sentences without a number that may belong to a topic (write the claim by hand):")
        head += hints
    if treatments:
        head.append("# Treatments that guidance discourages or that were withdrawn (write a claim on the topic by hand):")
        head += treatments
    if unknown:
        head.append("# Sentences naming a treatment, test or device that no topic or option covers:")
        head += unknown
    body = "claims:\n" + "\n".join(claims) + "\n" if claims else "claims: []\n"
    # The archive's words go into quotes and comments without the characters that show nothing or
    # are controls (the data refuses them; folding drops them, so each quote still verifies).
    return INVISIBLE.sub("", "\n".join(head) + "\n" + body), len(claims)


def _indent(sources_text: str) -> str:
    m = re.search(r"^([ \t]*)- id:", sources_text, re.M)
    return m.group(1) if m else "  "


def orphan_copy(project: Project, archive: Path, new: NewText) -> str | None:
    """The id of an archive copy of this very text that no entry names (a killed add-source left it)."""
    named = {s.file for s in project.sources.values()} | {h["file"] for s in project.sources.values() for h in s.history}
    for path in sorted(archive.glob(f"*_{new.digest[:16]}.txt")):
        m = ARCHIVE_NAME.match(path.name)
        if m and path.name not in named and m.group(1) not in project.sources and path.read_bytes() == new.raw:
            return m.group(1)
    return None


def _unfinished_draft(project: Project, source: Source) -> bool:
    """A draft entry with neither a claims file of its id nor any claim: add-source stopped before its last write."""
    return source.draft and not any((project.data_dir / "claims").glob(f"{source.id}.*yaml")) \
        and not any(c.source == source.id for c in list(project.claims.values()) + project.drafts)


def add_source(path: Path, data_dir: Path, archive: Path, url: str | None = None, saved: str | None = None) -> str:
    """Register ``path``; return what was done, for the editor.

    The slow work on the new text (reading a saved page, finding its numbers) is done before the
    lock is taken, so that a large page does not keep other editors waiting; it is done again
    under the lock only if the data changed in the meantime."""
    new = read_new_text(path)
    state = data_state(data_dir)
    try:
        discovery = _discover_new(load_project(data_dir), "new", str(path), new.text)
    except InputError:  # read while another editor was writing, or bad: done again under the lock
        discovery = None
    with writing(data_dir, also=(archive,)) as changes:
        if data_state(data_dir) != state:  # another editor changed the data meanwhile: find them again
            discovery = None
        project = load_project(data_dir)
        sources = data_dir / "sources.yaml"
        same = duplicate(project, archive, new, path)
        if same is not None and not _unfinished_draft(project, same):
            raise InputError(path, 0, f"this text is already in the archive as source {same.id} ({same.file})")
        if same is not None:  # a killed run wrote the entry but not the drafts: finish it
            sid, file = same.id, same.file
        else:
            sid = orphan_copy(project, archive, new) or next_id(project, archive, data_dir)
            file = f"{sid}_{new.digest[:16]}.txt"
            if not (archive / file).exists():
                changes.create(archive / file, new.raw)
            before = sources.read_text(encoding="utf-8")
            changes.replace(sources, before + ("" if before.endswith("\n") else "\n")
                            + source_entry(sid, file, new.digest, _indent(before), url or new.url, saved or new.saved))
        drafts = data_dir / "claims" / f"{sid}.draft.yaml"
        if discovery is None:
            discovery = _discover_new(project, sid, file, new.text)
        draft_text, n_claims = draft_file(project, sid, file, discovery)
        changes.create(drafts, draft_text)
        try:
            check = load_project(data_dir)
        except InputError as exc:  # what add-source wrote is refused: name the input, not a file taken back
            raise InputError(path, 0, f"add-source could not make a valid draft from this text ({exc}); "
                                      "nothing was kept") from None
        verification = verify(check, archive)
    unverified = [c.id for c in check.drafts if c.id in verification.nearest]
    out = summary(sid, archive / file, sources, drafts, discovery, n_claims, unverified, check)
    notes = "".join(f"note: {n}\n" for n in new.notes)
    return out.replace("\nnext: ", "\n" + notes + "next: ", 1)


def invisible_note(text: str) -> str:
    """A note on characters that show nothing or are controls: read past, never a reason to refuse the text."""
    hits = list(INVISIBLE.finditer(text))
    if not hits:
        return ""
    at = hits[0].start()
    line, col = text.count("\n", 0, at) + 1, at - text.rfind("\n", 0, at)
    return (f"the text holds {len(hits)} invisible or control character{'s' if len(hits) > 1 else ''} (the first, "
            f"U+{ord(text[at]):04X}, at {line}:{col}); numbers are read without them and draft quotes leave them out")


def data_state(data_dir: Path) -> dict[str, tuple[int, int, int]]:
    """Every data file with its size, inode and modification time: what tells that the data changed."""
    out = {}
    for path in sorted(Path(data_dir).rglob("*")):
        if not path.name.startswith(".") and path.is_file():
            try:
                st = path.stat()
            except OSError:  # gone meanwhile
                continue
            out[str(path)] = (st.st_size, st.st_ino, st.st_mtime_ns)
    return out


def unfinished(project: Project, archive: Path | None) -> list[str]:
    """What an interrupted add-source or update-source left: check names it, a rerun completes it."""
    out = []
    data_dir = project.data_dir
    for folder in written_folders(data_dir) + ([archive] if archive else []):
        for tmp in leftover_temps(folder):
            out.append(f"{tmp}: a temporary file left by an interrupted command; delete it (or rerun the command)")
    for source in project.sources.values():
        for h in source.history if archive is not None else ():
            path = archive / h["file"]
            try:
                path = archive_file(archive, h["file"], source.where) if path.exists() else path
            except InputError as exc:
                out.append(f"{exc}; restore the earlier copy of source {source.id} from a backup (nothing may be lost)")
                continue
            if not path.is_file() or hashlib.sha256(path.read_bytes()).hexdigest() != h["sha256"]:
                out.append(f"{source.where}: source {source.id}: the earlier copy {path} is "
                           f"{'missing' if not path.is_file() else 'changed'}; restore it from a backup (nothing may be lost)")
        if _unfinished_draft(project, source):
            out.append(f"{source.where}: source {source.id} has no claims file: add-source was interrupted; "
                       f"run it again with the same file to finish")
    if archive is not None and archive.is_dir():
        named = {s.file for s in project.sources.values()} | {h["file"] for s in project.sources.values() for h in s.history}
        for path in sorted(archive.iterdir()):
            if ARCHIVE_NAME.match(path.name) and path.name not in named:
                out.append(f"{path}: an archive copy that no entry of sources.yaml names (add-source or update-source "
                           "was interrupted): run the command again with the same file, or delete this copy")
    return out


def summary(sid, target, sources, drafts, discovery: Discovery, n_claims: int, unverified, project: Project) -> str:
    found = discovery.found
    out = [f"added source {sid}:",
           f"  text     {target}",
           f"  entry    {sources} (draft: fill the TODO fields)",
           f"  claims   {drafts} ({n_claims} candidate claims from {len(found)} numbers and times"
           + (f" and {sum(t.drafted for t in discovery.sentences)} sentences without numbers)" if discovery.sentences else ")"), ""]
    warnings = [f for f in found if f.suggestion and f.suggestion.warning]
    for f in warnings:
        out.append(f"WARNING {f.line}:{f.col} \"{f.mention.text}\" ({f.suggestion.value}) on topic "
                   f"{f.suggestion.topic} {f.suggestion.warning}")
    notes = []
    for f in found:  # only where the topic is sure: a guess between two topics raises no alarm
        s = f.suggestion
        if s and s.beyond:
            notes.append(f"NOTE {f.line}:{f.col} \"{f.mention.text}\" on topic {s.topic}: {s.beyond}; a typo in the "
                         "text? No candidate claim was written for it (see the top of the draft)")
        elif s and s.sure and s.topic in project.topics and project.topics[s.topic].kind in ("range", "fact"):
            for note in guidance.notes_for(project, s.topic, s.value):
                notes.append(f"GUIDANCE {f.line}:{f.col} \"{f.mention.text}\" on topic {s.topic}: {note}")
    for t in discovery.treatments:
        notes.append(f"GUIDANCE {t.line}:{t.col} \"{t.term}\": {t.message}")
    out += list(dict.fromkeys(notes))
    out += [f"NEW {u.line}:{u.col} {u.message}" for u in discovery.unknown]
    if unverified:
        out.append(f"note: the quotes of {', '.join(unverified)} did not verify; fix them in the draft")
    if warnings or unverified or notes or discovery.unknown:
        out.append("")
    out.append("next: review the draft claims and the source entry, then run `make check` "
               "(it fails until the drafts are reviewed).")
    return "\n".join(out) + "\n"
