"""The variant rules: each turns one list entry into a name a user might type for that party.

Every rule is this evaluation's own (not the matcher's), takes the entry and a seeded ``Random`` and
returns a ``Variant`` or None when it does not apply to the entry. The kinds:

==================  ===========================================================================
``exact``           the entry's primary name as listed
``alias``           one of the entry's aliases as listed (kept in the index)
``romanisation``    another romanisation: ``wade_giles`` / ``postal`` for pinyin names of Chinese
                    entries, ``russian`` transliteration variants, ``arabic`` name-word spellings
``chinese``         the Chinese-character name of a listed Chinese organisation (``tables/chinese_names.csv``,
                    each pair cited; built in ``generate``, not here)
``parenthetical``   a parenthetical part dropped (half), or one added: the name's initials or the country
``typo``            one or two keyboard slips (neighbour key, a letter dropped, doubled or swapped)
``abbreviation``    words abbreviated as business writing does (Corporation -> Corp., International -> Intl)
``legal_form``      the legal form swapped for an equivalent, dropped, or added
``reorder``         words reordered: "SURNAME, Given" -> "Given SURNAME", or the leading place name moved
``punctuation``     punctuation and spacing changed: hyphens to spaces, words joined, dots dropped
==================  ===========================================================================
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from iso3166 import countries_by_alpha2

from benchmarks.screening_eval import romanise
from benchmarks.screening_eval.fold import LEGAL_FORM_WORDS, STOP_WORDS, fold
from earcheck.lists import ListEntry


@dataclass(frozen=True, slots=True)
class Variant:
    name: str
    kind: str
    subkind: str


Rule = Callable[[ListEntry, random.Random], Variant | None]

PERSON_TYPES = frozenset({"Individual"})
CHINESE_COUNTRIES = frozenset({"CN"})
RUSSIAN_COUNTRIES = frozenset({"RU", "BY", "UA", "KZ", "KG", "TJ", "UZ", "AM", "AZ", "GE", "MD", "TM"})


def is_person(entry: ListEntry) -> bool:
    return entry.entity_type in PERSON_TYPES


ORGANISATION_WORDS = frozenset(
    [
        "company",
        "corporation",
        "corp",
        "co",
        "ltd",
        "limited",
        "llc",
        "inc",
        "group",
        "holding",
        "holdings",
        "industries",
        "industry",
        "industrial",
        "technology",
        "technologies",
        "tech",
        "trading",
        "trade",
        "institute",
        "university",
        "academy",
        "bank",
        "airlines",
        "airline",
        "shipping",
        "engineering",
        "electronics",
        "electronic",
        "center",
        "centre",
        "laboratory",
        "research",
        "factory",
        "plant",
        "works",
        "enterprise",
        "enterprises",
        "organization",
        "organisation",
        "ministry",
        "agency",
        "bureau",
        "office",
        "association",
        "foundation",
        "front",
        "army",
        "brigade",
        "party",
        "movement",
        "cartel",
        "network",
        "services",
        "systems",
        "international",
        "development",
        "investment",
        "import",
        "export",
        "logistics",
        "manufacturing",
        "machinery",
        "equipment",
        "chemical",
        "petroleum",
        "oil",
        "gas",
        "energy",
        "power",
        "aviation",
        "aerospace",
        "science",
        "sciences",
        "school",
        "hospital",
        "committee",
        "council",
        "department",
        "authority",
        "ooo",
        "oao",
        "zao",
        "ao",
        "pao",
        "jsc",
        "ojsc",
        "cjsc",
        "pjsc",
        "gmbh",
        "ag",
        "sa",
        "srl",
        "spa",
        "bv",
        "nv",
        "fze",
        "fzco",
        "pte",
        "bhd",
        "tov",
        "plc",
    ]
)


def is_organisation(entry: ListEntry) -> bool:
    """Listed as an entity, or untyped (the Entity List rows) with a word only organisations use."""
    if entry.entity_type == "Entity":
        return True
    if entry.entity_type is not None:
        return False
    return any(word in ORGANISATION_WORDS for word in fold(entry.name).split())


def is_party(entry: ListEntry) -> bool:
    """Organisations and people (vessels and aircraft are screened by their numbers, not here)."""
    return entry.entity_type in (None, "Entity", "Individual")


def _changed(entry: ListEntry, name: str, kind: str, subkind: str) -> Variant | None:
    name = re.sub(r"\s+", " ", name).strip(" ,")
    if not name or (fold(name) == fold(entry.name) and kind not in ("exact", "punctuation")):
        return None
    if name == entry.name and kind != "exact":
        return None
    return Variant(name, kind, subkind)


def exact(entry: ListEntry, rng: random.Random) -> Variant | None:
    return Variant(entry.name, "exact", "primary name")


def alias(entry: ListEntry, rng: random.Random) -> Variant | None:
    options = [a for a in entry.aliases if fold(a) != fold(entry.name) and len(fold(a)) >= 3]
    return Variant(rng.choice(options), "alias", "listed alias") if options else None


# --- romanisation -------------------------------------------------------------------------------


def _words(name: str) -> list[str]:
    return re.findall(r"[A-Za-z]+", name)


def wade_giles(entry: ListEntry, rng: random.Random, english: frozenset[str]) -> Variant | None:
    if not CHINESE_COUNTRIES & set(entry.countries) or is_person(entry):
        return None
    style = rng.choice(("full", "taiwan", "joined"))
    changed = False
    postal = False

    def rewrite(match: re.Match[str]) -> str:
        nonlocal changed, postal
        word = match.group(0)
        lower = word.lower()
        if lower in romanise.POSTAL and rng.random() < 0.5:
            changed = postal = True
            return romanise.POSTAL[lower].upper() if word.isupper() else romanise.POSTAL[lower]
        if lower in romanise.NOT_PINYIN or lower in english or len(lower) < 3:
            return word
        converted = romanise.wade_giles_word(word, style)
        if converted is None:
            return word
        changed = True
        return converted.upper() if word.isupper() else converted

    name = re.sub(r"[A-Za-z]+", rewrite, entry.name)
    if not changed:
        return None
    return _changed(entry, name, "romanisation", "postal" if postal else f"wade_giles {style}")


def russian(entry: ListEntry, rng: random.Random) -> Variant | None:
    russian_program = any(p.upper().startswith(("RUSSIA", "UKRAINE", "BELARUS")) for p in entry.programs)
    if not (RUSSIAN_COUNTRIES & set(entry.countries) or russian_program):
        return None
    words = _words(entry.name)
    options = [
        (word, variant)
        for word in words
        if word.lower() not in LEGAL_FORM_WORDS
        for variant in romanise.russian_variants(word)
    ]
    if not options:
        return None
    rng.shuffle(options)
    name = entry.name
    used: list[str] = []
    touched: set[str] = set()
    for word, (rule, replacement) in options[: rng.choice((1, 2, 2, 3))]:
        if word in touched:
            continue
        touched.add(word)
        name = re.sub(rf"\b{re.escape(word)}\b", replacement, name, count=1)
        used.append(rule)
    return _changed(entry, name, "romanisation", "russian " + "+".join(sorted(used)))


def arabic(entry: ListEntry, rng: random.Random) -> Variant | None:
    options = romanise.arabic_variants(entry.name, rng)
    if not options:
        return None
    rule, name = rng.choice(options)
    # a second, independent rewrite half the time: real variants often differ in more than one word
    if rng.random() < 0.5:
        more = [o for o in romanise.arabic_variants(name, rng) if o[0] != rule]
        if more:
            second, name = rng.choice(more)
            rule = f"{rule}+{second}"
    return _changed(entry, name, "romanisation", "arabic " + rule)


# --- form ---------------------------------------------------------------------------------------

_PAREN = re.compile(r"\s*\(([^()]*)\)")


def parenthetical_dropped(entry: ListEntry, rng: random.Random) -> Variant | None:
    """One parenthetical part of the name left out: "Huawei Technologies Co., Ltd. (Huawei)" -> without it."""
    found = list(_PAREN.finditer(entry.name))
    if not found:
        return None
    part = rng.choice(found)
    return _changed(entry, entry.name[: part.start()] + entry.name[part.end() :], "parenthetical", "dropped")


def parenthetical_added(entry: ListEntry, rng: random.Random) -> Variant | None:
    """An organisation's initials or its country added in parentheses, as registers and invoices write it."""
    if _PAREN.search(entry.name) or not is_organisation(entry):
        return None
    core = [w for w in _words(entry.name) if w.lower() not in LEGAL_FORM_WORDS and w.lower() not in STOP_WORDS]
    country = next((countries_by_alpha2[c].name for c in entry.countries if c in countries_by_alpha2), None)
    if len(core) >= 3 and (country is None or rng.random() < 0.5):
        initials = "".join(w[0].upper() for w in core)
        return _changed(entry, f"{entry.name} ({initials})", "parenthetical", "added initials")
    if country:
        short = country.split(",")[0]
        return _changed(entry, f"{entry.name} ({short})", "parenthetical", "added country")
    return None


