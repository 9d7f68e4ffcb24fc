"""Where a control reaches: the Commerce Country Chart (15 CFR part 738, Supplement No. 1), its footnotes,
the Country Groups (15 CFR part 740, Supplement No. 1), and the destination prose of CCL rows.

Read from the raw snapshot files only (VD: eCFR 2026-07-23 as extracted by a third party). A text this
module cannot read says "possibly anywhere", never "nowhere".
"""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path

COLUMNS = (
    "CB1", "CB2", "CB3", "NP1", "NP2", "NS1", "NS2", "MT1", "RS1", "RS2", "FC1", "CC1", "CC2", "CC3", "AT1", "AT2",
)  # fmt: skip


class Reach(IntEnum):
    """How surely a control reaches a paragraph or a destination."""

    NONE = 0
    POSSIBLE = 1
    CERTAIN = 2


@dataclass(frozen=True)
class Destination:
    code: str
    name: str
    marks: frozenset[str]  # chart columns with an X
    footnotes: frozenset[str]
    embargo_pointer: str  # the Part 746 pointer that replaces the marks (Cuba, Iran, North Korea, Syria)
    groups: frozenset[str]  # Country Groups, e.g. {"D:1", "D:5"}


@dataclass(frozen=True)
class Chart:
    """The Country Chart, its footnotes and the Country Groups, as of the snapshot."""

    destinations: dict[str, Destination]
    footnotes: dict[str, str]

    @classmethod
    def load(cls, ear: Path) -> Chart:
        with (ear / "country_groups.csv").open(encoding="utf-8") as handle:
            groups = {
                row["code"]: frozenset(g for g, mark in row.items() if mark == "X" and g not in ("code", "name"))
                for row in csv.DictReader(handle)
            }
        destinations = {}
        with (ear / "country_chart.csv").open(encoding="utf-8") as handle:
            for row in csv.DictReader(handle):
                destinations[row["code"]] = Destination(
                    code=row["code"],
                    name=row["name"],
                    marks=frozenset(c for c in COLUMNS if row[c].strip() == "X"),
                    footnotes=frozenset(row["footnotes"].split()),
                    embargo_pointer=row["embargo_pointer"].strip(),
                    groups=groups.get(row["code"], frozenset()),
                )
        footnotes = json.loads((ear / "country_chart_footnotes.json").read_text(encoding="utf-8"))["footnotes"]
        return cls(destinations, dict(footnotes))

    def with_footnote(self, number: str) -> frozenset[str]:
        return frozenset(code for code, d in self.destinations.items() if number in d.footnotes)

    def in_groups(self, groups: list[str]) -> frozenset[str]:
        return frozenset(code for code, d in self.destinations.items() if d.groups & set(groups))

    def named(self, text: str) -> frozenset[str]:
        """Destinations named in prose ("China, Russia, or Venezuela", "Iraq or Pakistan", "North Korea")."""
        found = set()
        for code, d in self.destinations.items():
            names = {d.name}
            if ", " in d.name:  # the chart writes "Korea, North"; the CCL writes "North Korea"
                head, tail = d.name.split(", ", 1)
                names.add(f"{tail} {head}")
            if any(re.search(rf"\b{re.escape(n)}\b", text) for n in names):
                found.add(code)
        return frozenset(found)


@dataclass(frozen=True)
class DestinationRule:
    """The destinations one CCL row reaches, read from its Country Chart text."""

    text: str
    columns: frozenset[str] = frozenset()  # an X in one of these columns: licence required (738.4(a)(2))
    certain: frozenset[str] = frozenset()  # destinations named outright, or through Country Groups
    all_except: frozenset[str] | None = None  # "ALL destinations, except Canada"; frozenset() = all
    possible: frozenset[str] = frozenset()  # destinations the text may reach (a pointer we cannot read)
    possible_columns: frozenset[str] = frozenset()  # an X here may mean a licence (a reason without its row)
    possible_all_except: frozenset[str] | None = None  # text we cannot read: possibly anywhere but these

    def reach(self, destination: Destination) -> Reach:
        code = destination.code
        if code in self.certain or self.columns & destination.marks:
            return Reach.CERTAIN
        if self.all_except is not None and code not in self.all_except:
            return Reach.CERTAIN
        if self.possible_columns & destination.marks:
            return Reach.POSSIBLE
        if code in self.possible or (self.possible_all_except is not None and code not in self.possible_all_except):
            return Reach.POSSIBLE
        return Reach.NONE


