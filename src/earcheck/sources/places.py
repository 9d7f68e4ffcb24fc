"""Countries as the official files write them, read into ISO 3166-1 alpha-2 codes.

The lists name countries in several ways: ISO codes (``CN``), the CSL's own variants (``UK``,
``PRC``, ``MACAU``, ``REGION: WEST BANK``), OFAC's names (``Korea, North``, ``Burma``), and the
Country Chart's (``Türkiye``, ``Congo (Democratic Republic of the)``). ``country_code`` reads any of
them and answers ``None`` when it is not sure: a country we cannot place is left out, never guessed.
"""

from __future__ import annotations

import re

import iso3166

from earcheck.country import is_country

__all__ = ["address_country", "country_code"]

# Spellings used by OFAC, trade.gov and the eCFR that ISO 3166's names do not cover. Regions map to
# the country they lie in only where that is undisputed; Kashmir and Kafia Kingi are left out.
_VARIANTS = {
    "UK": "GB",
    "UNITED KINGDOM": "GB",
    "GREAT BRITAIN": "GB",
    "PRC": "CN",
    "PEOPLE'S REPUBLIC OF CHINA": "CN",
    "CHINA, PEOPLE'S REPUBLIC OF": "CN",
    "MACAU": "MO",
    "HONG KONG": "HK",
    "TAIWAN": "TW",
    "RUSSIA": "RU",
    "IRAN": "IR",
    "SYRIA": "SY",
    "BURMA": "MM",
    "LAOS": "LA",
    "VIETNAM": "VN",
    "BRUNEI": "BN",
    "BOLIVIA": "BO",
    "VENEZUELA": "VE",
    "MOLDOVA": "MD",
    "TANZANIA": "TZ",
    "TURKEY": "TR",
    "TURKIYE": "TR",
    "TÜRKIYE": "TR",
    "KOREA, NORTH": "KP",
    "NORTH KOREA": "KP",
    "KOREA, SOUTH": "KR",
    "SOUTH KOREA": "KR",
    "CONGO, DEMOCRATIC REPUBLIC OF THE": "CD",
    "CONGO (DEMOCRATIC REPUBLIC OF THE)": "CD",
    "DEMOCRATIC REPUBLIC OF THE CONGO": "CD",
    "CONGO, REPUBLIC OF THE": "CG",
    "CONGO (REPUBLIC OF THE)": "CG",
    "NORTH MACEDONIA": "MK",
    "NORTH MACEDONIA, THE REPUBLIC OF": "MK",
    "MACEDONIA, THE FORMER YUGOSLAV REPUBLIC OF": "MK",
    "THE GAMBIA": "GM",
    "GAMBIA, THE": "GM",
    "BAHAMAS, THE": "BS",
    "CABO VERDE": "CV",
    "CAPE VERDE": "CV",
    "CZECH REPUBLIC": "CZ",
    "COTE D'IVOIRE": "CI",
    "IVORY COAST": "CI",
    "KOSOVO": "XK",
    "MICRONESIA (FEDERATED STATE OF)": "FM",
    "MICRONESIA, FEDERATED STATES OF": "FM",
    "ST. KITTS AND NEVIS": "KN",
    "ST. LUCIA": "LC",
    "ST. VINCENT AND THE GRENADINES": "VC",
    "SEYCHELES": "SC",
    "VATICAN CITY": "VA",
    "UNITED STATES": "US",
    "USA": "US",
    "U.S.A.": "US",
    "UAE": "AE",
    "U.A.E.": "AE",
    "MAN, ISLE OF": "IM",
    "ISLE OF MAN": "IM",
    "PALESTINIAN": "PS",
    "WEST BANK": "PS",
    "GAZA": "PS",
    "NORTH GAZA": "PS",
    "NORTHERN GAZA": "PS",
    "CRIMEA (OCCUPIED)": "UA",
    "NORTHERN MALI": "ML",
}
# Names that are also places inside other countries (the US state of Georgia): trusted in a field that
# holds a country (nationality), never at the end of an address.
_AMBIGUOUS_IN_ADDRESSES = frozenset({"GEORGIA", "JERSEY"})

_POSTCODE = re.compile(r"[\s,]*[0-9][0-9 -]*$")


def _normal(text: str) -> str:
    return " ".join(text.strip().rstrip(".").strip().upper().split())


def country_code(text: str) -> str | None:
    """The ISO code for ``text`` (a code, a country name or a known variant), or ``None`` if unsure.

    >>> country_code("Korea, North"), country_code("UK"), country_code("REGION: KASHMIR")
    ('KP', 'GB', None)
    """
    name = _normal(text)
    name = name.removeprefix("REGION:").strip()
    if name in _VARIANTS:
        return _VARIANTS[name]
    if len(name) == 2:
        return name if is_country(name) else None
    country = iso3166.countries_by_name.get(name) or iso3166.countries_by_apolitical_name.get(name)
    return None if country is None else str(country.alpha2)


def address_country(address: str, *, trust_codes: bool) -> str | None:
    """The country an address ends with (``"..., Beijing, China"``, ``"..., Moscow 124498., RU"``).

    Only the last part is read, with any postcode removed. Names that are also a place elsewhere
    (Georgia) are not trusted here. A two-letter code is trusted only when ``trust_codes`` says the
    file puts a country code there and it stands alone: ``"Irvine, CA 92618"`` is California, not
    Canada.
    """
    parts = [p for p in (part.strip() for part in address.split(",")) if p.strip(" .")]
    for part in reversed(parts[-2:]):
        part = part.rstrip(" .")
        candidate = _POSTCODE.sub("", part).strip()
        if not candidate:
            continue  # a part that is only a postcode: look at the one before
        name = _normal(candidate)
        if name in _AMBIGUOUS_IN_ADDRESSES:
            return None
        if len(name) == 2 and not (trust_codes and candidate == part):
            return None
        return country_code(candidate)
    return None
