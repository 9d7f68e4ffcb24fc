"""How this evaluation compares names for its own bookkeeping (never for scoring earcheck).

Folding: NFKD, accents dropped, case folded, every run of non-alphanumeric characters a single space.
Used to cluster list entries into parties, to keep negatives off the lists, and by the alias classifier.
The legal-form words are this evaluation's own short list (English, Russian, Chinese-English, German,
French, Spanish, Persian and Arabic forms seen on the lists), not the matcher's table.
"""

from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^0-9a-z\u3400-\u9fff]+")

LEGAL_FORM_WORDS = frozenset(
    [
        "co",
        "company",
        "companies",
        "corp",
        "corporation",
        "inc",
        "incorporated",
        "ltd",
        "limited",
        "llc",
        "llp",
        "lp",
        "plc",
        "pjsc",
        "ojsc",
        "cjsc",
        "jsc",
        "ao",
        "pao",
        "oao",
        "zao",
        "ooo",
        "obshchestvo",
        "ogranichennoi",
        "otvetstvennostyu",
        "aktsionernoe",
        "publichnoe",
        "zakrytoe",
        "otkrytoe",
        "tov",
        "pte",
        "bhd",
        "sdn",
        "gmbh",
        "ag",
        "kg",
        "sa",
        "sarl",
        "sas",
        "srl",
        "spa",
        "bv",
        "nv",
        "ab",
        "oy",
        "as",
        "fze",
        "fzco",
        "fzc",
        "fzllc",
        "llc.",
        "est",
        "establishment",
        "pvt",
        "private",
        "public",
        "joint",
        "stock",
        "group",
        "holding",
        "holdings",
        "sherkat",
        "sherkate",
        "kft",
        "doo",
        "ad",
        "sal",
    ]
)

STOP_WORDS = frozenset(
    [
        "of",
        "the",
        "and",
        "for",
        "de",
        "des",
        "du",
        "la",
        "le",
        "el",
        "al",
        "a",
        "an",
        "in",
        "on",
        "at",
        "by",
        "&",
        "y",
        "i",
    ]
)


def fold(text: str) -> str:
    """``"Co., Ltd. (Huawei)"`` -> ``"co ltd huawei"``."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", stripped.casefold()).strip()


def tokens(text: str) -> list[str]:
    return fold(text).split()


def core_tokens(text: str) -> list[str]:
    """The folded words without legal forms: ``"OOO Transoil"`` -> ``["transoil"]``."""
    words = tokens(text)
    kept = [w for w in words if w not in LEGAL_FORM_WORDS]
    return kept or words


def key(text: str) -> str:
    """Order-free identity of a name without its legal form, for "is this the same name" checks."""
    return " ".join(sorted(core_tokens(text)))


def has_cjk(text: str) -> bool:
    return any("\u3400" <= ch <= "\u9fff" for ch in text)
