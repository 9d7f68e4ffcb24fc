"""The eCFR's own XML for Title 15 parts 738, 740, 746 and 774: an official edition of the EAR tables.

The eCFR serves any past date of a part as XML (``/api/versioner/v1/full/DATE/title-15.xml?part=774``).
The e-CFR XML keeps the print edition's SGML element names: ``DIV5 TYPE="PART"`` for a part,
``DIV8 TYPE="SECTION"`` for a section (its ``HEAD`` the section heading, ``P`` its paragraphs, ``CITA``
its source note), ``DIV9 TYPE="APPENDIX"`` for a supplement, HTML-like ``TABLE``/``TR``/``TH``/``TD`` for
tables. From them this module reads:

============================  ===================================================================
``Supplement No. 1 to Part 738``  the Country Chart: a row per destination, ``X`` per column (``CB 1`` ...
                              ``AT 2``), footnote numbers as ``SU``/``sup`` markers by the name, a pointer
                              for the Part 746 rows, and the footnotes          -> ``CountryChartRow``,
                                                                                   ``ChartFootnote``
``Supplement No. 1 to Part 740``  the Country Groups: tables A, D and E (``X`` per group), list B
                                                                                -> ``CountryGroupRow``
part 740 sections             the licence exceptions by their headings ("§ 740.3 Shipments of limited
                              value (LVS).")                                    -> ``LicenseExceptionInfo``
``Supplement No. 1 to Part 774``  the CCL: an entry per bold ECCN heading (``FP-2``/``B``), its "Reason
                              for Control", its License Requirements table, its licence-exception lines
                              and its paragraphs                                -> ``CclEntry``
part 746 sections             each section's heading, text and source note      -> ``RegulationSection``
============================  ===================================================================

Parsing is done with ``defusedxml`` (no entity expansion, no external entities: the file may come from
anywhere). A file that is not well-formed XML, or holds none of these parts, is a ``SourceFormatError``
with its line; a row or entry that cannot be read fails in strict mode and is skipped and reported in
lenient mode, with its line, like the other adapters.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax import SAXParseException
from xml.sax.handler import ContentHandler
from xml.sax.xmlreader import AttributesImpl, Locator

import defusedxml.sax

from earcheck.errors import SourceFormatError
from earcheck.sources.ccl import reasons as read_reasons
from earcheck.sources.country_chart import ChartFootnote
from earcheck.sources.files import BadRows, read_file
from earcheck.sources.places import country_code
from earcheck.sources.report import ParseReport
from earcheck.tables import (
    CHART_COLUMNS,
    CclControl,
    CclEntry,
    CclParagraph,
    CountryChartRow,
    CountryGroupRow,
    LicenseExceptionInfo,
)

__all__ = ["EcfrRecord", "RegulationSection", "looks_like_ecfr", "parse"]

CHART = "Supplement No. 1 to Part 738"
GROUPS = "Supplement No. 1 to Part 740"
CCL = "Supplement No. 1 to Part 774"
GROUP_LABELS = ("A:1", "A:2", "A:3", "A:4", "A:5", "A:6", "B", "D:1", "D:2", "D:3", "D:4", "D:5", "E:1", "E:2")


@dataclass(frozen=True, slots=True)
class RegulationSection:
    """One section of a part as an edition gives it (Part 746: the embargoes and special controls)."""

    part: str  # "746"
    section: str  # "746.8"
    heading: str  # "Sanctions against Russia and Belarus."
    text: str
    source_note: str | None = None  # the CITA: the Federal Register documents that made the section
    line: int = 0


EcfrRecord = CountryChartRow | ChartFootnote | CountryGroupRow | LicenseExceptionInfo | CclEntry | RegulationSection


# --- a small tree with line numbers ------------------------------------------------------------------


@dataclass(slots=True)
class _Node:
    tag: str
    attrs: dict[str, str]
    line: int
    children: list[_Node | str] = field(default_factory=list)

    def elements(self) -> Iterator[_Node]:
        for child in self.children:
            if isinstance(child, _Node):
                yield child

    def walk(self) -> Iterator[_Node]:
        yield self
        for child in self.elements():
            yield from child.walk()

    def text(self, skip: frozenset[str] = frozenset()) -> str:
        parts: list[str] = []
        self._text(parts, skip)
        return " ".join("".join(parts).split())

    def _text(self, parts: list[str], skip: frozenset[str]) -> None:
        for child in self.children:
            if isinstance(child, str):
                parts.append(child)
            elif child.tag.upper() not in skip:
                parts.append(" ")
                child._text(parts, skip)
                parts.append(" ")


class _Builder(ContentHandler):
    def __init__(self) -> None:
        super().__init__()
        self.root = _Node("#document", {}, 1)
        self.stack = [self.root]
        self.locator: Locator | None = None

    def setDocumentLocator(self, locator: Locator) -> None:
        self.locator = locator

    def startElement(self, name: str, attrs: AttributesImpl) -> None:
        line = self.locator.getLineNumber() if self.locator is not None else 0
        node = _Node(name, {k: attrs[k] for k in attrs.getNames()}, line or 0)
        self.stack[-1].children.append(node)
        self.stack.append(node)

    def endElement(self, name: str) -> None:
        self.stack.pop()

    def characters(self, content: str) -> None:
        self.stack[-1].children.append(content)


def _tree(path: Path, data: bytes) -> _Node:
    builder = _Builder()
    try:
        defusedxml.sax.parseString(data, builder, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except SAXParseException as error:
        raise SourceFormatError(
            path, f"not well-formed XML: {error.getMessage()}", line=error.getLineNumber()
        ) from None
    except defusedxml.DefusedXmlException as error:
        raise SourceFormatError(path, f"refused: the XML declares entities or external references ({error})") from None
    return builder.root


def looks_like_ecfr(head: str) -> bool:
    """Does a file's first characters look like e-CFR XML (a DIV of the CFR hierarchy)?"""
    text = head.lstrip().removeprefix("\ufeff")
    return text.startswith("<") and bool(re.search(r"<(?:DIV[1-9]|ECFR|ECFRBRWS|DLPSTEXTCLASS)\b", text[:4000]))


