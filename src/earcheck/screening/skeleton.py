"""name-v5: the consonant skeleton of a romanised Arabic or Persian name word.

"ALIAN", "ALIYAN" and "ALAYAN", "FADWI" and "FADAVI", "MOQADAM" and "MOGHADDAM", "RADWAN" and
"RIDHWAN", "THARWAT" and "SARVAT" are one name each, spelled by different romanisation systems. Their
consonants, read by the table ``data/skeleton/v1.yaml`` (digraphs before their letters, a letter with
several readings giving several skeletons), are the same; their vowels are not, and are dropped except
a leading one. A final "h" after a vowel is dropped (ta marbuta: "ALAMAH" / "ALAME", "ZUBAYDAH" /
"ZUBAIDA"), doubled consonants are one (shadda: "HASSAN" / "HASAN", and "JAMALALDIN" / "JAMALEDDINE"
once joined).

A shared skeleton is weak evidence on its own (three consonants are shared by many unrelated words):
``scoring.romanisation_credit`` credits it only when the spellings are also near
(``Algorithm.skeleton_spelling_floor``), at ``loose_similarity``, as it credits name-v2's Arabic key.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from earcheck.errors import DataError

__all__ = ["SKELETON", "Skeletons", "load_skeletons", "parse_skeletons"]

SKELETON = "sk"  # the key family, beside romanisation's "zh", "ru", "ar"


@dataclass(frozen=True, eq=False)  # hashed by identity: the skeleton cache is per table
class Skeletons:
    letters: Mapping[str, tuple[str, ...]]  # spelling -> its readings
    longest: int
    vowels: frozenset[str]
    min_key: int
    max_keys: int

    def keys(self, word: str) -> tuple[str, ...]:
        """The skeletons of a normalised word (lower-case ASCII letters); none for a word with other
        characters, or whose skeleton is shorter than ``min_key``."""
        return _keys(self, word)


@lru_cache(maxsize=1 << 17)
def _keys(table: Skeletons, word: str) -> tuple[str, ...]:
    if not word.isascii() or not word.isalpha():
        return ()
    if word.endswith("h") and len(word) > 2 and word[-2] in table.vowels:
        word = word[:-1]
    found = [""]
    position = 0
    first = True
    while position < len(word):
        if word[position] in table.vowels:
            if first:
                found = [key + "A" for key in found]
            position += 1
            first = False
            continue
        for size in range(min(table.longest, len(word) - position), 0, -1):
            readings = table.letters.get(word[position : position + size])
            if readings is not None:
                break
        else:  # a letter the table does not read: the word is not a romanised Arabic name
            return ()
        found = [key + reading for key in found for reading in readings][: table.max_keys]
        position += size
        first = False
    keys = []
    for key in found:
        single = "".join(ch for i, ch in enumerate(key) if i == 0 or ch != key[i - 1])
        if len(single) >= table.min_key and single not in keys:
            keys.append(single)
    return tuple(f"{SKELETON}:{key}" for key in keys)


def parse_skeletons(doc: Any, file: str = "skeleton") -> Skeletons:
    if not isinstance(doc, dict) or not isinstance(doc.get("letters"), dict) or not doc["letters"]:
        raise DataError(f"{file}: expected a mapping under 'letters'")
    letters: dict[str, tuple[str, ...]] = {}
    for spelling, readings in doc["letters"].items():
        if not str(spelling).isalpha() or not isinstance(readings, list) or not readings:
            raise DataError(f"{file}: {spelling!r}: expected a spelling and a non-empty list of readings")
        letters[str(spelling)] = tuple(str(r) for r in readings)
    vowels = frozenset(str(doc.get("vowels", "")))
    if not vowels or vowels & set("".join(letters)):
        raise DataError(f"{file}: 'vowels' must be letters the table does not read as consonants")
    return Skeletons(
        letters=letters,
        longest=max(map(len, letters)),
        vowels=vowels,
        min_key=int(doc.get("min_key", 3)),
        max_keys=int(doc.get("max_keys", 4)),
    )


@lru_cache(maxsize=4)
def load_skeletons(version: str) -> Skeletons:
    """The skeleton table ``data/skeleton/<version>.yaml``."""
    name = f"{version}.yaml"
    try:
        raw = resources.files("earcheck.screening").joinpath("data", "skeleton", name).read_bytes()
    except FileNotFoundError:
        raise DataError(f"no skeleton table {version!r} (data/skeleton/{name})") from None
    try:
        doc = yaml.safe_load(raw)
    except yaml.YAMLError as error:
        raise DataError(f"skeleton/{name}: not valid YAML: {error}") from None
    return parse_skeletons(doc, f"skeleton/{name}")
