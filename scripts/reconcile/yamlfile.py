"""Reading YAML once, keeping the line of every mapping and list item.

Bad input of any kind becomes one ``InputError`` that names the file and line.
"""
from __future__ import annotations

from pathlib import Path

import yaml

try:  # the C parser when PyYAML was built with libyaml; same behaviour, faster
    from yaml import CSafeLoader as _Base
except ImportError:  # pragma: no cover
    from yaml import SafeLoader as _Base

MAX_BYTES = 20 * 1024 * 1024  # a data file larger than this is a mistake, not data


class InputError(Exception):
    """Bad input: printed as one line, ``file:line: message``; exit status 2."""

    def __init__(self, path, line, message):
        super().__init__(message)
        self.path, self.line, self.message = Path(path), line, message

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}" if self.line else f"{self.path}: {self.message}"

    def __reduce__(self):  # survives the trip back from a worker process
        return (InputError, (self.path, self.line, self.message))


class LineDict(dict):
    """A mapping that remembers the line of itself and of each key."""
    line = 0
    lines: dict


class LineList(list):
    line = 0
    lines: list


class _Loader(_Base):
    pass


def _mapping(loader, node):
    d = LineDict()
    d.line = node.start_mark.line + 1
    d.lines = {}
    for key_node, value_node in node.value:
        key = loader.construct_object(key_node, deep=True)
        if not isinstance(key, (str, int, float, bool)) or key is None:
            raise InputError(loader.name, key_node.start_mark.line + 1, "a key must be a plain word")
        if key in d:
            raise InputError(loader.name, key_node.start_mark.line + 1, f"the key {key!r} appears twice")
        d[key] = loader.construct_object(value_node, deep=True)
        d.lines[key] = value_node.start_mark.line + 1
    return d


def _sequence(loader, node):
    out = LineList(loader.construct_object(child, deep=True) for child in node.value)
    out.line = node.start_mark.line + 1
    out.lines = [child.start_mark.line + 1 for child in node.value]
    return out


_Loader.add_constructor("tag:yaml.org,2002:map", _mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _sequence)
# Dates stay strings: the schemas check their form, and JSON output needs no conversion.
_Loader.add_constructor("tag:yaml.org,2002:timestamp", _Base.construct_yaml_str)


def read_yaml(path: Path):
    """Parse one YAML file; every failure is an InputError naming the file."""
    path = Path(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise InputError(path, 0, f"cannot read the file ({exc.strerror})") from None
    if size > MAX_BYTES:
        raise InputError(path, 0, f"the file is {size} bytes; data files above {MAX_BYTES} bytes are refused")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise InputError(path, line, "the file is not UTF-8 text; save it as UTF-8") from None
    if not text.strip():
        raise InputError(path, 1, "the file is empty")
    loader = _Loader(text)
    loader.name = str(path)
    try:
        return loader.get_single_data()
    except InputError:
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        problem = " ".join(filter(None, [exc.context, exc.problem]))
        raise InputError(path, line, f"invalid YAML: {problem}") from None
    except yaml.YAMLError as exc:
        raise InputError(path, 0, f"invalid YAML: {exc}") from None
    except (RecursionError, ValueError, TypeError, OverflowError) as exc:
        raise InputError(path, 0, f"invalid YAML: {exc.__class__.__name__}: {exc}") from None
    finally:
        loader.dispose()


def line_at(doc, path) -> int:
    """The line of the deepest node on ``path`` (a jsonschema error path) that remembers one."""
    line, node = getattr(doc, "line", 0), doc
    for step in path:
        lines = getattr(node, "lines", None)
        if isinstance(node, LineDict) and step in node:
            line = lines.get(step, line)
        elif isinstance(node, LineList) and isinstance(step, int) and step < len(node):
            line = lines[step]
        else:
            break
        node = node[step]
        line = getattr(node, "line", line) or line
    return line