_REQUIRED_TO = re.compile(r"(?:reexport|entry|items) to (.+?) (?:or transfer within|for anti-terrorism|for regional)")
_COLUMN = re.compile(r"\b([A-Z]{2}) Column (\d)\b")


def _groups(text: str) -> list[str]:
    return re.findall(r"[A-E]:\d", text)


def read_destinations(text: str, reason: str, chart: Chart) -> DestinationRule:
    """The destination rule of a row whose Country Chart text is ``text`` and whose reason is ``reason``.

    Readings, each from the quoted words of the 2026 CCL and chart (VD):
    - "NS Column 1" (or "Column 1." after "AT applies to entire entry"): an X in that column (738.4(a)(2));
      any other words next to the column ("RS Column 1, See § 742.6(a)(3) ...") may add destinations;
    - "A license is required for ALL destinations, except Canada" / "for all destinations" / "Worldwide
      control" / "To or within any destination worldwide": every destination (but the excepted ones);
    - "To or within Macau or a destination specified in Country Group D:5", "To or within the United Arab
      Emirates or destinations specified in Country Groups D:1, D:4, and D:5 ..., excluding any destination
      also specified in Country Groups A:5 or A:6": the destinations named outright, and the groups' members
      less the excluded groups' (the exclusion qualifies the groups: naming the UAE, itself in A:5, would
      otherwise say nothing);
    - "China, Russia, or Venezuela", "to Iraq or Pakistan", "to North Korea": those destinations;
    - "See § 746.1(b) for UN controls": destinations under United Nations sanctions; the chart marks them
      with footnote 1 ("See § 746.1(b) for United Nations Security Council Sanctions under the EAR"); we
      cannot read 746.1(b), so possibly there and nowhere else;
    - "See § 746.8 ...": 746.8 is the Russia and Belarus section (footnote 6); certainly there, nowhere else;
    - "CWC non-States Parties ..., except for Israel and Taiwan": Supplement No. 2 to part 745 is not in the
      snapshot, so possibly anywhere but Israel and Taiwan;
    - anything else ("Refer to § 742.15", "See § 742.6(a)(11)", "N/A."): possibly anywhere.
    """
    columns = {f"{r}{n}" for r, n in _COLUMN.findall(text)}
    bare = re.fullmatch(r"\s*Column (\d)\.?\s*", text)
    if bare:
        columns.add(f"{reason}{bare[1]}")
    if columns:
        own = {c for c in columns if c.startswith(reason)} or columns
        rest = re.sub(r"\bColumn \d\b", "", _COLUMN.sub("", text)).strip(" .,")
        rest = re.sub(rf"^{reason} applies to (?:the )?entire entry\.?", "", rest).strip(" .,")
        if rest:
            return DestinationRule(text, columns=frozenset(own), possible_all_except=frozenset())
        return DestinationRule(text, columns=frozenset(own))
    lower = text.lower()
    if "all destinations, except canada" in lower:
        return DestinationRule(text, all_except=frozenset({"CA"}))
    if re.search(r"required for all destinations|worldwide control|any destination worldwide", lower):
        return DestinationRule(text, all_except=frozenset())
    if text.startswith("To or within"):
        head, _, excluded = text.partition("excluding")
        named = chart.named(head.split("destination")[0])
        members = chart.in_groups(_groups(head)) - chart.in_groups(_groups(excluded))
        return DestinationRule(text, certain=named | members)
    if re.match(r"China, Russia,? or Venezuela", text):
        return DestinationRule(text, certain=chart.named(text.split("(")[0]))
    required_to = _REQUIRED_TO.search(text)
    if required_to and text.startswith("A license is required"):
        return DestinationRule(text, certain=chart.named(required_to[1]))
    if re.search(r"§ 7[46]\d\.1(?:\(b\))?(?: of the EAR)? for UN controls", text):
        return DestinationRule(text, possible=chart.with_footnote("1"))
    if text.startswith("See § 746.8"):
        return DestinationRule(text, certain=chart.with_footnote("6"))
    if "CWC non-States Parties" in text:
        excepted = re.search(r"except for (.+?)\.", text)
        return DestinationRule(text, possible_all_except=chart.named(excepted[1]) if excepted else frozenset())
    return DestinationRule(text, possible_all_except=frozenset())
