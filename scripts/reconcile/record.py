"""The verification record, ``data/verified.lock``: which quotes were found in which saved text, and when.

A clone has no archive (it is private), so a build there cannot check the quotes itself. The
record, committed with the data, says for each claim: the sha256 of its source's saved text, the
sha256 of its quote, the line of the text where the quote was found, and the day it was found.
Without the archive a claim whose quote and source still match its entry counts as verified
"from the record" on that day; one that does not match is "not checked". With the archive,
``check`` fails while the record and the data disagree (a quote edited since it was verified, a
claim missing from the record, an entry for no claim), and ``check --update-lock`` rewrites it.
"""
from __future__ import annotations

import datetime
import hashlib
import json
from pathlib import Path

from .atomic import writing
from .model import Claim, Project
from .quotes import Verification, fold
from .yamlfile import InputError, read_json

NAME = "verified.lock"
UPDATE = "run `scripts/disagreements.py check --update-lock` (needs the archive)"
ABOUT = ("The verification record: for each claim, the sha256 of its source's saved text and of its quote, the line "
         "where the quote was found and the day. Written by `scripts/disagreements.py check --update-lock`; do not edit.")
_FIELDS = ("source_sha256", "quote_sha256", "line", "verified")


def quote_digest(claim: Claim) -> str:
    """What the record keeps of a quote: its sha256 (and the place it names, if it names one)."""
    text = claim.quote if claim.occurrence is None else f"{claim.quote}\x00{claim.occurrence}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def read_record(data_dir: Path) -> dict | None:
    """The record's entries by claim id; None when there is no record."""
    path = Path(data_dir) / NAME
    if not path.exists():
        return None
    doc, raw = read_json(path, "verification record", UPDATE)
    claims = doc.get("claims") if isinstance(doc, dict) else None
    if not isinstance(claims, dict):
        raise InputError(path, 1, f"the record has no 'claims' mapping; {UPDATE}")
    for cid, entry in claims.items():
        if not (isinstance(entry, dict) and set(entry) == set(_FIELDS) and isinstance(entry["source_sha256"], str)
                and isinstance(entry["quote_sha256"], str) and isinstance(entry["verified"], str)
                and _is_date(entry["verified"]) and (entry["line"] is None or type(entry["line"]) is int)):
            raise InputError(path, _line_of(raw, cid), f"the entry of {cid!r} is not in the record's form; {UPDATE}")
    return claims


def _is_date(text: str) -> bool:
    try:
        return datetime.date.fromisoformat(text).isoformat() == text
    except ValueError:
        return False


def _line_of(raw: bytes, cid: str) -> int:
    at = raw.find(json.dumps(cid).encode("utf-8"))
    return raw[:at].count(b"\n") + 1 if at >= 0 else 1


def _future(entry: dict) -> bool:
    """A verification dated after today did not happen: the entry vouches for nothing."""
    return entry["verified"] > datetime.date.today().isoformat()


def _matches(entry: dict | None, claim: Claim, project: Project) -> bool:
    return (entry is not None and entry["source_sha256"] == project.sources[claim.source].sha256
            and entry["quote_sha256"] == quote_digest(claim) and not _future(entry))


def apply_record(project: Project, verification: Verification, record: dict | None) -> None:
    """No archive: count a claim as verified when the record vouches for its quote and source as they are."""
    for claim in project.claims.values():
        entry = (record or {}).get(claim.id)
        if _matches(entry, claim, project):
            verification.verified[claim.id] = True
            verification.how[claim.id] = {"how": "record", "date": entry["verified"]}


def record_problems(project: Project, verification: Verification, record: dict | None) -> list[str]:
    """With the archive: where the record and the data disagree (each fails the check)."""
    path = project.data_dir / NAME
    if record is None:
        return [f"{path}: the verification record is missing; {UPDATE}"]
    missing, changed, future = [], [], []
    for claim in project.claims.values():
        if not verification.verified.get(claim.id) or claim.id in verification.places:
            continue  # a quote that does not verify, or does not say where, is a problem of its own
        entry = record.get(claim.id)
        if entry is None:
            missing.append(claim.id)
        elif _future(entry):
            future.append(f"{claim.id} ({entry['verified']})")
        elif not _matches(entry, claim, project):
            what = "quote" if entry["source_sha256"] == project.sources[claim.source].sha256 else "source text"
            changed.append(f"{claim.id} ({what}, verified {entry['verified']})")
    gone = sorted(set(record) - set(project.claims))
    # one line for the whole record: after an editor's session these are many, and one command answers them all
    parts = [f"{len(ids)} {what if len(ids) == 1 else whats}: {_listed(ids)}" for what, whats, ids in (
        ("claim not in it yet", "claims not in it yet", missing),
        ("claim changed since it was verified", "claims changed since they were verified", changed),
        ("claim verified on a day in the future", "claims verified on a day in the future", future),
        ("entry naming no claim (removed or renamed)", "entries naming no claim (removed or renamed)", gone)) if ids]
    return [f"{path}: the verification record is behind the data ({'; '.join(parts)}); {UPDATE}"] if parts else []


def _listed(ids: list[str], most: int = 6) -> str:
    return ", ".join(ids[:most]) + (f" and {len(ids) - most} more" if len(ids) > most else "")


def build_record(project: Project, verification: Verification, old: dict | None, today: str | None = None) -> dict:
    """The record for the claims that verified against the archive. An entry that has not changed
    keeps its day, so the file changes only where the data did."""
    from .discover import FoldedText  # the way back from folded offsets to lines; only needed here

    today = today or datetime.date.today().isoformat()
    folded = {}
    claims = {}
    for claim in sorted(project.claims.values(), key=lambda c: c.id):
        if not verification.verified.get(claim.id) or claim.id in verification.places:
            continue
        entry = (old or {}).get(claim.id)
        if _matches(entry, claim, project):
            claims[claim.id] = entry
            continue
        text = verification.texts[claim.source]
        if claim.source not in folded:
            folded[claim.source] = FoldedText(text)
        spans = folded[claim.source].spans(fold(claim.quote)) if folded[claim.source].exact else []
        place = spans[(claim.occurrence or 1) - 1] if len(spans) >= (claim.occurrence or 1) else None
        claims[claim.id] = {"source_sha256": project.sources[claim.source].sha256, "quote_sha256": quote_digest(claim),
                            "line": None if place is None else text.count("\n", 0, place[0]) + 1, "verified": today}
    return claims


def record_text(claims: dict) -> str:
    """JSON with one claim a line, so that a change shows as a one-line diff."""
    lines = [f"  {json.dumps(cid)}: {json.dumps({k: entry[k] for k in _FIELDS})}" for cid, entry in claims.items()]
    return '{\n  "about": ' + json.dumps(ABOUT) + ',\n  "claims": {\n' + ",\n".join("  " + x for x in lines) + "\n  }\n}\n"


def update_record(data_dir: Path, project: Project, verification: Verification, changes=None) -> int:
    """Rewrite ``data/verified.lock`` whole through ``changes`` (``atomic.writing``, held by the
    caller from loading the data to here; taken here when None); the number of entries."""
    data_dir = Path(data_dir)
    claims = build_record(project, verification, read_record(data_dir))
    if changes is None:
        with writing(data_dir) as changes:
            changes.replace(data_dir / NAME, record_text(claims))
    else:
        changes.replace(data_dir / NAME, record_text(claims))
    return len(claims)
