"""The second opinion: born-digital PDF tables left with errors, read again by pdfplumber and camelot.

Only the pages of the tables in doubt are read again, engine after engine, until each table is settled;
another reading replaces a table only when extractor.validate.opinion accepts it (every identity holds, and
it agrees with every value the primary read without doubt). Otherwise the flag stays, with a note of what
was tried. A document without errors never gets here, so the fast path stays fast.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

from extractor.model import Finding, PageContent, Table
from extractor.sources.engines import ENGINES, NEEDS_RULES, read_pages
from extractor.validate.opinion import judge
from extractor.work import Work

_log = logging.getLogger(__name__)
# Checks that say nothing about how a table was read.
_NOT_READING = {"bad_text_layer"}


def tables_in_doubt(w: Work) -> list[str]:
    return sorted({f.table for f in w.findings
                   if f.severity == "error" and f.table and f.check not in _NOT_READING})


def pages_of(w: Work, tables: list[str]) -> list[PageContent]:
    """The pages holding those tables; every page (up to the limit) when one of them was not found."""
    assert w.doc is not None
    numbers = {p for t in w.tables if t.section in tables for p in t.pages}
    missing = set(tables) - {t.section for t in w.tables}
    pages = [p for p in w.doc.pages if missing or p.number in numbers]
    return pages[: w.settings.second_opinion_max_pages]


def second_opinion(w: Work, reading: Sequence[tuple[str, Callable[[Work], None]]]) -> None:
    """`reading`: the pipeline's stages that turn a SourceDoc into a validated reading, run on each engine's."""
    assert w.doc is not None and w.mapping is not None
    if not w.settings.second_opinion or w.doc.kind != "pdf" or not w.doc.pages:
        return
    doubt = tables_in_doubt(w)
    pages = pages_of(w, doubt)
    if not doubt or not pages:
        return
    tried: dict[str, list[str]] = {t: [] for t in doubt}
    numbers = {p.number for p in pages}
    # A grid of drawn rules found there by the primary reading: else the rule-finding engines find nothing.
    ruled = any(isinstance(b, Table) and b.method == "pdf-lattice" and numbers & set(b.pages) for b in w.doc.blocks)
    for engine in ENGINES:
        if not doubt:
            break
        if engine in NEEDS_RULES and not ruled:
            continue
        try:
            doc = read_pages(engine, w.raw.data, pages)
            other = Work(raw=w.raw, settings=w.settings, kind="pdf", doc=doc)
            for name, stage in reading:
                stage(other)
                if name == "detect":  # the primary read the title and prose: the engine sees only grids
                    other.year, other.agency, other.claims, other.prose = w.year, w.agency, w.claims, w.prose
        except Exception as exc:  # an engine's failure costs only its opinion
            _log.debug("second opinion %s failed", engine, exc_info=True)
            for t in doubt:
                tried[t].append(f"{engine.value}: failed ({type(exc).__name__})")
            continue
        assert other.mapping is not None
        for table in list(doubt):
            if other.template != w.template:
                tried[table].append(f"{engine.value}: template {other.template or '?'}")
                continue
            verdict = judge(table, w.template, w.mapping.cells, w.findings, other.mapping.cells, other.findings)
            if not verdict.accepted:
                tried[table].append(f"{engine.value}: {verdict.reason}")
                if verdict.same_values:
                    doubt.remove(table)
                    w.findings.append(Finding("second_opinion", "info", f"{engine.value} reads the same values: "
                                              "the source's own arithmetic, the flag stays", table=table))
                continue
            _replace(w, other, table, f"{engine.value}: {verdict.reason}")
            doubt.remove(table)
    for table in doubt:
        w.findings.append(Finding("second_opinion", "info", "read again, not accepted (" + "; ".join(tried[table])
                                  + "): the flag stays", table=table))


def _replace(w: Work, other: Work, table: str, why: str) -> None:
    assert w.mapping is not None and other.mapping is not None
    replaced = [f for f in w.findings if f.table == table and f.severity == "error"]
    w.mapping.cells = [c for c in w.mapping.cells if c.table != table] + [
        c for c in other.mapping.cells if c.table == table]
    w.findings = [f for f in w.findings if f.table != table] + [f for f in other.findings if f.table == table]
    summary = ", ".join(sorted({f.check for f in replaced}))
    w.findings.append(Finding("second_opinion", "info", f"the primary reading left {summary}; accepted the reading "
                              f"of {why}", table=table))
