"""OCR cells the recogniser was unsure of: the identities may choose among its own readings, or they flag.

A reading is chosen only when exactly one of the recogniser's candidates (its best reading and the
alternatives it produced) satisfies every identity involving the cell, with every other cell as read.
Otherwise the cell keeps its best reading, its low confidence, and an error finding: never passed off
as certain. Cells outside every identity (表二) cannot be decided and are always reported.
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

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


def settle_uncertain(cells: list[CanonicalCell], eqs: list[Equation]) -> tuple[list[CanonicalCell], list[Finding]]:
    if not any(c.method.startswith("ocr") for c in cells):
        return cells, []
    values = {c.key: c.number for c in cells}
    findings: list[Finding] = []
    out: list[CanonicalCell] = []
    for cell in cells:
        if not cell.method.startswith("ocr") or (cell.confidence >= UNSURE_CELL and not cell.alternatives):
            out.append(cell)
            continue
        candidates = _candidates(cell)
        relevant = [eq for eq in eqs if cell.key in eq.keys and eq.holds(values) is not None]
        chosen = [(v, raw) for v, raw in candidates
                  if relevant and all(eq.holds({**values, cell.key: v or 0}) for eq in relevant)]
        if len(chosen) == 1:
            value, raw = chosen[0]
            settled = replace(cell, value=value, raw=raw, method="ocr+identity", confidence=max(cell.confidence, 0.9))
            values[cell.key] = settled.number
            out.append(settled)
            continue
        out.append(cell)
        readings = ", ".join(raw for _, raw in candidates) or cell.raw
        why = "no identity involves it" if not relevant else (
            "none of its readings satisfies the identities" if not chosen else "several readings satisfy them")
        findings.append(Finding(
            "uncertain_value", "error",
            f"OCR is unsure of this cell (confidence {cell.confidence:.2f}; readings {readings}) and {why}",
            table=cell.table, row=cell.row, col=cell.col, found=cell.raw, cells=(cell.key,)))
    return out, findings
