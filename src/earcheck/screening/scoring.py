"""The computations behind the features that ``earcheck.screening.algorithms`` declares.

Everything here is pure and takes the algorithm's parameters explicitly. Released behaviour is frozen
with its algorithm: a change that would alter a ``name-v1`` score belongs to a new algorithm.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from anyascii import anyascii
from rapidfuzz.distance import OSA

from earcheck.screening.algorithms import Algorithm
from earcheck.screening.romanisation import Romanisation

__all__ = [
    "Coverage",
    "WordSimilarity",
    "address_evidence",
    "country_evidence",
    "coverage",
    "join_filter",
    "legal_evidence",
    "phonetic_key",
    "romanisation_credit",
    "word_credit",
    "word_similarity",
]

WordSimilarity = Callable[[str, str], float]

_VOWEL_GROUPS = str.maketrans("eyuw", "aioo")
_DOUBLES = re.compile(r"(.)\1+")
_DIGRAPHS: tuple[tuple[str, str], ...] = (
    ("sch", "sh"), ("ph", "f"), ("ck", "k"), ("kh", "h"), ("gh", "g"), ("dh", "d"), ("th", "t"),
    ("x", "ks"), ("q", "k"), ("c", "k"), ("z", "s"), ("j", "y"), ("ou", "u"), ("ee", "i"),
)  # fmt: skip


@lru_cache(maxsize=65536)
def phonetic_key(word: str) -> str:
    """A rough sound key for romanised names: "Mohammed", "Muhammad" and "Mohamad" share one;
    "Mahmood" and "Mohammad" do not, nor do "Vulur" and "Valor". Consonant spellings are merged, vowels
    fall into three groups (a/e, i/y, o/u), doubled letters become one."""
    key = word
    for old, new in _DIGRAPHS:
        key = key.replace(old, new)
    return _DOUBLES.sub(r"\1", key.translate(_VOWEL_GROUPS))


def word_similarity(a: str, b: str, algorithm: Algorithm) -> float:
    """Similarity of two words in [0, 1]; 0 below the algorithm's floor for their length."""
    if a == b:
        return 1.0
    shortest, longest = sorted((len(a), len(b)))
    if longest < algorithm.fuzzy_min_length or shortest < algorithm.fuzzy_min_length - 1:
        return 0.0
    if not (a.isalpha() and b.isalpha()):  # words are letters and digits: these hold a number
        return 0.0
    floor = algorithm.long_word_floor if longest >= algorithm.long_word else algorithm.short_word_floor
    # No score_cutoff: rapidfuzz turns it into a distance in floating point, and one edit in five
    # letters (a similarity of exactly 0.8) can then fail a floor of 0.8.
    similarity = float(OSA.normalized_similarity(a, b))
    if similarity < floor - 1e-9:
        similarity = 0.0
    if similarity == 0.0 and shortest >= algorithm.phonetic_min_length and phonetic_key(a) == phonetic_key(b):
        similarity = algorithm.phonetic_similarity
    return similarity


def _table_key(key: str) -> bool:
    """A key that a table gives (``variant_similarity``), not a consonant key alone (name-v2's Arabic
    key, name-v5's skeleton)."""
    return not key.startswith(("ar:", "sk:")) or key.startswith("ar:=")


def romanisation_credit(a: str, b: str, algorithm: Algorithm, romanisation: Romanisation | None) -> float:
    """The credit of two different words that one of the romanisation tables reads as one name:
    ``variant_similarity`` for a table (a Wade-Giles syllable, a Cyrillic spelling rule, a given-name
    group), ``loose_similarity`` for the Arabic consonant key alone; 0 when none does."""
    if romanisation is None or algorithm.variant_similarity <= 0:
        return 0.0
    keys = romanisation.key_set(a)
    if not keys:
        return 0.0
    shared = keys.intersection(romanisation.key_set(b))
    if not shared:
        return 0.0
    if any(_table_key(key) for key in shared):
        return algorithm.variant_similarity
    # A consonant key of three or four symbols is shared by chance by words that are no one name
    # ("Imunon" / "Amina", "Sitime" / "System"): the spellings must also look alike.
    spelling = float(OSA.normalized_similarity(a, b))
    if any(key.startswith("ar:") for key in shared) and spelling >= algorithm.loose_spelling_floor - 1e-9:
        return algorithm.loose_similarity
    # name-v5's skeleton reads digraphs and vowels as the romanisation systems write them, so its
    # spellings may lie further apart ("Sarvat" / "Tharwat"); below its own floor it is chance.
    if any(key.startswith("sk:") for key in shared) and spelling >= algorithm.skeleton_spelling_floor - 1e-9:
        return algorithm.loose_similarity
    return 0.0


