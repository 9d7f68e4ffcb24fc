"""Chinese characters to the words an English company name would use.

A run of Chinese characters is read left to right: the longest term of the lexicon's Chinese table
found at each position is written in English (技术 -> "technology", 有限公司 -> "company limited",
北京 -> "beijing"), and each stretch between terms, the distinctive part of the name, becomes one
pinyin word without tones (华为 -> "huawei"), as registered English names write it. Traditional
characters are read as well as simplified ones; from ``name-v2`` on they are first converted to
simplified characters with OpenCC, so that a name and its alias in the other script are one name.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from earcheck.screening.lexicon import Lexicon, TermKind

__all__ = ["HAN", "HANGUL", "han_to_words", "person_shaped", "simplified"]

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]+")
HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]+")
_PLACE_SUFFIXES = frozenset("市省县區区")
# 第 + a number in Chinese numerals: the numbered institutes of the state groups (中国电子科技集团公司第十四
# 研究所 is "China Electronics Technology Group Corporation 14th Research Institute"), which the
# normaliser writes "14", as it writes "14th".
_ORDINAL = re.compile(r"第([零〇一二两三四五六七八九十百]+)")
_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}


@cache
def _pinyin() -> Callable[[str], list[str]]:
    # pypinyin loads large dictionaries; only names written in Chinese pay for it.
    from pypinyin import Style, lazy_pinyin

    def pinyin(text: str) -> list[str]:
        return [str(s) for s in lazy_pinyin(text, style=Style.NORMAL, errors="default")]

    return pinyin


@cache
def _to_simplified() -> Callable[[str], str]:
    # OpenCC's Traditional-to-Simplified conversion (phrase tables, not character by character: 乾隆
    # stays, 乾燥 becomes 干燥); loaded only when a name has Chinese characters.
    import opencc

    converter = opencc.OpenCC("t2s")
    return lambda text: str(converter.convert(text))


def simplified(text: str) -> str:
    """``text`` with traditional Chinese characters written as simplified ones (華為 -> 华为)."""
    return _to_simplified()(text)


def chinese_number(numerals: str) -> int | None:
    """The value of a number written in Chinese numerals up to 999 (十四 14, 二十 20, 七〇七 707,
    一百零八 108); ``None`` when the characters do not spell one."""
    if "十" not in numerals and "百" not in numerals:  # digit by digit, as 七〇七
        digits = [_DIGITS.get(c) for c in numerals]
        return int("".join(str(d) for d in digits)) if None not in digits else None
    value, pending = 0, None
    for char in numerals:
        if char in "零〇":
            continue  # a place held empty (一百零八, 108)
        if char in _DIGITS:
            if pending is not None:
                return None  # two digits in a row within a positional number
            pending = _DIGITS[char]
        elif char in "十百":
            unit = 10 if char == "十" else 100
            if value % (unit * 10) >= unit:
                return None  # 十 twice, or 百 after 十
            value += (1 if pending is None else pending) * unit
            pending = None
    return value + (pending or 0)


def _ordinal(match: re.Match[str]) -> str:
    number = chinese_number(match.group(1))
    return match.group() if number is None else f" {number} "


def _transliterate(chars: str) -> str:
    return "".join(s for s in _pinyin()(chars) if s.isascii() and s.isalpha()) or chars


def _run_to_words(run: str, lexicon: Lexicon) -> str:
    out: list[str] = []
    pending: list[str] = []
    terms = lexicon.chinese
    i = 0
    while i < len(run):
        term = None
        for size in range(min(lexicon.longest_chinese, len(run) - i), 0, -1):
            term = terms.get(run[i : i + size])
            if term is not None:
                break
        if term is None:
            pending.append(run[i])
            i += 1
            continue
        if pending:
            out.append(_transliterate("".join(pending)))
            pending.clear()
        if term.english:
            out.append(term.english)
        i += size
        if term.kind is TermKind.PLACE and i < len(run) and run[i] in _PLACE_SUFFIXES:
            i += 1
    if pending:
        out.append(_transliterate("".join(pending)))
    return " " + " ".join(out) + " "


def _person(run: str) -> str | None:
    """A name of two to four characters with no corporate word is most likely a person's: written
    as a family name and a joined given name, "罗峰" -> "luo feng", "王小明" -> "wang xiaoming"."""
    syllables = [s for s in _pinyin()(run) if s.isascii() and s.isalpha()]
    if len(syllables) != len(run):
        return None
    return " " + syllables[0] + " " + "".join(syllables[1:]) + " "


def person_shaped(text: str, lexicon: Lexicon) -> bool:
    """Is ``text`` two to four Chinese characters and nothing else, none of them a word of the tables
    (no corporate word, no place): most likely a person's name?"""
    run = text.strip()
    if not 2 <= len(run) <= 4 or HAN.fullmatch(run) is None:
        return False
    terms = lexicon.chinese
    return not any(run[i:j] in terms for i in range(len(run)) for j in range(i + 1, len(run) + 1))


def han_to_words(text: str, lexicon: Lexicon) -> str:
    """Rewrite every run of Chinese characters in ``text`` as English words and pinyin."""
    if person_shaped(text, lexicon):
        person = _person(text.strip())
        if person is not None:
            return person
    if lexicon.han_ordinals and "第" in text:
        text = _ORDINAL.sub(_ordinal, text)
    return HAN.sub(lambda m: _run_to_words(m.group(), lexicon), text)
