"""An independent reader of the Commerce Control List, for the CCL-wide sweep (issue 10, item 6).

Written for the test from the rules for reading the CCL and the Country Chart (15 CFR 738.4) and the raw
snapshot text in ``../shared/data/ear``; it shares no code or table with the engine. For an entry, a
paragraph of it (or the bare ECCN, paragraph unknown) and a destination it says:

- ``required``: a control that certainly reaches every item the paragraph may hold has an X in its chart
  column for the destination, or an all-destinations / named-destination rule that takes it in, or a Part 746
  rule requires a licence for it there (738.4(a)(2): "If an 'X' appears in a particular box, a license is
  required ...");
- ``not_required``: no control, footnote or Part 746 rule can reach it there;
- ``undecided``: the text leaves it open (a condition on parameters or use, prose we do not read, a reason
  for control without its row);
- ``not_subject``: the entry is a "subject to the ITAR" placeholder (15 CFR 734.3(b)(1)).

It is conservative both ways: any condition or unread words make a reach "possible", never "certain" and
never "none". A bare ECCN, or a paragraph with named sub-paragraphs, is decided only when every part of it
(each named sub-paragraph, and the rest) is decided the same way.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from enum import Enum
from pathlib import Path as FilePath

from tests.sweep.destinations import Chart, Destination, DestinationRule, Reach, read_destinations
from tests.sweep.paragraphs import ECCN, Path, Reference, references


class Verdict(Enum):
    REQUIRED = "required"
    NOT_REQUIRED = "not_required"
    UNDECIDED = "undecided"
    NOT_SUBJECT = "not_subject"


@dataclass(frozen=True)
class Reading:
    """What the text says for one (entry, paragraph, destination)."""

    verdict: Verdict
    because: tuple[str, ...]  # the texts relied on, quoted
    never_false: bool = False  # undecided, yet "no licence required" would have no basis in the text

    @property
    def decided(self) -> bool:
        return self.verdict in (Verdict.REQUIRED, Verdict.NOT_REQUIRED)


# ---------------------------------------------------------------------------------------------------------
# Scopes: which paragraphs of its entry a control reaches


@dataclass(frozen=True)
class Scope:
    """The reach of one clause over the entry's paragraphs: the most specific mark that contains a paragraph
    decides; paragraphs under no mark take ``base``."""

    base: Reach
    marks: tuple[tuple[Path, Reach], ...] = ()

    def at(self, atom: Path) -> Reach:
        best, reach = -1, self.base
        for path, mark in self.marks:
            if atom[: len(path)] == path and len(path) > best:
                best, reach = len(path), mark
        return reach


POSSIBLY = Scope(Reach.POSSIBLE)
_CONNECTORS = {
    "and", "or", "to", "through", "only", "paragraph", "paragraphs", "of", "this", "entry", "items", "item",
    "controlled", "by", "in", "“software”", "“technology”", "ECCN", "ECCNs", "except",
}  # fmt: skip
_EXCEPT_PARENTHESIS = re.compile(r"\(except\b[^()]*(?:\([^()]*\)[^()]*)*\)")


def _residual(text: str, found: list[Reference], spans: list[tuple[int, int]] | None = None) -> str:
    """The words of ``text`` (of its ``spans`` only, if given) that are neither references nor connectors."""
    chars = list(text)
    for reference in found:
        chars[reference.start : reference.end] = " " * (reference.end - reference.start)
    if spans is not None:
        chars = [c if any(a <= i < b for a, b in spans) else " " for i, c in enumerate(chars)]
    words = re.sub(r"[,;:.()]", " ", "".join(chars)).split()
    return " ".join(w for w in words if w not in _CONNECTORS)


def _listed(text: str, eccn: str) -> Scope:
    """A clause that lists paragraphs ("5A001.b (except .b.5), .c, .d"): certain for those listed, none
    elsewhere, only if the clause is nothing but a list of this entry's paragraphs."""
    found = references(text, eccn)
    own = [r for r in found if r.eccn == eccn]
    excepted = [m.span() for m in _EXCEPT_PARENTHESIS.finditer(text)]
    outside = [
        (a, b) for a, b in zip([0] + [e for _, e in excepted], [s for s, _ in excepted] + [len(text)], strict=True)
    ]
    if not own or _residual(text, found, outside):
        return POSSIBLY
    marks = {}
    for reference in own:
        exception = next(((a, b) for a, b in excepted if a <= reference.start < b), None)
        if exception is None:
            marks[reference.path] = Reach.CERTAIN
        elif _residual(text, found, [exception]):
            # "(except a.3.d.2.a and a.3.e for lead selenide based focal plane arrays (FPAs))": a condition
            # we do not read, so the exception may or may not take these out
            marks[reference.path] = Reach.POSSIBLE
        else:
            marks[reference.path] = Reach.NONE  # "(except .b.5)"
    return Scope(Reach.NONE, tuple(marks.items()))


