"""Screen a labelled query set with earcheck and with the naive baseline, and score both alike.

earcheck is called as ``earcheck screen`` calls it: ``Screener.build`` over the entries (the in-memory
form of the index ``earcheck data import`` caches) with the default ``ScreeningConfig``, then
``Screener.screen(name, country, as_of)`` per name. Only the public result is read: each hit's entry
``list_id``, ``score`` and ``band``.

The naive baseline: ``rapidfuzz.process.extractOne`` with ``fuzz.WRatio`` over every listed name and
alias (``utils.default_process``: lower case, punctuation to spaces), cutoff 90 for a match. Scores
from 80 up are kept for its precision-recall curve.

A positive query is *found* when the best hit is in the match band and is the right party (any entry
of the party the variant was made from). Precision counts, among queries whose best hit is a match,
those whose best hit is the right party; a match on a negative, or on the wrong party, is a false one.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Protocol

from rapidfuzz import fuzz, process, utils

from earcheck.lists import Band, ListEntry
from earcheck.screening import Screener, ScreeningConfig

BASELINE_CUTOFF = 90.0
BASELINE_FLOOR = 80.0


class Labelled(Protocol):
    @property
    def qid(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def country(self) -> str: ...
    @property
    def kind(self) -> str: ...
    @property
    def expected_ids(self) -> frozenset[str]: ...


@dataclass(frozen=True, slots=True)
class Outcome:
    """What one screener said about one query: its best hit, and how many hits were in each band."""

    best_id: str | None
    best_score: float  # in [0, 1]; 0 when nothing was returned
    best_band: str | None  # "match" / "review" / None
    matches: int
    reviews: int
    right_ids: tuple[str, ...] = ()  # ids of the right party among the hits (positives only)


def screen_earcheck(screener: Screener, queries: Sequence[Labelled], as_of: date) -> tuple[list[Outcome], float]:
    started = time.perf_counter()
    found = []
    for query in queries:
        hits = screener.screen(query.name, query.country or None, as_of)
        ranked = [h for h in hits if h.band in (Band.MATCH, Band.REVIEW)]
        best = ranked[0] if ranked else None
        found.append(
            Outcome(
                best.entry.list_id if best else None,
                best.score if best else 0.0,
                best.band.value if best else None,
                sum(h.band is Band.MATCH for h in ranked),
                sum(h.band is Band.REVIEW for h in ranked),
                tuple(h.entry.list_id for h in ranked if h.entry.list_id in query.expected_ids),
            )
        )
    return found, time.perf_counter() - started


class Baseline:
    """The naive scan: every listed name and alias, WRatio, best first."""

    def __init__(self, entries: Iterable[ListEntry]) -> None:
        self.names: list[str] = []
        self.owners: list[str] = []
        for entry in entries:
            for name in entry.names:
                self.names.append(utils.default_process(name))
                self.owners.append(entry.list_id)

    def screen(self, queries: Sequence[Labelled]) -> tuple[list[Outcome], float]:
        started = time.perf_counter()
        found = []
        for query in queries:
            best = process.extractOne(
                utils.default_process(query.name), self.names, scorer=fuzz.WRatio, score_cutoff=BASELINE_FLOOR
            )
            if best is None:
                found.append(Outcome(None, 0.0, None, 0, 0))
                continue
            _, score, index = best
            band = "match" if score >= BASELINE_CUTOFF else None
            owner = self.owners[index]
            right = (owner,) if owner in query.expected_ids and band else ()
            found.append(Outcome(owner, score / 100.0, band, int(band is not None), 0, right))
        return found, time.perf_counter() - started


def _right(query: Labelled, outcome: Outcome) -> bool:
    return outcome.best_id is not None and outcome.best_id in query.expected_ids


def report(
    queries: Sequence[Labelled], outcomes: Sequence[Outcome], *, clean_kinds: Iterable[str], hard_kinds: Iterable[str]
) -> dict[str, Any]:
    """Recall per kind, precision, false positives per 1,000 clean names, review-band size."""
    clean, hard = set(clean_kinds), set(hard_kinds)
    totals: Counter[str] = Counter()
    found: Counter[str] = Counter()
    anywhere: Counter[str] = Counter()
    flagged: Counter[str] = Counter()
    reviewed: Counter[str] = Counter()
    true_matches = false_matches = review_decisions = 0
    for query, outcome in zip(queries, outcomes, strict=True):
        totals[query.kind] += 1
        is_match = outcome.best_band == "match"
        review_decisions += outcome.best_band == "review"
        if query.expected_ids:
            if is_match and _right(query, outcome):
                found[query.kind] += 1
                true_matches += 1
            elif is_match:
                false_matches += 1
            if outcome.right_ids:
                anywhere[query.kind] += 1
        else:
            if is_match:
                flagged[query.kind] += 1
                false_matches += 1
            elif outcome.best_band == "review":
                reviewed[query.kind] += 1
    positives = [k for k in totals if k not in clean and k not in hard]
    positive_total = sum(totals[k] for k in positives)
    clean_total = sum(totals[k] for k in clean)
    matched = true_matches + false_matches
    return {
        "queries": len(queries),
        "positives": positive_total,
        "recall": _ratio(sum(found[k] for k in positives), positive_total),
        "recall_by_kind": {k: _ratio(found[k], totals[k]) for k in sorted(positives)},
        "right_party_in_any_band_by_kind": {k: _ratio(anywhere[k], totals[k]) for k in sorted(positives)},
        "count_by_kind": {k: totals[k] for k in sorted(totals)},
        "precision": _ratio(true_matches, matched),
        "false_matches": false_matches,
        "false_positives_per_1000_clean": round(1000 * sum(flagged[k] for k in clean) / clean_total, 2)
        if clean_total
        else None,
        "match_rate_by_negative_kind": {k: _ratio(flagged[k], totals[k]) for k in sorted(clean | hard) if totals[k]},
        "review_rate_by_negative_kind": {k: _ratio(reviewed[k], totals[k]) for k in sorted(clean | hard) if totals[k]},
        "review_band_queries": review_decisions,
        "review_band_share": _ratio(review_decisions, len(queries)),
    }


def _ratio(part: int, whole: int) -> float | None:
    return round(part / whole, 4) if whole else None


def curve(
    queries: Sequence[Labelled], outcomes: Sequence[Outcome], thresholds: Sequence[float]
) -> list[dict[str, float]]:
    """Precision and recall when the best hit counts as a match from each threshold up."""
    points = []
    positives = sum(1 for q in queries if q.expected_ids)
    for threshold in thresholds:
        true = false = 0
        for query, outcome in zip(queries, outcomes, strict=True):
            if outcome.best_id is None or outcome.best_score < threshold:
                continue
            if query.expected_ids and _right(query, outcome):
                true += 1
            else:
                false += 1
        points.append(
            {
                "threshold": round(threshold, 3),
                "recall": round(true / positives, 4) if positives else 0.0,
                "precision": round(true / (true + false), 4) if true + false else 1.0,
            }
        )
    return points


def plot(
    curves: dict[str, list[dict[str, float]]], marks: dict[str, tuple[float, float]], title: str, out: Path
) -> None:
    """Write the precision-recall curves (one line per screener and split) as a PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(7, 5))
    for label, points in curves.items():
        axes.plot([p["recall"] for p in points], [p["precision"] for p in points], marker=".", label=label)
    for label, (recall, precision) in marks.items():
        axes.scatter([recall], [precision], marker="x", s=60, zorder=5)
        axes.annotate(label, (recall, precision), textcoords="offset points", xytext=(4, -10), fontsize=7)
    axes.set_xlabel("recall (best hit is the right party)")
    axes.set_ylabel("precision")
    axes.set_title(title, fontsize=9)
    axes.grid(alpha=0.3)
    axes.legend(fontsize=7, loc="lower left")
    out.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(out, dpi=120, bbox_inches="tight")
    plt.close(figure)


def default_screener(entries: Sequence[ListEntry], build: Callable[..., Screener] = Screener.build) -> Screener:
    return build(entries, config=ScreeningConfig())
