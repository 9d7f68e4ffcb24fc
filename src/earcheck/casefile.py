"""Reading case files (YAML or JSON) into ``Case`` values, and writing determinations as JSON.

This is an edge: pydantic validates the user's document against the dataclasses of
``earcheck.model`` and every problem is reported with the path of the field it concerns
(``items[0].eccn``), never as a traceback.

YAML is read without its implicit timestamps: ``as_of: 2020-02-30`` stays the text it is, and the
case's own date type (``earcheck.days``) says what is wrong with it, against its field, instead of
PyYAML failing inside its constructor. A document nested deeper than ``MAX_DEPTH`` is refused before
it is built (a case is about eight levels deep; the YAML composer and every recursive walk of a
document would otherwise run out of stack on a few hundred).
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import TypeAdapter, ValidationError

from earcheck.errors import CaseError, FieldError
from earcheck.model import Case, Determination
from earcheck.wording import plain_message

__all__ = [
    "MAX_DEPTH",
    "case_schema",
    "case_sha256",
    "determination_json",
    "determination_schema",
    "dump_determinations",
    "field_errors",
    "load_document",
    "nesting_problem",
    "parse_cases",
    "read_cases",
    "read_document",
]

_CASE = TypeAdapter(Case)
_DETERMINATION = TypeAdapter(Determination)
_DETERMINATIONS = TypeAdapter(list[Determination])

MAX_CASE_BYTES = 50 * 1024 * 1024
MAX_DEPTH = 32  # mappings and lists inside one another; a case needs about eight


class _CaseLoader(yaml.SafeLoader):
    """PyYAML's safe loader without the implicit ``timestamp`` type: dates stay text (see above)."""


_CaseLoader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def nesting_problem(document: Any) -> FieldError | None:
    """A problem when ``document`` (parsed JSON or YAML) nests mappings and lists deeper than
    ``MAX_DEPTH``; walked without recursion, so that any depth can be measured. A container met
    twice (a YAML alias, even one that contains itself) is walked once."""
    stack: list[tuple[Any, int]] = [(document, 1)]
    seen: set[int] = set()
    while stack:
        node, depth = stack.pop()
        children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else None
        if children is None or id(node) in seen:
            continue
        seen.add(id(node))
        if depth > MAX_DEPTH:
            return FieldError("", f"nested more than {MAX_DEPTH} levels deep")
        stack.extend((child, depth + 1) for child in children)
    return None


def load_document(text: str, source: str | None, *, aliases: bool = True) -> Any:
    """A case document from YAML or JSON text (JSON is YAML), or ``CaseError``. ``aliases=False``
    refuses YAML aliases: a few lines of them can expand into a document too large to check (the
    "billion laughs"), which matters where the text comes from someone else (the web form)."""
    depth = 0
    try:
        # The event stream is produced without recursion: depth and aliases are checked before any
        # node is composed.
        for event in yaml.parse(text, Loader=_CaseLoader):
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise CaseError([FieldError("", f"nested more than {MAX_DEPTH} levels deep")], source)
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
            elif isinstance(event, yaml.AliasEvent) and not aliases:
                raise CaseError([FieldError("", "YAML aliases (*name) are not accepted here")], source)
        document = yaml.load(text, Loader=_CaseLoader)
    except yaml.YAMLError as error:
        raise CaseError([FieldError("", f"not valid YAML or JSON: {error}")], source) from None
    except (ValueError, TypeError) as error:  # an explicit !!timestamp or !!int that does not hold
        raise CaseError([FieldError("", f"not valid YAML or JSON: {error}")], source) from None
    if problem := nesting_problem(document):  # aliases can nest what the text does not
        raise CaseError([problem], source)
    return document


def _path(loc: Sequence[int | str]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _field_errors(error: ValidationError, prefix: str = "") -> list[FieldError]:
    problems = []
    details = error.errors()
    failed = [tuple(d["loc"]) for d in details]
    for detail in details:
        loc_ = tuple(detail["loc"])
        # A list whose element failed is also reported "too short" (its valid elements are counted):
        # the element's own error is the one to show.
        if detail["type"] == "too_short" and any(f[: len(loc_)] == loc_ and f != loc_ for f in failed):
            continue
        # pydantic reports the failing union branch (e.g. "tuple[...]" or "function-after[...]"); drop those
        loc = [p for p in detail["loc"] if not (isinstance(p, str) and ("[" in p or p.startswith("function")))]
        problems.append(FieldError(prefix + _path(loc), plain_message(detail)))
    return problems


def field_errors(error: ValidationError, prefix: str = "") -> list[FieldError]:
    """A pydantic validation error as one ``FieldError`` per field (for other documents read at the edges:
    production graphs, scenarios)."""
    return _field_errors(error, prefix)


def parse_cases(document: Any, source: str | None = None) -> list[Case]:
    """Validate one case (a mapping) or a list of cases. Raises ``CaseError`` listing every problem."""
    if isinstance(document, dict):
        documents, many = [document], False
    elif isinstance(document, list):
        documents, many = document, True
    else:
        raise CaseError([FieldError("", "a case file holds one case (a mapping) or a list of cases")], source)
    cases, problems = [], []
    for index, item in enumerate(documents):
        prefix = f"[{index}]." if many else ""
        if not isinstance(item, dict):
            problems.append(FieldError(prefix.rstrip(".") or "", "each case must be a mapping"))
            continue
        try:
            cases.append(_CASE.validate_python(item))
        except ValidationError as error:
            problems.extend(_field_errors(error, prefix))
    if problems:
        raise CaseError(problems, source)
    return cases


def read_document(path: Path) -> Any:
    """A YAML or JSON file as a document, under the same limits as a case file (size, nesting depth),
    or ``CaseError``: case files, production graphs and impact scenarios are all read here."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise CaseError([FieldError("", f"cannot read file: {error.strerror}")], str(path)) from None
    if len(raw) > MAX_CASE_BYTES:
        raise CaseError([FieldError("", f"file larger than {MAX_CASE_BYTES} bytes")], str(path))
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise CaseError([FieldError("", "not UTF-8 text")], str(path)) from None
    return load_document(text, str(path))


def read_cases(path: Path) -> tuple[list[Case], bool]:
    """Read a YAML or JSON case file. Returns the cases and whether the file held a list."""
    document = read_document(path)
    return parse_cases(document, str(path)), isinstance(document, list)


def case_sha256(case: Case) -> str:
    """Hash of the case's canonical JSON form: the same facts always hash the same.

    The JSON is written in the model's field order (fixed by the code, so canonical for a given
    engine version; the provenance names the version) and with normalised values (ECCNs, country codes).
    """
    return hashlib.sha256(_CASE.dump_json(case)).hexdigest()


def determination_json(determination: Determination) -> dict[str, Any]:
    result: dict[str, Any] = _DETERMINATION.dump_python(determination, mode="json")
    return result


def dump_determinations(determinations: Sequence[Determination], many: bool, indent: int | None = 2) -> str:
    if many:
        return _DETERMINATIONS.dump_json(list(determinations), indent=indent).decode()
    return _DETERMINATION.dump_json(determinations[0], indent=indent).decode()


def case_schema() -> dict[str, Any]:
    schema: dict[str, Any] = _CASE.json_schema()
    schema["title"] = "earcheck case"
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def determination_schema() -> dict[str, Any]:
    schema: dict[str, Any] = _DETERMINATION.json_schema(mode="serialization")
    schema["title"] = "earcheck determination"
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema
