"""Data folder -> validated ``Project``. Every problem is an ``InputError`` naming file and line."""
from __future__ import annotations

import datetime
import json
import marshal
import re
import stat
from functools import lru_cache
from pathlib import Path

import fastjsonschema

from .phrases import mentions
from .model import (CAVEAT_VALUES, RULES, UNIT_BOUNDS, Citation, Claim, Dismissal, GuidanceFact, Project, Range, Resolution,  # noqa: F401
                    Source, Topic, Where, out_of_bounds)
from . import parallel
from .cache import ParseCache
from .gcpause import gc_paused
from .yamlfile import Doc, InputError, line_at, parse_bytes, read_limited

# A fact that gives its range as about ("at about 11 to 14 weeks"): its value must say about: true, and only then.
ABOUT = re.compile(r"\b(?:about|around|approximately|roughly)\s+\d", re.I)

MAX_QUOTE_WORDS = 40




_schema_texts: dict[Path, str] = {}  # read once per load (load_project empties it)


def _schema_text(name: str, schema_dir: Path) -> str:
    """The schema file's text, read on every load (so ``make serve`` sees an edited schema)."""
    path = schema_dir / f"{name}.schema.json"
    if path in _schema_texts:
        return _schema_texts[path]
    text = read_limited(path, what="schema file").decode("utf-8", errors="replace")
    try:
        _schema(text)
    except ValueError as exc:
        raise InputError(path, 0, f"the schema is not valid JSON ({exc})") from None
    _schema_texts[path] = text
    return text


@lru_cache(maxsize=None)
def _schema(text: str) -> dict:
    """The schema as the Python validators need it. The files use ECMA-262 patterns, as editors'
    tools do, where ``$`` is the very end; in Python's ``re`` it also matches before a final
    newline (so ``"004\\n"`` passed), hence ``\\Z``."""
    def python_patterns(node):
        if isinstance(node, dict):
            return {k: (v[:-1] + "\\Z" if k == "pattern" and isinstance(v, str) and v.endswith("$")
                        else python_patterns(v)) for k, v in node.items()}
        if isinstance(node, list):
            return [python_patterns(v) for v in node]
        return node
    return python_patterns(json.loads(text))


@lru_cache(maxsize=None)
def validator(text: str):
    import jsonschema  # only to explain invalid data: its import costs more than a whole site build's loading

    return jsonschema.Draft202012Validator(_schema(text))


@lru_cache(maxsize=None)
def fast_validator(text: str):
    """The same schema compiled to Python: five times faster on valid data, which is the usual case."""
    return fastjsonschema.compile(_schema(text))


def _field(path) -> str:
    out = ""
    for step in path:
        out += f"[{step}]" if isinstance(step, int) else (f".{step}" if out else str(step))
    return out


def validate(doc, name: str, path: Path, schema_dir: Path):
    """Check one parsed file against its schema; the first error becomes an InputError."""
    text = _schema_text(name, schema_dir)
    try:
        fast_validator(text)(doc.data)
        return
    except fastjsonschema.JsonSchemaValueException as exc:
        fast_error = exc  # jsonschema explains it, with the path that gives the line
    from jsonschema.exceptions import best_match

    error = best_match(validator(text).iter_errors(doc.data))
    if error is None:  # the validators disagree: never accept what either refuses
        steps = [int(s) if s.isdigit() else s for s in re.findall(r"\.([^.\[]+)|\[(\d+)\]", fast_error.name)
                 for s in s if s]
        raise InputError(path, line_at(doc, steps), fast_error.message.replace("data.", "", 1))
    where, message = _field(error.absolute_path), error.message
    if error.validator == "additionalProperties":
        message = f"unknown field: {message.split('(')[-1].rstrip(')')}" if "(" in message else message
    if isinstance(error.instance, int) and error.absolute_path and error.absolute_path[-1] in ("id", "source"):
        message += ' (write ids in quotes, for example "005")'
    elif error.validator in ("maxLength", "minLength") and isinstance(error.instance, str):
        # the limit and the length, not the whole text again: the editor sees how much to cut
        limit = "at most" if error.validator == "maxLength" else "at least"
        message = (f"is too {'long' if error.validator == 'maxLength' else 'short'}: {len(error.instance)} characters, "
                   f"{limit} {error.validator_value} allowed")
    elif error.validator in ("maxItems", "minItems") and isinstance(error.instance, list):
        limit = "at most" if error.validator == "maxItems" else "at least"
        message = f"has {len(error.instance)} items, {limit} {error.validator_value} allowed"
    elif error.validator == "type" and error.absolute_path and error.absolute_path[-1] == "value":
        message = f"the value {error.instance!r} is not a range {{min, max, unit}}, an option word, or a list of option words"
    raise InputError(path, line_at(doc, error.absolute_path), f"{where}: {message}" if where else message)


