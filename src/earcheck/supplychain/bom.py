"""Multi-level bills of materials: reading them (CSV or XLSX, the native header or an ERP layout through a
column mapping) and checking them whole before anything is kept.

The native header is ``part,parent,quantity,unit_value,currency,origin,eccn,supplier`` plus the optional
columns ``description``, ``integrated_circuit`` and ``discrete_product``. One row per part (a part used
under two parents has two rows); ``parent`` empty for the top item -- the exported item itself, whose
``unit_value`` is its fair market value; ``quantity`` per one unit of the parent.

Empty ``origin`` or ``eccn`` cells are *unknown* facts (the rollup asks the supplier), never "not US" or
"EAR99". A foreign-made part with no rows under it declares that it holds no US-origin parts.

Rows are numbered as a spreadsheet shows them: the header is row 1, the first part row 2. A malformed BOM
raises ``BomError`` listing every problem with its row and column; nothing of it is kept.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import yaml

from earcheck.country import normalise_country
from earcheck.eccn import normalise_eccn
from earcheck.errors import EarcheckError, InputError

__all__ = [
    "NATIVE_COLUMNS",
    "OPTIONAL_COLUMNS",
    "Bom",
    "BomError",
    "BomLine",
    "BomProblem",
    "ColumnMapping",
    "Placement",
    "load_mapping",
    "parse_bom",
    "read_bom",
]

NATIVE_COLUMNS = ("part", "parent", "quantity", "unit_value", "currency", "origin", "eccn", "supplier")
OPTIONAL_COLUMNS = ("description", "integrated_circuit", "discrete_product")
MAX_BOM_BYTES = 512 * 1024 * 1024
_CURRENCY = re.compile(r"^[A-Z]{3}$")
_YES = {"yes", "y", "true", "1"}
_NO = {"no", "n", "false", "0"}


@dataclass(frozen=True, slots=True)
class BomProblem:
    row: int | None  # spreadsheet row (header = 1); None for the file as a whole
    column: str | None
    message: str

    def __str__(self) -> str:
        where = ", ".join(
            p for p in (f"row {self.row}" if self.row else "", self.column and f"column {self.column}") if p
        )
        return f"{where}: {self.message}" if where else self.message


class BomError(InputError):
    """A bill of materials that cannot be read as a whole; ``problems`` names each row and column."""

    status = 422

    def __init__(self, problems: Sequence[BomProblem], source: str | None = None) -> None:
        self.problems = tuple(problems)
        self.source = source
        where = f"{source}: " if source else ""
        shown = "\n".join(f"  {p}" for p in self.problems[:200])
        more = f"\n  ... and {len(self.problems) - 200} more" if len(self.problems) > 200 else ""
        super().__init__(f"{where}invalid bill of materials ({len(self.problems)} problem(s)):\n{shown}{more}")


@dataclass(frozen=True, slots=True)
class BomLine:
    row: int
    part: str
    parent: str | None
    quantity: Decimal  # per one unit of the parent (1 for the top item)
    unit_value: Decimal  # fair market value of one unit, in ``currency``
    currency: str
    origin: str | None  # None = not known
    eccn: str | None  # None = not known
    supplier: str | None = None
    description: str = ""
    integrated_circuit: bool | None = None
    discrete_product: bool | None = None  # bought at arm's length / sold on its own (second incorporation)


@dataclass(frozen=True, slots=True)
class Placement:
    """One line where it sits in the tree: the path from the top, and how many per one top item."""

    line: BomLine
    path: tuple[str, ...]  # parts from the top item's child down to this part
    per_top: Decimal  # units of this part in one top item
    value: Decimal  # their value, US dollars
    ancestors: tuple[BomLine, ...]  # the parts (below the top) it is incorporated into, outermost first


@dataclass(frozen=True, slots=True)
class Bom:
    lines: tuple[BomLine, ...]
    name: str = ""
    rates: Mapping[str, Decimal] = field(default_factory=dict)  # currency -> US dollars per unit

    @property
    def value(self) -> Decimal:
        """The top item's fair market value, US dollars."""
        return self.top.unit_value * self.rate(self.top.currency)

    @property
    def id(self) -> str:
        """Content address: the same lines and rates always give the same ID."""
        document = self.to_json()
        canonical = json.dumps([document["lines"], document["rates"]], sort_keys=True)
        return "bom-" + hashlib.sha256(canonical.encode()).hexdigest()[:16]

    @property
    def top(self) -> BomLine:
        return next(line for line in self.lines if line.parent is None)

    def children(self) -> dict[str, list[BomLine]]:
        out: dict[str, list[BomLine]] = {}
        for line in self.lines:
            if line.parent is not None:
                out.setdefault(line.parent, []).append(line)
        return out

    def rate(self, currency: str) -> Decimal:
        return Decimal(1) if currency == "USD" else self.rates[currency]

    def placements(self) -> Iterator[Placement]:
        """Every line below the top, depth first, with its quantity and value per one top item."""
        children = self.children()
        stack: list[tuple[BomLine, tuple[str, ...], Decimal, tuple[BomLine, ...]]] = [
            (line, (line.part,), line.quantity, ()) for line in reversed(children.get(self.top.part, []))
        ]
        while stack:
            line, path, per_top, ancestors = stack.pop()
            yield Placement(line, path, per_top, per_top * line.unit_value * self.rate(line.currency), ancestors)
            inner = (*ancestors, line)
            for child in reversed(children.get(line.part, [])):
                stack.append((child, (*path, child.part), per_top * child.quantity, inner))

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "rates": {k: str(v) for k, v in sorted(self.rates.items())},
            "lines": [
                {
                    "row": x.row,
                    "part": x.part,
                    "parent": x.parent,
                    "quantity": str(x.quantity),
                    "unit_value": str(x.unit_value),
                    "currency": x.currency,
                    "origin": x.origin,
                    "eccn": x.eccn,
                    "supplier": x.supplier,
                    "description": x.description,
                    "integrated_circuit": x.integrated_circuit,
                    "discrete_product": x.discrete_product,
                }
                for x in self.lines
            ],
        }

    @classmethod
    def from_json(cls, document: Mapping[str, Any]) -> Bom:
        lines = tuple(
            BomLine(
                row=int(x["row"]),
                part=x["part"],
                parent=x["parent"],
                quantity=Decimal(x["quantity"]),
                unit_value=Decimal(x["unit_value"]),
                currency=x["currency"],
                origin=x["origin"],
                eccn=x["eccn"],
                supplier=x["supplier"],
                description=x.get("description", ""),
                integrated_circuit=x.get("integrated_circuit"),
                discrete_product=x.get("discrete_product"),
            )
            for x in document["lines"]
        )
        rates = {k: Decimal(v) for k, v in document.get("rates", {}).items()}
        return cls(lines, document.get("name", ""), rates)


