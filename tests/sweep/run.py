"""The CCL-wide sweep: one US-origin export per (entry, paragraph, destination), the engine's answer beside
the independent reading of the table text, and the report of where they disagree."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from earcheck.casefile import parse_cases
from earcheck.workspace import Workspace
from tests.sweep.paragraphs import Path
from tests.sweep.reader import Reader, Reading, Verdict

AS_OF = "2026-08-01"  # the 2026-07-23 tables are the law on this date
TODAY = date(2026, 11, 26)
DESTINATIONS = ("CN", "RU", "DE", "CA", "IN", "AE", "GB", "VN", "IR", "KP", "CU")
CONSIGNEE = "Quillmarsh Ventilation Fittings Ltd."  # invented; screens clean (checked by the test)
NULL_SHARE_LIMIT = 0.01  # issue 10: "null in at most 1% of the sweep cases that the table text decides"


def item_eccn(eccn: str, paragraph: Path) -> str:
    return ".".join((eccn, *paragraph))


def case_document(eccn: str, paragraph: Path, destination: str) -> dict[str, Any]:
    """A US exporter ships a US-origin item from the US to one unlisted consignee; nothing else is known
    to be special (no end uses, no knowledge of products of listed parties)."""
    return {
        "id": f"sweep-{item_eccn(eccn, paragraph)}-{destination}",
        "as_of": AS_OF,
        "activity": "export",
        "exporter": {"name": "Harbor Point Instruments Inc.", "country": "US"},
        "parties": [{"name": CONSIGNEE, "country": destination, "role": "ultimate_consignee"}],
        "destination": destination,
        "end_uses": [],
        "knowledge": {"for_products_of": []},
        "items": [{"id": "item", "eccn": item_eccn(eccn, paragraph), "origin": "US", "location": "US", "value": 1000}],
    }


@dataclass(frozen=True)
class Outcome:
    eccn: str
    paragraph: Path
    destination: str
    reading: Reading
    license_required: bool | None
    subject_to_ear: bool | None
    engine_because: str
    screened_clean: bool

    @property
    def item(self) -> str:
        return item_eccn(self.eccn, self.paragraph)

    @property
    def wrong_no(self) -> bool:
        return self.reading.verdict is Verdict.REQUIRED and self.license_required is False

    @property
    def wrong_yes(self) -> bool:
        return self.reading.verdict is Verdict.NOT_REQUIRED and self.license_required is True

    @property
    def unfounded_no(self) -> bool:
        """A "no" where the text settles nothing and gives no ground for one (embargo, missing rows)."""
        return self.reading.never_false and self.license_required is False

    @property
    def null_where_decided(self) -> bool:
        return self.reading.decided and self.license_required is None

    @property
    def placeholder_subject(self) -> bool:
        """An ITAR placeholder the engine does not answer "not subject to the EAR" for."""
        return self.reading.verdict is Verdict.NOT_SUBJECT and self.subject_to_ear is not False

    def describe(self, width: int = 240) -> str:
        text = " | ".join(t if len(t) <= width else t[: width - 1] + "…" for t in self.reading.because)
        return (
            f"{self.item} to {self.destination}: engine license_required={self.license_required}, "
            f"subject_to_ear={self.subject_to_ear}\n    text: {text}\n    engine: {self.engine_because}"
        )


def _engine_because(determination: Any) -> str:
    shown = []
    for finding in determination.findings:
        effect, outcome = finding.effect.value, finding.outcome.value
        if finding.rule == "country_chart" or (
            effect in ("license_required", "prohibited") and outcome != "does_not_apply"
        ):
            shown.append(f"[{finding.rule} {outcome}] {finding.because}")
    return " ; ".join(shown)


def cases(reader: Reader) -> Iterator[tuple[str, Path, str]]:
    for eccn, entry in sorted(reader.entries.items()):
        rest = (entry.elsewhere,) if entry.elsewhere else ()
        for paragraph in ((), *entry.paragraphs, *rest):
            for destination in DESTINATIONS:
                yield eccn, paragraph, destination


def sweep(reader: Reader, workspace: Workspace) -> list[Outcome]:
    outcomes = []
    for eccn, paragraph, destination in cases(reader):
        [case] = parse_cases(case_document(eccn, paragraph, destination))
        determination = workspace.determine(case, today=TODAY)
        clean = all(not s.matches for s in determination.screening)
        outcomes.append(
            Outcome(
                eccn,
                paragraph,
                destination,
                reader.read(eccn, paragraph, destination),
                determination.license_required,
                determination.subject_to_ear,
                _engine_because(determination),
                clean,
            )
        )
    return outcomes


def null_share(outcomes: list[Outcome]) -> float:
    decided = [o for o in outcomes if o.reading.decided]
    return sum(o.null_where_decided for o in decided) / len(decided) if decided else 0.0


def report(outcomes: list[Outcome], *, full: bool = True, limit: int = 40) -> str:
    """Counts per class and per destination, the entries with most nulls where the text decides, and the
    disagreements (all of them when ``full``, else the first ``limit`` of each kind)."""
    lines = [f"CCL sweep: {len(outcomes)} cases, US origin, as of {AS_OF}"]
    verdicts = Counter(o.reading.verdict.value for o in outcomes)
    lines.append("reader: " + ", ".join(f"{k} {v}" for k, v in sorted(verdicts.items())))
    answers = Counter((o.reading.verdict.value, str(o.license_required)) for o in outcomes)
    lines.append(
        "reader x engine license_required: " + ", ".join(f"{k[0]}/{k[1]} {v}" for k, v in sorted(answers.items()))
    )
    kinds = {
        "wrong no (text: required, engine: false)": [o for o in outcomes if o.wrong_no],
        "wrong yes (text: not required, engine: true)": [o for o in outcomes if o.wrong_yes],
        "unfounded no (text: undecided, false has no basis)": [o for o in outcomes if o.unfounded_no],
        "null where the text decides": [o for o in outcomes if o.null_where_decided],
        "ITAR placeholder not answered 'not subject to the EAR'": [o for o in outcomes if o.placeholder_subject],
    }
    decided = sum(o.reading.decided for o in outcomes)
    lines.append(
        f"decided by the text: {decided}; null among them: {len(kinds['null where the text decides'])} "
        f"({null_share(outcomes):.2%}, limit {NULL_SHARE_LIMIT:.0%})"
    )
    lines.append("per destination (cases / required / not_required / undecided / wrong no / wrong yes / null decided):")
    by_destination: dict[str, list[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        by_destination[outcome.destination].append(outcome)
    for destination, group in by_destination.items():
        count = Counter(o.reading.verdict for o in group)
        lines.append(
            f"  {destination}: {len(group)} / {count[Verdict.REQUIRED]} / {count[Verdict.NOT_REQUIRED]} / "
            f"{count[Verdict.UNDECIDED]} / {sum(o.wrong_no for o in group)} / {sum(o.wrong_yes for o in group)} / "
            f"{sum(o.null_where_decided for o in group)}"
        )
    worst = Counter(o.eccn for o in kinds["null where the text decides"]).most_common(15)
    lines.append("entries with most nulls where the text decides: " + ", ".join(f"{e} {n}" for e, n in worst))
    for title, group in kinds.items():
        lines.append(f"{title}: {len(group)}")
        for outcome in group if full else group[:limit]:
            lines.append("  " + outcome.describe())
    return "\n".join(lines)
