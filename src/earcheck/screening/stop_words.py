"""name-v3: two names that weigh one word, the same, and differ in the stop words or letters beside it.

Stop words weigh nothing (``lexicon``: "of", "the", the Arabic articles "al", "ar", "el"...) and single
letters are dropped, so that "Bank of China" and "Bank China", or "Abd ar Rahman" and "Abd Rahman",
are one name. That is right when they stand beside several words; when a name has only one word that
weighs, dropping them leaves that word doing all the work: "AR Sales" (an Indian company on the Entity
List whose "AR" is its initials, read as the article "ar") is met at 1.0 by "Sales", and so is its
alias "A R Sales Private Ltd"; "AR Sales" met "Sales Inc" at 1.0 the other way round. One shared word
is another party as often as not (the reasoning of ``name-v2``'s lone-word caps), so such a hit is
review at best: a person decides. "Al-Qaida" and "AL QAIDA", or "A.R. Sales" and "AR Sales", write the
same letters beside the word and are not held back.
"""

from __future__ import annotations

import re

from anyascii import anyascii

from earcheck.screening.index import NameRecord, QueryWords
from earcheck.screening.lexicon import STOP, Lexicon

__all__ = ["lone_beside_stop_words"]

_WRITTEN = re.compile(r"[a-z0-9]+")


def _beside(text: str, lexicon: Lexicon) -> str:
    """The stop words and single letters of a name as written, in order and run together ("A R" and
    "AR" both give "ar"); the words of company types aside ("Sales Pvt Ltd" is still "Sales")."""
    # Dots go first, as the normaliser joins dotted letters: "M.O.G.E." is the word "moge", "S.A." a
    # company type, and "A.R." the letters of "A R".
    words = _WRITTEN.findall(anyascii(text).lower().replace(".", ""))
    return "".join(
        w for w in words if w not in lexicon.form_words and ((len(w) == 1 and w.isalpha()) or w in lexicon.stop)
    )


def lone_beside_stop_words(query: QueryWords, query_text: str, listed: NameRecord, lexicon: Lexicon) -> bool:
    """Do both names weigh one word only, the same, and write different stop words or letters beside it?"""
    mine = {w for w, k in zip(query.name.words, query.name.kinds, strict=True) if k != STOP}
    if len(mine) != 1:
        return False
    weighed = [w for w, weight in zip(listed.words, listed.weights, strict=True) if weight > 0]
    if len(weighed) != 1 or weighed[0] not in mine:
        return False
    return _beside(query_text, lexicon) != _beside(listed.listed, lexicon)