def _anchored(clause: str, own: list[Reference], found: list[Reference]) -> bool:
    """Whether the words of an exception describe items inside its first paragraph ("parts and components
    controlled in 9A610.x if being exported ... for use in an aircraft controlled in 9A610.b"), rather than
    items anywhere in the entry ("2B004.b.3 and presses with maximum working pressures below 69 MPa")."""
    first = own[0]
    before = clause[: first.start]
    if before.strip() and not re.search(r"(?:controlled (?:in|by)|\bin)\s*$", before):
        return False
    starts = {r.start for r in found}
    joints = re.finditer(r"(?:,|\band\b)\s*", clause[first.end :])
    return all(first.end + joint.end() in starts for joint in joints)  # every "and"/"," leads to a paragraph


def _entire_entry_except(text: str, eccn: str) -> Scope:
    """ "entire entry except: A; B if ...; and C": none for what is certainly excepted, possible for what a
    condition may except, certain for the rest."""
    base, marks = Reach.CERTAIN, {}
    for part in text.split(";"):
        clause = re.sub(r"^\s*and\s+", "", part).strip(" .")
        found = references(clause, eccn)
        own = [r for r in found if r.eccn == eccn]
        if own and not _residual(clause, found):
            for reference in own:
                marks[reference.path] = Reach.NONE
            continue
        for reference in own:
            marks[reference.path] = min(marks.get(reference.path, Reach.POSSIBLE), Reach.POSSIBLE)
        if not own or not _anchored(clause, own, found):
            base = Reach.POSSIBLE
    return Scope(base, tuple(marks.items()))


_FOR_ITEMS = re.compile(r"(“(?:technology|software)”) for (?:items|equipment|commodities) controlled by ([\w,\s]+?)\.?")


def _whole_heading(text: str, heading: str) -> bool:
    """Whether a clause names everything its entry's heading covers: "CC applies to “technology” for items
    controlled by 0A982 or 0A503" in 0E982, whose heading is "“Technology” exclusively for the “development”
    or “production” of equipment controlled by 0A982 or 0A503." (an entry without a list of items)."""
    clause = _FOR_ITEMS.fullmatch(text)
    if not clause or "List of Items Controlled" in heading or not heading.lower().startswith(clause[1]):
        return False
    if re.sub(r"[\dA-Z]{5}|,|\s|\bor\b|\band\b", "", clause[2]):
        return False  # anything but a plain list of ECCNs
    named = set(ECCN.findall(heading))
    return bool(named) and not re.search(r"\d[A-Z]\d{3}\.[a-z0-9]", heading) and named <= set(ECCN.findall(clause[2]))


def read_scope(text: str, eccn: str, heading: str = "") -> Scope:
    """The paragraphs of ``eccn`` that a control clause reaches ("entire entry", "entire entry except ...",
    a list of paragraphs, or prose)."""
    text = re.sub(r"\s*\(refer to [^)]*\)", "", text).strip()
    if _whole_heading(text, heading):
        return Scope(Reach.CERTAIN)
    entire = re.match(r"(?:the )?entire entry\b[\s.,:]*", text)
    if entire:
        rest = text[entire.end() :]
        if not rest.strip(" ."):
            return Scope(Reach.CERTAIN)
        exception = re.match(r"except(?: for)?:?\s*", rest)
        if exception:
            return _entire_entry_except(rest[exception.end() :], eccn)
        return POSSIBLY  # "entire entry, for items controlled for NP reasons", "... as applicable for ..."
    parts = [re.sub(r"^\s*(?:and\s+)?(?:to\s+)?", "", p) for p in text.split(";")]
    scopes = [_listed(p.strip(" ."), eccn) for p in parts if p.strip(" .")]
    if len(scopes) == 1:
        return scopes[0]
    return _union(scopes)