_cache = ParseCache(None)  # the cache of the load under way (load_project sets it)
PARALLEL_MIN = 2_000_000  # bytes to parse (about 12k claims); below this a second process costs more than it saves


def _read(path: Path, name: str, schema_dir: Path):
    return _read_all([path], name, schema_dir)[0]


def _check(path: Path, raw: bytes, name: str, schema_dir: Path):
    """The checked ``Doc`` of one file, or the ``InputError`` that refuses it."""
    try:
        doc = parse_bytes(path, raw)
        validate(doc, name, path, schema_dir)
        return doc
    except InputError as exc:
        return exc


def _read_all(paths: list[Path], name: str, schema_dir: Path) -> list:
    """Parse and check ``paths`` (from the parse cache where it can); the first bad file, in order, is the error."""
    text = _schema_text(name, schema_dir)
    results, missing = {}, []
    for path in paths:
        try:
            raw, key, doc = _cache.lookup(path, text)
            _inside_data(path)
        except InputError as exc:
            results[path] = exc
            continue
        if doc is None:
            missing.append((path, raw, key))
            _cache.parsed.append(path)
        else:
            results[path] = doc
    for (path, _, key), result in zip(missing, _parse_many(missing, name, schema_dir)):
        if isinstance(result, bytes):  # from the second process: marshal data
            _cache.put_payload(key, result)
            result = Doc(*marshal.loads(result))
        elif isinstance(result, Doc):
            _cache.put(key, result)
        results[path] = result
    for path in paths:
        if isinstance(results[path], InputError):
            raise results[path]
    return [results[p] for p in paths]


_home: Path | None = None  # the data folder of the load under way, links resolved


def _inside_data(path: Path) -> None:
    """A data file is a file inside the data folder: a link out of it (to ~/.ssh/..., /proc/self/environ)
    is refused before a parse error could quote what it points at."""
    if _home is not None and not Path(path).resolve().is_relative_to(_home):
        raise InputError(path, 0, "a link out of the data folder; data files are plain files inside it")


def _parse_many(missing: list, name: str, schema_dir: Path) -> list:
    """Parse and check the files not in the cache: half of them in a second process when that
    helps (parsing is the bulk of a cold load; reconcile/parallel.py)."""
    fast_validator(_schema_text(name, schema_dir))  # compiled once, before any fork

    def here(item):
        return _check(item[0], item[1], name, schema_dir)

    def there(item):  # marshal data travels back far cheaper than pickled objects
        result = here(item)
        return result if isinstance(result, InputError) else marshal.dumps((result.data, result.shadow))
    return parallel.map_halves(here, there, missing, [len(raw) for _, raw, _ in missing], PARALLEL_MIN)


def _files(folder: Path) -> list[Path]:
    """The folder's ``*.yaml`` files in name order. A name that is not a readable file (a broken
    link, a link loop, a folder) is an error, never skipped: skipping would drop claims silently."""
    if not folder.is_dir():
        raise InputError(folder, 0, "folder not found")
    try:
        paths = sorted(p for p in folder.iterdir() if p.suffix == ".yaml")
    except OSError as exc:
        raise InputError(folder, 0, f"cannot list the folder ({exc.strerror or exc})") from None
    for p in paths:
        try:
            regular = stat.S_ISREG(p.stat().st_mode)
        except OSError as exc:
            raise InputError(p, 0, f"cannot read the file ({exc.strerror or exc}; a broken link or a link loop?)") from None
        if not regular:
            raise InputError(p, 0, "not a regular file; data files are plain .yaml files")
    return paths


def _where(path, doc, *steps) -> Where:
    return Where(path, line_at(doc, steps))


