"""One name in several romanisations: the keys that make "Pao-tou" meet "Baotou", "Dmitrii" meet
"Dmitriy" and "Husayn" meet "Hussein".

A word gets a few *keys*, one per writing system family it may come from; two words that share a key
are read as the same name written in two systems. The tables are data (``data/<version>/``), loaded
with the lexicon:

- Chinese (``wade_giles.yaml``, ``tongyong.yaml``, ``chinese_regional.yaml``): a word that can be cut
  into syllables of Hanyu Pinyin, Wade-Giles or Tongyong Pinyin, or that is a Postal, Hong Kong or
  Singapore spelling, gets the pinyin it reads as, with the aspirated and plain initials merged (the
  apostrophe that tells Wade-Giles "p'ao" from "pao" is lost in ASCII): "paotou" and "baotou" share one.
- Cyrillic (``cyrillic.yaml``): ordered rewrite rules that give the spellings of one Russian or
  Ukrainian name one key.
- Arabic (``arabic.yaml``): a group key for the common given names, else a consonant key.

``explain`` says which table connects two words, for the hit's explanation.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from earcheck.screening.skeleton import Skeletons, load_skeletons

if TYPE_CHECKING:
    from earcheck.screening.algorithms import Algorithm

__all__ = ["Romanisation", "for_algorithm", "parse_romanisation"]

CHINESE, CYRILLIC, ARABIC = "zh", "ru", "ar"

# Initials that differ only by aspiration, which the apostrophe marks in Wade-Giles: merged.
_ASPIRATION = (("zh", "C"), ("ch", "C"), ("j", "C"), ("q", "C"), ("b", "P"), ("p", "P"), ("d", "T"),
               ("t", "T"), ("g", "K"), ("k", "K"), ("z", "Z"), ("c", "Z"))  # fmt: skip
_MAX_SYLLABLES = 6
_MAX_KEYS = 8


def _syllable_class(pinyin: str) -> str:
    for initial, symbol in _ASPIRATION:
        if pinyin.startswith(initial):
            return symbol + pinyin[len(initial) :]
    return pinyin


@dataclass(frozen=True, slots=True)
class _Rule:
    pattern: re.Pattern[str]
    replacement: str


@dataclass(frozen=True, eq=False)  # hashed by identity: the key cache is per table set
class Romanisation:
    """The romanisation tables of one lexicon version, ready to give keys."""

    syllables: Mapping[str, tuple[tuple[str, str], ...]]  # spelling -> (pinyin, table) readings
    longest_syllable: int
    chinese_words: Mapping[str, tuple[tuple[str, str], ...]]  # whole word -> (pinyin words, table)
    cyrillic: tuple[_Rule, ...]
    arabic_names: Mapping[str, str]  # spelling -> canonical spelling of its group
    arabic: tuple[_Rule, ...]
    arabic_min_key: int
    articles: frozenset[str]
    slavic_names: Mapping[str, str] = field(default_factory=dict)  # spelling -> Russian form of its group
    patronymic_endings: tuple[str, ...] = ()  # words.yaml ``patronymics``, longest first
    skeletons: Skeletons | None = None  # name-v5: consonant skeletons (``skeleton``), see ``for_algorithm``

    def keys(self, word: str) -> tuple[str, ...]:
        """The keys of a normalised word (lower case ASCII letters); none for a word with digits."""
        return _keys(self, word)

    def key_set(self, word: str) -> frozenset[str]:
        """``keys`` as a set: scoring compares the keys of many word pairs."""
        return _key_set(self, word)

    def explain(self, a: str, b: str) -> str | None:
        """Which tables make ``a`` and ``b`` one name ("wade-giles", "cyrillic", ...), or None."""
        shared = set(self.keys(a)) & set(self.keys(b))
        if not shared:
            return None
        families = {key.split(":", 1)[0] for key in shared}
        parts = []
        if CHINESE in families:
            tables = sorted({t for word in (a, b) for t in self._chinese_tables(word)} - {"pinyin"})
            parts.append("chinese romanisation (" + ", ".join(tables or ["pinyin"]) + ")")
        if CYRILLIC in families:
            parts.append("cyrillic romanisation")
        if ARABIC in families:
            parts.append("arabic name" if a in self.arabic_names or b in self.arabic_names else "arabic spelling")
        return f"{a} ~ {b}: " + "; ".join(parts)

    def _chinese_tables(self, word: str) -> set[str]:
        tables = {table for _, table in self.chinese_words.get(word, ())}
        for segmentation in _segmentations(self, word):
            for syllable in segmentation:
                tables.update(table for _, table in self.syllables.get(syllable, ()))
        return tables


def _segmentations(tables: Romanisation, word: str) -> list[tuple[str, ...]]:
    """Every way to cut ``word`` into known syllable spellings (at most a few)."""
    found: list[tuple[str, ...]] = []
    syllables = tables.syllables
    longest = tables.longest_syllable

    def walk(start: int, taken: tuple[str, ...]) -> None:
        if len(found) >= _MAX_KEYS:
            return
        if start == len(word):
            found.append(taken)
            return
        if len(taken) >= _MAX_SYLLABLES:
            return
        for end in range(min(len(word), start + longest), start, -1):
            piece = word[start:end]
            if piece in syllables:
                walk(end, (*taken, piece))

    walk(0, ())
    return found


@lru_cache(maxsize=1 << 17)
def _key_set(tables: Romanisation, word: str) -> frozenset[str]:
    return frozenset(_keys(tables, word))


@lru_cache(maxsize=1 << 17)
def _keys(tables: Romanisation, word: str) -> tuple[str, ...]:
    if not word.isalpha() or not word.isascii():
        return ()
    keys: list[str] = []
    readings: set[str] = set()
    for pinyin, _ in tables.chinese_words.get(word, ()):
        readings.add("".join(_syllable_class(s) for s in pinyin.split()))
    for segmentation in _segmentations(tables, word):
        partial = [""]
        for syllable in segmentation:
            classes = {_syllable_class(p) for p, _ in tables.syllables[syllable]}
            partial = [p + c for p in partial for c in sorted(classes)][:_MAX_KEYS]
        readings.update(partial)
    keys.extend(f"{CHINESE}:{r}" for r in sorted(readings)[:_MAX_KEYS])
    if len(word) >= 4:
        key = word
        for rule in tables.cyrillic:
            key = rule.pattern.sub(rule.replacement, key)
        keys.append(f"{CYRILLIC}:{key}")
        keys.extend(_slavic_keys(tables, word))
    group = tables.arabic_names.get(word)
    if group is not None:
        keys.append(f"{ARABIC}:={group}")
    elif len(word) >= 4:
        key = word
        for rule in tables.arabic:
            key = rule.pattern.sub(rule.replacement, key)
        if len(key) >= tables.arabic_min_key:
            keys.append(f"{ARABIC}:{key}")
    if tables.skeletons is not None and len(word) >= 4:
        keys.extend(tables.skeletons.keys(word))
    return tuple(keys)


@lru_cache(maxsize=8)
def _with_skeletons(tables: Romanisation, version: str) -> Romanisation:
    return replace(tables, skeletons=load_skeletons(version))


def for_algorithm(tables: Romanisation | None, algo: Algorithm) -> Romanisation | None:
    """The tables as ``algo`` reads them: none before name-v2 (``variant_similarity`` 0); from name-v5
    on with its consonant skeletons (``Algorithm.skeleton_table``), one object per table set so that
    the key caches stay per algorithm."""
    if tables is None or algo.variant_similarity <= 0:
        return None
    return _with_skeletons(tables, algo.skeleton_table) if algo.skeleton_table else tables


def _slavic_keys(tables: Romanisation, word: str) -> list[str]:
    """A given name in its Russian, Ukrainian or Belarusian form (Aleksandr / Oleksandr): the group's
    key; a patronymic made from one (Vladimirovna / Volodymyrivna): the group's patronymic key."""
    group = tables.slavic_names.get(word)
    if group is not None:
        return [f"{CYRILLIC}:={group}"]
    for ending in tables.patronymic_endings:
        if word.endswith(ending):
            stem = tables.slavic_names.get(word[: -len(ending)])
            if stem is not None:
                return [f"{CYRILLIC}:={stem}+"]
    return []