def _union(scopes: list[Scope]) -> Scope:
    """One scope reaching what any of ``scopes`` reaches, at the paragraphs they name."""
    paths = {path for s in scopes for path, _ in s.marks}
    base = max(s.base for s in scopes)
    return Scope(base, tuple((path, max(s.at(path) for s in scopes)) for path in sorted(paths)))


# ---------------------------------------------------------------------------------------------------------
# Controls: one reason for control of one entry, with its scope and its destinations


@dataclass(frozen=True)
class Control:
    reason: str
    text: str  # the control text and its Country Chart text, as the CCL has them
    scopes: tuple[Scope, ...]
    destinations: DestinationRule
    capped: bool = False  # a "does not apply" sentence narrows it in words we do not read

    def reach(self, atom: Path) -> Reach:
        reach = max(s.at(atom) for s in self.scopes)
        return min(reach, Reach.POSSIBLE) if self.capped else reach


REASONS = ("AT", "CB", "CC", "CW", "EI", "FC", "MT", "NP", "NS", "RS", "SI", "SL", "SS", "UN")
RUSSIA_SECTORS = "Russian industry sector sanctions"


def _reasons(listed: str) -> tuple[str, ...]:
    """The Reason for Control line ("NS, MT NP, AT", "CC 1", "AT, RS, foreign policy"): the reason codes it
    names; "foreign policy" is the heading word for the Russian industry sector sanctions rows."""
    codes = re.findall(rf"\b(?:{'|'.join(REASONS)})\b", listed)
    if re.search(r"foreign policy", listed, re.IGNORECASE):
        codes.append(RUSSIA_SECTORS)
    return tuple(dict.fromkeys(codes))


_CLAUSE = re.compile(
    r"(?:Note:\s*)?\b(?P<reason>[A-Z]{2}|Russian industry sector sanctions?)\s+(?:also\s+)?"
    r"(?P<verb>applies|apply|does not apply)\b(?:\s+to\b)?"
)


def read_row(eccn: str, control: str, chart_text: str, chart: Chart, heading: str = "") -> list[Control]:
    """The controls of one "License Requirements" row: a row may hold several reasons ("NP applies to
    entire entry AT applies to entire entry", columns "NP Column 1 AT Column 1") or several clauses of one
    ("CB applies to ...; and CB applies to ...", "... Note: MT applies to ...")."""
    shown = f"{control} ⇒ {chart_text}" if chart_text != control else control
    clauses = list(_CLAUSE.finditer(control))
    if not clauses:
        return [Control("?", shown, (POSSIBLY,), read_destinations(chart_text, "?", chart))]
    grouped: dict[str, list[Scope]] = defaultdict(list)
    capped: set[str] = set()
    for clause, following in zip(clauses, [*clauses[1:], None], strict=True):
        reason = clause["reason"] if len(clause["reason"]) == 2 else RUSSIA_SECTORS
        body = control[clause.end() : following.start() if following else len(control)]
        body = re.split(r"\bA license is required\b", body)[0]  # a destination sentence inside the row
        body = re.sub(r"\b[A-Z]{2} Column \d\.?", "", body)
        if clause["verb"] == "does not apply":
            capped.add(reason)
            continue
        grouped[reason].append(read_scope(body.strip(), eccn, heading))
    return [
        Control(reason, shown, tuple(scopes) or (POSSIBLY,), read_destinations(chart_text, reason, chart),
                capped=reason in capped)
        for reason, scopes in grouped.items()
    ]  # fmt: skip


# ---------------------------------------------------------------------------------------------------------
# Footnotes of the Country Chart and Part 746 rules that decide a destination whatever the columns say

