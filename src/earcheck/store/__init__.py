"""The snapshot store: every imported list and table file, kept side by side, and which one governs a date.

Each imported file is a *snapshot*: its kind, name, SHA-256, the date it speaks for (``as_of``, and
whether that came from the folder's manifest, the ``--as-of`` option or the import date), and its
records. A file whose SHA-256 is already stored is not imported again; a newer list does not replace
an older one, so earlier dates can still be evaluated against the list of their time.

Which snapshot governs a date (DESIGN.md): per list, the newest snapshot dated on or before the date,
else the earliest one. A CSL snapshot speaks for all twelve lists it consolidates, an SDN.CSV snapshot
for SDN only; with the real data that gives, for SDN, the 2021-08-18 file, then the 2024-05-03 file,
then the CSL of 2026-07-31. The EAR tables work the same way, kind by kind.

Nothing loaded is not "nothing listed": ``list_entries`` and ``ear_tables`` raise ``NoData`` then.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa

from earcheck.basis import STALE_AFTER, ListBasis, list_basis
from earcheck.db import migrate
from earcheck.errors import Conflict, FieldError, NoData, NotFound, RecordError, ShrinkRefused, SourceFormatError
from earcheck.lists import ListCode, ListEntry
from earcheck.settings import Settings
from earcheck.sources import ParseReport, Record, SkippedRow, SourceKind, detect, read
from earcheck.sources.country_chart import ChartFootnote, TerritoryInheritance
from earcheck.sources.ecfr_xml import RegulationSection
from earcheck.sources.files import read_file
from earcheck.sources.formats import kind_of
from earcheck.store import codec
from earcheck.store.manifest import MANIFEST, read_manifest
from earcheck.store.shrinkage import MAX_SHRINK, ListCounts, shrinkages
from earcheck.store.tables import records, skipped_rows, snapshots
from earcheck.tables import CclEntry, CountryChartRow, CountryGroupRow, EarTables, LicenseExceptionInfo

__all__ = [
    "EAR_KINDS",
    "STALE_AFTER",
    "FileImport",
    "ImportReport",
    "Journal",
    "ListBasis",
    "SnapshotInfo",
    "StaleList",
    "Store",
    "list_basis",
    "stale_lists",
]

Journal = Callable[[sa.Connection, str, str, Mapping[str, Any]], None]
"""Writes one audit row (action, subject, payload) in the transaction of the change it describes.
The store does not know the audit log; its callers (the CLI, the API) pass one in."""

EAR_KINDS = (
    SourceKind.COUNTRY_CHART,
    SourceKind.CHART_FOOTNOTES,
    SourceKind.COUNTRY_GROUPS,
    SourceKind.CCL,
    SourceKind.LICENSE_EXCEPTIONS,
)
_DATA_SUFFIXES = {".csv", ".json", ".jsonl", ".xml"}
R = TypeVar("R", CclEntry, CountryChartRow, CountryGroupRow)
_BATCH = 5000


@dataclass(frozen=True, slots=True)
class SnapshotInfo:
    """One imported file."""

    id: str  # first 16 hex digits of its SHA-256
    kind: SourceKind
    file_name: str
    sha256: str
    as_of: date
    as_of_source: str  # "manifest", "option" (--as-of) or "import date"
    imported_at: datetime
    rows: int
    skipped: int
    lists: Mapping[ListCode, int] = field(default_factory=dict)  # rows per list it speaks for
    source_path: str = ""
    size: int = 0
    warnings: tuple[str, ...] = ()
    source_sha256: str | None = None  # the file's SHA-256, when it held several tables (eCFR XML)
    retired_at: datetime | None = None
    retired_by: str | None = None
    retired_reason: str | None = None
    import_note: str | None = None

    @property
    def retired(self) -> bool:
        return self.retired_at is not None

    def counts(self) -> ListCounts:
        return ListCounts(self.file_name, self.as_of, self.lists)


@dataclass(frozen=True, slots=True)
class FileImport:
    """What happened to one file of an import."""

    file_name: str
    kind: SourceKind
    as_of: date
    as_of_source: str
    status: str  # "imported" or "already imported"
    rows: int
    snapshot_id: str
    sha256: str
    skipped: tuple[SkippedRow, ...] = ()
    lists: Mapping[ListCode, int] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()

    @property
    def imported(self) -> bool:
        return self.status == "imported"


@dataclass(frozen=True, slots=True)
class ImportReport:
    path: str
    files: tuple[FileImport, ...]
    warnings: tuple[str, ...] = ()

    @property
    def new_files(self) -> int:
        return sum(1 for f in self.files if f.imported)

    @property
    def new_rows(self) -> int:
        return sum(f.rows for f in self.files if f.imported)

    @property
    def skipped_rows(self) -> int:
        return sum(len(f.skipped) for f in self.files if f.imported)


@dataclass(frozen=True, slots=True)
class StaleList:
    list_code: ListCode
    snapshot: SnapshotInfo  # the newest snapshot that speaks for the list
    age_days: int


@dataclass(frozen=True, slots=True)
class _Planned:
    name: str
    path: Path
    as_of: date
    as_of_source: str
    sha256: str | None = None  # expected, from the manifest


@dataclass(frozen=True, slots=True)
class _Parsed:
    plan: _Planned
    kind: SourceKind
    data_sha256: str
    size: int
    records: list[Record]
    report: ParseReport
    source_sha256: str | None = None  # the file's, when it was split into one snapshot per table


def _governing(candidates: Sequence[SnapshotInfo], as_of: date | None) -> SnapshotInfo:
    """The newest candidate dated on or before ``as_of`` (the newest of all when ``None``), else the
    earliest; between snapshots of the same date, the one imported last."""
    ordered = sorted(candidates, key=lambda s: (s.as_of, s.imported_at, s.id))
    if as_of is None:
        return ordered[-1]
    before = [s for s in ordered if s.as_of <= as_of]
    return before[-1] if before else ordered[0]


def stale_lists(infos: Iterable[SnapshotInfo], today: date, max_age: timedelta = STALE_AFTER) -> list[StaleList]:
    """The lists whose newest snapshot in force (not retired) is more than ``max_age`` older than ``today``."""
    newest: dict[ListCode, SnapshotInfo] = {}
    for info in infos:
        if info.retired:
            continue
        for code in info.lists:
            current = newest.get(code)
            if current is None or (info.as_of, info.imported_at) > (current.as_of, current.imported_at):
                newest[code] = info
    return [
        StaleList(code, info, (today - info.as_of).days)
        for code, info in sorted(newest.items(), key=lambda item: list(ListCode).index(item[0]))
        if today - info.as_of > max_age
    ]


class Store:
    """Imported snapshots in the database at ``Settings.database_url``. See the module docstring."""

    def __init__(self, engine: sa.Engine) -> None:
        self.engine = engine
        self._entries: dict[str, list[ListEntry]] = {}
        self._tables: dict[tuple[str, ...], EarTables] = {}
        self._records: dict[str, list[Record]] = {}
        # The snapshot list is read on every determination; another process may import meanwhile, so
        # the copy is kept for a few seconds only (and dropped at once when this process imports).
        self._snapshots: tuple[float, list[SnapshotInfo]] | None = None

    @classmethod
    def open(cls, settings: Settings) -> Store:
        """Open the store, creating or upgrading its tables (``earcheck.db.migrate``)."""
        return cls(migrate(settings))

    # --- importing ---------------------------------------------------------------------------------

    def import_path(
        self,
        path: Path,
        as_of: date | None = None,
        *,
        strict: bool = True,
        today: date,
        accept_shrink: str | None = None,
        journal: Journal | None = None,
    ) -> ImportReport:
        """Import a snapshot folder (with ``manifest.json``) or one official file.

        ``as_of`` dates a single file, or the files of a folder that its manifest leaves undated;
        without it such a file is dated ``today`` (the import date), with a warning. Files already
        stored (same SHA-256) are reported as "already imported" and not read again. In strict mode
        the first bad row raises ``SourceFormatError`` and nothing is imported; in lenient mode bad rows
        are skipped, reported and kept in ``snapshot_skipped_rows``. All new files are written in one
        transaction.

        A list that would disappear or shrink past the limit against the snapshot before it
        (``earcheck.store.shrinkage``) makes the import fail with ``ShrinkRefused``, nothing stored,
        unless ``accept_shrink`` gives the reason the operator accepts it; the reason is kept with the
        snapshot. ``journal``, when given, writes the import to the audit log in the same transaction.
        """
        path = Path(path)
        if accept_shrink is not None and not accept_shrink.strip():
            raise RecordError("cannot import", [FieldError("accept_shrink", "say why the smaller list is right")])
        if not path.exists():
            raise SourceFormatError(path, "no such file or folder")
        plans, warnings = self._plan(path, as_of, today)
        known = {info.sha256: info for info in self.snapshots()}
        results: list[FileImport | _Parsed] = []
        batch: dict[str, str] = {}
        for plan in plans:
            data = read_file(plan.path)
            sha256 = hashlib.sha256(data).hexdigest()
            if plan.sha256 is not None and plan.sha256.lower() != sha256:
                raise SourceFormatError(
                    plan.path,
                    f"SHA-256 {sha256} does not match {plan.sha256} given in {MANIFEST}: "
                    "the file changed after the manifest was written",
                )
            if sha256 in known:
                results.append(_already(plan.name, known[sha256]))
                continue
            derived = [d for d in known.values() if d.source_sha256 == sha256]
            if derived:  # an eCFR XML file imported before: stored as one snapshot per table it holds
                results += [_already(info.file_name, info) for info in derived]
                continue
            if sha256 in batch:
                warnings.append(f"{plan.name} is the same file as {batch[sha256]}: imported once")
                continue
            batch[sha256] = plan.name
            results += self._parse(plan, data, sha256, strict)
        parsed = [r for r in results if isinstance(r, _Parsed)]
        note = self._check_shrink(parsed, accept_shrink)
        report = ImportReport(
            str(path),
            tuple(r if isinstance(r, FileImport) else _imported(r) for r in results),
            tuple(warnings),
        )
        if parsed:
            self._write(parsed, note, report, journal)
        return report

    def _check_shrink(self, parsed: Sequence[_Parsed], accept_shrink: str | None) -> str | None:
        """Refuse (``ShrinkRefused``) lists that disappear or shrink, unless accepted; the note to keep."""
        new = [
            ListCounts(
                p.plan.name, p.plan.as_of, {ListCode(c): n for c, n in codec.lists_of(p.records, p.kind.lists).items()}
            )
            for p in parsed
            if p.kind.is_list
        ]
        stored = [info.counts() for info in self.snapshots() if info.kind.is_list and not info.retired]
        found = shrinkages(new, stored)
        if not found:
            return None
        lines = "\n".join(f"  {s.describe()}" for s in found)
        if accept_shrink is None:
            raise ShrinkRefused(
                f"refused: the import would make {len(found)} list(s) disappear or shrink by more than "
                f"{MAX_SHRINK:.0%} against the snapshot before it, so every party on the missing rows would "
                f"screen clean:\n{lines}\nNothing was imported. If the file is complete and the lists really "
                "shrank, import it again with --accept-shrink REASON (the reason is kept and audited)."
            )
        return f"shrink accepted: {accept_shrink.strip()}\n" + lines

    def _plan(self, path: Path, as_of: date | None, today: date) -> tuple[list[_Planned], list[str]]:
        warnings: list[str] = []

        def dated(name: str, given: date | None, source: str) -> tuple[date, str]:
            if given is not None:
                return given, source
            if as_of is not None:
                return as_of, "option"
            warnings.append(
                f"{name}: no as-of date given (--as-of), so it is recorded as the import date {today}; "
                "the list it holds may be older"
            )
            return today, "import date"

        if not path.is_dir():
            day, source = dated(path.name, None, "option")
            return [_Planned(path.name, path, day, source)], warnings
        manifest = read_manifest(path)
        plans = []
        for entry in manifest.files:
            day, source = dated(entry.name, entry.as_of, "manifest")
            plans.append(_Planned(entry.name, entry.path, day, source, entry.sha256))
        if as_of is not None and all(entry.as_of is not None for entry in manifest.files):
            warnings.append(f"--as-of {as_of} not used: {MANIFEST} dates every file")
        listed = {plan.path.resolve() for plan in plans} | {manifest.path.resolve()}
        for stray in sorted(path.rglob("*")):
            if (
                stray.is_file()
                and stray.suffix.lower() in _DATA_SUFFIXES
                and not stray.name.startswith(".")
                and stray.resolve() not in listed
                and not stray.name.endswith(".part")
            ):
                warnings.append(f"{stray.relative_to(path)} is not in {MANIFEST}: not imported")
        return plans, warnings

    def _parse(self, plan: _Planned, data: bytes, sha256: str, strict: bool) -> list[_Parsed]:
        kind = detect(plan.path, data)
        report = ParseReport()
        found = list(read(kind, plan.path, strict=strict, report=report, as_of=plan.as_of, snapshot=sha256[:16]))
        if not found:
            # An empty snapshot would govern its dates and make every list it speaks for look empty.
            raise SourceFormatError(
                plan.path,
                f"no records read{f' ({len(report.skipped)} rows skipped)' if report.skipped else ''}: "
                f"a {kind.label} file without records is not imported",
            )
        if kind is SourceKind.ECFR_XML:
            return self._split(plan, data, sha256, found, report)
        for code, count in codec.lists_of(found, kind.lists).items():
            if count == 0:
                report.warn(f"{plan.name} has no {code} rows: from {plan.as_of} on, earcheck takes that list as empty")
        return [_Parsed(plan, kind, sha256, len(data), found, report)]

    def _split(
        self, plan: _Planned, data: bytes, sha256: str, found: list[Record], report: ParseReport
    ) -> list[_Parsed]:
        """An eCFR XML file holds several tables (part 738: the chart and its footnotes): each is stored as
        its own dated snapshot, named ``FILE#kind`` and identified by the file's SHA-256 and the kind, so
        that each governs its dates kind by kind like the snapshot folder's files."""
        by_kind: dict[SourceKind, list[Record]] = {}
        for record in found:
            by_kind.setdefault(kind_of(record), []).append(record)
        if SourceKind.COUNTRY_CHART in by_kind and SourceKind.CHART_FOOTNOTES not in by_kind:
            report.warn(f"{plan.name}: the chart's footnotes were not found; its rows are kept without their texts")
        parsed = []
        for kind, records_ in by_kind.items():
            derived = hashlib.sha256(f"{sha256}:{kind.value}".encode()).hexdigest()
            named = _Planned(f"{plan.name}#{kind.value}", plan.path, plan.as_of, plan.as_of_source, None)
            parsed.append(_Parsed(named, kind, derived, len(data), records_, report, sha256))
        return parsed

    def _write(
        self, parsed: Sequence[_Parsed], note: str | None, report: ImportReport, journal: Journal | None
    ) -> None:
        self._snapshots = None
        imported_at = datetime.now(UTC)
        try:
            with self.engine.begin() as connection:
                for item in parsed:
                    self._write_one(connection, item, imported_at, note if item.kind.is_list else None)
                if journal is not None:
                    journal(connection, "data.import", f"import:{report.path}"[:200], _import_payload(report, note))
        except sa.exc.IntegrityError as error:
            raise Conflict(
                "another import stored some of these files at the same time; run the import again "
                f"(it will skip what is already stored): {error.orig}"
            ) from None

    def _write_one(self, connection: sa.Connection, item: _Parsed, imported_at: datetime, note: str | None) -> None:
        snapshot_id = item.data_sha256[:16]
        columns = codec.columns_of(item.records)
        # A table read from a file of several (eCFR XML) keeps the file's SHA-256 where a list keeps its columns.
        stored_columns: list[str] | dict[str, str] = (
            {"source_sha256": item.source_sha256} if item.source_sha256 is not None else columns
        )
        connection.execute(
            snapshots.insert().values(
                id=snapshot_id,
                kind=item.kind.value,
                file_name=item.plan.name,
                source_path=str(item.plan.path.resolve()),
                sha256=item.data_sha256,
                size=item.size,
                as_of=item.plan.as_of,
                as_of_source=item.plan.as_of_source,
                imported_at=imported_at,
                row_count=len(item.records),
                skipped_count=len(item.report.skipped),
                lists=json.dumps(codec.lists_of(item.records, item.kind.lists)),
                columns=json.dumps(stored_columns),
                warnings=json.dumps(item.report.warnings),
                codec=codec.CODEC,
                import_note=note,
            )
        )
        rows = []
        for seq, record in enumerate(item.records):
            list_code, key, name = codec.key_of(record)
            rows.append(
                {
                    "snapshot_id": snapshot_id,
                    "seq": seq,
                    "line": getattr(record, "line", 0),
                    "list_code": list_code,
                    "key": key,
                    "name": name,
                    "data": codec.encode(record, columns),
                }
            )
            if len(rows) == _BATCH:
                connection.execute(records.insert(), rows)
                rows = []
        if rows:
            connection.execute(records.insert(), rows)
        if item.report.skipped:
            connection.execute(
                skipped_rows.insert(),
                [
                    {
                        "snapshot_id": snapshot_id,
                        "seq": seq,
                        "line": row.line,
                        "field": row.field,
                        "message": row.message,
                        "text": row.text,
                    }
                    for seq, row in enumerate(item.report.skipped)
                ],
            )

    def retire(self, snapshot_id: str, *, reason: str, by: str, journal: Journal | None = None) -> SnapshotInfo:
        """Take a snapshot out of the governing set (a wrong import): nothing is deleted, the snapshot
        and who retired it, when and why stay on record. ``snapshot_id`` may be a unique prefix."""
        if not reason.strip():
            raise RecordError("cannot retire the snapshot", [FieldError("reason", "say why it is retired")])
        matches = [info for info in self._read_snapshots() if info.id.startswith(snapshot_id.strip().lower())]
        if not snapshot_id.strip() or not matches:
            raise NotFound(f"no snapshot {snapshot_id!r} (see `earcheck data status`)")
        if len(matches) > 1:
            raise Conflict(f"{snapshot_id!r} names {len(matches)} snapshots: give more of the id")
        [info] = matches
        if info.retired:
            raise Conflict(f"snapshot {info.id} ({info.file_name}) was already retired on {info.retired_at}")
        now = datetime.now(UTC)
        self._snapshots = None
        with self.engine.begin() as connection:
            connection.execute(
                snapshots.update()
                .where(snapshots.c.id == info.id, snapshots.c.retired_at.is_(None))
                .values(retired_at=now, retired_by=by, retired_reason=reason.strip())
            )
            if journal is not None:
                journal(
                    connection,
                    "data.retire",
                    f"snapshot:{info.id}",
                    {"snapshot": info.id, "file_name": info.file_name, "as_of": info.as_of, "reason": reason.strip()},
                )
        self._snapshots = None
        return next(i for i in self._read_snapshots() if i.id == info.id)

    # --- reading -------------------------------------------------------------------------------------

    SNAPSHOT_CACHE_SECONDS = 5.0

    def snapshots(self) -> list[SnapshotInfo]:
        """Every imported file, oldest as-of first."""
        cached = self._snapshots
        if cached is not None and time.monotonic() - cached[0] < self.SNAPSHOT_CACHE_SECONDS:
            return list(cached[1])
        found = self._read_snapshots()
        self._snapshots = (time.monotonic(), found)
        return list(found)

    def _read_snapshots(self) -> list[SnapshotInfo]:
        query = sa.select(snapshots).order_by(snapshots.c.as_of, snapshots.c.imported_at, snapshots.c.id)
        with self.engine.connect() as connection:
            return [_info(row) for row in connection.execute(query).mappings()]

    def governing_list_snapshots(self, as_of: date) -> dict[ListCode, SnapshotInfo]:
        """For each list loaded, the snapshot that governs ``as_of`` (see the module docstring)."""
        infos = [info for info in self.snapshots() if info.kind.is_list and not info.retired]
        governing = {}
        for code in ListCode:
            candidates = [info for info in infos if code in info.lists]
            if candidates:
                governing[code] = _governing(candidates, as_of)
        return governing

    def list_basis(self, as_of: date) -> ListBasis:
        """The list snapshots that govern ``as_of``, and warnings when they are stale for that date."""
        return list_basis(self.governing_list_snapshots(as_of), as_of)

    def list_entries(self, as_of: date) -> list[ListEntry]:
        """The entries of every list as its governing snapshot for ``as_of`` has them.

        Which entries were *in force* on ``as_of`` is a separate question (their dated facts): an
        entry of a later snapshot may not have been listed yet, or only possibly.
        """
        governing = self.governing_list_snapshots(as_of)
        if not governing:
            raise NoData(
                "no restricted-party lists are loaded: run `earcheck data import PATH` with a snapshot "
                "folder or a CSL / SDN.CSV file, or `earcheck data update` to download them"
            )
        codes_by_snapshot: dict[str, set[ListCode]] = {}
        infos: dict[str, SnapshotInfo] = {}
        for code, info in governing.items():
            codes_by_snapshot.setdefault(info.id, set()).add(code)
            infos[info.id] = info
        entries: list[ListEntry] = []
        for snapshot_id in sorted(infos, key=lambda i: (infos[i].as_of, i)):
            codes = codes_by_snapshot[snapshot_id]
            found = self.snapshot_entries(snapshot_id)
            if codes >= set(infos[snapshot_id].lists):
                entries.extend(found)
            else:
                entries.extend(entry for entry in found if entry.list_code in codes)
        return entries

    def snapshot_entries(self, snapshot_id: str) -> list[ListEntry]:
        """Every entry of one list snapshot, in file order (cached: snapshots never change)."""
        cached = self._entries.get(snapshot_id)
        if cached is None:
            cached = self._entries[snapshot_id] = self._load_entries(snapshot_id)
        return list(cached)

    def _load_entries(self, snapshot_id: str) -> list[ListEntry]:
        with self.engine.connect() as connection:
            snapshot = connection.execute(
                sa.select(snapshots.c.kind, snapshots.c.as_of, snapshots.c.columns).where(snapshots.c.id == snapshot_id)
            ).first()
            if snapshot is None:
                raise NotFound(f"no snapshot {snapshot_id!r} (see `earcheck data status`)")
            kind = SourceKind(snapshot.kind)
            if not kind.is_list:
                raise NotFound(f"snapshot {snapshot_id} holds the {kind.label}, not a list")
            columns = json.loads(snapshot.columns)
            rows = connection.execute(
                sa.select(records.c.line, records.c.data)
                .where(records.c.snapshot_id == snapshot_id)
                .order_by(records.c.seq)
            )
            return [
                codec.decode_entry(data, snapshot=snapshot_id, snapshot_date=snapshot.as_of, line=line, columns=columns)
                for line, data in rows
            ]

    def skipped(self, snapshot_id: str) -> list[SkippedRow]:
        """The rows a lenient import of this snapshot left out."""
        query = (
            sa.select(snapshots.c.file_name, skipped_rows)
            .join(snapshots, snapshots.c.id == skipped_rows.c.snapshot_id)
            .where(skipped_rows.c.snapshot_id == snapshot_id)
            .order_by(skipped_rows.c.seq)
        )
        with self.engine.connect() as connection:
            return [
                SkippedRow(row.file_name, row.line, row.field, row.message, row.text)
                for row in connection.execute(query)
            ]

    def ear_tables(self, as_of: date | None = None) -> EarTables:
        """The EAR tables governing ``as_of`` (the newest when ``None``), kind by kind.

        ``edition`` is the date of the newest table used; ``snapshot`` names each table's snapshot
        (``kind@as_of:id``, joined with ``+``), so a mixed edition shows.
        """
        infos = [info for info in self.snapshots() if info.kind in EAR_KINDS and not info.retired]
        if not infos:
            raise NoData(
                "no EAR tables are loaded: run `earcheck data import FOLDER` with a snapshot folder "
                "holding them (like ../shared/data); `earcheck data update` fetches only the lists"
            )
        chosen = {}
        for kind in EAR_KINDS:
            candidates = [info for info in infos if info.kind is kind]
            if candidates:
                chosen[kind] = _governing(candidates, as_of)
        missing = [kind.label for kind in EAR_KINDS if kind not in chosen]
        if missing:
            raise NoData(
                f"the EAR tables are incomplete, {', '.join(missing)} not loaded: import a complete "
                "snapshot folder with `earcheck data import FOLDER`"
            )
        key = tuple(chosen[kind].id for kind in EAR_KINDS) + tuple(i.id for i in infos)
        tables = self._tables.get(key)
        if tables is None:
            tables = self._tables[key] = self._load_tables(chosen, infos)
        return tables

    def _table_records(self, info: SnapshotInfo) -> list[Record]:
        """Every record of one table snapshot, in file order (cached: snapshots never change)."""
        cached = self._records.get(info.id)
        if cached is None:
            with self.engine.connect() as connection:
                rows = connection.execute(
                    sa.select(records.c.data).where(records.c.snapshot_id == info.id).order_by(records.c.seq)
                )
                cached = self._records[info.id] = [codec.decode_table_record(data) for (data,) in rows]
        return cached

    def _editions(
        self, infos: Sequence[SnapshotInfo], kind: SourceKind, cls: type[R]
    ) -> tuple[tuple[date, Mapping[str, R]], ...]:
        """Every loaded edition of one table, oldest first; of two of the same date, the one imported last."""
        by_day: dict[date, SnapshotInfo] = {}
        for info in sorted((i for i in infos if i.kind is kind), key=lambda i: (i.as_of, i.imported_at, i.id)):
            by_day[info.as_of] = info
        return tuple(
            (day, {_table_key(r): r for r in self._table_records(info) if isinstance(r, cls)})
            for day, info in sorted(by_day.items())
        )

    def regulation_sections(self, as_of: date | None = None) -> list[RegulationSection]:
        """The part 746 sections of the eCFR edition governing ``as_of`` (none when no edition of the part
        is loaded)."""
        infos = [info for info in self.snapshots() if info.kind is SourceKind.PART_746]
        if not infos:
            return []
        return [r for r in self._table_records(_governing(infos, as_of)) if isinstance(r, RegulationSection)]

    def _load_tables(self, chosen: Mapping[SourceKind, SnapshotInfo], infos: Sequence[SnapshotInfo]) -> EarTables:
        found = {kind: self._table_records(info) for kind, info in chosen.items()}
        notes = found[SourceKind.CHART_FOOTNOTES]
        return EarTables(
            edition=max(info.as_of for info in chosen.values()),
            country_chart={r.code: r for r in found[SourceKind.COUNTRY_CHART] if isinstance(r, CountryChartRow)},
            chart_footnotes={r.number: r.text for r in notes if isinstance(r, ChartFootnote)},
            territory_inheritance={r.territory: r.governed_by for r in notes if isinstance(r, TerritoryInheritance)},
            country_groups={r.code: r for r in found[SourceKind.COUNTRY_GROUPS] if isinstance(r, CountryGroupRow)},
            ccl={r.eccn: r for r in found[SourceKind.CCL] if isinstance(r, CclEntry)},
            license_exceptions={
                r.symbol: r for r in found[SourceKind.LICENSE_EXCEPTIONS] if isinstance(r, LicenseExceptionInfo)
            },
            snapshot="+".join(f"{kind.value}@{info.as_of}:{info.id}" for kind, info in chosen.items()),
            ccl_editions=self._editions(infos, SourceKind.CCL, CclEntry),
            chart_editions=self._editions(infos, SourceKind.COUNTRY_CHART, CountryChartRow),
            group_editions=self._editions(infos, SourceKind.COUNTRY_GROUPS, CountryGroupRow),
        )


