"""Licence exceptions (Part 740) earcheck evaluates, and the 740.2 restrictions on all of them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache
from pathlib import Path

from pydantic import ConfigDict, with_config

from earcheck.errors import SourceFormatError
from earcheck.regulations.dated import Verification, load_packaged, parse_file

__all__ = [
    "ExceptionData",
    "ExceptionRule",
    "Restriction",
    "RestrictionKind",
    "Scope",
    "exception_data",
    "load_exceptions",
]

STRICT = ConfigDict(extra="forbid", frozen=True)


@with_config(STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class Scope:
    citation: str
    verification: Verification
    verified_how: str


@with_config(STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class ExceptionRule:
    symbol: str
    title: str
    citation: str
    verification: Verification
    verified_how: str
    destination_groups: tuple[str, ...] = ()  # the destination must be in one of these groups
    excluded_groups: tuple[str, ...] = ()
    commodities_only: bool = False  # not for software or technology
    only_reasons: tuple[str, ...] = ()  # lifts only requirements for these reasons for control
    eccns: tuple[str, ...] = ()  # only for these classifications
    fact: str | None = None  # the item fact (ExceptionFacts field) the exception turns on
    question: str | None = None


class RestrictionKind(StrEnum):
    UNVERIFIED_LIST = "unverified_list"
    REASON = "reason"  # items controlled for a reason
    ECCNS = "eccns"  # items in these classifications
    ECCNS_TO = "eccns_to"  # items in these classifications, to these destinations


@with_config(STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class Restriction:
    id: str
    citation: str
    effective: date
    kind: RestrictionKind
    verification: Verification
    verified_how: str
    allowed: tuple[str, ...] = ()  # exceptions the restriction leaves open
    reason: str | None = None
    eccns: tuple[str, ...] = ()
    destination_countries: tuple[str, ...] = ()
    destination_groups: tuple[str, ...] = ()
    except_groups: tuple[str, ...] = ()
    except_countries: tuple[str, ...] = ()


@with_config(STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class ExceptionData:
    scope: Scope
    exceptions: tuple[ExceptionRule, ...]
    restrictions: tuple[Restriction, ...]

    def restrictions_on(self, as_of: date) -> tuple[Restriction, ...]:
        return tuple(r for r in self.restrictions if r.effective <= as_of)


def load_exceptions(path: Path, text: str | None = None) -> ExceptionData:
    data = parse_file(path, ExceptionData, text)
    symbols = [rule.symbol for rule in data.exceptions]
    if len(symbols) != len(set(symbols)):
        raise SourceFormatError(path, "a licence exception appears twice", field="exceptions")
    return data


@cache
def exception_data() -> ExceptionData:
    return load_packaged("license_exceptions.yaml", load_exceptions)
