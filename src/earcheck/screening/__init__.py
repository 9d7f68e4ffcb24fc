"""Party screening: find every listed party a name may be, fast, with few false alarms, and explain.

- ``normalise`` (with ``chinese`` and the word tables of ``lexicon``): a name as written -> the
  words compared, company types set aside as weak evidence, any script in ASCII.
- ``index``: every listed name and alias normalised once, with word, typo, sound and spacing lookups
  that find the few names worth scoring; cached under ``$EARCHECK_HOME/screening/``.
- ``algorithms`` and ``scoring``: the released algorithms (``name-v1``), their features and weights
  declared in one place; every hit carries its per-feature explanation.
- ``screener``: ``Screener`` (a ``PartyScreener``) and ``ScreeningConfig`` (thresholds, limits).
- ``batch``: CSV in, one line per row out, on all cores. ``snapshots``: screeners over the store.
"""

from earcheck.screening.algorithms import ALGORITHMS, DEFAULT, NAME_V1, Algorithm, Feature
from earcheck.screening.screener import NameMatch, Screener, ScreeningConfig, snapshot_status

__all__ = [
    "ALGORITHMS",
    "DEFAULT",
    "NAME_V1",
    "Algorithm",
    "Feature",
    "NameMatch",
    "Screener",
    "ScreeningConfig",
    "snapshot_status",
]
