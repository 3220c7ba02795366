"""Editing one entry of a YAML list in place, so that the rest of the file (comments, folding,
order, style) stays byte for byte what the editor wrote.

The entry and its keys are found by the YAML parser's own positions (every node's start and end in
the text), not by reading lines, so any layout YAML allows is handled: a list item's ``-`` alone on
its line, an entry or a list written in flow style (``{...}``, ``[...]``), a block scalar before the
key. A value is written as JSON, which is YAML in block and flow context alike. The edited text is
parsed again and must hold exactly the data intended (the old data with these keys changed): the
tools never write a file that does not load, nor change anything else.
"""
from __future__ import annotations

import copy
import json
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from .yamlfile import InputError, parse_yaml

try:
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover
    _Loader = yaml.SafeLoader


def edit_entry(path: Path, text: str, list_key: str, match: tuple[str, str],
               sets: dict | None = None, appends: dict | None = None) -> str:
    """``text`` (the file ``path``) with one entry of the list under ``list_key`` edited: the entry
    whose ``match[0]`` is ``match[1]``. ``sets``: key -> value, set (replaced, or added as the
    entry's last key); ``appends``: key -> item, added at the end of the list under that key (the
    key added when missing or empty). Values are plain data (str, int, None, lists, dicts)."""
    sets, appends = sets or {}, appends or {}
    data = parse_yaml(path, text).data
    entries = data.get(list_key) if isinstance(data, dict) else None
    index = next((i for i, e in enumerate(entries or []) if isinstance(e, dict) and str(e.get(match[0])) == match[1]), None)
    if index is None:
        raise InputError(path, 0, f"no entry with {match[0]}: {match[1]} under {list_key}:")
    root = yaml.compose(text, Loader=_Loader)
    node = _value(root, list_key).value[index]
    edits: list[tuple[int, int, int, str]] = []  # (start, end, order, replacement)
    for key, value in sets.items():
        pair = _pair(node, key)
        edits.append(_replace(text, pair, _flow(value)) if pair else _add_key(text, node, key, _flow(value)))
    for key, item in appends.items():
        pair = _pair(node, key)
        if pair and isinstance(pair[1], SequenceNode) and pair[1].value:
            edits.append(_add_item(text, pair[1], _flow(item)))
        elif pair:
            edits.append(_replace(text, pair, _flow([item])))
        else:
            edits.append(_add_key(text, node, key, _flow([item])))
    new = text
    for start, end, _, replacement in sorted(((s, e, n, r) for n, (s, e, r) in enumerate(edits)), reverse=True):
        new = new[:start] + replacement + new[end:]
    expected = copy.deepcopy(data)
    entry = expected[list_key][index]
    entry.update(sets)
    for key, item in appends.items():
        entry[key] = (entry.get(key) if isinstance(entry.get(key), list) else []) + [item]
    line = node.start_mark.line + 1
    try:
        ok = parse_yaml(path, new).data == expected
    except InputError:
        ok = False
    if not ok:
        raise InputError(path, line, f"cannot edit the entry with {match[0]} {match[1]} in place without changing "
                                     "something else (a layout the tool does not handle); nothing was written: "
                                     "write the entry one key a line and run the command again")
    return new


def _flow(value) -> str:
    return json.dumps(value, ensure_ascii=False)


def _value(mapping, key: str):
    return next(v for k, v in mapping.value if isinstance(k, ScalarNode) and k.value == key)


def _pair(mapping, key: str):
    return next(((k, v) for k, v in mapping.value if isinstance(k, ScalarNode) and k.value == key), None)


def _end(node) -> int:
    """Where ``node``'s own text ends: a block collection at its last child, a scalar before any
    line break that follows it (a block scalar's end mark is on the next line)."""
    if isinstance(node, (MappingNode, SequenceNode)) and not node.flow_style and node.value:
        last = node.value[-1]
        return _end(last[1] if isinstance(node, MappingNode) else last)
    return node.end_mark.index


def _line_end(text: str, at: int) -> int:
    """The start of the line after the one where ``at`` lies (``at`` itself when a line starts there)."""
    if at > 0 and text[at - 1] == "\n":
        return at
    nl = text.find("\n", at)
    return len(text) if nl < 0 else nl + 1


def _replace(text: str, pair, flow: str) -> tuple[int, int, str]:
    key, value = pair
    if isinstance(value, ScalarNode) and value.value == "" and not value.style:  # `key:` with nothing after
        colon = text.index(":", key.end_mark.index) + 1
        return colon, colon, " " + flow
    start, end = value.start_mark.index, _end(value)
    if isinstance(value, ScalarNode):
        while end > start and text[end - 1] in "\r\n":  # a block scalar's end: keep the line break
            end -= 1
    return start, end, flow


def _add_key(text: str, mapping, key: str, flow: str) -> tuple[int, int, str]:
    if mapping.flow_style:
        return _before_close(text, mapping, f"{key}: {flow}")
    at = _line_end(text, _end(mapping))
    line = f"{' ' * mapping.start_mark.column}{key}: {flow}\n"
    return at, at, line if at == 0 or text[at - 1] == "\n" else "\n" + line


def _add_item(text: str, sequence, flow: str) -> tuple[int, int, str]:
    if sequence.flow_style:
        return _before_close(text, sequence, flow)
    at = _line_end(text, _end(sequence))
    line = f"{' ' * sequence.start_mark.column}- {flow}\n"
    return at, at, line if at == 0 or text[at - 1] == "\n" else "\n" + line


def _before_close(text: str, node, item: str) -> tuple[int, int, str]:
    """Insert ``item`` before the closing bracket of a flow collection."""
    close = node.end_mark.index - 1
    before = text[:close].rstrip()
    comma = "" if before.endswith(("[", "{", ",")) else ", "
    return close, close, comma + item
