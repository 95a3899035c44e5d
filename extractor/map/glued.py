"""Digit runs that hold several values without separators ('5000005' for seven cells).

A run is split only where exactly one split satisfies every identity that can be evaluated; otherwise its
cells stay empty and the mapper reports the run as ambiguous. Numbers are never guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from itertools import combinations
from math import comb

from extractor.cells import RowCell
from extractor.identities import Equation, Key

MAX_SPLITS = 200_000


@dataclass
class GluedRun:
    table: str
    targets: list[tuple[str, str]]  # (row, col) in column order
    digits: str
    cell: RowCell
    candidates: list[tuple[int, ...]] | None = None

    def keys(self) -> list[Key]:
        return [(self.table, r, c) for r, c in self.targets]


def splits(digits: str, n: int) -> list[tuple[int, ...]] | None:
    """Every way to cut the run into n numbers without leading zeros; None when there are too many."""
    if n <= 0 or len(digits) < n or comb(len(digits) - 1, n - 1) > MAX_SPLITS:
        return None if n > 0 and len(digits) >= n else []
    out: list[tuple[int, ...]] = []
    for cuts in combinations(range(1, len(digits)), n - 1):
        bounds = (0, *cuts, len(digits))
        parts = [digits[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]
        if all(p == "0" or not p.startswith("0") for p in parts):
            out.append(tuple(int(p) for p in parts))
    return out


def resolve(runs: list[GluedRun], known: dict[Key, int | Decimal], eqs: list[Equation]) -> None:
    """Narrow each run's candidates with the identities, propagating runs that become unique."""
    values = dict(known)
    for run in runs:
        run.candidates = splits(run.digits, len(run.targets))
        if run.candidates is not None and len(run.candidates) == 1:
            # One structural split (as many digits as cells) is a reading, not a guess.
            values.update(dict(zip(run.keys(), run.candidates[0], strict=True)))
    changed = True
    while changed:
        changed = False
        for run in runs:
            if run.candidates is None or len(run.candidates) <= 1:
                continue
            keys = run.keys()
            relevant = [eq for eq in eqs if any(k in keys for k in eq.keys)]
            kept = []
            for cand in run.candidates:
                trial = {**values, **dict(zip(keys, cand, strict=True))}
                if all(eq.holds(trial) is not False for eq in relevant):
                    kept.append(cand)
            if len(kept) < len(run.candidates):
                run.candidates = kept
                changed = True
            if len(kept) == 1:
                values.update(dict(zip(keys, kept[0], strict=True)))