# --- reading -------------------------------------------------------------------------------------------


def parse(path: Path, *, strict: bool = True, report: ParseReport | None = None) -> Iterator[EcfrRecord]:
    """Read an eCFR XML file of part 738, 740, 746 or 774 (or several) into table records."""
    bad = BadRows(strict, report)
    root = _tree(path, read_file(path))
    parts = [n for n in root.walk() if n.tag == "DIV5" and n.attrs.get("TYPE", "").upper() == "PART"]
    supplements = {_appendix_name(n): n for n in root.walk() if n.tag == "DIV9"}
    numbers = {_part_number(p) for p in parts} | {m for name in supplements if (m := _supplement_part(name))}
    wanted = numbers & {"738", "740", "746", "774"}
    if not wanted:
        found = ", ".join(sorted(n for n in numbers if n)) or "none"
        raise SourceFormatError(
            path,
            f"no part 738, 740, 746 or 774 of Title 15 in this eCFR XML (parts found: {found})",
            line=1,
        )
    return _records(path, parts, supplements, bad, report)


def _records(
    path: Path, parts: list[_Node], supplements: dict[str, _Node], bad: BadRows, report: ParseReport | None
) -> Iterator[EcfrRecord]:
    readers = []
    if CHART in supplements:
        readers.append(_chart(path, supplements[CHART], bad))
    if GROUPS in supplements:
        readers.append(_groups(path, supplements[GROUPS], bad))
    for part in parts:
        number = _part_number(part)
        if number == "740":
            readers.append(_exceptions(path, part, bad))
        elif number == "746":
            readers.append(_sections(path, part, bad))
    if CCL in supplements:
        readers.append(_ccl(path, supplements[CCL], bad))
    for reader in readers:
        for record in reader:
            if report is not None:
                report.records += 1
            yield record


def _part_number(node: _Node) -> str:
    return node.attrs.get("N", "").strip().removeprefix("PART").strip()


def _appendix_name(node: _Node) -> str:
    name = node.attrs.get("N", "").strip()
    if not name:
        head = next((c for c in node.elements() if c.tag == "HEAD"), None)
        name = head.text().split("—")[0].split("-")[0].strip() if head is not None else ""
    return " ".join(name.split())


def _supplement_part(name: str) -> str | None:
    match = re.search(r"to Part (\d+)", name, re.I)
    return match[1] if match else None


def _fail(path: Path, node: _Node, message: str, field: str | None = None) -> SourceFormatError:
    return SourceFormatError(path, message, line=node.line, field=field)


# --- tables --------------------------------------------------------------------------------------------


def _cells(row: _Node) -> list[_Node]:
    return [c for c in row.elements() if c.tag.upper() in ("TD", "TH")]