def word_credit(a: str, b: str, algorithm: Algorithm, romanisation: Romanisation | None = None) -> float:
    """What a pairing of two words counts for in a coverage: their similarity, raised to the
    algorithm's ``fuzzy_exponent`` when the longer has ``fuzzy_boost_length`` letters or more (one
    edit in a long word is a typo more often than another name; in a short word, less often: shorter
    words get the larger ``short_fuzzy_exponent``); or, from ``name-v2`` on, the romanisation credit
    when that is higher."""
    similarity = word_similarity(a, b, algorithm)
    if 0.0 < similarity < 1.0:
        long = max(len(a), len(b)) >= algorithm.fuzzy_boost_length
        similarity = float(similarity ** (algorithm.fuzzy_exponent if long else algorithm.short_fuzzy_exponent))
    # The romanisation credit is one of 0, loose_similarity and variant_similarity: a similarity at
    # or above both cannot be raised by it, so its keys need not be worked out.
    if (
        romanisation is not None
        and similarity < 1.0
        and (similarity < algorithm.variant_similarity or similarity < algorithm.loose_similarity)
    ):
        similarity = max(similarity, romanisation_credit(a, b, algorithm, romanisation))
    return similarity


@dataclass(frozen=True, slots=True)
class Coverage:
    entry: float  # entry_coverage in [0, 1]
    query: float  # query_coverage in [0, 1]
    # Is some weak word (a corporate word or a place) of the listed name, of the screened name, paired
    # with nothing on the other side? Both at once: the names call the party different things.
    entry_weak_unpaired: bool = False
    query_weak_unpaired: bool = False


def _side(best: Sequence[float], weights: Sequence[float], weak: Sequence[bool]) -> float:
    total = sum(weights)
    if total <= 0:
        return 0.0
    covered = missing = 0.0
    for similarity, weight, is_weak in zip(best, weights, weak, strict=True):
        if similarity > 0:
            covered += weight * similarity
        elif not is_weak:
            missing += weight
    return max(0.0, min(1.0, covered / total * (1.0 - missing / total)))


def _spans(words: Sequence[str], longest: int) -> Iterable[tuple[int, int, str]]:
    for start in range(len(words)):
        for end in range(start + 2, min(len(words), start + longest) + 1):
            yield start, end, "".join(words[start:end])


def coverage(
    query: Sequence[str],
    query_weights: Sequence[float],
    query_weak: Sequence[bool],
    entry: Sequence[str],
    entry_weights: Sequence[float],
    entry_weak: Sequence[bool],
    similarity: WordSimilarity,
    algorithm: Algorithm,
    joinable: Callable[[str, str], bool] | None = None,
) -> Coverage:
    """Pair the words of two names and measure how much of each the other covers; ``similarity``
    gives the credit of a pairing (``word_credit`` with its algorithm). Weak words
    (generic words and places) count with their weight when covered, and are not counted as missing.

    ``joinable`` (for speed only) is a cheap test that is False only for pairs whose ``similarity``
    is certainly below the algorithm's ``join_floor`` (``join_filter``): those joins are not scored."""
    best_q = [0.0] * len(query)
    best_e = [0.0] * len(entry)
    query_words = set(query)
    entry_words = set(entry)
    for i, word in enumerate(query):
        if word in entry_words:
            best_q[i] = 1.0
    for j, word in enumerate(entry):
        if word in query_words:
            best_e[j] = 1.0
    if min(best_q, default=1.0) < 1.0 or min(best_e, default=1.0) < 1.0:
        for i, q_word in enumerate(query):
            for j, e_word in enumerate(entry):
                # A pair is compared when either word is still unmatched: a misspelt repeat
                # ("Gomez Gbmez") pairs with a word its twin already matched.
                if best_q[i] == 1.0 and best_e[j] == 1.0:
                    continue
                s = similarity(q_word, e_word)
                if s > best_q[i]:
                    best_q[i] = s
                if s > best_e[j]:
                    best_e[j] = s
        # Spacing: words written apart on one side and together on the other.
        must_help = algorithm.joins_must_help
        for start, end, joined in _spans(query, algorithm.max_join):
            if min(best_q[start:end]) == 1.0:
                continue
            for j, e_word in enumerate(entry):
                if joinable is not None and not joinable(joined, e_word):
                    continue
                s = similarity(joined, e_word)
                if s < algorithm.join_floor or (must_help and _part_as_good(s, query[start:end], e_word)):
                    continue
                if s > best_e[j]:
                    best_e[j] = s
                for i in range(start, end):
                    if s > best_q[i]:
                        best_q[i] = s
        for start, end, joined in _spans(entry, algorithm.max_join):
            if min(best_e[start:end]) == 1.0:
                continue
            for i, q_word in enumerate(query):
                if joinable is not None and not joinable(q_word, joined):
                    continue
                s = similarity(q_word, joined)
                if s < algorithm.join_floor or (must_help and _part_as_good(s, entry[start:end], q_word)):
                    continue
                if s > best_q[i]:
                    best_q[i] = s
                for j in range(start, end):
                    if s > best_e[j]:
                        best_e[j] = s
    return Coverage(
        entry=_side(best_e, entry_weights, entry_weak),
        query=_side(best_q, query_weights, query_weak),
        entry_weak_unpaired=_unpaired(best_e, entry_weights, entry_weak),
        query_weak_unpaired=_unpaired(best_q, query_weights, query_weak),
    )


