"""``earcheck screen NAME``, one name, without the command framework.

A single screening must take at most half a second (issue 11), and importing typer alone (with the
pydantic it loads) takes most of that. ``screen_one_name`` reads the command line itself when it is
one name screened with options whose values are all valid, and prints exactly what the typer command
(``earcheck.cli.screen``) prints, with the same functions (defined here, used by both). Anything else
(help, ``--input``, an option it does not know, a repeated option, a value typer would refuse, an
output it cannot encode) it declines, and typer parses the command line and reports as always: this
reader never reports a usage error of its own, so the two can never disagree about one.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from earcheck.basis import ListBasis
from earcheck.compiled import keep_in
from earcheck.errors import InputError, UnknownCountry
from earcheck.lists import Hit
from earcheck.screening.screener import Screener, ScreeningConfig
from earcheck.settings import Settings

__all__ = ["print_table", "screen_one_name", "screener_for_day", "single_json"]

# The options of ``earcheck screen`` that take a value, and its one flag.
_VALUED = frozenset({
    "--country", "--address", "--as-of", "--input", "--format", "--match-threshold", "--review-threshold", "--jobs",
})  # fmt: skip
_FLAG = "--json"
_FORMATS = frozenset({"jsonl", "csv"})  # earcheck.screening.batch.OutputFormat's values


@dataclass(frozen=True, slots=True)
class _Request:
    name: str
    country: str | None
    address: str | None
    as_of: date
    config: ScreeningConfig
    as_json: bool


def _read(argv: Sequence[str]) -> _Request | None:
    """The request, when ``argv`` is ``screen`` and one name with valid options; else None."""
    if len(argv) < 2 or argv[0] != "screen":
        return None
    values: dict[str, str] = {}
    names: list[str] = []
    as_json = False
    rest = list(argv[1:])
    while rest:
        token = rest.pop(0)
        if not token.startswith("-") or token == "-":
            names.append(token)
            continue
        option, equals, value = token.partition("=")
        if option == _FLAG and not equals and not as_json:
            as_json = True
            continue
        if option not in _VALUED or option in values:
            return None  # help, "--", an unknown or repeated option: typer's to parse and explain
        if not equals:
            if not rest or rest[0].startswith("-"):
                return None
            value = rest.pop(0)
        values[option] = value
    if len(names) != 1 or "--input" in values or values.get("--format", "jsonl") not in _FORMATS:
        return None
    try:
        if "--jobs" in values and int(values["--jobs"]) < 1:
            return None
        as_of = date.fromisoformat(values["--as-of"]) if "--as-of" in values else date.today()
        defaults = ScreeningConfig()
        config = ScreeningConfig(
            match_threshold=float(values.get("--match-threshold", defaults.match_threshold)),
            review_threshold=float(values.get("--review-threshold", defaults.review_threshold)),
        )
        country: str | None = None
        if values.get("--country"):
            from earcheck.country import normalise_country

            country = normalise_country(values["--country"])
    except (ValueError, InputError, UnknownCountry):
        return None
    return _Request(names[0], country, values.get("--address"), as_of, config, as_json)


def _encodes_all(stream: Any) -> bool:
    # click.echo writes UTF-8 where the terminal says ASCII; print would fail: leave that to typer.
    encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
    return encoding == "utf8"


def screen_one_name(argv: Sequence[str]) -> bool:
    """Screen and print the one name ``argv`` asks for, as ``earcheck screen`` would; False (nothing
    done) when ``argv`` is anything else."""
    try:
        "".join(argv).encode("utf-8")  # no undecodable bytes (surrogate escapes) in the command line
    except UnicodeEncodeError:
        return False
    request = _read(argv)
    if request is None or not _encodes_all(sys.stdout):
        return False
    screener, basis = screener_for_day(request.as_of, request.config)
    hits = screener.screen(request.name, request.country, request.as_of, address=request.address)
    try:
        if request.as_json:
            document = single_json(request.name, request.country, request.as_of, screener, hits, basis)
            # What typer.echo writes: the text and a newline, flushed.
            sys.stdout.write(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
            sys.stdout.flush()
        else:
            print_table(request.name, request.as_of, hits, basis)
    except BrokenPipeError:
        # As click does when the reader of the output goes away (``earcheck screen X | head -1``):
        # exit 1, with the unwritten rest sent nowhere (flushing it at exit would fail again).
        import os

        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        sys.exit(1)
    return True


def screener_for_day(as_of: date, config: ScreeningConfig, *, batch: bool = False) -> tuple[Screener, ListBasis]:
    """The screener for ``as_of``, and the list snapshots it screens against (with staleness warnings).

    From the prebuilt index when ``earcheck data import`` left one for this database and its snapshots
    (no store opened: one name is screened in well under a second), else through the store. A batch
    copies the index into memory first (faster per name)."""
    from earcheck.screening.snapshots import cached_screener

    settings = Settings.from_env()
    home = settings.ensure_home()
    keep_in(home / "compiled")
    found = cached_screener(home, settings.database_url, as_of, config)
    if found is None:
        from earcheck.screening.snapshots import screener_for
        from earcheck.store import Store

        store = Store.open(settings)
        found = screener_for(store, home, as_of, config), store.list_basis(as_of)
    screener, basis = found
    return (screener.in_memory() if batch else screener), basis


def single_json(
    name: str, country: str | None, as_of: date, screener: Screener, hits: list[Hit], basis: ListBasis
) -> dict[str, Any]:
    from earcheck.screening.batch import hit_record

    config = screener.config
    return {
        "query": name,
        "country": country,
        "as_of": as_of.isoformat(),
        "algorithm": config.algorithm,
        "match_threshold": config.match_threshold,
        "review_threshold": config.review_threshold,
        "lists": [
            {"list": s.list_code, "snapshot": s.snapshot, "file": s.file_name, "as_of": s.as_of.isoformat()}
            for s in basis.snapshots
        ],
        "warnings": list(basis.warnings),
        "matches": [hit_record(hit) for hit in hits],
    }


def print_basis(console: Any, basis: ListBasis) -> None:
    from rich.text import Text

    console.print(f"Lists: {basis.version}", markup=False)
    for warning in basis.warnings:
        console.print(Text("warning: ", style="yellow") + Text(warning))


def _in_force(hit: Hit) -> str:
    value = hit.status.in_force
    return "possibly" if value is None else ("yes" if value else "no")


def print_table(name: str, as_of: date, hits: list[Hit], basis: ListBasis) -> None:
    from rich.console import Console

    console = Console(highlight=False, soft_wrap=True)
    if not hits:
        console.print(f"No list entry matches {name!r} as of {as_of.isoformat()}.", markup=False)
        print_basis(console, basis)
        return
    from rich.table import Table

    table = Table(title=f"{name} — as of {as_of.isoformat()}", title_justify="left")
    for column in ("score", "band", "list", "entry", "matched name", "in force", "terms"):
        table.add_column(column, overflow="fold")
    for hit in hits:
        status = hit.status
        terms = "; ".join(
            part
            for part in (
                f"footnote {', '.join(map(str, sorted(status.footnotes)))}" if status.footnotes else "",
                status.license_policy or "",
                ", ".join(hit.entry.federal_register[:3]),
            )
            if part
        )
        table.add_row(
            f"{hit.score:.3f}",
            hit.band.value,
            hit.entry.list_code.value,
            hit.entry.name,
            hit.matched_name,
            _in_force(hit),
            terms,
        )
    console.print(table)
    for hit in hits:
        console.print(f"  {hit.entry.list_code.value} {hit.entry.list_id}: {hit.status.reason}", markup=False)
    print_basis(console, basis)
