"""Three-valued answers that carry the questions which would settle them.

A ``Fact`` is ``True``, ``False`` or ``None`` (unknown) plus, when unknown, the questions whose answers
would decide it. Combining facts follows Kleene's logic, and keeps only the questions that still
matter: once one reason for a licence is certain, nobody needs to be asked about the others.

>>> q = MissingFact("items[0].eccn", "What is the ECCN of item 1?")
>>> any_of([Fact(True), Fact.unknown(q)]).value
True
>>> any_of([Fact(False), Fact.unknown(q)]).questions == (q,)
True
>>> all_of([Fact(False), Fact.unknown(q)])
Fact(value=False, questions=())
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from earcheck.model import MissingFact, Tri

__all__ = ["FALSE", "TRUE", "Fact", "all_of", "any_of", "merge_questions"]


@dataclass(frozen=True, slots=True)
class Fact:
    value: Tri
    questions: tuple[MissingFact, ...] = ()

    @classmethod
    def unknown(cls, *questions: MissingFact) -> Fact:
        return cls(None, questions)

    @classmethod
    def of(cls, value: Tri, *questions: MissingFact) -> Fact:
        """``value``, keeping ``questions`` only if it is unknown."""
        return cls(value, questions if value is None else ())

    def negate(self) -> Fact:
        value = self.value
        if not self.questions:  # the common case: a settled fact (shared constants, no new object)
            return _NOT[value]
        return Fact(None if value is None else not value, self.questions)

    @property
    def known(self) -> bool:
        return self.value is not None


TRUE = Fact(True)
FALSE = Fact(False)
_NOT = {True: FALSE, False: TRUE, None: Fact(None)}


def merge_questions(facts: Iterable[Fact]) -> tuple[MissingFact, ...]:
    seen: dict[tuple[str, str], MissingFact] = {}
    for fact in facts:
        for question in fact.questions:
            seen.setdefault((question.field, question.question), question)
    return tuple(seen.values())


def _unknown(unknown: list[Fact]) -> Fact:
    # One unknown fact with at most one question needs no merging (the hot case in the engine's rules).
    if len(unknown) == 1 and len(unknown[0].questions) <= 1:
        return unknown[0]
    return Fact(None, merge_questions(unknown))


def any_of(facts: Iterable[Fact]) -> Fact:
    """OR: true if one is true; else unknown if one is unknown (asking its questions); else false."""
    return _kleene(facts, True)


def all_of(facts: Iterable[Fact]) -> Fact:
    """AND: false if one is false; else unknown if one is unknown (asking its questions); else true."""
    return _kleene(facts, False)


def _kleene(facts: Iterable[Fact], decisive: bool) -> Fact:
    # One pass over every fact (no short cut: a generator given here is always consumed whole). A fact
    # of the ``decisive`` value settles the answer; else an unknown one leaves it unknown.
    settled = False
    unknown: list[Fact] = []
    for fact in facts:
        value = fact.value
        if value is decisive:
            settled = True
        elif value is None:
            unknown.append(fact)
    if settled:
        return TRUE if decisive else FALSE
    if unknown:
        return _unknown(unknown)
    return FALSE if decisive else TRUE
