"""Reading YAML once, keeping the line of every mapping and list item.

Bad input of any kind becomes one ``InputError`` that names the file and line.

The data is a plain tree of mappings, lists and scalars, so the document is built here from
libyaml's event stream (iterative: no recursion to overflow) instead of PyYAML's composer and
constructor. That is also about three times faster. On the way it refuses what the data never
uses and what makes YAML dangerous: anchors and aliases (billion-laughs expansion), explicit
tags, more than one document, nesting deeper than ``MAX_DEPTH``, and numbers that are not finite.
"""
from __future__ import annotations

import json
import math
import os
import re
import stat
from pathlib import Path

import yaml
from yaml.constructor import SafeConstructor
from yaml.events import (AliasEvent, DocumentStartEvent, MappingEndEvent, MappingStartEvent, ScalarEvent,
                         SequenceEndEvent, SequenceStartEvent, StreamEndEvent)
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

try:  # libyaml's parser when PyYAML was built with it; the same events, much faster
    from yaml._yaml import CParser as _Parser
except ImportError:  # pragma: no cover
    from yaml.loader import SafeLoader as _Parser

MAX_BYTES = 20 * 1024 * 1024  # a data file larger than this is a mistake, not data
MAX_MESSAGE = 400              # characters of an error message; the rest of a quoted value is cut
MAX_DEPTH = 20                # the data nests five levels at most; libyaml tools crash near 25,000

# Direction controls (embeddings, overrides, isolates, marks): an unterminated U+202E reverses the text shown
# after it, the project's own included ("ACOG PB 142" as "241 BP"). No data text needs one: refused.
BIDI = "\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
_BIDI = re.compile(f"[{BIDI}]")
# Characters YAML allows in a stream (libyaml refuses the others with a two-line message and no line), less the
# direction controls: one class, so the whole file is searched once.
_NOT_PRINTABLE = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\u061b\u061d-\u200d\u2010-\u2029\u202f-\u2065\u206a-\ud7ff"
                            "\ue000-\ufffd\U00010000-\U0010ffff]")
_CONTROL = re.compile(f"[\\x00-\\x1f\\x7f-\\x9f\\u2028\\u2029{BIDI}]")
_ESCAPED = re.compile(f"[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f{BIDI}]")  # what "\\0", "\\e", "\\u202e" escapes bring in
_TERMINAL = re.compile(f"[\\x00-\\x08\\x0b-\\x1f\\x7f-\\x9f\\u2028\\u2029{BIDI}]")


def for_terminal(text: str) -> str:
    """``text`` as a terminal may print it: every control character but the line break and the tab, and every
    direction control, shown as ``\\uXXXX`` (an archive's ESC/OSC sequences do nothing; JSON stays valid JSON)."""
    return _TERMINAL.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def _character(ch: str) -> str:
    if _BIDI.match(ch):
        return f"the direction control U+{ord(ch):04X}, which can reverse the text shown after it"
    return f"the control character U+{ord(ch):04X}"


def one_line(text: str) -> str:
    """``text`` with every line break and control character shown as an escape, so a message stays one line."""
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text)