FOOTNOTE_LIST = re.compile(r"A license is required to these destinations for items in the following ECCNs: (.*)")
FOOTNOTE_COLUMN = re.compile(
    r"license is still required for items controlled under ECCNs (?P<refs>.+?) for (?P<reason>[A-Z]{2}) "
    r"column (?P<n>\d) reasons when destined to"
)

CUBA = (
    "15 CFR 746.1(a)(1) (VS): “All the items on the Commerce Control List (CCL) require a license to Cuba.”; "
    "746.2(a) (VS-25): “you will need a license to export or reexport all items subject to the EAR ... to Cuba”"
)
NORTH_KOREA = (
    "15 CFR 746.4(a) (VS-25): “a license is required to export or reexport any item subject to the EAR ... to "
    "the Democratic People's Republic of Korea (North Korea), except food and medicines classified as EAR99”"
)
RUSSIA_BELARUS = (
    "15 CFR 746.8(a)(1) (VS-25, text of 2024-06-18 on): “A license is required to export, reexport, or "
    "transfer (in-country) to or within Russia or Belarus any item subject to the EAR and specified in any "
    "Export Control Classification Number (ECCN) on the CCL.”; chart footnote 6 (VD): “See § 746.8 ... "
    "including additional license requirements for items listed in any ECCN on the CCL.”"
)
IRAN = (
    "15 CFR 746.7(a)(1)(i) (VS-25): “A license is required under the EAR to export or reexport to Iran any "
    "item on the CCL containing a CB Column 1, CB Column 2, CB Column 3, NP Column 1, NP Column 2, NS Column "
    "1, NS Column 2, MT Column 1, RS Column 1, RS Column 2, CC Column 1, CC Column 2, CC Column 3, AT Column 1 "
    "or AT Column 2 in the Country Chart Column of the License Requirements section of an ECCN or classified "
    "under ECCNs 0A503, 0A980, 0A982, 0A983, 0E982, 1C355, 1C395, 1C980, 1C982, 1C983, 1C984, 2A994, 2D994, "
    "2E994, 5A001.f.1, 5A980, 5D001 (...), 5D980, 5E001.a (...) or 5E980.”; (a)(1)(ii) adds items in "
    "Supplement No. 7 by HTS code, a fact the sweep's cases leave unknown"
)
IRAN_COLUMNS = frozenset(re.findall(r"([A-Z]{2}) Column (\d)", IRAN.split("in the Country Chart")[0]))
IRAN_ECCNS = {r.eccn: r.path for r in references(IRAN.split("classified under")[1].split("(...)")[0], "")}
OTHER_EMBARGO = "the Part 746 pointer of the chart row, whose section the snapshot does not give: {}"


@dataclass(frozen=True)
class ColumnFootnote:
    """A footnote that makes a column count as marked for some paragraphs (footnote 7: "a license is still
    required for items controlled under ECCNs 6A003.b.4.b and 9A515.e for RS column 2 reasons when destined
    to India")."""

    text: str
    column: str
    paragraphs: tuple[Reference, ...]
    destinations: frozenset[str]

    def marks(self, control: Control, eccn: str, atom: Path, destination: str) -> bool:
        return (
            destination in self.destinations
            and self.column in control.destinations.columns
            and any(r.eccn == eccn and atom[: len(r.path)] == r.path for r in self.paragraphs)
        )


@dataclass(frozen=True)
class Entry:
    eccn: str
    heading: str
    reasons: tuple[str, ...]
    controls: tuple[Control, ...]
    itar: bool  # a "subject to the ITAR" placeholder with no licence requirements
    paragraphs: tuple[Path, ...]  # this entry's paragraphs that its texts name
    rowless: bool  # the snapshot has no License Requirements rows for it
    missing: tuple[str, ...] = field(default=())  # reasons for control the heading lists without a row
    elsewhere: Path | None = None  # a paragraph the entry has that no control text names (for "the rest")


