"""name-v3: the short form of a person's name, surname and first given name ("Mohammad Bagheri" for
"BAGHERI, Mohammad Hossein Ali").

People with several given names are often written with the first alone: in correspondence, on
invoices, in the press, and in the lists' own aliases ("PULIDO VARGAS, Alvaro" beside "PULIDO VARGAS,
Alvaro Enrique"). Screened against the full name, such a short form leaves distinctive listed words
missing and scored below the review threshold, so the person was not shown at all (the real-variant
benchmark's short forms: 0.44 of the SDN a.k.a. set found). A listed individual's name with two given
names or more is therefore also indexed as its surname(s) and first given name, at a small cost (the
name as listed ranks first) and never above ``short_form_cap``: review, since dropping given names
also makes the name of other people ("Mohammad Bagheri" is a common name).

The lists write individuals as "SURNAME(S), Given names" (the CSL, SDN.CSV); a name without a comma is
read as given names followed by one surname.
"""

from __future__ import annotations

import re

__all__ = ["given_name_short_forms"]

_WORD = re.compile(r"[^\W\d_][\w'\-.]*", re.UNICODE)


def given_name_short_forms(listed: str) -> list[str]:
    """The short forms of an individual's name as a list writes it: [] when it has fewer than two
    given names, or holds anything but words (parentheses, digits: a description, not a name)."""
    if any(ch in listed for ch in "()[]/;") or any(ch.isdigit() for ch in listed):
        return []
    if listed.count(",") > 1:
        return []
    if "," in listed:
        surname_part, _, given_part = listed.partition(",")
        surnames, given = _WORD.findall(surname_part), _WORD.findall(given_part)
    else:
        words = _WORD.findall(listed)
        if len(words) < 3:
            return []
        surnames, given = words[-1:], words[:-1]
    if not surnames or len(given) < 2:
        return []
    return [f"{' '.join(surnames)}, {given[0]}"]