KEYBOARD = {
    row[i]: (row[i - 1] if i > 0 else "") + (row[i + 1] if i + 1 < len(row) else "")
    for row in ("qwertyuiop", "asdfghjkl", "zxcvbnm")
    for i in range(len(row))
}


def _slip(word: str, rng: random.Random) -> tuple[str, str]:
    i = rng.randrange(1, len(word) - 1)  # the first letter is rarely mistyped
    kind = rng.choice(("neighbour", "dropped", "doubled", "swapped"))
    if kind == "neighbour" and word[i].lower() in KEYBOARD:
        near = rng.choice(KEYBOARD[word[i].lower()])
        near = near.upper() if word[i].isupper() else near
        return word[:i] + near + word[i + 1 :], kind
    if kind == "dropped":
        return word[:i] + word[i + 1 :], kind
    if kind == "doubled":
        return word[:i] + word[i] + word[i:], kind
    if word[i] == word[i + 1]:
        return word[:i] + word[i + 1 :], "dropped"
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :], "swapped"


def typo(entry: ListEntry, rng: random.Random) -> Variant | None:
    words = [w for w in _words(entry.name) if len(w) >= 5 and w.lower() not in LEGAL_FORM_WORDS]
    if not words:
        return None
    count = 2 if len(words) >= 3 and rng.random() < 0.3 else 1
    name = entry.name
    kinds = []
    for word in rng.sample(words, count):
        slipped, how = _slip(word, rng)
        name = re.sub(rf"\b{re.escape(word)}\b", slipped, name, count=1)
        kinds.append(how)
    return _changed(entry, name, "typo", "+".join(kinds))


