"""Other romanisations of a name, from this evaluation's own tables and rules.

- Chinese: a name word written in Hanyu Pinyin ("Baotou") is split into syllables and each syllable
  rewritten in Wade-Giles from ``tables/pinyin_wade_giles.csv`` (Legeza 1968 via cjklib, see its
  header). Three spellings are produced, as they occur in practice: Wade-Giles in full ("Pao-t'ou"),
  the Taiwan habit of dropping the apostrophes and diacritics but keeping the hyphens ("Pao-tou"), and
  the joined form without either ("Paotou"). Postal spellings of a few city names (Peking, Canton...)
  are a small separate table (R: from memory of the postal atlas forms). Hong Kong spellings are
  Cantonese, which cannot be derived from pinyin without the characters: not generated.
- Russian: rules that rewrite a word as another transliteration convention would (BGN/PCGN vs the
  informal, German and French habits): kh/h, -iy/-y/-ii, ya/ia, yu/iu, -ov/-off, -ev/-eff, ks/x,
  ei/ey, ts/tz, zh/j, shch/sch.
- Arabic and Persian: ``tables/arabic_persian_names.csv`` groups spellings of one name word; a word
  is replaced by another spelling of its group; ``Abd al-X``/``Abdul X``/``Abdel X`` and the article
  ``al-``/``el-`` are rewritten as a pattern.

``python -m benchmarks.screening_eval.romanise --attest`` counts how often two spellings of one Arabic
or Persian group occur among the names of a single list entry (evidence the table is real usage).
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from functools import cache
from pathlib import Path

TABLES = Path(__file__).parent / "tables"


def _rows(name: str) -> list[dict[str, str]]:
    with (TABLES / name).open(encoding="utf-8") as handle:
        return list(csv.DictReader(line for line in handle if not line.startswith("#")))


# --- Chinese -------------------------------------------------------------------------------------


@cache
def wade_giles() -> dict[str, str]:
    """Pinyin syllable -> Wade-Giles syllable (with apostrophe and diacritics)."""
    return {row["pinyin"]: row["wade_giles"] for row in _rows("pinyin_wade_giles.csv")}


POSTAL = {
    "beijing": "Peking",
    "nanjing": "Nanking",
    "guangzhou": "Canton",
    "tianjin": "Tientsin",
    "chongqing": "Chungking",
    "xiamen": "Amoy",
    "qingdao": "Tsingtao",
    "suzhou": "Soochow",
    "hangzhou": "Hangchow",
    "fuzhou": "Foochow",
    "jinan": "Tsinan",
    "chengdu": "Chengtu",
    "guangdong": "Kwangtung",
    "sichuan": "Szechwan",
    "shaanxi": "Shensi",
    "shanxi": "Shansi",
    "hubei": "Hupeh",
    "hunan": "Hunan",
    "zhejiang": "Chekiang",
    "jiangsu": "Kiangsu",
    "fujian": "Fukien",
    "xinjiang": "Sinkiang",
}

# Words that split into pinyin syllables but are (also) English or place names written by convention:
# never rewritten. The list-derived vocabulary (``english_words``) catches the rest.
NOT_PINYIN = frozenset(
    [
        "china",
        "hong",
        "kong",
        "macao",
        "macau",
        "taipei",
        "taiwan",
        "tibet",
        "mining",
        "sense",
        "time",
        "long",
        "men",
        "sun",
        "bin",
        "ban",
        "pan",
        "dan",
        "man",
        "can",
        "fan",
        "gang",
        "hang",
        "hen",
        "den",
        "tie",
        "die",
        "lie",
        "pie",
        "ping",
        "bang",
        "ran",
        "run",
        "gun",
        "pin",
        "mini",
        "nano",
        "a",
        "an",
        "ai",
        "ou",
        "e",
        "o",
        "you",
        "he",
        "she",
        "hu",
        "ma",
        "mao",
        "nan",
        "gene",
        "tan",
        "lane",
        "line",
        "sino",
        "ocean",
        "asia",
        "asian",
        "union",
    ]
)


def syllables(word: str) -> list[str] | None:
    """``"baotou"`` -> ``["bao", "tou"]``; None when the word is not pinyin. Longest syllable first,
    backtracking, so that ``"xian"`` is one syllable and ``"dongfang"`` is ``dong fang``."""
    table = wade_giles()
    text = word.lower()
    if not text.isalpha() or not text.isascii():
        return None

    def split(start: int) -> list[str] | None:
        if start == len(text):
            return []
        for end in range(min(len(text), start + 6), start, -1):
            piece = text[start:end]
            if piece in table:
                rest = split(end)
                if rest is not None:
                    return [piece, *rest]
        return None

    return split(0)


def _plain(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.replace("'", ""))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def wade_giles_word(word: str, style: str) -> str | None:
    """One pinyin word in Wade-Giles: style ``full`` (Pao-t'ou), ``taiwan`` (Pao-tou) or ``joined``
    (Paotou). None when the word is not pinyin or would not change."""
    parts = syllables(word)
    if not parts:
        return None
    table = wade_giles()
    converted = [table[p] for p in parts]
    if style == "full":
        text = "-".join(converted)
    elif style == "taiwan":
        text = "-".join(_plain(c) for c in converted)
    else:
        text = "".join(_plain(c) for c in converted)
    text = text[:1].upper() + text[1:]
    return None if text.lower() == word.lower() else text


# --- Russian ------------------------------------------------------------------------------------

RUSSIAN_RULES: tuple[tuple[str, str, str], ...] = (
    # (name, pattern, replacement) on a lower-case word; each is one convention's spelling of a letter
    ("kh/h", r"kh", "h"),
    ("kh/ch", r"kh", "ch"),
    ("-iy/-y", r"iy$", "y"),
    ("-iy/-ii", r"iy$", "ii"),
    ("-yy/-y", r"yy$", "y"),
    ("-yi/-y", r"yi$", "y"),
    ("ya/ia", r"(?<=[^aeiouy])ya", "ia"),
    ("yu/iu", r"(?<=[^aeiouy])yu", "iu"),
    ("-ov/-off", r"ov$", "off"),
    ("-ev/-eff", r"ev$", "eff"),
    ("ks/x", r"ks", "x"),
    ("ei/ey", r"ei$", "ey"),
    ("ey/ei", r"ey$", "ei"),
    ("ts/tz", r"ts", "tz"),
    ("zh/j", r"zh", "j"),
    ("shch/sch", r"shch", "sch"),
    ("ye/e", r"^ye", "e"),
    ("-aya/-aia", r"aya$", "aia"),
)


def russian_variants(word: str) -> list[tuple[str, str]]:
    """Every single-rule rewrite of one word: ``[("kh/h", "Habarovsk"), ...]``."""
    lower = word.lower()
    found = []
    for name, pattern, replacement in RUSSIAN_RULES:
        changed = re.sub(pattern, replacement, lower)
        if changed != lower and len(changed) >= 2:
            found.append((name, _like(word, changed)))
    return found


def _like(model: str, text: str) -> str:
    if model.isupper():
        return text.upper()
    if model[:1].isupper():
        return text[:1].upper() + text[1:]
    return text


# --- Arabic and Persian -------------------------------------------------------------------------


@cache
def arabic_groups() -> dict[str, tuple[str, ...]]:
    """Spelling -> every spelling of its group (including itself)."""
    found: dict[str, tuple[str, ...]] = {}
    for row in _rows("arabic_persian_names.csv"):
        spellings = tuple(dict.fromkeys(row["spellings"].split()))
        for spelling in spellings:
            found[spelling] = spellings
    return found


_ABD = re.compile(r"\b(?:abdul|abdel|abdol|abd[ -]al|abd[ -]el)[ -]?(?=[a-z])", re.IGNORECASE)
_ABD_FORMS = ("Abdul ", "Abd al-", "Abdel ", "Abdol ")
_ARTICLE = re.compile(r"(?<!abd )(?<!abd-)\b(al|el)-(?=[a-z])", re.IGNORECASE)


def arabic_variants(name: str, rng: random.Random) -> list[tuple[str, str]]:
    """Rewrites of a whole name: ``[("word muhammad", "Mohammed Ali"), ("abd", ...), ...]``."""
    found: list[tuple[str, str]] = []
    words = name.split(" ")
    groups = arabic_groups()
    for index, word in enumerate(words):
        bare = word.strip(",.").lower()
        group = groups.get(bare)
        if group is None:
            continue
        others = [s for s in group if s != bare]
        if others:
            choice = rng.choice(others)
            rewritten = word.lower().replace(bare, choice)
            found.append((f"word {group[0]}", " ".join([*words[:index], _like(word, rewritten), *words[index + 1 :]])))
    match = _ABD.search(name)
    if match:
        current = match.group(0).lower().replace("-", " ").strip()
        forms = [f for f in _ABD_FORMS if f.lower().replace("-", " ").strip() != current]
        form = rng.choice(forms)
        rest = name[match.end() :]
        rewritten = name[: match.start()] + _like(match.group(0), form.lower()) + rest[:1].upper() + rest[1:]
        found.append(("abd al-/abdul", re.sub(r"\s+", " ", rewritten)))
    article = _ARTICLE.search(name)
    if article:
        other = "el-" if article.group(1).lower() == "al" else "al-"
        found.append(("al-/el-", name[: article.start()] + _like(article.group(0), other) + name[article.end() :]))
        found.append(("article dropped", name[: article.start()] + name[article.end() :]))
    return found


# --- attestation --------------------------------------------------------------------------------


def attest(names_per_entry: Iterable[Sequence[str]]) -> dict[str, int]:
    """For each Arabic/Persian group: in how many entries two different spellings of it occur."""
    groups = arabic_groups()
    counts: dict[str, int] = {}
    for names in names_per_entry:
        seen: dict[str, set[str]] = {}
        for name in names:
            for word in re.findall(r"[a-z]+", name.lower()):
                group = groups.get(word)
                if group:
                    seen.setdefault(group[0], set()).add(word)
        for group_name, spellings in seen.items():
            if len(spellings) > 1:
                counts[group_name] = counts.get(group_name, 0) + 1
    return counts


def main(argv: Sequence[str] | None = None, load: Callable[[], list[Sequence[str]]] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.screening_eval.romanise")
    parser.add_argument("--attest", action="store_true", help="count the Arabic/Persian groups seen in one entry")
    args = parser.parse_args(argv)
    if args.attest:
        from benchmarks.screening_eval.parties import load_csl

        rows = load() if load else [entry.names for entry in load_csl()]
        counts = attest(rows)
        for name in sorted({g[0] for g in arabic_groups().values()}):
            print(f"{name}\t{counts.get(name, 0)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
