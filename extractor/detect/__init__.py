"""Find 表二 / 表三 / 表四: by section headings and the tables' own header anchors, never by position alone.

A region is a run of grid rows of one table that belongs to one section. A report may put each 表二
sub-table in its own <table>, or all three tables in one text rendering: regions cover both.
"""

from __future__ import annotations

import csv
import logging
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from extractor.model import Paragraph, SourceDoc, Table
from extractor.normalize import norm
from extractor.numbers import looks_numeric

_log = logging.getLogger(__name__)

SECTIONS = ("t2", "t3", "t4")
_MAX_HEADING_CHARS = 60


@dataclass(frozen=True)
class Region:
    section: str
    table: Table
    row_start: int
    row_end: int


@dataclass(frozen=True)
class _Rule:
    kind: str
    section: str
    keys: tuple[str, ...]

    def matches(self, key: str) -> bool:
        return all(k in key for k in self.keys)


@lru_cache(maxsize=1)
def _rules() -> tuple[_Rule, ...]:
    text = resources.files("extractor.data").joinpath("sections.csv").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line and not line.startswith("#")]
    return tuple(
        _Rule(row["kind"], row["section"], tuple(norm(k) for k in row["all_of"].split("&")))
        for row in csv.DictReader(lines)
    )


def heading_section(text: str) -> str | None:
    """'t2' / 't3' / 't4' / 'none' when the text is a section heading, else None."""
    key = norm(text)
    if not key or len(key) > _MAX_HEADING_CHARS:
        return None
    for rule in _rules():
        if rule.kind == "heading" and rule.matches(key):
            return rule.section
    return None


def anchor_section(texts: list[str], is_grid: bool) -> str | None:
    """The table a header row belongs to, from the template's header words."""
    key = norm("".join(texts))
    if len(key) > 200:
        return None
    for rule in _rules():
        if rule.kind == "anchor" and rule.matches(key):
            # A lone word in a text line is too weak: prose mentions 自然人 too.
            if is_grid or len(texts) > 1 or len(rule.keys) > 1:
                return rule.section
    return None


def row_texts(table: Table) -> list[list[str]]:
    rows: list[list[str]] = [[] for _ in range(table.n_rows)]
    for cell in table.cells:
        if cell.text.strip():
            rows[cell.row].append(cell.text)
    return rows


def find_regions(doc: SourceDoc) -> list[Region]:
    regions: list[Region] = []
    section: str | None = None
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            found = heading_section(block.text)
            if found is not None:
                section = found
            continue
        is_grid = not block.method.startswith("text")
        current_start = 0
        row_sections: list[str | None] = []
        for texts in row_texts(block):
            if texts and not any(looks_numeric(t) for t in texts):
                found = heading_section("".join(texts)) if len(texts) <= 2 else None
                if found is None:
                    found = anchor_section(texts, is_grid)
                if found is not None:
                    section = found
            row_sections.append(section)
        # Group consecutive rows of the same section into regions.
        for r in range(1, block.n_rows + 1):
            if r == block.n_rows or row_sections[r] != row_sections[current_start]:
                owner = row_sections[current_start]
                if owner in SECTIONS:
                    regions.append(Region(owner, block, current_start, r))
                current_start = r
    _log.debug("%d regions", len(regions))
    return regions