# --- loading ---------------------------------------------------------------------------------------


class RomanisationError(ValueError):
    """A romanisation table is malformed (the lexicon loader names the file)."""


def _rules(doc: Any, file: str) -> tuple[_Rule, ...]:
    rules = doc.get("rules") if isinstance(doc, dict) else None
    if not isinstance(rules, list) or not rules:
        raise RomanisationError(f"{file}: expected a non-empty list under 'rules'")
    out = []
    for number, rule in enumerate(rules, 1):
        if not isinstance(rule, dict) or set(rule) != {"from", "to", "why"}:
            raise RomanisationError(f"{file}: rule {number} needs exactly the keys from, to, why")
        try:
            out.append(_Rule(re.compile(str(rule["from"])), str(rule["to"])))
        except re.error as error:
            raise RomanisationError(f"{file}: rule {number}: {error}") from None
    return tuple(out)


def _syllable_table(doc: Any, file: str, table: str, into: dict[str, list[tuple[str, str]]]) -> None:
    rows = doc.get("syllables") if isinstance(doc, dict) else None
    if not isinstance(rows, dict) or not rows:
        raise RomanisationError(f"{file}: expected a mapping under 'syllables'")
    for pinyin, spellings in rows.items():
        if not isinstance(spellings, list) or not all(isinstance(s, str) and s.isalpha() for s in spellings):
            raise RomanisationError(f"{file}: {pinyin!r}: expected a list of spellings")
        folded = str(pinyin).replace("v", "u")
        into.setdefault(folded, []).append((folded, "pinyin"))
        for spelling in spellings:
            if spelling != folded:
                into.setdefault(spelling, []).append((folded, table))


