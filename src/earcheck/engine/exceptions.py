"""Licence exceptions (Part 740) and the authorisations that act like them: which could authorise this
item's shipment on the date, which cannot, and which depend on facts the case does not give.

An exception lifts only the requirements it can: General Prohibitions One to Three (the Country Chart),
and a Part 744 or Part 746 requirement only where that part names it (744.16(b) for the Entity List; the
licence-exception paragraph of each Part 746 section). Every other live requirement -- a denial order, an
embargo that does not name it, another Part 744 requirement -- keeps it closed, and is reported as its own
finding (740.2(a)(2), (a)(6)). Then each restriction of 740.2 that reaches the item bars every exception
except those it leaves open, each its own finding too. Last come the exception's own conditions: its
destinations, items, reasons for control, the line of the ECCN entry, and the facts of ``ExceptionFacts``.
A fact the case omits makes the exception's availability unknown, with the question to ask.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from typing import NamedTuple

from earcheck.eccn import Eccn
from earcheck.engine.context import note_tables, tables_noted
from earcheck.engine.item import ItemFacts, Ledger, Requirement
from earcheck.engine.logic import FALSE, TRUE, Fact, all_of, any_of
from earcheck.lists import ListCode
from earcheck.model import Effect, Finding, ItemKind, LicenseExceptionResult, MissingFact
from earcheck.regulations.ccl_notes import line_eligible, lvs_limit, sta_eligible
from earcheck.regulations.editions import TableVersion
from earcheck.regulations.entity_list import dated_entry
from earcheck.regulations.exceptions import (
    CASE_FIELDS,
    AllowedException,
    Destinations,
    Ear99,
    ExceptionRule,
    ExceptionVersion,
    FactTest,
    Kind,
    LineMissing,
    Restriction,
    RestrictionKind,
    RestrictionVersion,
)

__all__ = ["authorisation_findings", "license_exceptions"]

RECORDS = "Keep the records of 15 CFR part 762 (five years) and enter the symbol in the EEI filing (15 CFR 758.1)."
_PRODUCT_KIND = {"A": ItemKind.COMMODITY, "B": ItemKind.COMMODITY, "C": ItemKind.COMMODITY, "Y": ItemKind.COMMODITY}
_PRODUCT_KIND |= {"D": ItemKind.SOFTWARE, "E": ItemKind.TECHNOLOGY}
# Where an exception that a requirement cannot be lifted by is reported, per requirement rule.
_BARRING = {"entity_list": "15 CFR 744.16(b)", "denial_order": "15 CFR 740.2(a)(2)"}
# The reasons for control that may require a licence without the case settling it. None: earcheck cannot
# say which (the entry's controls, the destination's row or the activity are not known), so any may --
# never "none may", which would let a reason-based restriction or condition pass unseen.
Possible = frozenset[str] | None


class Condition(NamedTuple):
    """One condition of an exception, in words, with its answer (a named tuple: hundreds are made per
    item, and a tuple is the cheapest immutable record to build)."""

    text: str
    fact: Fact


def _kind_of(facts: ItemFacts) -> Fact | ItemKind:
    view = facts.eccn
    if view is not None and not view.eccn.is_ear99:
        return _PRODUCT_KIND[view.eccn.code[1]]
    given = facts.item.exception_facts.item_kind if facts.item.exception_facts is not None else None
    if given is not None:
        return given
    return Fact.unknown(
        facts.ask("exception_facts.item_kind", f"Is item {facts.id} a commodity, software or technology?")
    )


@lru_cache(maxsize=4096)
def _parsed(listed: tuple[str, ...]) -> tuple[Eccn, ...]:
    # The rule data's ECCN lists are fixed tuples, read for every item: parse each once.
    return tuple(Eccn.parse(e) for e in listed)


def _within(facts: ItemFacts, listed: tuple[str, ...]) -> Fact:
    """Is the item classified within one of ``listed``? Unknown when only a less specific ECCN is given."""
    view = facts.eccn
    if view is None:
        return Fact.unknown(facts.ask("eccn", f"What is the ECCN (or EAR99) of item {facts.id}?"))
    if view.eccn.is_ear99:
        return FALSE
    parsed = _parsed(listed)
    if any(view.eccn.within(e) for e in parsed):
        return TRUE
    if any(e.within(view.eccn) for e in parsed):
        return Fact.unknown(
            facts.ask("eccn", f"Which paragraph of {view.eccn} describes item {facts.id}? Give the full ECCN.")
        )
    return FALSE


def _groups_question(facts: ItemFacts, named: Iterable[str]) -> MissingFact:
    version = facts.destination.groups_version
    why = f" ({version.text})" if version is not None else ""
    return MissingFact(
        "destination",
        f"Was {facts.case.destination} in Country Group {' or '.join(named)} on {facts.as_of.isoformat()}? "
        f"earcheck's Country Groups table cannot say{why}.",
    )


def _reaches(facts: ItemFacts, destinations: Destinations) -> Fact:
    """Does the destination qualify on the date? Groups earcheck cannot vouch for make the answer unknown,
    never "not in the group": an empty set would silently close an exception (or open one that excludes
    a group)."""
    answer = destinations.reaches(facts.case.destination, facts.destination.groups)
    if answer is None:
        return Fact.unknown(_groups_question(facts, (*destinations.groups, *destinations.except_groups)))
    return Fact.of(answer)


def _fact_value(facts: ItemFacts, name: str) -> object:
    if name.startswith("case."):
        return getattr(facts.case, name.removeprefix("case."))
    exception_facts = facts.item.exception_facts
    return getattr(exception_facts, name) if exception_facts is not None else None


def _fact_test(facts: ItemFacts, test: FactTest) -> Fact | None:
    """The test's answer, or None when it does not concern this item or destination."""
    if test.only_to is not None and _reaches(facts, test.only_to).value is False:
        return None
    if test.only_for and _within(facts, test.only_for).value is False:
        return None
    value = _fact_value(facts, test.fact)
    if value is None:
        field = (
            test.fact.removeprefix("case.")
            if test.fact.startswith("case.")
            else f"{facts.field}.exception_facts.{test.fact}"
        )
        return Fact.unknown(MissingFact(field, _question(test.question, facts.id)))
    if test.one_of:
        return TRUE if str(value) in test.one_of else FALSE
    if test.at_most is not None:
        assert isinstance(value, int | float)
        return TRUE if value <= test.at_most else FALSE
    if test.within_days is not None:
        assert isinstance(value, date)
        shipped = facts.item.shipped_on or facts.as_of
        return TRUE if value <= shipped + timedelta(days=test.within_days) else FALSE
    return TRUE if value == test.equals else FALSE