# --- column mappings ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ColumnMapping:
    """How an ERP export's columns map onto the native ones.

    ``columns`` maps a native column to the export's header; ``level`` names an indentation column
    (an "indented" multi-level BOM: 0 or empty for the top item, 1 for its parts, ...; dotted levels
    such as ``..2`` are read by their number) from which each row's parent is the nearest row above at
    one level less; ``ignore`` lists export columns to drop. Every other export column is an error, so
    that a renamed column is never silently lost.
    """

    name: str
    columns: Mapping[str, str]
    level: str | None = None
    ignore: tuple[str, ...] = ()


# An indented export as multi-level BOM reports of ERP systems commonly write it (level, component, quantity
# per parent, price, ...). The header names are a common layout, not any one vendor's: copy this mapping into a
# YAML file and rename the headers to fit yours.
BUILTIN_MAPPINGS = {
    "erp-indented": ColumnMapping(
        name="erp-indented",
        columns={
            "part": "Component",
            "quantity": "Quantity",
            "unit_value": "Unit Price",
            "currency": "Currency",
            "origin": "Country of Origin",
            "eccn": "ECCN",
            "supplier": "Vendor",
            "description": "Description",
        },
        level="Level",
        ignore=("Unit", "Item"),
    ),
}


def load_mapping(text: str) -> ColumnMapping:
    """A built-in mapping by name, or a YAML file: ``columns: {part: HEADER, ...}``, optional ``level``,
    ``ignore``."""
    if text in BUILTIN_MAPPINGS:
        return BUILTIN_MAPPINGS[text]
    path = Path(text)
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise BomError([BomProblem(None, None, f"cannot read mapping {text!r}: {error.strerror}")]) from None
    except yaml.YAMLError as error:
        raise BomError([BomProblem(None, None, f"mapping {text!r} is not valid YAML: {error}")]) from None
    if not isinstance(document, dict) or not isinstance(document.get("columns"), dict):
        raise BomError([BomProblem(None, None, f"mapping {text!r} needs a 'columns' mapping")])
    allowed = set(NATIVE_COLUMNS) | set(OPTIONAL_COLUMNS)
    unknown = [k for k in document["columns"] if k not in allowed]
    if unknown:
        raise BomError([BomProblem(None, None, f"mapping {text!r}: not a BOM column: {', '.join(unknown)}")])
    return ColumnMapping(
        name=path.stem,
        columns={str(k): str(v) for k, v in document["columns"].items()},
        level=document.get("level"),
        ignore=tuple(str(x) for x in document.get("ignore", ())),
    )