class InputError(Exception):
    """Bad input: printed as one line, ``file:line: message``; exit status 2."""

    def __init__(self, path, line, message):
        super().__init__(message)
        self.path, self.line, self.message = Path(path), line, message

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else f"{self.path}"
        message = one_line(self.message)
        if len(message) > MAX_MESSAGE:  # a validator quoting a whole wrong value back: keep both ends
            message = message[:MAX_MESSAGE // 2] + " ... " + message[-MAX_MESSAGE // 2:]
        return f"{one_line(where)}: {message}"

    def __reduce__(self):  # survives the trip back from a worker process
        return (InputError, (self.path, self.line, self.message))


class Doc:
    """A parsed file: ``data`` (plain dicts, lists and scalars) and ``shadow``, the same tree of lines.

    ``shadow`` is ``(line, children)`` for a mapping or list (``children``: a dict by key or a list
    of the children's shadows) and the bare line for a scalar. Kept apart from the data so that
    both are plain values: validated as they are, and cached with ``marshal``.
    """
    __slots__ = ("data", "shadow")

    def __init__(self, data, shadow):
        self.data, self.shadow = data, shadow

    def __getitem__(self, key):
        return self.data[key]

    def __contains__(self, key):
        return key in self.data

    def get(self, key, default=None):
        return self.data.get(key, default)

    @property
    def line(self) -> int:
        return self.shadow[0]


def read_limited(path: Path, limit: int = MAX_BYTES, what: str = "data file") -> bytes:
    """The bytes of a regular file, refusing anything else (a FIFO, /dev/zero behind a symlink, a
    folder) and anything over ``limit`` bytes; read at most ``limit + 1`` bytes, since st_size can lie."""
    path = Path(path)
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except OSError as exc:
        raise InputError(path, 0, f"cannot read the {what} ({exc.strerror or exc})") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise InputError(path, 0, f"the {what} is not a regular file")
        with os.fdopen(os.dup(fd), "rb") as f:
            raw = f.read(limit + 1)
    except OSError as exc:
        raise InputError(path, 0, f"cannot read the {what} ({exc.strerror or exc})") from None
    finally:
        os.close(fd)
    if len(raw) > limit:
        raise InputError(path, 0, f"the file is over {limit} bytes; {what}s above {limit} bytes are refused")
    return raw


def read_json(path: Path, what: str, fix: str) -> tuple[object, bytes]:
    """A JSON record the tools write (its parsed value and its bytes); any damage is an InputError
    naming the line and ``fix``, what to run to write it again."""
    raw = read_limited(path, what=what)
    try:
        return json.loads(raw.decode("utf-8")), raw
    except UnicodeDecodeError as exc:
        raise InputError(path, raw[: exc.start].count(b"\n") + 1, f"not UTF-8 text; {fix}") from None
    except json.JSONDecodeError as exc:
        raise InputError(path, exc.lineno, f"not valid JSON ({exc.msg}); {fix}") from None
    except RecursionError:
        raise InputError(path, 1, f"nested too deeply to be the record; {fix}") from None


def decode_text(path: Path, raw: bytes) -> str:
    """UTF-8 text that YAML can read; a bad byte or character is named with its line."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(path, raw[: exc.start].count(b"\n") + 1, "the file is not UTF-8 text; save it as UTF-8") from None
    bad = _NOT_PRINTABLE.search(text)
    if bad:
        line = text.count("\n", 0, bad.start()) + 1
        raise InputError(path, line, f"the file holds {_character(bad.group())}; the data does not allow it: delete it")
    return text


def read_yaml(path: Path) -> Doc:
    """Read and parse one YAML data file (a mapping); every failure is an InputError naming the file."""
    return parse_bytes(Path(path), read_limited(path))


def parse_bytes(path: Path, raw: bytes) -> Doc:
    """Parse the bytes of the data file ``path``."""
    text = decode_text(path, raw)
    if not text.strip():
        raise InputError(path, 1, "the file is empty")
    return parse_yaml(path, text)


# ------------------------------------------------------------------ scalars

_RESOLVERS = Resolver.yaml_implicit_resolvers
_KEEP_STR = {"tag:yaml.org,2002:timestamp", "tag:yaml.org,2002:value", "tag:yaml.org,2002:merge",
             "tag:yaml.org,2002:yaml"}  # dates stay strings: the schemas check their form


class _Construct(SafeConstructor):
    """PyYAML's own rules for ints (0x1f, 1_000), floats and bools, applied to one scalar."""

    def __init__(self):  # no state needed
        pass


_CONSTRUCT = _Construct()
_BUILD = {"tag:yaml.org,2002:int": _CONSTRUCT.construct_yaml_int,
          "tag:yaml.org,2002:float": _CONSTRUCT.construct_yaml_float,
          "tag:yaml.org,2002:bool": _CONSTRUCT.construct_yaml_bool,
          "tag:yaml.org,2002:null": _CONSTRUCT.construct_yaml_null}


def _plain(value: str, path: Path, line: int):
    """A plain (unquoted) scalar as YAML 1.1 reads it: a number, true/false, null, or text."""
    if value.isdigit() and value.isascii() and (value[0] != "0" or value == "0"):
        return int(value)  # the common number, without PyYAML's general rule (a leading 0 is octal)
    for tag, regexp in _RESOLVERS.get(value[:1], ()):
        if regexp.match(value):
            if tag in _KEEP_STR:
                return value
            try:
                out = _BUILD[tag](ScalarNode(tag, value))
            except (ValueError, OverflowError) as exc:
                raise InputError(path, line, f"cannot read {value!r} as a number ({exc})") from None
            if isinstance(out, float) and not math.isfinite(out):
                raise InputError(path, line, f"{value!r} is not a finite number")
            return out
    return value


# ------------------------------------------------------------------ documents

def _refuse(path: Path, event, what: str):
    raise InputError(path, event.start_mark.line + 1, what)


def parse_yaml(path: Path, text: str):
    """Build the document of ``text`` (read from ``path``) from the parser's events."""
    path = Path(path)
    parser = _Parser(text)
    try:
        return _build(parser, path)
    except InputError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        problem = " ".join(filter(None, [exc.context, exc.problem]))
        raise InputError(path, mark.line + 1 if mark else 1, f"invalid YAML: {problem}") from None
    except yaml.YAMLError as exc:
        raise InputError(path, 1, f"invalid YAML: {exc}") from None
    finally:
        dispose = getattr(parser, "dispose", None)
        if dispose:
            dispose()


def _build(parser, path: Path) -> Doc:
    """The loop runs once per event (about 14 per claim), so the state is kept in locals:
    ``cur`` is the open container and ``lines`` its children's shadows, ``key`` the pending key
    of a mapping (``_NO_KEY`` when a key comes next; always in a list), ``stack`` the outer ones."""
    get = parser.get_event
    root, doc_line, docs = _NO_KEY, 1, 0
    cur, lines, key, cur_line, stack = None, None, _NO_KEY, 0, []
    while True:
        event = get()
        cls = event.__class__
        if cls is ScalarEvent:
            if event.anchor is not None or event.tag is not None:
                _refuse_extras(path, event)
            value = event.value
            if event.implicit[0]:
                if value[:1] in _RESOLVERS:  # plain: may be a number, bool or null
                    value = _plain(value, path, event.start_mark.line + 1)
            elif value and (value.isspace() or (event.style == '"' and _ESCAPED.search(value))):
                _text_refused(path, event)  # only quoted and block text can be blank or hold escapes
            if key is not _NO_KEY:
                cur[key] = value
                lines[key] = event.start_mark.line + 1
                key = _NO_KEY
            elif cur.__class__ is list:
                cur.append(value)
                lines.append(event.start_mark.line + 1)
            elif cur is None:
                root = (value, event.start_mark.line + 1)
            elif value.__class__ is str and value not in cur:
                key = value
            else:
                key = _key(cur, value, path, event)
            continue
        if cls is MappingStartEvent or cls is SequenceStartEvent:
            if event.anchor is not None or event.tag is not None:
                _refuse_extras(path, event)
            if len(stack) >= MAX_DEPTH:
                _refuse(path, event, f"the data nests more than {MAX_DEPTH} levels deep")
            if key is _NO_KEY and cur.__class__ is dict:
                raise InputError(path, event.start_mark.line + 1, "a key must be a plain word")
            stack.append((cur, lines, key, cur_line))
            if cls is MappingStartEvent:
                cur, lines = {}, {}
            else:
                cur, lines = [], []
            key, cur_line = _NO_KEY, event.start_mark.line + 1
            continue
        if cls is MappingEndEvent or cls is SequenceEndEvent:
            node, shadow = cur, (cur_line, lines)
            cur, lines, key, cur_line = stack.pop()
            if key is not _NO_KEY:
                cur[key] = node
                lines[key] = shadow
                key = _NO_KEY
            elif cur is None:
                root = (node, shadow)
            else:
                cur.append(node)
                lines.append(shadow)
            continue
        if cls is AliasEvent:
            _refuse(path, event, f"aliases (*{event.anchor}) are not used in the data; write the value out")
        if cls is DocumentStartEvent:
            docs += 1
            if docs > 1:
                _refuse(path, event, "the file holds more than one YAML document (a second '---'); keep one")
            doc_line = event.start_mark.line + 1
        elif cls is StreamEndEvent:
            if root is _NO_KEY:
                raise InputError(path, 1, "the file holds no data (only comments or blank lines)")
            data, shadow = root
            if data.__class__ is not dict:
                line = doc_line if data is None else shadow[0] if isinstance(shadow, tuple) else shadow
                raise InputError(path, line or doc_line, f"the file must hold fields (like 'claims:'), not {_kind(data)}")
            return Doc(data, shadow)


_NO_KEY = object()


def _text_refused(path: Path, event):
    if event.value.isspace():
        _refuse(path, event, "the text is only spaces; write something, or leave the field out")
    bad = _ESCAPED.search(event.value).group()
    _refuse(path, event, f"the text holds {_character(bad)}; remove it")


def _refuse_extras(path: Path, event):
    if event.anchor is not None:
        _refuse(path, event, f"anchors (&{event.anchor}) are not used in the data; write the value out")
    _refuse(path, event, f"tags ({event.tag}) are not used in the data; write the value plainly")


def _key(mapping: dict, key, path: Path, event):
    if key is None or not isinstance(key, (str, int, float, bool)):
        raise InputError(path, event.start_mark.line + 1, "a key must be a plain word")
    if key in mapping:
        raise InputError(path, event.start_mark.line + 1, f"the key {key!r} appears twice")
    return key


def _kind(value) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, list):
        return "a list"
    return f"the single value {value!r}"[:80]


def line_at(doc, path) -> int:
    """The line of the deepest node on ``path`` (a jsonschema error path, or keys and indexes)
    that ``doc`` (a ``Doc``, or a shadow) knows."""
    shadow = doc.shadow if isinstance(doc, Doc) else doc
    line = shadow if isinstance(shadow, int) else shadow[0]
    for step in path:
        if not isinstance(shadow, tuple):
            break
        children = shadow[1]
        try:
            shadow = children[step]
        except (KeyError, IndexError, TypeError):
            break
        line = shadow if isinstance(shadow, int) else shadow[0]
    return line
