"""The name index: every listed name and alias, normalised once, with the lookups that find the few
worth scoring for a screened name without comparing it to every name.

Blocking (how candidates are found) is by word: a listed name is a candidate when it shares a
distinctive word or place with the screened name, or a word one edit away (a deletion-neighbourhood
lookup), or a word with the same phonetic key, or (``name-v2``) a word with the same romanisation key
("paotou" / "baotou"), or a word written together on one side and apart on the other ("huawei" /
"hua wei"). Names made only of generic words and places are found through those words. Each
candidate gets an upper bound of the score it could reach; only those whose bound reaches the review
threshold are scored, best bound first.

The index is built from the entries of given list snapshots and saved as a *pack*
(``earcheck.screening.pack``) under ``$EARCHECK_HOME/screening/``, keyed by those snapshot ids, the
algorithm and its word tables: built once (at ``earcheck data import``), then memory-mapped, so that
opening it costs nothing and a single screening reads only the pages it needs. The pack also holds
the entries themselves, so screening from it needs no database. ``NameIndex.in_memory`` copies the
lookups into dictionaries for long batch runs, where a dictionary lookup is cheaper than a mapped one.
"""

from __future__ import annotations

import hashlib
import math
import struct
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, Generic, Protocol, TypeVar

from earcheck.lists import ListCode, ListEntry
from earcheck.screening.acronyms import acronym_key, acronym_table, screened_acronym, written_acronym
from earcheck.screening.algorithms import Algorithm, algorithm
from earcheck.screening.lexicon import DISTINCTIVE, GENERIC, PLACE, STOP, Lexicon, load_lexicon
from earcheck.screening.normalise import NormalName, listed_forms, normalise, unqualified_forms
from earcheck.screening.pack import Pack, PackWriter
from earcheck.screening.romanisation import Romanisation, for_algorithm
from earcheck.screening.scoring import (
    Coverage,
    WordSimilarity,
    address_words,
    coverage,
    join_filter,
    phonetic_key,
    word_credit,
)
from earcheck.screening.short_forms import given_name_short_forms

__all__ = ["FORMAT", "Candidate", "NameIndex", "QueryWords", "index_key", "load_or_build", "open_pack"]

FORMAT = 6
"""Version of the saved index layout; a saved index of another format is rebuilt (6: acronym keys)."""

EntryKey = tuple[str, int, str]  # (snapshot, line, list_id): finds an entry again after loading
Vocab = tuple[float, float, tuple[int, ...]]  # raw weight, weight, ids of the names using the word

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


class Lookup(Protocol[T_co]):
    def get(self, key: str, /) -> T_co | None: ...

    def __contains__(self, key: object, /) -> bool: ...


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _factor(kind: int, algo: Algorithm) -> float:
    if kind == GENERIC:
        return algo.generic_weight
    if kind == PLACE:
        return algo.place_weight
    return 0.0 if kind == STOP else 1.0


def _symbolic(words: Sequence[str]) -> bool:
    """A name of digits and single letters only ("1-P", "7 A"): no word of two letters or more."""
    return not any(sum(ch.isalpha() for ch in word) >= 2 for word in words)


@dataclass(frozen=True, slots=True)
class QueryWords:
    """A screened name ready for lookups: its words with their weights."""

    name: NormalName
    weights: tuple[float, ...]  # weak words discounted
    raw_weights: tuple[float, ...]  # rarity only: for names without distinctive words


@dataclass(frozen=True, slots=True)
class Candidate:
    """A listed name scored against the screened name (before any evidence)."""

    name_id: int
    entry: int  # position of the entry in the index's entry list
    listed: str  # the listed name or alias it comes from
    coverage: Coverage
    name_score: float
    words: tuple[str, ...] = ()  # the listed name's compared words
    acronym: bool = False  # name-v3: found only as the initials of the listed name (``acronyms``)


@dataclass(frozen=True, slots=True)
class NameRecord:
    listed: str
    words: tuple[str, ...]
    weak: tuple[bool, ...]
    weights: tuple[float, ...]
    legal: tuple[str, ...]
    symbolic: bool
    cost: float = 0.0  # taken off its score: a form the list did not write as such (name-v2)


@dataclass(frozen=True, slots=True)
class EntryFacts:
    """What the evidence features read of an entry."""

    countries: tuple[str, ...]
    addresses: tuple[tuple[str, ...], ...]
    individual: bool


K = TypeVar("K")

