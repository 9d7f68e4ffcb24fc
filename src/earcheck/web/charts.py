"""The timeline chart of a case, as SVG geometry: one band per interval on a time axis, coloured by
the answer (licence required, not required, not determinable), with year ticks.

The timeline's shape is read from its JSON (``intervals`` with ``start``, ``end``, and the answer
under ``license_required``); an open end runs to the chart's right edge."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from earcheck.web.reading import is_ear_citation

__all__ = ["Band", "Chart", "Tick", "intervals_of", "layout"]

WIDTH = 960
LEFT = 16
RIGHT = 16
BAND_Y = 28
BAND_H = 44


@dataclass(frozen=True, slots=True)
class Band:
    x: float
    width: float
    state: str  # "required", "not-required", "unknown"
    label: str
    start: date
    end: date | None
    citation: str
    policy: str | None
    because: str


@dataclass(frozen=True, slots=True)
class Tick:
    x: float
    label: str


@dataclass(frozen=True, slots=True)
class Chart:
    width: int
    height: int
    bands: tuple[Band, ...]
    ticks: tuple[Tick, ...]
    first: date
    last: date


def _day(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def intervals_of(timeline: Any) -> list[Mapping[str, Any]] | None:
    """The intervals of a timeline's JSON, or None if it has no recognisable intervals."""
    rows = timeline.get("intervals") if isinstance(timeline, Mapping) else timeline
    if not isinstance(rows, Sequence) or isinstance(rows, str):
        return None
    found = [r for r in rows if isinstance(r, Mapping) and _day(r.get("start")) is not None]
    return found or None


def _state(row: Mapping[str, Any]) -> str:
    answer = row.get("license_required")
    if answer is None and isinstance(row.get("determination"), Mapping):
        answer = row["determination"].get("license_required")
    if answer is True:
        return "required"
    return "not-required" if answer is False else "unknown"


def _citation(row: Mapping[str, Any]) -> str:
    """The citation of the interval, or of the findings that governed it (those that applied)."""
    if isinstance(row.get("citation"), str):
        return str(row["citation"])
    # Only EAR provisions govern an answer to "is a licence required under the EAR?": an executive order
    # or an OFAC rule that a finding flags is not what the interval's answer rests on.
    governing = [
        f
        for f in row.get("governing") or ()
        if isinstance(f, Mapping) and is_ear_citation(str(f.get("citation") or ""))
    ]
    applied = [f for f in governing if f.get("outcome") != "does_not_apply"] or governing
    return "; ".join(dict.fromkeys(str(f.get("citation")) for f in applied if f.get("citation")))


def _because(row: Mapping[str, Any]) -> str:
    if isinstance(row.get("because"), str):
        return str(row["because"])
    changes = [str(c) for c in row.get("changes") or () if c]
    return "; ".join(changes)


def layout(rows: Sequence[Mapping[str, Any]], today: date) -> Chart:
    starts = [d for r in rows if (d := _day(r.get("start")))]
    ends = [d for r in rows if (d := _day(r.get("end")))]
    first = min(starts)
    last = max([*ends, *starts, today])
    span = max((last - first).days, 1)
    usable = WIDTH - LEFT - RIGHT

    def x(day: date) -> float:
        return round(LEFT + usable * (day - first).days / span, 1)

    bands = []
    for row in rows:
        start = _day(row.get("start"))
        assert start is not None
        end = _day(row.get("end"))
        state = _state(row)
        label = {"required": "Licence required", "not-required": "No licence required"}.get(state, "Not determinable")
        bands.append(
            Band(
                x=x(start),
                width=max(x(end or last) - x(start), 2.0),
                state=state,
                label=label,
                start=start,
                end=end,
                citation=_citation(row),
                policy=row.get("review_policy") if isinstance(row.get("review_policy"), str) else None,
                because=_because(row),
            )
        )
    ticks = tuple(Tick(x(date(year, 1, 1)), str(year)) for year in range(first.year + 1, last.year + 1))
    return Chart(WIDTH, BAND_Y + BAND_H + 30, tuple(bands), ticks, first, last)
