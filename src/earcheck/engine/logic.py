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
        return Fact(None if self.value is None else not self.value, self.questions)

    @property
    def known(self) -> bool:
        return self.value is not None


TRUE = Fact(True)
FALSE = Fact(False)


def merge_questions(facts: Iterable[Fact]) -> tuple[MissingFact, ...]:
    seen: dict[tuple[str, str], MissingFact] = {}
    for fact in facts:
        for question in fact.questions:
            seen.setdefault((question.field, question.question), question)
    return tuple(seen.values())


def any_of(facts: Iterable[Fact]) -> Fact:
    """OR: true if one is true; else unknown if one is unknown (asking its questions); else false."""
    facts = list(facts)
    if any(f.value is True for f in facts):
        return TRUE
    unknown = [f for f in facts if f.value is None]
    return Fact(None, merge_questions(unknown)) if unknown else FALSE


def all_of(facts: Iterable[Fact]) -> Fact:
    """AND: false if one is false; else unknown if one is unknown (asking its questions); else true."""
    facts = list(facts)
    if any(f.value is False for f in facts):
        return FALSE
    unknown = [f for f in facts if f.value is None]
    return Fact(None, merge_questions(unknown)) if unknown else TRUE