# What one word of a screened name reaches (``NameIndex._reach``).
_Reach = tuple[
    tuple[tuple[float, float, Sequence[int]], ...], tuple[tuple[float, tuple[tuple[int, float], ...]], ...], float
]
_PAIRS_KEPT = 1 << 18  # word-pair credits kept: a few tens of MB at most
_WORDS_KEPT = 1 << 16  # screened words' reaches kept


class _Bounded(Generic[K, T]):
    """A dictionary of at most ``size`` values, emptied when full: a batch of a million names keeps
    what its common words cost to work out without growing without end."""

    __slots__ = ("_size", "_values", "get")

    def __init__(self, size: int) -> None:
        self._size = size
        self._values: dict[K, T] = {}
        self.get = self._values.get

    def put(self, key: K, value: T) -> T:
        if len(self._values) >= self._size:
            self._values.clear()
        self._values[key] = value
        return value


class _Decoded(Generic[T]):
    """A mapped string table whose values are decoded on each lookup."""

    __slots__ = ("_decode", "_table")

    def __init__(self, table: Any, decode: Callable[[memoryview], T]) -> None:
        self._table = table
        self._decode = decode

    def get(self, key: str, /) -> T | None:
        raw = self._table.get_bytes(key)
        return None if raw is None else self._decode(raw)

    def __contains__(self, key: object, /) -> bool:
        return key in self._table

    def items(self) -> Iterator[tuple[str, T]]:
        for key, raw in self._table.items():
            yield key, self._decode(raw)


_WEIGHTS = struct.Struct("<dd")


def _encode_vocab(value: Vocab) -> bytes:
    return _WEIGHTS.pack(value[0], value[1]) + array("i", value[2]).tobytes()


def _numbers(code: str, raw: memoryview) -> array[Any]:
    # array(code, buffer) would read the buffer's bytes as numbers, one byte each: frombytes.
    numbers = array(code)
    numbers.frombytes(raw)
    return numbers


def _decode_vocab(raw: memoryview) -> Vocab:
    weights = _WEIGHTS.unpack_from(raw)
    return weights[0], weights[1], tuple(_numbers("i", raw[16:]))


def _decode_text(raw: memoryview) -> str:
    return bytes(raw).decode("utf-8")


def _decode_floats(raw: memoryview) -> tuple[float, ...]:
    return tuple(_numbers("d", raw))


def _entry_record(entry: ListEntry) -> tuple[Any, ...]:
    def day(value: date | None) -> int | None:
        return None if value is None else value.toordinal()

    return (
        entry.list_id, entry.list_code.value, entry.source, entry.name, entry.snapshot,
        entry.snapshot_date.toordinal(), entry.line, entry.aliases, entry.entity_type, entry.entity_number,
        entry.programs, entry.addresses, entry.countries, entry.federal_register, day(entry.start_date),
        day(entry.end_date), entry.license_requirement, entry.license_policy, entry.remarks, dict(entry.raw),
    )  # fmt: skip


def _entry_from(record: tuple[Any, ...]) -> ListEntry:
    def day(value: int | None) -> date | None:
        return None if value is None else date.fromordinal(value)

    (list_id, code, source, name, snapshot, snapshot_date, line, aliases, entity_type, entity_number, programs,
     addresses, countries, federal_register, start, end, requirement, policy, remarks, raw) = record  # fmt: skip
    return ListEntry(
        list_id=list_id, list_code=ListCode(code), source=source, name=name, snapshot=snapshot,
        snapshot_date=date.fromordinal(snapshot_date), line=line, aliases=tuple(aliases), entity_type=entity_type,
        entity_number=entity_number, programs=tuple(programs), addresses=tuple(addresses),
        countries=tuple(countries), federal_register=tuple(federal_register), start_date=day(start),
        end_date=day(end), license_requirement=requirement, license_policy=policy, remarks=remarks, raw=raw,
    )  # fmt: skip


class PackedEntries(Sequence[ListEntry]):
    """The entries stored in a pack, each read when first asked for."""

    def __init__(self, records: Sequence[Any]) -> None:
        self._records = records
        self._cache: dict[int, ListEntry] = {}

    def __len__(self) -> int:
        return len(self._records)

    def __getitem__(self, position: int) -> ListEntry:  # type: ignore[override]
        found = self._cache.get(position)
        if found is None:
            found = self._cache[position] = _entry_from(self._records[position])
        return found


