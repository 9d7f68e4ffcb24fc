"""Licence review policies: how strict each is, and the Part 742 policy for each reason for control.

Every policy names the paragraph that states it and how it was verified; one the data cannot cite is
reported as not known (ranked with a presumption of denial), never as a summary.

The answer's review policy is the strictest of those that apply. Policies are compared by what they
say about denial and approval; a policy text earcheck cannot place (a cross-reference such as "See
§§ 744.11 and 744.23(d)") ranks with a presumption of denial, so that it is never read as lenient.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import cache

from pydantic import ConfigDict, with_config

from earcheck.eccn import Eccn
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


def _leading(policy: str) -> int:
    # A mixed policy ("approval for civil end uses; presumption of denial for ...") ranks by its strictest
    # part, but yields to a policy that is strict throughout.
    return rank(policy.split(";")[0].split("(")[0])


def strictest(policies: Iterable[str | None]) -> str | None:
    known = [p for p in policies if p]
    return max(known, key=lambda p: (rank(p), _leading(p))) if known else None


@with_config(STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class ReasonPolicy:
    """The Part 742 review policy for one reason for control, where it applies, with its paragraph."""

    reason: str
    policy: str  # "Not known ..." when the paragraph was not read: never a summary passed off as the rule
    citation: str
    verification: Verification
    effective: date | None = None  # first day in force (None: before the data's coverage)
    superseded: date | None = None
    eccns: tuple[str, ...] = ()  # only for items within these entries or paragraphs
    countries: tuple[str, ...] = ()  # only for these destinations
    groups: tuple[str, ...] = ()  # only for destinations in these groups; none of these three: otherwise

    @property
    def text(self) -> str:
        """The policy as a determination reports it: what it says, the paragraph, and how it was verified."""
        return f"{self.policy} ({self.citation}, {self.verification})"

    def in_force(self, as_of: date) -> bool:
        return (self.effective is None or self.effective <= as_of) and (
            self.superseded is None or as_of < self.superseded
        )


@with_config(STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class ReviewPolicies:
    reasons: tuple[ReasonPolicy, ...]

    def for_reason(
        self,
        reason: str,
        groups: frozenset[str],
        eccn: Eccn | None = None,
        as_of: date | None = None,
        country: str = "",
    ) -> ReasonPolicy | None:
        """The most specific policy in force for ``reason``: one for the item's ECCN, then one for the
        destination, then one for its Country Groups, then the general one."""
        candidates = [p for p in self.reasons if p.reason == reason and (as_of is None or p.in_force(as_of))]

        def fits(policy: ReasonPolicy) -> bool:
            if policy.eccns and (eccn is None or not any(eccn.within(Eccn.parse(e)) for e in policy.eccns)):
                return False
            if policy.countries and country not in policy.countries:
                return False
            return not policy.groups or bool(groups & set(policy.groups))

        ranked = sorted(
            (p for p in candidates if fits(p)),
            key=lambda p: (not p.eccns, not p.countries, not p.groups),
        )
        return ranked[0] if ranked else None


@cache
def review_policies() -> ReviewPolicies:
    return load_packaged("review_policies.yaml", lambda path, text: parse_file(path, ReviewPolicies, text))
