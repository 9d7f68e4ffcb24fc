"""Items the ITAR governs (15 CFR 734.3(b)(1)): not subject to the EAR.

The CCL keeps entries that only point to the International Traffic in Arms Regulations: "(These items
are “subject to the ITAR.” See 22 CFR parts 120 through 130.)" (9A007, 0A002, ...) or "“Software” for
items described in 0A002 is “subject to the ITAR”" (0D001). An item classified under one of them is an
article the State Department controls; 734.3(b)(1) takes it out of the EAR. The answer is then "not
subject to the EAR" -- with a finding that says the ITAR governs -- never "no licence required" read
from an empty set of controls.
"""

from __future__ import annotations

from earcheck.engine.item import ItemFacts, Ledger
from earcheck.engine.logic import FALSE, TRUE, Fact
from earcheck.engine.readings import itar_placeholder
from earcheck.model import Effect

__all__ = ["CITATION", "itar_governs"]

CITATION = "15 CFR 734.3(b)(1)"


def itar_governs(facts: ItemFacts, ledger: Ledger) -> Fact:
    """True when the item's classification is an entry that points to the ITAR (recorded as a finding)."""
    view = facts.eccn
    if view is None or view.eccn.is_ear99 or not view.status.known:
        return FALSE
    if not itar_placeholder(view.status, view.controls):
        return FALSE
    because = (
        f"{view.status.entry} only points to the ITAR: the item is subject to the International Traffic in Arms "
        "Regulations (22 CFR parts 120-130), which 15 CFR 734.3(b)(1) excludes from the EAR; the Department of "
        "State's rules, not the EAR, govern its export"
    )
    ledger.record("itar", CITATION, TRUE, Effect.FLAG, because, facts.id)
    return TRUE