def _rows(table: _Node) -> list[_Node]:
    return [n for n in table.walk() if n.tag.upper() == "TR"]


def _column(text: str) -> str:
    return text.replace(" ", "").upper()


_MARKERS = frozenset({"SU", "SUP"})


def _footnote_marks(cell: _Node) -> tuple[str, ...]:
    return tuple(n.text() for n in cell.walk() if n.tag.upper() in _MARKERS and n.text().isdigit())


def _chart(path: Path, supplement: _Node, bad: BadRows) -> Iterator[EcfrRecord]:
    table = next(
        (
            t
            for t in supplement.walk()
            if t.tag.upper() == "TABLE" and any(_column(c.text()) == "CB1" for c in t.walk())
        ),
        None,
    )
    if table is None:
        bad.handle(_fail(path, supplement, "the Country Chart table (a column headed 'CB 1') was not found"))
        return
    columns: list[str] | None = None
    seen: dict[str, int] = {}
    footnotes: dict[str, ChartFootnote] = {}
    for row in _rows(table):
        cells = _cells(row)
        texts = [c.text() for c in cells]
        if columns is None:
            if any(_column(t) == "CB1" for t in texts):
                columns = [_column(t) for t in texts if _column(t) in CHART_COLUMNS]
                if columns != list(CHART_COLUMNS):
                    raise _fail(path, row, f"unexpected chart columns {columns}: expected {list(CHART_COLUMNS)}")
            continue
        if not cells or not "".join(texts).strip():
            continue
        try:
            if len(cells) == 1:
                number, _, text = texts[0].partition(" ")
                if not number.isdigit() or not text:
                    raise _fail(path, row, f"a one-cell row that is not a numbered footnote: {texts[0][:60]!r}")
                footnotes[number] = ChartFootnote(number, text.strip())
                continue
            yield _chart_row(path, row, cells, columns, seen)
        except SourceFormatError as error:
            bad.handle(error, " | ".join(texts))
    for paragraph in supplement.walk():
        # Footnotes printed below the table as paragraphs opening with their number.
        if paragraph.tag.upper() in ("P", "FP") and paragraph.children:
            first = next(iter(paragraph.elements()), None)
            text = paragraph.text()
            if first is not None and first.tag.upper() in _MARKERS and first.text().isdigit():
                number = first.text()
                footnotes.setdefault(number, ChartFootnote(number, text.removeprefix(number).strip()))
    yield from footnotes.values()


def _chart_row(
    path: Path, row: _Node, cells: list[_Node], columns: Sequence[str], seen: dict[str, int]
) -> CountryChartRow:
    name = cells[0].text(skip=_MARKERS)
    marks_in_name = _footnote_marks(cells[0])
    code = country_code(name)
    if code is None:
        raise _fail(path, row, f"unknown destination {name!r}", "country")
    if code in seen:
        raise _fail(path, row, f"{code} already has a row (line {seen[code]})", "country")
    seen[code] = row.line
    if len(cells) == 2:
        return CountryChartRow(code, name, frozenset(), marks_in_name, cells[1].text(), line=row.line)
    if len(cells) != len(columns) + 1:
        raise _fail(path, row, f"{len(cells)} cells; a chart row has the destination and {len(columns)} columns")
    marks = set()
    for column, cell in zip(columns, cells[1:], strict=True):
        value = cell.text().upper()
        if value == "X":
            marks.add(column)
        elif value:
            raise _fail(path, row, f"expected X or nothing, not {value!r}", column)
    return CountryChartRow(code, name, frozenset(marks), marks_in_name, None, line=row.line)


def _groups(path: Path, supplement: _Node, bad: BadRows) -> Iterator[EcfrRecord]:
    groups: dict[str, set[str]] = {}
    names: dict[str, str] = {}
    lines: dict[str, int] = {}
    tables = [t for t in supplement.walk() if t.tag.upper() == "TABLE"]
    for table in tables:
        labels: list[str | None] | None = None
        for row in _rows(table):
            cells = _cells(row)
            texts = [c.text() for c in cells]
            if labels is None:
                found = [_group_label(t) for t in texts[1:]]
                if any(found):
                    labels = found
                continue
            if not cells or not texts[0] or re.match(r"^\d+\s|^\(\w\)\s", texts[0]) or len(texts[0]) > 80:
                continue  # footnote rows
            try:
                code = _group_country(path, row, cells[0], names, lines)
                for label, cell in zip(labels, cells[1:], strict=False):
                    if label is not None and "X" in cell.text().upper():
                        groups.setdefault(code, set()).add(label)
                groups.setdefault(code, set())
            except SourceFormatError as error:
                bad.handle(error, " | ".join(texts))
    for node in _group_b_items(supplement):
        try:
            code = _group_country(path, node, node, names, lines)
            groups.setdefault(code, set()).add("B")
        except SourceFormatError as error:
            bad.handle(error, node.text())
    if not groups:
        bad.handle(_fail(path, supplement, "no Country Group table or list was found"))
    for code, members in groups.items():
        yield CountryGroupRow(code, names[code], frozenset(members), lines[code])


