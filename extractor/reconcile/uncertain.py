"""OCR cells the recogniser was unsure of: the identities may choose among its own readings, or they flag.

A reading is chosen only when exactly one of the recogniser's candidates (its best reading and the
alternatives it produced) satisfies every identity involving the cell, with every other cell as read.
Otherwise the cell keeps its best reading, its low confidence, and an error finding: never passed off
as certain. Cells outside every identity (表二) cannot be decided and are always reported.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from itertools import product
from typing import Any

from extractor.identities import Equation
from extractor.model import CanonicalCell, Finding
from extractor.numbers import parse_value

UNSURE_CELL = 0.9


def _candidates(cell: CanonicalCell) -> list[tuple[int | Decimal | None, str]]:
    out: list[tuple[int | Decimal | None, str]] = []
    for raw in (cell.raw, *cell.alternatives):
        parsed = parse_value(raw)
        if parsed is not None and not isinstance(parsed.value, str):
            value = parsed.value
            if all(value != v for v, _ in out):
                out.append((value, raw))
    return out


def _unsure(cell: CanonicalCell) -> bool:
    return cell.method.startswith("ocr") and (cell.confidence < UNSURE_CELL or bool(cell.alternatives))


MAX_JOINT = 8  # unsure cells of one identity decided together (2^8 combinations of two readings each)


def _settle_jointly(eqs: list[Equation], pending: set[tuple[str, str, str]],
                    by_key: dict[tuple[str, str, str], CanonicalCell], values: dict[tuple[str, str, str], Any],
                    settled: dict[tuple[str, str, str], CanonicalCell]) -> bool:
    """The unsure cells of one identity, when exactly one combination of their readings makes it hold and
    every other identity they complete: '1 1 / 1' under a sure 总计 of 0 can only be four blanks."""
    for eq in eqs:
        group = sorted(pending & set(eq.keys))
        if not 1 < len(group) <= MAX_JOINT or eq.holds(values) is None:
            continue
        touching = [e for e in eqs if set(group) & set(e.keys) and not (pending - set(group)) & set(e.keys)
                    and e.holds(values) is not None]
        options = [_candidates(by_key[k]) for k in group]
        found = []
        for combo in product(*options):
            trial = {**values, **{k: v or 0 for k, (v, _) in zip(group, combo, strict=True)}}
            if all(e.holds(trial) for e in touching):
                found.append(combo)
                if len(found) > 1:
                    break
        if len(found) != 1:
            continue
        for k, (value, raw) in zip(group, found[0], strict=True):
            settled[k] = replace(by_key[k], value=value, raw=raw, method="ocr+identity",
                                 confidence=max(by_key[k].confidence, 0.9))
            values[k] = settled[k].number
            pending.discard(k)
        return True
    return False


def settle_uncertain(cells: list[CanonicalCell], eqs: list[Equation]) -> tuple[list[CanonicalCell], list[Finding]]:
    """Unsure cells settled one at a time by the identities whose other cells are all sure (read sure, or
    settled before): a settled cell can then settle its neighbours. Several unsure cells in one row (a poor
    scan reads every '/' as '1' or '/') are decided in turn instead of all failing together."""
    if not any(c.method.startswith("ocr") for c in cells):
        return cells, []
    values = {c.key: c.number for c in cells}
    by_key = {c.key: c for c in cells}
    pending = {c.key for c in cells if _unsure(c)}
    settled: dict[tuple[str, str, str], CanonicalCell] = {}
    progress = True
    while progress:
        progress = False
        for key in sorted(pending):
            cell = by_key[key]
            relevant = [eq for eq in eqs if key in eq.keys and not (pending - {key}) & set(eq.keys)
                        and eq.holds(values) is not None]
            if not relevant:
                continue
            chosen = [(v, raw) for v, raw in _candidates(cell)
                      if all(eq.holds({**values, key: v or 0}) for eq in relevant)]
            if len(chosen) != 1:
                continue
            value, raw = chosen[0]
            settled[key] = replace(cell, value=value, raw=raw, method="ocr+identity",
                                   confidence=max(cell.confidence, 0.9))
            values[key] = settled[key].number
            pending.discard(key)
            progress = True
        if not progress:
            progress = _settle_jointly(eqs, pending, by_key, values, settled)
    findings: list[Finding] = []
    for key in sorted(pending):
        cell = by_key[key]
        candidates = _candidates(cell)
        involved = [eq for eq in eqs if key in eq.keys and eq.holds(values) is not None]
        satisfied = [v for v, _ in candidates if involved and all(eq.holds({**values, key: v or 0}) for eq in involved)]
        readings = ", ".join(raw for _, raw in candidates) or cell.raw
        why = "no identity involves it" if not involved else (
            "none of its readings satisfies the identities" if not satisfied else
            "several readings satisfy them" if len(satisfied) > 1 else "other unsure cells share its identities")
        findings.append(Finding(
            "uncertain_value", "error",
            f"OCR is unsure of this cell (confidence {cell.confidence:.2f}; readings {readings}) and {why}",
            table=cell.table, row=cell.row, col=cell.col, found=cell.raw, cells=(key,)))
    return [settled.get(c.key, c) for c in cells], findings
