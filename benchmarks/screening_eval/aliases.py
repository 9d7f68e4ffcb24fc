"""The rule that classifies a held-out alias against the names its entry keeps.

The alias is compared with each remaining name of the entry (folded, see ``fold``) and given the first
class, in this order, that some remaining name earns:

=======================  ====================================================================
variant: punctuation     the same words once case, accents and punctuation are set aside
variant: legal_form      the same words once legal-form words (``fold.LEGAL_FORM_WORDS``) are dropped
variant: word_order      the same words (legal forms aside) in another order
variant: spacing         the same letters once spaces are removed ("AL NASER" / "ALNASER")
variant: acronym         a single word equal to the initials of the name's words (all words, or
                         without stop words, or without stop words and legal forms)
variant: initials        the same words, some written as their first letter ("CHERGEIKO, S.V." for
                         "CHERGEIKO, Sergey Viktorovich"), at least one word in full
variant: short_form      the alias's words are all among the name's (or the name's among the alias's),
                         with at least one word that is not generic; for a person, two words or more
variant: spelling        every word of the shorter name pairs with a word of the other at
                         ``SPELLING`` similarity or more (rapidfuzz ``ratio`` on the folded words),
                         and at least half of the longer name's words are paired; or, when the two
                         split their words differently (not as many words), the joined words are
                         that similar ("JAMAL-AL-DIN" / "JAMALEDDINE")
variant: transliteration the same, once both are reduced to a transliteration skeleton
                         (``skeleton``: kh=h, ph=f, q=k, w=v, y=i, ou=u, doubled letters single...)
variant: translation     after the words of ``GLOSSARY`` are replaced by their English: the same words,
                         a short form, or a spelling or transliteration variant
other: nickname          a person's alias of one word that is not the name written otherwise
                         (punctuation, spacing): "PATRICIA", "CHUCHY", a given name alone; or of
                         two words sharing no word with the name
other: partial           shares a word with the name but is none of the above
other: unrelated         shares no word: an unrelated former name, a nickname, a code name
=======================  ====================================================================

Only the ``variant`` classes count towards the headline recall; ``other`` ones are reported apart.

A person's one-word alias was a spelling or transliteration variant when it looked like another
one-word alias of the entry ("NICA" / "NICO", "JONIER" / "JONNIER") until 2026-12-08: the issue asks
for nicknames to be reported apart, a person is named by a surname and given names, and the short-form
class already asked two words of a person for that reason; the one-word alias is a nickname whatever
it resembles.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz

from benchmarks.screening_eval.fold import LEGAL_FORM_WORDS, STOP_WORDS, core_tokens, fold

SPELLING = 75.0

GENERIC = frozenset(
    """
    company group international trading trade industrial industries industry technology technologies
    engineering electronics electronic services systems development investment research institute center
    centre national general united new china chinese russian iran iranian state republic bank
    """.split()  # noqa: SIM905 -- a word list reads better as words
)

# Words the lists transliterate in one entry and translate in another (Russian, Persian, Spanish,
# French, German, Chinese pinyin corporate words -> English). Our own list.
GLOSSARY = {
    "zoloto": "gold",
    "neft": "oil",
    "neftyanaya": "oil",
    "gaz": "gas",
    "zavod": "plant",
    "kombinat": "plant",
    "kompaniya": "company",
    "obedinenie": "association",
    "obyedinenie": "association",
    "nauchno": "scientific",
    "nauchnyi": "scientific",
    "issledovatelskiy": "research",
    "issledovatelsky": "research",
    "institut": "institute",
    "tsentr": "center",
    "gosudarstvennyi": "state",
    "gosudarstvennoe": "state",
    "federalnoe": "federal",
    "natsionalnyi": "national",
    "mezhdunarodnyi": "international",
    "torgovyi": "trading",
    "torgovy": "trading",
    "bank": "bank",
    "aviatsionnyi": "aviation",
    "sudostroitelnyi": "shipbuilding",
    "mashinostroitelnyi": "machine",
    "tekhnologii": "technologies",
    "proizvodstvennoe": "production",
    "proizvodstvennaya": "production",
    "predpriyatie": "enterprise",
    "unitarnoe": "unitary",
    "sovmestnoe": "joint",
    "inzhenerniy": "engineering",
    "inzhenernyi": "engineering",
    "konstruktorskoe": "design",
    "byuro": "bureau",
    "dizain": "design",
    "zavody": "plants",
    "sistemy": "systems",
    "elektronika": "electronics",
    "vostok": "east",
    "zapad": "west",
    "sever": "north",
    "yug": "south",
    "sherkat": "company",
    "sanaye": "industries",
    "sanayi": "industries",
    "tejarat": "trading",
    "bazargani": "trading",
    "saderat": "export",
    "bonyad": "foundation",
    "daneshgah": "university",
    "daneshgahe": "university",
    "markaz": "center",
    "sazman": "organization",
    "sazmane": "organization",
    "empresa": "company",
    "compania": "company",
    "sociedad": "company",
    "grupo": "group",
    "banco": "bank",
    "comercial": "commercial",
    "internacional": "international",
    "nacional": "national",
    "societe": "company",
    "compagnie": "company",
    "groupe": "group",
    "banque": "bank",
    "gesellschaft": "company",
    "handel": "trading",
    "gongsi": "company",
    "youxian": "limited",
    "keji": "technology",
    "jishu": "technology",
    "dianzi": "electronic",
    "yanjiusuo": "institute",
    "daxue": "university",
    "jituan": "group",
    "maoyi": "trading",
    "guoji": "international",
    "zhongguo": "china",
    "sharikat": "company",
    "sharika": "company",
    "mu'assasat": "establishment",
    "muassasat": "establishment",
    "jamiyat": "society",
    "harakat": "movement",
    "jabhat": "front",
    "jaysh": "army",
    "kataib": "brigades",
    "liwa": "brigade",
}


@dataclass(frozen=True, slots=True)
class AliasClass:
    family: str  # "variant" or "other"
    name: str  # the class, e.g. "acronym"
    against: str  # the entry's name it was classified against ("" when none)

    @property
    def label(self) -> str:
        return f"{self.family}: {self.name}"


_SKELETON = (
    ("dzh", "j"),
    ("zh", "j"),
    ("kh", "h"),
    ("gh", "g"),
    ("ph", "f"),
    ("ck", "k"),
    ("q", "k"),
    ("c", "k"),
    ("w", "v"),
    ("y", "i"),
    ("ou", "u"),
    ("oo", "u"),
    ("ee", "i"),
    ("ie", "i"),
    ("ei", "i"),
    ("ai", "i"),
    ("x", "ks"),
)


def skeleton(word: str) -> str:
    """A transliteration skeleton: ``"Khussein"`` and ``"husayn"`` both -> ``"husin"``-like forms."""
    text = fold(word).replace(" ", "")
    for old, new in _SKELETON:
        text = text.replace(old, new)
    text = re.sub(r"(.)\1+", r"\1", text)  # doubled letters
    text = re.sub(r"(?<=.)h\b", "", text)  # a final h is often dropped
    return re.sub(r"(?<=[a-z])[aeiou](?=[a-z])", lambda m: "a" if m.group(0) in "ae" else m.group(0), text)


def _initials(words: list[str]) -> str:
    return "".join(w[0] for w in words if w)


def _pairs(short: list[str], long: list[str], similar: float, skeletal: bool) -> bool:
    """Every word of ``short`` pairs with some word of ``long`` and half of ``long`` is paired."""
    if not short or not long:
        return False

    def norm(w: str) -> str:
        return skeleton(w) if skeletal else w

    paired = set()
    for word in short:
        scores = [(fuzz.ratio(norm(word), norm(other)), i) for i, other in enumerate(long)]
        best, index = max(scores)
        if best < similar:
            return False
        paired.add(index)
    return len(paired) * 2 >= len(long)


def _spelled(alias: list[str], name: list[str], transliterated: bool) -> bool:
    if set(alias) <= set(name) or set(name) <= set(alias):  # nothing respelled: a short form or a part
        return False
    short, long = sorted((alias, name), key=len)
    if _pairs(short, long, SPELLING, skeletal=transliterated):
        return True
    if len(alias) == len(name):  # as many words: a joined comparison would only hide a changed word
        return False
    if transliterated:
        return fuzz.ratio(skeleton("".join(alias)), skeleton("".join(name))) >= SPELLING + 5
    return fuzz.ratio("".join(alias), "".join(name)) >= SPELLING + 5


def _initialled(alias: list[str], name: list[str]) -> bool:
    """Each word of one is the same word of the other, or its first letter; one side has initials."""
    if len(alias) != len(name) or alias == name:
        return False
    for short, full in ((alias, name), (name, alias)):
        rest = list(full)
        initials = []
        for word in short:
            if word in rest:
                rest.remove(word)
            elif len(word) == 1:
                initials.append(word)
            else:
                break
        else:
            whole = [w for w in short if len(w) > 1]
            if initials and whole and sorted(initials) == sorted(w[0] for w in rest):
                return True
    return False


def _short_form(alias: list[str], name: list[str], person: bool) -> bool:
    """One's words all among the other's, one of them not generic (a person: two words or more)."""
    smaller, larger = sorted((set(alias), set(name)), key=len)
    return bool(smaller) and smaller <= larger and bool(smaller - GENERIC) and (not person or len(smaller) >= 2)


def _translate(words: Iterable[str]) -> list[str]:
    return [GLOSSARY.get(w, w) for w in words]


def _compare(alias: str, name: str, person: bool) -> AliasClass | None:
    a_fold, n_fold = fold(alias), fold(name)
    if a_fold == n_fold:
        return AliasClass("variant", "punctuation", name)
    a_core, n_core = core_tokens(alias), core_tokens(name)
    if a_core == n_core:
        return AliasClass("variant", "legal_form", name)
    if sorted(a_core) == sorted(n_core):
        return AliasClass("variant", "word_order", name)
    if a_fold.replace(" ", "") == n_fold.replace(" ", "") or "".join(a_core) == "".join(n_core):
        return AliasClass("variant", "spacing", name)
    if person and len(a_core) == 1:  # a nickname or a given name alone (see the module docstring)
        return None
    if len(a_fold.split()) == 1 and 2 <= len(a_fold) <= 10 and not person:
        words = n_fold.split()
        candidates = {
            _initials(words),
            _initials([w for w in words if w not in STOP_WORDS]),
            _initials([w for w in words if w not in STOP_WORDS and w not in LEGAL_FORM_WORDS]),
        }
        if a_fold in candidates:
            return AliasClass("variant", "acronym", name)
    if _initialled(a_core, n_core):
        return AliasClass("variant", "initials", name)
    if _short_form(a_core, n_core, person):
        return AliasClass("variant", "short_form", name)
    if _spelled(a_core, n_core, transliterated=False):
        return AliasClass("variant", "spelling", name)
    if _spelled(a_core, n_core, transliterated=True):
        return AliasClass("variant", "transliteration", name)
    a_en, n_en = _translate(a_core), _translate(n_core)
    if (a_en != a_core or n_en != n_core) and (
        sorted(a_en) == sorted(n_en) or _short_form(a_en, n_en, person) or _spelled(a_en, n_en, transliterated=True)
    ):
        return AliasClass("variant", "translation", name)
    return None


def classify(alias: str, names: Iterable[str], *, person: bool) -> AliasClass:
    """The class of ``alias`` given the names its entry keeps (see the module docstring)."""
    kept = list(names)
    order = (
        "punctuation",
        "legal_form",
        "word_order",
        "spacing",
        "acronym",
        "initials",
        "short_form",
        "spelling",
        "transliteration",
        "translation",
    )
    found_all = [f for f in (_compare(alias, name, person) for name in kept) if f is not None]
    for wanted in order:
        for found in found_all:
            if found.name == wanted:
                return found
    alias_words = set(core_tokens(alias))
    if person and len(alias_words) == 1:
        return AliasClass("other", "nickname", "")
    shared = [
        name
        for name in kept
        if any(fuzz.ratio(skeleton(a), skeleton(n)) >= 85 for a in alias_words for n in core_tokens(name))
    ]
    if shared:
        return AliasClass("other", "partial", shared[0])
    if person and len(fold(alias).split()) <= 2:
        return AliasClass("other", "nickname", "")
    return AliasClass("other", "unrelated", "")