def _name_groups(doc: Mapping[str, Any], file: str) -> dict[str, str]:
    """A table's ``names``: groups of spellings of one name, each spelling -> the group's first."""
    names: dict[str, str] = {}
    for group in doc.get("names") or []:
        if not isinstance(group, list) or not group:
            raise RomanisationError(f"{file}: each name group is a non-empty list")
        for spelling in group:
            if str(spelling) in names and names[str(spelling)] != group[0]:
                raise RomanisationError(f"{file}: {spelling!r} is in two groups")
            names[str(spelling)] = str(group[0])
    return names


def parse_romanisation(docs: Mapping[str, Any]) -> Romanisation:
    """Build the tables from the parsed YAML documents, keyed by file name."""
    syllables: dict[str, list[tuple[str, str]]] = {}
    _syllable_table(docs["wade_giles.yaml"], "wade_giles.yaml", "wade-giles", syllables)
    _syllable_table(docs["tongyong.yaml"], "tongyong.yaml", "tongyong", syllables)
    words: dict[str, list[tuple[str, str]]] = {}
    regional = docs["chinese_regional.yaml"]
    if not isinstance(regional, dict):
        raise RomanisationError("chinese_regional.yaml: expected a mapping of sections")
    for section, body in regional.items():
        if not isinstance(body, dict) or not {"source", "label", "words"} <= set(body):
            raise RomanisationError(f"chinese_regional.yaml: {section}: needs source, label and words")
        table = section.replace("_", " ")
        for spelling, reading in (body["words"] or {}).items():
            for pinyin in str(reading).split("|"):
                if not all(p in syllables for p in pinyin.split()):
                    raise RomanisationError(f"chinese_regional.yaml: {spelling!r}: {pinyin!r} is not pinyin")
                words.setdefault(str(spelling), []).append((pinyin, table))
    arabic = docs["arabic.yaml"]
    names = _name_groups(arabic, "arabic.yaml")
    slavic = _name_groups(docs["cyrillic.yaml"], "cyrillic.yaml")
    words_doc = docs.get("words.yaml")
    endings = words_doc.get("patronymics") if isinstance(words_doc, dict) else None
    return Romanisation(
        syllables={k: tuple(dict.fromkeys(v)) for k, v in syllables.items()},
        longest_syllable=max(map(len, syllables)),
        chinese_words={k: tuple(v) for k, v in words.items()},
        cyrillic=_rules(docs["cyrillic.yaml"], "cyrillic.yaml"),
        arabic_names=names,
        arabic=_rules(arabic, "arabic.yaml"),
        arabic_min_key=int(arabic.get("min_key", 3)),
        articles=frozenset(str(a) for a in arabic.get("articles") or ()),
        slavic_names=slavic,
        patronymic_endings=tuple(sorted({str(e) for e in endings or ()}, key=len, reverse=True)),
    )


ROMANISATION_FILES: Sequence[str] = (
    "wade_giles.yaml",
    "tongyong.yaml",
    "chinese_regional.yaml",
    "cyrillic.yaml",
    "arabic.yaml",
)
