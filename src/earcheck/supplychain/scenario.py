"""Impact scenarios: a change to the law or the lists, applied to a copy of the engine's context.

A scenario (YAML or JSON; ``earcheck schema scenario``) is a list of changes, each dated:

- ``add_entry``: a new list entry (Entity List by default) with its footnotes, licence requirement and
  review policy, in force from ``effective``;
- ``remove_entry``: parties matching ``name`` are no longer on ``list`` from ``effective``;
- ``modify_entry``: the footnotes, licence requirement or review policy of the entries matching ``name``
  change from ``effective`` (an entity's footnote designation on its Federal Register date);
- ``rule_effective``: the version of FDP rule ``rule`` that took effect on ``version_from`` takes effect on
  ``effective`` instead (and the version before it ends then);
- ``move_country``: from ``effective``, destination ``country`` joins or leaves Country Groups
  (``add_groups``/``remove_groups``) or Country Chart columns (``add_columns``/``remove_columns``).

The engine decides with the changed context exactly as with the real one; nothing here answers a case.
Names are compared as the screener normalises them (case, punctuation, legal forms), word for word.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any

from pydantic import ConfigDict, Field, TypeAdapter, ValidationError, model_validator, with_config

from earcheck.casefile import field_errors, read_document
from earcheck.engine.context import Context, RuleBook
from earcheck.errors import CaseError, FieldError
from earcheck.lists import Band, EntryStatus, Hit, ListCode, ListEntry, PartyScreener
from earcheck.model import CountryCode, Name, Text
from earcheck.regulations.country_chart import CountryStatus
from earcheck.screening.lexicon import load_lexicon
from earcheck.screening.normalise import normalise

__all__ = [
    "AddEntry",
    "Change",
    "ModifyEntry",
    "MoveCountry",
    "RemoveEntry",
    "RuleEffective",
    "Scenario",
    "ScenarioContext",
    "ScenarioScreener",
    "apply_scenario",
    "parse_scenario",
    "read_scenario",
    "scenario_schema",
]

_STRICT = ConfigDict(extra="forbid", str_strip_whitespace=True)
LEXICON = "v1"  # the word tables of the screening algorithm name-v1


@with_config(_STRICT)
@dataclass(frozen=True, slots=True)
class AddEntry:
    name: Name
    effective: date
    aliases: tuple[Name, ...] = ()
    country: CountryCode | None = None
    list: ListCode = ListCode.EL
    footnotes: tuple[int, ...] = ()
    license_requirement: Text = "For all items subject to the EAR."
    license_policy: Text | None = None
    federal_register: tuple[str, ...] = ()


@with_config(_STRICT)
@dataclass(frozen=True, slots=True)
class RemoveEntry:
    name: Name
    effective: date
    list: ListCode = ListCode.EL
    list_ids: tuple[str, ...] = ()  # the entries meant (CSL _id); default: the best screening match for name


@with_config(_STRICT)
@dataclass(frozen=True, slots=True)
class ModifyEntry:
    name: Name
    effective: date
    list: ListCode = ListCode.EL
    list_ids: tuple[str, ...] = ()  # the entries meant (CSL _id); default: the best screening match for name
    footnotes: tuple[int, ...] | None = None
    license_requirement: Text | None = None
    license_policy: Text | None = None


@with_config(_STRICT)
@dataclass(frozen=True, slots=True)
class RuleEffective:
    rule: Annotated[
        str, Field(min_length=1, max_length=200, description="FDP rule id, e.g. fdp.entity_list_footnote_1")
    ]
    version_from: date = Field(description="effective date of the version to move")
    effective: date = Field(description="its new effective date")


@with_config(_STRICT)
@dataclass(frozen=True, slots=True)
class MoveCountry:
    country: CountryCode
    effective: date
    add_groups: tuple[str, ...] = ()
    remove_groups: tuple[str, ...] = ()
    add_columns: tuple[str, ...] = ()
    remove_columns: tuple[str, ...] = ()


@with_config(_STRICT)
@dataclass(frozen=True, slots=True)
class Change:
    """Exactly one of the fields."""

    add_entry: AddEntry | None = None
    remove_entry: RemoveEntry | None = None
    modify_entry: ModifyEntry | None = None
    rule_effective: RuleEffective | None = None
    move_country: MoveCountry | None = None

    @model_validator(mode="after")
    def _one(self) -> Change:
        given = [f.name for f in dataclasses.fields(self) if getattr(self, f.name) is not None]
        if len(given) != 1:
            raise ValueError(
                f"each change is exactly one of add_entry, remove_entry, modify_entry, rule_effective, "
                f"move_country (got {', '.join(given) or 'none'})"
            )
        return self


@with_config(_STRICT)
@dataclass(frozen=True, slots=True)
class Scenario:
    name: Name
    changes: Annotated[tuple[Change, ...], Field(min_length=1, max_length=10_000)]
    description: Text = ""
    sources: tuple[str, ...] = ()  # Federal Register citations the scenario replays, if any


_SCENARIO = TypeAdapter(Scenario)


def parse_scenario(document: Any, source: str | None = None) -> Scenario:
    if not isinstance(document, dict):
        raise CaseError([FieldError("", "a scenario is a mapping")], source)
    try:
        scenario = _SCENARIO.validate_python(document)
    except ValidationError as error:
        raise CaseError(field_errors(error), source) from None
    rules = {rule.id: rule for rule in RuleBook.load().fdp}
    problems = []
    for index, change in enumerate(scenario.changes):
        moved = change.rule_effective
        if moved is None:
            continue
        rule = rules.get(moved.rule)
        if rule is None:
            problems.append(FieldError(f"changes[{index}].rule_effective.rule", f"no FDP rule {moved.rule!r}"))
        elif not any(v.effective == moved.version_from for v in rule.versions):
            problems.append(
                FieldError(
                    f"changes[{index}].rule_effective.version_from",
                    f"{moved.rule} has no version effective {moved.version_from} "
                    f"(versions: {', '.join(v.effective.isoformat() for v in rule.versions)})",
                )
            )
    if problems:
        raise CaseError(problems, source)
    return scenario


def read_scenario(path: Path) -> Scenario:
    return parse_scenario(read_document(path), str(path))


def scenario_schema() -> dict[str, Any]:
    schema: dict[str, Any] = _SCENARIO.json_schema()
    schema["title"] = "earcheck impact scenario"
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


# --- applying it --------------------------------------------------------------------------------


@lru_cache(maxsize=65536)
def name_key(name: str) -> frozenset[str]:
    """The words a name is compared by (the screener's normalisation); portfolios repeat their names."""
    return frozenset(normalise(name, load_lexicon(LEXICON)).words)


class ScenarioScreener:
    """The base screener, with the scenario's entries added, removed or changed."""

    def __init__(self, base: PartyScreener, scenario: Scenario) -> None:
        self.base = base
        self.adds = [c.add_entry for c in scenario.changes if c.add_entry is not None]
        self.removes = [c.remove_entry for c in scenario.changes if c.remove_entry is not None]
        self.modifies = [c.modify_entry for c in scenario.changes if c.modify_entry is not None]
        self._added = [
            (
                add,
                [name_key(n) for n in (add.name, *add.aliases)],
                ListEntry(
                    list_id=f"scenario:{index}",
                    list_code=add.list,
                    source=f"scenario: {scenario.name}",
                    name=add.name,
                    snapshot="scenario",
                    snapshot_date=add.effective,
                    line=0,
                    aliases=add.aliases,
                    countries=(add.country,) if add.country else (),
                    federal_register=add.federal_register,
                    start_date=add.effective,
                    license_requirement=add.license_requirement,
                    license_policy=add.license_policy,
                ),
            )
            for index, add in enumerate(self.adds)
        ]
        self._targets: dict[int, frozenset[str]] = {}
        self.added_keys = frozenset(key for _, names, _ in self._added for key in names)
        # For each screening done here: did the scenario add, drop or change a hit? (ScenarioContext reads
        # it to tell whether a determination saw anything the scenario changes.) Bounded like the caches.
        self._altered: dict[tuple[str, str | None, date], bool] = {}

    ALTERED_LIMIT = 200_000

    def altered(self, name: str, country: str | None, as_of: date) -> bool:
        """Did the scenario change what screening ``name`` gives? True when not known (not screened here,
        or forgotten since): the caller then treats the screening as changed."""
        return self._altered.get((name, country, as_of), True)

    def targets(self, change: RemoveEntry | ModifyEntry) -> frozenset[str]:
        """The list entries (ids) a removal or change means: those it names, else the entries that match its
        name best when screened on its date (ties all kept)."""
        found = self._targets.get(id(change))
        if found is None:
            if change.list_ids:
                found = frozenset(change.list_ids)
            else:
                hits = [
                    h
                    for h in self.base.screen(change.name, None, change.effective)
                    if h.entry.list_code is change.list and h.band is Band.MATCH
                ]
                best = max((h.score for h in hits), default=None)
                found = frozenset(h.entry.list_id for h in hits if h.score == best)
            self._targets[id(change)] = found
        return found

    def screen(self, name: str, country: str | None, as_of: date) -> Sequence[Hit]:
        hits: list[Hit] = []
        altered = False
        for hit in self.base.screen(name, country, as_of):
            entry = hit.entry
            if any(as_of >= r.effective and entry.list_id in self.targets(r) for r in self.removes):
                altered = True
                continue
            for change in self.modifies:
                if as_of >= change.effective and entry.list_id in self.targets(change):
                    hit = dataclasses.replace(hit, status=_modified(hit.status, change))
                    altered = True
            hits.append(hit)
        party = name_key(name)
        for add, names, entry in self._added:
            if party and party in names and as_of >= add.effective:
                altered = True
                status = EntryStatus(
                    entry=entry,
                    as_of=as_of,
                    in_force=True,
                    reason=f"listed by scenario from {add.effective.isoformat()}",
                    footnotes=frozenset(add.footnotes),
                    license_requirement=add.license_requirement,
                    license_policy=add.license_policy,
                    listed_from=add.effective,
                    citation="15 CFR part 744, Supplement No. 4" if add.list is ListCode.EL else None,
                )
                hits.append(Hit(status=status, matched_name=name, score=1.0, band=Band.MATCH))
        if len(self._altered) >= self.ALTERED_LIMIT:
            self._altered.clear()
        self._altered[(name, country, as_of)] = altered
        return hits


def _modified(status: EntryStatus, change: ModifyEntry) -> EntryStatus:
    return dataclasses.replace(
        status,
        footnotes=frozenset(change.footnotes) if change.footnotes is not None else status.footnotes,
        license_requirement=change.license_requirement or status.license_requirement,
        license_policy=change.license_policy or status.license_policy,
        reason=f"{status.reason}; terms changed by scenario from {change.effective.isoformat()}",
        dated_fact=None,
    )


class ScenarioContext(Context):
    """A context whose destinations move between Country Groups or chart columns as the scenario says.

    ``watch()`` before a determination, ``touched()`` after it: true when the engine read, through this
    context, a destination the scenario moves or a screening the scenario changes. A determination that
    was not touched read only what the base context gives too -- the same tables, the same destinations,
    the same hits -- so, the engine being a function of what it reads, the base context gives the same
    answer. That holds for the lists and the countries only: a scenario that moves a rule's date changes
    ``rules``, which is not watched (the caller must decide both ways when a moved rule's window reaches).
    Watched per thread (a batch worker may decide in several), and touched when not watched.
    """

    def __init__(self, base: Context, scenario: Scenario, rules: RuleBook) -> None:
        # The base context screens (and caches): the scenario adds, removes and changes hits on top.
        self.scenario_screener = ScenarioScreener(base, scenario)
        super().__init__(base.tables, self.scenario_screener, base.lists_version, rules)
        self.moves = [c.move_country for c in scenario.changes if c.move_country is not None]
        self._watched = threading.local()

    def watch(self) -> None:
        self._watched.touched = False

    def touched(self) -> bool:
        return bool(getattr(self._watched, "touched", True))

    def _touch(self) -> None:
        self._watched.touched = True

    def screen(self, name: str, country: str | None, as_of: date) -> Sequence[Hit]:
        hits = super().screen(name, country, as_of)  # cached: the screener said when it computed them
        if self.scenario_screener.altered(name, country, as_of):
            self._touch()
        return hits

    def destination(self, code: str, as_of: date) -> CountryStatus:
        status = super().destination(code, as_of)
        for move in self.moves:
            if move.country == status.code and as_of >= move.effective:
                self._touch()
                groups = (
                    None if status.groups is None else (status.groups | set(move.add_groups)) - set(move.remove_groups)
                )
                marks = (
                    None if status.marks is None else (status.marks | set(move.add_columns)) - set(move.remove_columns)
                )
                status = dataclasses.replace(
                    status,
                    groups=groups,
                    marks=marks,
                    warnings=(
                        *status.warnings,
                        f"Country Groups / chart columns changed by scenario from {move.effective}",
                    ),
                )
        return status


def _rules(base: RuleBook, scenario: Scenario) -> RuleBook:
    moves = [c.rule_effective for c in scenario.changes if c.rule_effective is not None]
    if not moves:
        return base
    rules = []
    for rule in base.fdp:
        for move in (m for m in moves if m.rule == rule.id):
            versions = []
            for version in rule.versions:
                if version.effective == move.version_from:
                    version = dataclasses.replace(version, effective=move.effective)
                elif version.superseded == move.version_from:
                    version = dataclasses.replace(version, superseded=move.effective)
                versions.append(version)
            rule = dataclasses.replace(rule, versions=tuple(versions))
        rules.append(rule)
    return dataclasses.replace(base, fdp=tuple(rules), revision=f"{base.revision}+scenario")


def apply_scenario(base: Context, scenario: Scenario) -> ScenarioContext:
    """A new context: ``base`` with the scenario's changes (``base`` itself is not touched)."""
    return ScenarioContext(base, scenario, _rules(base.rules, scenario))
