"""Reconcile: readings the mapper could not settle alone, settled by the tables' own arithmetic or flagged.

- Glued digit runs ('640020470' for seven cells): split where exactly one split satisfies the identities.
- Uncertain OCR readings: the identities may choose among the recogniser's own readings.
"""

from __future__ import annotations

from extractor.identities import equations
from extractor.map import Mapping
from extractor.map.cells import CellWriter
from extractor.model import Finding
from extractor.reconcile.glued import resolve
from extractor.reconcile.uncertain import settle_uncertain


def resolve_glued(mapping: Mapping) -> None:
    if not mapping.glued:
        return
    known = {c.key: c.number for c in mapping.cells}
    present = {c.row for c in mapping.cells if c.table == "t3"} | {
        r for run in mapping.glued if run.table == "t3" for r, _ in run.targets}
    candidates = resolve(mapping.glued, known, equations(mapping.template, present))
    writers: dict[str, CellWriter] = {}
    for run, found in zip(mapping.glued, candidates, strict=True):
        cands = found or []
        if run.table not in writers:
            writers[run.table] = CellWriter(run.table, mapping.template, mapping.cells, mapping.findings)
        if len(cands) == 1:
            method = "split" if len(run.digits.replace(" ", "")) == len(run.targets) else "split+identity"
            for (row, col), value in zip(run.targets, cands[0], strict=True):
                writers[run.table].emit((row, col), str(value), run.cell, f"{run.method}:{method}", 0.9, run.label)
            if method == "split+identity":
                mapping.findings.append(Finding(
                    "split_by_identity", "info", f"digit run {run.digits!r} split as "
                    f"{' | '.join(map(str, cands[0]))}: the only split that satisfies the identities",
                    table=run.table, row=run.targets[0][0], found=run.digits))
            continue
        shown = "; ".join(" | ".join(map(str, c)) for c in cands[:5]) + (" ..." if len(cands) > 5 else "")
        mapping.findings.append(Finding(
            "ambiguous", "error",
            f"digit run {run.digits!r} splits into {len(cands) if found is not None else 'too many'} "
            "readings that satisfy the identities" + (f" ({shown})" if cands else "") + "; cells left empty",
            table=run.table, row=run.targets[0][0], found=run.digits,
            cells=tuple((run.table, r, c) for r, c in run.targets)))


def reconcile(mapping: Mapping) -> None:
    resolve_glued(mapping)
    present = {c.row for c in mapping.cells if c.table == "t3"}
    cells, findings = settle_uncertain(mapping.cells, equations(mapping.template, present))
    mapping.cells = cells
    mapping.findings.extend(findings)