def _group_label(text: str) -> str | None:
    match = re.search(r"\b([ADE]):?\s*(\d)\b", text)
    if match:
        label = f"{match[1]}:{match[2]}"
        return label if label in GROUP_LABELS else None
    return "B" if re.fullmatch(r"\[?B\]?", text.strip()) else None


def _group_country(path: Path, row: _Node, cell: _Node, names: dict[str, str], lines: dict[str, int]) -> str:
    name = re.sub(r"\s+\d+$", "", cell.text(skip=_MARKERS)).strip()
    code = country_code(name)
    if code is None:
        raise _fail(path, row, f"unknown destination {name!r}", "country")
    names.setdefault(code, name)
    lines.setdefault(code, row.line)
    return code


def _group_b_items(supplement: _Node) -> Iterator[_Node]:
    """Country Group B: the list items after its heading (the eCFR prints B as a list, not a table)."""
    in_b = False
    for node in supplement.walk():
        tag = node.tag.upper()
        if tag.startswith("HD") or tag == "HED":
            heading = node.text()
            in_b = bool(re.search(r"Country Group B\b", heading))
            continue
        if in_b and tag == "LI":
            yield node
        if in_b and tag == "TABLE":
            in_b = False


# --- sections ------------------------------------------------------------------------------------------


def _sections(path: Path, part: _Node, bad: BadRows) -> Iterator[EcfrRecord]:
    number = _part_number(part)
    for node in part.walk():
        if node.tag != "DIV8":
            continue
        try:
            section = node.attrs.get("N", "").replace("§", "").strip()
            head = next((c for c in node.elements() if c.tag == "HEAD"), None)
            if not re.fullmatch(rf"{number}\.\d+[a-z]?", section) or head is None:
                raise _fail(path, node, f"a section without a number of part {number} or a heading", "N")
            heading = re.sub(rf"^§\s*{re.escape(section)}\s*", "", head.text()).strip()
            text = "\n".join(c.text() for c in node.elements() if c.tag not in ("HEAD", "CITA"))
            cita = next((c.text() for c in node.elements() if c.tag == "CITA"), None)
            yield RegulationSection(number, section, heading, text, cita, node.line)
        except SourceFormatError as error:
            bad.handle(error, node.text()[:200])


_EXCEPTION = re.compile(r"^§\s*(740\.\d+[a-z]?)\s+(.+?)\.?$")


def _exceptions(path: Path, part: _Node, bad: BadRows) -> Iterator[EcfrRecord]:
    seen: set[str] = set()
    for node in part.walk():
        if node.tag != "DIV8":
            continue
        head = next((c for c in node.elements() if c.tag == "HEAD"), None)
        match = _EXCEPTION.match(head.text()) if head is not None else None
        if match is None:
            continue
        symbols = re.findall(r"\(([A-Z]{3})\)", match[2])  # "(NAC) and ... (ACA)": one section, two symbols
        title = re.sub(r"\s*\([A-Z]{3}\)", "", match[2]).strip()
        for symbol in symbols:
            if symbol in seen:
                bad.handle(_fail(path, node, f"{symbol} heads two sections", "symbol"), head.text() if head else None)
                continue
            seen.add(symbol)
            yield LicenseExceptionInfo(symbol, f"15 CFR {match[1]}", title)


# --- the CCL -------------------------------------------------------------------------------------------

_HEADING = re.compile(r"^(\d[A-E]\d{3})\s+(.+)$", re.S)
_DESIGNATOR = re.compile(r"^((?:[a-z]|\d{1,2})(?:\.(?:[a-z]|\d{1,2}))*)\.\s+(.*)$", re.S)
_REASON_CODES = frozenset({"NS", "RS", "AT", "MT", "NP", "CB", "CC", "SI", "SS", "UN", "EI", "FC", "SL", "CW"})


