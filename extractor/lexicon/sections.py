"""Section headings of a report and the header words that say which table a header row belongs to."""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from importlib import resources

from extractor.normalize import norm

_MAX_HEADING_CHARS = 60


@dataclass(frozen=True)
class _Rule:
    kind: str
    section: str
    keys: tuple[str, ...]

    def matches(self, key: str) -> bool:
        return all(k in key for k in self.keys)


@lru_cache(maxsize=1)
def _rules() -> tuple[_Rule, ...]:
    text = resources.files("extractor.lexicon.data").joinpath("sections.csv").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    return tuple(
        _Rule(row["kind"], row["section"], tuple(norm(k) for k in row["all_of"].split("&")))
        for row in csv.DictReader(lines)
    )


def heading_section(text: str) -> str | None:
    """'t2' / 't3' / 't4' / 'none' when the text is a section heading, else None."""
    key = norm(text)
    if not key or len(key) > _MAX_HEADING_CHARS or "。" in key:
        return None
    for rule in _rules():
        if rule.kind == "heading" and rule.matches(key):
            return rule.section
    return None


def anchor_section(texts: list[str], is_grid: bool) -> str | None:
    """The table a header row belongs to, from the template's header words."""
    # A grid cell ending in '。' is still a cell (OCR reads a speck after '…之和）' as one); inside, it is prose.
    key = norm("".join(t.strip().rstrip("。") for t in texts) if is_grid else "".join(texts))
    if len(key) > 200 or "。" in key:  # a sentence of prose, not a header row
        return None
    for rule in _rules():
        if rule.kind == "anchor" and rule.matches(key):
            # A lone word in a text line is too weak: prose mentions 自然人 too.
            if is_grid or len(texts) > 1 or len(rule.keys) > 1:
                return rule.section
    return None


def row_section(label: str) -> str | None:
    """The table a row belongs to by its label alone, for the few labels only one table has."""
    key = norm(label)
    if len(key) > _MAX_HEADING_CHARS:
        return None
    return next((rule.section for rule in _rules() if rule.kind == "row" and rule.matches(key)), None)


_HEADING_ENDS = ("情况", "事项", "问题")


def heading_prefix(text: str) -> int | None:
    """Where a section heading that opens `text` ends (a heading run into the table after it in a glued
    rendering: '二、主动公开政府信息情况 第二十条第（一）项…'), or None."""
    for word in _HEADING_ENDS:
        start = 0
        while (found := text.find(word, start)) >= 0 and found < 3 * _MAX_HEADING_CHARS:
            end = found + len(word)
            if heading_section(text[:end]) is not None or heading_variant(text[:end]) is not None:
                return end
            start = end
    return None


# The template's section headings (numbering aside), for headings printed with a typo.
OFFICIAL_HEADINGS = (
    ("t2", "主动公开政府信息情况"),
    ("t3", "收到和处理政府信息公开申请情况"),
    ("t4", "政府信息公开行政复议、行政诉讼情况"),
    ("none", "存在的主要问题及改进情况"),
    ("none", "其他需要报告的事项"),
    ("none", "总体情况"),
)
# Its '、' may be lost (a scan: '四' read apart, draw 33031 under a seal): the numeral and a heading's words.
_LEVEL1_ENUM = re.compile(r"^[一二三四五六七八九十]{1,2}[、.]?")
MIN_HEADING_SIMILARITY = 0.85


def lone_numeral(text: str) -> bool:
    """A heading's numeral read apart from its words ('四', '四、')."""
    return bool(_LEVEL1_ENUM.fullmatch(norm(text)))


def heading_variant(text: str) -> tuple[str, str] | None:
    """(section, official heading) for a numbered heading that differs from the template's by a typo
    ('四、政府信息公开行政法复议、行政诉讼情况'); None when it resembles no heading or two of them."""
    key = norm(text)
    if not _LEVEL1_ENUM.match(key) or len(key) > _MAX_HEADING_CHARS or "。" in key:
        return None
    body = _LEVEL1_ENUM.sub("", key)
    scored = sorted(((SequenceMatcher(None, body, norm(h), autojunk=False).ratio(), section, h)
                     for section, h in OFFICIAL_HEADINGS), reverse=True)
    best, runner = scored[0], scored[1]
    if best[0] >= MIN_HEADING_SIMILARITY and runner[0] < MIN_HEADING_SIMILARITY:
        return best[1], best[2]
    return None