@lru_cache(maxsize=16384)
def _question(template: str, item: str) -> str:
    # The rule data's question for one item id, on one line: the same few ids recur in every case.
    return " ".join(template.format(item=item).split())


def _classification(facts: ItemFacts, version: ExceptionVersion) -> list[Condition]:
    """The conditions on what the item is: EAR99 or not, its kind, its ECCN."""
    conditions: list[Condition] = []
    view = facts.eccn
    needs_eccn = (
        version.ear99 is not Ear99.ALLOWED
        or version.eccns
        or version.categories
        or version.ccl_line
        or version.only_reasons
    )
    if needs_eccn and view is None:
        return [
            Condition(
                "the item's classification",
                Fact.unknown(facts.ask("eccn", f"What is the ECCN (or EAR99) of item {facts.id}?")),
            )
        ]
    if version.ear99 is Ear99.EXCLUDED and view is not None:
        conditions.append(
            Condition("an item on the Commerce Control List (not EAR99)", Fact.of(not view.eccn.is_ear99))
        )
    if version.ear99 is Ear99.ONLY and view is not None:
        conditions.append(Condition("an item designated EAR99", Fact.of(view.eccn.is_ear99)))
    if version.kinds:
        kind = _kind_of(facts)
        fact = kind if isinstance(kind, Fact) else Fact.of(kind in version.kinds)
        conditions.append(Condition(_joined("a ", " or ", version.kinds), fact))
    if version.categories and view is not None:
        category = Fact.of(not view.eccn.is_ear99 and view.eccn.code[0] in version.categories)
        conditions.append(Condition(_joined("an item in CCL Category ", " or ", version.categories), category))
    if version.eccns:
        conditions.append(Condition(_joined("an item in ", ", ", version.eccns), _within(facts, version.eccns)))
    if version.except_eccns:
        conditions.append(
            Condition(
                _joined("not an item in ", ", ", version.except_eccns), _within(facts, version.except_eccns).negate()
            )
        )
    return conditions


