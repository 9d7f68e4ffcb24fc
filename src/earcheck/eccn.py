"""Export Control Classification Numbers (15 CFR 738.2(d)).

An ECCN is five characters -- the CCL category (0-9), the product group (A-E), and a three-digit
number -- optionally followed by the paragraph that controls the item (``3B001.c.1.a``).
``EAR99`` designates items subject to the EAR that no ECCN describes (734.3(c)).

The 0Y521 series (774.1, Supp. 5) uses ``Y`` as its product group, so it is accepted here.

>>> Eccn.parse("3b001.C.1.A")
Eccn(code='3B001', paragraph=('c', '1', 'a'))
>>> str(Eccn.parse("3B001.c.1.a").parent)
'3B001.c.1'
>>> Eccn.parse("3B001.c.1.a").within(Eccn.parse("3B001.c"))
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from earcheck.errors import MalformedEccn

__all__ = ["EAR99", "MAX_PARAGRAPH_DEPTH", "Eccn", "normalise_eccn"]

# The deepest paragraph the CCL text in ../shared/data/ear/ccl.jsonl names is five levels below the
# entry (6A005.b.6.d.2.b; VD, counted over every ECCN-shaped reference in the file, December 2026).
# One more level is allowed for a paragraph the file does not quote; deeper is no CCL paragraph, and
# an unbounded run of ".a" only costs every walk that climbs the parents.
MAX_PARAGRAPH_DEPTH = 6
_ECCN = re.compile(r"^(?P<code>[0-9][A-EY][0-9]{3})(?P<para>(?:\.[A-Z0-9]{1,4})*)$")

PRODUCT_GROUPS = {
    "A": "systems, equipment and components",
    "B": "test, inspection and production equipment",
    "C": "materials",
    "D": "software",
    "E": "technology",
    "Y": "specific items (0Y521 series)",
}


@dataclass(frozen=True, slots=True, order=True)
class Eccn:
    code: str
    paragraph: tuple[str, ...] = ()

    @classmethod
    def parse(cls, text: str) -> Eccn:
        return _parse(text)

    @classmethod
    def _parse_uncached(cls, text: str) -> Eccn:
        cleaned = text.strip().upper()
        if cleaned == "EAR99":
            return EAR99
        match = _ECCN.match(cleaned)
        if not match:
            raise MalformedEccn(text)
        para = tuple(p.lower() for p in match["para"].split(".")[1:])
        if len(para) > MAX_PARAGRAPH_DEPTH:
            raise MalformedEccn(text[:80], f"deeper than the CCL goes ({MAX_PARAGRAPH_DEPTH} paragraph levels at most)")
        return cls(match["code"], para)

    @property
    def is_ear99(self) -> bool:
        return self.code == "EAR99"

    @property
    def category(self) -> int | None:
        return None if self.is_ear99 else int(self.code[0])

    @property
    def group(self) -> str | None:
        return None if self.is_ear99 else self.code[1]

    @property
    def is_technology_or_software(self) -> bool:
        return self.group in ("D", "E")

    @property
    def entry(self) -> Eccn:
        """The whole CCL entry, without the paragraph."""
        return Eccn(self.code)

    @property
    def parent(self) -> Eccn | None:
        return Eccn(self.code, self.paragraph[:-1]) if self.paragraph else None

    def within(self, other: Eccn) -> bool:
        """True when this falls under ``other``: same entry, and ``other``'s paragraph is a prefix."""
        return self.code == other.code and self.paragraph[: len(other.paragraph)] == other.paragraph

    def __str__(self) -> str:
        return ".".join((self.code, *self.paragraph))


EAR99 = Eccn("EAR99")


@lru_cache(maxsize=65536)
def _parse(text: str) -> Eccn:
    # Classifications repeat across a portfolio; parsing each once is the difference at 100,000 cases.
    return Eccn._parse_uncached(text)


def normalise_eccn(text: str) -> str:
    """Canonical spelling of an ECCN, or ``MalformedEccn``."""
    return str(Eccn.parse(text))
