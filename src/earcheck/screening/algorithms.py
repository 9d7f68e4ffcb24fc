"""Name-matching algorithms, versioned by name. Every feature and weight is declared here.

An algorithm is released under a name (``name-v1``, ``name-v2``) and is never edited afterwards: a changed
weight, table or rule is a new algorithm (``name-v2``) declared beside it, and ``DEFAULT`` points at
the one used when none is asked for. Screening output names the algorithm that scored it (the
CLI's JSON, ``ScreeningConfig.algorithm``), so an old screening can be reproduced.

How ``name-v1`` scores a listed name against the name being screened (both normalised, see
``earcheck.screening.normalise``):

1. Each word has a weight: the rarer the word among the listed entries, the heavier
   (``1 + ln((N + 1) / (df + 1))``, N entries, df of them use the word); generic words such as
   "technology" or "trading" weigh ``generic_weight`` times that, and places ("Beijing", "Iran")
   ``place_weight`` times; a word the lists never use weighs as the rarest. A name without any
   distinctive word ("China Mobile") is compared on all its words at full weight.
2. Words are paired by similarity: equal words score 1; words of at least 5 letters (one of them
   may have 4) within the edit floors (one edit in a short word, two in a long one: substitution,
   insertion, deletion, swap of neighbours), or sounding alike, score their similarity raised to
   an exponent below 1 (see ``earcheck.screening.scoring``); words with digits must be equal.
   Adjacent words may be joined to meet a word written as one ("hua wei" / "huawei", "al quds" /
   "alquds"). Word order is ignored.
3. The two ``name`` features measure coverage: the share of the listed name's weight that the
   screened name covers, times the share of its distinctive weight (not generic, not a place) that
   is not missing altogether; and the same for the screened name. The name score is their weighted
   geometric mean, the feature weights being the exponents, so a name that covers only the generic
   words of the other ("11420 CORP." against "BELLETECH CORP") scores near 0 whatever they share.
4. The ``evidence`` features each give a value in [-1, 1] (agree, unknown = 0, conflict) and add
   ``weight * value``: the legal-form families, the country, the address. They can move a score a
   little, never exclude an entry. The final score is clamped to [0, 1].

``name-v2`` scores as ``name-v1`` does, with tables ``v2`` and these changes:

5. Romanisation (``earcheck.screening.romanisation``): two words that a table reads as one name in
   two systems (Wade-Giles "paotou" / pinyin "baotou", "Dmitrii" / "Dmitriy", "Husayn" / "Hussein")
   pair with ``variant_similarity``; words sharing only the Arabic consonant key, with
   ``loose_similarity`` when their spellings are also near (``loose_spelling_floor``). The index finds
   them by those keys, and the hit says which table matched.
6. A name of digits and single letters only ("1-P", "7") matches only a name written the same.
7. The ``entity_type`` evidence: an organisation's name against an individual's entry counts against.
8. Traditional Chinese characters are read as simplified (OpenCC) before the Chinese tables.
9. A screened name with parentheses is also compared without them (``normalise.screened_forms``): free
   when they hold only a country, a place, company words or the name's initials, else at
   ``parenthesis_penalty``, which leaves it in review at best: they may name what tells two parties
   apart ("Atomic Energy Organization of Iran (KENT)"). Its best form scores.
10. A listed name with one distinctive word met by a screened name with one that is not the same word,
   and nothing else shared ("Roberto" / "Roberta", "Samsung Electronics" / "Samsun"), scores at most
   ``lone_word_cap`` (review) unless the words are long (``lone_word_length``) or both names give the
   same company type ("Vrsor s.r.o." / "Versor s.r.o."): one short word a letter or two away is another
   name as often as a typo.
   Likewise a listed name that is one short distinctive word and nothing else ("SAGA") met by a screened
   name that has it beside corporate words or places ("Saga Communications, Inc."): review at best.
11. The ``other_words`` evidence: each name has a corporate word or place the other lacks.
12. Joined words meet a word only when none of them alone is as like it: "atn international" is not
   "international" misspelt (name-v1 credited the join "atninternational" / "international" 0.9).
13. Two different generic words are never one word misspelt ("electric" / "electronic").
14. A listed name with places in parentheses is also indexed without them, at ``place_form_cost``
   ("Cinty Int'l (HK) Industry" is also "Cinty Int'l Industry"; the parent listed as written ranks first),
   and without every parenthesis at ``parenthesis_form_cost`` ("Seyed Taba (Turkish individual)").
   When another entry matches the name as its list wrote it, a hit met only through such a form is
   review at best (the lists write "SMIC" and "SMIC (Beijing)": the place tells the parties apart).
15. A name in Chinese characters that the cross-script table (``data/v2/cross_script.yaml``) pairs with
   a listed name is also compared as that name: free when a source gave both names together, else at
   ``unverified_name_cost`` (review at best: a person checks a recalled pairing).

``name-v3`` scores as ``name-v2`` does, with the same tables, and these changes:

16. A screened name of one weighed word against a listed name of that word beside stop words only
   ("Sales" / "AR Sales": "ar" reads as the Arabic article, which weighs nothing) is review at best
   (``lone_word_cap``): the listed name writes a word the screened one lacks, and one shared word is
   another party as often as not (``earcheck.screening.stop_words``).
17. Acronyms (``earcheck.screening.acronyms``): an organisation's names are also indexed by their
   initials (stop words and company types left out: "Harbin Institute of Technology" -> HIT); a screened
   name written as an acronym ("HIT", "I.R.G.C.") meets them at ``acronym_score``, never above
   ``acronym_cap``: review, since initials are weak evidence. An acronym the list writes as an alias
   is met through the alias, as a match.
18. People's short forms (``earcheck.screening.short_forms``): a listed individual with two given names
   or more is also indexed as surname(s) and first given name ("BAGHERI, Mohammad Hossein Ali" ->
   "BAGHERI, Mohammad") at ``short_form_cost``, never above ``short_form_cap``: review, since the
   short name is also other people's.
19. Item 14's rule (an entry met only through a form its list did not write is review at best when
   another entry matches as written) applies only when the written name scores at least what the
   unwritten form would have scored as written: "GAZPROMBANK LTD" is "GAZPROMBANK (SWITZERLAND) LTD"
   with its place left out more than it is "GAZPROMBANK JOINT STOCK COMPANY" (another company type,
   another country). SMIC and "SMIC (Beijing)" are still told apart: both explain "Semiconductor
   Manufacturing International Corporation" fully, and the one written so ranks first.

``name-v4`` (the default) scores as ``name-v3`` does, with tables ``v3``: v2's, with more Chinese
corporate, institute and university words (国家 national, 工程物理研究院 academy of engineering physics,
理工大学 university of science and technology, the compass regions 西北 northwest ...), a limited
partnership (有限合伙), the German long form "Gesellschaft mit beschraenkter Haftung" and the abbreviation
"gen" (general); and one rule:

20. An ordinal in Chinese numerals (第十四, 第七〇七) is written as its number in digits, as the lists write
   the state groups' numbered institutes ("14th Research Institute", normalised "14").
21. A screened name compared without parentheses that only qualify it (a country, a place, company words,
   its initials: item 9) costs ``qualifier_form_cost``: still a match, but an entry written with the
   same parenthesis ranks first. "PCC (UK)" scored 1.0 both against "PCC (UK)" (the UK company) and,
   without "(UK)", against "PCC FZE" (a company type set aside: another party, in the UAE), and the
   wrong one could rank first.

``name-v5`` (not the default) scores as ``name-v4`` does, with the same tables, and one more rule; it
lets more clean names match on the evaluation (dev: 7.3 false matches per 1,000 clean names against
6.0, measured on name-v3 with the rule added, before the merge), so it is named, not the default:

22. Consonant skeletons (``earcheck.screening.skeleton``, table ``data/skeleton/v1.yaml``): a romanised
   word of four letters or more also gets the skeleton of its consonants, digraphs read before their
   letters and a letter with several readings giving several ("q": k or gh), vowels dropped but a
   leading one, a final "h" after a vowel dropped, doubled letters one ("Tharwat" / "Sarvat",
   "Ridhwan" / "Radwan", "Moqadam" / "Moghaddam"). Two words sharing a skeleton pair at
   ``loose_similarity`` when their spellings are at least ``skeleton_spelling_floor`` alike (OSA); the
   index finds them by the skeleton, as by the other romanisation keys. name-v2's Arabic key stays as
   it was (its "h" rule runs before "gh", "th", "dh" and "sh" are read, so those never fire there).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import StrEnum

__all__ = [
    "ALGORITHMS",
    "DEFAULT",
    "NAME_V1",
    "NAME_V2",
    "NAME_V3",
    "NAME_V4",
    "NAME_V5",
    "Algorithm",
    "Feature",
    "FeatureKind",
    "algorithm",
]


class FeatureKind(StrEnum):
    NAME = "name"  # a coverage in [0, 1]; the weight is its exponent in the geometric mean
    EVIDENCE = "evidence"  # a value in [-1, 1]; the weight is what it adds to the score at most


@dataclass(frozen=True, slots=True)
class Feature:
    name: str
    kind: FeatureKind
    weight: float
    description: str


@dataclass(frozen=True, slots=True)
class Algorithm:
    """A released name-matching algorithm: its features with their weights, and its parameters."""

    name: str
    lexicon: str  # version of the word tables in earcheck/screening/data/
    features: tuple[Feature, ...]
    generic_weight: float  # generic words weigh this fraction of a distinctive word of equal rarity
    place_weight: float  # places weigh this fraction of a distinctive word of equal rarity
    short_word_floor: float  # least similarity that counts for words shorter than long_word
    long_word_floor: float  # the same for longer words
    long_word: int
    fuzzy_min_length: int  # words shorter (or one of them two shorter) must be equal, as must numbers
    fuzzy_exponent: float  # a similarity s that counts is credited s ** fuzzy_exponent...
    fuzzy_boost_length: int  # ...when the longer word has at least this many letters...
    short_fuzzy_exponent: float  # ...else s ** short_fuzzy_exponent
    phonetic_similarity: float  # similarity given to words of equal phonetic key...
    phonetic_min_length: int  # ...when both have at least this many letters
    max_join: int  # how many adjacent words may be joined to meet one word
    join_floor: float  # least similarity of joined words to the word they meet
    variant_similarity: float = 0.0  # name-v2: words one romanisation table reads as one name (0: off)
    loose_similarity: float = 0.0  # name-v2: words that share only the Arabic consonant key...
    loose_spelling_floor: float = 0.0  # ...and whose spellings are at least this similar (OSA)
    symbolic_exact: bool = False  # name-v2: names of digits and single letters ("1-P") match only as written
    simplify_han: bool = False  # name-v2: traditional Chinese characters read as simplified (OpenCC)
    parenthesis_forms: bool = False  # name-v2: a screened name is compared without its parentheses too...
    parenthesis_penalty: float = 0.0  # ...at this cost when they are more than a country, place or initials
    qualifier_form_cost: float = 0.0  # name-v4: ...and at this cost when they are only that (ranking, not band)
    unverified_name_cost: float = 0.0  # name-v2: a cross-script pairing not vouched for by a source costs this
    place_form_cost: float = 0.0  # name-v2: a listed name is also indexed without places in parentheses, at this cost
    parenthesis_form_cost: float = 0.0  # name-v2: ...and without every parenthesis, at this cost
    generic_words_distinct: bool = False  # name-v2: two different generic words never pair as a misspelling
    joins_must_help: bool = False  # name-v2: joined words meet a word only when no one of them alone does as well
    lone_word_cap: float = 1.0  # name-v2: the most a name scores whose one word meets the other's inexactly...
    lone_word_length: int = 0  # ...when the longer of the two words is shorter than this
    lone_beside_stop_words: bool = False  # name-v3: one word against that word beside stop words: review at best
    acronym_keys: bool = False  # name-v3: organisations indexed by their names' initials too...
    acronym_score: float = 0.0  # ...a screened acronym scores this against a name it spells...
    acronym_cap: float = 0.0  # ...and at most this, whatever the evidence (below the match threshold)
    short_form_cost: float = 0.0  # name-v3: a person's surname and first given name are indexed, costing this...
    short_form_cap: float = 0.0  # ...and scoring at most this (0: no short forms)
    written_form_compared: bool = False  # name-v3: item 14's "another entry written so" only when it explains as well
    skeleton_table: str = ""  # name-v5: consonant skeletons (``skeleton``, data/skeleton/<this>.yaml; "": off)...
    skeleton_spelling_floor: float = 0.0  # ...credited when the spellings are at least this similar (OSA)

    def feature(self, name: str) -> Feature:
        for feature in self.features:
            if feature.name == name:
                return feature
        raise KeyError(name)

    @property
    def name_features(self) -> tuple[Feature, ...]:
        return tuple(f for f in self.features if f.kind is FeatureKind.NAME)

    @property
    def evidence_features(self) -> tuple[Feature, ...]:
        return tuple(f for f in self.features if f.kind is FeatureKind.EVIDENCE)

    @property
    def max_bonus(self) -> float:
        """The most the evidence features can add to a name score."""
        return sum(f.weight for f in self.evidence_features)


NAME_V1 = Algorithm(
    name="name-v1",
    lexicon="v1",
    features=(
        Feature(
            "entry_coverage",
            FeatureKind.NAME,
            0.6,
            "how much of the listed name (by word weight) the screened name covers, discounted for "
            "distinctive listed words missing altogether",
        ),
        Feature(
            "query_coverage",
            FeatureKind.NAME,
            0.4,
            "how much of the screened name the listed name covers, discounted the same way",
        ),
        Feature(
            "legal_form",
            FeatureKind.EVIDENCE,
            0.02,
            "+1 when both name a company type of the same family (Co., Ltd. / LLC / OOO), -1 when "
            "the families cannot be the same company (limited vs joint-stock), else 0",
        ),
        Feature(
            "country",
            FeatureKind.EVIDENCE,
            0.04,
            "+1 when the entry lists the given country, -1 when it lists only others, 0 when either "
            "is unknown (Hong Kong and Macau are neither for an entry in China)",
        ),
        Feature(
            "address",
            FeatureKind.EVIDENCE,
            0.03,
            "+1 when at least half the words of the given address are in one of the entry's "
            "addresses, -1 when none are, else 0",
        ),
    ),
    generic_weight=0.25,
    place_weight=0.5,
    short_word_floor=0.8,
    long_word_floor=0.75,
    long_word=8,
    fuzzy_min_length=5,
    fuzzy_exponent=0.5,
    fuzzy_boost_length=7,
    short_fuzzy_exponent=0.75,
    phonetic_similarity=0.8,
    phonetic_min_length=7,
    max_join=4,
    join_floor=0.9,
)

NAME_V2 = Algorithm(
    name="name-v2",
    lexicon="v2",
    features=(
        *NAME_V1.features,
        Feature(
            "entity_type",
            FeatureKind.EVIDENCE,
            0.08,
            "-1 when the screened name is plainly an organisation's (a company type or corporate word) and "
            "the entry is an individual, else 0",
        ),
        Feature(
            "other_words",
            FeatureKind.EVIDENCE,
            0.06,
            "-1 when each name has a corporate word or place that nothing in the other pairs with "
            "('Tabriz University' / 'Tabriz Petrochemical Company'), else 0",
        ),
    ),
    generic_weight=NAME_V1.generic_weight,
    place_weight=NAME_V1.place_weight,
    short_word_floor=NAME_V1.short_word_floor,
    long_word_floor=NAME_V1.long_word_floor,
    long_word=NAME_V1.long_word,
    fuzzy_min_length=NAME_V1.fuzzy_min_length,
    fuzzy_exponent=NAME_V1.fuzzy_exponent,
    fuzzy_boost_length=NAME_V1.fuzzy_boost_length,
    short_fuzzy_exponent=NAME_V1.short_fuzzy_exponent,
    phonetic_similarity=NAME_V1.phonetic_similarity,
    phonetic_min_length=NAME_V1.phonetic_min_length,
    max_join=NAME_V1.max_join,
    join_floor=NAME_V1.join_floor,
    variant_similarity=0.94,
    loose_similarity=0.85,
    loose_spelling_floor=0.65,
    symbolic_exact=True,
    simplify_han=True,
    parenthesis_forms=True,
    parenthesis_penalty=0.2,
    unverified_name_cost=0.2,
    joins_must_help=True,
    generic_words_distinct=True,
    place_form_cost=0.01,
    parenthesis_form_cost=0.03,
    lone_word_cap=0.8,
    lone_word_length=9,
)

NAME_V3 = replace(
    NAME_V2,
    name="name-v3",
    lone_beside_stop_words=True,
    acronym_keys=True,
    acronym_score=0.76,
    acronym_cap=0.8,
    short_form_cost=0.02,
    short_form_cap=0.8,
    written_form_compared=True,
)

NAME_V4 = replace(NAME_V3, name="name-v4", lexicon="v3", qualifier_form_cost=0.01)

NAME_V5 = replace(NAME_V4, name="name-v5", skeleton_table="v1", skeleton_spelling_floor=0.55)

ALGORITHMS: dict[str, Algorithm] = {a.name: a for a in (NAME_V1, NAME_V2, NAME_V3, NAME_V4, NAME_V5)}
DEFAULT = NAME_V4.name
"""The algorithm used when none is named."""


def algorithm(name: str = DEFAULT) -> Algorithm:
    """The released algorithm called ``name``."""
    try:
        return ALGORITHMS[name]
    except KeyError:
        from earcheck.errors import InputError

        raise InputError(f"unknown screening algorithm {name!r}; known: {', '.join(sorted(ALGORITHMS))}") from None