@lru_cache(maxsize=4096)
def _joined(prefix: str, separator: str, words: tuple[str, ...]) -> str:
    """A condition's text from the rule data's fixed tuples (StrEnum members join as their values),
    built once rather than for every item and exception."""
    return prefix + separator.join(str(w) for w in words)


@lru_cache(maxsize=4096)
def _destinations_text(destinations: Destinations) -> str:
    return destinations.describe()


def _reasons(
    facts: ItemFacts, only: tuple[str, ...], reasons: frozenset[str], possible: Possible, text: str
) -> Condition:
    outside = reasons - set(only)
    if outside:
        return Condition(text, FALSE)
    if possible is None:
        return Condition(
            text,
            Fact.unknown(
                facts.ask(
                    "eccn",
                    f"For which reasons is item {facts.id} controlled to {facts.case.destination}? earcheck cannot "
                    f"read them on {facts.as_of.isoformat()}, and the exception lifts only {', '.join(only)} "
                    "requirements.",
                )
            ),
        )
    maybe = sorted(possible - set(only))
    if maybe:
        return Condition(
            text,
            Fact.unknown(
                facts.ask(
                    "eccn",
                    f"Is item {facts.id} controlled to {facts.case.destination} for {', '.join(maybe)} reasons? "
                    f"The exception lifts only {', '.join(only)} requirements.",
                )
            ),
        )
    return Condition(text, TRUE)


def _unread_line(facts: ItemFacts, version: ExceptionVersion, line: str) -> Condition:
    """The entry's text of the date is known but not its License Exceptions paragraph: the 2026 lines are
    not those of the date, so the case says what the entry said (a "Yes" line), or earcheck asks."""
    assert facts.eccn is not None
    code = facts.eccn.eccn.code
    day = facts.as_of.isoformat()
    text = f"the ECCN entry's {line} line on {day}"
    if version.value_from_line:
        # A value line ("LVS: $500") states an amount the case cannot give as a symbol: ask for it.
        question = facts.ask(
            "eccn",
            f"What value did the {line} line of {code} state for item {facts.id} on {day}? earcheck's dated text "
            f"of {code} for that date does not include its License Exceptions paragraph.",
        )
        return Condition(text, Fact.unknown(question))
    given = facts.item.exception_facts.entry_lines if facts.item.exception_facts is not None else None
    question = facts.ask(
        "exception_facts.entry_lines",
        f"Did the entry of {code} say '{line}: Yes' for item {facts.id} on {day}? earcheck's dated text of {code} "
        "for that date does not include its License Exceptions paragraph.",
    )
    return Condition(f"{text} said '{line}: Yes'", Fact.of(None if given is None else line in given, question))


