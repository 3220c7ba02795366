"""Editing one entry of a YAML list in place, line by line, so that the rest of the file
(comments, folding, order) stays byte for byte what the editor wrote.

An entry is a list item ``  - key: ...`` and the lines after it up to the next item at the same
indent. The tools only ever set one-line keys (``file:``, ``weighed: {...}``) or add a one-line
item to a list key (``history:``); everything they write is a valid YAML flow value.
"""
from __future__ import annotations

import re


def entry_span(lines: list[str], first: int) -> tuple[int, int, int]:
    """(start, end, key indent) of the entry whose item line is ``lines[first]`` (0-based, end exclusive).
    Trailing blank and comment lines belong to whatever follows, not to the entry."""
    m = re.match(r"^(\s*)-\s+", lines[first])
    if not m:
        raise ValueError(f"line {first + 1} is not a list item")
    item_indent, key_indent = len(m.group(1)), len(m.group(0))
    end = first + 1
    while end < len(lines):
        line = lines[end]
        stripped = line.strip()
        if stripped and not stripped.startswith("#") and len(line) - len(line.lstrip()) <= item_indent:
            break
        end += 1
    while end > first + 1 and (not lines[end - 1].strip() or lines[end - 1].strip().startswith("#")):
        end -= 1
    return first, end, key_indent


def key_lines(lines: list[str], span: tuple[int, int, int], key: str) -> tuple[int, int] | None:
    """(start, end) of ``key`` and its value (the more indented lines after it) inside the entry."""
    start, end, indent = span
    pattern = re.compile(rf"^(?:\s*-\s+|\s{{{indent}}}){re.escape(key)}:(\s|$)")
    for i in range(start, end):
        if pattern.match(lines[i]) and (i == start or len(lines[i]) - len(lines[i].lstrip()) == indent):
            j = i + 1
            while j < end:
                line = lines[j]
                depth = len(line) - len(line.lstrip())
                if line.strip() and not (depth > indent or (depth == indent and line.lstrip().startswith("- "))):
                    break
                j += 1
            while j > i + 1 and not lines[j - 1].strip():
                j -= 1
            return i, j
    return None


def set_key(lines: list[str], span: tuple[int, int, int], key: str, value: str) -> list[str]:
    """The lines with ``key: value`` set in the entry: its line(s) replaced, or added as the entry's last key."""
    start, end, indent = span
    new = f"{' ' * indent}{key}: {value}\n"
    found = key_lines(lines, span, key)
    if found is None:
        return lines[:end] + [new] + lines[end:]
    i, j = found
    if i == start:  # the key on the item line itself: keep the dash
        new = lines[i][:indent] + f"{key}: {value}\n"
    return lines[:i] + [new] + lines[j:]


def add_item(lines: list[str], span: tuple[int, int, int], key: str, item: str) -> list[str]:
    """The lines with ``- item`` appended to the list under ``key`` (the key added last if absent)."""
    start, end, indent = span
    found = key_lines(lines, span, key)
    if found is None:
        return lines[:end] + [f"{' ' * indent}{key}:\n", f"{' ' * (indent + 2)}- {item}\n"] + lines[end:]
    i, j = found
    if lines[i].split(":", 1)[1].strip() in ("[]", ""):
        head = lines[i].split(":", 1)[0] + ":\n"
        return lines[:i] + [head] + lines[i + 1:j] + [f"{' ' * (indent + 2)}- {item}\n"] + lines[j:]
    raise ValueError(f"line {i + 1}: write {key} as a block list (one '- ' item a line) so the tool can add to it")
