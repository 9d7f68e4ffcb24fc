"""Screen a party's name against the lists: the ``PartyScreener`` the engine and the faces use.

    screener = Screener.build(entries)                   # or Screener.load(home, entries, snapshots)
    hits = screener.screen("Huawei Technologies Co Ltd", "CN", date(2020, 9, 20))

Each ``Hit`` carries the entry's status on the date (in force, possibly listed, or not yet listed,
with its footnotes, licence requirement, review policy and citation), the listed name or alias that
matched, the score in [0, 1], the band (``match`` or ``review``) and the per-feature explanation.

Whether an entry was in force on a date is not decided here: a status function is passed in
(``earcheck``'s dated Entity List facts provide one). The default, ``snapshot_status``, knows only the
snapshot: before the snapshot's date an entry is *possibly* listed (``in_force`` None), never "not
listed"; on and after it, in force.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from earcheck.errors import InputError
from earcheck.lists import Band, EntryStatus, Hit, ListCode, ListEntry
from earcheck.screening.algorithms import DEFAULT, Algorithm, algorithm
from earcheck.screening.chinese import HAN, HANGUL, person_shaped
from earcheck.screening.index import Candidate, NameIndex, NameRecord, QueryWords, load_or_build
from earcheck.screening.lexicon import DISTINCTIVE, GENERIC, PLACE, STOP, Lexicon, load_lexicon
from earcheck.screening.normalise import screened_forms
from earcheck.screening.scoring import (
    address_evidence,
    address_words,
    country_evidence,
    legal_evidence,
    word_credit,
)
from earcheck.screening.stop_words import lone_beside_stop_words

# Lists by the weight of their legal effect under the EAR (denial and licence requirements first).
_WEIGHT = {
    code: rank
    for rank, code in enumerate(
        (
            ListCode.EL,
            ListCode.DPL,
            ListCode.MEU,
            ListCode.UVL,
            ListCode.SDN,
            ListCode.ISN,
            ListCode.DTC,
            ListCode.SSI,
            ListCode.CMIC,
            ListCode.NS_MBS,
            ListCode.CAP,
            ListCode.PLC,
        )
    )
}

__all__ = ["ALL_HITS", "NameMatch", "Screener", "ScreeningConfig", "StatusFunction", "snapshot_status"]

StatusFunction = Callable[[ListEntry, date], EntryStatus]


def snapshot_status(entry: ListEntry, as_of: date) -> EntryStatus:
    """The status an entry has when nothing but its list snapshot is known.

    On or after the snapshot's date the entry is in force. Before it, the entry is possibly listed
    (``in_force`` None) unless its listing date (``start_date``) is known and not after ``as_of``:
    the lists give publication dates, which come after the effective date, so an entry is certainly
    listed from its ``start_date`` on, and before it nothing is known from the list alone.
    """
    if as_of >= entry.snapshot_date:
        in_force: bool | None = True
        reason = f"on the list snapshot of {entry.snapshot_date.isoformat()}"
    elif entry.start_date is not None and as_of >= entry.start_date:
        in_force = True
        reason = f"listed no later than {entry.start_date.isoformat()} (the list's start date)"
    else:
        in_force = None
        reason = (
            f"possibly listed: {as_of.isoformat()} is before the list snapshot of "
            f"{entry.snapshot_date.isoformat()} and the listing date is not known"
        )
    return EntryStatus(
        entry=entry,
        as_of=as_of,
        in_force=in_force,
        reason=reason,
        license_requirement=entry.license_requirement,
        license_policy=entry.license_policy,
        listed_from=None,
    )


# Floating-point slack of score ceilings: the bound is summed in another order than the score.
_SLACK = 1e-9

# The most an evidence feature read of the pairing of words takes (``_raw_score``): other_words is
# -1 (both names leave a weak word unpaired) or 0. A feature not named here counts at 1, its most.
_PAIRING_EVIDENCE_MOST = {"other_words": 0.0}

# The most hits ``Screener.screen_all`` reports for one name: far more than any name in the lists meets
# (Huawei's affiliates are about 150 entries), few enough to show on one page.
ALL_HITS = 1000


@dataclass(frozen=True, slots=True)
class ScreeningConfig:
    """The tunables of screening, passed in explicitly.

    - ``match_threshold`` (default 0.84): a score at or above it is a ``match``.
    - ``review_threshold`` (default 0.70): a score at or above it, below the match threshold, is
      ``review`` (a person must decide); below it, no hit is reported.
    - ``max_hits`` (default 10): at most this many hits per name, best first.
    - ``max_candidates`` (default 50): at most this many listed names are scored per name (those
      with the highest possible score; the rest could not beat them).
    - ``include_not_in_force`` (default True): report hits on entries not in force on the date (with
      ``in_force`` False), so a user sees "listed only from ...". False drops them.
    - ``algorithm`` (default ``DEFAULT``, now ``name-v4``): the released algorithm that scores.

    The defaults were chosen on the labelled benchmark in ``benchmarks/bench_screening.py``: they keep
    recall of listed names above 0.98 while keeping false alarms on clean names rare.
    """

    match_threshold: float = 0.84
    review_threshold: float = 0.70
    max_hits: int = 10
    max_candidates: int = 50
    include_not_in_force: bool = True
    algorithm: str = DEFAULT

    def __post_init__(self) -> None:
        if not 0.0 <= self.review_threshold <= self.match_threshold <= 1.0:
            raise InputError(
                "screening thresholds must satisfy 0 <= review <= match <= 1, got "
                f"review {self.review_threshold} and match {self.match_threshold}"
            )
        if self.max_hits < 1 or self.max_candidates < 1:
            raise InputError("max_hits and max_candidates must be at least 1")
        algorithm(self.algorithm)  # an unknown name is an error now, not at the first screening


@dataclass(frozen=True, slots=True)
class NameMatch:
    """A listed entry whose name matched, before any date is considered."""

    entry: ListEntry
    matched_name: str
    score: float
    band: Band
    explanation: Mapping[str, float]
    variants: tuple[str, ...] = ()  # words paired by a romanisation table, and which


def _lone_inexact(query: QueryWords, listed: NameRecord, algo: Algorithm) -> bool:
    """name-v2's lone-word cap: one distinctive word on each side (the only word, for a name without
    distinctive words), not the same, both short, and no other word shared."""
    if algo.lone_word_length <= 0:
        return False
    words = [w for w, k in zip(query.name.words, query.name.kinds, strict=True) if k == DISTINCTIVE]
    if not words:
        words = [w for w, k in zip(query.name.words, query.name.kinds, strict=True) if k != STOP]
    others = [w for w, weak in zip(listed.words, listed.weak, strict=True) if not weak]
    if not others:
        others = [w for w, weight in zip(listed.words, listed.weights, strict=True) if weight > 0]
    if len(words) != 1 or len(others) != 1 or words[0] == others[0]:
        return False
    if set(query.name.words).intersection(listed.words):
        return False  # they share another word too ("Huawie Technologies" / "Huawei Technologies")
    return max(len(words[0]), len(others[0])) < algo.lone_word_length


def _lone_listed(query: QueryWords, listed: NameRecord, algo: Algorithm, lexicon: Lexicon) -> bool:
    """name-v2's lone-word cap, the other case: the listed name is one short distinctive word and
    nothing else ("SAGA"), which the screened name has beside corporate words or places the listed
    name lacks ("Saga Communications"): another party named after the same word as often as not."""
    if algo.lone_word_length <= 0:
        return False
    words = [w for w, weight in zip(listed.words, listed.weights, strict=True) if weight > 0]
    if len(words) != 1 or listed.weak[listed.words.index(words[0])]:
        return False
    if words[0] not in query.name.words or len(words[0]) >= algo.lone_word_length:
        return False
    # The words beside it must be more than a company type written out of place ("S.A. Unimont").
    kinds = zip(query.name.words, query.name.kinds, strict=True)
    return any(k in (GENERIC, PLACE) and w not in listed.words and w not in lexicon.form_words for w, k in kinds)


def _unromanised(name: str) -> bool:
    """A name written in Chinese characters or Hangul, without Latin letters."""
    return (HAN.search(name) is not None or HANGUL.search(name) is not None) and not any(
        "a" <= ch.lower() <= "z" for ch in name
    )


def _patronymics_differ(query: QueryWords, listed: NameRecord, algo: Algorithm, index: NameIndex) -> bool:
    """name-v2: both names give a patronymic (weak words, see ``normalise``) and no two are one name
    ("IVANOV, Sergei Petrovich" / "IVANOV, Sergei Aleksandrovich"): two people, review at best."""
    lexicon = load_lexicon(algo.lexicon)
    if not lexicon.patronymic_endings:
        return False
    kinds = zip(query.name.words, query.name.kinds, strict=True)
    mine = [w for w, k in kinds if k == GENERIC and lexicon.patronymic(w)]
    if not mine:
        return False
    theirs = [w for w, weak in zip(listed.words, listed.weak, strict=True) if weak and lexicon.patronymic(w)]
    romanisation = index.romanisation
    return bool(theirs) and not any(word_credit(a, b, algo, romanisation) > 0 for a in mine for b in theirs)


class Screener:
    """Fuzzy screening of names against the entries of an index (implements ``PartyScreener``)."""

    def __init__(
        self,
        index: NameIndex,
        entries: Sequence[ListEntry],
        *,
        config: ScreeningConfig | None = None,
        entry_status: StatusFunction = snapshot_status,
    ) -> None:
        self.config = config or ScreeningConfig()
        if index.algorithm != self.config.algorithm:
            raise InputError(f"the index was built for {index.algorithm}, not {self.config.algorithm}: rebuild it")
        if len(entries) != len(index.entry_keys):
            raise InputError("the entries given are not those the index was built from")
        self.index = index
        # Kept as given: the entries of a mapped pack are read one by one, when a hit needs them.
        self.entries: Sequence[ListEntry] = entries if not isinstance(entries, list) else tuple(entries)
        # Matching depends on the name and the index only, not on the date: a portfolio screens the same
        # customers on many dates, so the matches are kept (the statuses are still worked out per date).
        self._matches: dict[tuple[str, str | None, str | None], list[NameMatch]] = {}
        self.entry_status = entry_status
        self.algorithm: Algorithm = algorithm(self.config.algorithm)
        self._lexicon = load_lexicon(self.algorithm.lexicon)
        self._typed = any(f.name == "entity_type" for f in self.algorithm.features)
        self._other_words = any(f.name == "other_words" for f in self.algorithm.features)
        self._all: Screener | None = None  # the same index with every hit reported (``screen_all``)

    @classmethod
    def build(
        cls,
        entries: Sequence[ListEntry],
        *,
        config: ScreeningConfig | None = None,
        entry_status: StatusFunction = snapshot_status,
    ) -> Screener:
        """Build a screener in memory (no cache)."""
        config = config or ScreeningConfig()
        return cls(
            NameIndex.build(entries, config.algorithm),
            entries,
            config=config,
            entry_status=entry_status,
        )

    @classmethod
    def load(
        cls,
        home: Path,
        entries: Sequence[ListEntry],
        snapshots: Sequence[str] = (),
        *,
        config: ScreeningConfig | None = None,
        entry_status: StatusFunction = snapshot_status,
    ) -> Screener:
        """A screener over ``entries`` whose index is cached under ``home`` (built the first time)."""
        config = config or ScreeningConfig()
        index, ordered = load_or_build(home, entries, config.algorithm, snapshots)
        return cls(index, ordered, config=config, entry_status=entry_status)

    def in_memory(self) -> Screener:
        """The same screener with its index's lookups in dictionaries (for long batch runs)."""
        index = self.index.in_memory()
        if index is self.index:
            return self
        return Screener(index, self.entries, config=self.config, entry_status=self.entry_status)

    def with_config(self, config: ScreeningConfig) -> Screener:
        """The same index and entries with other thresholds or limits."""
        return Screener(self.index, self.entries, config=config, entry_status=self.entry_status)

    def match(self, name: str, country: str | None = None, *, address: str | None = None) -> list[NameMatch]:
        """The entries whose names match ``name`` at or above the review threshold, best first."""
        algo = self.algorithm
        given_address = address_words(address) if address else frozenset()
        forms = (
            screened_forms(
                name,
                self._lexicon,
                algo.parenthesis_penalty,
                unverified=algo.unverified_name_cost,
                qualified=algo.qualifier_form_cost,
            )
            if algo.parenthesis_forms
            else ()
        )
        best: dict[int, tuple[float, Candidate, dict[str, float], tuple[str, ...]]] = {}
        for form, cost in forms or ((name, 0.0),):
            self._match_form(form, cost, country, given_address, best)
        return self._ranked(best)

    def _match_form(
        self,
        name: str,
        cost: float,
        country: str | None,
        given_address: frozenset[str],
        best: dict[int, tuple[float, Candidate, dict[str, float], tuple[str, ...]]],
    ) -> None:
        """Score one form of the screened name, keeping in ``best`` each entry's best name so far."""
        config, algo, index = self.config, self.algorithm, self.index
        query = index.query(name, self._lexicon, algo)
        floor = max(0.0, config.review_threshold - algo.max_bonus)
        # name-v2's entity_type evidence: is the screened name plainly an organisation's?
        organisation = (bool(query.name.legal) or GENERIC in query.name.kinds) if self._typed else None
        # The evidence read of the entry alone (not of the pairing of words) is known before a listed
        # name is scored: worked out once per name id, for the ceiling and for the score.
        known: dict[int, dict[str, float]] = {}

        def evidence_of(name_id: int) -> dict[str, float]:
            found = known.get(name_id)
            if found is None:
                found = known[name_id] = self._known_evidence(query, name_id, country, given_address, organisation)
            return found

        candidates = index.candidates(query, algo, floor, config.max_candidates)
        if algo.acronym_keys:
            candidates += index.acronym_candidates(name, algo, config.max_candidates)
        unromanised = algo.simplify_han and _unromanised(name)
        person_shaped_han = unromanised and person_shaped(name, self._lexicon)
        for candidate in candidates:
            if candidate.name_score < floor:
                continue
            position = candidate.entry
            known_evidence = evidence_of(candidate.name_id)
            # Most scored names end below the review threshold: their ceiling says so before the rules
            # (the lone-word, patronymic and stop-word tests) are worked out.
            if self._ceiling(candidate.name_score, known_evidence, candidate.name_id, cost) < config.review_threshold:
                continue
            raw, evidence = self._raw_score(
                candidate, query, name, cost, known_evidence, unromanised, person_shaped_han
            )
            score = round(min(1.0, max(0.0, raw)), 4)
            if score < config.review_threshold:
                continue
            previous = best.get(position)
            # Of an entry's names, the best scores; between equal scores (1.0 is a ceiling), the
            # one with more evidence for it.
            if previous is None or raw > previous[0]:
                explanation = {
                    "entry_coverage": round(candidate.coverage.entry, 4),
                    "query_coverage": round(candidate.coverage.query, 4),
                    "name": round(candidate.name_score, 4),
                    **evidence,
                }
                if cost:
                    explanation["parentheses_dropped"] = -cost
                if candidate.acronym:
                    explanation["acronym"] = 1.0  # met as the initials of the listed name
                best[position] = (raw, candidate, explanation, query.name.words)

    def _known_evidence(
        self,
        query: QueryWords,
        name_id: int,
        country: str | None,
        given_address: frozenset[str],
        organisation: bool | None,
    ) -> dict[str, float]:
        """The evidence features read of the entry and the screened name's own facts, not of how their
        words pair: known before the listed name is scored."""
        index = self.index
        facts = index.entry_facts[index.name_entry[name_id]]
        found = {
            "legal_form": legal_evidence(query.name.legal, index.names[name_id].legal),
            "country": country_evidence(country, facts.countries),
            "address": address_evidence(given_address, facts.addresses),
        }
        if organisation is not None:
            found["entity_type"] = -1.0 if organisation and facts.individual else 0.0
        return found

    def _raw_score(
        self,
        candidate: Candidate,
        query: QueryWords,
        name: str,
        cost: float,
        known: Mapping[str, float],
        unromanised: bool,
        person_shaped_han: bool,
    ) -> tuple[float, dict[str, float]]:
        """A scored listed name's score before clamping and rounding, with its evidence: the name score,
        the evidence (``known``, read of the entry before scoring, and what the pairing adds), then every
        rule that lowers it. ``_ceiling`` bounds what this returns: see there what a rule must respect."""
        algo, index = self.algorithm, self.index
        facts = index.entry_facts[candidate.entry]
        evidence = dict(known)
        if self._other_words:
            cover = candidate.coverage
            evidence["other_words"] = -1.0 if cover.entry_weak_unpaired and cover.query_weak_unpaired else 0.0
        raw = candidate.name_score + sum(algo.feature(feature).weight * value for feature, value in evidence.items())
        # A listed form the list did not write (its place in parentheses left out) costs a little
        # of the name score: between equal scores the name as listed ranks first. Parentheses
        # dropped from the screened name cost from the capped score: whatever the evidence adds,
        # the name without them is not the name screened.
        raw -= index.names[candidate.name_id].cost
        if cost:
            raw = min(raw, 1.0) - cost
        record = index.names[candidate.name_id]
        lone = evidence["legal_form"] <= 0 and _lone_inexact(query, record, algo)
        unpaired = candidate.coverage.query_weak_unpaired
        # A name written in Chinese characters or Hangul is read in Latin letters with what told
        # its names apart lost (张磊, 张雷 and 章磊 are all "Zhang Lei"): against a listed person, or
        # as a lone personal name against more than the same words, review at best.
        lossy = unromanised and (facts.individual or (person_shaped_han and candidate.coverage.entry < 1.0))
        if (
            lone
            or lossy
            or (unpaired and _lone_listed(query, record, algo, self._lexicon))
            or (unpaired and _patronymics_differ(query, record, algo, self.index))
            or (algo.lone_beside_stop_words and lone_beside_stop_words(query, name, record, self._lexicon))
        ):
            raw = min(raw, algo.lone_word_cap)
        if candidate.acronym:  # initials alone: review at best, whatever the evidence
            raw = min(raw, algo.acronym_cap)
        if algo.short_form_cap > 0 and index.name_short[candidate.name_id]:  # a person's short form
            raw = min(raw, algo.short_form_cap)
        return raw, evidence

    def _ceiling(self, name_bound: float, evidence: Mapping[str, float], name_id: int, cost: float) -> float:
        """The most the reported score of listed name ``name_id`` can be, given an upper bound of its name
        score and the evidence known before scoring it (``_known_evidence``); the score is reported only
        at or above the review threshold, so a name whose ceiling is below it needs no more work.
        ``_match_form`` asks it with the name score itself (a bound of itself), before the rules that
        need the pairing of words. Asked with ``index.candidates``' bound it would pass over names
        before ``coverage``, but that bound is not yet one (see ``NameIndex.candidates``).

        Why it is an upper bound. ``_match_form`` computes ``raw = name_score + sum(weight * value)``
        over the evidence, then only subtracts (the listed form's cost; the dropped parentheses' cost,
        after ``min(raw, 1)``) and takes minimums (the lone-word, Chinese-script, stop-word, acronym and
        short-form caps), and reports ``round(min(1, max(0, raw)), 4)``. Every step is monotone in
        ``raw``, so replacing ``name_score`` by ``name_bound >= name_score``, the evidence read of the
        pairing of words (``other_words``, known only after scoring) by the most it can add, and
        leaving out the caps that depend on the pairing, gives a value no lower than the score. The
        evidence known here is the same function of the same inputs as the score's, summed in the
        same order; ``_SLACK`` covers rounding in the bound's own arithmetic.

        What a new rule must respect: a rule in ``_match_form`` (or ``_ranked``) may only lower
        ``raw`` (subtract, or take a minimum), or it must raise this ceiling with it (a new evidence
        feature is counted here through ``algo.evidence_features``: at its most when it is not in
        ``evidence``). ``tests/screening/test_score_ceiling.py`` runs the real ``_match_form`` over
        generated and real names and checks every reported score against this ceiling, so a rule that
        breaks this fails there whatever its name."""
        algo = self.algorithm
        raw = name_bound
        for feature in algo.evidence_features:
            value = evidence.get(feature.name)
            if value is None:  # read of the pairing, not known before scoring: at its most
                most = _PAIRING_EVIDENCE_MOST.get(feature.name, 1.0)
                raw += max(feature.weight * most, -feature.weight)
            else:
                raw += feature.weight * value
        raw -= self.index.names[name_id].cost
        if cost:
            raw = min(raw, 1.0) - cost
        if algo.short_form_cap > 0 and self.index.name_short[name_id]:
            raw = min(raw, algo.short_form_cap)
        return round(min(1.0, max(0.0, raw + _SLACK)), 4)

    def _ranked(self, best: dict[int, tuple[float, Candidate, dict[str, float], tuple[str, ...]]]) -> list[NameMatch]:
        config = self.config
        names = self.index.names
        # The lists tell a place-qualified entry from the one without the place: when some entry matches
        # the name as its list wrote it, an entry met only through a form the list did not write (its
        # place in parentheses left out) is another party -- SMIC and "SMIC (Beijing)" -- and is review
        # at best, never a match that would lend its terms to a determination.
        written = [raw for raw, c, _, _ in best.values() if names[c.name_id].cost == 0]
        if any(round(raw, 4) >= config.match_threshold for raw in written):
            below = config.match_threshold - 0.0001
            # name-v3: only when the name as written explains the screened name as well as the unwritten
            # form would have, had the list written it: "GAZPROMBANK LTD" meets "GAZPROMBANK (SWITZERLAND)
            # LTD" with every word and company type, and "GAZPROMBANK JOINT STOCK COMPANY" less well.
            ceiling = max(written) + 1e-9 if self.algorithm.written_form_compared else None
            for position, (raw, candidate, explanation, words) in list(best.items()):
                form_cost = names[candidate.name_id].cost
                if ceiling is not None and raw + form_cost > ceiling:
                    continue
                if form_cost > 0 and raw > below:
                    explanation = {**explanation, "another_entry_written_so": round(below - raw, 4)}
                    best[position] = (below, candidate, explanation, words)
        # Best first; between equal scores, the lists with the heavier legal effect first (an Entity List
        # entry before the same name on CMIC), then the file's order.
        ranked = sorted(
            best.values(),
            key=lambda item: (
                -min(1.0, round(item[0], 4)),
                -item[0],
                _WEIGHT.get(self.entries[item[1].entry].list_code, len(_WEIGHT)),
                item[1].entry,
            ),
        )
        return [
            NameMatch(
                entry=self.entries[candidate.entry],
                matched_name=candidate.listed,
                score=round(min(1.0, max(0.0, raw)), 4),
                band=Band.MATCH if round(raw, 4) >= config.match_threshold else Band.REVIEW,
                explanation=explanation,
                variants=self._variants(words, candidate.words),
            )
            for raw, candidate, explanation, words in ranked[: config.max_hits]
        ]

    def _variants(self, query: Sequence[str], listed: Sequence[str]) -> tuple[str, ...]:
        """The pairs of words (or joined words) that only a romanisation table makes one name."""
        romanisation = self.index.romanisation
        if romanisation is None or set(query) == set(listed):
            return ()

        def joins(words: Sequence[str]) -> list[str]:
            return ["".join(words[i:j]) for i in range(len(words)) for j in range(i + 2, min(len(words), i + 4) + 1)]

        # Word to word, and a word to words written apart on the other side ("paotou" / "pao tou").
        pairs = [(q, e) for q in query for e in listed]
        pairs += [(q, e) for q in joins(query) for e in listed] + [(q, e) for q in query for e in joins(listed)]
        found: list[str] = []
        for word, other in pairs:
            if word == other or word in listed or other in query:
                continue
            note = romanisation.explain(word, other)
            if note is not None and note not in found:
                found.append(note)
        return tuple(found)

    MATCH_CACHE = 200_000

    def forget(self) -> None:
        self._matches.clear()
        if self._all is not None:
            self._all.forget()

    def screen_all(self, name: str, country: str | None, as_of: date) -> list[Hit]:
        """Every hit of ``name``, not only the best ``max_hits``: up to ``ALL_HITS``, with at least as many
        listed names scored, so that a person reviewing a common name sees how many entries it meets."""
        if self._all is None:
            wide = dataclasses.replace(
                self.config,
                max_hits=max(self.config.max_hits, ALL_HITS),
                max_candidates=max(self.config.max_candidates, ALL_HITS),
            )
            self._all = Screener(self.index, self.entries, config=wide, entry_status=self.entry_status)
        return self._all.screen(name, country, as_of)

    def screen(self, name: str, country: str | None, as_of: date, *, address: str | None = None) -> list[Hit]:
        """Screen one party on ``as_of``: its hits, best first, each with the entry's status then."""
        key = (name, country, address)
        matches = self._matches.get(key)
        if matches is None:
            if len(self._matches) >= self.MATCH_CACHE:
                self._matches.clear()
            matches = self._matches[key] = self.match(name, country, address=address)
        hits = []
        for match in matches:
            status = self.entry_status(match.entry, as_of)
            if status.in_force is False and not self.config.include_not_in_force:
                continue
            hits.append(
                Hit(
                    status=status,
                    matched_name=match.matched_name,
                    score=match.score,
                    band=match.band,
                    explanation=match.explanation,
                    variants=match.variants,
                )
            )
        return hits