def _line(facts: ItemFacts, version: ExceptionVersion, symbol: str) -> list[Condition]:
    """The ECCN entry's own line for the exception ("LVS: $5000", "GBS: Yes, for ...")."""
    view = facts.eccn
    line = version.ccl_line
    if line is None or view is None or view.eccn.is_ear99:
        return []
    if not view.status.known:
        # The entry's text is not vouched for on the date: its lines are unread, not absent.
        why = view.status.question or f"earcheck cannot read the entry of {view.eccn.code} on the date"
        question = facts.ask(
            "eccn", f"What did the {line} line of {view.eccn.code} say on {facts.as_of.isoformat()}? {why}"
        )
        return [Condition(f"the ECCN entry's {line} line on the date", Fact.unknown(question))]
    notes = view.status.license_exception_notes
    if notes is None:
        if version.line_missing is LineMissing.IGNORE:
            # The exception's own section names the items it authorises (740.8, 740.25, ...), dated with it;
            # the entry's line only restates that, so a line not known on the date settles nothing here.
            return []
        return [_unread_line(facts, version, line)]
    note = notes.get(line)
    shown = f"{view.eccn.code} {line}: {note}" if note is not None else f"{view.eccn.code} has no {line} line"
    ask = facts.ask("eccn", f"Does the {line} line of {view.eccn.code} ({note!r}) cover item {facts.id}?")
    if note is None and version.line_missing is LineMissing.IGNORE:
        return []
    if note is None and version.line_missing is LineMissing.UNKNOWN:
        # The loaded table has no such lines (CIV's were removed with it): the case says what the entry said.
        given = facts.item.exception_facts.entry_lines if facts.item.exception_facts is not None else None
        question = facts.ask(
            "exception_facts.entry_lines",
            f"Did the entry of {view.eccn.code} say '{line}: Yes' for item {facts.id} on {facts.as_of.isoformat()}? "
            f"earcheck's CCL table ({view.status.edition.isoformat()}) has no {line} lines.",
        )
        said = None if given is None else line in given
        return [Condition(f"the ECCN entry said '{line}: Yes' on the date", Fact.of(said, question))]
    if version.value_from_line:
        eligible, limit = lvs_limit(note, view.eccn.code, view.eccn.paragraph)
        conditions = [Condition(f"the ECCN entry states a value ({shown})", Fact.of(eligible, ask))]
        if eligible is not False and limit is not None:
            value = facts.item.value
            within = Fact.of(
                None if value is None else value <= limit,
                facts.ask("value", f"What is the net value of the shipment of item {facts.id} (limit ${limit:,})?"),
            )
            conditions.append(Condition(f"the net value within ${limit:,}", within))
        return conditions
    if line == "STA":
        groups = facts.destination.groups
        in_a6 = None if groups is None else "A:6" in groups and "A:5" not in groups
        eligible = sta_eligible(note, view.eccn.code, view.eccn.paragraph, in_a6)
        text = f"the entry's special conditions for STA leave it open ({note or 'none'})"
        if eligible is None and in_a6 is None:
            ask = _groups_question(facts, ("A:5", "A:6"))
        return [Condition(text, Fact.of(eligible, ask))]
    eligible = line_eligible(note, view.eccn.code, view.eccn.paragraph)
    return [Condition(f"the ECCN entry makes the item eligible ({shown})", Fact.of(eligible, ask))]


def _own_conditions(
    facts: ItemFacts,
    rule: ExceptionRule,
    version: ExceptionVersion,
    reasons: frozenset[str],
    possible: Possible,
) -> list[Condition]:
    conditions: list[Condition] = []
    if version.destinations is not None:
        conditions.append(Condition(_destinations_text(version.destinations), _reaches(facts, version.destinations)))
    if version.activities:
        wanted = _joined("", " or ", version.activities)
        activity = facts.activity
        fact = (
            Fact.unknown(facts.ask("location", f"Where is item {facts.id} now? The activity depends on it."))
            if activity is None
            else Fact.of(activity in version.activities)
        )
        conditions.append(Condition(f"a {wanted}", fact))
    conditions += _classification(facts, version)
    if version.only_reasons:
        text = f"licence required only for {', '.join(version.only_reasons)} reasons"
        conditions.append(_reasons(facts, version.only_reasons, reasons, possible, text))
    for limit in version.reason_limits:
        if _reaches(facts, limit.destinations).value is not False:
            conditions.append(_reasons(facts, limit.only_reasons, reasons, possible, limit.condition))
    conditions += _line(facts, version, rule.symbol)
    for test in version.facts:
        answer = _fact_test(facts, test)
        if answer is not None:
            conditions.append(Condition(test.condition, answer))
    return conditions


def _family(list_id: str | None) -> str | None:
    found = dated_entry(list_id) if list_id is not None else None
    return found[0].id if found is not None else None


def _lifts(facts: ItemFacts, rule: ExceptionRule, version: ExceptionVersion, requirement: Requirement) -> bool:
    """Can the exception lift this requirement at all (before its conditions)?"""
    if requirement.prohibited:
        return False
    if requirement.prohibition in (1, 2, 3):
        return "chart" in version.lifts
    if rule.symbol in requirement.exceptions_open:
        return True
    if requirement.rule == "entity_list":
        return f"entity_list:{_family(requirement.party_list_id)}" in version.lifts
    return requirement.rule.startswith("embargo") and f"embargo:{facts.case.destination}" in version.lifts


@dataclass(frozen=True, slots=True)
class _Reaching:
    restriction: Restriction
    version: RestrictionVersion
    fact: Fact