def load_project(data_dir, cache: ParseCache | Path | None = None) -> Project:
    """Load and validate the data folder. ``cache``: a ParseCache or its folder, to skip parsing
    the files that have not changed since a run that used the same cache."""
    global _cache, _home
    _cache = cache if isinstance(cache, ParseCache) else ParseCache(cache)
    _schema_texts.clear()
    try:
        _home = Path(data_dir).resolve()
        with gc_paused():
            project = _load_project(Path(data_dir))
        _cache.prune()
        return project
    finally:
        _cache, _home = ParseCache(None), None


def _load_project(data_dir: Path) -> Project:
    if not data_dir.is_dir():
        raise InputError(data_dir, 0, "data folder not found (use --data DIR)")
    schema_dir = data_dir / "schema"
    if not schema_dir.is_dir():
        raise InputError(schema_dir, 0, "schema folder not found")
    project = Project(data_dir, {}, {}, {}, {}, {}, {})
    _load_sources(project, data_dir / "sources.yaml", schema_dir)
    _load_guidance(project, data_dir / "guidance.yaml", schema_dir)
    paths = _files(data_dir / "topics")
    for path, doc in zip(paths, _read_all(paths, "topics", schema_dir)):
        _load_topics(project, path, doc)
    paths = _files(data_dir / "claims")
    for path, doc in zip(paths, _read_all(paths, "claims", schema_dir)):
        _load_claims(project, path, doc, draft=path.name.endswith(".draft.yaml"))
    paths = _files(data_dir / "resolutions")
    for path, doc in zip(paths, _read_all(paths, "resolutions", schema_dir)):
        _load_resolutions(project, path, doc)
    dismissed = data_dir / "dismissed.yaml"
    if dismissed.exists():
        _load_dismissed(project, dismissed, _read(dismissed, "dismissed", schema_dir))
    claimed = {c.topic for c in project.claims.values()} | {c.topic for c in project.drafts}
    for topic in project.topics.values():
        if topic.id not in claimed:
            raise InputError(topic.where.path, topic.where.line, f"topic {topic.id} has no claims; add one or remove the topic")
    return project