class NameIndex:
    """Normalised listed names and the lookups over them. Build with ``build``; ``save`` as a pack and
    ``load`` it mapped."""

    def __init__(self, algorithm_name: str, lexicon_digest: str, snapshots: tuple[str, ...]) -> None:
        self.algorithm = algorithm_name
        self.lexicon_digest = lexicon_digest
        self.snapshots = snapshots
        self.unknown_weight = 1.0
        self.generic_words: frozenset[str] = frozenset()  # listed words that are generic (not looked up)
        self.entry_keys: Sequence[EntryKey] = []
        self.entry_facts: Sequence[EntryFacts] = []
        self.names: Sequence[NameRecord] = []
        self.name_entry: Sequence[int] = []
        self.name_total: Sequence[float] = []
        self.name_weak_total: Sequence[float] = []  # weight assumed found when bounding (weak words)
        self.name_strict: Sequence[int] = []
        self.name_short: Sequence[int] = []  # name-v3: 1 for a person's short form (``short_forms``)
        self.vocab: Lookup[Vocab] = {}
        self.joined: Lookup[Sequence[float]] = {}  # flat: name id, weight of the joined words, ...
        self.deletes: Lookup[str] = {}  # one-letter deletion -> the listed words, space-separated
        self.phonetic: Lookup[str] = {}  # phonetic key -> the listed words, space-separated
        self.variants: Lookup[str] = {}  # romanisation key -> listed words and joined spans
        self.acronyms: Lookup[str] = {}  # name-v3: initials of an organisation's name -> name ids
        self.stored_entries: Sequence[ListEntry] | None = None  # the entries, when loaded from a pack
        self._lexicon = load_lexicon(algorithm(algorithm_name).lexicon)
        # Word-pair credits and what each screened word reaches, kept between screenings (``_similarity``).
        self._join_filter: tuple[Algorithm, Callable[[str, str], bool] | None] | None = None
        self._credits: (
            tuple[Algorithm, _Bounded[tuple[str, str], float], _Bounded[tuple[str, bool, bool], _Reach]] | None
        ) = None

    @property
    def size(self) -> int:
        """How many distinct normalised names (names, aliases and their forms) are indexed."""
        return len(self.name_entry)

    @property
    def romanisation(self) -> Romanisation | None:
        algo = algorithm(self.algorithm)
        return for_algorithm(self._lexicon.romanisation, algo)

    # --- building -----------------------------------------------------------------------------

    @classmethod
    def build(cls, entries: Sequence[ListEntry], algorithm_name: str, snapshots: Sequence[str] = ()) -> NameIndex:
        """Normalise every name and alias of ``entries`` and build the lookups."""
        algo = algorithm(algorithm_name)
        lexicon = load_lexicon(algo.lexicon)
        index = cls(algo.name, lexicon.digest, tuple(sorted(set(snapshots) or {e.snapshot for e in entries})))
        index.entry_keys = [(e.snapshot, e.line, e.list_id) for e in entries]
        index.entry_facts = [
            EntryFacts(
                tuple(c.upper() for c in e.countries),
                tuple(tuple(sorted(address_words(a))) for a in e.addresses if a.strip()),
                (e.entity_type or "").strip().lower() == "individual",
            )
            for e in entries
        ]
        document_frequency: dict[str, int] = defaultdict(int)
        staged: list[tuple[int, str, NormalName, float, bool]] = []
        for position, entry in enumerate(entries):
            seen: set[tuple[tuple[str, ...], frozenset[str]]] = set()
            entry_words: set[str] = set()
            forms: list[tuple[str, str, float, bool]] = []
            for listed in entry.names:
                forms += [(listed, form, 0.0, False) for form in listed_forms(listed, lexicon)]
                if algo.place_form_cost > 0:
                    forms += [
                        (listed, form, algo.place_form_cost if places else algo.parenthesis_form_cost, False)
                        for form, places in unqualified_forms(listed, lexicon)
                    ]
            # name-v3: people's short forms after every name the list wrote, so that an alias written
            # so ("PULIDO VARGAS, Alvaro") stays a name as written.
            if algo.short_form_cap > 0 and index.entry_facts[position].individual:
                for listed in entry.names:
                    forms += [(listed, form, algo.short_form_cost, True) for form in given_name_short_forms(listed)]
            for listed, form, cost, short in forms:
                normal = normalise(form, lexicon, symbols=algo.symbolic_exact)
                key = (normal.words, normal.legal)
                if normal.empty or key in seen:
                    continue
                seen.add(key)
                entry_words.update(normal.words)
                staged.append((position, listed, normal, cost, short))
            for word in entry_words:
                document_frequency[word] += 1
        count = max(len(entries), 1)
        index.unknown_weight = 1.0 + math.log(count + 1)
        index.generic_words = frozenset(word for word in document_frequency if lexicon.kind(word) == GENERIC)
        raw_weight: dict[str, float] = {}
        word_weight: dict[str, float] = {}
        for word, df in document_frequency.items():
            raw = 1.0 + math.log((count + 1) / (df + 1))
            raw_weight[word] = raw
            word_weight[word] = raw * _factor(lexicon.kind(word), algo)
        postings: dict[str, list[int]] = {}
        joined: dict[str, list[float]] = {}
        names: list[NameRecord] = []
        name_entry: list[int] = []
        name_total: list[float] = []
        name_weak_total: list[float] = []
        name_strict: list[int] = []
        name_short: list[int] = []
        for position, listed, normal, cost, is_short in staged:
            name_id = len(names)
            strict = normal.strict
            weights = tuple(
                0.0 if kind == STOP else raw_weight[w] * (1.0 if strict else _factor(kind, algo))
                for w, kind in zip(normal.words, normal.kinds, strict=True)
            )
            names.append(
                NameRecord(
                    listed,
                    normal.words,
                    normal.weak,
                    weights,
                    tuple(sorted(normal.legal)),
                    _symbolic(normal.words),
                    cost,
                )
            )
            name_entry.append(position)
            name_total.append(sum(weights))
            name_weak_total.append(
                sum(w for w, k in zip(weights, normal.kinds, strict=True) if k == GENERIC) if not strict else 0.0
            )
            name_strict.append(int(strict))
            name_short.append(int(is_short))
            for word, kind in zip(normal.words, normal.kinds, strict=True):
                if kind != STOP and (strict or kind != GENERIC):
                    postings.setdefault(word, []).append(name_id)
            words = normal.words
            for start in range(len(words)):
                for end in range(start + 2, min(len(words), start + algo.max_join) + 1):
                    if strict or any(k in (DISTINCTIVE, PLACE) for k in normal.kinds[start:end]):
                        span = "".join(words[start:end])
                        joined.setdefault(span, []).extend((name_id, sum(weights[start:end])))
        deletes: dict[str, list[str]] = defaultdict(list)
        phonetic: dict[str, list[str]] = defaultdict(list)
        for word in word_weight:
            if len(word) >= algo.fuzzy_min_length and not any(ch.isdigit() for ch in word):
                for variant in _deletes(word):
                    deletes[variant].append(word)
                phonetic[phonetic_key(word)].append(word)
        variants: dict[str, list[str]] = defaultdict(list)
        romanisation = for_algorithm(lexicon.romanisation, algo)
        if romanisation is not None:
            for word in (*word_weight, *joined):
                for variant_key in romanisation.keys(word):
                    variants[variant_key].append(word)
        index.names, index.name_entry, index.name_total = names, name_entry, name_total
        index.name_weak_total, index.name_strict = name_weak_total, name_strict
        index.name_short = name_short if algo.short_form_cap > 0 else []
        index.vocab = {w: (raw_weight[w], word_weight[w], tuple(postings.get(w, ()))) for w in word_weight}
        index.joined = {k: tuple(v) for k, v in joined.items()}
        index.deletes = {k: " ".join(v) for k, v in deletes.items()}
        index.phonetic = {k: " ".join(v) for k, v in phonetic.items()}
        index.variants = {k: " ".join(dict.fromkeys(v)) for k, v in variants.items() if len(v) > 0}
        if algo.acronym_keys:  # names as the lists wrote them (no unwritten form), of organisations
            index.acronyms = acronym_table(
                (name_id, key)
                for name_id, record in enumerate(names)
                if record.cost == 0 and not index.entry_facts[name_entry[name_id]].individual
                for key in (acronym_key(record.words, record.weights), written_acronym(record.listed, lexicon.stop))
            )
        return index

    # --- searching ----------------------------------------------------------------------------

    def query(self, text: str, lexicon: Lexicon, algo: Algorithm) -> QueryWords:
        """Normalise a screened name and weigh its words as the listed words are weighed."""
        # A word the lists use is never read as a typo, however close to a generic word: a listed
        # name screened as written must find itself ("TRADOS", "INOVEST", "SEMICOR").
        name = normalise(text, lexicon, known=self.vocab, symbols=algo.symbolic_exact)
        vocab = self.vocab
        raw = []
        for word, kind in zip(name.words, name.kinds, strict=True):
            found = vocab.get(word)
            raw.append(0.0 if kind == STOP else (found[0] if found is not None else self.unknown_weight))
        weights = tuple(r * _factor(k, algo) for r, k in zip(raw, name.kinds, strict=True))
        return QueryWords(name, weights, tuple(raw))

    def _near(self, word: str) -> set[str]:
        """Listed words one edit away from ``word``, or sounding alike."""
        near: set[str] = set()
        listed = self.deletes.get(word)
        if listed:
            near.update(listed.split(" "))
        vocabulary = self.vocab
        for variant in _deletes(word):
            if variant in vocabulary:
                near.add(variant)
            listed = self.deletes.get(variant)
            if listed:
                near.update(listed.split(" "))
        listed = self.phonetic.get(phonetic_key(word))
        if listed:
            near.update(listed.split(" "))
        near.discard(word)
        return near

    def _romanised(self, word: str, romanisation: Romanisation) -> set[str]:
        """Listed words and joined spans that a romanisation table reads as ``word``."""
        found: set[str] = set()
        for key in romanisation.keys(word):
            listed = self.variants.get(key)
            if listed:
                found.update(listed.split(" "))
        found.discard(word)
        return found

    def _similarity(self, algo: Algorithm) -> WordSimilarity:
        """The credit of a pairing of a screened word with a listed word, ``word_credit`` but for two
        different words of the generic table (name-v2), which are two words, not one misspelt. Kept
        between screenings: in a batch the same words meet the same listed words again and again."""
        cached = self._credits
        if cached is None or cached[0] is not algo:
            cached = self._credits = (algo, _Bounded(_PAIRS_KEPT), _Bounded(_WORDS_KEPT))
        credits = cached[1]
        romanisation = self.romanisation
        table_words = self._lexicon.generic if algo.generic_words_distinct else frozenset()

        def similarity(a: str, b: str) -> float:
            key = (a, b)
            value = credits.get(key)
            if value is None:
                distinct = a != b and a in table_words and b in table_words
                value = credits.put(key, 0.0 if distinct else word_credit(a, b, algo, romanisation))
            return value

        return similarity

    def _joinable(self, algo: Algorithm) -> Callable[[str, str], bool] | None:
        kept = self._join_filter
        if kept is None or kept[0] is not algo:
            kept = self._join_filter = (algo, join_filter(algo, self.romanisation))
        return kept[1]

    def _reaches(self, algo: Algorithm) -> _Bounded[tuple[str, bool, bool], _Reach]:
        self._similarity(algo)  # the caches belong to one algorithm
        assert self._credits is not None
        return self._credits[2]

    def _reach(self, word: str, is_word: bool, symbolic_query: bool, algo: Algorithm) -> _Reach:
        """What one word (or joined span, ``is_word`` False) of a screened name reaches: the listed words
        it meets, each with its weight times the credit, the credit and the names using it; the joined
        spans of listed names it meets, with the credit and each name's weight of the span times it; and
        the best credit it has with a listed generic word. It depends on the word alone, so it is worked
        out once per word and kept (``candidates`` adds it up in the order it was found)."""
        similarity = self._similarity(algo)
        romanisation = self.romanisation
        vocabulary = self.vocab
        credit: dict[str, float] = {}
        joined_credit: dict[str, float] = {}
        if word in vocabulary:
            credit[word] = 1.0
        if is_word and len(word) >= algo.fuzzy_min_length - 1 and not symbolic_query:
            for near in self._near(word):
                value = similarity(word, near)
                if value > 0:
                    credit[near] = value
        if romanisation is not None and not symbolic_query:
            for other in self._romanised(word, romanisation):
                value = similarity(word, other)
                if value <= 0:
                    continue
                if other in vocabulary:
                    credit[other] = max(credit.get(other, 0.0), value)
                elif value >= algo.join_floor:
                    joined_credit[other] = value
        generic_words = self.generic_words
        generic_credit = max((v for w, v in credit.items() if w in generic_words), default=0.0)
        listed: list[tuple[float, float, Sequence[int]]] = []
        for listed_word, value in credit.items():
            found = vocabulary.get(listed_word)
            if found is not None:
                listed.append((found[0] * value, value, found[2]))
        if is_word:
            joined_credit[word] = 1.0
        joined: list[tuple[float, tuple[tuple[int, float], ...]]] = []
        for span, value in joined_credit.items():
            flat = self.joined.get(span) or ()
            pairs = tuple((int(flat[k]), flat[k + 1] * value) for k in range(0, len(flat), 2))
            joined.append((value, pairs))
        return tuple(listed), tuple(joined), generic_credit

    def acronym_candidates(self, text: str, algo: Algorithm, limit: int) -> list[Candidate]:
        """name-v3: the listed names whose initials a screened name written as an acronym spells
        ("IRGC"), each scored ``acronym_score`` (see ``earcheck.screening.acronyms``); at most ``limit``."""
        if not algo.acronym_keys:
            return []
        key = screened_acronym(text)
        listed = self.acronyms.get(key) if key is not None else None
        if not listed:
            return []
        found = []
        for name_id in map(int, listed.split(" ")[:limit]):
            record = self.names[name_id]
            found.append(
                Candidate(
                    name_id,
                    self.name_entry[name_id],
                    record.listed,
                    Coverage(entry=0.0, query=0.0),
                    algo.acronym_score,
                    record.words,
                    acronym=True,
                )
            )
        return found

    def bounds(self, query: QueryWords, algo: Algorithm, floor: float) -> list[tuple[float, float, int]]:
        """The listed names the lookups reach whose bound of the name score (before evidence) is at
        least ``floor``: (bound, closeness of the names' weights, name id), best first.

        The bound is not proven: it counts only the listed words the lookups reach (the word itself,
        one edit, the phonetic key, the romanisation keys, joined spans as written), while
        ``coverage`` also credits pairs two or three edits apart in long words ("ingosstrakh" /
        "rosgosstrakh", "solojentseva" / "solozhentseva") and near joins. A name it leaves out or
        places below the limit is not scored; ``tests/screening/test_score_ceiling.py`` pins
        such names (``test_the_name_bound_is_not_yet_a_bound``)."""
        words = query.name.words
        if not words:
            return []
        symbolic_query = algo.symbolic_exact and _symbolic(words)
        # For each listed name reached: the weight of its words found, and of the query's words
        # that found them (a word found twice may count twice: these are bounds, not scores).
        found_entry: dict[int, float] = defaultdict(float)
        found_query: dict[int, float] = defaultdict(float)
        spans: list[tuple[str, float]] = list(zip(words, query.raw_weights, strict=True))
        for start in range(len(words)):
            for end in range(start + 2, min(len(words), start + algo.max_join) + 1):
                spans.append(("".join(words[start:end]), sum(query.raw_weights[start:end])))
        # Query weight found in generic words, which are not looked up for names that have
        # distinctive words: assumed found for every candidate, so the bound stays a bound.
        assumed = 0.0
        kinds = query.name.kinds
        reaches = self._reaches(algo)
        for position, (word, query_weight) in enumerate(spans):
            is_word = position < len(words)
            reach = reaches.get((word, is_word, symbolic_query))
            if reach is None:
                reach = reaches.put((word, is_word, symbolic_query), self._reach(word, is_word, symbolic_query, algo))
            listed, joined, generic_credit = reach
            if not is_word or kinds[position] != GENERIC:
                assumed += query_weight * generic_credit
            for entry_weight, value, name_ids in listed:
                query_credit = query_weight * value
                for name_id in name_ids:
                    found_entry[name_id] += entry_weight
                    found_query[name_id] += query_credit
            for value, pairs in joined:
                query_credit = query_weight * value
                for name_id, entry_weight in pairs:
                    found_entry[name_id] += entry_weight
                    found_query[name_id] += query_credit
        # Upper bound of the name score: each coverage is at most the share of its name found so
        # far, with the weak words that are not looked up assumed found. Raw weights are counted as
        # found, which only raises the bound (a weak word weighs less than its raw weight).
        entry_exponent = algo.feature("entry_coverage").weight
        query_exponent = algo.feature("query_coverage").weight
        query_total = sum(query.weights)
        query_raw_total = sum(query.raw_weights)
        query_generic = sum(w for w, k in zip(query.weights, query.name.kinds, strict=True) if k == GENERIC)
        name_total, name_weak_total, name_strict = self.name_total, self.name_weak_total, self.name_strict
        bounds = []
        for name_id, weight in found_entry.items():
            total = name_total[name_id]
            if total <= 0:
                continue
            entry_share = min(1.0, (weight + name_weak_total[name_id]) / total)
            if name_strict[name_id]:
                query_share = min(1.0, (found_query[name_id] + assumed) / query_raw_total)
            else:
                query_share = min(1.0, (found_query[name_id] + query_generic + assumed) / query_total)
            bound = entry_share**entry_exponent * query_share**query_exponent
            if bound >= floor:
                bounds.append((bound, -abs(total - query_total), name_id))
        bounds.sort(reverse=True)
        return bounds

    def candidates(self, query: QueryWords, algo: Algorithm, floor: float, limit: int) -> list[Candidate]:
        """Score the listed names that could reach ``floor`` (before evidence), best first; at most
        ``limit`` names are scored, chosen by their bound (``bounds``)."""
        words = query.name.words
        if not words:
            return []
        similarity = self._similarity(algo)
        symbolic_query = algo.symbolic_exact and _symbolic(words)
        bounds = self.bounds(query, algo, floor)
        scored: list[Candidate] = []
        query_weak = query.name.weak
        joinable = self._joinable(algo)
        entry_exponent = algo.feature("entry_coverage").weight
        query_exponent = algo.feature("query_coverage").weight
        name_strict = self.name_strict
        for _, _, name_id in bounds[:limit]:
            record = self.names[name_id]
            if algo.symbolic_exact and (symbolic_query or record.symbolic) and set(record.words) != set(words):
                continue  # "1" is not "1-P": a name of digits and letters matches only as written
            strict = name_strict[name_id]
            cover = coverage(
                words,
                query.raw_weights if strict else query.weights,
                query_weak,
                record.words,
                record.weights,
                record.weak,
                similarity,
                algo,
                joinable,
            )
            score = (cover.entry**entry_exponent) * (cover.query**query_exponent)
            scored.append(Candidate(name_id, self.name_entry[name_id], record.listed, cover, score, record.words))
        scored.sort(key=lambda c: -c.name_score)
        return scored

    # --- saving and loading -------------------------------------------------------------------

    def save(self, path: Path, entries: Sequence[ListEntry] | None = None) -> None:
        """Write the index as a pack, with ``entries`` (those it was built from) when given."""
        writer = PackWriter(
            {
                "format": FORMAT,
                "algorithm": self.algorithm,
                "lexicon_digest": self.lexicon_digest,
                "snapshots": self.snapshots,
                "unknown_weight": self.unknown_weight,
                "generic_words": sorted(self.generic_words),
                "has_entries": entries is not None,
            }
        )
        writer.records("entry_keys", list(self.entry_keys))
        writer.records("entry_facts", [(f.countries, f.addresses, f.individual) for f in self.entry_facts])
        writer.records(
            "names", [(r.listed, r.words, r.weak, r.weights, r.legal, r.symbolic, r.cost) for r in self.names]
        )
        writer.numbers("name_entry", "i", list(self.name_entry))
        writer.numbers("name_total", "d", list(self.name_total))
        writer.numbers("name_weak_total", "d", list(self.name_weak_total))
        writer.numbers("name_strict", "B", list(self.name_strict))
        writer.numbers("name_short", "B", list(self.name_short))
        writer.table("vocab", {k: _encode_vocab(v) for k, v in _items(self.vocab)})
        writer.table("joined", {k: array("d", v).tobytes() for k, v in _items(self.joined)})
        writer.table("deletes", {k: v.encode() for k, v in _items(self.deletes)})
        writer.table("phonetic", {k: v.encode() for k, v in _items(self.phonetic)})
        writer.table("variants", {k: v.encode() for k, v in _items(self.variants)})
        writer.table("acronyms", {k: v.encode() for k, v in _items(self.acronyms)})
        writer.records("entries", [_entry_record(e) for e in entries] if entries is not None else [])
        writer.write(path)

    @classmethod
    def load(cls, path: Path) -> NameIndex | None:
        """The index saved at ``path``, mapped; None when it is missing, unreadable, of another format,
        or of an algorithm or word tables other than those of this release."""
        pack = Pack.open(path)
        if pack is None:
            return None
        meta = pack.meta
        try:
            if meta.get("format") != FORMAT:
                return None
            algo = algorithm(meta["algorithm"])
            if meta["lexicon_digest"] != load_lexicon(algo.lexicon).digest:
                return None
            index = cls(algo.name, meta["lexicon_digest"], tuple(meta["snapshots"]))
            index.unknown_weight = float(meta["unknown_weight"])
            index.generic_words = frozenset(meta["generic_words"])
            index.entry_keys = pack.records("entry_keys")
            facts = pack.records("entry_facts")
            index.entry_facts = _FactsView(facts)
            index.names = _NamesView(pack.records("names"))
            index.name_entry = pack.numbers("name_entry", "i")
            index.name_total = pack.numbers("name_total", "d")
            index.name_weak_total = pack.numbers("name_weak_total", "d")
            index.name_strict = pack.numbers("name_strict", "B")
            index.name_short = pack.numbers("name_short", "B")
            index.vocab = _Decoded(pack.table("vocab"), _decode_vocab)
            index.joined = _Decoded(pack.table("joined"), _decode_floats)
            index.deletes = _Decoded(pack.table("deletes"), _decode_text)
            index.phonetic = _Decoded(pack.table("phonetic"), _decode_text)
            index.variants = _Decoded(pack.table("variants"), _decode_text)
            index.acronyms = _Decoded(pack.table("acronyms"), _decode_text)
            if meta.get("has_entries"):
                index.stored_entries = PackedEntries(pack.records("entries"))
        except Exception:  # a damaged pack is rebuilt, never trusted
            return None
        if len(index.entry_keys) != len(index.entry_facts) or len(index.names) != len(index.name_entry):
            return None
        return index

    def in_memory(self) -> NameIndex:
        """The same index with every lookup copied into dictionaries: for long batch runs."""
        if isinstance(self.vocab, dict):
            return self
        copy = NameIndex(self.algorithm, self.lexicon_digest, self.snapshots)
        copy.unknown_weight, copy.generic_words = self.unknown_weight, self.generic_words
        copy.entry_keys = list(self.entry_keys)
        copy.entry_facts = list(self.entry_facts)
        copy.names = list(self.names)
        copy.name_entry = list(self.name_entry)
        copy.name_total = list(self.name_total)
        copy.name_weak_total = list(self.name_weak_total)
        copy.name_strict = list(self.name_strict)
        copy.name_short = list(self.name_short)
        copy.vocab = dict(_items(self.vocab))
        copy.joined = dict(_items(self.joined))
        copy.deletes = dict(_items(self.deletes))
        copy.phonetic = dict(_items(self.phonetic))
        copy.variants = dict(_items(self.variants))
        copy.acronyms = dict(_items(self.acronyms))
        copy.stored_entries = self.stored_entries
        return copy


