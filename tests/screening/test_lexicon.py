from __future__ import annotations

import pytest

from earcheck.errors import DataError
from earcheck.screening import lexicon as lexicon_module
from earcheck.screening.lexicon import TermKind, load_lexicon


def test_tables_load_and_hold_what_the_rules_need() -> None:
    lexicon = load_lexicon("v1")
    assert lexicon.trailing_forms[("company", "limited")] == "limited"
    assert lexicon.leading_forms[("ooo",)] == "limited"
    assert lexicon.abbreviations["intl"] == "international"
    assert "technology" in lexicon.generic
    assert "corp" not in lexicon.generic
    assert lexicon.chinese["有限公司"].kind is TermKind.LEGAL
    assert lexicon.chinese["北京"].english == "beijing"
    assert len(lexicon.digest) == 64
    assert load_lexicon("v1") is lexicon  # loaded once


def test_an_unknown_version_is_a_clear_error() -> None:
    with pytest.raises(DataError, match="missing from the package"):
        load_lexicon("v0")


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ({"forms": [{"family": "cooperative", "variants": ["coop"]}]}, "unknown family"),
        ({"forms": [{"family": "limited", "variants": []}]}, "non-empty list"),
        ({"forms": [{"family": "limited", "variants": ["LLC"]}]}, "lower case"),
        ({"forms": [{"family": "limited", "variants": ["sa"]},
                    {"family": "joint_stock", "variants": ["sa"]}]}, "two families"),
        ({"nothing": []}, "under 'forms'"),
    ],
)  # fmt: skip
def test_legal_forms_are_checked(doc: object, message: str) -> None:
    with pytest.raises(DataError, match=message):
        lexicon_module._legal_forms(doc, "legal_forms.yaml")


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ({"abbreviations": {}, "generic": [True], "places": [], "stop": []}, "expected a string"),
        ({"abbreviations": {"co": "two words"}, "generic": [], "places": [], "stop": []}, "one word"),
        ({"abbreviations": {"tech": "technology"}, "generic": ["tech"], "places": [], "stop": []},
         "abbreviated"),
        ({"abbreviations": {}, "generic": ["china"], "places": ["china"], "stop": []}, "two lists"),
        ({"abbreviations": {}, "generic": []}, "expected the keys"),
    ],
)  # fmt: skip
def test_word_tables_are_checked(doc: object, message: str) -> None:
    with pytest.raises(DataError, match=message):
        lexicon_module._word_tables(doc, "words.yaml")


def test_chinese_names_must_cite_a_source() -> None:
    doc = {"legal": [], "words": [], "places": [], "names": [{"zh": ["中芯国际"], "en": "smic"}]}
    with pytest.raises(DataError, match="source"):
        lexicon_module._chinese(doc, "chinese.yaml")