def _restriction_fact(
    facts: ItemFacts, version: RestrictionVersion, reasons: frozenset[str], possible: Possible, uvl: Fact
) -> Fact:
    if version.kind is RestrictionKind.UNVERIFIED_LIST:
        return uvl
    reach = _reaches(facts, version.destinations) if version.destinations is not None else TRUE
    if reach.value is False:
        return FALSE
    if version.kind is RestrictionKind.REASON:
        if version.reason in reasons:
            hit = TRUE
        elif possible is None or version.reason in possible:
            hit = Fact.unknown(
                facts.ask("eccn", f"Is item {facts.id} controlled for {version.reason} reasons ({version.citation})?")
            )
        else:
            hit = FALSE
    elif version.kind is RestrictionKind.SERIES:
        view = facts.eccn
        if view is None:
            hit = Fact.unknown(facts.ask("eccn", f"What is the ECCN (or EAR99) of item {facts.id}?"))
        else:
            code = view.eccn.code
            hit = Fact.of(not view.eccn.is_ear99 and (code[2] == "6" if version.series == "600" else code[2:] == "515"))
    else:
        hit = _within(facts, version.eccns)
    return all_of([reach, hit])


def _describe(version: RestrictionVersion) -> str:
    if not version.allowed:
        return "no licence exception"
    parts = []
    for allowed in version.allowed:
        text = allowed.symbol
        if allowed.under:
            text += f" (only under {', '.join(allowed.under)})"
        if allowed.only_for:
            text += f" (only for {', '.join(allowed.only_for)})"
        parts.append(text)
    return "only " + ", ".join(parts)


def _record_restrictions(
    facts: ItemFacts,
    ledger: Ledger,
    reasons: frozenset[str],
    possible: Possible,
    uvl: Fact,
    restrictions: tuple[tuple[Restriction, RestrictionVersion], ...],
) -> list[_Reaching]:
    """Each 740.2 restriction in force that reaches (or may reach) the item, recorded as its own finding."""
    reaching = []
    for restriction, version in restrictions:
        fact = _restriction_fact(facts, version, reasons, possible, uvl)
        if fact.value is False:
            continue
        reaching.append(_Reaching(restriction, version, fact))
        verb = "bars" if fact.value else "may bar"
        ledger.record(
            f"exceptions.{restriction.id}",
            version.citation,
            fact,
            Effect.EXCEPTION_UNAVAILABLE,
            f"{restriction.title}: {verb} licence exceptions, leaving open {_describe(version)}",
            facts.id,
        )
    return reaching


def _record_requirements(facts: ItemFacts, ledger: Ledger, live: list[Requirement]) -> None:
    """Each live requirement that licence exceptions cannot lift (or only those its part names)."""
    for requirement in live:
        if requirement.prohibition in (1, 2, 3) and not requirement.prohibited:
            continue
        if requirement.prohibited:
            because = f"a denial order ({requirement.citation}) is not lifted by any licence exception"
        elif requirement.exceptions_open:
            because = f"{requirement.citation} leaves open only {', '.join(requirement.exceptions_open)}"
        elif requirement.prohibition == 6:
            because = f"{requirement.citation} leaves open no licence exception (740.2(a)(6))"
        else:
            because = f"no licence exception overcomes {requirement.citation} ({requirement.rule})"
        citation = _BARRING.get(requirement.rule)
        if citation is None:
            citation = (
                f"15 CFR 740.2(a)(6); {requirement.citation}" if requirement.prohibition == 6 else requirement.citation
            )
        ledger.record(
            f"exceptions.{requirement.rule}",
            citation,
            requirement.fact,
            Effect.EXCEPTION_UNAVAILABLE,
            because,
            facts.id,
        )


def _paragraphs(facts: ItemFacts, symbol: str, allowed: AllowedException) -> Fact:
    """Does the shipment rely on a paragraph the restriction leaves open?"""
    exception_facts = facts.item.exception_facts
    given = exception_facts.paragraphs if exception_facts is not None else None
    if given is None:
        return Fact.unknown(
            facts.ask(
                "exception_facts.paragraphs",
                f"Under which paragraph of the licence exception would item {facts.id} ship under {symbol}? "
                f"Only {', '.join(allowed.under)} is open here.",
            )
        )
    wanted = tuple(u.replace("15 CFR ", "") for u in allowed.under)
    return Fact.of(any(p.replace("15 CFR ", "").startswith(wanted) for p in given))


def _left_open(facts: ItemFacts, symbol: str, version: RestrictionVersion) -> Fact:
    """Does the restriction leave this exception open for this item?"""
    entry = next((a for a in version.allowed if a.symbol == symbol), None)
    if entry is None:
        return FALSE
    parts = []
    if entry.only_for:
        parts.append(_within(facts, entry.only_for))
    if entry.under:
        parts.append(_paragraphs(facts, symbol, entry))
    return all_of(parts)


