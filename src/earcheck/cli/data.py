"""``earcheck data import|status|update``: load the official list and table files, see what is loaded,
fetch fresh lists."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any

import sqlalchemy as sa
import typer
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from earcheck.cli import app
from earcheck.cli.records import local_actor
from earcheck.errors import DownloadFailed, SourceFormatError
from earcheck.lists import ListCode
from earcheck.records import audit
from earcheck.records.screening import DecidingScreener
from earcheck.settings import Settings
from earcheck.sources import SourceKind, detect
from earcheck.sources.download import CSL_URL, SDN_URL, fetch
from earcheck.store import EAR_KINDS, STALE_AFTER, ImportReport, Journal, SnapshotInfo, StaleList, Store, stale_lists
from earcheck.store.manifest import write_manifest
from earcheck.store.shrinkage import MAX_SHRINK

data_app = typer.Typer(
    name="data",
    help="Import, inspect and update the restricted-party lists and EAR tables earcheck answers from.",
    no_args_is_help=True,
)
app.add_typer(data_app)

MAX_AGE_DAYS = STALE_AFTER.days

AcceptShrink = Annotated[
    str | None,
    typer.Option(
        "--accept-shrink",
        metavar="REASON",
        help=f"Import even though a list disappears or loses more than {MAX_SHRINK:.0%} of its rows against the "
        "snapshot before it (normally refused: a truncated file would make listed parties screen clean). "
        "The reason is kept with the snapshot and written to the audit log.",
    ),
]


def _journal() -> Journal:
    """Audit rows for imports and retirements, written by the person at this command line."""
    actor = local_actor().label

    def write(connection: sa.Connection, action: str, subject: str, payload: Mapping[str, Any]) -> None:
        audit.append(connection, actor, action, subject, payload)

    return write


def _console(stderr: bool = False) -> Console:
    # No markup: file names, list text and messages may hold [brackets] ("[SDGT]") that are not styles.
    console = Console(stderr=stderr, highlight=False, soft_wrap=True, markup=False)
    if not console.is_terminal:
        console.width = 140  # logs and pipes have room; Rich would assume 80 columns
    return console


def _warn(console: Console, message: str) -> None:
    console.print(Text("warning: ", style="yellow") + Text(message))


def _error(console: Console, message: str) -> None:
    console.print(Text("error: ", style="bold red") + Text(message))


_NUMBERS = {"Rows", "Skipped", "Age (days)"}


def _table(title: str, *columns: str) -> Table:
    table = Table(title=title, title_justify="left", box=box.SIMPLE_HEAD)
    for column in columns:
        table.add_column(
            column,
            justify="right" if column in _NUMBERS else "left",
            overflow="fold",
            min_width=32 if column == "File" else None,
        )
    return table


def _as_of(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise typer.BadParameter(f"{value!r} is not a date; expected YYYY-MM-DD", param_hint="--as-of") from None


def _store() -> Store:
    return Store.open(Settings.from_env())


def _list_counts(lists: Mapping[ListCode, int]) -> str:
    order = list(ListCode)
    ordered = sorted(lists.items(), key=lambda item: order.index(item[0]))
    return " · ".join(f"{code.value} {count:,}" for code, count in ordered if count)


def print_import(report: ImportReport, console: Console) -> None:
    """The import report as a table, then the lists in each new list file, skipped rows and warnings."""
    table = _table(f"Import of {report.path}", "File", "Kind", "As of", "Dated by", "Rows", "Skipped", "Status")
    for file in report.files:
        table.add_row(
            file.file_name,
            file.kind.short,
            str(file.as_of),
            file.as_of_source,
            f"{file.rows:,}",
            f"{len(file.skipped):,}" if file.imported else "",
            file.status,
        )
    already = len(report.files) - report.new_files
    table.add_section()
    table.add_row(
        f"{report.new_files} new, {already} already imported",
        "",
        "",
        "",
        f"{report.new_rows:,}",
        f"{report.skipped_rows:,}",
        "",
    )
    console.print(table)
    for file in report.files:
        if file.imported and file.kind.is_list:
            console.print(f"  {file.file_name}: {_list_counts(file.lists)}")
    skipped = [row for file in report.files if file.imported for row in file.skipped]
    if skipped:
        console.print(
            Text(f"{len(skipped)} row(s) skipped", style="bold") + Text(" (fix them and import the file again):")
        )
        for row in skipped:
            console.print(f"  {row}")
    for warning in report.warnings:
        _warn(console, warning)
    for file in report.files:
        for warning in file.warnings:
            _warn(console, warning)


@data_app.command("import")
def import_command(
    path: Annotated[
        Path, typer.Argument(help="A snapshot folder with manifest.json (like ../shared/data), or one file.")
    ],
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            help="Date the file speaks for (YYYY-MM-DD); for a folder, dates the files its manifest leaves "
            "undated. Without it, an undated file is recorded with today's date, and a warning.",
        ),
    ] = None,
    lenient: Annotated[
        bool,
        typer.Option("--lenient", help="Skip bad rows (each is reported and kept for review) instead of failing."),
    ] = False,
    accept_shrink: AcceptShrink = None,
) -> None:
    """Import official list and table files: the trade.gov CSL CSV, OFAC SDN.CSV, the EAR tables.

    A file already imported (same SHA-256) is skipped, so importing again is harmless; a newer list is
    added beside the older one, which still governs earlier dates. A list that would disappear or
    shrink sharply is refused (see --accept-shrink); nothing is stored then.
    """
    store = _store()
    report = store.import_path(
        path, _as_of(as_of), strict=not lenient, today=date.today(), accept_shrink=accept_shrink, journal=_journal()
    )
    print_import(report, _console())
    prepare_screening(store)
    rescreen_parties(store, report, _console())


def prepare_screening(store: Store) -> None:
    """Build the screening index of every list period now (one per list snapshot date: the same lists
    govern every day until the next), so that screening and determinations for any date load theirs in
    well under a second instead of building it on first use. Indexes already built are reused. The
    catalogue of the periods written beside them lets ``earcheck screen`` answer without the store."""
    from earcheck.screening.snapshots import prepare_periods

    settings = Settings.from_env()
    prepare_periods(store, settings.ensure_home(), settings.database_url)


def rescreen_parties(store: Store, report: ImportReport, console: Console) -> None:
    """Screen every stored party again when new lists arrived, and say what waits for review."""
    from earcheck.screening.snapshots import StoreScreener
    from earcheck.workspace import Workspace

    settings = Settings.from_env()
    workspace = Workspace(store, DecidingScreener(StoreScreener(store, settings.ensure_home()), store.engine))
    done = workspace.rescreen_after(report, local_actor())
    if done is not None:
        console.print(
            f"re-screened {done.parties} stored part{'y' if done.parties == 1 else 'ies'}: "
            f"{len(done.raised)} hit(s) queued for review (earcheck parties queue)"
        )


def _info_json(info: SnapshotInfo) -> dict[str, object]:
    return {
        "id": info.id,
        "kind": info.kind.value,
        "file_name": info.file_name,
        "as_of": info.as_of.isoformat(),
        "as_of_source": info.as_of_source,
        "rows": info.rows,
        "skipped": info.skipped,
        "sha256": info.sha256,
        "imported_at": info.imported_at.isoformat(),
        "lists": {code.value: count for code, count in info.lists.items()},
        "source_path": info.source_path,
        "import_note": info.import_note,
        "retired": None
        if info.retired_at is None
        else {"at": info.retired_at.isoformat(), "by": info.retired_by, "reason": info.retired_reason},
    }


@data_app.command()
def status(
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")] = False,
) -> None:
    """Show what is loaded, and warn about lists more than 30 days older than today."""
    store = _store()
    infos = store.snapshots()
    today = date.today()
    stale = stale_lists(infos, today)
    warnings = _stale_warnings(stale)
    ear = [info for info in infos if info.kind in EAR_KINDS]
    missing = [kind.label for kind in EAR_KINDS if not any(info.kind is kind for info in ear)]
    if infos and missing:
        warnings.append(f"EAR tables not loaded: {', '.join(missing)} (import a snapshot folder)")
    for info in {info.id: info for info in store.governing_list_snapshots(today).values()}.values():
        if info.skipped:
            warnings.append(
                f"{info.file_name}: {info.skipped:,} row(s) were skipped at import and are not screened; "
                "fix them and import the file again"
            )
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "snapshots": [_info_json(info) for info in infos],
                    "stale_lists": [
                        {
                            "list": s.list_code.value,
                            "as_of": s.snapshot.as_of.isoformat(),
                            "age_days": s.age_days,
                            "snapshot": s.snapshot.id,
                        }
                        for s in stale
                    ],
                    "warnings": warnings,
                },
                indent=2,
            )
        )
        return
    console = _console()
    if not infos:
        console.print("Nothing imported yet: run `earcheck data import PATH` or `earcheck data update`.")
        return
    table = _table(
        "Snapshots", "Id", "File", "Kind", "As of", "Dated by", "Rows", "Skipped", "Imported (UTC)", "Retired"
    )
    for info in infos:
        table.add_row(
            info.id,
            info.file_name,
            info.kind.short,
            str(info.as_of),
            info.as_of_source,
            f"{info.rows:,}",
            f"{info.skipped:,}",
            info.imported_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M"),
            "" if info.retired_at is None else f"{info.retired_at.astimezone(UTC):%Y-%m-%d} by {info.retired_by}",
        )
    console.print(table)
    for info in infos:
        if info.retired:
            console.print(f"  {info.id} retired: {info.retired_reason}")
        if info.import_note:
            console.print(f"  {info.id} {info.import_note}")
    governing = store.governing_list_snapshots(today)
    if governing:
        lists = _table(f"Lists governing today ({today})", "List", "Rows", "From", "As of", "Age (days)")
        for code, info in governing.items():
            lists.add_row(
                code.value, f"{info.lists.get(code, 0):,}", info.file_name, str(info.as_of),
                str((today - info.as_of).days),
            )  # fmt: skip
        console.print(lists)
    if ear and not missing:
        tables = store.ear_tables(today)
        console.print(f"EAR tables: edition {tables.edition} ({tables.snapshot})")
    for warning in warnings:
        _warn(console, warning)


def _stale_warnings(stale: Sequence[StaleList]) -> list[str]:
    groups: dict[tuple[str, date, int], list[str]] = {}
    for item in stale:
        key = (item.snapshot.file_name, item.snapshot.as_of, item.age_days)
        groups.setdefault(key, []).append(item.list_code.value)
    return [
        f"{', '.join(codes)}: the newest list is of {as_of} ({name}), {age} days old (more than "
        f"{MAX_AGE_DAYS}): run `earcheck data update` or import a newer file"
        for (name, as_of, age), codes in groups.items()
    ]


def _expect(kind: SourceKind, url: str) -> Callable[[Path], None]:
    def check(path: Path) -> None:
        try:
            found = detect(path)
        except SourceFormatError:
            found = None
        if found is not kind:
            what = found.label if found is not None else "not a format earcheck reads"
            raise DownloadFailed(url, f"expected the {kind.label}, got {what}: is the URL right?")

    return check


@data_app.command()
def update(
    dest: Annotated[
        Path | None,
        typer.Option(help="Folder to download into (default: downloads/DATE under EARCHECK_HOME)."),
    ] = None,
    csl_url: Annotated[str, typer.Option(help="URL of the Consolidated Screening List CSV.")] = CSL_URL,
    sdn_url: Annotated[str, typer.Option(help="URL of OFAC's SDN.CSV.")] = SDN_URL,
    lenient: Annotated[bool, typer.Option("--lenient", help="Skip bad rows instead of failing.")] = False,
    timeout: Annotated[float, typer.Option(help="Seconds to wait for the server at each step.")] = 60.0,
    accept_shrink: AcceptShrink = None,
) -> None:
    """Download the official CSL and SDN.CSV, dated today, and import them.

    Only the lists are downloaded: the EAR tables come from a snapshot folder (`earcheck data import
    FOLDER`). The files and a manifest.json are kept in DEST, which can be imported again elsewhere.
    Fails (exit status 2) when a download fails, after importing what did arrive.
    """
    settings = Settings.from_env()
    today = date.today()
    folder = dest or settings.home / "downloads" / today.isoformat()
    console = _console()
    errors = _console(stderr=True)
    entries: dict[str, dict[str, str]] = {}
    failures: list[DownloadFailed] = []
    for name, url, kind in (
        ("consolidated.csv", csl_url, SourceKind.CSL),
        ("sdn.csv", sdn_url, SourceKind.OFAC_SDN),
    ):
        console.print(f"downloading {url}")
        try:
            download = fetch(url, folder / name, timeout=timeout, check=_expect(kind, url))
        except DownloadFailed as error:
            failures.append(error)
            _error(errors, str(error))
            continue
        console.print(f"  {download.size:,} bytes, SHA-256 {download.sha256[:12]}")
        entries[name] = {
            "kind": kind.label,
            "as_of": today.isoformat(),
            "sha256": download.sha256,
            "url": url,
            "downloaded_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
    if entries:
        write_manifest(folder, entries, "Official lists downloaded by `earcheck data update`.")
        store = _store()
        report = store.import_path(
            folder, strict=not lenient, today=today, accept_shrink=accept_shrink, journal=_journal()
        )
        print_import(report, console)
        prepare_screening(store)
        rescreen_parties(store, report, console)
    if failures:
        _error(errors, f"{len(failures)} download(s) failed; the lists loaded before stay in use")
        raise typer.Exit(code=2)


@data_app.command()
def retire(
    snapshot: Annotated[str, typer.Argument(help="The snapshot's id (or a unique prefix), as `data status` shows it.")],
    reason: Annotated[str, typer.Option("--reason", help="Why it is retired (kept and audited).")],
) -> None:
    """Take a wrongly imported snapshot out of the governing set. Nothing is deleted: the snapshot,
    and who retired it, when and why, stay on record (`data status`, the audit log)."""
    store = _store()
    info = store.retire(snapshot, reason=reason, by=local_actor().label, journal=_journal())
    console = _console()
    console.print(f"retired {info.id} ({info.file_name}, {info.kind.short}, as of {info.as_of}): {info.retired_reason}")
    governing = store.governing_list_snapshots(date.today())
    for code, now in governing.items():
        if code in info.lists:
            console.print(f"  {code.value} is now governed by {now.file_name} of {now.as_of}")
    prepare_screening(store)
