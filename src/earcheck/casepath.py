"""Paths into a case (``items[0].us_content[1].value``) and the kind of fact each names.

A missing-facts question names the field that would settle it by such a path (``MissingFact.field``),
and the guided case form names each of its inputs by one, so that a question becomes an input and a
form becomes the same document a case file would be. The kind of each path is read from the case's
own dataclasses (``earcheck.model``), never listed by hand, so a field added to the model is a field
the form can fill.

A form sends text. ``document_of`` turns path/text pairs into a case document for
``earcheck.casefile.parse_cases``; ``fields_of`` turns a document back into path/text pairs. Empty text
is an unknown fact and is left out (never read as "no"); ``none`` is a known-empty list.
"""

from __future__ import annotations

import dataclasses
import re
import types
import typing
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from functools import cache
from typing import Any

from pydantic import AfterValidator
from pydantic.fields import FieldInfo

from earcheck.errors import FieldError
from earcheck.model import Case

__all__ = ["NONE", "FactKind", "Kind", "PathError", "document_of", "fields_of", "kind_of", "rows_of"]

NONE = "none"  # typed into a list's field: the list is known to be empty
_STEP = re.compile(r"([a-z_]+)(?:\[(\d{1,4})\])?")
_CODES = re.compile(r"[\s,;]+")  # ECCNs, country codes, enum values: any separator
_NAMES = re.compile(r"\s*[;\n]\s*")  # names may hold commas ("Acme, Inc.")


class Kind(StrEnum):
    TEXT = "text"
    NUMBER = "number"
    DATE = "date"
    YES_NO = "yes_no"
    CHOICE = "choice"
    CODES = "codes"  # a list of codes or choices, any separator
    NAMES = "names"  # a list of names, one a line or separated by ";"
    ROWS = "rows"  # a list of records (parties, US content rows): "none" or rows under it
    RECORD = "record"


@dataclass(frozen=True, slots=True)
class FactKind:
    """What a path names: its kind, the choices of a choice, the record type of rows, and its description."""

    kind: Kind
    choices: tuple[str, ...] = ()
    record: type | None = None
    description: str = ""


class PathError(ValueError):
    """A path that names no field of a case."""


def _unwrap(hint: Any) -> tuple[Any, tuple[Any, ...]]:
    """The type under ``Annotated[...]`` and ``... | None``, and the Annotated metadata met on the way."""
    extras: tuple[Any, ...] = ()
    while True:
        if typing.get_origin(hint) is typing.Annotated:
            extras += hint.__metadata__
            hint = hint.__origin__
        elif isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union:
            members = [a for a in typing.get_args(hint) if a is not type(None)]
            if len(members) != 1:
                return hint, extras
            hint = members[0]
        else:
            return hint, extras


def _describe(hint: Any, description: str) -> FactKind:
    base, _ = _unwrap(hint)
    if typing.get_origin(base) is tuple:
        element, element_extras = _unwrap(typing.get_args(base)[0])
        if dataclasses.is_dataclass(element):
            return FactKind(Kind.ROWS, record=typing.cast(type, element), description=description)
        coded = isinstance(element, type) and issubclass(element, StrEnum)
        coded = coded or any(isinstance(e, AfterValidator) for e in element_extras)
        choices = tuple(element) if isinstance(element, type) and issubclass(element, StrEnum) else ()
        return FactKind(Kind.CODES if coded else Kind.NAMES, tuple(str(c) for c in choices), description=description)
    if dataclasses.is_dataclass(base):
        return FactKind(Kind.RECORD, record=typing.cast(type, base), description=description)
    if isinstance(base, type) and issubclass(base, StrEnum):
        return FactKind(Kind.CHOICE, tuple(str(c) for c in base), description=description)
    if base is bool:
        return FactKind(Kind.YES_NO, description=description)
    if base in (float, int):
        return FactKind(Kind.NUMBER, description=description)
    if base is date:
        return FactKind(Kind.DATE, description=description)
    return FactKind(Kind.TEXT, description=description)


@cache
def _fields(record: type) -> Mapping[str, FactKind]:
    hints = typing.get_type_hints(record, include_extras=True)
    out = {}
    for f in dataclasses.fields(record):
        default = f.default
        description = default.description or "" if isinstance(default, FieldInfo) else ""
        out[f.name] = _describe(hints[f.name], description)
    return out


def _steps(path: str) -> list[tuple[str, int | None]]:
    steps = []
    for part in path.split("."):
        found = _STEP.fullmatch(part)
        if found is None:
            raise PathError(f"{path!r} is not a path into a case")
        steps.append((found.group(1), int(found.group(2)) if found.group(2) is not None else None))
    return steps