def calendar_date(text, path: Path, line: int, what: str) -> str:
    """``text`` when it is a day of the calendar written YYYY-MM-DD (the schemas check only the
    form: 2023-02-31 and 9999-99-99 have it); else one line naming the file and line."""
    if not (isinstance(text, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", text)):
        raise InputError(path, line, f"{what}: {text!r} is not a date; write YYYY-MM-DD")
    try:
        datetime.date.fromisoformat(text)
    except ValueError as exc:
        raise InputError(path, line, f"{what}: {text} is not a day of the calendar ({exc})") from None
    return text


def _dates(doc, path: Path, steps: tuple, fields: dict) -> None:
    """Every date of one entry (``fields``: its key -> the steps under the entry) is a real day."""
    for name, sub in fields.items():
        node = doc.data
        for step in (*steps, *sub):
            if isinstance(node, dict):
                node = node.get(step)
            elif isinstance(node, list) and isinstance(step, int) and step < len(node):
                node = node[step]
            else:
                node = None
        if node is not None:
            calendar_date(node, path, line_at(doc, (*steps, *sub)), name)


def _load_sources(project, path, schema_dir):
    doc = _read(path, "sources", schema_dir)
    files = {}
    for i, s in enumerate(doc["sources"]):
        where = _where(path, doc, "sources", i)
        _dates(doc, path, ("sources", i), {"saved": ("saved",), "date.value": ("date", "value"),
                                           **{f"history[{j}].saved": ("history", j, "saved")
                                              for j in range(len(s.get("history") or []))}})
        if s["id"] in project.sources:
            raise InputError(path, where.line, f"duplicate source id {s['id']}")
        if s["file"] in files:
            raise InputError(path, where.line, f"source {s['id']} uses the archive file of source {files[s['file']]}")
        files[s["file"]] = s["id"]
        project.sources[s["id"]] = Source(s["id"], s["file"], s["sha256"], s["title"], s["label"], s["names"],
                                          s["date"], s["kind"], dict(s["appraisal"]), where,
                                          s.get("draft", False), s.get("url"), s.get("saved"),
                                          [dict(h) for h in s.get("history", [])], s.get("publisher"))
        for h in s.get("history", []):
            if h["file"] in files:
                raise InputError(path, where.line, f"source {s['id']}: history file {h['file']} is already used by source {files[h['file']]}")
            files[h["file"]] = s["id"]


def _load_guidance(project, path, schema_dir):
    doc = _read(path, "guidance", schema_dir)
    for i, c in enumerate(doc["citations"]):
        if c["key"] in project.citations:
            raise InputError(path, line_at(doc, ["citations", i]), f"duplicate citation key {c['key']!r}")
        project.citations[c["key"]] = Citation(c["key"], " ".join(c["text"].split()))
    for i, f in enumerate(doc["facts"]):
        where = _where(path, doc, "facts", i)
        _dates(doc, path, ("facts", i), {"checked": ("checked",)})
        if f["id"] in project.guidance:
            raise InputError(path, where.line, f"duplicate guidance id {f['id']}")
        for key in f["cite"]:
            if key not in project.citations:
                raise InputError(path, where.line, f"{f['id']} cites {key!r}, which is not in citations")
        value = None
        if "value" in f:
            lo, hi = f["value"].get("min"), f["value"].get("max")
            if any(x is not None and not -1e9 < x < 1e9 for x in (lo, hi)):  # NaN fails both comparisons
                raise InputError(path, line_at(doc, ["facts", i, "value"]), f"{f['id']}: the value needs finite numbers")
            if lo is not None and hi is not None and lo > hi:
                raise InputError(path, where.line, f"{f['id']}: the range is upside down: min {lo} is above max {hi}")
            about = bool(f["value"].get("about"))
            if about != bool(ABOUT.search(f["says"])):  # the chart's "about" is the fact's own word, never ours
                raise InputError(path, line_at(doc, ["facts", i, "value"]),
                                 f"{f['id']}: " + ("value has about: true, but says: gives no 'about' before a number"
                                                   if about else "says: gives the range as 'about', but value lacks about: true"))
            value = Range(lo, hi, f["value"]["unit"], f["value"].get("for"), about)
        topics = [f["topic"]] if isinstance(f.get("topic"), str) else list(f.get("topic", []))
        if ("value" in f or "status" in f) and not topics:
            raise InputError(path, where.line, f"{f['id']}: a fact with a value or a status names its topic")
        project.guidance[f["id"]] = GuidanceFact(f["id"], f["row"], " ".join(f["says"].split()), list(f["cite"]),
                                                 f.get("secondary", False), where, topics, value,
                                                 f.get("status"), list(f.get("terms", [])), f.get("name"),
                                                 f.get("covers"), f.get("checked"),
                                                 {t: {k: " ".join(v.split()) for k, v in o.items()}
                                                  for t, o in (f.get("open") or {}).items()},
                                                 {t: _list_why(q) for t, q in (f.get("lists") or {}).items()},
                                                 " ".join(f["note"].split()) if f.get("note") else None,
                                                 f.get("label"),
                                                 list_words={t: tuple(q["words"]) for t, q in (f.get("lists") or {}).items()
                                                  if isinstance(q, dict)})


def _list_why(entry) -> str | None:
    """A ``lists:`` entry's qualifier: null, the string itself, or a general item's ``why``."""
    why = entry.get("why") if isinstance(entry, dict) else entry
    return " ".join(why.split()) if why else None


def _load_topics(project, path, doc):
    for i, t in enumerate(doc["topics"]):
        where = _where(path, doc, "topics", i)
        tid, kind = t["id"], t["kind"]
        if tid in project.topics:
            other = project.topics[tid].where
            raise InputError(path, where.line, f"duplicate topic id {tid} (first at {other})")
        rule = t.get("rule", RULES[kind])
        if rule != RULES[kind]:
            raise InputError(path, where.line, f"topic {tid}: a {kind} topic is compared by the rule {RULES[kind]!r}, not {rule!r}")
        needs = {"range": "unit", "stance": "options", "choice": "options", "set": "options", "caveat": "caveat"}.get(kind)
        if needs and needs not in t:
            raise InputError(path, where.line, f"topic {tid}: a {kind} topic needs {needs!r}")
        for extra in ("unit", "options", "caveat"):
            if extra in t and extra != needs:
                raise InputError(path, where.line, f"topic {tid}: {extra!r} does not apply to a {kind} topic")
        if "compatible" in t and kind != "set":
            raise InputError(path, where.line, f"topic {tid}: 'compatible' applies to a set topic only, not a {kind} topic")
        if "same_answer" in t and kind != "stance":
            raise InputError(path, where.line, f"topic {tid}: 'same_answer' applies to a stance topic only, not a {kind} topic")
        groups = tuple(frozenset(g) for g in t.get("same_answer", ()))
        for group in groups:
            unknown = sorted(group - set(t.get("options", {})))
            if unknown:
                raise InputError(path, where.line, f"topic {tid}: 'same_answer' names {', '.join(unknown)}, not options of the topic")
        if len(groups) > 1 and len(frozenset().union(*groups)) < sum(map(len, groups)):
            raise InputError(path, where.line, f"topic {tid}: an option is in two 'same_answer' groups")
        project.topics[tid] = Topic(tid, t["question"], t["page"], kind, rule, t.get("unit"),
                                    dict(t.get("options", {})), t.get("caveat"), where, t.get("role"),
                                    bool(t.get("compatible", False)),
                                    ask=t.get("ask"), same_answer=groups)


def _value(topic: Topic, raw, path, line, quote: str = ""):
    """Turn a claim's raw value into the typed value its topic's kind expects. A range claim whose quote gives
    no number in the topic's unit ("early in pregnancy") carries no value: it is left out of the comparison
    and shown as giving none; one whose quote gives a number must carry it."""
    kind = topic.kind
    if kind == "fact":
        if raw is not None:
            raise InputError(path, line, f"topic {topic.id} is a fact: its claims carry no value")
        return None
    if kind == "range" and raw is None:
        given = [m.text for m in mentions(quote) if m.kind == ("mm" if topic.unit == "cm" else topic.unit)]
        if given:
            raise InputError(path, line, f"topic {topic.id} is a range and the quote gives {given[0]!r}: "
                                         f"write the value as {{min: N, max: N, unit: {topic.unit}}}")
        return None
    if raw is None:
        raise InputError(path, line, f"topic {topic.id} is a {kind}: the claim needs a value")
    if kind == "range":
        if not isinstance(raw, dict):
            raise InputError(path, line, f"topic {topic.id} is a range: write the value as {{min: N, max: N, unit: {topic.unit}}}")
        if raw["unit"] != topic.unit:
            raise InputError(path, line, f"wrong unit {raw['unit']!r}: topic {topic.id} is measured in {topic.unit}")
        lo, hi = raw.get("min"), raw.get("max")
        beyond = out_of_bounds(lo, hi, topic.unit)
        if beyond:
            raise InputError(path, line, f"{beyond}; is it a typo? (data/README.md, Bounds)")
        if topic.unit == "count" and any(b is not None and b != int(b) for b in (lo, hi)):
            raise InputError(path, line, "a count is a whole number")
        if lo is not None and hi is not None and lo > hi:
            raise InputError(path, line, f"the range is upside down: min {lo} is above max {hi}")
        return Range(lo, hi, raw["unit"])
    if kind == "caveat":
        if raw not in CAVEAT_VALUES:
            raise InputError(path, line, f"topic {topic.id} is a caveat: the value is 'stated', 'limited' or 'omitted', "
                                         f"not {raw!r}")
        return raw
    if kind == "set":
        items = raw if isinstance(raw, list) else None
        if items is None:
            raise InputError(path, line, f"topic {topic.id} is a set: write the value as a list, for example [{next(iter(topic.options))}]")
    else:
        if not isinstance(raw, str):
            raise InputError(path, line, f"topic {topic.id} is a {kind}: the value is one word from its options")
        items = [raw]
    for item in items:
        if item not in topic.options:
            raise InputError(path, line, f"{item!r} is not an option of topic {topic.id} (options: {', '.join(topic.options)})")
    return tuple(sorted(set(items))) if kind == "set" else raw


def _shows_problem(quote: str, shows: str) -> str | None:
    from .excerpt import shows_problem  # the retrieval library it needs is loaded only for a claim with `shows`
    return shows_problem(quote, shows)


def _load_claims(project, path, doc, draft: bool):
    """The hot loop of a large project (100k claims): lines are read from the shadow directly."""
    shadows = doc.shadow[1]["claims"][1]  # each claim's (line, {field: line or shadow})
    sources, topics, claims = project.sources, project.topics, project.claims
    for c, (line, fields) in zip(doc["claims"], shadows):
        where = Where(path, line)
        if c["source"] not in sources:
            raise InputError(path, line, f"unknown source {c['source']!r} (known: {', '.join(sources)})")
        topic = topics.get(c["topic"])
        if topic is None:
            raise InputError(path, line, f"unknown topic {c['topic']!r}; add it to data/topics first")
        words = len(c["quote"].split())
        if words > MAX_QUOTE_WORDS:
            raise InputError(path, fields["quote"],
                             f"the quote has {words} words; keep it to a clause or a sentence (at most {MAX_QUOTE_WORDS})")
        value_line = fields.get("value", line)
        value = _value(topic, c.get("value"), path, value_line if isinstance(value_line, int) else value_line[0],
                       c["quote"])
        shows = c.get("shows")
        if shows is not None and (problem := _shows_problem(c["quote"], shows)):
            line_of = fields.get("shows", line)
            raise InputError(path, line_of if isinstance(line_of, int) else line, f"shows: {problem}")
        claim = Claim(c["source"], c["topic"], value, " ".join(c["says"].split()), c["quote"], c.get("note"),
                      c.get("implied", False), c.get("unused"), draft or c.get("draft", False), where,
                      c.get("occurrence"), shows)
        if claim.draft:
            project.drafts.append(claim)
            continue
        cid = claim.id
        if cid in claims:
            raise InputError(path, line, f"duplicate claim {cid} (first at {claims[cid].where})")
        claims[cid] = claim


def _load_resolutions(project, path, doc):
    for i, r in enumerate(doc["resolutions"]):
        where = _where(path, doc, "resolutions", i)
        _dates(doc, path, ("resolutions", i), {"reviewed": ("reviewed",), "next_review": ("next_review",)})
        if r["topic"] not in project.topics:
            raise InputError(path, where.line, f"unknown topic {r['topic']!r}")
        if r["topic"] in project.resolutions:
            raise InputError(path, where.line, f"duplicate resolution for {r['topic']} (first at {project.resolutions[r['topic']].where})")
        supports = {}
        for s, mark in r["supports"].items():
            # `"003": [facts]` matches those facts; `"003": {partly: [facts]}` matches only part of them.
            level, facts = ("partly", mark["partly"]) if isinstance(mark, dict) else ("matches", mark)
            supports[s] = {"level": level, "guidance": list(facts)}
            for key in ("part", "why"):
                if isinstance(mark, dict) and key in mark:
                    supports[s][key] = " ".join(mark[key].split())
        differs = {s: list(facts) for s, facts in r.get("differs", {}).items()}
        uncompared = {s: " ".join(why.split()) for s, why in r.get("uncompared", {}).items()}
        beyond = {s: " ".join(why.split()) for s, why in r.get("beyond", {}).items()}
        for s in [*supports, *r.get("trusted", []), *differs, *uncompared, *beyond]:
            if s not in project.sources:
                raise InputError(path, where.line, f"supports names unknown source {s!r}")
        for g in [*r.get("guidance", []), *(g for m in supports.values() for g in m["guidance"]),
                  *(g for facts in differs.values() for g in facts)]:
            if g not in project.guidance:
                raise InputError(path, where.line, f"unknown guidance id {g!r} (see data/guidance.yaml)")
        project.resolutions[r["topic"]] = Resolution(
            r["topic"], " ".join(r["summary"].split()), " ".join(r["short"].split()), supports,
            list(r.get("guidance", [])), r["reviewed"], r.get("guidance_silent", False),
            " ".join(r["trust"].split()) if r.get("trust") else None, r.get("outdated", False), where,
            weighed=dict(r["weighed"]) if "weighed" in r else None,
            trusted=list(r.get("trusted", [])), next_review=r.get("next_review"), differs=differs,
            uncompared=uncompared, beyond=beyond, in_part=" ".join(r["in_part"].split()) if r.get("in_part") else None)


def _load_dismissed(project, path, doc):
    for key, into in (("dismissed", project.dismissed), ("acknowledged", project.acknowledged)):
        for i, d in enumerate(doc.get(key, ())):
            where = _where(path, doc, key, i)
            if d["source"] not in project.sources:
                raise InputError(path, where.line, f"unknown source {d['source']!r}")
            into.append(Dismissal(d["source"], d["text"], d["reason"], where))