def _items(lookup: Lookup[T]) -> Iterator[tuple[str, T]]:
    items = getattr(lookup, "items", None)
    if items is None:
        raise TypeError("lookup cannot be listed")
    yield from items()


class _NamesView(Sequence[NameRecord]):
    def __init__(self, records: Sequence[Any]) -> None:
        self._records = records
        self._cache: dict[int, NameRecord] = {}

    def __len__(self) -> int:
        return len(self._records)

    def __getitem__(self, position: int) -> NameRecord:  # type: ignore[override]
        found = self._cache.get(position)
        if found is None:
            listed, words, weak, weights, legal, symbolic, cost = self._records[position]
            found = self._cache[position] = NameRecord(listed, words, weak, weights, legal, symbolic, cost)
        return found


class _FactsView(Sequence[EntryFacts]):
    def __init__(self, records: Sequence[Any]) -> None:
        self._records = records

    def __len__(self) -> int:
        return len(self._records)

    def __getitem__(self, position: int) -> EntryFacts:  # type: ignore[override]
        countries, addresses, individual = self._records[position]
        return EntryFacts(countries, addresses, individual)


def index_key(snapshots: Sequence[str], algorithm_name: str) -> str:
    """The cache key of an index: its snapshots, algorithm, word tables and layout."""
    algo = algorithm(algorithm_name)
    parts = [f"format={FORMAT}", algo.name, load_lexicon(algo.lexicon).digest, *sorted(set(snapshots))]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


