"""The name index: every listed name and alias, normalised once, with the lookups that find the few
worth scoring for a screened name without comparing it to every name.

Blocking (how candidates are found) is by word: a listed name is a candidate when it shares a
distinctive word or place with the screened name, or a word one edit away (a deletion-neighbourhood
lookup), or a word with the same phonetic key, or a word written together on one side and apart on
the other ("huawei" / "hua wei"). Names made only of generic words and places are found through
those words. Each candidate gets an upper bound of the score it could reach; only those whose bound
reaches the review threshold are scored, best bound first.

The index is built from the entries of given list snapshots and saved under
``$EARCHECK_HOME/screening/``, keyed by those snapshot ids, the algorithm and its word tables, so it
is built once (at ``earcheck data import``) and then loaded in well under a second.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import marshal
import math
import os
import sys
import tempfile
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from earcheck.lists import ListEntry
from earcheck.screening.algorithms import Algorithm, algorithm
from earcheck.screening.lexicon import DISTINCTIVE, GENERIC, PLACE, STOP, Lexicon, load_lexicon
from earcheck.screening.normalise import NormalName, listed_forms, normalise
from earcheck.screening.scoring import Coverage, address_words, coverage, phonetic_key, word_credit

__all__ = ["FORMAT", "Candidate", "NameIndex", "QueryWords", "index_key", "load_or_build"]

FORMAT = 3
"""Version of the saved index layout; a saved index of another format is rebuilt."""

EntryKey = tuple[str, int, str]  # (snapshot, line, list_id): finds an entry again after loading


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


def _factor(kind: int, algo: Algorithm) -> float:
    if kind == GENERIC:
        return algo.generic_weight
    if kind == PLACE:
        return algo.place_weight
    return 0.0 if kind == STOP else 1.0


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


class NameIndex:
    """Normalised listed names and the lookups over them. Build with ``build``; save and ``load``."""

    _STATE = (
        "algorithm", "lexicon_digest", "snapshots", "entry_keys", "entry_countries", "entry_addresses",
        "name_entry", "name_listed", "name_words", "name_weak", "name_weights", "name_total",
        "name_weak_total", "name_strict", "name_legal", "raw_weight", "word_weight",
        "unknown_weight", "postings", "joined", "deletes", "phonetic", "generic_words",
    )  # fmt: skip

    def __init__(self, algorithm_name: str, lexicon_digest: str, snapshots: tuple[str, ...]) -> None:
        self.algorithm = algorithm_name
        self.lexicon_digest = lexicon_digest
        self.snapshots = snapshots
        self.entry_keys: list[EntryKey] = []
        self.entry_countries: list[tuple[str, ...]] = []
        self.entry_addresses: list[tuple[tuple[str, ...], ...]] = []
        self.name_entry: list[int] = []
        self.name_listed: list[str] = []
        self.name_words: list[tuple[str, ...]] = []
        self.name_weak: list[tuple[bool, ...]] = []
        self.name_weights: list[tuple[float, ...]] = []
        self.name_total: list[float] = []
        self.name_weak_total: list[float] = []  # weight assumed found when bounding (weak words)
        self.name_strict: list[bool] = []
        self.name_legal: list[tuple[str, ...]] = []
        self.raw_weight: dict[str, float] = {}
        self.word_weight: dict[str, float] = {}
        self.unknown_weight = 1.0
        self.postings: dict[str, list[int]] = {}
        self.joined: dict[str, list[float]] = {}  # flat: name id, weight of the joined words, ...
        self.deletes: dict[str, str] = {}  # one-letter deletion -> the listed words, space-separated
        self.phonetic: dict[str, str] = {}  # phonetic key -> the listed words, space-separated
        self.generic_words: set[str] = set()  # listed words that are generic (not looked up)

    @property
    def size(self) -> int:
        """How many distinct normalised names (names, aliases and their forms) are indexed."""
        return len(self.name_entry)

    # --- building -----------------------------------------------------------------------------

    @classmethod
    def build(cls, entries: Sequence[ListEntry], algorithm_name: str, snapshots: Sequence[str] = ()) -> NameIndex:
        """Normalise every name and alias of ``entries`` and build the lookups."""
        algo = algorithm(algorithm_name)
        lexicon = load_lexicon(algo.lexicon)
        index = cls(algo.name, lexicon.digest, tuple(sorted(set(snapshots) or {e.snapshot for e in entries})))
        index.entry_keys = [(e.snapshot, e.line, e.list_id) for e in entries]
        index.entry_countries = [tuple(c.upper() for c in e.countries) for e in entries]
        index.entry_addresses = [
            tuple(tuple(sorted(address_words(a))) for a in e.addresses if a.strip()) for e in entries
        ]
        document_frequency: dict[str, int] = defaultdict(int)
        staged: list[tuple[int, str, NormalName]] = []
        for position, entry in enumerate(entries):
            seen: set[tuple[tuple[str, ...], frozenset[str]]] = set()
            entry_words: set[str] = set()
            for listed in entry.names:
                for form in listed_forms(listed, lexicon):
                    normal = normalise(form, lexicon)
                    key = (normal.words, normal.legal)
                    if normal.empty or key in seen:
                        continue
                    seen.add(key)
                    entry_words.update(normal.words)
                    staged.append((position, listed, normal))
            for word in entry_words:
                document_frequency[word] += 1
        count = max(len(entries), 1)
        index.unknown_weight = 1.0 + math.log(count + 1)
        index.generic_words = {word for word in document_frequency if lexicon.kind(word) == GENERIC}
        for word, df in document_frequency.items():
            raw = 1.0 + math.log((count + 1) / (df + 1))
            index.raw_weight[word] = raw
            index.word_weight[word] = raw * _factor(lexicon.kind(word), algo)
        for position, listed, normal in staged:
            index._add(position, listed, normal, algo)
        deletes: dict[str, list[str]] = defaultdict(list)
        phonetic: dict[str, list[str]] = defaultdict(list)
        for word in index.word_weight:
            if len(word) >= algo.fuzzy_min_length and not any(ch.isdigit() for ch in word):
                for variant in _deletes(word):
                    deletes[variant].append(word)
                phonetic[phonetic_key(word)].append(word)
        index.deletes = {k: " ".join(v) for k, v in deletes.items()}
        index.phonetic = {k: " ".join(v) for k, v in phonetic.items()}
        return index

    def _add(self, position: int, listed: str, normal: NormalName, algo: Algorithm) -> None:
        name_id = len(self.name_entry)
        strict = normal.strict
        weak = normal.weak
        weights = tuple(
            0.0 if kind == STOP else self.raw_weight[w] * (1.0 if strict else _factor(kind, algo))
            for w, kind in zip(normal.words, normal.kinds, strict=True)
        )
        self.name_entry.append(position)
        self.name_listed.append(listed)
        self.name_words.append(normal.words)
        self.name_weak.append(weak)
        self.name_weights.append(weights)
        self.name_total.append(sum(weights))
        self.name_weak_total.append(
            sum(w for w, k in zip(weights, normal.kinds, strict=True) if k == GENERIC) if not strict else 0.0
        )
        self.name_strict.append(strict)
        self.name_legal.append(tuple(sorted(normal.legal)))
        for word, kind in zip(normal.words, normal.kinds, strict=True):
            if kind != STOP and (strict or kind != GENERIC):
                self.postings.setdefault(word, []).append(name_id)
        words = normal.words
        for start in range(len(words)):
            for end in range(start + 2, min(len(words), start + algo.max_join) + 1):
                if strict or any(k in (DISTINCTIVE, PLACE) for k in normal.kinds[start:end]):
                    joined = "".join(words[start:end])
                    self.joined.setdefault(joined, []).extend((name_id, sum(weights[start:end])))

    # --- searching ----------------------------------------------------------------------------

    def query(self, text: str, lexicon: Lexicon, algo: Algorithm) -> QueryWords:
        """Normalise a screened name and weigh its words as the listed words are weighed."""
        # A word the lists use is never read as a typo, however close to a generic word: a listed
        # name screened as written must find itself ("TRADOS", "INOVEST", "SEMICOR").
        name = normalise(text, lexicon, known=self.word_weight)
        raw = tuple(
            0.0 if kind == STOP else self.raw_weight.get(word, self.unknown_weight)
            for word, kind in zip(name.words, name.kinds, strict=True)
        )
        weights = tuple(r * _factor(k, algo) for r, k in zip(raw, name.kinds, strict=True))
        return QueryWords(name, weights, raw)

    def _near(self, word: str) -> set[str]:
        """Listed words one edit away from ``word``, or sounding alike."""
        near: set[str] = set()
        listed = self.deletes.get(word)
        if listed:
            near.update(listed.split(" "))
        vocabulary = self.word_weight
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

    def candidates(self, query: QueryWords, algo: Algorithm, floor: float, limit: int) -> list[Candidate]:
        """Score the listed names that could reach ``floor`` (before evidence), best first; at most
        ``limit`` names are scored, chosen by their upper bound."""
        words = query.name.words
        if not words:
            return []
        cache: dict[tuple[str, str], float] = {}

        def similarity(a: str, b: str) -> float:
            key = (a, b)
            value = cache.get(key)
            if value is None:
                value = cache[key] = word_credit(a, b, algo)
            return value

        vocabulary = self.word_weight
        postings = self.postings
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
        for position, (word, query_weight) in enumerate(spans):
            credit: dict[str, float] = {}
            if word in vocabulary:
                credit[word] = 1.0
            if position < len(words) and len(word) >= algo.fuzzy_min_length - 1:
                for near in self._near(word):
                    value = similarity(word, near)
                    if value > 0:
                        credit[near] = value
            if position >= len(words) or query.name.kinds[position] != GENERIC:
                generic_credit = max((v for w, v in credit.items() if w in self.generic_words), default=0.0)
                assumed += query_weight * generic_credit
            for listed_word, value in credit.items():
                entry_weight = self.raw_weight[listed_word] * value
                for name_id in postings.get(listed_word, ()):
                    found_entry[name_id] += entry_weight
                    found_query[name_id] += query_weight * value
            if position < len(words):
                flat = self.joined.get(word, ())
                for k in range(0, len(flat), 2):
                    name_id = int(flat[k])
                    found_entry[name_id] += flat[k + 1]
                    found_query[name_id] += query_weight
        # Upper bound of the name score: each coverage is at most the share of its name found so
        # far, with the weak words that are not looked up assumed found. Raw weights are counted as
        # found, which only raises the bound (a weak word weighs less than its raw weight).
        entry_exponent = algo.feature("entry_coverage").weight
        query_exponent = algo.feature("query_coverage").weight
        query_total = sum(query.weights)
        query_raw_total = sum(query.raw_weights)
        query_generic = sum(w for w, k in zip(query.weights, query.name.kinds, strict=True) if k == GENERIC)
        bounds = []
        for name_id, weight in found_entry.items():
            total = self.name_total[name_id]
            if total <= 0:
                continue
            entry_share = min(1.0, (weight + self.name_weak_total[name_id]) / total)
            if self.name_strict[name_id]:
                query_share = min(1.0, (found_query[name_id] + assumed) / query_raw_total)
            else:
                query_share = min(1.0, (found_query[name_id] + query_generic + assumed) / query_total)
            bound = entry_share**entry_exponent * query_share**query_exponent
            if bound >= floor:
                bounds.append((bound, -abs(total - query_total), name_id))
        bounds.sort(reverse=True)
        scored: list[Candidate] = []
        query_weak = query.name.weak
        for _, _, name_id in bounds[:limit]:
            strict = self.name_strict[name_id]
            cover = coverage(
                words,
                query.raw_weights if strict else query.weights,
                query_weak,
                self.name_words[name_id],
                self.name_weights[name_id],
                self.name_weak[name_id],
                similarity,
                algo,
            )
            score = (cover.entry**entry_exponent) * (cover.query**query_exponent)
            scored.append(Candidate(name_id, self.name_entry[name_id], self.name_listed[name_id], cover, score))
        scored.sort(key=lambda c: -c.name_score)
        return scored

    # --- saving and loading -------------------------------------------------------------------

    def _state(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self._STATE}

    def save(self, path: Path) -> None:
        """Write atomically: a reader never sees half an index."""
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as out:
                marshal.dump((FORMAT, sys.version_info[:2], self._state()), out)
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise

    @classmethod
    def load(cls, path: Path) -> NameIndex | None:
        """The index saved at ``path``, or None when it is missing, unreadable or of another format
        (marshal's format belongs to a Python version, so the version is part of the check)."""
        # Loading creates a few hundred thousand containers; the cyclic garbage collector would
        # walk them again and again meanwhile, for nothing (they hold no cycles).
        collecting = gc.isenabled()
        gc.disable()
        try:
            # marshal.load on a file reads it in small pieces; one read is several times faster.
            saved = marshal.loads(path.read_bytes())
        except (OSError, EOFError, ValueError, TypeError):
            return None
        finally:
            if collecting:
                gc.enable()
        if not (
            isinstance(saved, tuple)
            and len(saved) == 3
            and saved[0] == FORMAT
            and saved[1] == sys.version_info[:2]
            and isinstance(saved[2], dict)
            and set(saved[2]) == set(cls._STATE)
        ):
            return None
        state = saved[2]
        index = cls(state["algorithm"], state["lexicon_digest"], tuple(state["snapshots"]))
        for name in cls._STATE:
            setattr(index, name, state[name])
        return index


def index_key(snapshots: Sequence[str], algorithm_name: str) -> str:
    """The cache key of an index: its snapshots, algorithm, word tables and layout."""
    algo = algorithm(algorithm_name)
    parts = [f"format={FORMAT}", algo.name, load_lexicon(algo.lexicon).digest, *sorted(set(snapshots))]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


def index_path(home: Path, snapshots: Sequence[str], algorithm_name: str) -> Path:
    return home / "screening" / f"index-{index_key(snapshots, algorithm_name)}.marshal"


def load_or_build(
    home: Path, entries: Sequence[ListEntry], algorithm_name: str, snapshots: Sequence[str] = ()
) -> tuple[NameIndex, list[ListEntry]]:
    """The index of ``entries`` from the cache under ``home`` (built and saved if missing or stale),
    with the entries in the index's order."""
    snapshots = tuple(sorted(set(snapshots) or {e.snapshot for e in entries}))
    path = index_path(home, snapshots, algorithm_name)
    index = NameIndex.load(path)
    if index is not None and index.snapshots == snapshots:
        by_key = {(e.snapshot, e.line, e.list_id): e for e in entries}
        ordered = [by_key.get(key) for key in index.entry_keys]
        if len(by_key) == len(ordered) and all(e is not None for e in ordered):
            return index, [e for e in ordered if e is not None]
    index = NameIndex.build(entries, algorithm_name, snapshots)
    index.save(path)
    return index, list(entries)