ABBREVIATIONS: Mapping[str, str] = {
    "corporation": "Corp.",
    "company": "Co.",
    "limited": "Ltd.",
    "incorporated": "Inc.",
    "international": "Intl",
    "technology": "Tech.",
    "technologies": "Techs.",
    "industries": "Inds.",
    "industry": "Ind.",
    "industrial": "Indl.",
    "manufacturing": "Mfg.",
    "engineering": "Eng.",
    "electronics": "Elec.",
    "electronic": "Elec.",
    "research": "Res.",
    "institute": "Inst.",
    "university": "Univ.",
    "group": "Grp.",
    "development": "Dev.",
    "science": "Sci.",
    "sciences": "Scis.",
    "academy": "Acad.",
    "national": "Natl.",
    "association": "Assn.",
    "brothers": "Bros.",
    "department": "Dept.",
    "equipment": "Equip.",
    "communication": "Comm.",
    "communications": "Comms.",
    "information": "Info.",
    "machinery": "Mach.",
    "shipping": "Shpg.",
    "trading": "Trdg.",
    "services": "Svcs.",
    "management": "Mgmt.",
    "systems": "Sys.",
    "aviation": "Avn.",
    "petroleum": "Petr.",
    "chemical": "Chem.",
    "investment": "Inv.",
    "holdings": "Hldgs.",
    "logistics": "Logist.",
    "laboratory": "Lab.",
    "center": "Ctr.",
    "centre": "Ctr.",
    "general": "Gen.",
    "republic": "Rep.",
    "and": "&",
}


def abbreviation(entry: ListEntry, rng: random.Random) -> Variant | None:
    if not is_organisation(entry):
        return None
    words = [w for w in _words(entry.name) if w.lower() in ABBREVIATIONS and w.lower() != "and"]
    if not words:
        return None
    chosen = set(rng.sample(words, rng.randint(1, len(words))))
    dotless = rng.random() < 0.4

    def shorten(match: re.Match[str]) -> str:
        word = match.group(0)
        if word not in chosen and not (word.lower() == "and" and rng.random() < 0.5):
            return word
        short = ABBREVIATIONS[word.lower()]
        short = short.rstrip(".") if dotless else short
        return short.upper() if word.isupper() and len(word) > 1 else short

    name = re.sub(r"[A-Za-z]+", shorten, entry.name)
    return _changed(entry, name, "abbreviation", "without dots" if dotless else "with dots")


