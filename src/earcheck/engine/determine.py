"""The Part 732 procedure for one case: parties, then per item subject-to-EAR, licence requirements,
licence exceptions and review policy; then the case's answer from its items', settled where it holds
whatever its finite unknown facts are.

A case's answer combines its items': ``True`` if any item needs a licence, else ``None`` if any is
unknown, else ``False``; its review policy is the strictest of the items'.
"""

from __future__ import annotations

from datetime import date

from earcheck import __version__
from earcheck.casefile import case_sha256
from earcheck.engine.agreement import settle_unknowns
from earcheck.engine.context import Context, tables_read
from earcheck.engine.country_chart import chart_requirement
from earcheck.engine.de_minimis import de_minimis
from earcheck.engine.denial import denial_order_requirements
from earcheck.engine.embargo import embargo_requirement
from earcheck.engine.end_use import end_use_requirements
from earcheck.engine.entity_list import entity_list_requirements
from earcheck.engine.exceptions import authorisation_findings, license_exceptions
from earcheck.engine.fdp import FdpResult, fdp_license_requirements, foreign_direct_product
from earcheck.engine.itar import CITATION as ITAR
from earcheck.engine.itar import itar_governs
from earcheck.engine.item import ItemFacts, Ledger, Requirement
from earcheck.engine.logic import FALSE, TRUE, Fact, all_of, any_of, merge_questions
from earcheck.engine.origin import derive_activity, subject_by_origin
from earcheck.engine.parties import PartyFacts, screen_parties
from earcheck.engine.sanctions import sanctions_requirements
from earcheck.engine.unverified import unverified_parties
from earcheck.model import (
    Case,
    Determination,
    Effect,
    Item,
    ItemResult,
    LicenseExceptionResult,
    MissingFact,
    Provenance,
)
from earcheck.regulations.ccl import law_date
from earcheck.regulations.editions import TableVersion, Trust
from earcheck.regulations.review_policy import strictest

__all__ = ["determine", "item_facts"]


def _item_facts(case: Case, item: Item, index: int, context: Context, parties: PartyFacts, as_of: date) -> ItemFacts:
    return ItemFacts(
        case=case,
        item=item,
        index=index,
        id=item.id or f"item-{index + 1}",
        as_of=as_of,
        context=context,
        parties=parties,
        destination=context.destination(case.destination, as_of),
        eccn=context.eccn(item.eccn, law_date(item.eccn, as_of, item.shipped_on)) if item.eccn is not None else None,
        location=item.location or item.origin,
        activity=derive_activity(case, item),
    )


def item_facts(case: Case, index: int, context: Context, today: date) -> ItemFacts:
    """The facts item ``index`` of ``case`` is judged on, for tools that explain one rule family of the
    engine line by line (a BOM's de minimis rollup) with the engine's own functions."""
    as_of = case.as_of or today
    return _item_facts(case, case.items[index], index, context, screen_parties(case, context, as_of), as_of)


def _requirements(facts: ItemFacts, ledger: Ledger, subject_by: int) -> list[Requirement]:
    requirements = [chart_requirement(facts, ledger, subject_by)]
    requirements += entity_list_requirements(facts, ledger)
    requirements += denial_order_requirements(facts, ledger)
    requirements += sanctions_requirements(facts, ledger)
    requirements += end_use_requirements(facts, ledger)
    embargo = embargo_requirement(facts, ledger)
    if embargo is not None:
        requirements.append(embargo)
    return requirements


def _record_subject(
    facts: ItemFacts, ledger: Ledger, subject: Fact, origin: Fact, minimis: Fact, fdp: list[FdpResult], itar: Fact
) -> None:
    """One summary finding: is the item subject to the EAR, and by which rule (734.3(a))."""
    if itar.value is True:
        because = f"item {facts.id} is not subject to the EAR: the ITAR governs it ({ITAR})"
    elif subject.value is True:
        ways = [w for w, f in (("US origin or location", origin), ("de minimis US content", minimis)) if f.value]
        ways += [f"{r.rule.title} ({r.version.citation})" for r in fdp if r.applies.value]
        because = f"item {facts.id} is subject to the EAR: " + "; ".join(ways)
    elif subject.value is False:
        because = (
            f"item {facts.id} is not subject to the EAR (not US-origin, within de minimis, no foreign-direct-product "
            "rule): licence requirements for items subject to the EAR do not reach it"
        )
    else:
        because = f"whether item {facts.id} is subject to the EAR depends on facts not given"
    ledger.record("subject_to_ear", "15 CFR 734.3(a)", subject, Effect.SUBJECT_TO_EAR, because, facts.id)


