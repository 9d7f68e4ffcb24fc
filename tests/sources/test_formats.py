from __future__ import annotations

from pathlib import Path

import pytest

from earcheck.errors import SourceFormatError
from earcheck.lists import ListCode
from earcheck.sources import SourceKind, detect, read
from earcheck.sources.places import address_country, country_code

SNAPSHOT = Path(__file__).parents[1] / "fixtures" / "sources" / "snapshot"


@pytest.mark.parametrize(
    ("name", "kind"),
    [
        ("csl/consolidated.csv", SourceKind.CSL),
        ("ofac/sdn-2021-08-18.csv", SourceKind.OFAC_SDN),
        ("ear/country_chart.csv", SourceKind.COUNTRY_CHART),
        ("ear/country_chart_footnotes.json", SourceKind.CHART_FOOTNOTES),
        ("ear/country_groups.csv", SourceKind.COUNTRY_GROUPS),
        ("ear/ccl.jsonl", SourceKind.CCL),
        ("ear/license_exceptions.csv", SourceKind.LICENSE_EXCEPTIONS),
    ],
)
def test_detect_by_content(name: str, kind: SourceKind, tmp_path: Path) -> None:
    # the file's name plays no part
    copy = tmp_path / "download.bin"
    copy.write_bytes((SNAPSHOT / name).read_bytes())
    assert detect(copy) is kind
    assert len(list(read(kind, copy, as_of=None))) > 0


def test_detect_unknown_format(tmp_path: Path) -> None:
    path = tmp_path / "other.csv"
    path.write_text("a,b,c\n1,2,3\n")
    with pytest.raises(SourceFormatError, match=r"not a format earcheck reads.*'a,b,c'"):
        detect(path)
    with pytest.raises(SourceFormatError, match="not a format earcheck reads"):
        detect(SNAPSHOT / "manifest.json")


def test_kinds_cover_lists() -> None:
    assert SourceKind.CSL.lists == frozenset(ListCode)
    assert SourceKind.OFAC_SDN.lists == {ListCode.SDN}
    assert SourceKind.CCL.lists == frozenset()


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("CN", "CN"),
        ("UK", "GB"),
        ("PRC", "CN"),
        ("MACAU", "MO"),
        ("Korea, North", "KP"),
        ("Burma", "MM"),
        ("Türkiye", "TR"),
        ("TURKIYE", "TR"),
        ("Congo (Democratic Republic of the)", "CD"),
        ("REGION: IRAN", "IR"),
        ("REGION: KASHMIR", None),
        ("REGION: KAFIA KINGI", None),
        ("AN", None),  # Netherlands Antilles: dissolved, no single successor
        ("NM", None),
        ("hong kong", "HK"),
        ("Cayman Islands", "KY"),
        ("Georgia", "GE"),
    ],
)
def test_country_code(text: str, code: str | None) -> None:
    assert country_code(text) == code


@pytest.mark.parametrize(
    ("address", "trust_codes", "code"),
    [
        ("No. 18 Wen Chang Road, Beijing 100176., CN", True, "CN"),
        ("No. 18 Wen Chang Road, Beijing 100176., CN", False, None),
        ("Georgievskiy Prospekt, 5, Zelenograd, Moscow, 124498, Russia.", False, "RU"),
        ("4 Savelkinskiy Dr., Zelenograd, Russia 124482.", False, "RU"),
        ("100 Main St., Irvine, CA 92618", True, None),  # California, not Canada
        ("100 Peachtree St., Atlanta, Georgia", False, None),  # the state, perhaps
        ("Shenzhen", False, None),
        ("", True, None),
    ],
)
def test_address_country(address: str, trust_codes: bool, code: str | None) -> None:
    assert address_country(address, trust_codes=trust_codes) == code
