"""Case documents in request bodies: JSON, validated by ``earcheck.casefile.parse_cases`` so that
every problem is reported with the path of its field, exactly as the command line reports it."""

from __future__ import annotations

import json
from typing import Any

from fastapi import Request

from earcheck.casefile import nesting_problem, parse_cases
from earcheck.errors import CaseError, FieldError
from earcheck.model import Case

__all__ = ["CASE_BODY", "case_body", "unstorable_text"]

# Declares the body in the OpenAPI document (the Case schema is added to its components by
# ``earcheck.api.app``), since the body is read by hand to keep casefile's error paths.
CASE_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Case"}}},
    }
}


def unstorable_text(document: Any, path: str = "") -> list[FieldError]:
    """Strings no database can store faithfully: NUL characters and unpaired surrogates."""
    problems: list[FieldError] = []
    if isinstance(document, str):
        if "\x00" in document:
            problems.append(FieldError(path, "contains a NUL character"))
        else:
            try:
                document.encode("utf-8")
            except UnicodeEncodeError:
                problems.append(FieldError(path, "is not valid Unicode text (unpaired surrogate)"))
    elif isinstance(document, dict):
        for key, value in document.items():
            where = f"{path}.{key}" if path else str(key)
            problems += unstorable_text(key, where) + unstorable_text(value, where)
    elif isinstance(document, list):
        for index, value in enumerate(document):
            problems += unstorable_text(value, f"{path}[{index}]")
    return problems


async def case_body(request: Request) -> Case:
    """The one case a request carries as its JSON body."""
    raw = await request.body()
    try:
        document = json.loads(raw)
    except (ValueError, UnicodeDecodeError, RecursionError):
        raise CaseError([FieldError("", "the request body is not JSON")], "request body") from None
    if isinstance(document, list):
        raise CaseError([FieldError("", "send one case (a JSON object) per request")], "request body")
    if problem := nesting_problem(document):
        raise CaseError([problem], "request body")
    if problems := unstorable_text(document):
        raise CaseError(problems, "request body")
    return parse_cases(document, "request body")[0]
