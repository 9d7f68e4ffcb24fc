"""Segregation of duties: the person who prepared a licence application does not record its decision.

An application is prepared by whoever drafted, edited or submitted it; the decision on it (BIS's
approval with the licence number BIS gave, a return without action, a denial) is recorded by a
different key, so that no one person can both ask for a licence and put one on the register. Who
prepared it is read from the audit log, which keeps every draft, edit and submission with its actor.

A company with a single compliance officer cannot have two people; it can turn the rule off
(``Settings.one_person_decisions``), and every decision recorded under it says so in its audit row.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa

from earcheck.errors import Forbidden
from earcheck.records.keys import Actor
from earcheck.records.schema import audit_log

__all__ = ["PREPARING", "application_preparers", "check_decider", "preparers"]

# The audit actions by which a person prepares an application.
PREPARING = ("application.create", "application.update", "application.submitted")


def preparers(connection: sa.Connection, application_id: int) -> list[str]:
    """Everyone who drafted, edited or submitted the application, as their audit labels, in order."""
    rows = connection.execute(
        sa.select(audit_log.c.actor)
        .where(audit_log.c.subject == f"application:{application_id}", audit_log.c.action.in_(PREPARING))
        .order_by(audit_log.c.seq)
    )
    return list(dict.fromkeys(row.actor for row in rows))


def check_decider(connection: sa.Connection, actor: Actor, application_id: int, one_person: bool) -> dict[str, Any]:
    """Refuse (403) a decision by a key that prepared the application, unless ``one_person`` allows
    it; returns what the decision's audit row records about it (empty when no one was waived)."""
    prepared_by = preparers(connection, application_id)
    if actor.label not in prepared_by:
        return {}
    if not one_person:
        raise Forbidden(
            f"application {application_id} was prepared (drafted, edited or submitted) by {actor.label}: "
            "another person must record BIS's decision on it (segregation of duties; a company with one "
            "compliance officer can set EARCHECK_ONE_PERSON_DECISIONS=1)"
        )
    return {"segregation_of_duties": "waived: one-person setting", "prepared_by": prepared_by}


def application_preparers(engine: sa.Engine, application_id: int) -> list[str]:
    """``preparers`` on its own connection, for a page that shows who may not decide."""
    with engine.connect() as connection:
        return preparers(connection, application_id)
