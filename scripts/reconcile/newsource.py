"""add-source: register a new archive text and draft its claims.

1. the text is checked (a UTF-8 text file, not empty, not already in the archive) and copied
   into the archive as ``NNN_<first 16 hex of its sha256>.txt``, NNN the next free id;
2. a source entry is appended to data/sources.yaml (appended: the existing entries are not
   rewritten) with the fields an editor fills marked TODO and ``draft: true``;
3. discovery runs on the text; every number or time with a likely topic becomes a candidate
   claim (the sentence as quote, the parsed value, says "TODO") in data/claims/NNN.draft.yaml;
   the rest are listed there as comments;
4. the whole data folder is loaded again; if that fails, everything written is taken back.

Nothing existing is overwritten. Draft claims never reach the site, and check fails on them
(and on the TODO fields of the source) until an editor has reviewed them.
"""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from .discover import Discovery, Vocabulary, scan
from .load import load_project
from .model import Project
from .quotes import verify
from .yamlfile import MAX_BYTES, InputError

TODO = "TODO"


def read_new_text(path: Path) -> tuple[bytes, str]:
    if not path.is_file():
        raise InputError(path, 0, "file not found (name the new text file, saved as UTF-8 plain text)")
    raw = path.read_bytes()
    if len(raw) > MAX_BYTES:
        raise InputError(path, 0, f"the file is {len(raw)} bytes; a source text above {MAX_BYTES} bytes is refused")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(path, raw[: exc.start].count(b"\n") + 1, "the file is not UTF-8 text; save it as UTF-8") from None
    if not text.strip():
        raise InputError(path, 1, "the file is empty")
    if "\x00" in text:
        raise InputError(path, 0, "the file is not plain text (it holds NUL bytes)")
    return raw, text


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
    scan(project, sid, file, text, [], [], Vocabulary(project), discovery)
    return discovery


def preview(project: Project, path: Path) -> Discovery:
    """What add-source would find in ``path``, without adding anything."""
    _, text = read_new_text(path)
    return _discover_new(project, "new", str(path), text)


def _q(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)  # a JSON string is a valid YAML double-quoted scalar


