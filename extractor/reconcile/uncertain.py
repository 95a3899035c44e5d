"""OCR cells the recogniser was unsure of: the identities may choose among its own readings, or they flag.

A reading is chosen only when exactly one of the recogniser's candidates (its best reading and the
alternatives it produced) satisfies every identity involving the cell, with every other cell as read.
Otherwise the cell keeps its best reading, its low confidence, and an error finding: never passed off
as certain. Cells outside every identity (表二) cannot be decided and are always reported.
"""

from __future__ import annotations

import re
from dataclasses import replace
from decimal import Decimal
from itertools import product
from typing import Any

from extractor.codes import catalog
from extractor.identities import Equation
from extractor.model import CanonicalCell, Finding
from extractor.numbers import parse_value

UNSURE_CELL = 0.9


_POINT_IN_DIGITS = re.compile(r"(?<=\d)[.,，·](?=\d)")


def _candidates(cell: CanonicalCell) -> list[tuple[int | Decimal | None, str]]:
    out: list[tuple[int | Decimal | None, str]] = []
    readings = [cell.raw, *cell.alternatives]
    spec = catalog().get(cell.template, cell.table, cell.row, cell.col)
    if spec is not None and spec.kind == "int":
        # A count has no decimal point nor sign: one read between its digits, or a minus before them, is a
        # speck ('1.1' for 11, '-4' for 4: draw 36016).
        readings += [_POINT_IN_DIGITS.sub("", raw) for raw in readings if _POINT_IN_DIGITS.search(raw)]
        readings += [raw.strip()[1:] for raw in readings if raw.strip()[:1] in "-－" and raw.strip()[1:2].isdigit()]
    for raw in readings:
        parsed = parse_value(raw)
        if parsed is not None and not isinstance(parsed.value, str):
            value = parsed.value
            if all(value != v for v, _ in out):
                out.append((value, raw))
    return out


def _unsure(cell: CanonicalCell) -> bool:
    return cell.method.startswith("ocr") and (cell.confidence < UNSURE_CELL or bool(cell.alternatives))


MAX_JOINT = 8  # unsure cells of one identity decided together (2^8 combinations of two readings each)
Key = tuple[str, str, str]


STROKE_READINGS = frozenset({"1"})  # what a thin stroke left in a blank cell reads as (a rule's or seal's remains)


def _may_be_empty(cell: CanonicalCell, blank_tables: set[str]) -> bool:
    """An unsure cell read as empty whose only other readings, if any, are a thin stroke's ('1'), in a table
    that shows blank cells surely elsewhere and no '0': the identities may choose its empty reading (a blank
    under a seal that may have hidden print: scan draw 38008, right and flagged). Where a table prints '0's
    or no blanks, an empty reading stays unsure."""
    return not cell.raw.strip() and cell.table in blank_tables and all(
        a.strip() in STROKE_READINGS for a in cell.alternatives)


def _may_be_mark(cell: CanonicalCell, marked: set[str]) -> bool:
    """An unsure cell with a blank mark ('—', '/') among its readings, in a table that shows a mark surely
    elsewhere: the identities may choose the mark. Where none is shown, a mark reading may be a cut '0' (the top
    of a '0' on a seal's ring read '—': scan draw 37026)."""
    return cell.table in marked and any(v is None and raw.strip() for v, raw in _candidates(cell))


def _only_reading(group: list[Key], eqs: list[Equation], pending: set[Key], by_key: dict[Key, CanonicalCell],
                  values: dict[Key, Any], emptiable: frozenset[Key] = frozenset()
                  ) -> tuple[tuple[int | Decimal | None, str], ...] | None:
    """The one combination of the group's readings that makes every identity it completes hold (identities
    whose other cells are all sure); None when there are none such identities, or no or several combinations.
    An empty reading counts only for the `emptiable` cells."""
    touching = [e for e in eqs if set(group) & set(e.keys) and not (pending - set(group)) & set(e.keys)
                and e.holds(values) is not None]
    if not touching:
        return None
    found = []
    for combo in product(*(_candidates(by_key[k]) for k in group)):
        if any(value is None and k not in emptiable for k, (value, _) in zip(group, combo, strict=True)):
            continue  # read as empty or a blank mark: the identities cannot tell it from a '0'
        trial = {**values, **{k: v or 0 for k, (v, _) in zip(group, combo, strict=True)}}
        if all(e.holds(trial) for e in touching):
            found.append(combo)
            if len(found) > 1:
                return None
    return found[0] if found else None


def settle_uncertain(cells: list[CanonicalCell], eqs: list[Equation]) -> tuple[list[CanonicalCell], list[Finding]]:
    """Unsure cells settled one at a time by the identities whose other cells are all sure (read sure, or
    settled before): a settled cell can then settle its neighbours. When every identity of an unsure cell holds
    other unsure ones (a poor scan reads every '/' as '1' or '/'), the unsure cells of one identity are
    decided together: '1 1 / 1' under a sure 总计 of 0 can only be four blanks."""
    if not any(c.method.startswith("ocr") for c in cells):
        return cells, []
    values = {c.key: c.number for c in cells}
    by_key = {c.key: c for c in cells}
    pending = {c.key for c in cells if _unsure(c)}
    sure = [c for c in cells if c.method.startswith("ocr") and c.key not in pending]
    # Tables that write their zeros as blanks: a blank shown surely, never a '0' (where a table prints '0's,
    # a '0' a seal's cleaning cut down to a stroke reads '1' too: draw 27019).
    blank_tables = {c.table for c in sure if c.value is None} - {c.table for c in sure if c.value == 0}
    marked = {c.table for c in sure if c.value is None and c.raw.strip()}
    emptiable = frozenset(k for k in pending if _may_be_empty(by_key[k], blank_tables)
                          or _may_be_mark(by_key[k], marked))
    settled: dict[Key, CanonicalCell] = {}

    def settle(group: list[Key]) -> bool:
        combo = _only_reading(group, eqs, pending, by_key, values, emptiable)
        if combo is None:
            return False
        for k, (value, raw) in zip(group, combo, strict=True):
            settled[k] = replace(by_key[k], value=value, raw=raw, method="ocr+identity",
                                 confidence=max(by_key[k].confidence, 0.9))
            values[k] = settled[k].number
            pending.discard(k)
        return True

    progress = True
    while progress:
        progress = False
        for key in sorted(pending):
            progress = settle([key]) or progress
        if not progress:
            groups = (sorted(pending & set(eq.keys)) for eq in eqs if eq.holds(values) is not None)
            progress = any(settle(g) for g in groups if 1 < len(g) <= MAX_JOINT)
    findings: list[Finding] = []
    for key in sorted(pending):
        cell = by_key[key]
        candidates = _candidates(cell)
        involved = [eq for eq in eqs if key in eq.keys and eq.holds(values) is not None]
        satisfied = [v for v, _ in candidates if involved and all(eq.holds({**values, key: v or 0}) for eq in involved)]
        readings = ", ".join(raw for _, raw in candidates) or cell.raw
        why = "no identity involves it" if not involved else (
            "it read as empty, and the identities cannot tell an empty cell from 0" if not cell.raw.strip() else
            "none of its readings satisfies the identities" if not satisfied else
            "several readings satisfy them" if len(satisfied) > 1 else "other unsure cells share its identities")
        findings.append(Finding(
            "uncertain_value", "error",
            f"OCR is unsure of this cell (confidence {cell.confidence:.2f}; readings {readings}) and {why}",
            table=cell.table, row=cell.row, col=cell.col, found=cell.raw, cells=(key,)))
    return [settled.get(c.key, c) for c in cells], findings