def _table_key(record: Record) -> str:
    return record.eccn if isinstance(record, CclEntry) else record.code  # type: ignore[union-attr]


def _info(row: sa.RowMapping) -> SnapshotInfo:
    imported_at: datetime = row["imported_at"]
    if imported_at.tzinfo is None:  # SQLite keeps no time zone; the store writes UTC
        imported_at = imported_at.replace(tzinfo=UTC)
    return SnapshotInfo(
        id=row["id"],
        kind=SourceKind(row["kind"]),
        file_name=row["file_name"],
        sha256=row["sha256"],
        as_of=row["as_of"],
        as_of_source=row["as_of_source"],
        imported_at=imported_at,
        rows=row["row_count"],
        skipped=row["skipped_count"],
        lists={ListCode(code): count for code, count in json.loads(row["lists"]).items()},
        source_path=row["source_path"],
        size=row["size"],
        warnings=tuple(json.loads(row["warnings"])),
        retired_at=_utc(row["retired_at"]),
        retired_by=row["retired_by"],
        retired_reason=row["retired_reason"],
        import_note=row["import_note"],
        source_sha256=_source_sha256(row["columns"]),
    )


def _utc(value: datetime | None) -> datetime | None:
    # SQLite keeps no time zone; the store writes UTC.
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def _import_payload(report: ImportReport, note: str | None) -> dict[str, Any]:
    return {
        "path": report.path,
        "files": [
            {
                "file_name": f.file_name,
                "kind": f.kind.value,
                "as_of": f.as_of,
                "snapshot": f.snapshot_id,
                "sha256": f.sha256,
                "rows": f.rows,
                "lists": {code.value: n for code, n in f.lists.items()},
            }
            for f in report.files
            if f.imported
        ],
        "accepted_shrink": note,
    }


def _source_sha256(columns: str) -> str | None:
    document = json.loads(columns)
    return document.get("source_sha256") if isinstance(document, dict) else None


def _already(name: str, info: SnapshotInfo) -> FileImport:
    return FileImport(
        file_name=name,
        kind=info.kind,
        as_of=info.as_of,
        as_of_source=info.as_of_source,
        status="already imported",
        rows=info.rows,
        snapshot_id=info.id,
        sha256=info.sha256,
        lists=info.lists,
    )


def _imported(parsed: _Parsed) -> FileImport:
    return FileImport(
        file_name=parsed.plan.name,
        kind=parsed.kind,
        as_of=parsed.plan.as_of,
        as_of_source=parsed.plan.as_of_source,
        status="imported",
        rows=len(parsed.records),
        snapshot_id=parsed.data_sha256[:16],
        sha256=parsed.data_sha256,
        skipped=tuple(parsed.report.skipped),
        lists={ListCode(c): n for c, n in codec.lists_of(parsed.records, parsed.kind.lists).items()},
        warnings=tuple(parsed.report.warnings),
    )
