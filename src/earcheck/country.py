"""Destinations as ISO 3166-1 alpha-2 codes.

The EAR names destinations in English (the Country Chart's rows); earcheck keys everything by the
ISO code and keeps the names for display. Kosovo's user-assigned code ``XK`` is accepted because the
Country Chart has a row for it.
"""

from __future__ import annotations

import iso3166

from earcheck.errors import UnknownCountry

__all__ = ["country_name", "is_country", "normalise_country"]

_EXTRA = {"XK": "Kosovo"}


def is_country(code: str) -> bool:
    return code in _EXTRA or code in iso3166.countries_by_alpha2


def normalise_country(text: str) -> str:
    """Upper-cased alpha-2 code, or ``UnknownCountry``."""
    code = text.strip().upper()
    if len(code) != 2 or not is_country(code):
        raise UnknownCountry(text)
    return code


def country_name(code: str) -> str:
    if code in _EXTRA:
        return _EXTRA[code]
    country = iso3166.countries_by_alpha2.get(code)
    if country is None:
        raise UnknownCountry(code)
    return str(country.name)
