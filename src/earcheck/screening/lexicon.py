"""The word tables a name-matching algorithm uses, loaded from the YAML files in ``data/<version>/``.

The tables are data so that a compliance officer can review them: ``legal_forms.yaml`` (company types
across languages), ``words.yaml`` (abbreviations, generic words, stop words) and ``chinese.yaml``
(corporate words and places translated from Chinese, and the few companies whose English name no rule
can derive). A released algorithm names its table version and never changes it: a new table version
goes with a new algorithm version, so a result can always be reproduced.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from importlib import resources
from typing import Any

from rapidfuzz.distance import OSA

from earcheck.compiled import compiled
from earcheck.errors import DataError
from earcheck.screening.cross_script import CrossScriptError, CrossScriptName, parse_cross_script
from earcheck.screening.romanisation import ROMANISATION_FILES, Romanisation, RomanisationError, parse_romanisation

__all__ = ["DISTINCTIVE", "GENERIC", "PLACE", "STOP", "ChineseTerm", "Lexicon", "TermKind", "load_lexicon"]

_FILES = ("legal_forms.yaml", "words.yaml", "chinese.yaml")
# Versions from v2 on also carry romanisation tables (``earcheck.screening.romanisation``) and the
# cross-script table of listed Chinese organisations (``earcheck.screening.cross_script``).
_ROMANISED_FROM = 2
_ORDINALS_FROM = 3
_CROSS_SCRIPT = "cross_script.yaml"

DISTINCTIVE, GENERIC, PLACE, STOP = 0, 1, 2, 3
"""The kinds of word: full evidence, weak evidence (corporate vocabulary), a place, none at all."""
_FAMILIES = frozenset({"limited", "joint_stock", "corporation", "company", "partnership", "state"})


class TermKind(StrEnum):
    LEGAL = "legal"
    WORD = "word"
    PLACE = "place"
    NAME = "name"


@dataclass(frozen=True, slots=True)
class ChineseTerm:
    english: str  # the normaliser's words, space-separated ("" drops the term)
    kind: TermKind


@dataclass(frozen=True, slots=True)
class Lexicon:
    """One version of the tables, ready for lookups."""

    version: str
    digest: str  # sha256 over the files: part of every index cache key
    abbreviations: Mapping[str, str]
    generic: frozenset[str]
    places: frozenset[str]
    stop: frozenset[str]
    trailing_forms: Mapping[tuple[str, ...], str]  # words -> family, at the end of a name
    leading_forms: Mapping[tuple[str, ...], str]  # words -> family, at the start of a name
    longest_form: int
    chinese: Mapping[str, ChineseTerm]
    longest_chinese: int

    known_near: Mapping[str, tuple[tuple[str, str], ...]]  # deletion -> (table spelling, generic word)
    romanisation: Romanisation | None = None  # v2 on: the keys of one name in several romanisations
    simplify_han: bool = False  # v2 on: traditional Chinese characters are read as simplified first
    form_words: frozenset[str] = frozenset()  # every word of a company type ("joint", "stock", "ltd")
    # v2 on: Chinese-character names of listed organisations -> the listed names (cross_script_key)
    cross_script: Mapping[str, tuple[CrossScriptName, ...]] = field(default_factory=dict)
    patronymic_endings: tuple[str, ...] = ()  # v2 on: "ovich", "ovna", ... (words.yaml ``patronymics``)
    han_ordinals: bool = False  # v3 on: 第十四 in a Chinese name is written "14" (``chinese``)

    def patronymic(self, word: str) -> bool:
        """Does ``word`` read as an East Slavic patronymic ("Olegovich", "Volodymyrivna")?"""
        if not self.patronymic_endings or len(word) < _PATRONYMIC_LENGTH:
            return False
        return word.endswith(self.patronymic_endings)

    def kind(self, word: str) -> int:
        """``DISTINCTIVE``, ``GENERIC``, ``PLACE`` or ``STOP``."""
        if word in self.generic:
            return GENERIC
        if word in self.places:
            return PLACE
        return STOP if word in self.stop else DISTINCTIVE

    def known(self, word: str) -> bool:
        return word in self.generic or word in self.places or word in self.stop

    def vocabulary_word(self, word: str) -> bool:
        """Is ``word`` one of the tables' own words: generic, a place, a stop word, an abbreviation
        or a word of a company type?"""
        return self.known(word) or word in self.abbreviations or word in self.form_words

    def correct(self, word: str) -> str:
        """A word of five letters or more one edit from exactly one generic word (company types
        included, or a long form of one: "technologies") is that word misspelt ("Corpqration",
        "Qaritime"); any other word is itself."""
        if len(word) < _CORRECTED_LENGTH or self.known(word) or word in self.abbreviations:
            return word
        candidates: set[tuple[str, str]] = set(self.known_near.get(word, ()))
        for i in range(len(word)):
            candidates.update(self.known_near.get(word[:i] + word[i + 1 :], ()))
        # The deletion neighbourhood also pairs words two edits apart ("marti" / "smart"): check.
        found = {generic for spelling, generic in candidates if OSA.distance(word, spelling) <= 1}
        return found.pop() if len(found) == 1 else word


_CORRECTED_LENGTH = 5  # shorter words are too often other words one edit away
_PATRONYMIC_LENGTH = 7  # "Ilyich" is a patronymic, but so short a word is more often a name of its own


def _near_table(words: frozenset[str], abbreviations: Mapping[str, str]) -> dict[str, tuple[tuple[str, str], ...]]:
    """One-letter deletions (and the words themselves) of the generic words and of the long forms
    that abbreviate to them, each mapped to its (spelling, generic word) pairs."""
    near: dict[str, set[tuple[str, str]]] = {}
    sources = {w: w for w in words}
    sources.update({long: short for long, short in abbreviations.items() if short in words})
    for word, canonical in sources.items():
        if len(word) < _CORRECTED_LENGTH:
            continue
        for variant in {word[:i] + word[i + 1 :] for i in range(len(word))} | {word}:
            near.setdefault(variant, set()).add((word, canonical))
    return {variant: tuple(sorted(found)) for variant, found in near.items()}


def _fail(file: str, message: str) -> DataError:
    return DataError(f"screening table {file}: {message}")


def _words(text: Any, file: str, where: str) -> tuple[str, ...]:
    if not isinstance(text, str):
        raise _fail(file, f"{where}: expected a string, got {text!r}")
    words = tuple(text.split())
    if any(w != w.lower() for w in words):
        raise _fail(file, f"{where}: {text!r} must be written in lower case")
    return words


def _legal_forms(doc: Any, file: str) -> tuple[dict[tuple[str, ...], str], dict[tuple[str, ...], str]]:
    trailing: dict[tuple[str, ...], str] = {}
    leading: dict[tuple[str, ...], str] = {}
    forms = doc.get("forms") if isinstance(doc, dict) else None
    if not isinstance(forms, list):
        raise _fail(file, "expected a mapping with a list under 'forms'")
    for number, form in enumerate(forms, 1):
        if not isinstance(form, dict) or set(form) - {"family", "variants", "leading"}:
            raise _fail(file, f"form {number}: expected keys family, variants, leading")
        family = form.get("family")
        if family not in _FAMILIES:
            raise _fail(file, f"form {number}: unknown family {family!r}")
        target = leading if form.get("leading", False) else trailing
        variants = form.get("variants")
        if not isinstance(variants, list) or not variants:
            raise _fail(file, f"form {number}: 'variants' must be a non-empty list")
        for variant in variants:
            words = _words(variant, file, f"form {number}")
            if words in target and target[words] != family:
                raise _fail(file, f"{variant!r} is in two families: {target[words]} and {family}")
            target[words] = family
    return trailing, leading


def _word_tables(doc: Any, file: str) -> tuple[dict[str, str], frozenset[str], frozenset[str], frozenset[str]]:
    # v2's words.yaml adds ``patronymics`` (read by _patronymics).
    if not isinstance(doc, dict) or set(doc) - {"patronymics"} != {"abbreviations", "generic", "places", "stop"}:
        raise _fail(file, "expected the keys abbreviations, generic, places, stop")
    abbreviations: dict[str, str] = {}
    for short, long in (doc["abbreviations"] or {}).items():
        word = _words(str(short), file, "abbreviations")
        target = _words(long, file, f"abbreviation {short}")
        if len(word) != 1 or len(target) != 1:
            raise _fail(file, f"abbreviation {short!r}: one word on each side")
        abbreviations[word[0]] = target[0]
    generic = frozenset(w for item in doc["generic"] for w in _words(item, file, "generic"))
    places = frozenset(w for item in doc["places"] for w in _words(item, file, "places"))
    stop = frozenset(w for item in doc["stop"] for w in _words(item, file, "stop"))
    for listed in generic | places | stop:
        if listed in abbreviations:
            raise _fail(file, f"{listed!r} is abbreviated to {abbreviations[listed]!r}: list the target")
    for first, second in ((generic, places), (generic, stop), (places, stop)):
        if first & second:
            raise _fail(file, f"in two lists: {', '.join(sorted(first & second))}")
    return abbreviations, generic, places, stop


def _patronymics(doc: Any, file: str) -> tuple[str, ...]:
    endings = doc.get("patronymics") or []
    if not isinstance(endings, list):
        raise _fail(file, "'patronymics' must be a list of word endings")
    return tuple(sorted({w for item in endings for w in _words(item, file, "patronymics")}))


def _chinese(doc: Any, file: str) -> dict[str, ChineseTerm]:
    sections = {"legal": TermKind.LEGAL, "words": TermKind.WORD, "places": TermKind.PLACE}
    sections["names"] = TermKind.NAME
    if not isinstance(doc, dict) or set(doc) != set(sections):
        raise _fail(file, f"expected the keys {', '.join(sections)}")
    terms: dict[str, ChineseTerm] = {}
    for section, kind in sections.items():
        for number, item in enumerate(doc[section] or [], 1):
            allowed = {"zh", "en", "source"} if kind is TermKind.NAME else {"zh", "en"}
            if not isinstance(item, dict) or set(item) != allowed:
                raise _fail(file, f"{section} {number}: expected the keys {', '.join(sorted(allowed))}")
            english = " ".join(_words(item["en"], file, f"{section} {number}"))
            for chinese in item["zh"]:
                if not isinstance(chinese, str) or not chinese or chinese in terms:
                    raise _fail(file, f"{section} {number}: {chinese!r} is empty or listed twice")
                terms[chinese] = ChineseTerm(english, kind)
    return terms


@cache
def load_lexicon(version: str) -> Lexicon:
    """Load (once per process) the tables of ``version`` shipped in ``earcheck/screening/data`` (kept
    compiled between processes when the face allows it: ``earcheck.compiled``)."""
    folder = resources.files("earcheck.screening") / "data" / version
    digest = hashlib.sha256(version.encode())
    raws: dict[str, bytes] = {}
    romanised = version.startswith("v") and version[1:].isdigit() and int(version[1:]) >= _ROMANISED_FROM
    for file in (*_FILES, *ROMANISATION_FILES, _CROSS_SCRIPT) if romanised else _FILES:
        path = folder / file
        if not path.is_file():
            raise _fail(f"{version}/{file}", "missing from the package")
        raw = raws[file] = path.read_bytes()
        digest.update(file.encode() + b"\0" + raw)
    modules = (__name__, Romanisation.__module__, CrossScriptName.__module__)  # of the classes a Lexicon holds
    return compiled(f"lexicon-{version}", (digest.digest(),), modules, lambda: _parse(version, raws, romanised))


def _parse(version: str, raws: Mapping[str, bytes], romanised: bool) -> Lexicon:
    import yaml  # only when the tables are parsed, not when a compiled copy is read

    digest = hashlib.sha256(version.encode())
    docs: dict[str, Any] = {}
    for file, raw in raws.items():
        digest.update(file.encode() + b"\0" + raw)
        try:
            # libyaml's parser when there is one.
            docs[file] = yaml.load(raw, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        except yaml.YAMLError as error:
            raise _fail(f"{version}/{file}", f"not valid YAML: {error}") from error
    trailing, leading = _legal_forms(docs["legal_forms.yaml"], "legal_forms.yaml")
    abbreviations, generic, places, stop = _word_tables(docs["words.yaml"], "words.yaml")
    chinese = _chinese(docs["chinese.yaml"], "chinese.yaml")
    # The words of company types are corporate vocabulary wherever they stand: "Joint Stock Company"
    # in the middle of a name, or a type written first that only some forms recognise there.
    legal_words = {w for form in (*trailing, *leading) for w in form} - stop
    generic = generic | frozenset(legal_words - places)
    romanisation = None
    cross_script: dict[str, tuple[CrossScriptName, ...]] = {}
    if romanised:
        try:
            romanisation = parse_romanisation(docs)
        except RomanisationError as error:
            raise _fail(version, str(error)) from None
        try:
            cross_script = dict(parse_cross_script(docs[_CROSS_SCRIPT]))
        except CrossScriptError as error:
            raise _fail(f"{version}/{_CROSS_SCRIPT}", str(error)) from None
        # The Arabic article standing alone ("al-Quds", "el Sayed") weighs nothing, as "the" does.
        stop = stop | (romanisation.articles - generic - places)
    return Lexicon(
        version=version,
        digest=digest.hexdigest(),
        abbreviations=abbreviations,
        generic=generic,
        places=places,
        stop=stop,
        trailing_forms=trailing,
        leading_forms=leading,
        longest_form=max(len(w) for w in (*trailing, *leading)),
        chinese=chinese,
        longest_chinese=max(len(t) for t in chinese),
        known_near=_near_table(generic, abbreviations),
        romanisation=romanisation,
        simplify_han=romanised,
        form_words=frozenset(w for form in (*trailing, *leading) for w in form),
        cross_script=cross_script,
        patronymic_endings=_patronymics(docs["words.yaml"], "words.yaml"),
        han_ordinals=romanised and int(version[1:]) >= _ORDINALS_FROM,
    )