def source_entry(sid: str, file: str, digest: str, indent: str) -> str:
    fields = [
        f'- id: "{sid}"',
        f"  file: {file}",
        f"  sha256: {digest}",
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


def draft_file(project: Project, sid: str, file: str, discovery: Discovery) -> tuple[str, int]:
    """The text of NNN.draft.yaml and the number of candidate claims in it."""
    claims, leftovers, used = [], [], {}
    for f in discovery.found:
        s = f.suggestion
        topic = project.topics.get(s.topic) if s else None
        where = f'{f.line}:{f.col} "{f.mention.text}"'
        if topic is None or topic.kind not in ("range", "fact"):
            why = "no likely topic" if topic is None else f"likely topic {topic.id} is a {topic.kind}: write this claim by hand"
            leftovers.append(f"#   {where} ({why}): {f.sentence}")
            continue
        if topic.id in used:
            leftovers.append(f"#   {where} (also {topic.id}, see the claim from {used[topic.id]}): {f.sentence}")
            continue
        used[topic.id] = where
        lines = [f"  # from {where}; likely topic {topic.id} ({topic.question})"]
        if s.others:
            lines.append(f"  # other likely topics: {', '.join(s.others)}")
        if s.warning:
            lines.append(f"  # WARNING: this value {s.warning}")
        lines += [f'  - source: "{sid}"', f"    topic: {topic.id}"]
        if topic.kind == "range":
            lines.append(f"    value: {_value_yaml(s.value)}")
        lines += [f"    says: {_q('TODO: what the source says, in plain words')}",
                  f"    quote: {_q(f.sentence)}",
                  "    draft: true"]
        claims.append("\n".join(lines))
    head = [
        "# yaml-language-server: $schema=../schema/claims.schema.json",
        f"# Draft claims for source {sid} ({file}), written by add-source from the numbers and times in the text.",
        "# Nothing here reaches the site, and `make check` fails until an editor has reviewed every claim:",
        "#   1. read each quote in the text; the topic and the value are guesses: keep, fix or delete the claim;",
        "#   2. write `says` in plain words and remove `draft: true`;",
        f"#   3. move the claims to a file whose name does not end in .draft.yaml (claims/{sid}.yaml) and delete this file;",
        "#   4. for every number left in the list below: add a claim, or dismiss it in data/dismissed.yaml with a reason.",
    ]
    if leftovers:
        head.append("# Numbers without a candidate claim:")
        head += leftovers
    body = "claims:\n" + "\n".join(claims) + "\n" if claims else "claims: []\n"
    return "\n".join(head) + "\n" + body, len(claims)


def _indent(sources_text: str) -> str:
    m = re.search(r"^([ \t]*)- id:", sources_text, re.M)
    return m.group(1) if m else "  "


def add_source(path: Path, data_dir: Path, archive: Path) -> str:
    """Register ``path``; return what was done, for the editor."""
    raw, text = read_new_text(path)
    project = load_project(data_dir)
    digest = hashlib.sha256(raw).hexdigest()
    for source in project.sources.values():
        if source.sha256 == digest:
            raise InputError(path, 0, f"this text is already in the archive as source {source.id} ({source.file})")
    sid = next_id(project, archive, data_dir)
    file = f"{sid}_{digest[:16]}.txt"
    target, drafts, sources = archive / file, data_dir / "claims" / f"{sid}.draft.yaml", data_dir / "sources.yaml"
    for existing in (target, drafts):
        if existing.exists():
            raise InputError(existing, 0, "already exists; add-source never overwrites a file")
    discovery = _discover_new(project, sid, file, text)
    draft_text, n_claims = draft_file(project, sid, file, discovery)
    before = sources.read_bytes()
    sources_text = before.decode("utf-8")
    written: list[Path] = []
    try:
        try:
            with open(target, "xb") as out:
                written.append(target)
                out.write(raw)
        except OSError as exc:
            raise InputError(archive, 0, f"cannot write the text into the archive folder ({exc.strerror})") from None
        with open(drafts, "x", encoding="utf-8") as out:
            written.append(drafts)
            out.write(draft_text)
        with open(sources, "a", encoding="utf-8") as out:
            out.write(("" if sources_text.endswith("\n") else "\n")
                      + source_entry(sid, file, digest, _indent(sources_text)))
        check = load_project(data_dir)
        verification = verify(check, archive)
    except BaseException:
        for p in written:
            p.unlink(missing_ok=True)
        if sources.read_bytes() != before:
            with open(sources, "r+b") as out:
                out.truncate(len(before))
        raise
    unverified = [c.id for c in check.drafts if c.id in verification.nearest]
    return summary(sid, target, sources, drafts, discovery, n_claims, unverified)


def summary(sid, target, sources, drafts, discovery: Discovery, n_claims: int, unverified) -> str:
    found = discovery.found
    out = [f"added source {sid}:",
           f"  text     {target}",
           f"  entry    {sources} (draft: fill the TODO fields)",
           f"  claims   {drafts} ({n_claims} candidate claims from {len(found)} numbers and times)", ""]
    warnings = [f for f in found if f.suggestion and f.suggestion.warning]
    for f in warnings:
        out.append(f"WARNING {f.line}:{f.col} \"{f.mention.text}\" ({f.suggestion.value}) on topic "
                   f"{f.suggestion.topic} {f.suggestion.warning}")
    if unverified:
        out.append(f"note: the quotes of {', '.join(unverified)} did not verify; fix them in the draft")
    if warnings or unverified:
        out.append("")
    out.append("next: review the draft claims and the source entry, then run `make check` "
               "(it fails until the drafts are reviewed).")
    return "\n".join(out) + "\n"