_EMBEDDED = re.compile(
    r"\s*\.?\s*License Requirements Reason for Control: (?P<reasons>.*?) Control\(s\) Country chart "
    r"\(see Supp\. No\. 1 to part 738\) (?P<rows>.*?)(?= List Based License Exceptions| License Requirements? Note"
    r"| Reporting Requirements|$)",
    re.IGNORECASE,
)
_ROW_START = re.compile(r"\b[A-Z]{2} applies\b")
_DESTINATION_START = re.compile(
    r"\s(?=[A-Z]{2} Column \d|China, Russia|See § |To or within|Worldwide|A license is required)"
)


def embedded_requirements(heading: str) -> tuple[str, str, list[tuple[str, str]]] | None:
    """The License Requirements section when the extraction left it inside the heading (3E001, 0D606,
    2B351): the heading proper, the reasons, and the rows as (control, Country Chart text). These are the
    regulation's own words; the extraction's rows for such entries are simplified ("NS applies to entire
    entry" for 3E001, whose text names the 3A, 3B and 3C entries it applies to), so they take precedence."""
    block = _EMBEDDED.search(heading)
    if block is None:
        return None
    starts = [m.start() for m in _ROW_START.finditer(block["rows"])]
    rows = []
    for start, end in zip(starts, [*starts[1:], len(block["rows"])], strict=True):
        segment = block["rows"][start:end].strip()
        split = _DESTINATION_START.search(segment)
        if split is None:
            rows.append((segment, segment))
        else:
            rows.append((segment[: split.start()].strip(), segment[split.end() :].strip()))
    return heading[: block.start()].strip(), block["reasons"], rows


_ITAR = re.compile(r"\((?:These items are|This entry is) “subject to the ITAR\.?”")


