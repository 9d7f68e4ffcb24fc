"""Licence review policies: how strict each is, and the Part 742 policy for each reason for control.

The answer's review policy is the strictest of those that apply. Policies are compared by what they
say about denial and approval; a policy text earcheck cannot place (a cross-reference such as "See
§§ 744.11 and 744.23(d)") ranks with a presumption of denial, so that it is never read as lenient.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from pydantic import ConfigDict, with_config

from earcheck.regulations.dated import Verification, load_packaged, parse_file

__all__ = ["ReasonPolicy", "ReviewPolicies", "rank", "review_policies", "strictest"]

STRICT = ConfigDict(extra="forbid", frozen=True)

PROHIBITED = "Prohibited (denial order)"


def rank(policy: str) -> int:
    """6 prohibited, 5 denial, 4 presumption of denial (or unplaced), 3 case-by-case, 2 approval."""
    text = policy.casefold()
    if "prohibited" in text:
        return 6
    if "presumption of denial" in text:
        return 4
    if "denial" in text or "denied" in text or text.startswith("deny"):
        return 5
    if "case-by-case" in text or "case by case" in text:
        return 3
    if "approv" in text:
        return 2
    return 4


def strictest(policies: Iterable[str | None]) -> str | None:
    known = [p for p in policies if p]
    return max(known, key=rank) if known else None


@with_config(STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class ReasonPolicy:
    reason: str
    policy: str
    citation: str
    verification: Verification
    groups: tuple[str, ...] = ()  # applies only to destinations in these groups; empty = otherwise


@with_config(STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class ReviewPolicies:
    reasons: tuple[ReasonPolicy, ...]

    def for_reason(self, reason: str, groups: frozenset[str]) -> ReasonPolicy | None:
        candidates = [p for p in self.reasons if p.reason == reason]
        specific = next((p for p in candidates if p.groups and groups & set(p.groups)), None)
        return specific or next((p for p in candidates if not p.groups), None)


@cache
def review_policies() -> ReviewPolicies:
    return load_packaged("review_policies.yaml", lambda path, text: parse_file(path, ReviewPolicies, text))
