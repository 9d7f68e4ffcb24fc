"""Licence exceptions (Part 740), the authorisations that act like them, and the 740.2 restrictions.

The data lives in ``data/exceptions/``: one file per family of exceptions (the list-based ones that
an ECCN entry names, the transaction-based ones, the strategic ones, the advanced-computing ones,
those written for sanctioned destinations, and the authorisations outside Part 740), plus
``restrictions.yaml`` for 740.2. Every exception is a series of dated versions; a version says which
licence requirements it can lift, which destinations, items and reasons for control it covers, which
line of the ECCN entry it reads, which facts of the case it turns on (``ExceptionFacts``), and what
it obliges the exporter to keep or report. A date on which no version is in force is a date on which
the exception did not exist.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache
from importlib import resources
from pathlib import Path

from pydantic import ConfigDict, with_config

from earcheck.eccn import Eccn
from earcheck.errors import SourceFormatError
from earcheck.model import Activity, ExceptionFacts, ItemKind
from earcheck.regulations.dated import DatedFact, Verification, check_versions, in_force, parse_file
from earcheck.sources.country_groups import GROUPS

__all__ = [
    "AllowedException",
    "Destinations",
    "Ear99",
    "ExceptionData",
    "ExceptionFamily",
    "ExceptionRule",
    "ExceptionVersion",
    "FactTest",
    "LineMissing",
    "ReasonLimit",
    "Restriction",
    "RestrictionKind",
    "RestrictionVersion",
    "Scope",
    "exception_data",
    "load_exception_family",
    "load_restrictions",
]

STRICT = ConfigDict(extra="forbid", frozen=True)
FOLDER = "exceptions"
FACT_FIELDS = frozenset(ExceptionFacts.__dataclass_fields__)
CASE_FIELDS = frozenset({"ofac_authorized"})


class Ear99(StrEnum):
    ALLOWED = "allowed"  # EAR99 items and CCL items alike
    EXCLUDED = "excluded"  # only items on the CCL
    ONLY = "only"  # only EAR99 items


class LineMissing(StrEnum):
    """How to read an ECCN entry that has no line for the exception."""

    INELIGIBLE = "ineligible"  # the entry must name the exception; no line = not eligible
    UNKNOWN = "unknown"  # the loaded table cannot vouch for the lines of that date: ask
    IGNORE = "ignore"  # the exception's own ECCN list decides; a line, when present, narrows it


@with_config(STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class Destinations:
    """The destination must be in one of ``groups`` or ``countries`` (when given) and in none of the
    ``except_*``. Country Groups are read as of the case date."""

    groups: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    except_groups: tuple[str, ...] = ()
    except_countries: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # A misspelt group would otherwise match no destination and close (or, under ``except_groups``,
        # open) the exception without a word.
        unknown = sorted({*self.groups, *self.except_groups} - set(GROUPS))
        if unknown:
            raise ValueError(f"unknown Country Group(s) {', '.join(unknown)}; the groups are {', '.join(GROUPS)}")

    def reaches(self, country: str, groups: frozenset[str] | None) -> bool | None:
        """Does the destination qualify? ``groups`` is the destination's Country Groups on the date, ``None``
        when earcheck cannot say; the answer is then ``None`` unless the named countries settle it."""
        if country in self.except_countries:
            return False
        if groups is None:
            if self.except_groups:
                return None  # even a named country might sit in an excluded group
            if not self.groups and not self.countries:
                return True
            return True if country in self.countries else (None if self.groups else False)
        if groups & set(self.except_groups):
            return False
        if not self.groups and not self.countries:
            return True
        return country in self.countries or bool(groups & set(self.groups))

    def describe(self) -> str:
        """The condition in words, e.g. "a destination in Country Group B, except SD"."""
        parts = [f"Country Group {g}" for g in self.groups] + list(self.countries)
        excluded = [f"Country Group {g}" for g in self.except_groups] + list(self.except_countries)
        if not parts:
            return "a destination outside " + " and ".join(excluded) if excluded else "any destination"
        return "a destination in " + " or ".join(parts) + (f", except {', '.join(excluded)}" if excluded else "")


@with_config(STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class FactTest:
    """One condition on a fact of the case (an ``ExceptionFacts`` field, or ``case.<field>``).

    With nothing else given the fact must be ``equals`` (default true); ``one_of`` lists the values that
    qualify; ``at_most`` is a dollar ceiling; ``within_days`` bounds a date against the shipment date.
    ``only_to`` and ``only_for`` limit the condition to some destinations or ECCNs.
    """

    fact: str
    condition: str  # the condition in words, as the regulation states it
    question: str  # asked when the fact is not given; ``{item}`` is replaced by the item id
    equals: bool = True
    one_of: tuple[str, ...] = ()
    at_most: float | None = None
    within_days: int | None = None
    only_to: Destinations | None = None
    only_for: tuple[str, ...] = ()


@with_config(STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class ReasonLimit:
    """To ``destinations``, the exception lifts only requirements for ``only_reasons``."""

    destinations: Destinations
    only_reasons: tuple[str, ...]
    condition: str


@with_config(STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class ExceptionVersion(DatedFact):
    """One dated text of an exception and what earcheck checks of it.

    ``lifts`` names the licence requirements it can overcome: ``chart`` for General Prohibitions One
    to Three (the Country Chart); ``entity_list:<family>`` for the Entity List requirement of one family
    of entries (the Huawei temporary general licence); ``embargo:<country>`` for a Part 746 requirement
    whose own section authorises it. A Part 746 or Part 744 requirement that names the exception among
    those it leaves open is lifted too.
    """

    lifts: tuple[str, ...] = ("chart",)
    destinations: Destinations | None = None
    activities: tuple[Activity, ...] = ()
    kinds: tuple[ItemKind, ...] = ()
    ear99: Ear99 = Ear99.ALLOWED
    eccns: tuple[str, ...] = ()
    except_eccns: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()  # CCL categories (the ECCN's first digit) the exception can concern
    only_reasons: tuple[str, ...] = ()
    reason_limits: tuple[ReasonLimit, ...] = ()
    ccl_line: str | None = None  # the symbol of the ECCN entry's licence-exception line it reads
    line_missing: LineMissing = LineMissing.INELIGIBLE
    value_from_line: bool = False  # LVS: the line states the value limit
    facts: tuple[FactTest, ...] = ()
    obligations: tuple[str, ...] = ()
    note: str | None = None


class Kind(StrEnum):
    LICENSE_EXCEPTION = "license_exception"
    AUTHORIZATION = "authorization"  # not a Part 740 exception, but acts like one


@with_config(STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class ExceptionRule:
    symbol: str
    title: str
    section: str  # e.g. 15 CFR 740.3, or 15 CFR part 744, Supplement No. 7
    versions: tuple[ExceptionVersion, ...]
    kind: Kind = Kind.LICENSE_EXCEPTION
    restricted_by_740_2: bool = True  # authorisations outside Part 740 are not subject to 740.2

    def version_on(self, as_of: date) -> ExceptionVersion | None:
        return in_force(self.versions, as_of)

    @property
    def first(self) -> date:
        return self.versions[0].effective


@with_config(STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class ExceptionFamily:
    """One file of ``data/exceptions``."""

    family: str
    exceptions: tuple[ExceptionRule, ...]


class RestrictionKind(StrEnum):
    UNVERIFIED_LIST = "unverified_list"  # a party to the transaction is on the Unverified List
    REASON = "reason"  # items controlled for a reason
    ECCNS = "eccns"  # items in these classifications (to the destinations given, if any)
    SERIES = "series"  # "600 series" or 9x515 items (to the destinations given)


@with_config(STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class AllowedException:
    """An exception a restriction leaves open, perhaps only under one of its paragraphs (``under``:
    the paragraphs of Part 740 relied on must fall within one of them)."""

    symbol: str
    under: tuple[str, ...] = ()
    only_for: tuple[str, ...] = ()  # open only for items in these classifications


@with_config(STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class RestrictionVersion(DatedFact):
    kind: RestrictionKind
    allowed: tuple[AllowedException, ...] = ()
    reason: str | None = None
    eccns: tuple[str, ...] = ()
    series: str | None = None  # "600" or "515"
    destinations: Destinations | None = None  # the restriction reaches only these destinations


@with_config(STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class Restriction:
    id: str
    title: str
    versions: tuple[RestrictionVersion, ...]


@with_config(STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class Scope:
    citation: str
    verification: Verification
    verified_how: str


@with_config(STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class RestrictionFile:
    scope: Scope
    restrictions: tuple[Restriction, ...]


@dataclass(frozen=True, slots=True)
class ExceptionData:
    scope: Scope
    exceptions: tuple[ExceptionRule, ...]
    restrictions: tuple[Restriction, ...]

    def restrictions_on(self, as_of: date) -> tuple[tuple[Restriction, RestrictionVersion], ...]:
        found = ((r, in_force(r.versions, as_of)) for r in self.restrictions)
        return tuple((r, v) for r, v in found if v is not None)

    def symbols(self) -> tuple[str, ...]:
        return tuple(rule.symbol for rule in self.exceptions)

    def versions(self) -> Iterable[DatedFact]:
        for rule in self.exceptions:
            yield from rule.versions
        for restriction in self.restrictions:
            yield from restriction.versions


def _check_eccns(path: Path, eccns: Iterable[str], where: str) -> None:
    for text in eccns:
        try:
            Eccn.parse(text)
        except ValueError as error:
            raise SourceFormatError(path, str(error), field=where) from None


def _check_fact(path: Path, test: FactTest, where: str) -> None:
    name = test.fact.removeprefix("case.")
    known = CASE_FIELDS if test.fact.startswith("case.") else FACT_FIELDS
    if name not in known:
        raise SourceFormatError(path, f"no such case fact {test.fact!r}", field=where)
    _check_eccns(path, test.only_for, where)


def load_exception_family(path: Path, text: str | None = None) -> ExceptionFamily:
    """Parse and check one file of ``data/exceptions``; problems raise ``SourceFormatError``."""
    data = parse_file(path, ExceptionFamily, text)
    for e, rule in enumerate(data.exceptions):
        where = f"exceptions.{e}"
        if not rule.versions:
            raise SourceFormatError(path, f"{rule.symbol} has no versions", field=where)
        try:
            check_versions(rule.versions, f"licence exception {rule.symbol}")
        except ValueError as error:
            raise SourceFormatError(path, str(error), field=where) from None
        for v, version in enumerate(rule.versions):
            _check_eccns(path, (*version.eccns, *version.except_eccns), f"{where}.versions.{v}.eccns")
            for f, test in enumerate(version.facts):
                _check_fact(path, test, f"{where}.versions.{v}.facts.{f}")
            for lift in version.lifts:
                if lift != "chart" and not lift.startswith(("entity_list:", "embargo:")):
                    raise SourceFormatError(path, f"cannot lift {lift!r}", field=f"{where}.versions.{v}.lifts")
    return data


def load_restrictions(path: Path, text: str | None = None) -> RestrictionFile:
    data = parse_file(path, RestrictionFile, text)
    for r, restriction in enumerate(data.restrictions):
        try:
            check_versions(restriction.versions, f"restriction {restriction.id}")
        except ValueError as error:
            raise SourceFormatError(path, str(error), field=f"restrictions.{r}") from None
        for v, version in enumerate(restriction.versions):
            _check_eccns(path, version.eccns, f"restrictions.{r}.versions.{v}.eccns")
            for allowed in version.allowed:
                _check_eccns(path, allowed.only_for, f"restrictions.{r}.versions.{v}.allowed")
            if version.kind is RestrictionKind.SERIES and version.series not in ("600", "515"):
                raise SourceFormatError(path, "series must be 600 or 515", field=f"restrictions.{r}.versions.{v}")
    return data


def assemble(families: Iterable[tuple[Path, ExceptionFamily]], restrictions: RestrictionFile) -> ExceptionData:
    """One catalogue from the family files; a symbol in two files is an error naming the second."""
    seen: dict[str, Path] = {}
    rules: list[ExceptionRule] = []
    for path, family in families:
        for rule in family.exceptions:
            if rule.symbol in seen:
                raise SourceFormatError(path, f"licence exception {rule.symbol} is also in {seen[rule.symbol].name}")
            seen[rule.symbol] = path
            rules.append(rule)
    symbols = set(seen)
    for restriction in restrictions.restrictions:
        for version in restriction.versions:
            unknown = [a.symbol for a in version.allowed if a.symbol not in symbols]
            if unknown:
                raise SourceFormatError(
                    Path("restrictions.yaml"), f"{restriction.id} leaves open unknown exceptions {unknown}"
                )
    # In the order of Part 740 (740.3, 740.4, ... 740.29), the authorisations outside it last.
    rules.sort(key=_order)
    return ExceptionData(restrictions.scope, tuple(rules), restrictions.restrictions)


def _order(rule: ExceptionRule) -> tuple[int, int, str]:
    number = re.fullmatch(r"15 CFR 740\.(\d+)", rule.section)
    return (0, int(number[1]), rule.symbol) if number else (1, 0, rule.symbol)


@cache
def exception_data() -> ExceptionData:
    """The packaged ``data/exceptions`` folder, loaded and checked once per process."""
    folder = resources.files("earcheck.regulations") / "data" / FOLDER
    entries = sorted((e for e in folder.iterdir() if e.name.endswith(".yaml")), key=lambda e: e.name)
    families = []
    restrictions = None
    for entry in entries:
        path = Path(str(entry))
        text = entry.read_text(encoding="utf-8")
        if entry.name == "restrictions.yaml":
            restrictions = load_restrictions(path, text)
        else:
            families.append((path, load_exception_family(path, text)))
    if restrictions is None:
        raise SourceFormatError(Path(str(folder)), "restrictions.yaml is missing")
    return assemble(families, restrictions)