def index_path(home: Path, snapshots: Sequence[str], algorithm_name: str) -> Path:
    return home / "screening" / f"index-{index_key(snapshots, algorithm_name)}.pack"


def open_pack(
    home: Path, snapshots: Sequence[str], algorithm_name: str
) -> tuple[NameIndex, Sequence[ListEntry]] | None:
    """The prebuilt index of ``snapshots`` with the entries it holds, mapped; None when there is none
    (or it holds no entries, or is stale)."""
    snapshots = tuple(sorted(set(snapshots)))
    index = NameIndex.load(index_path(home, snapshots, algorithm_name))
    if index is None or index.snapshots != snapshots or index.stored_entries is None:
        return None
    return index, index.stored_entries


def load_or_build(
    home: Path, entries: Sequence[ListEntry], algorithm_name: str, snapshots: Sequence[str] = ()
) -> tuple[NameIndex, list[ListEntry]]:
    """The index of ``entries`` from the cache under ``home`` (built and saved, with the entries, if
    missing or stale), with the entries in the index's order."""
    snapshots = tuple(sorted(set(snapshots) or {e.snapshot for e in entries}))
    path = index_path(home, snapshots, algorithm_name)
    index = NameIndex.load(path)
    if index is not None and index.snapshots == snapshots:
        by_key = {(e.snapshot, e.line, e.list_id): e for e in entries}
        ordered = [by_key.get(tuple(key)) for key in index.entry_keys]  # type: ignore[arg-type]
        if len(by_key) == len(ordered) and all(e is not None for e in ordered):
            return index, [e for e in ordered if e is not None]
    index = NameIndex.build(entries, algorithm_name, snapshots)
    index.save(path, entries)
    return index, list(entries)