def _authorised_by_others(
    facts: ItemFacts,
    requirement: Requirement,
    rule: ExceptionRule,
    reasons: frozenset[str],
    possible: Possible,
    memo: dict[str | None, Fact],
) -> Fact:
    """Is an Entity List requirement authorised by an authorisation in force (the Huawei TGL)? An
    exception can then lift what remains. The answer depends on the item's facts and the list family
    alone, not on the exception asking, so ``memo`` (one per item's evaluation) keeps it by family."""
    if requirement.rule != "entity_list" or rule.kind is Kind.AUTHORIZATION:
        return FALSE
    family = _family(requirement.party_list_id)
    if family in memo:
        return memo[family]
    memo[family] = answer = _authorised_in_family(facts, family, reasons, possible)
    return answer


def _authorised_in_family(facts: ItemFacts, family: str | None, reasons: frozenset[str], possible: Possible) -> Fact:
    answers = []
    for other in facts.context.rules.exceptions.exceptions:
        version = other.version_on(facts.as_of) if other.kind is Kind.AUTHORIZATION else None
        if version is not None and f"entity_list:{family}" in version.lifts:
            answers.append(all_of(c.fact for c in _own_conditions(facts, other, version, reasons, possible)))
    return any_of(answers)


def _not_in_force(facts: ItemFacts, rule: ExceptionRule) -> LicenseExceptionResult:
    first, last = rule.versions[0], rule.versions[-1]
    if facts.as_of < first.effective:
        because = (
            f"{rule.symbol} did not exist on {facts.as_of.isoformat()}: it took effect on {first.effective.isoformat()}"
        )
    elif last.superseded is not None and facts.as_of >= last.superseded:
        because = (
            f"{rule.symbol} no longer existed on {facts.as_of.isoformat()}: it ended on {last.superseded.isoformat()}"
        )
    else:
        because = f"{rule.symbol} was not in force on {facts.as_of.isoformat()}"
    return LicenseExceptionResult(
        rule.symbol,
        rule.section,
        False,
        because,
        facts.id,
        kind=rule.kind.value,
        title=rule.title,
        in_force=False,
        conditions_not_met=(f"in force on {facts.as_of.isoformat()}",),
    )


def _evaluate(
    facts: ItemFacts,
    rule: ExceptionRule,
    version: ExceptionVersion,
    live: list[Requirement],
    reaching: list[_Reaching],
    reasons: frozenset[str],
    possible: Possible,
    memo: dict[str | None, Fact],
) -> tuple[LicenseExceptionResult, Fact]:
    conditions: list[Condition] = []
    if rule.kind is Kind.AUTHORIZATION:
        # An authorisation outside Part 740 is for the requirements it names; with none of them live it has
        # nothing to authorise.
        named = [r.fact for r in live if r.prohibition not in (1, 2, 3) and _lifts(facts, rule, version, r)]
        conditions.append(Condition(f"a requirement {rule.symbol} authorises applies", any_of(named)))
    for requirement in live:
        if _lifts(facts, rule, version, requirement):
            continue
        lifted_elsewhere = _authorised_by_others(facts, requirement, rule, reasons, possible, memo)
        blocking = all_of([requirement.fact, lifted_elsewhere.negate()])
        why = f"{requirement.citation} ({requirement.rule}) does not leave {rule.symbol} open"
        conditions.append(Condition(f"not barred: {why}", blocking.negate()))
    if rule.restricted_by_740_2:
        for hit in reaching:
            barred = all_of([hit.fact, _left_open(facts, rule.symbol, hit.version).negate()])
            if barred.value is not False:
                conditions.append(
                    Condition(f"not barred by {hit.version.citation} ({hit.restriction.title})", barred.negate())
                )
    conditions += _own_conditions(facts, rule, version, reasons, possible)
    available = all_of(c.fact for c in conditions)
    met_list: list[str] = []
    not_met_list: list[str] = []
    unknown_list: list[str] = []
    by_value = {True: met_list, False: not_met_list, None: unknown_list}
    for condition in conditions:
        by_value[condition.fact.value].append(condition.text)
    met, not_met, unknown = tuple(met_list), tuple(not_met_list), tuple(unknown_list)
    if available.value is False:
        because = next(c.text for c in conditions if c.fact.value is False)
        because = because.removeprefix("not barred: ") if because.startswith("not barred: ") else f"not met: {because}"
    elif available.value is True:
        because = f"{rule.title}: every condition met" + (f" ({'; '.join(met)})" if met else "")
    else:
        because = f"{rule.title}: depends on {'; '.join(unknown)}"
    if version.note:
        because += f" -- {version.note}"
    obligations = (*version.obligations, RECORDS) if available.value is not False else ()
    result = LicenseExceptionResult(
        rule.symbol,
        version.citation,
        available.value,
        because,
        facts.id,
        kind=str(rule.kind),
        title=rule.title,
        conditions_met=met,
        conditions_not_met=not_met,
        conditions_unknown=unknown,
        obligations=obligations,
        verification=str(version.verification),
        sources=tuple(s.cite for s in version.sources),
    )
    return result, available


