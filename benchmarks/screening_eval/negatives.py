"""Names that are not on the lists: real ones from open sources outside the project, and hard ones.

Outside sources (read where ``fetch`` put their snapshots, pinned to a commit, never copied into the
repository; ``EARCHECK_EVAL_MIRRORS`` points elsewhere). A missing source is an error
(``MissingNegatives``, naming it and how to fetch it): without the negatives, precision and false
positives are not measured, and a report that silently lacks them reads like a good one. Only an
explicit ``EARCHECK_EVAL_POSITIVES_ONLY=1`` (or ``positives_only=True``) skips them, and the
evaluation's summary then says that precision was not measured.

=====================================  ==============  ==================================================
repository (commit)                    licence         what is taken
=====================================  ==============  ==================================================
openfootball/worldcup (bd46a14)        CC0-1.0         World Cup squad players 1930-2026 (people, with
                                                       their team's country) and their clubs (organisations)
Hipo/university-domains-list (bb07faf) MIT             universities worldwide, with their country
datasets/nasdaq-listings (31d3809)     ODC-PDDL-1.0    companies listed on NASDAQ (ETFs left out)
unitedstates/congress-legislators      CC0-1.0         current members of the US Congress
(dfa9622)
=====================================  ==============  ==================================================

A name from these is kept as a clean negative only when it is not a listed name by this evaluation's
own check: its folded words without legal form (``fold.key``), with Arabic name words mapped to their
group (``Mohamed`` = ``Muhammad``), equal no listed name or alias so mapped.

Hard negatives, made by methods the matcher does not share:

- ``distinctive``: a listed organisation's name with its most distinctive word (the rarest across the
  lists' names) replaced by a real word of similar length taken from the outside organisation names and
  found in no listed name ("Hangzhou Hikvision Digital Technology" -> "Hangzhou Lakeview Digital
  Technology"); the result must itself be unlisted.
- ``namesake``: well-known real companies that share a word with a listed entry but are not listed
  (``tables/namesakes.csv``; the sharing and the absence from the lists are checked here).
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import yaml
from iso3166 import countries_by_alpha2

from benchmarks.screening_eval import romanise
from benchmarks.screening_eval.fold import LEGAL_FORM_WORDS, STOP_WORDS, core_tokens, key
from earcheck.lists import ListEntry

MIRRORS = Path(os.environ.get("EARCHECK_EVAL_MIRRORS", "/work/.mirror"))
POSITIVES_ONLY_ENV = "EARCHECK_EVAL_POSITIVES_ONLY"


class MissingNegatives(RuntimeError):
    """Outside name sources are absent and the run did not say it wants positives only."""


def positives_only_requested() -> bool:
    """Whether the environment explicitly asks for an evaluation without outside negatives."""
    return os.environ.get(POSITIVES_ONLY_ENV, "").strip().lower() in ("1", "true", "yes")


@dataclass(frozen=True, slots=True)
class Source:
    repo: str
    commit: str
    licence: str

    @property
    def git_dir(self) -> Path:
        return MIRRORS / self.repo.replace("/", "+") / "repo"

    def available(self) -> bool:
        """The mirror is here and holds the pinned commit (a mirror at another commit would give
        other negatives, so it counts as missing)."""
        if not self.git_dir.exists():
            return False
        done = subprocess.run(
            ["git", "--git-dir", str(self.git_dir), "cat-file", "-e", f"{self.commit}^{{commit}}"],
            capture_output=True,
            check=False,
        )
        return done.returncode == 0

    def missing_message(self) -> str:
        return (
            f"{self.repo} at commit {self.commit[:7]} is not under {self.git_dir} "
            f"(fetch it with the fetch tool, source github:{self.repo}, which writes "
            f"{MIRRORS}/{self.repo.replace('/', '+')}/repo; or set EARCHECK_EVAL_MIRRORS to a directory "
            "holding OWNER+NAME/repo)"
        )

    def read(self, path: str) -> str:
        done = subprocess.run(
            ["git", "--git-dir", str(self.git_dir), "show", f"{self.commit}:{path}"],
            capture_output=True,
            check=True,
        )
        return done.stdout.decode("utf-8")

    def paths(self, under: str) -> list[str]:
        done = subprocess.run(
            ["git", "--git-dir", str(self.git_dir), "ls-tree", "-r", "--name-only", self.commit, under],
            capture_output=True,
            check=True,
            text=True,
        )
        return sorted(done.stdout.split())


WORLDCUP = Source("openfootball/worldcup", "bd46a148289f9930da66c140d4d7d2325e95d387", "CC0-1.0")
UNIVERSITIES = Source("Hipo/university-domains-list", "bb07faf064e1c68be9b26fb71de31f01e361f974", "MIT")
NASDAQ = Source("datasets/nasdaq-listings", "31d3809cc090d5a535ecc3db2b26904cbb2ac84d", "ODC-PDDL-1.0")
CONGRESS = Source("unitedstates/congress-legislators", "dfa9622263dd4c8d08636926e498f1845704d7eb", "CC0-1.0")
SOURCES = (WORLDCUP, UNIVERSITIES, NASDAQ, CONGRESS)


@dataclass(frozen=True, slots=True)
class OutsideName:
    identity: str  # stable id within its source, for the split
    name: str
    country: str | None
    kind: str  # "person" or "organisation"
    source: str  # the repository


_PLAYER = re.compile(r"^\s*\(\s*\d+\)\s+(?:GK|DF|MF|FW)\s+(.+?)\s+##\s*(?:\d+\s*)?,\s*(.+?)\s*$")


def _team_country(code: str) -> str | None:
    """A squad file's team code as an ISO country: ``"br"`` -> BR, ``"en"`` (England) -> GB; the
    three-letter codes of teams that are no country today (``"urs"``, ``"sco"``...) -> None."""
    upper = {"EN": "GB"}.get(code.upper(), code.upper())
    return upper if upper in countries_by_alpha2 else None


def worldcup_names() -> Iterator[OutsideName]:
    seen: set[str] = set()
    for path in WORLDCUP.paths("."):
        if "/squads/" not in path or not path.endswith(".txt"):
            continue
        country = _team_country(Path(path).stem.split("-")[0])
        for line in WORLDCUP.read(path).splitlines():
            match = _PLAYER.match(line)
            if not match:
                continue
            player, club = match.group(1).strip(), match.group(2).strip()
            for name, kind in ((player, "person"), (club, "organisation")):
                if name and name not in seen and len(name) >= 4:
                    seen.add(name)
                    yield OutsideName(
                        f"worldcup:{name}", name, country if kind == "person" else None, kind, WORLDCUP.repo
                    )


def university_names() -> Iterator[OutsideName]:
    seen: set[str] = set()
    for row in json.loads(UNIVERSITIES.read("world_universities_and_domains.json")):
        name = (row.get("name") or "").strip()
        if name and name not in seen:
            seen.add(name)
            yield OutsideName(f"university:{name}", name, row.get("alpha_two_code"), "organisation", UNIVERSITIES.repo)


def nasdaq_names() -> Iterator[OutsideName]:
    seen: set[str] = set()
    for row in csv.DictReader(io.StringIO(NASDAQ.read("data/nasdaq-listed-symbols.csv"))):
        name = (row.get("Company Name") or "").strip()
        if row.get("ETF") == "Y" or row.get("Test Issue") == "Y" or not name or name in seen:
            continue
        seen.add(name)
        yield OutsideName(f"nasdaq:{row['Symbol']}", name, None, "organisation", NASDAQ.repo)


def congress_names() -> Iterator[OutsideName]:
    for row in yaml.safe_load(CONGRESS.read("legislators-current.yaml")):
        name = row["name"].get("official_full") or f"{row['name']['first']} {row['name']['last']}"
        yield OutsideName(f"congress:{row['id']['bioguide']}", name, "US", "person", CONGRESS.repo)


def outside_names(positives_only: bool | None = None) -> tuple[list[OutsideName], list[str]]:
    """Every outside name, and notes. A missing source raises ``MissingNegatives`` unless positives
    only were asked for (argument, or else ``EARCHECK_EVAL_POSITIVES_ONLY``); then no outside name
    is read at all (a partial set of negatives would give a precision that means nothing) and the
    notes say so."""
    if positives_only is None:
        positives_only = positives_only_requested()
    if positives_only:
        return [], [f"positives only ({POSITIVES_ONLY_ENV} or positives_only): no outside negatives read"]
    readers = (
        (WORLDCUP, worldcup_names),
        (UNIVERSITIES, university_names),
        (NASDAQ, nasdaq_names),
        (CONGRESS, congress_names),
    )
    names: list[OutsideName] = []
    missing = [source.missing_message() for source, _ in readers if not source.available()]
    if missing:
        raise MissingNegatives(
            "the evaluation's outside negatives are missing, so precision cannot be measured:\n  "
            + "\n  ".join(missing)
            + f"\nTo measure recall only, say so: {POSITIVES_ONLY_ENV}=1"
        )
    for _, reader in readers:
        names.extend(reader())
    return names, []


def _canonical(text: str) -> str:
    groups = romanise.arabic_groups()
    words = [groups[w][0] if w in groups else w for w in key(text).split()]
    return " ".join(sorted(words))


@dataclass(frozen=True)
class ListedNames:
    """What the lists name, for the "is this negative really unlisted" check and for word rarity."""

    entries: Sequence[ListEntry]

    @cached_property
    def canonical(self) -> frozenset[str]:
        return frozenset(_canonical(name) for entry in self.entries for name in entry.names)

    @cached_property
    def document_frequency(self) -> Counter[str]:
        counts: Counter[str] = Counter()
        for entry in self.entries:
            counts.update({w for name in entry.names for w in core_tokens(name)})
        return counts

    def listed(self, name: str) -> bool:
        return _canonical(name) in self.canonical


def distinctive_word(name: str, frequency: Counter[str]) -> str | None:
    """The rarest word of a name across the lists (ties: the longest), if it is a real word."""
    words = [
        w
        for w in re.findall(r"[A-Za-z]+", name)
        if len(w) >= 4 and w.lower() not in LEGAL_FORM_WORDS and w.lower() not in STOP_WORDS
    ]
    if len(words) < 2:
        return None
    rarest: str = min(words, key=lambda w: (frequency.get(w.lower(), 0), -len(w), w))
    return rarest


def replacement_pool(outside: Iterable[OutsideName], frequency: Counter[str]) -> dict[int, list[str]]:
    """Real words of outside organisation names that no listed name contains, by length."""
    pool: dict[int, set[str]] = {}
    for item in outside:
        if item.kind != "organisation":
            continue
        for word in re.findall(r"[A-Za-z]+", item.name):
            lower = word.lower()
            if len(lower) >= 4 and lower not in frequency and lower not in LEGAL_FORM_WORDS and word.isalpha():
                pool.setdefault(len(lower), set()).add(lower.capitalize())
    return {length: sorted(words) for length, words in pool.items()}


@dataclass(frozen=True, slots=True)
class Namesake:
    name: str
    country: str | None
    note: str


def namesakes() -> list[Namesake]:
    path = Path(__file__).parent / "tables" / "namesakes.csv"
    with path.open(encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return [Namesake(r["name"], r["country"] or None, r["note"]) for r in rows]