def kind_of(path: str) -> FactKind:
    """The kind of fact ``path`` names, or ``PathError``. ``items[0].eccn`` is text; ``items[0]`` a record."""
    record: type = Case
    kind: FactKind | None = None
    steps = _steps(path)
    for number, (name, index) in enumerate(steps):
        kind = _fields(record).get(name)
        if kind is None:
            raise PathError(f"{path!r}: a case has no field {name!r} there")
        if index is not None:
            if kind.kind is not Kind.ROWS or kind.record is None:
                raise PathError(f"{path!r}: {name} is not a list of records")
            kind = FactKind(Kind.RECORD, record=kind.record, description=kind.description)
        if number < len(steps) - 1:
            if kind.kind is not Kind.RECORD or kind.record is None:
                raise PathError(f"{path!r}: {name} has no fields")
            record = kind.record
    assert kind is not None
    return kind


def rows_of(path: str, fields: Mapping[str, str]) -> list[int]:
    """The row numbers under the list ``path`` that ``fields`` gives (``parties`` → [0, 1, 3])."""
    found = {int(m.group(1)) for k in fields if (m := re.match(re.escape(path) + r"\[(\d{1,4})\]", k))}
    return sorted(found)


def _value(path: str, kind: FactKind, text: str, problems: list[FieldError]) -> Any:
    if kind.kind is Kind.YES_NO:
        answer = {"yes": True, "no": False, "true": True, "false": False}.get(text.casefold())
        if answer is None:
            problems.append(FieldError(path, "answer yes or no (or leave it empty if not known)"))
        return answer
    if kind.kind is Kind.NUMBER:
        try:
            amount = Decimal(text.replace(",", "").replace("$", "").strip())
            if not amount.is_finite() or len(text) > 40:
                raise InvalidOperation(text)
        except (InvalidOperation, ValueError):
            problems.append(FieldError(path, "is not a number"))
            return None
        return float(amount)
    if kind.kind in (Kind.CODES, Kind.NAMES):
        if text.casefold() == NONE:
            return []
        return [p for p in (_CODES if kind.kind is Kind.CODES else _NAMES).split(text) if p]
    if kind.kind in (Kind.ROWS, Kind.RECORD):
        if text.casefold() == NONE and kind.kind is Kind.ROWS:
            return []
        problems.append(FieldError(path, "is a list of records: answer with its rows"))
        return None
    return text


def _put(document: dict[str, Any], steps: list[tuple[str, int | None]], value: Any) -> None:
    node: Any = document
    for number, (name, index) in enumerate(steps):
        last = number == len(steps) - 1
        if index is None:
            if last:
                node[name] = value
            else:
                node = node.setdefault(name, {})
            continue
        rows = node.setdefault(name, {})  # rows by number until they are compacted into a list
        if not isinstance(rows, dict):  # "none" was given for the list and rows too
            rows = node[name] = {}
        node = rows.setdefault(index, {})
        if last:
            node.update(value)


def _compact(node: Any) -> Any:
    if isinstance(node, dict):
        if node and all(isinstance(k, int) for k in node):  # rows by number: the non-empty ones, in order
            rows = [kept for _, row in sorted(node.items()) if (kept := _compact(row)) not in ({}, None)]
            return rows or {}  # no row with a fact: the list is unknown, not known to be empty
        return {k: v for k, v in ((k, _compact(v)) for k, v in node.items()) if v != {}}
    return node


def document_of(fields: Iterable[tuple[str, str]]) -> tuple[dict[str, Any], list[FieldError]]:
    """A case document from path/text pairs as a form sends them, and the problems of the text.

    Empty text is left out (unknown). Rows all of whose fields are empty are dropped; the rest are
    numbered from 0 in their order. A list given as ``none`` and with rows is a problem."""
    document: dict[str, Any] = {}
    problems: list[FieldError] = []
    said_none: set[str] = set()
    given = [(p, t.strip()) for p, t in fields if t.strip()]
    for path, text in given:
        try:
            kind = kind_of(path)
        except PathError as error:
            problems.append(FieldError(path, str(error)))
            continue
        value = _value(path, kind, text, problems)
        if value is None:
            continue
        if kind.kind is Kind.ROWS:
            said_none.add(path)
        _put(document, _steps(path), value)
    compacted: dict[str, Any] = _compact(document)
    for path in said_none:
        if any(p.startswith(path + "[") for p, _ in given):
            problems.append(FieldError(path, "is given as none but has rows: clear one or the other"))
    return compacted, problems


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def fields_of(document: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    """The path/text pairs of a case document (the inverse of ``document_of`` for a valid case)."""
    out: dict[str, str] = {}
    for name, value in document.items():
        path = f"{prefix}{name}"
        if value is None:
            continue
        if isinstance(value, Mapping):
            out.update(fields_of(value, path + "."))
        elif isinstance(value, list | tuple):
            if not value:
                out[path] = NONE
            elif all(isinstance(v, Mapping) for v in value):
                for index, row in enumerate(value):
                    row_fields = fields_of(row, f"{path}[{index}].")
                    out.update(row_fields or {f"{path}[{index}].description": ""})
            else:
                names = kind_of(path).kind is Kind.NAMES if _is_path(path) else False
                out[path] = ("; " if names else ", ").join(_text(v) for v in value)
        else:
            out[path] = _text(value)
    return out


def _is_path(path: str) -> bool:
    try:
        kind_of(path)
    except PathError:
        return False
    return True