def join_filter(algorithm: Algorithm, romanisation: Romanisation | None) -> Callable[[str, str], bool] | None:
    """A cheap test of two words (one of them joined words) that is False only when their
    ``word_credit`` is certainly below ``join_floor``; None when the algorithm's parameters allow no
    such test. ``word_credit`` is the larger of:

    - the spelling similarity ``s`` (1 for equal words, else the OSA similarity ``1 - d / longest``, or
      ``phonetic_similarity``), raised to an exponent ``e`` below 1 when under 1: it reaches the floor
      ``f`` only when ``s >= f ** (1 / e)``; the OSA distance is at least the difference of the
      lengths, so the lengths then differ by at most ``(1 - f ** (1 / e)) * longest`` (the smaller
      exponent gives the larger allowance); the phonetic similarity raised is below the floor;
    - the romanisation credit: ``variant_similarity`` for a shared key other than the Arabic
      consonant key alone, ``loose_similarity`` (below the floor) for that key alone, else 0.

    So a pair of unequal words whose lengths differ by more than that allowance and which share no
    key but the Arabic consonant key is certainly below the floor."""
    floor = algorithm.join_floor
    exponent = min(algorithm.fuzzy_exponent, algorithm.short_fuzzy_exponent)
    if not 0.0 < exponent <= 1.0 or algorithm.phonetic_similarity**exponent >= floor:
        return None
    if romanisation is not None and algorithm.loose_similarity >= floor:
        return None
    allowance = 1.0 - floor ** (1.0 / exponent)
    strong: dict[str, frozenset[str]] = {}

    def strong_keys(word: str) -> frozenset[str]:
        found = strong.get(word)
        if found is None:
            if len(strong) >= _STRONG_KEPT:
                strong.clear()
            assert romanisation is not None
            found = strong[word] = frozenset(k for k in romanisation.key_set(word) if _table_key(k))
        return found

    def joinable(a: str, b: str) -> bool:
        if a == b:
            return True
        longest = max(len(a), len(b))
        if abs(len(a) - len(b)) <= allowance * longest + 1e-9:
            return True
        return romanisation is not None and not strong_keys(a).isdisjoint(strong_keys(b))

    return joinable


_STRONG_KEPT = 1 << 16


def _part_as_good(joined: float, parts: Sequence[str], other: str) -> bool:
    """Is one of the joined words alone as like ``other`` as the join? Then the join is no spacing
    variant: "atn international" is not "international" misspelt."""
    return any(float(OSA.normalized_similarity(part, other)) >= joined for part in parts)


def _unpaired(best: Sequence[float], weights: Sequence[float], weak: Sequence[bool]) -> bool:
    return any(s == 0.0 and w > 0 and is_weak for s, w, is_weak in zip(best, weights, weak, strict=True))


_STRICT_FAMILIES = frozenset({"limited", "joint_stock", "partnership", "state"})


def legal_evidence(query: Collection[str], entry: Collection[str]) -> float:
    """+1 same family named on both sides, -1 incompatible families, 0 otherwise."""
    if not query or not entry:
        return 0.0
    if any(family in entry for family in query):
        return 1.0
    if all(f in _STRICT_FAMILIES for f in query) and all(f in _STRICT_FAMILIES for f in entry):
        return -1.0
    return 0.0


# Places whose entries are often listed under the country that governs them: no conflict either way.
_RELATED = {"HK": "CN", "MO": "CN"}


def country_evidence(country: str | None, entry_countries: Sequence[str]) -> float:
    if not country or not entry_countries:
        return 0.0
    country = country.upper()
    if country in entry_countries:
        return 1.0
    parent = _RELATED.get(country, country)
    if parent in entry_countries or any(_RELATED.get(c) == country for c in entry_countries):
        return 0.0
    if any(_RELATED.get(c) == parent for c in entry_countries):
        return 0.0
    return -1.0


_ADDRESS_WORD = re.compile(r"[a-z0-9]{3,}")


def address_words(text: str) -> frozenset[str]:
    """Words of an address that can be compared (three characters or more, lower case)."""
    return frozenset(_ADDRESS_WORD.findall(anyascii(text).lower()))


def address_evidence(address: frozenset[str], entry_addresses: Sequence[Collection[str]]) -> float:
    if not address or not entry_addresses:
        return 0.0
    shared = max(len(address.intersection(words)) for words in entry_addresses) / len(address)
    if shared >= 0.5:
        return 1.0
    return -1.0 if shared == 0 else 0.0