def _possible_reasons(facts: ItemFacts, live: list[Requirement]) -> Possible:
    """The reasons that may require a licence. A chart requirement left unknown without naming any (its
    entry, the destination's row or the activity unread) may be for any reason of the entry, or for any
    reason at all when the entry's controls are not known either."""
    possible = {r for req in live for r in req.possible_reasons}
    for req in live:
        if req.prohibition not in (1, 2, 3) or req.fact.value is not None or req.reasons or req.possible_reasons:
            continue
        view = facts.eccn
        if view is None or not view.status.known:
            return None
        possible |= {control.reason for control in view.controls}
    return frozenset(possible)


@dataclass(frozen=True, slots=True)
class _Evaluated:
    """What ``license_exceptions`` worked out for one set of inputs: the findings it recorded, each
    exception's result (None where the exception was not in force: that result names the date, so it is
    made afresh), and the unknowns. It keeps the versions its memo key names by id, so that those ids
    cannot be reused while it is kept."""

    versions: tuple[ExceptionVersion | None, ...]
    restrictions: tuple[tuple[Restriction, RestrictionVersion], ...]
    findings: tuple[Finding, ...]
    results: tuple[LicenseExceptionResult | None, ...]
    unknowns: tuple[Fact, ...]
    read: tuple[TableVersion, ...]  # the table texts read meanwhile, which the determination names

    def mentions(self, text: str) -> bool:
        """Does any of its words contain ``text`` (the case date)?"""
        for finding in self.findings:
            if text in finding.because or text in finding.citation:
                return True
        for result in self.results:
            if result is not None and any(
                text in line
                for line in (
                    result.because,
                    *result.conditions_met,
                    *result.conditions_not_met,
                    *result.conditions_unknown,
                    *result.obligations,
                )
            ):
                return True
        return any(text in q.question or text in q.field for fact in self.unknowns for q in fact.questions)


def _inputs(
    facts: ItemFacts,
    requirements: list[Requirement],
    uvl: Fact,
    versions: tuple[ExceptionVersion | None, ...],
    restrictions: tuple[tuple[Restriction, RestrictionVersion], ...],
) -> tuple[object, ...]:
    """Everything the licence exceptions of an item are worked out from, except the case date itself: the
    date enters through the versions and restrictions in force, the destination's groups and the entry's
    text (all here by value or by id), through ``within_days`` tests (the date is here when one of them
    reads it), and through words that name it -- which ``_Evaluated.mentions`` finds, to key those by date."""
    view = facts.eccn
    classification: tuple[object, ...] | None = None
    if view is not None:
        status = view.status
        notes = status.license_exception_notes
        classification = (
            view.eccn,
            status.known,
            status.question,
            status.edition,
            None if notes is None else tuple(sorted(notes.items())),
            frozenset(control.reason for control in view.controls),
        )
    item = facts.item
    # A within_days test reads the date only when the case gives the fact it bounds (and no shipment date).
    days = item.shipped_on is None and any(
        test.within_days is not None and _fact_value(facts, test.fact) is not None
        for version in versions
        if version
        for test in version.facts
    )
    return (
        "exceptions",
        facts.index,
        facts.id,
        item.exception_facts,
        item.value,
        item.shipped_on,
        facts.as_of if days else None,
        facts.case.destination,
        tuple(getattr(facts.case, name) for name in sorted(CASE_FIELDS)),
        facts.activity,
        facts.destination.groups,
        facts.destination.groups_version,
        classification,
        tuple(requirements),
        uvl,
        tuple(map(id, versions)),
        tuple(id(version) for _, version in restrictions),
    )


