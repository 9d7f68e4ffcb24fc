"""The timeline's bands say only what fits them, and its "why" column is short with the rest on demand."""

from __future__ import annotations

from datetime import date

from earcheck.web.charts import CHAR_WIDTH, MAX_WHY, PADDING, band_text, layout, short_why


def test_a_band_says_its_label_only_when_it_fits() -> None:
    # "No licence required" is 19 characters: 19 * 7.6 + 12 = 156.4 units.
    assert band_text("No licence required", "not-required", 157) == "No licence required"
    assert band_text("No licence required", "not-required", 100) == "No"
    assert band_text("No licence required", "not-required", 20) == ""
    assert len("Licence required") * CHAR_WIDTH + PADDING > 90  # the old rule (text above 90 units) cut it off


def test_the_why_is_short_and_whole_on_demand() -> None:
    long = "the footnote 1 rule applies to " + "items made with US technology " * 10 + "; and the entity is listed"
    short = short_why(long)
    assert len(short) <= MAX_WHY + 2
    assert short.endswith(" …")
    assert long.startswith(short.removesuffix(" …"))
    assert short_why("a listed party") == "a listed party"
    assert short_why("first; second") == "first …"


def test_every_band_of_a_chart_fits_its_text() -> None:
    rows = [
        {"start": "2019-05-16", "end": "2019-06-01", "license_required": False, "because": "x"},
        {"start": "2019-06-01", "end": "2020-08-17", "license_required": False, "because": "y"},
        {"start": "2020-08-17", "end": None, "license_required": True, "because": "z"},
    ]
    chart = layout(rows, date(2026, 12, 1))
    for band in chart.bands:
        assert len(band.text) * CHAR_WIDTH + PADDING <= band.width or band.text == ""
    assert chart.bands[0].text == ""  # two weeks of seven years: no room for words