def _item_versions(facts: ItemFacts) -> list[TableVersion]:
    versions = [*facts.destination.versions]
    if facts.eccn is not None and facts.eccn.status.version is not None:
        versions.insert(0, facts.eccn.status.version)
    return versions


def _record_tables(context: Context, ledger: Ledger, versions: list[TableVersion], item: str | None) -> None:
    """One finding naming the table texts read (for ``item``, or for the case); it applies -- a flag --
    when any of them is only believed or not known on the date, and then says why."""
    if not versions:
        return
    # Many items read the same table rows (the context caches them by row and date): the finding's
    # words are a function of those rows and the item id alone, so they are built once. The memo's
    # value holds the versions themselves, so that the ids in its key cannot be reused meanwhile.
    key = ("tables", item, *map(id, versions))
    found = context.memo.get(key)
    if found is None:
        found = context.remember(key, (tuple(versions), *_tables_finding(versions, item)))
    assert isinstance(found, tuple)
    _, citation, fact, because, labels = found
    ledger.record("tables", citation, fact, Effect.FLAG, because, item, tables=labels)


def _tables_finding(versions: list[TableVersion], item: str | None) -> tuple[str, Fact, str, tuple[str, ...]]:
    doubtful = [v for v in versions if v.trust is not Trust.VOUCHED]
    labels = tuple(v.label for v in versions)
    subject = f"item {item}" if item else "the case"
    because = f"tables read for {subject}: " + "; ".join(labels)
    if doubtful:
        because += ". Outside what they vouch for: " + " ".join(dict.fromkeys(v.warning or v.label for v in doubtful))
    citation = "; ".join(dict.fromkeys(v.citation for v in versions))
    return citation, TRUE if doubtful else FALSE, because, labels


def _evaluate(
    facts: ItemFacts, ledger: Ledger
) -> tuple[ItemResult, list[LicenseExceptionResult], tuple[MissingFact, ...]]:
    _record_tables(facts.context, ledger, _item_versions(facts), facts.id)
    if facts.eccn is not None and facts.eccn.status.as_of != facts.as_of:
        ledger.record(
            "tables.savings",
            facts.eccn.status.citation,
            TRUE,
            Effect.FLAG,
            f"item {facts.id} was en route (shipped {facts.item.shipped_on}) when a new text of "
            f"{facts.eccn.status.entry} took effect: its savings clause keeps the text of "
            f"{facts.eccn.status.as_of.isoformat()}",
            facts.id,
        )
    origin = subject_by_origin(facts, ledger)
    minimis = de_minimis(facts, ledger)
    fdp = foreign_direct_product(facts, ledger)
    direct_product = any_of(result.applies for result in fdp)
    itar = itar_governs(facts, ledger)
    subject = all_of([itar.negate(), any_of([origin, minimis, direct_product])])
    _record_subject(facts, ledger, subject, origin, minimis, fdp, itar)
    # Which General Prohibition the chart requirement falls under: One for US-origin items, Two for
    # de minimis, Three for foreign direct products (the first that is certain).
    subject_by = next((gp for gp, fact in ((1, origin), (2, minimis), (3, direct_product)) if fact.value), 1)
    # An item the ITAR governs is outside the EAR (734.3(b)(1)): no EAR licence requirement can reach it, so
    # none is read (an embargo finding "requires a licence" would misstate it).
    requirements = (
        [] if itar.value else _requirements(facts, ledger, subject_by) + fdp_license_requirements(facts, fdp, ledger)
    )
    uvl = unverified_parties(facts, ledger)
    # A savings clause keeps the item subject to the EAR but lets it proceed without the licences that
    # reach it only through the saved rule: licences are needed only if it is subject some other way too.
    licensable = any_of([origin, minimis, *(result.licensable for result in fdp)])
    authorisation_findings(facts, ledger)
    needed = all_of([licensable, any_of(r.fact for r in requirements)])
    policy = strictest(r.policy for r in requirements if r.fact.value is True) if needed.value is not False else None
    exceptions: list[LicenseExceptionResult] = []
    exception_unknowns: list[Fact] = []
    if needed.value is not False:
        exceptions, exception_unknowns = license_exceptions(facts, requirements, uvl, ledger)
    elif uvl.value is not False:
        ledger.record(
            "unverified_list.statement",
            "15 CFR 744.15(b)",
            uvl,
            Effect.FLAG,
            "no licence is required, but a UVL statement must be obtained from the listed party before shipping",
            facts.id,
        )
    questions = merge_questions([f for f in (needed, subject) if f.value is None] + exception_unknowns)
    return ItemResult(facts.id, needed.value, subject.value, policy), exceptions, questions


