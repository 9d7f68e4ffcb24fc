"""How a stored determination reads on its page: what decided the answer first, the rest folded.

The page is built from the determination's JSON as stored (``earcheck schema determination``), so
that an old determination reads the same way after the engine changes. This module only orders,
groups and words what the answer already holds; it decides nothing:

- the decisive findings (those that apply, or may) come first; those that did not apply are folded;
- a "no licence required" says why by default: the rules that would have required a licence, each
  with the reason it did not apply, and, when every party was screened without a hit, that too;
- every party screened is listed, also those with no hit; one list entry matched through several of
  its names is shown once, with the names; a finding repeated word for word is shown once, counted;
- each missing-facts question is asked once;
- a hit in the review band is worded as "may be" the entry, never as "is".
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["FindingGroup", "PartyReading", "Reading", "is_ear_citation", "read"]

# The EAR are 15 CFR parts 730 to 774; a supplement is cited "Supplement No. 4 to part 744".
_EAR_PART = r"(?:73\d|7[4-6]\d|77[0-4])\b"
_EAR = re.compile(rf"15 CFR (?:parts? )?{_EAR_PART}|Supplement No\. \d+ to (?:15 CFR )?part {_EAR_PART}", re.I)

# Effects by which a rule requires a licence or forbids the export: their not applying is the reason
# there is no licence requirement.
_REQUIRING = {"license_required", "prohibited"}


def is_ear_citation(citation: str) -> bool:
    """Whether ``citation`` cites a provision of the EAR (not, e.g., an executive order or 31 CFR)."""
    return bool(_EAR.search(citation))


@dataclass(frozen=True, slots=True)
class FindingGroup:
    """One finding as the page shows it; ``count`` is how many identical findings it stands for."""

    finding: Mapping[str, Any]
    count: int


@dataclass(frozen=True, slots=True)
class MatchReading:
    """One list entry a party matched, once however many of its names matched."""

    match: Mapping[str, Any]  # the strongest of its matches
    matched_names: tuple[str, ...]
    wording: str  # "matches", "may be", "was cleared as", "set aside for"


@dataclass(frozen=True, slots=True)
class PartyReading:
    party: str
    role: str
    matches: tuple[MatchReading, ...]


@dataclass(frozen=True, slots=True)
class Reading:
    decisive: tuple[FindingGroup, ...]
    not_applied: tuple[FindingGroup, ...]
    no_licence_reasons: tuple[FindingGroup, ...]  # empty unless the answer is "no licence required"
    no_party_listed: bool  # every party was screened and none matched any entry (none cleared either)
    parties: tuple[PartyReading, ...]
    questions: tuple[Mapping[str, Any], ...]


def _key(finding: Mapping[str, Any]) -> tuple[str, ...]:
    fields = ("rule", "citation", "outcome", "effect", "because", "item", "party", "review_policy")
    return tuple(str(finding.get(k)) for k in fields) + tuple(str(t) for t in finding.get("tables") or ())


def _grouped(findings: Iterable[Mapping[str, Any]]) -> tuple[FindingGroup, ...]:
    groups: dict[tuple[str, ...], list[Mapping[str, Any]]] = {}
    for finding in findings:
        groups.setdefault(_key(finding), []).append(finding)
    return tuple(FindingGroup(same[0], len(same)) for same in groups.values())


def _wording(band: Any) -> str:
    return {"review": "may be", "cleared": "was cleared as", "set_aside": "set aside for"}.get(str(band), "matches")


def _party(screening: Mapping[str, Any]) -> PartyReading:
    by_entry: dict[str, list[Mapping[str, Any]]] = {}
    for match in screening.get("matches") or ():
        by_entry.setdefault(str(match.get("list_id") or match.get("name")), []).append(match)
    readings = []
    for same in by_entry.values():
        strongest = max(same, key=lambda m: float(m.get("score") or 0))
        names = tuple(dict.fromkeys(str(m.get("matched_name")) for m in same if m.get("matched_name")))
        readings.append(MatchReading(strongest, names, _wording(strongest.get("band"))))
    return PartyReading(str(screening.get("party")), str(screening.get("role")), tuple(readings))


def _unique_questions(facts: Sequence[Mapping[str, Any]]) -> tuple[Mapping[str, Any], ...]:
    seen: dict[str, Mapping[str, Any]] = {}
    for fact in facts:
        seen.setdefault(str(fact.get("question")), fact)
    return tuple(seen.values())


def read(result: Mapping[str, Any]) -> Reading:
    """The page's reading of a determination's JSON."""
    findings = [f for f in result.get("findings") or () if isinstance(f, Mapping)]
    decisive = [f for f in findings if f.get("outcome") != "does_not_apply"]
    not_applied = [f for f in findings if f.get("outcome") == "does_not_apply"]
    screening = [s for s in result.get("screening") or () if isinstance(s, Mapping)]
    reasons: tuple[FindingGroup, ...] = ()
    if result.get("license_required") is False:
        reasons = _grouped(f for f in not_applied if f.get("effect") in _REQUIRING)
    return Reading(
        decisive=_grouped(decisive),
        not_applied=_grouped(not_applied),
        no_licence_reasons=reasons,
        no_party_listed=bool(screening) and not any(s.get("matches") for s in screening),
        parties=tuple(_party(s) for s in screening),
        questions=_unique_questions([m for m in result.get("missing_facts") or () if isinstance(m, Mapping)]),
    )
