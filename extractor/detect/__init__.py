"""Find 表二 / 表三 / 表四: by section headings and the tables' own header anchors, never by position alone.

A region is a run of grid rows of one table that belongs to one section. A report may put each 表二
sub-table in its own <table>, or all three tables in one text rendering: regions cover both.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from extractor.lexicon.sections import anchor_section, heading_section, heading_variant, lone_numeral, row_section
from extractor.model import Finding, Paragraph, SourceDoc, Table
from extractor.numbers import looks_numeric

_log = logging.getLogger(__name__)

SECTIONS = ("t2", "t3", "t4")


MAX_HEADING_PARTS = 4  # a numeral read apart, and the heading in three pieces at most


@dataclass(frozen=True)
class Region:
    section: str
    table: Table
    row_start: int
    row_end: int


def row_texts(table: Table) -> list[list[str]]:
    rows: list[list[str]] = [[] for _ in range(table.n_rows)]
    for cell in table.cells:
        if cell.text.strip():
            rows[cell.row].append(cell.text)
    return rows


def _heading(text: str, findings: list[Finding]) -> str | None:
    found = heading_section(text)
    if found is None:
        variant = heading_variant(text)
        if variant is not None:
            found, official = variant
            findings.append(Finding("heading_variant", "info", f"section heading {text.strip()!r} read as the "
                                    f"template's {official!r}", table=found if found in SECTIONS else "",
                                    found=text.strip()))
    return found


def find_regions(doc: SourceDoc) -> tuple[list[Region], list[Finding]]:
    """The regions of each section, and findings about headings printed with a typo."""
    regions: list[Region] = []
    findings: list[Finding] = []
    section: str | None = None
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            found = _heading(block.text, findings)
            if found is not None:
                section = found
            continue
        is_grid = not block.method.startswith("text")
        current_start = 0
        row_sections: list[str | None] = []
        for texts in row_texts(block):
            # A header row holds words; one misread cell ('4' for 表三's top-left cell) leaves it one.
            if texts and 2 * sum(1 for t in texts if looks_numeric(t)) < len(texts):
                # A heading is a line of a word or two; a scan may read its numeral apart ('四' '政府信息…').
                worded = len(texts) <= 2 or (len(texts) <= MAX_HEADING_PARTS and lone_numeral(texts[0]))
                found = _heading("".join(texts), findings) if worded else None
                if found is None:
                    found = anchor_section(texts, is_grid)
                if found is not None:
                    section = found
            elif texts and section in SECTIONS and (found := row_section(texts[0])) is not None:
                section = found  # a row only one table has, under a header that could not be read
            row_sections.append(section)
        # Group consecutive rows of the same section into regions.
        for r in range(1, block.n_rows + 1):
            if r == block.n_rows or row_sections[r] != row_sections[current_start]:
                owner = row_sections[current_start]
                if owner in SECTIONS:
                    regions.append(Region(owner, block, current_start, r))
                current_start = r
    _log.debug("%d regions", len(regions))
    return regions, findings


def prose_text(doc: SourceDoc, regions: list[Region]) -> str:
    """The report's prose: paragraphs, and the lines of text renderings outside every table region."""
    inside: dict[int, set[int]] = {}
    for region in regions:
        inside.setdefault(id(region.table), set()).update(range(region.row_start, region.row_end))
    parts: list[str] = []
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            parts.append(block.text)
        elif block.method.startswith(("text", "pdf-text")):
            skip = inside.get(id(block), set())
            rows = row_texts(block)
            parts.extend("".join(texts) for r, texts in enumerate(rows) if r not in skip and texts)
    return "\n".join(parts)
