"""Records tests run on both databases: the embedded SQLite file and a fresh PostgreSQL database."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa

from earcheck.db import migrate
from earcheck.records.keys import Actor, Role
from earcheck.records.licences import LicenceTerms
from earcheck.records.parties import ItemLine, PartyRecord, PartyRole
from earcheck.settings import Settings


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def database_settings(request: pytest.FixtureRequest, settings: Settings) -> Settings:
    if request.param == "sqlite":
        return settings
    url = request.getfixturevalue("postgres_url")
    return Settings(home=settings.home, database_url=url)


@pytest.fixture
def engine(database_settings: Settings) -> sa.Engine:
    return migrate(database_settings)


@pytest.fixture
def admin() -> Actor:
    return Actor("Ada Admin", Role.ADMIN)


@pytest.fixture
def approver() -> Actor:
    return Actor("Paula Approver", Role.APPROVER)


@pytest.fixture
def analyst() -> Actor:
    return Actor("Andy Analyst", Role.ANALYST)


@pytest.fixture
def viewer() -> Actor:
    return Actor("Vera Viewer", Role.VIEWER)


SMIC_HUAWEI = (
    PartyRecord(PartyRole.APPLICANT, "Semiconductor Manufacturing International Corporation", "CN"),
    PartyRecord(PartyRole.ULTIMATE_CONSIGNEE, "Huawei Technologies Co., Ltd.", "CN", "Bantian, Shenzhen"),
)


def _terms(
    number: str = "D123456",
    quantity: str = "100",
    value: str = "10000.00",
    valid_from: date = date(2024, 1, 1),
    valid_until: date = date(2027, 12, 31),
) -> LicenceTerms:
    return LicenceTerms(
        number=number,
        valid_from=valid_from,
        valid_until=valid_until,
        parties=SMIC_HUAWEI,
        lines=(ItemLine("EAR99", "14 nm application processor wafers", Decimal(quantity), "wafers", Decimal(value)),),
        conditions=("No reexport without prior BIS authorisation.",),
    )


@pytest.fixture
def make_terms() -> Callable[..., LicenceTerms]:
    """``make_terms(number=..., quantity=..., value=..., valid_from=..., valid_until=...)``: licence terms
    for SMIC shipping wafers to Huawei, one line."""
    return _terms


@pytest.fixture
def smic_huawei() -> tuple[PartyRecord, ...]:
    return SMIC_HUAWEI
