"""References to CCL paragraphs inside control texts.

The CCL names paragraphs in several shapes, all of which occur in the 2026 snapshot:
``9A610.x`` (ECCN and path), ``.b.5`` and ``.16`` (relative to the reference before them), ``b``,
``e.1`` or ``z.2.a`` (a path from the top of the entry, inside a list), ``9A004 .g`` and ``8A620. b``
(stray spaces), and ranges (``k to n``, ``a.1 through a.8``). A relative path that starts with a letter
restarts at the top of the entry ("5A001.b (except .b.5)"); one that starts with a number is a sibling at
the last numbered level ("1C351.d.15 and .16" names d.16).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

Path = tuple[str, ...]
"""A paragraph below the ECCN: ``("b", "5")`` is ``.b.5``; ``()`` is the entry as a whole."""

ECCN = re.compile(r"\b\d[A-Z]\d{3}\b")
_COMPONENT = r"(?:[a-z]|\d{1,3})(?![a-z0-9])"
_REFERENCE = re.compile(
    # ECCN, optionally with a path (stray spaces around the dots occur in the CCL text)
    rf"(?P<eccn>\b\d[A-Z]\d{{3}}\b)(?P<eccn_path>(?:\s?\.\s?{_COMPONENT})*)"
    # a relative path with a leading dot: .b, .b.5, .16, ". b"
    rf"|(?<![\w.])\.\s?(?P<dotted>{_COMPONENT}(?:\.{_COMPONENT})*)"
    # a path of two or more components without the dot: e.1, b.5, z.2.a (never e.g. or i.e.)
    rf"|(?<![\w.“”\"'])(?!e\.g|i\.e)(?P<bare>[a-z](?:\.{_COMPONENT})+)(?![\w])"
    # a single letter, only where a list puts it: ", b", "and y", "k to n", "(except f", "paragraph c"
    r"|(?:(?<=, )|(?<=\band )|(?<=\bor )|(?<=\bto )|(?<=\bthrough )|(?<=\(except )|(?<=\bparagraph )"
    r"|(?<=\bparagraphs ))(?P<letter>[a-z])"
    r"(?=,|\s+and\b|\s+or\b|\s+to\b|\s+through\b|\)|\s\(|;|\.(?:\s|$)|\s+only\b|$)"
)
_RANGE = re.compile(r"\s+(?:to|through)\s+")


@dataclass(frozen=True)
class Reference:
    """One paragraph reference found in a text, resolved to its ECCN."""

    eccn: str
    path: Path
    start: int
    end: int

    def __str__(self) -> str:
        return ".".join((self.eccn, *self.path))


def _components(text: str) -> Path:
    return tuple(re.findall(r"[a-z]+|\d+", text))


def _resolve(relative: Path, last: Reference | None, entry: str) -> tuple[str, Path]:
    eccn = last.eccn if last else entry
    if relative[0].isdigit() and last is not None:
        numbered = [i for i, part in enumerate(last.path) if part.isdigit()]
        if numbered:
            return eccn, last.path[: numbered[-1]] + relative
    return eccn, relative


def _successor(part: str) -> str:
    return str(int(part) + 1) if part.isdigit() else chr(ord(part) + 1)


def _expand(first: Reference, last: Reference) -> list[Reference]:
    """The paragraphs strictly between two ends of a range ("k to n" gives l and m)."""
    if first.eccn != last.eccn or not first.path or len(first.path) != len(last.path):
        return []
    if first.path[:-1] != last.path[:-1]:
        return []
    low, high = first.path[-1], last.path[-1]
    if low.isdigit() != high.isdigit():
        return []
    if (int(low) >= int(high)) if low.isdigit() else (low >= high):
        return []
    between: list[Reference] = []
    part = _successor(low)
    while part != high and len(between) < 50:
        between.append(Reference(first.eccn, (*first.path[:-1], part), first.end, last.start))
        part = _successor(part)
    return between


def references(text: str, entry: str) -> list[Reference]:
    """Every paragraph reference in ``text``, in order, relative ones resolved; ``entry`` is the ECCN whose
    control text this is (relative references at the start of a text belong to it)."""
    found: list[Reference] = []
    last: Reference | None = None
    for match in _REFERENCE.finditer(text):
        if match["eccn"]:
            eccn, path = match["eccn"], _components(match["eccn_path"])
        else:
            relative = _components(match["dotted"] or match["bare"] or match["letter"])
            eccn, path = _resolve(relative, last, entry)
        reference = Reference(eccn, path, match.start(), match.end())
        if last is not None and _RANGE.fullmatch(text[last.end : reference.start]):
            found.extend(_expand(last, reference))
        found.append(reference)
        last = reference
    return found