class Reader:
    """Readings over a whole snapshot: ``Reader.load(ear_folder).read("9A610", ("a",), "DE")``."""

    def __init__(self, rows: Iterable[dict[str, object]], chart: Chart) -> None:
        self.chart = chart
        self._footnote_controls: dict[str, list[Control]] = defaultdict(list)
        self._column_footnotes: list[ColumnFootnote] = []
        self._possible_footnotes: dict[str, list[tuple[str, str]]] = defaultdict(list)  # eccn -> (number, text)
        self._general_footnotes: list[tuple[str, str]] = []
        self._read_footnotes()
        parsed = [self._parse(row) for row in rows]
        self._observed = self._observed_rules(parsed)
        self.entries = {e.eccn: self._complete(e) for e in parsed}

    @classmethod
    def load(cls, ear: FilePath) -> Reader:
        with (ear / "ccl.jsonl").open(encoding="utf-8") as handle:
            rows = [json.loads(line) for line in handle if line.strip()]
        return cls(rows, Chart.load(ear))

    # -- building --------------------------------------------------------------------------------------

    def _read_footnotes(self) -> None:
        for number, text in self.chart.footnotes.items():
            where = self.chart.with_footnote(number)
            listed = FOOTNOTE_LIST.search(text)
            column = FOOTNOTE_COLUMN.search(text)
            if number == "6":
                continue  # read as a Part 746 rule (746.8) in _destination_rule
            if listed:
                for element in re.split(r",\s+(?=\d[A-Z]\d{3})", listed[1].rstrip(".")):
                    eccn = element[:5]
                    scope = _footnote_scope(element, eccn)
                    rule = DestinationRule(text, certain=where)
                    self._footnote_controls[eccn].append(Control(f"footnote {number}", text, (scope,), rule))
            elif column:
                refs = tuple(references(column["refs"], ""))
                self._column_footnotes.append(ColumnFootnote(text, f"{column['reason']}{column['n']}", refs, where))
            elif ECCN.search(text):
                for eccn in ECCN.findall(text):
                    self._possible_footnotes[eccn].append((number, text))
            else:
                self._general_footnotes.append((number, text))

    def _parse(self, row: dict[str, object]) -> Entry:
        eccn = str(row["eccn"])
        heading = str(row["heading"])
        listed = str(row.get("reasonForControl") or "")
        chart_rows = row.get("countryChart") or []
        assert isinstance(chart_rows, list)
        pairs = [(str(r["control"]), str(r["countryChart"])) for r in chart_rows]
        embedded = embedded_requirements(heading)
        if embedded is not None:
            heading, listed, pairs = embedded
        reasons = _reasons(listed)
        controls: list[Control] = []
        named: list[Path] = []
        for control, chart_text in pairs:
            controls.extend(read_row(eccn, control, chart_text, self.chart, heading))
            for text in (control, chart_text):
                named.extend(r.path for r in references(text, eccn) if r.eccn == eccn)
        footnoted = self._footnote_controls.get(eccn, [])
        for footnote_control in footnoted:
            named.extend(r.path for r in references(footnote_control.text, "") if r.eccn == eccn)
        for footnote in self._column_footnotes:
            named.extend(r.path for r in footnote.paragraphs if r.eccn == eccn)
        paragraphs = tuple(sorted({p for p in named if p}))
        tops = {p[:1] for p in paragraphs}
        elsewhere = next((p for p in sorted(_paragraphs_elsewhere(row, eccn)) if p not in tops), None)
        itar = not pairs and bool(_ITAR.search(heading))
        controls.extend(footnoted)
        return Entry(eccn, heading, reasons, tuple(controls), itar, paragraphs, not pairs,
                     elsewhere=elsewhere if paragraphs else None)  # fmt: skip

    @staticmethod
    def _observed_rules(entries: list[Entry]) -> dict[str, list[DestinationRule]]:
        observed: dict[str, list[DestinationRule]] = defaultdict(list)
        for entry in entries:
            for control in entry.controls:
                observed[control.reason].append(control.destinations)
        return observed

    def _complete(self, entry: Entry) -> Entry:
        """A reason for control listed without a row may reach any paragraph, wherever the rows of that
        reason elsewhere in the CCL reach (anywhere, for a reason no row shows)."""
        have = {c.reason for c in entry.controls}
        missing = tuple(r for r in entry.reasons if r not in have)
        if not entry.reasons and entry.rowless:
            missing = ("(no reason given)",)
        if not missing:
            return entry
        extra = []
        for reason in missing:
            rules = self._observed.get(reason)
            text = f"{reason}: listed in the Reason for Control of {entry.eccn} without a License Requirements row"
            if not rules:
                extra.append(Control(reason, text, (POSSIBLY,), DestinationRule(text, possible_all_except=frozenset())))
            for rule in rules or []:
                extra.append(Control(reason, text, (POSSIBLY,), _only_possible(rule)))
        return replace(entry, controls=entry.controls + tuple(extra), missing=missing)

    # -- reading ---------------------------------------------------------------------------------------

    def read(self, eccn: str, paragraph: Path, destination: str) -> Reading:
        """The reading for an item in ``paragraph`` of ``eccn`` (``()``: paragraph unknown), exported from
        the United States to ``destination``."""
        entry = self.entries[eccn]
        where = self.chart.destinations[destination]
        if entry.itar:
            return Reading(Verdict.NOT_SUBJECT, (entry.heading,))
        level = self._destination_rule(entry, where)
        if level is not None:
            return level
        atoms = [a for a in ((), *entry.paragraphs) if a[: len(paragraph)] == paragraph]
        if paragraph not in atoms:
            atoms.append(paragraph)
        readings = [self._atom(entry, atom, where) for atom in atoms]
        verdicts = {r.verdict for r in readings}
        verdict = verdicts.pop() if len(verdicts) == 1 else Verdict.UNDECIDED
        because = tuple(dict.fromkeys(t for r in readings if r.verdict is verdict for t in r.because))
        # Iran: 746.7(a)(1)(ii) turns on a Supplement No. 7 listing the cases leave unknown, and (e) forbids
        # what OFAC forbids; an entry without rows: nothing in the snapshot could ground a "no".
        never_false = verdict is Verdict.UNDECIDED and (where.code == "IR" or any(r.never_false for r in readings))
        return Reading(verdict, because or tuple(t for r in readings for t in r.because), never_false)

    def _destination_rule(self, entry: Entry, where: Destination) -> Reading | None:
        """Part 746 rules that decide a destination for every item on the CCL."""
        if where.code == "CU":
            return Reading(Verdict.REQUIRED, (CUBA,))
        if where.code == "KP":
            return Reading(Verdict.REQUIRED, (NORTH_KOREA,))
        if "6" in where.footnotes:
            return Reading(Verdict.REQUIRED, (RUSSIA_BELARUS,))
        if where.embargo_pointer and where.code != "IR":
            return Reading(Verdict.UNDECIDED, (OTHER_EMBARGO.format(where.embargo_pointer),), never_false=True)
        return None

    def _atom(self, entry: Entry, atom: Path, where: Destination) -> Reading:
        """The reading for items in ``atom`` that are in none of its named sub-paragraphs."""
        certain: list[str] = []
        possible: list[str] = []
        for control in entry.controls:
            scope = control.reach(atom)
            if scope is Reach.NONE:
                continue
            reach = control.destinations.reach(where)
            if any(f.marks(control, entry.eccn, atom, where.code) for f in self._column_footnotes):
                reach = Reach.CERTAIN
            if scope is Reach.CERTAIN and reach is Reach.CERTAIN:
                certain.append(control.text)
            elif reach is not Reach.NONE:
                possible.append(control.text)
        if where.code == "IR":
            certain.extend(self._iran(entry, atom))
        for number, text in self._possible_footnotes.get(entry.eccn, []):
            if number in where.footnotes:
                possible.append(f"chart footnote {number}: {text}")
        for number, text in self._general_footnotes:
            if number in where.footnotes:
                possible.append(f"chart footnote {number}: {text}")
        if certain:
            return Reading(Verdict.REQUIRED, tuple(certain))
        if possible or entry.missing:
            because = tuple(possible) or (f"no row for {', '.join(entry.missing)}",)
            return Reading(Verdict.UNDECIDED, because, never_false=entry.rowless and bool(possible))
        return Reading(Verdict.NOT_REQUIRED, ("no control of the entry reaches this paragraph there",))

    def _iran(self, entry: Entry, atom: Path) -> list[str]:
        path = IRAN_ECCNS.get(entry.eccn)
        if path is not None and atom[: len(path)] == path:
            return [IRAN]
        for control in entry.controls:
            columns = {(c[:2], c[2:]) for c in control.destinations.columns}
            if control.reach(atom) is Reach.CERTAIN and columns & IRAN_COLUMNS:
                return [f"{IRAN}; {control.text}"]
        return []


