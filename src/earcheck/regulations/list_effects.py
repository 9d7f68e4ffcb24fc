"""What each restricted-party list means under the EAR (``data/lists.yaml``).

The Denied Persons List is a denial order (General Prohibition Four); the Entity List, the
Military End-User List and SDN entries designated under certain programmes carry licence
requirements; the Unverified List removes licence exceptions; the rest are reported with what they
mean and impose no EAR licence requirement.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from pathlib import Path

from pydantic import ConfigDict, with_config

from earcheck.errors import SourceFormatError
from earcheck.lists import ListCode
from earcheck.model import PartyRole
from earcheck.regulations.dated import Verification, load_packaged, parse_file

__all__ = ["ListEffect", "ListEffects", "ListRule", "ProgramEffect", "list_effects", "load_list_effects"]

STRICT = ConfigDict(extra="forbid", frozen=True)


class ListEffect(StrEnum):
    PROHIBITED = "prohibited"
    LICENSE_REQUIREMENT = "license_requirement"
    EXCEPTION_UNAVAILABLE = "exception_unavailable"
    FLAG = "flag"


@with_config(STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class ProgramEffect:
    """An OFAC programme tag whose designees the EAR itself reaches (744.8, 744.12-744.14)."""

    tag: str
    citation: str
    policy: str
    verification: Verification
    verified_how: str


@with_config(STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class ListRule:
    code: ListCode
    name: str
    list_citation: str
    effect: ListEffect
    rule: str
    citation: str
    roles: tuple[PartyRole, ...]
    verification: Verification
    verified_how: str
    meaning: str
    exceptions_citation: str | None = None
    policy_citation: str | None = None
    programs: tuple[ProgramEffect, ...] = ()

    def program(self, tags: tuple[str, ...]) -> ProgramEffect | None:
        wanted = {tag.strip("[] ").upper() for tag in tags}
        return next((p for p in self.programs if p.tag in wanted), None)


@with_config(STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class ListEffects:
    lists: tuple[ListRule, ...]

    def of(self, code: ListCode) -> ListRule:
        return next(rule for rule in self.lists if rule.code is code)

    def by_code(self) -> dict[ListCode, ListRule]:
        return {rule.code: rule for rule in self.lists}


def load_list_effects(path: Path, text: str | None = None) -> ListEffects:
    data = parse_file(path, ListEffects, text)
    missing = set(ListCode) - {rule.code for rule in data.lists}
    if missing:
        raise SourceFormatError(path, f"no legal effect given for lists {sorted(missing)}", field="lists")
    if len(data.lists) != len({rule.code for rule in data.lists}):
        raise SourceFormatError(path, "a list appears twice", field="lists")
    return data


@cache
def list_effects() -> ListEffects:
    return load_packaged("lists.yaml", load_list_effects)