def license_exceptions(
    facts: ItemFacts, requirements: list[Requirement], uvl: Fact, ledger: Ledger
) -> tuple[list[LicenseExceptionResult], list[Fact]]:
    """Availability of each exception and authorisation for this item, and the unknowns behind the Nones.

    Items of many cases share every input of this (the same product to the same destination while the
    same texts are in force): the answer is kept in the context's exception memo, by those inputs, and
    by the case date as well when its words name the date."""
    rules = facts.context.rules.exceptions
    versions = tuple(rule.version_on(facts.as_of) for rule in rules.exceptions)
    restrictions = rules.restrictions_on(facts.as_of)
    key = _inputs(facts, requirements, uvl, versions, restrictions)
    day = facts.as_of.isoformat()
    memo = facts.context.exception_memo
    found = memo.get((*key, day)) or memo.get(key)
    if not isinstance(found, _Evaluated):
        start = len(ledger.findings)
        with tables_noted() as read:
            results, unknowns = _license_exceptions(facts, requirements, uvl, ledger, versions, restrictions)
        found = _Evaluated(
            versions,
            restrictions,
            tuple(ledger.findings[start:]),
            tuple(results),
            tuple(unknowns),
            tuple(read.values()),
        )
        facts.context.keep_exceptions((*key, day) if found.mentions(day) else key, found)
    else:
        ledger.findings.extend(found.findings)
        note_tables(found.read)
    evaluated = [
        result if result is not None else _not_in_force(facts, rule)
        for rule, result in zip(rules.exceptions, found.results, strict=True)
    ]
    return evaluated, list(found.unknowns)


def _license_exceptions(
    facts: ItemFacts,
    requirements: list[Requirement],
    uvl: Fact,
    ledger: Ledger,
    versions: tuple[ExceptionVersion | None, ...],
    restrictions: tuple[tuple[Restriction, RestrictionVersion], ...],
) -> tuple[list[LicenseExceptionResult | None], list[Fact]]:
    live = [r for r in requirements if r.fact.value is not False]
    reasons = frozenset(r for req in live for r in req.reasons)
    possible = _possible_reasons(facts, live)
    _record_requirements(facts, ledger, live)
    reaching = _record_restrictions(facts, ledger, reasons, possible, uvl, restrictions)
    results: list[LicenseExceptionResult | None] = []
    unknowns = []
    authorised: dict[str | None, Fact] = {}  # by list family, shared by every exception of this item
    for rule, version in zip(facts.context.rules.exceptions.exceptions, versions, strict=True):
        if version is None:
            results.append(None)
            continue
        result, available = _evaluate(facts, rule, version, live, reaching, reasons, possible, authorised)
        results.append(result)
        if available.value is None:
            unknowns.append(available)
    return results, unknowns


def authorisation_findings(facts: ItemFacts, ledger: Ledger) -> None:
    """The authorisations outside Part 740 in force for a listed party of this transaction (the Huawei
    TGL and its successor), recorded whether or not the item needs a licence, so a timeline shows when
    they ran and what they covered."""
    listings = [
        listing
        for listing in facts.parties.on(ListCode.EL)
        if listing.listed.value is not False and listing.party.role is not None
    ]
    if not listings:
        return
    for rule in facts.context.rules.exceptions.exceptions:
        version = rule.version_on(facts.as_of) if rule.kind is Kind.AUTHORIZATION else None
        families = {lift.removeprefix("entity_list:") for lift in version.lifts} if version else set()
        seen: set[str] = set()
        for listing in listings:
            if version is None or _family(listing.hit.entry.list_id) not in families or listing.party.name in seen:
                continue
            seen.add(listing.party.name)  # a party matching several rows of one family: one finding
            covers = all_of(c.fact for c in _own_conditions(facts, rule, version, frozenset(), frozenset()))
            kinds = "; ".join(t.condition for t in version.facts)
            ledger.record(
                f"authorization.{rule.symbol.lower()}",
                version.citation,
                all_of([listing.listed, covers]),
                Effect.FLAG,
                f"{rule.title} in force for {listing.party.name!r}: authorises the Entity List requirement only for "
                f"{kinds}",
                facts.id,
                listing.party.name,
            )
