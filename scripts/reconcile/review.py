"""What an editor still has to do: placeholders left in the data, and resolutions that are stale.

A resolution records what its editor weighed: ``weighed: {SOURCE: FINGERPRINT}``, one entry per
claim on its topic, the fingerprint being the first 8 hex of the sha256 of the claim's value and
quote (not its ``says``: rewording the plain words changes nothing the editor weighed). A topic
that gains, loses or changes a claim after that makes the resolution stale; ``check`` names it and
the claim. ``disagreements.py review TOPIC`` (or ``--all``) records the review: it writes the
``weighed`` line of each resolution, under the data folder's lock, editing only that line.
"""
from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from .atomic import writing
from .load import load_project
from .model import Claim, Project, Resolution, value_json, value_label
from .yamlentry import edit_entry
from .yamlfile import InputError

TODO = re.compile(r"\bTODO\b")


def fingerprint(claim: Claim) -> str:
    weighed = json.dumps([value_json(claim.value), " ".join(claim.quote.split())], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(weighed.encode("utf-8")).hexdigest()[:8]


def weighed_now(project: Project, topic: str) -> dict[str, str]:
    return {c.source: fingerprint(c) for c in sorted(project.claims.values(), key=lambda c: c.source) if c.topic == topic}


def weighed_entry(project: Project, claim: Claim) -> str:
    """What ``review`` records for a claim: its fingerprint, then the value it had, in a few words (so a
    stale resolution can say what the value was and what it is now)."""
    return f"{fingerprint(claim)} {value_label(claim, project)}"


def split_entry(entry: str) -> tuple[str, str | None]:
    """A ``weighed`` entry: (fingerprint, the value as it was weighed, or None where not recorded)."""
    fp, _, value = entry.partition(" ")
    return fp, value or None


def is_weighed(project: Project, claim: Claim) -> bool:
    """Has the resolution of the claim's topic weighed this very claim (its value and quote)?"""
    res = project.resolutions.get(claim.topic)
    entry = res.weighed.get(claim.source) if res and res.weighed else None
    return bool(entry and split_entry(entry)[0] == fingerprint(claim))


def stale(project: Project) -> list[str]:
    """Every resolution whose topic gained, lost or changed a claim since it was reviewed, naming the claim."""
    out = []
    for res in project.resolutions.values():
        hint = f"weigh it, then run `disagreements.py review {res.topic}`"
        if res.weighed is None:
            out.append(f"{res.where}: the resolution of {res.topic} does not record what it weighed: {hint}")
            continue
        now = weighed_now(project, res.topic)
        for sid, fp in now.items():
            claim = project.claims[f"{sid}.{res.topic}"]
            if sid not in res.weighed:
                out.append(f"{res.where}: the resolution of {res.topic} is stale: claim {claim.id} ({claim.where}) "
                           f"joined the topic since it was reviewed; {hint}")
            elif split_entry(res.weighed[sid])[0] != fp:
                old, new = split_entry(res.weighed[sid])[1], value_label(claim, project)
                what = (f"its value was {old!r}, now {new!r}" if old and old != new else
                        f"its value {new!r} is unchanged: its quote changed" if old else
                        f"its value is now {new!r} (the old one was not recorded)")
                out.append(f"{res.where}: the resolution of {res.topic} is stale: claim {claim.id} ({claim.where}) "
                           f"changed since it was reviewed ({what}); check its marks and summary against the "
                           f"new value, then run `disagreements.py review {res.topic}`")
        for sid in sorted(set(res.weighed) - set(now)):
            out.append(f"{res.where}: the resolution of {res.topic} is stale: the claim of source {sid} it weighed "
                       f"is no longer on the topic; {hint}")
    return out


def todos(project: Project) -> list[str]:
    """Any TODO left in sources, claims, resolutions and dismissals (drafts are named elsewhere)."""
    out = []
    for s in project.sources.values():
        fields = {"title": s.title, "label": s.label, "names": s.names, "kind": s.kind, "url": s.url,
                  **{f"appraisal.{k}": v for k, v in s.appraisal.items()},
                  **({"date.meaning": s.date.get("meaning")} if s.date else {})}
        bad = [k for k, v in fields.items() if isinstance(v, str) and TODO.search(v)]
        if bad and not s.draft:
            out.append(f"{s.where}: source {s.id} still says TODO in {', '.join(bad)}")
    for c in project.claims.values():
        bad = [k for k in ("says", "quote", "note", "unused") if TODO.search(getattr(c, k) or "")]
        if bad:
            out.append(f"{c.where}: claim {c.id} still says TODO in {', '.join(bad)}")
    for r in project.resolutions.values():
        bad = [k for k in ("summary", "short", "trust") if TODO.search(getattr(r, k) or "")]
        bad += [f"supports.{s}.part" for s, mark in r.supports.items() if TODO.search(mark.get("part", ""))]
        if bad:
            out.append(f"{r.where}: the resolution of {r.topic} still says TODO in {', '.join(bad)}")
    for d in project.dismissed:
        bad = [k for k in ("text", "reason") if TODO.search(getattr(d, k) or "")]
        if bad:
            out.append(f"{d.where}: a dismissal of source {d.source} still says TODO in {', '.join(bad)}")
    return out


def record(data_dir: Path, topics: list[str] | None) -> list[str]:
    """Write ``weighed`` for the resolutions of ``topics`` (None: all); return one line per resolution."""
    data_dir = Path(data_dir)
    with writing(data_dir) as changes:
        project = load_project(data_dir)
        chosen = list(project.resolutions) if topics is None else topics
        for tid in chosen:
            if tid not in project.resolutions:
                known = "no resolution" if tid in project.topics else "no such topic"
                raise InputError(data_dir / "resolutions", 0, f"{tid}: {known}; nothing to review")
        by_file: dict[Path, list[Resolution]] = {}
        for tid in chosen:
            res = project.resolutions[tid]
            by_file.setdefault(res.where.path, []).append(res)
        done = []
        for path, resolutions in by_file.items():
            text = path.read_text(encoding="utf-8")
            for res in resolutions:
                weighed = {c.source: weighed_entry(project, c) for c in sorted(
                    project.claims.values(), key=lambda c: c.source) if c.topic == res.topic}
                text = edit_entry(path, text, "resolutions", ("topic", res.topic), {"weighed": weighed})
                done.append(f"{res.topic}: weighed {', '.join(f'{s}.{res.topic}' for s in weighed) or 'no claims'}")
            changes.replace(path, text)
        load_project(data_dir)  # what was written loads, or it is all taken back
    return sorted(done)
