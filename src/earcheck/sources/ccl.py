"""The Commerce Control List (15 CFR part 774, Supplement No. 1), one ECCN per JSON line.

Each line gives an ECCN's heading, its reasons for control, the rows of its "License Requirements"
table (``countryChart``: which control applies to which paragraphs, and where), the licence-exception
notes (LVS value limit, GBS, STA conditions ...), related controls, and for some categories the
paragraph text. They are kept as written: reading the controls is the engine's job
(``earcheck.regulations.ccl_controls``).

``reasonForControl`` is written loosely in the source (``NS, RS, AT``, ``NS, MT and AT``,
``RS AT``, ``CC 1``, ``Foreign policy``); it is split into one token per reason. An ECCN the file
lacks is unknown to earcheck, not uncontrolled.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

from earcheck.eccn import Eccn
from earcheck.errors import MalformedEccn, SourceFormatError
from earcheck.sources.files import BadRows, decode_utf8, read_file, valid_utf8
from earcheck.sources.report import ParseReport
from earcheck.tables import CclControl, CclEntry, CclParagraph

__all__ = ["parse", "reasons"]

Fail = Callable[..., SourceFormatError]

_CODES = re.compile(r"[A-Z]{2}\d?")


def reasons(text: str | None) -> tuple[str, ...]:
    """The reasons for control in a ``reasonForControl`` value, one token each, in order.

    >>> reasons("NS, MT NP, AT"), reasons("NS, MT and AT."), reasons("CC 1")
    (('NS', 'MT', 'NP', 'AT'), ('NS', 'MT', 'AT'), ('CC1',))
    """
    if not text:
        return ()
    found: list[str] = []
    for part in re.split(r"\s*(?:[,;]|\band\b)\s*", text.strip()):
        part = part.strip().rstrip(".").strip()
        words = part.split()
        if len(words) > 1 and all(_CODES.fullmatch(word) for word in words):
            found.extend(words)  # "MT NP": a comma left out
        elif re.fullmatch(r"[A-Z]{2} \d", part):
            found.append(part.replace(" ", ""))  # "CC 1"
        elif part:
            found.append(part)
    return tuple(dict.fromkeys(found))


def parse(path: Path, *, strict: bool = True, report: ParseReport | None = None) -> Iterator[CclEntry]:
    """Read the CCL JSON-lines file into ``CclEntry`` values, in file order."""
    bad = BadRows(strict, report)
    text = decode_utf8(read_file(path))
    return _entries(path, text, bad, report)


def _entries(path: Path, text: str, bad: BadRows, report: ParseReport | None) -> Iterator[CclEntry]:
    seen: dict[str, int] = {}
    # Split on "\n" only: str.splitlines would also split at U+2028, which JSON strings may hold.
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        try:
            valid_utf8(line, path, number, "")
            entry = _entry(path, number, line, seen)
        except SourceFormatError as error:
            bad.handle(error, line)
            continue
        seen[entry.eccn] = number
        if report is not None:
            report.records += 1
        yield entry


def _entry(path: Path, line: int, text: str, seen: Mapping[str, int]) -> CclEntry:
    def fail(message: str, field: str | None = None) -> SourceFormatError:
        return SourceFormatError(path, message, line=line, field=field)

    try:
        record = json.loads(text)
    except json.JSONDecodeError as error:
        raise fail(f"not valid JSON ({error.msg}, column {error.colno}): is the line cut short?") from None
    if not isinstance(record, dict):
        raise fail("expected a JSON object with an 'eccn'")
    eccn_text = record.get("eccn")
    if not isinstance(eccn_text, str):
        raise fail("missing ECCN", "eccn")
    try:
        eccn = Eccn.parse(eccn_text)
    except MalformedEccn as error:
        raise fail(str(error), "eccn") from None
    if eccn.paragraph or eccn.is_ear99:
        raise fail(f"expected an ECCN without paragraph, not {eccn_text!r}", "eccn")
    if eccn.code in seen:
        raise fail(f"{eccn.code} is already on line {seen[eccn.code]}", "eccn")
    heading = _text(record, "heading", fail, required=True) or ""
    reason = _text(record, "reasonForControl", fail)
    controls = []
    for index, row in enumerate(_list(record, "countryChart", fail)):
        field = f"countryChart[{index}]"
        if not isinstance(row, dict):
            raise fail("expected an object with 'control' and 'countryChart'", field)
        controls.append(
            CclControl(
                control=_text(row, "control", fail, field, required=True) or "",
                country_chart=_text(row, "countryChart", fail, field) or "",
            )
        )
    notes = record.get("licenceExceptionFlags") or {}
    if not isinstance(notes, dict) or not all(isinstance(k, str) and isinstance(v, str) for k, v in notes.items()):
        raise fail("expected an object of licence-exception symbols and notes", "licenceExceptionFlags")
    paragraphs = []
    for index, item in enumerate(_list(record, "items", fail)):
        field = f"items[{index}]"
        if not isinstance(item, dict):
            raise fail("expected an object with paragraph, kind, depth and text", field)
        paragraph = item.get("paragraph")
        depth = item.get("depth", 0)
        if paragraph is not None and not isinstance(paragraph, str):
            raise fail("expected a paragraph such as 'c.1.a' or null", f"{field}.paragraph")
        if not isinstance(depth, int) or isinstance(depth, bool):
            raise fail("expected a whole number", f"{field}.depth")
        paragraphs.append(
            CclParagraph(
                paragraph=paragraph,
                kind=_text(item, "kind", fail, field) or "item",
                depth=depth,
                text=_text(item, "text", fail, field) or "",
            )
        )
    return CclEntry(
        eccn=eccn.code,
        heading=heading,
        reasons=reasons(reason),
        controls=tuple(controls),
        license_exception_notes=dict(notes),
        paragraphs=tuple(paragraphs),
        related_controls=_text(record, "relatedControls", fail),
        line=line,
        raw=record,
    )


def _text(
    record: dict[str, Any], key: str, fail: Fail, prefix: str | None = None, *, required: bool = False
) -> str | None:
    value = record.get(key)
    field = f"{prefix}.{key}" if prefix else key
    if value is None:
        if required:
            raise fail(f"missing {key}", field)
        return None
    if not isinstance(value, str):
        raise fail("expected text", field)
    return value.strip()


def _list(record: dict[str, Any], key: str, fail: Fail) -> list[Any]:
    value = record.get(key)
    if value is None:
        return []
    if not isinstance(value, list):
        raise fail("expected a list", key)
    return value