# --- reading --------------------------------------------------------------------------------------


def _table(path: Path) -> tuple[list[str], list[list[str]]]:
    """Header and rows of a CSV or XLSX file, every cell as text."""
    try:
        size = path.stat().st_size
    except OSError as error:
        raise BomError([BomProblem(None, None, f"cannot read file: {error.strerror}")], str(path)) from None
    if size > MAX_BOM_BYTES:
        raise BomError([BomProblem(None, None, f"file larger than {MAX_BOM_BYTES} bytes")], str(path))
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return _xlsx(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise BomError([BomProblem(None, None, "not UTF-8 text (save the CSV as UTF-8)")], str(path)) from None
    rows = list(csv.reader(io.StringIO(text)))
    if not rows:
        raise BomError([BomProblem(None, None, "empty file: no header")], str(path))
    return [h.strip() for h in rows[0]], rows[1:]


def _xlsx(path: Path) -> tuple[list[str], list[list[str]]]:
    from openpyxl import load_workbook  # only when a workbook is read

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a damaged file; all mean "cannot read it"
        raise BomError([BomProblem(None, None, f"not a readable XLSX workbook: {error}")], str(path)) from None
    try:
        sheet = book.worksheets[0]
        rows = [["" if cell is None else _cell_text(cell) for cell in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        book.close()
    if not rows:
        raise BomError([BomProblem(None, None, "empty workbook: no header")], str(path))
    return [h.strip() for h in rows[0]], rows[1:]


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_bom(
    path: Path,
    mapping: ColumnMapping | None = None,
    rates: Mapping[str, Decimal] | None = None,
    known_eccn: Callable[[str], bool] | None = None,
) -> Bom:
    """Read and check a BOM file. Raises ``BomError`` with every problem found; returns nothing partial."""
    header, rows = _table(path)
    try:
        return parse_bom(header, rows, mapping, rates, known_eccn, name=path.name)
    except BomError as error:
        raise BomError(error.problems, str(path)) from None


def _level(text: str) -> int | None:
    """0 for the top item, 1 for its parts, ...; ``..2`` is level 2 (dots are how some exports indent)."""
    try:
        return int(text.strip().lstrip("."))
    except ValueError:
        return None


def _native_rows(
    header: list[str], rows: Iterable[list[str]], mapping: ColumnMapping | None, problems: list[BomProblem]
) -> list[tuple[int, dict[str, str]]]:
    """Rows keyed by native column names (the parent taken from the level column when mapped)."""
    rename = {v: k for k, v in mapping.columns.items()} if mapping else {}
    native: list[str | None] = []
    for name in header:
        if mapping is None:
            native.append(name if name in NATIVE_COLUMNS or name in OPTIONAL_COLUMNS else None)
            if name not in NATIVE_COLUMNS and name not in OPTIONAL_COLUMNS:
                problems.append(
                    BomProblem(1, name or "(empty)", "not a BOM column (use a column mapping for ERP layouts)")
                )
        elif name in rename:
            native.append(rename[name])
        elif name == mapping.level:
            native.append("__level")
        else:
            native.append(None)
            if name not in mapping.ignore:
                problems.append(BomProblem(1, name or "(empty)", f"not a column of mapping {mapping.name!r}"))
    present = {n for n in native if n}
    required = [c for c in NATIVE_COLUMNS if not (mapping and mapping.level and c == "parent")]
    for column in required:
        if column not in present:
            shown = mapping.columns.get(column, column) if mapping else column
            problems.append(BomProblem(1, shown, "required column missing from the header"))
    if mapping and mapping.level and "__level" not in present:
        problems.append(BomProblem(1, mapping.level, "level column missing from the header"))
    if problems:
        return []
    out: list[tuple[int, dict[str, str]]] = []
    stack: list[str] = []  # parts by level, for indented BOMs
    for number, raw in enumerate(rows, start=2):
        if not any(cell.strip() for cell in raw):
            continue  # blank lines are not parts
        if len(raw) > len(header):
            problems.append(BomProblem(number, None, f"{len(raw)} cells but the header has {len(header)}"))
            continue
        record = {n: raw[i].strip() if i < len(raw) else "" for i, n in enumerate(native) if n}
        if mapping and mapping.level:
            level = _level(record.pop("__level", ""))
            if level is None or level > len(stack):
                problems.append(BomProblem(number, mapping.level, "level is not a number one deeper than a row above"))
                continue
            del stack[level:]
            record["parent"] = stack[-1] if stack else ""
            stack.append(record.get("part", ""))
        out.append((number, record))
    return out


def _decimal(text: str) -> Decimal | None:
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    return value if value.is_finite() else None


def _flag(text: str) -> bool | str | None:
    lowered = text.lower()
    if not lowered:
        return None
    if lowered in _YES:
        return True
    if lowered in _NO:
        return False
    return "bad"


def _line(
    number: int, record: dict[str, str], known_eccn: Callable[[str], bool] | None, out: list[BomProblem]
) -> BomLine | None:
    before = len(out)

    def bad(column: str, message: str) -> None:
        out.append(BomProblem(number, column, message))

    part = record.get("part", "")
    if not part:
        bad("part", "missing value: every row names its part")
    parent = record.get("parent", "") or None
    quantity = Decimal(1)
    text = record.get("quantity", "")
    if text:
        parsed = _decimal(text)
        if parsed is None:
            bad("quantity", f"not a number: {text!r}")
        elif parsed < 0:
            bad("quantity", f"negative quantity {text}")
        elif parsed == 0:
            bad("quantity", "quantity 0: a part not in the item is not a row of its BOM")
        elif parent is None and parsed != 1:
            bad("quantity", "the top item's quantity must be 1 or empty")
        else:
            quantity = parsed
    elif parent is not None:
        bad("quantity", "missing value: how many per one unit of the parent?")
    unit_value = Decimal(0)
    text = record.get("unit_value", "")
    if not text:
        bad("unit_value", "missing value: fair market value of one unit")
    else:
        parsed = _decimal(text)
        if parsed is None:
            bad("unit_value", f"not a number: {text!r}")
        elif parsed < 0:
            bad("unit_value", f"negative value {text}")
        elif parent is None and parsed == 0:
            bad("unit_value", "the top item's value (its fair market value) must be more than 0")
        else:
            unit_value = parsed
    currency = record.get("currency", "").upper()
    if not currency:
        bad("currency", "missing value: ISO 4217 currency code, e.g. USD")
    elif not _CURRENCY.match(currency):
        bad("currency", f"not a currency code: {record.get('currency')!r}")
    origin: str | None = None
    if record.get("origin"):
        try:
            origin = normalise_country(record["origin"])
        except (EarcheckError, ValueError):
            bad("origin", f"not an ISO 3166-1 alpha-2 country code: {record['origin']!r} (leave empty if not known)")
    eccn: str | None = None
    if record.get("eccn"):
        try:
            eccn = normalise_eccn(record["eccn"])
        except (EarcheckError, ValueError):
            bad("eccn", f"not an ECCN or EAR99: {record['eccn']!r} (leave empty if not known)")
        else:
            if known_eccn is not None and not known_eccn(eccn):
                bad("eccn", f"unknown ECCN {eccn}: not on the Commerce Control List")
    flags: dict[str, bool | None] = {}
    for column in ("integrated_circuit", "discrete_product"):
        value = _flag(record.get(column, ""))
        if value == "bad":
            bad(column, f"not yes, no or empty: {record.get(column)!r}")
            value = None
        flags[column] = value if isinstance(value, bool) else None
    if len(out) > before:
        return None
    return BomLine(
        row=number,
        part=part,
        parent=parent,
        quantity=quantity,
        unit_value=unit_value,
        currency=currency,
        origin=origin,
        eccn=eccn,
        supplier=record.get("supplier") or None,
        description=record.get("description", ""),
        integrated_circuit=flags["integrated_circuit"],
        discrete_product=flags["discrete_product"],
    )


def _structure(lines: list[BomLine], problems: list[BomProblem]) -> None:
    """One top item; every parent a part of the BOM; no part under itself; no row twice."""
    tops = [line for line in lines if line.parent is None]
    if not tops:
        problems.append(BomProblem(None, "parent", "no top item: exactly one row must have an empty parent"))
    for extra in tops[1:]:
        problems.append(
            BomProblem(extra.row, "parent", f"a second top item ({extra.part!r}; row {tops[0].row} is the first)")
        )
    parts = {line.part for line in lines}
    seen: dict[tuple[str, str | None], int] = {}
    for line in lines:
        key = (line.part, line.parent)
        if key in seen:
            problems.append(
                BomProblem(line.row, "part", f"{line.part!r} under {line.parent!r} again (row {seen[key]})")
            )
        seen.setdefault(key, line.row)
        if line.parent is not None and line.parent not in parts:
            problems.append(BomProblem(line.row, "parent", f"orphan: parent {line.parent!r} is not a part of this BOM"))
    # Cycles: walk up from each part; a part met twice on its own way up is in a cycle.
    parents: dict[str, list[BomLine]] = {}
    for line in lines:
        parents.setdefault(line.part, []).append(line)
    reported: set[str] = set()
    for line in lines:
        path = [line.part]
        frontier = [(line, path)]
        while frontier:
            current, trail = frontier.pop()
            if current.parent is None or current.parent not in parts:
                continue
            if current.parent in trail:
                cycle = trail[trail.index(current.parent) :]
                first = min(cycle)
                if first not in reported:
                    reported.add(first)
                    shown = " -> ".join([*reversed(cycle), current.parent])
                    problems.append(BomProblem(current.row, "parent", f"cycle: {shown}"))
                continue
            if len(trail) > len(parts):
                break
            frontier.extend((up, [*trail, current.parent]) for up in parents.get(current.parent, []))


def parse_bom(
    header: list[str],
    rows: Iterable[list[str]],
    mapping: ColumnMapping | None = None,
    rates: Mapping[str, Decimal] | None = None,
    known_eccn: Callable[[str], bool] | None = None,
    name: str = "",
) -> Bom:
    problems: list[BomProblem] = []
    records = _native_rows(header, rows, mapping, problems)
    lines = [line for number, record in records if (line := _line(number, record, known_eccn, problems)) is not None]
    if not problems and not lines:
        problems.append(BomProblem(None, None, "no parts: the file has a header and no rows"))
    if not problems:
        _structure(lines, problems)
    rates = dict(rates or {})
    if not problems:
        for line in lines:
            if line.currency != "USD" and line.currency not in rates:
                problems.append(
                    BomProblem(
                        line.row,
                        "currency",
                        f"{line.currency}: no exchange rate given (--rate {line.currency}=<US dollars per "
                        f"{line.currency}>); values are compared in US dollars",
                    )
                )
    if problems:
        raise BomError(problems)
    return Bom(tuple(lines), name, rates)
