"""Part 744 licence requirements triggered by a known end use or end user, as dated data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache
from pathlib import Path

from pydantic import ConfigDict, with_config

from earcheck.errors import SourceFormatError
from earcheck.model import EndUse
from earcheck.regulations.dated import DatedFact, check_versions, in_force, load_packaged, parse_file

__all__ = ["EndUseData", "EndUseItems", "EndUseRule", "EndUseVersion", "end_use_data", "load_end_uses"]

STRICT = ConfigDict(extra="forbid", frozen=True)


class EndUseItems(StrEnum):
    ALL = "all"
    ALL_BUT_FOOD_MEDICINE = "all_but_food_medicine"
    SUPPLEMENT_2 = "supplement_2"
    CATEGORIES = "categories"


@with_config(STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class EndUseVersion(DatedFact):
    items: EndUseItems
    policy: str
    countries: tuple[str, ...] = ()  # empty: any destination
    military_end_user_countries: tuple[str, ...] | None = None  # where the end-USER prong reaches, if narrower
    all_items_countries: tuple[str, ...] = ()  # where every item but EAR99 food and medicine is reached
    categories: tuple[int, ...] = ()


@with_config(STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class EndUseRule:
    id: str
    title: str
    end_uses: tuple[EndUse, ...]
    versions: tuple[EndUseVersion, ...]


@with_config(STRICT)
@dataclass(frozen=True, slots=True, kw_only=True)
class EndUseData:
    covers_from: date
    rules: tuple[EndUseRule, ...]

    def version(self, rule: EndUseRule, as_of: date) -> EndUseVersion | None:
        return in_force(rule.versions, as_of, self.covers_from, rule.title)


def load_end_uses(path: Path, text: str | None = None) -> EndUseData:
    data = parse_file(path, EndUseData, text)
    for index, rule in enumerate(data.rules):
        try:
            check_versions(rule.versions, rule.id)
        except ValueError as error:
            raise SourceFormatError(path, str(error), field=f"rules.{index}.versions") from None
    covered = {use for rule in data.rules for use in rule.end_uses}
    missing = set(EndUse) - covered
    if missing:
        raise SourceFormatError(path, f"no rule for the end uses {sorted(missing)}", field="rules")
    return data


@cache
def end_use_data() -> EndUseData:
    return load_packaged("end_uses.yaml", load_end_uses)