def _record_clearances(parties: PartyFacts, context: Context, ledger: Ledger) -> None:
    """One finding for every listed entry a party matched but a reviewer cleared: the answer rests on
    that decision, and says whose it is, never that the party is not listed."""
    for listing in parties.cleared():
        hit = listing.hit
        rule = context.rules.list_rules.get(listing.code)
        decided = hit.decision.describe(hit) if hit.decision is not None else "cleared by a reviewer"
        ledger.record(
            "screening.cleared",
            rule.citation if rule is not None else listing.code.value,
            TRUE,
            Effect.FLAG,
            f"{listing.party.name!r} matched {listing.label()} (score {hit.score:.2f}), which is on the list on "
            f"the case date; {decided}. The answer treats the party as not this entry and rests on that decision.",
            party=listing.party.name,
        )


def _combine(values: list[bool | None]) -> bool | None:
    if any(v is True for v in values):
        return True
    return None if any(v is None for v in values) else False


def determine(case: Case, context: Context, today: date) -> Determination:
    """Decide ``case`` against ``context`` as of ``case.as_of`` (default ``today``). A ``null`` answer is
    settled where every value of its finite unknown facts gives the same one (``engine.agreement``)."""
    base = _determine(case, context, today)
    return settle_unknowns(case, base, lambda completed: _determine(completed, context, today), context)


def _determine(case: Case, context: Context, today: date) -> Determination:
    as_of = case.as_of or today
    ledger = Ledger()
    parties = screen_parties(case, context, as_of)
    _record_clearances(parties, context, ledger)
    items: list[ItemResult] = []
    exceptions: list[LicenseExceptionResult] = []
    questions: list[MissingFact] = []
    reported: set[tuple[str, str]] = set()
    with tables_read() as read:
        for index, item in enumerate(case.items):
            facts = _item_facts(case, item, index, context, parties, as_of)
            reported.update((v.table.value, v.key) for v in _item_versions(facts))
            result, item_exceptions, item_questions = _evaluate(facts, ledger)
            items.append(result)
            exceptions += item_exceptions
            questions += item_questions
    # Tables read by the rules beyond the item's own rows (US content, FDP inputs): named once, for the case.
    _record_tables(context, ledger, [v for k, v in read.items() if k not in reported], None)
    warnings = tuple(dict.fromkeys(v.warning or v.label for v in read.values() if v.trust is not Trust.VOUCHED))
    license_required = _combine([r.license_required for r in items])
    subject = _combine([r.subject_to_ear for r in items])
    unique = merge_questions([Fact(None, tuple(questions))])
    return Determination(
        case_id=case.id,
        as_of=as_of,
        license_required=license_required,
        subject_to_ear=subject,
        review_policy=strictest(r.review_policy for r in items if r.license_required is not False),
        items=tuple(items),
        findings=tuple(ledger.findings),
        license_exceptions=tuple(exceptions),
        missing_facts=unique,
        screening=parties.screening,
        warnings=warnings,
        provenance=Provenance(
            engine=__version__,
            rules=f"{context.rules.revision}; {context.tables_version}",
            lists=context.lists_version,
            case_sha256=case_sha256(case),
        ),
    )
