"""Reconcile: readings the mapper could not settle alone, settled by the tables' own arithmetic or flagged.

- Glued digit runs ('640020470' for seven cells): split where exactly one split satisfies the identities.
- Readings no identity decides (表二): the counts the prose states for those very cells may decide.
- Uncertain OCR readings: the identities may choose among the recogniser's own readings.
"""

from __future__ import annotations

from extractor.detect.prose import Claim
from extractor.identities import equations
from extractor.map import Mapping
from extractor.map.cells import CellWriter
from extractor.model import BBox, Finding, GluedRun
from extractor.reconcile.glued import Split, resolve
from extractor.reconcile.hidden import blanks_under_seals
from extractor.reconcile.uncertain import settle_uncertain


def _by_prose(run: GluedRun, cands: list[Split], claims: list[tuple[Claim, int, str]],
              findings: list[Finding]) -> list[Split]:
    """Readings of a run that no identity decides (表二), narrowed by the counts the prose states for exactly
    those cells ('现行有效行政规范性文件698件'). Kept only when every statement about the run's cells holds."""
    keys = run.keys()
    stated = [(keys.index((c.table, c.row, c.col)), n, clause) for c, n, clause in claims
              if c.single and (c.table, c.row, c.col) in keys]
    if not stated:
        return cands
    kept = [cand for cand in cands if all(cand[i] == n for i, n, _ in stated)]
    if not kept:
        for i, n, clause in stated:
            if all(cand[i] != n for cand in cands):
                findings.append(Finding(
                    f"prose_{keys[i][2]}", "warning", f"prose says '{clause}件' but no reading of the digit run "
                    f"{run.digits!r} gives {n}", table=run.table, row=keys[i][1], col=keys[i][2],
                    expected=str(n), found=run.digits))
        return cands
    return kept


def resolve_glued(mapping: Mapping, claims: list[tuple[Claim, int, str]]) -> None:
    if not mapping.glued:
        return
    known = {c.key: c.number for c in mapping.cells}
    present = {c.row for c in mapping.cells if c.table == "t3"} | {
        r for run in mapping.glued if run.table == "t3" for r, _ in run.targets}
    candidates = resolve(mapping.glued, known, equations(mapping.template, present))
    writers: dict[str, CellWriter] = {}
    for run, found in zip(mapping.glued, candidates, strict=True):
        cands = found or []
        by_prose = len(cands) > 1
        if by_prose:
            cands = _by_prose(run, cands, claims, mapping.findings)
            by_prose = len(cands) == 1
        if run.table not in writers:
            writers[run.table] = CellWriter(run.table, mapping.template, mapping.cells, mapping.findings)
        if len(cands) == 1:
            method = "split" if len(run.digits.replace(" ", "")) == len(run.targets) else \
                "split+prose" if by_prose else "split+identity"
            for (row, col), value in zip(run.targets, cands[0], strict=True):
                writers[run.table].emit((row, col), str(value), run.cell, f"{run.method}:{method}", 0.9, run.label)
            if method == "split+prose":
                mapping.findings.append(Finding(
                    "split_by_prose", "warning", f"digit run {run.digits!r} split as "
                    f"{' | '.join(map(str, cands[0]))}: the only split that agrees with the counts the prose "
                    "states for these cells", table=run.table, row=run.targets[0][0], found=run.digits))
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


def reconcile(mapping: Mapping, claims: list[tuple[Claim, int, str]] | None = None,
              hidden: dict[int, tuple[BBox, ...]] | None = None) -> None:
    """`hidden`: per page of a scan, the boxes where a seal's ink was taken out."""
    resolve_glued(mapping, claims or [])
    if hidden:
        blanks_under_seals(mapping.cells, hidden)
    present = {c.row for c in mapping.cells if c.table == "t3"}
    cells, findings = settle_uncertain(mapping.cells, equations(mapping.template, present))
    mapping.cells = cells
    mapping.findings.extend(findings)