def _paragraphs_elsewhere(row: dict[str, object], eccn: str) -> set[Path]:
    """Top-level paragraphs the entry has, as its item list (categories 1, 3, 4 and 5; not "[Reserved]") or its
    other texts (heading, related controls, licence exception notes) name them."""
    listed = row.get("topLevelParagraphs") or {}
    assert isinstance(listed, dict)
    found: set[Path] = {(str(key),) for key, text in listed.items() if "[Reserved]" not in str(text)}
    flags = row.get("licenceExceptionFlags") or {}
    assert isinstance(flags, dict)
    texts = [str(row.get(k) or "") for k in ("heading", "relatedControls", "staSpecialConditions")]
    for text in [*texts, *map(str, flags.values())]:
        found.update(r.path[:1] for r in references(text, eccn) if r.eccn == eccn and r.path)
    return {p for p in found if re.fullmatch(r"[a-z]", p[0])}


def _footnote_scope(element: str, eccn: str) -> Scope:
    """One element of footnote 10's list: "0A501 (except for 0A501.y)", "0A504.i", "0A505.a and .x", "0A506",
    "0A502 for shotguns with a barrel length less than 18 inches (45.72 cm)"."""
    rest = element[len(eccn) :].strip()
    if not rest:
        return Scope(Reach.CERTAIN)
    exception = re.fullmatch(r"\(except for (.*)\)", rest)
    if exception:
        return _entire_entry_except(exception[1], eccn)
    return _listed(element, eccn)


def _only_possible(rule: DestinationRule) -> DestinationRule:
    """Where a rule could reach, as a possibility only (for a reason whose own row is missing)."""
    everywhere = rule.all_except if rule.all_except is not None else rule.possible_all_except
    return DestinationRule(
        rule.text,
        possible_columns=rule.columns | rule.possible_columns,
        possible=rule.certain | rule.possible,
        possible_all_except=everywhere,
    )
