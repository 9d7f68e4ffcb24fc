"""Drawing a case's timeline as a chart (PNG), for the CLI and the web UI."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import BinaryIO

from earcheck.engine.timeline import Interval, Timeline

__all__ = ["draw_timeline"]

_LEVEL = {False: 1, None: 2, True: 3}
_COLOUR = {False: "#2e7d32", None: "#f9a825", True: "#c62828"}
_WORD = {False: "no licence", None: "unknown", True: "licence required"}


def _legend_line(number: int, interval: Interval) -> str:
    reason = interval.changes[0][2:] if interval.changes else (interval.citations[0] if interval.citations else "")
    if len(reason) > 110:
        reason = reason[:107] + "..."
    policy = f", {interval.review_policy}" if interval.review_policy else ""
    return f"{number}. {interval.start.isoformat()}: {_WORD[interval.license_required]}{policy}\n     {reason}"


def draw_timeline(timeline: Timeline, out: Path | BinaryIO) -> None:
    """One band per interval (green no licence, amber unknown, red licence required), numbered, with a
    legend giving each interval's start, answer, review policy and governing citation."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.dates as mdates
    import matplotlib.pyplot as plt

    legend_inches = 0.3 * len(timeline.intervals) + 0.2
    height = 2.4 + legend_inches
    figure = plt.figure(figsize=(12, height), dpi=110)
    axis = figure.add_axes((0.12, (legend_inches + 0.45) / height, 0.84, 1.6 / height))
    for number, interval in enumerate(timeline.intervals, 1):
        start = float(mdates.date2num(interval.start))  # type: ignore[no-untyped-call]
        stop = float(mdates.date2num(interval.end + timedelta(days=1)))  # type: ignore[no-untyped-call]
        level = _LEVEL[interval.license_required]
        axis.axvspan(start, stop, ymin=0, ymax=level / 3.4, color=_COLOUR[interval.license_required], alpha=0.85)
        axis.text(start, level / 3.4 + 0.02, str(number), fontsize=7, transform=axis.get_xaxis_transform())
    axis.set_yticks([0.5 / 3.4, 1.5 / 3.4, 2.5 / 3.4], ["no licence", "unknown", "licence required"])
    axis.set_ylim(0, 1)
    axis.xaxis.set_major_locator(mdates.YearLocator())  # type: ignore[no-untyped-call]
    axis.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))  # type: ignore[no-untyped-call]
    axis.set_title(f"{timeline.case_id or 'case'}: licence requirement over time", fontsize=10)
    legend = "\n".join(_legend_line(n, i) for n, i in enumerate(timeline.intervals, 1))
    figure.text(0.02, 0.02, legend, fontsize=7.5, va="bottom", family="monospace")
    figure.savefig(out, format="png")
    plt.close(figure)