LEGAL_FORMS: tuple[tuple[str, ...], ...] = (
    # spellings of one legal form, as the lists and registries write them
    ("Co., Ltd.", "Company Limited", "Co Ltd", "Co. Limited", "Company Ltd."),
    ("Limited", "Ltd.", "Ltd"),
    ("Corporation", "Corp.", "Corp"),
    ("Incorporated", "Inc.", "Inc"),
    ("LLC", "L.L.C.", "Limited Liability Company"),
    ("OOO", "LLC", "Limited Liability Company", "Obshchestvo s Ogranichennoi Otvetstvennostyu"),
    ("JSC", "AO", "Joint Stock Company", "Aktsionernoe Obshchestvo"),
    ("PJSC", "PAO", "Public Joint Stock Company"),
    ("OJSC", "OAO", "Open Joint Stock Company"),
    ("CJSC", "ZAO", "Closed Joint Stock Company"),
    ("GmbH", "Gesellschaft mit beschraenkter Haftung"),
    ("Group Co., Ltd.", "Group Company Limited", "Group Co Ltd"),
)
_FORM_PATTERN = re.compile(
    "|".join(
        rf"(?:^|(?<=[\s,])){re.escape(form)}(?=$|[\s,.)])"
        for form in sorted({f for group in LEGAL_FORMS for f in group}, key=len, reverse=True)
    ),
    re.IGNORECASE,
)
_ADDED_FORMS = ("Co., Ltd.", "Limited", "LLC", "Corporation", "Inc.", "Company")
_LEADING_FORMS = frozenset({"OOO", "AO", "PAO", "OAO", "ZAO", "JSC", "PJSC", "OJSC", "CJSC"})


def legal_form(entry: ListEntry, rng: random.Random) -> Variant | None:
    if not is_organisation(entry):
        return None
    found = list(_FORM_PATTERN.finditer(entry.name))
    if not found:
        form = rng.choice(_ADDED_FORMS)
        return _changed(entry, f"{entry.name} {form}", "legal_form", "added")
    match = found[-1]
    written = match.group(0)
    groups = [g for g in LEGAL_FORMS if any(f.lower() == written.lower() for f in g)]
    others = [f for g in groups for f in g if f.lower() != written.lower()]
    if not others or rng.random() < 0.3:
        name = entry.name[: match.start()] + entry.name[match.end() :]
        return _changed(entry, name, "legal_form", "dropped")
    replacement = rng.choice(others)
    if replacement in _LEADING_FORMS and rng.random() < 0.3 and match.start() > 0:  # Russian usage puts it first
        name = replacement + " " + (entry.name[: match.start()] + entry.name[match.end() :]).strip(" ,")
        return _changed(entry, name, "legal_form", "swapped and moved")
    name = entry.name[: match.start()] + replacement + entry.name[match.end() :]
    return _changed(entry, name, "legal_form", "swapped")


def reorder(entry: ListEntry, rng: random.Random) -> Variant | None:
    if not is_organisation(entry):
        if "," in entry.name:
            surname, _, given = entry.name.partition(",")
            return _changed(entry, f"{given.strip()} {surname.strip()}", "reorder", "given name first")
        words = entry.name.split()
        if len(words) < 2:
            return None
        return _changed(entry, " ".join(words[1:] + words[:1]), "reorder", "first word last")
    forms = list(_FORM_PATTERN.finditer(entry.name))
    tail = entry.name[forms[-1].start() :] if forms and forms[-1].end() >= len(entry.name.rstrip(". )")) else ""
    body = entry.name[: len(entry.name) - len(tail)].strip(" ,") if tail else entry.name
    words = body.split()
    if len(words) < 3 or "(" in body:
        return None
    reordered = words[1:] + words[:1]
    return _changed(entry, " ".join(reordered) + (f" {tail}" if tail else ""), "reorder", "leading word moved last")


def punctuation(entry: ListEntry, rng: random.Random) -> Variant | None:
    name = entry.name
    options = []
    if "-" in name:
        options += [("hyphen to space", name.replace("-", " ")), ("hyphen joined", name.replace("-", ""))]
    if re.search(r"[.,']", name):
        options.append(("dots and commas dropped", re.sub(r"[.,']", "", name)))
    words = name.split()
    if len(words) >= 3:
        i = rng.randrange(len(words) - 1)
        if words[i].isalpha() and words[i + 1].isalpha():
            options.append(("two words joined", " ".join([*words[:i], words[i] + words[i + 1], *words[i + 2 :]])))
    if not options:
        return None
    how, changed = rng.choice(options)
    changed = re.sub(r"\s+", " ", changed).strip()
    if changed == name:
        return None
    return Variant(changed, "punctuation", how)
