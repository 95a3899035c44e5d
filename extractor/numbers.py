"""Reading a value cell: one number, a blank marker, or not a value at all.

A value cell yields exactly one number or nothing: "12 34" is not read as 1234 and "1234" is never split.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from extractor.model import Value

SLASH_MARKERS = frozenset({"/", "／", "\\"})
BLANK_MARKERS = frozenset({"", "-", "/", "\\", "无", "空", "--", "——", "—", "／", "…", "..."})
_NUMBER = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SPACED_DIGITS = re.compile(r"\d[\s,]*\s[\s,]*\d")
_PLAIN = re.compile(rf"^(?P<sign>[+-]?)(?P<num>{_NUMBER})$")
_WORD_SIGN = re.compile(rf"^(?P<word>增加|减少|增|减|新增|下降)(?P<num>{_NUMBER})(?:件|个|项)?$")
_UNIT = re.compile(rf"^(?P<sign>[+-]?)(?P<num>{_NUMBER})(?P<unit>万元|亿元|元|万|亿|件|个|项|条|次|人次|%)$")
_ANNOTATED = re.compile(rf"^(?P<sign>[+-]?)(?P<num>{_NUMBER})(?:件|个|项)?(?P<note>\(.*\)|（.*）)$")


@dataclass(frozen=True)
class ParsedValue:
    value: Value
    blank: bool = False
    unit: str = ""
    note: str = ""


def _canon(raw: str) -> str:
    text = unicodedata.normalize("NFKC", raw)
    text = re.sub(r"\s+", "", text)
    return text.replace("−", "-").replace("－", "-").replace("＋", "+").replace("，", ",")


def _number(sign: str, digits: str) -> int | Decimal:
    digits = digits.replace(",", "")
    if "." in digits:
        try:
            value: int | Decimal = Decimal(digits)
        except InvalidOperation:  # pragma: no cover - regex admits only valid decimals
            raise ValueError(digits) from None
    else:
        value = int(digits)
    return -value if sign == "-" else value


def is_blank(raw: str) -> bool:
    return _canon(raw) in BLANK_MARKERS


@lru_cache(maxsize=16384)
def parse_value(raw: str, kind: str = "int") -> ParsedValue | None:
    """Parse a cell's raw text; None when the text is not a value (a label, two numbers, prose)."""
    if _SPACED_DIGITS.search(unicodedata.normalize("NFKC", raw)):
        return None  # "12 34" is two numbers or a broken one: never guess which
    text = _canon(raw)
    if text in BLANK_MARKERS:
        return ParsedValue(None, blank=True)
    if kind == "text":
        # Free-text amounts (2019 采购总金额) are kept verbatim when they hold a digit.
        return ParsedValue(text) if re.search(r"\d", text) and len(text) <= 40 else None
    m = _PLAIN.match(text)
    if m:
        return ParsedValue(_number(m["sign"], m["num"]))
    m = _WORD_SIGN.match(text)
    if m:
        sign = "-" if m["word"] in ("减", "减少", "下降") else "+"
        return ParsedValue(_number(sign, m["num"]), note=m["word"])
    m = _UNIT.match(text)
    if m:
        # '436.23万' in an amount column: 万元 with its 元 left out, or lost under a seal (scan draw 32003)
        unit = m["unit"] + "元" if m["unit"] in ("万", "亿") else m["unit"]
        return ParsedValue(_number(m["sign"], m["num"]), unit=unit)
    m = _ANNOTATED.match(text)
    if m and not re.search(r"\d", m["note"][:1]):
        return ParsedValue(_number(m["sign"], m["num"]), note=m["note"])
    return None


def looks_numeric(raw: str) -> bool:
    """True for text that parses as a value and is not a blank marker."""
    parsed = parse_value(raw)
    return parsed is not None and not parsed.blank
