"""The grammar of the CCL's licence-requirement rows and of the Country Chart footnotes that name ECCNs.

A row reads "<reason> applies to <scope>" beside a Country Chart cell. The scope is the entire entry,
the entire entry except a list ("except: 9A610.b; parts and components controlled in 9A610.x if being
exported or reexported for use in an aircraft controlled in 9A610.b; and 9A610.y"), or clauses that
name paragraphs ("5A001.b (except .b.5), .c, .d", "1C351.d.15 and .16", "items controlled in
6A003.b.4.b that have a frame rate ..."). Words that qualify the paragraphs ("that meet or exceed the
parameters of 2B209", "if being exported ... for use in ...") become conditions: the case cannot state
them, so the control then *possibly* applies and the question quotes them. Words that are not bound to
paragraphs ("shotguns with a barrel length less than 18 inches") are a condition on the whole entry.

The cell is a chart column, every destination (but Canada), a named set ("To or within the United Arab
Emirates or destinations specified in Country Groups D:1, D:4, and D:5 ..., excluding any destination
also specified in Country Groups A:5 or A:6"), the UN embargoes of 746.1(b), or a Part 746 pointer.
What this grammar cannot read stays *prose* and counts as possibly applying; ``UNREAD`` lists those
texts and why, and the table test over the whole snapshot (tests/regulations/test_ccl_grammar.py)
keeps that list short and exact.

>>> [str(r) for r in parse_scope("1C351", "items controlled by 1C351.d.15 and .16").ranges()]
['d.15', 'd.16']
>>> parse_scope("5A001", "5A001.b (except .b.5), .c, .d").covers(("b", "5", "a"))
False
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from functools import lru_cache

from earcheck.regulations.ccl_controls import (
    ChartControl,
    Clause,
    Condition,
    ConditionKind,
    DestinationKind,
    DestinationRule,
    ParagraphRange,
    Scope,
    ScopeKind,
    Target,
)
from earcheck.tables import CclControl

__all__ = [
    "UNREAD",
    "UN_EMBARGOED",
    "footnote_controls",
    "parse_destination",
    "parse_scope",
    "purpose_domain",
    "read_row",
]

# 15 CFR 746.1(b)(2), text of early 2025 (VS-25, docs/research/ccl-reading.md): the destinations under
# UN arms embargoes, which a "UN" row reaches. The Country Chart marks them with footnote 1, but its
# row for the Central African Republic carries no footnote, so the list is read as well.
UN_EMBARGOED = frozenset({"CF", "CD", "ER", "IR", "IQ", "LB", "LY", "KP", "SO", "SD"})

# Rows that stay unknown, and why: each is a text whose rule lives outside the CCL and earcheck's data.
UNREAD: Mapping[str, str] = {
    "See § 742.6(a)(11)": "the destinations are in 742.6(a)(11), whose text earcheck does not hold",
    "proceed directly to part 754": "short supply controls: the licence requirements are in part 754",
    "N/A.": "the row names no destination (4A001's NP row: 'NP applies, unless a License Exception ...')",
    "no destination": "the extraction lost the Country Chart cell of this row",
}

_NAMED = {
    "Macau": "MO",
    "United Arab Emirates": "AE",
    "China": "CN",
    "Russia": "RU",
    "Venezuela": "VE",
    "North Korea": "KP",
    "Iran": "IR",
    "Iraq": "IQ",
    "Pakistan": "PK",
    "Canada": "CA",
    "Israel": "IL",
    "Taiwan": "TW",
    "Australia": "AU",
    "United Kingdom": "GB",
}
_COUNTRY = "|".join(_NAMED)
_ECCN = r"\d[A-EY]\d{3}"
_PATH = r"[a-z0-9]{1,4}(?:\.[a-z0-9]{1,4})*"
# A paragraph continuing a list: ".b.5", ".16", "b.5", "z.2.a", or a single letter before a separator.
_CONT_REF = (
    rf"(?:{_ECCN}\s?\.\s?{_PATH}|\.{_PATH}|[a-z](?:\.[a-z0-9]{{1,4}})+"
    r"|[a-z](?=\s*(?:[,;()]|$|\s(?:and|or|to|through|that|when|if|for|of|in|controlled)\b)))"
)
_SEP = r"(?P<sep>\s*,\s*(?:and|or|as well as)\s+|\s*,\s*|\s+(?:and|or)\s+|\s+(?P<range>to|through)\s+)"
_CONT = re.compile(rf"{_SEP}(?P<ref>{_CONT_REF})(?![\w])")
_START = re.compile(
    rf"(?<![\w.])(?P<eccn>{_ECCN})(?:\s?\.\s?(?P<path>{_PATH}))?(?![\w])"
    rf"|(?<![\w])paragraphs?\s+(?P<para>\.?{_PATH})(?![\w])"
)
_STRAY = re.compile(
    r"(?<![\w.§¤])(?:\.[a-z](?:\.[a-z0-9]+)*|[a-z]\.\d[\w.]*)(?![\w])"
    r"|(?:^|,\s*|\s(?:and|or)\s+)[a-z](?=\s*[,(;]|\s+(?:and|or)\b|$)"
)
_INTRO = re.compile(
    r"(?:,\s*)?\b(?:that|which|when|if|having|for|with|except|EXCEPT|meeting|usable|being|capable|"
    r"in the form|regardless|designed|required|as described|other than)\b"
)
_BINDING = re.compile(r"(?:\b(?:in|by|under|of|to)|^)\s*$")
_NOISE = re.compile(
    r"^(?:\s|,|\"|\.|§|items?|all|those|the|controlled|specified|described|by|in|under|of|to|this|entry|"
    r"paragraphs?|only|and|or|commodities|software|technology|equipment|ECCNs?|as well as|regardless of "
    r"end[- ]users?|regardless of end[- ]uses?)*$",
    re.I,
)


def _normalise(text: str) -> str:
    text = " ".join(text.replace("“", '"').replace("”", '"').replace("’", "'").split())
    text = re.sub(rf"({_ECCN})\s?\.\s+([a-z])", r"\1.\2", text)  # "8A620. b" -> "8A620.b"
    text = re.sub(r"(\.[a-z]{1,2})\.\s+(\d)", r"\1.\2", text)  # "3A001.z. 1.b" -> "3A001.z.1.b"
    text = re.sub(r"(?<=[a-z0-9])\.(?=,)", "", text)  # "b.9., b.10" -> "b.9, b.10"
    return text.replace(" .and ", " and ")


def _top_level(text: str, pattern: re.Pattern[str]) -> list[tuple[int, int]]:
    """Spans where ``pattern`` matches outside parentheses and quotes."""
    depth, quoted, spans = 0, False, []
    outside = [False] * (len(text) + 1)
    for i, char in enumerate(text):
        outside[i] = depth == 0 and not quoted
        depth += (char == "(") - (char == ")") if not quoted else 0
        quoted = quoted != (char == '"')
    for match in pattern.finditer(text):
        if outside[match.start()]:
            spans.append(match.span())
    return spans


def _split(text: str, pattern: re.Pattern[str]) -> list[str]:
    parts, last = [], 0
    for start, end in _top_level(text, pattern):
        parts.append(text[last:start])
        last = end
    parts.append(text[last:])
    return [p.strip(" ,") for p in parts if p.strip(" ,")]


# --- paragraph lists ------------------------------------------------------------------------------


@dataclass(slots=True)
class _List:
    start: int
    end: int
    eccn: str | None  # None: a list of this entry's paragraphs without the ECCN ("paragraphs .a and .x")
    ranges: list[ParagraphRange]
    exceptions: list[str]
    whole: bool = False  # the ECCN alone, no paragraph: the entire entry
    sound: bool = True


def _path(text: str) -> tuple[str, ...]:
    return tuple(p for p in re.sub(r"\s", "", text).strip(".").lower().split(".") if p)


def _resolve(ref: str, previous: tuple[str, ...] | None) -> tuple[str, ...] | None:
    """A continuation ref as a full paragraph: ".16" after "d.15" is d.16; ".b.5" and "b.5" are b.5."""
    ref = re.sub(rf"^{_ECCN}\s?", "", ref.strip())
    parts = _path(ref)
    if not parts:
        return None
    if ref.startswith(".") and parts[0].isdigit():
        if not previous or not previous[-1].isdigit():
            return None
        return (*previous[:-1], *parts)
    return parts


def _lists(text: str, code: str, leading_own: bool) -> list[_List]:
    """Every paragraph list in ``text``: the entry's own (``eccn`` is ``code`` or None) and others'."""
    found: list[_List] = []
    pos = 0
    lead = re.match(rf"^(?P<p>\.?{_PATH})(?![\w])", text) if leading_own else None
    starts = list(_START.finditer(text))
    if lead and re.fullmatch(r"\.?[a-z](?:\.[a-z0-9]{1,4})*", lead["p"]):
        starts.insert(0, lead)
    for start in starts:
        if start.start() < pos:
            continue
        if start.re is _START and start["eccn"]:
            eccn: str | None = start["eccn"]
            first = _path(start["path"]) if start["path"] else ()
        else:
            eccn, first = None, _path(start["para"] if start.re is _START else start["p"])
        item = _List(start.start(), start.end(), eccn, [], [], whole=not first)
        previous: tuple[str, ...] | None = first or None
        pending: tuple[str, ...] | None = first or None
        pos = start.end()
        while True:
            exception = re.match(r"\s*\((?P<x>(?:except|EXCEPT)\b(?:[^()]|\([^()]*\))*)\)", text[pos:])
            if exception:
                item.exceptions.append(re.sub(r"^(?:except|EXCEPT)\s*(?:for\s+)?", "", exception["x"]))
                pos += exception.end()
                continue
            cont = _CONT.match(text, pos)
            if cont is None:
                break
            ref = cont["ref"]
            other = re.match(rf"^({_ECCN})", ref)
            if other and other[1] != (eccn or code):
                break
            target = _resolve(ref, previous)
            if target is None:
                item.sound = False
                break
            if cont["range"] and pending is not None:
                if len(target) != len(pending) or target[:-1] != pending[:-1]:
                    item.sound = False
                    break
                item.ranges.append(ParagraphRange(pending[:-1], pending[-1], target[-1]))
                pending = None
            else:
                if pending is not None:
                    item.ranges.append(ParagraphRange(pending[:-1], pending[-1], pending[-1]))
                pending = target
            previous = target
            pos = cont.end()
        if pending is not None:
            item.ranges.append(ParagraphRange(pending[:-1], pending[-1], pending[-1]))
        item.end = pos
        found.append(item)
    return found


# --- scopes ---------------------------------------------------------------------------------------


def _condition(text: str) -> tuple[Condition, ...]:
    """The conditions in words that qualify a clause (none if they only restate it)."""
    text = re.sub(r"^(?:of|controlled by) this entry\b,?\s*", "", text.strip(" ,;.")).strip(" ,;.")
    text = re.sub(r"^\((?:refer to|see)\b[^()]*\)$", "", text, flags=re.I)
    if not text or _NOISE.match(text) or re.fullmatch(r"for items controlled for [A-Z]{2} reasons", text):
        return ()
    found: list[Condition] = []
    exported = re.search(r",?\s*when exported from (?P<w>.+?)(?=,|$)", text)
    if exported:
        found.append(_place(ConditionKind.EXPORTED_FROM, exported[0], exported["w"]))
        text = (text[: exported.start()] + text[exported.end() :]).strip(" ,")
    to = re.match(rf"^(?:except\s+)?to (?P<c>{_COUNTRY})\b", text)
    if to:
        found.append(Condition(ConditionKind.DESTINATION, to[0], frozenset({_NAMED[to["c"]]})))
        text = text[to.end() :].strip(" ,")
    if text and not _NOISE.match(text):
        targets = _purpose(text)
        kind = ConditionKind.PURPOSE if targets else ConditionKind.ITEM
        found.append(Condition(kind, text, targets=targets or ()))
    return tuple(found)


# --- what technology and software are for ---------------------------------------------------------

_FOR = re.compile(
    r'^"?(?:technology|software)"?(?:,?\s+"?(?:required|specially designed)"?)?\s+(?:for|in)\b(?P<what>[^0-9]*?)\b'
    r"(?:controlled|specified)\s+(?:by|in|under)\s+(?:ECCNs?\s+)?(?P<list>.+?)"
    r"(?:\s+for (?P<reason>[A-Z]{2}) [Rr]easons)?$",
    re.I,
)
_ITEM_SPLIT = re.compile(r",\s*(?:or|and)\s+|,\s*|\s+(?:or|and)\s+|(?<!to)(?<!through)\s+(?=\d[A-EY]\d{3}\b)")
_TARGET = re.compile(
    rf"^(?P<code>{_ECCN})(?P<path>(?:\.[a-z0-9]{{1,4}})*)(?:\s+(?:to|through)\s+(?P<to>{_ECCN}))?"
    r"(?:\s*\((?:except|EXCEPT)\s+(?:for\s+)?(?P<x>[^()]*)\))?$"
)
_GROUP = re.compile(r"^(?P<group>\d[A-EY])\.?\s*\((?:except|Except|EXCEPT)\s+(?:for\s+(?:ECCNs?\s+)?)?(?P<x>[^()]*)\)$")
_HEADING_NOTED = re.compile(r"^as (?:noted|specified) in the heading$")


def _purpose(text: str) -> tuple[Target, ...] | None:
    """The items a technology or software row is for ("“technology” for items controlled by 1A002,
    1B001 to 1B003, or 1C018 for NS reasons"), or None if the words say more than that."""
    found = _FOR.match(text.strip(" ."))
    if found is None or re.search(r"\b(?:and|or)\b.*\b(?:for|in)\b", found["what"]):
        return None
    targets = _target_list(found["list"], noted_in_heading=True)
    if targets is None:
        return None
    return tuple(replace(t, reason=found["reason"]) for t in targets)


def _target_list(text: str, noted_in_heading: bool) -> tuple[Target, ...] | None:
    targets: list[Target] = []
    previous: str | None = None
    for item in _split(text.strip(" ."), _ITEM_SPLIT):
        item = item.removeprefix("ECCNs ").removeprefix("ECCN ").strip()
        group = _GROUP.match(item)
        if group:
            if not (noted_in_heading and _HEADING_NOTED.match(group["x"].strip())):
                return None
            targets.append(Target(group["group"], Clause()))
            continue
        if re.fullmatch(r"\d[A-EY]", item):
            targets.append(Target(item, Clause()))
            continue
        bare = re.fullmatch(r"\.?[a-z](?:\.[a-z0-9]{1,4})*", item)
        if bare and previous:
            targets.append(Target(previous, Clause((_range(_path(item)),))))
            continue
        target = _TARGET.match(item)
        if target is None:
            return None
        previous = target["code"]
        path = _path(target["path"]) if target["path"] else ()
        clause = Clause((_range(path),)) if path else Clause()
        excepted = (target["x"] or "").strip()
        if excepted and not (noted_in_heading and _HEADING_NOTED.match(excepted)):
            lists = [i for i in _lists(excepted, previous, False) if i.eccn == previous and not i.whole]
            if not lists or any(not i.sound for i in lists):
                return None
            clause = replace(clause, exceptions=tuple(Clause(tuple(i.ranges)) for i in lists))
        targets.append(Target(previous, clause, code_to=target["to"]))
    return tuple(targets) if targets else None


def _range(path: tuple[str, ...]) -> ParagraphRange:
    return ParagraphRange(path[:-1], path[-1], path[-1])


_HEADING_FOR = re.compile(
    r"\b(?:controlled|specified)\s+(?:by|in)\s+(?:ECCNs?\s+)?(?P<list>.+?)\.?\s*"
    r"(?:\(see List of Items Controlled\)\.?)?$",
    re.I,
)


def purpose_domain(heading: str, codes: frozenset[str]) -> tuple[Target, ...] | None:
    """What a technology or software entry can be for, from its heading ("“Technology” ... for the
    “development” or “production” of commodities controlled by 3A (except 3A069, ...), 3B (except
    3B001.a.4, c, ...) or 3C (except ...)"), as targets over the entries ``codes`` of the CCL. None
    when the heading does not bound it ("as follows", "other than ...")."""
    clean = _normalise(heading)
    if re.search(r"as follows|other than|not specified in|n\.e\.s\.|not controlled by", clean, re.I):
        return None
    found = _HEADING_FOR.search(clean)
    if found is None or not re.match(r'^"?(?:technology|software)"?', clean, re.I):
        return None
    domain: list[Target] = []
    for item in _split(
        found["list"],
        re.compile(r",\s*(?:or|and)\s+(?=\d)|,\s*(?=\d)|\s+(?:or|and)\s+(?=\d)|(?<!to)\s+(?=\d[A-EY]\d{3}\b)"),
    ):
        item = re.sub(r"^ECCNs?\s+", "", item).strip()
        group = re.match(
            r"^(?P<g>\d[A-EY])\.?\s*(?:\((?:except|Except|EXCEPT)\s+(?:for\s+(?:ECCNs?\s+)?)?(?P<x>.*)\))?$", item
        )
        if group:
            domain.extend(_group_domain(group["g"], group["x"] or "", codes))
            continue
        target = re.match(
            rf"^(?P<code>{_ECCN})(?P<path>(?:\.[a-z0-9]{{1,4}})*)(?:\s+to\s+(?P<to>{_ECCN}))?(?:\s*\(.*\))?$", item
        )
        if target is None:
            return None
        if target["to"]:
            domain.extend(Target(c, Clause()) for c in sorted(codes) if target["code"] <= c <= target["to"])
        elif target["path"]:
            domain.append(Target(target["code"], Clause((_range(_path(target["path"])),))))
        else:
            domain.append(Target(target["code"], Clause()))
    return tuple(domain) or None


def _group_domain(group: str, excepted: str, codes: frozenset[str]) -> list[Target]:
    """A product group of the heading, less its exceptions. A "600 series" or 9x515 entry has technology
    and software entries of its own (the order of review, Supplement No. 4 to part 774): left out (R)."""
    dropped: set[str] = set()
    partly: dict[str, list[ParagraphRange]] = {}
    for item in _lists(_normalise(excepted), "", False):
        if item.eccn is None:
            continue
        if item.whole:
            dropped.add(item.eccn)
        else:
            partly.setdefault(item.eccn, []).extend(item.ranges)
    for low, high in re.findall(rf"({_ECCN}) to ({_ECCN})", excepted):
        dropped.update(c for c in codes if low <= c <= high)
    kept = [c for c in sorted(codes) if c.startswith(group) and c not in dropped and c[2] != "6" and c[2:] != "515"]
    return [Target(c, Clause(exceptions=(Clause(tuple(partly[c])),)) if c in partly else Clause()) for c in kept]


def _place(kind: ConditionKind, text: str, where: str) -> Condition:
    countries = frozenset(code for name, code in _NAMED.items() if re.search(rf"\b{name}\b", where))
    return Condition(kind, text.strip(" ,"), countries, frozenset(re.findall(r"\b[ABDE]:\d\b", where)))


def _masked(text: str, lists: list[_List], code: str) -> str:
    """``text`` with the entry's own lists as "§" and other entries' lists as "¤", same length."""
    chars = list(text)
    for item in lists:
        mark = "§" if item.eccn in (None, code) else "¤"
        chars[item.start : item.end] = mark + " " * (item.end - item.start - 1)
    return "".join(chars)


def _bound(subject: str) -> bool:
    """True when every noun phrase of ``subject`` is tied to one of the entry's lists ("MMIC amplifiers
    in §1 and discrete microwave transistors in §2"), so that nothing outside the lists is described."""
    pieces = [" ".join(p.split()) for p in subject.split("§")]
    if len(pieces) < 2:
        return False
    head, *middle, tail = pieces
    if head and not _BINDING.search(head):
        return False
    for piece in middle:
        joined = re.fullmatch(r",?\s*(?:(?:and|or|as well as)\s+)?(?:to\s+)?(?P<np>.*)", piece)
        np = joined["np"] if joined else piece
        if np and not _BINDING.search(np):
            return False
    # After the last list: words that restrict it ("“software” “specially designed”"), never another
    # noun phrase joined on ("... and shotguns").
    return not re.match(r"^,?\s*(?:and|or)\b", tail)


def _strip_parens(text: str) -> str:
    return re.sub(r"\([^()]*\)|\"[^\"]*\"", "", text)


def _segment(code: str, text: str, leading_own: bool = False) -> Clause:
    """One clause of a scope, or one item of an exception list."""
    text = re.sub(rf"^(?:\(\d+\)\s*|(?:and|or|AND|OR)\s+|to\s+(?!(?:{_COUNTRY})\b)|:\s*)+", "", text.strip(" ,;:."))
    text = text.strip(" ,;:.")
    lists = _lists(text, code, leading_own)
    own = [item for item in lists if item.eccn in (None, code)]
    if not own:
        return Clause(conditions=_condition(text))
    masked = _masked(text, lists, code)
    if any(not item.sound for item in own) or _STRAY.search(_strip_parens(masked).replace('"', "")):
        return Clause(conditions=(Condition(ConditionKind.ITEM, text),))
    if len(own) == 1 and own[0].whole and own[0].start == 0:
        # An ECCN named alone (a chart footnote's "0A501 (except for 0A501.y)"): the entire entry.
        qualifier, excepted = _unless(text[own[0].end :])
        exceptions = _exceptions(code, [*own[0].exceptions, *excepted])
        return Clause(conditions=_condition(qualifier), exceptions=exceptions)
    first = masked.index("§")
    intro = next((start for start, _ in _top_level(masked, _INTRO) if start > first), len(masked))
    if not _bound(masked[:intro]):
        return Clause(conditions=(Condition(ConditionKind.ITEM, text),))
    rest = max(item.end for item in own if item.start < intro)
    spans = _top_level(text[rest:], _EXCEPT)
    except_at = rest + spans[0][0] if spans else len(text)
    # Lists in the qualifying words are part of the condition when a preposition ties them to it
    # ("for use in an aircraft controlled in 9A610.b"); one joined on ("..., and 0A509.d") may be
    # covered too, so it stays in the clause (on the condition: possibly, never certainly).
    ranges = tuple(
        r
        for item in own
        if not item.whole
        and (item.start < intro or (item.start < except_at and not _BINDING.search(masked[: item.start])))
        for r in item.ranges
    )
    exceptions = _exceptions(
        code,
        [
            *(x for item in own if item.start < except_at for x in item.exceptions),
            *([text[rest + spans[0][1] :]] if spans else []),
        ],
    )
    return Clause(ranges, _condition(text[rest:except_at]), exceptions)


_EXCEPT = re.compile(r",?\s*\bexcept\b(?:\s+for)?\s*:?\s*", re.I)


def _unless(words: str) -> tuple[str, list[str]]:
    """Split qualifying words at a top-level "except": what restricts the clause, and what it excepts."""
    spans = _top_level(words, _EXCEPT)
    if not spans:
        return words, []
    return words[: spans[0][0]], [words[spans[0][1] :]]


def _exceptions(code: str, texts: list[str]) -> tuple[Clause, ...]:
    clauses: list[Clause] = []
    for text in texts:
        for piece in _split(text, re.compile(r";")):
            clauses.append(_segment(code, piece, leading_own=True))
    return tuple(clauses)


_CLAUSE_BREAK = re.compile(r";|,?\s+(?:and|or|AND|OR)\s+to\s+")
_EXCEPT_ALL = re.compile(r",?\s*\bexcept(?:\s+for)?\s*:?\s*", re.I)


def parse_scope(code: str, text: str) -> Scope:
    """Which paragraphs of entry ``code`` the scope words of a row cover."""
    clean = _normalise(text).strip(" .")
    clean = re.sub(r"^(?:to\s+|:\s*)", "", clean)
    entire = re.match(r"^(?:the\s+)?entire\s+entry\b(?P<rest>.*)$", clean, re.I)
    if entire:
        rest = entire["rest"].strip(" ,.")
        if not rest:
            return Scope(ScopeKind.ALL, text)
        exc = _EXCEPT_ALL.match(rest)
        if exc:
            clause = Clause(exceptions=_exceptions(code, [rest[exc.end() :]]))
        else:
            clause = Clause(conditions=_condition(rest))
        return Scope(_kind((clause,)), text, (clause,))
    head, excepted = clean, ""
    colon = _top_level(clean, re.compile(r",?\s+EXCEPT:\s*|,\s*except:\s*"))
    if colon:
        head, excepted = clean[: colon[0][0]], clean[colon[0][1] :]
    clauses = tuple(_segment(code, part, leading_own=i == 0) for i, part in enumerate(_split(head, _CLAUSE_BREAK)))
    if excepted and clauses:
        last = clauses[-1]
        clauses = (*clauses[:-1], replace(last, exceptions=(*last.exceptions, *_exceptions(code, [excepted]))))
    if not clauses:
        return Scope(ScopeKind.PROSE, text)
    return Scope(_kind(clauses), text, clauses)


def _kind(clauses: tuple[Clause, ...]) -> ScopeKind:
    if any(any(True for _ in c.all_conditions()) for c in clauses):
        return ScopeKind.CONDITIONAL
    if all(not c.paragraphs for c in clauses):
        return ScopeKind.ALL
    return ScopeKind.PARAGRAPHS


# --- destinations ---------------------------------------------------------------------------------

_COLUMN = re.compile(r"^(?:(?P<reason>[A-Z]{2})\s+)?Column\s+(?P<n>[123])\b")


def _groups(text: str) -> frozenset[str]:
    return frozenset(re.findall(r"\b[ABDE]:\d\b", text))


def _named(text: str) -> frozenset[str]:
    return frozenset(code for name, code in _NAMED.items() if re.search(rf"\b{name}\b", text))


def parse_destination(text: str, reason: str = "", code: str = "") -> tuple[DestinationRule, Scope | None]:
    """Where a row requires a licence, and any narrowing of its scope the cell adds ("for items
    controlled by paragraph .c of this entry", "other than 2B999.h.2")."""
    clean = _normalise(text).strip()
    column = _COLUMN.match(clean)
    if column and (column["reason"] or reason):
        col = f"{column['reason'] or reason}{column['n']}"
        return DestinationRule(DestinationKind.COLUMN, clean, column=col), None
    if re.search(r"\b(?:746\.1|764\.1)(?:\(b\))?(?: of the EAR)? for UN controls", clean):
        return DestinationRule(DestinationKind.UN, clean, countries=UN_EMBARGOED), None
    if "CWC" in clean and "not listed in Supplement No. 2 to part 745" in clean:
        excepted = re.search(r"except for (?P<x>[^.]+)", clean)
        return DestinationRule(
            DestinationKind.CWC_NON_PARTY, clean, except_countries=_named(excepted["x"]) if excepted else frozenset()
        ), None
    within = bool(re.search(r"\bwithin\b", clean))
    if re.match(r"^(?:Worldwide\b|To or within any destination worldwide)", clean, re.I):
        return DestinationRule(DestinationKind.SET, clean, worldwide=True, within=within), None
    everywhere = re.match(
        r"^A license is required,? (?:for [A-Z]{2} reasons,? )?for (?:ALL|all) destinations\b(?P<rest>[^.]*)", clean
    )
    if everywhere:
        excepted = re.match(r",\s*except (?P<x>[A-Z][\w ]+?)(?:,|$)", everywhere["rest"])
        return DestinationRule(
            DestinationKind.SET,
            clean,
            worldwide=True,
            except_countries=_named(excepted["x"]) if excepted else frozenset(),
        ), None
    if re.search(r"^Refer to § 742\.15\b", clean):
        # 742.15(a): EI-controlled items need a licence to all destinations except Canada (R).
        return DestinationRule(DestinationKind.SET, clean, worldwide=True, except_countries=frozenset({"CA"})), None
    if re.search(r"^See § 742\.14\b", clean):
        # 742.14(a): "Licenses are required for all destinations, except Canada, for ECCNs having an
        # 'SI' under the 'Reason for Control' paragraph" (VS, 2004 text; unchanged since, R).
        return DestinationRule(DestinationKind.SET, clean, worldwide=True, except_countries=frozenset({"CA"})), None
    if re.search(r"^See § 746\.8\b", clean):
        # 746.8(a)(1): a licence for every item on the CCL to Russia and Belarus.
        return DestinationRule(DestinationKind.SET, clean, countries=frozenset({"RU", "BY"})), None
    if re.match(r"^To or within ", clean) or re.match(rf"^(?:{_COUNTRY}),", clean):
        main, _, excluded = clean.partition("excluding any destination also specified in")
        return DestinationRule(
            DestinationKind.SET,
            clean,
            countries=_named(main),
            groups=_groups(main),
            except_groups=_groups(excluded),
            within=within,
        ), None
    grouped = re.match(
        r"^A license is required,? (?:for [A-Z]{2} reasons,? )?to export or reexport items controlled by "
        rf"{_ECCN} to a country in Country Groups? (?P<g>[ABDE]:\d(?:(?:,| and| or) [ABDE]:\d)*)",
        clean,
    )
    if grouped:
        return DestinationRule(DestinationKind.SET, clean, groups=_groups(grouped["g"])), None
    named = re.match(
        r"^A license is required for (?:(?P<items>items controlled by (?:paragraph (?P<para>\.[a-z]) of )?this entry"
        r"(?:, other than (?P<other>[^,]+),)?) |export or reexport of these items )(?:for export or reexport )?"
        r"to (?P<to>[A-Za-z ]+?)(?: (?:or|and) transfer within [A-Za-z ]+?)?(?: for [a-z -]+ reasons|\.|$)",
        clean,
    )
    if named:
        rule = DestinationRule(
            DestinationKind.SET, clean, countries=_named(named["to"]), within="transfer within" in clean
        )
        narrowing = None
        if named["para"] or named["other"]:
            paragraph = (
                (Clause((ParagraphRange((), named["para"][1:], named["para"][1:]),)),) if named["para"] else (Clause(),)
            )
            other = (_segment(code, named["other"], leading_own=True),) if named["other"] else ()
            narrowing = Scope(ScopeKind.PARAGRAPHS, clean, paragraph, other)
        return rule, narrowing
    return DestinationRule(DestinationKind.UNPARSED, clean), None


# --- rows -----------------------------------------------------------------------------------------

_REASON = re.compile(
    r"^(?P<reasons>[A-Z]{2}(?:\s+and\s+[A-Z]{2})*)\s+(?:also\s+|does\s+)?(?P<not>not\s+)?(?:applies|apply)\b(?P<rest>.*)$"
)
_RUSSIA = re.compile(r"^Russian industry sector sanctions?\s+(?:applies|apply)\b(?P<rest>.*)$", re.I)
_SENTENCE = re.compile(
    r"(?<=[.)])\s+(?=(?:[A-Z]{2}\s+(?:and\s+[A-Z]{2}\s+)?(?:also\s+|does\s+)?(?:not\s+)?appl|Note:|"
    r"A license is required|The Commerce Country Chart|Accordingly|See\s|\(See|\(But see))"
)
_ITAR = re.compile(r"subject to the ITAR|export licensing authority of the U\.S\. Department of State", re.I)


@dataclass(slots=True)
class _Draft:
    reason: str
    include: list[str]
    exclude: list[str]


def _unread(reason: str, code: str, row: CclControl, why: str) -> ChartControl:
    scope = Scope(ScopeKind.PROSE, row.control)
    return ChartControl(code, reason, scope, DestinationRule(DestinationKind.UNPARSED, why), row)


@lru_cache(maxsize=16384)
def read_row(code: str, row: CclControl) -> tuple[ChartControl, ...]:
    """The controls one licence-requirements row of entry ``code`` states (a merged row may state two)."""
    control = re.sub(r"^Country Chart\.\s*", "", _normalise(row.control))
    if _ITAR.search(control):
        itar = Scope(ScopeKind.ALL, row.control)
        return (ChartControl(code, "ITAR", itar, DestinationRule(DestinationKind.UNPARSED, row.control), row, True),)
    cell = _normalise(row.country_chart)
    if cell == control:
        cell = ""  # the extraction merged both cells into one: the destination is among the sentences
    drafts: list[_Draft] = []
    for sentence in _SENTENCE.split(control):
        sentence = sentence.strip().removeprefix("Note:").strip()
        if sentence.startswith("A license is required"):
            cell = cell or sentence
            continue
        for part in re.split(r"\s+(?=[A-Z]{2}\s+applies to\b)", sentence):
            part = re.sub(r"[;,]?\s*(?:\band|\bor)?\s*$", "", part)
            found = _RUSSIA.match(part) or _REASON.match(part)
            if found is None:
                continue  # "The Commerce Country Chart is not designed ...", "(But see ... exemptions)"
            names = ["RU"] if found.re is _RUSSIA else re.split(r"\s+and\s+", found["reasons"])
            scope = re.sub(r"^\s*to\b", "", found["rest"]).strip()
            negated = found.re is _REASON and bool(found["not"])
            for name in names:
                draft = next((d for d in drafts if d.reason == name), None)
                if draft is None and not negated:
                    drafts.append(_Draft(name, [scope], []))
                elif draft is not None:
                    (draft.exclude if negated else draft.include).append(scope)
    if not drafts:
        return (_unread("?", code, row, "the row states no reason for control"),)
    trailing = re.search(r"\s+(?P<col>(?:[A-Z]{2}\s+)?Column\s+[123])\.?$", drafts[-1].include[-1])
    if trailing and not cell:
        cell = trailing["col"]
        drafts[-1].include[-1] = drafts[-1].include[-1][: trailing.start()]
    columns = re.findall(r"\b([A-Z]{2})\s+Column\s+([123])\b", cell)
    if len(columns) == len(drafts) > 1:
        return tuple(_control(code, row, d, f"{c[0]} Column {c[1]}") for d, c in zip(drafts, columns, strict=True))
    return tuple(_control(code, row, draft, cell) for draft in drafts)


def _control(code: str, row: CclControl, draft: _Draft, cell: str) -> ChartControl:
    why = next((why for marker, why in UNREAD.items() if marker in cell), None)
    if not cell:
        why = UNREAD["no destination"]
    if re.match(r"^,", draft.include[0]) or not draft.include[0]:
        return _unread(draft.reason, code, row, UNREAD["N/A."])
    scopes = [parse_scope(code, text) for text in draft.include]
    include = tuple(c for s in scopes for c in s.include)
    exclude = tuple(c for text in draft.exclude for c in parse_scope(code, text).include)
    kinds = {s.kind for s in scopes}
    kind = ScopeKind.PROSE if ScopeKind.PROSE in kinds else _kind(include + exclude) if exclude else _kind(include)
    scope = Scope(kind, row.control, include, exclude)
    if why:
        return ChartControl(code, draft.reason, scope, DestinationRule(DestinationKind.UNPARSED, why), row)
    destination, narrowing = parse_destination(cell, draft.reason, code)
    if narrowing is not None:
        scope = Scope(scope.kind, scope.text, scope.include, scope.exclude + narrowing.exclude, narrowing.include)
    if draft.reason == "EI" and destination.kind is DestinationKind.UNPARSED and "742.15" in cell:
        destination = DestinationRule(DestinationKind.SET, cell, worldwide=True, except_countries=frozenset({"CA"}))
    return ChartControl(code, draft.reason, scope, destination, row)


# --- Country Chart footnotes ------------------------------------------------------------------------


@lru_cache(maxsize=1024)
def _footnote_rules(number: str, text: str) -> tuple[tuple[str, Scope, str], ...]:
    """(ECCN, scope, effect) for each ECCN a footnote names. Effect "required" (a licence is required
    to the footnote's destinations), a column such as "RS2" (that column counts as marked there), or
    "pointer" (special provisions earcheck does not hold: possibly required)."""
    clean = _normalise(text)
    listed = re.search(
        r"A license is required to these destinations for items in the following ECCNs:\s*(?P<l>.+)", clean
    )
    if listed:
        rules = []
        for item in _split(listed["l"].rstrip("."), re.compile(rf",\s+(?={_ECCN}\b)")):
            eccn = item[:5]
            rules.append((eccn, _footnote_scope(eccn, item), "required"))
        return tuple(rules)
    still = re.search(
        r"license is still required for items controlled under ECCNs (?P<l>.+?) for (?P<r>[A-Z]{2}) column (?P<n>\d)",
        clean,
        re.I,
    )
    if still:
        items = re.split(rf"\s*(?:,|\band\b)\s*(?={_ECCN})", still["l"])
        return tuple((i[:5], _footnote_scope(i[:5], i), f"{still['r']}{still['n']}") for i in items)
    if re.search(r"special provisions", clean):
        named = re.findall(rf"\bECCN ({_ECCN})\b", clean)
        if "thermal imaging cameras" in clean:
            named.append("6A003.b.4")  # the CCL's thermal imaging cameras (R: from the footnote's words)
        return tuple((n[:5], parse_scope(n[:5], n) if "." in n else Scope(ScopeKind.ALL, n), "pointer") for n in named)
    return ()


def _footnote_scope(eccn: str, item: str) -> Scope:
    rest = item[5:].strip()
    if rest.startswith("."):
        return parse_scope(eccn, item)
    clause = _segment(eccn, item)
    return Scope(_kind((clause,)), item, (clause,))


def footnote_controls(
    code: str, controls: tuple[ChartControl, ...], footnotes: Mapping[str, str]
) -> tuple[ChartControl, ...]:
    """Controls that the destination's Country Chart footnotes add for entry ``code``."""
    added: list[ChartControl] = []
    for number, text in footnotes.items():
        for eccn, scope, effect in _footnote_rules(number, text):
            if eccn != code:
                continue
            cell = CclControl(f"Country Chart footnote {number}: {text}", f"footnote {number}")
            where = DestinationRule(
                DestinationKind.FOOTNOTE, cell.country_chart, footnote=number, pointer=effect == "pointer"
            )
            if effect in ("required", "pointer"):
                added.append(ChartControl(code, f"FN{number}", scope, where, cell))
                continue
            for control in controls:
                if control.destination.kind is DestinationKind.COLUMN and control.destination.column == effect:
                    narrowed = Scope(
                        control.scope.kind, control.scope.text, control.scope.include, control.scope.exclude,
                        (*control.scope.within, *scope.include),
                    )  # fmt: skip
                    added.append(ChartControl(code, control.reason, narrowed, where, control.text))
    return tuple(added)
