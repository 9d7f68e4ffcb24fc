"""The cross-script table: Chinese-character names of listed organisations, each paired with the name
the list writes (``data/<version>/cross_script.yaml``).

Many listed Chinese companies chose an English name that is no reading of their Chinese one (第四范式 is
"4Paradigm", 今创集团 "KTK Group"): neither pinyin nor the corporate-word translations can find them.
A screened name that is one of the table's Chinese forms is also screened as the listed name. Each row
carries where the pairing was read and a verification label; a row not vouched for by a source that
gives both names together (label ``R``) may only raise a review-band hit: a person checks it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["LABELS", "VERIFIED", "CrossScriptError", "CrossScriptName", "cross_script_key", "parse_cross_script"]

LABELS = frozenset({"VS", "VX", "R"})
"""VS read in a stored authoritative copy; VX both names given together by press coverage of the listing
action; R recalled, or paired by us."""
VERIFIED = frozenset({"VS", "VX"})

# Company types at the end of a Chinese name: the table is matched with and without them, as a party
# writes its name either way (杭州中科微电子 / 杭州中科微电子有限公司).
_TRAILING_FORMS = ("股份有限公司", "有限责任公司", "有限公司", "公司")
_SPACE_AND_MARKS = re.compile(r"[\s\W_]+")


class CrossScriptError(ValueError):
    """The table is malformed (the loader names the file)."""


@dataclass(frozen=True, slots=True)
class CrossScriptName:
    listed: str  # the name or alias as the list writes it
    label: str  # one of LABELS
    source: str

    @property
    def verified(self) -> bool:
        return self.label in VERIFIED


def cross_script_key(simplified_text: str) -> str:
    """A Chinese name (already in simplified characters) as the table looks it up: full-width forms
    folded, spaces and punctuation dropped, one trailing company type taken off."""
    key = _SPACE_AND_MARKS.sub("", unicodedata.normalize("NFKC", simplified_text))
    for form in _TRAILING_FORMS:
        if key.endswith(form) and len(key) > len(form) + 1:
            return key[: -len(form)]
    return key


def parse_cross_script(doc: Any) -> Mapping[str, tuple[CrossScriptName, ...]]:
    """The table's rows by lookup key; a key may name several listed names (never twice the same)."""
    rows = doc.get("organisations") if isinstance(doc, dict) else None
    if not isinstance(rows, list) or set(doc) != {"organisations"}:
        raise CrossScriptError("expected a mapping with a list under 'organisations'")
    table: dict[str, list[CrossScriptName]] = {}
    for number, row in enumerate(rows, 1):
        if not isinstance(row, dict) or set(row) != {"listed", "zh", "label", "source"}:
            raise CrossScriptError(f"row {number}: expected the keys listed, zh, label, source")
        listed, forms, label, source = row["listed"], row["zh"], row["label"], row["source"]
        if not isinstance(listed, str) or not listed.strip():
            raise CrossScriptError(f"row {number}: 'listed' must be the list's name, got {listed!r}")
        if label not in LABELS:
            raise CrossScriptError(f"row {number}: label {label!r} is not one of {', '.join(sorted(LABELS))}")
        if not isinstance(source, str) or not source.strip():
            raise CrossScriptError(f"row {number}: every row names its source")
        if not isinstance(forms, list) or not forms:
            raise CrossScriptError(f"row {number}: 'zh' must be a non-empty list")
        name = CrossScriptName(listed.strip(), label, source.strip())
        for form in forms:
            if not isinstance(form, str) or not form.strip() or form.isascii():
                raise CrossScriptError(f"row {number}: {form!r} is not a name in Chinese characters")
            found = table.setdefault(cross_script_key(form), [])
            if any(other.listed == name.listed for other in found):
                raise CrossScriptError(f"row {number}: {form!r} is listed twice for {listed!r}")
            found.append(name)
    return {key: tuple(names) for key, names in table.items()}