def _ccl(path: Path, supplement: _Node, bad: BadRows) -> Iterator[EcfrRecord]:
    blocks = list(supplement.elements())
    flat: list[_Node] = []
    for node in blocks:
        # Entries sit directly in the supplement, or in DIVs grouping a category: flatten to the blocks.
        if node.tag.upper() == "DIV" and not any(n.tag.upper() == "TABLE" for n in node.walk()):
            flat.extend(node.elements())
        else:
            flat.append(node)
    seen: dict[str, int] = {}
    current: tuple[_Node, str, str] | None = None
    body: list[_Node] = []
    for node in flat:
        heading = _entry_heading(node)
        if heading is not None:
            if current is not None:
                yield from _entry(path, current, body, seen, bad)
            current, body = (node, *heading), []
        elif current is not None:
            body.append(node)
    if current is not None:
        yield from _entry(path, current, body, seen, bad)
    if not seen:
        bad.handle(_fail(path, supplement, "no ECCN entry (a bold heading such as '3A001 ...') was found"))


def _entry_heading(node: _Node) -> tuple[str, str] | None:
    if node.tag.upper() not in ("FP-2", "FP-1", "P", "FP", "HD1", "HD2"):
        return None
    bold = next(iter(node.elements()), None)
    if bold is None or bold.tag.upper() not in ("B", "E"):
        return None
    # Only the bold run opening the block is a heading: "See 3D001" inside a paragraph is a reference.
    before = "".join(c for c in node.children[: node.children.index(bold)] if isinstance(c, str)).strip()
    match = _HEADING.match(bold.text())
    if before or match is None:
        return None
    rest = node.text()[len(bold.text()) :].strip()
    return match[1], (match[2] + (" " + rest if rest else "")).strip()


def _entry(
    path: Path, head: tuple[_Node, str, str], body: list[_Node], seen: dict[str, int], bad: BadRows
) -> Iterator[CclEntry]:
    node, code, heading = head
    try:
        if code in seen:
            raise _fail(path, node, f"{code} is already on line {seen[code]}", "eccn")
        seen[code] = node.line
        yield _read_entry(path, node, code, heading, body)
    except SourceFormatError as error:
        bad.handle(error, f"{code} {heading[:80]}")


def _read_entry(path: Path, node: _Node, code: str, heading: str, body: list[_Node]) -> CclEntry:
    reason: str | None = None
    related: str | None = None
    notes: dict[str, str] = {}
    controls: list[CclControl] = []
    paragraphs: list[CclParagraph] = []
    for block in body:
        if block.tag.upper() == "TABLE" or any(n.tag.upper() == "TABLE" for n in block.walk()):
            controls += _licence_rows(path, block)
            continue
        text = block.text()
        if not text:
            continue
        label, _, value = text.partition(":")
        label = label.strip()
        if label.lower() == "reason for control":
            reason = value.strip()
        elif label.lower() == "related controls":
            related = value.strip()
        elif re.fullmatch(r"[A-Z]{2,4}", label) and label not in _REASON_CODES and value.strip():
            notes[label] = value.strip()
        elif block.tag.upper() in ("P", "FP"):
            item = text.removeprefix("Items:").strip()
            designated = _DESIGNATOR.match(item)
            if designated:
                kind = "item" if designated[1][0].isalpha() else "text"
                paragraphs.append(CclParagraph(designated[1], kind, designated[1].count(".") + 1, designated[2]))
            elif item:
                paragraphs.append(CclParagraph(None, "text", 0, item))
    if reason is None and not controls:
        raise _fail(path, node, f"{code} has neither a 'Reason for Control' nor a License Requirements table")
    return CclEntry(
        eccn=code,
        heading=heading,
        reasons=read_reasons(reason),
        controls=tuple(controls),
        license_exception_notes=notes,
        paragraphs=tuple(paragraphs),
        related_controls=related,
        line=node.line,
    )


def _licence_rows(path: Path, block: _Node) -> list[CclControl]:
    rows: list[CclControl] = []
    for table in (t for t in block.walk() if t.tag.upper() == "TABLE"):
        all_rows = _rows(table)
        header = [c.text() for c in _cells(all_rows[0])] if all_rows else []
        if not any(re.search(r"country\s*chart|control\(s\)", h, re.I) for h in header):
            continue  # another kind of table in the entry (2E003's deposition table)
        for row in all_rows[1:]:
            cells = [c.text() for c in _cells(row)]
            if not cells or not cells[0]:
                continue
            rows.append(CclControl(cells[0], cells[1] if len(cells) > 1 else ""))
    return rows
