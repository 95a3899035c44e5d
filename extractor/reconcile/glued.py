"""Digit runs that hold several values without separators ('5000005' for seven cells, '500000 5').

A run is split only where exactly one split of every run together satisfies every identity that can be
evaluated; otherwise its cells stay empty and the run is reported as ambiguous. Numbers are never guessed.

The search is depth-first over cut positions, checking each identity as soon as all its cells are known
(a 表三 row's 总计 prunes most splits), so a run's cost grows with its valid splits, not with all
C(n-1, k-1) cuts; `GluedSettings` bounds the work of a hostile run. Runs that stay open are narrowed
against each other (column identities), then searched jointly when few combinations are left.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from extractor.identities import Equation, Key
from extractor.model import GluedRun

Number = int | Decimal
Split = tuple[int, ...]


@dataclass(frozen=True)
class GluedSettings:
    max_part_digits: int = 9  # no count in these tables has ten digits or more
    max_nodes: int = 200_000  # search steps per run before it is called too ambiguous
    max_candidates: int = 5_000  # splits kept per run
    max_joint: int = 100_000  # combinations tried when the runs are solved together


def _equations_by_key(eqs: list[Equation]) -> dict[Key, list[Equation]]:
    out: dict[Key, list[Equation]] = {}
    for eq in eqs:
        for key in eq.keys:
            out.setdefault(key, []).append(eq)
    return out


def _holds(eq: Equation, values: dict[Key, Number]) -> bool | None:
    if not all(k in values for k in eq.keys):
        return None
    return sum(values[k] for k in eq.lhs) == sum(values[k] for k in eq.rhs)


def _parts(rest: str, settings: GluedSettings) -> Iterator[tuple[str, str]]:
    """(first number, remaining digits) for every way to read a number off the front of `rest`."""
    if rest.startswith("0"):
        yield "0", rest[1:]
        return
    for end in range(1, min(len(rest), settings.max_part_digits) + 1):
        yield rest[:end], rest[end:]


def splits(run: GluedRun, known: dict[Key, Number], by_key: dict[Key, list[Equation]],
           settings: GluedSettings = GluedSettings()) -> list[Split] | None:
    """Every split of the run's pieces over its targets, each piece at least one number, no leading zeros,
    consistent with every identity decidable from `known` and the run itself. None: too many to tell."""
    keys = run.keys()
    pieces = run.pieces
    n_cells = len(keys)
    if not pieces or n_cells < len(pieces) or sum(len(p) for p in pieces) < n_cells:
        return []
    values = dict(known)
    out: list[Split] = []
    chosen: list[int] = []
    nodes = 0

    def walk(piece_i: int, rest: str, cell_i: int) -> None:
        nonlocal nodes
        nodes += 1
        if nodes > settings.max_nodes or len(out) > settings.max_candidates:
            return
        if not rest:
            if piece_i + 1 == len(pieces):
                if cell_i == n_cells:
                    out.append(tuple(chosen))
                return
            piece_i, rest = piece_i + 1, pieces[piece_i + 1]
        later_pieces = len(pieces) - piece_i - 1
        room = n_cells - cell_i - later_pieces  # cells this piece may still fill
        if room < 1 or len(rest) + sum(len(p) for p in pieces[piece_i + 1:]) < n_cells - cell_i:
            return
        key = keys[cell_i]
        for first, tail in _parts(rest, settings):
            if tail and room < 2:
                continue
            values[key] = int(first)
            if all(_holds(eq, values) is not False for eq in by_key.get(key, ())):
                chosen.append(int(first))
                walk(piece_i, tail, cell_i + 1)
                chosen.pop()
            del values[key]

    walk(0, pieces[0], 0)
    if nodes > settings.max_nodes or len(out) > settings.max_candidates:
        return None
    return out


def resolve(runs: list[GluedRun], known: dict[Key, Number], eqs: list[Equation],
            settings: GluedSettings = GluedSettings()) -> list[list[Split] | None]:
    """Candidate splits per run after narrowing them against each other; a run is settled when one is left."""
    by_key = _equations_by_key(eqs)
    values = dict(known)
    cands: list[list[Split] | None] = [splits(run, values, by_key, settings) for run in runs]
    for run, c in zip(runs, cands, strict=True):
        if c is not None and len(c) == 1:
            values.update(zip(run.keys(), c[0], strict=True))
    changed = True
    while changed:
        changed = False
        for i, run in enumerate(runs):
            c = cands[i]
            if c is None or len(c) <= 1:
                continue
            keys = run.keys()
            relevant = {id(eq): eq for k in keys for eq in by_key.get(k, ())}.values()
            kept = []
            for cand in c:
                values.update(zip(keys, cand, strict=True))
                if all(_holds(eq, values) is not False for eq in relevant):
                    kept.append(cand)
                for k in keys:
                    values.pop(k, None)
            if len(kept) < len(c):
                cands[i] = kept
                changed = True
            if len(kept) == 1:
                values.update(zip(keys, kept[0], strict=True))
    _joint(runs, cands, values, eqs, settings)
    return cands


def _joint(runs: list[GluedRun], cands: list[list[Split] | None], values: dict[Key, Number],
           eqs: list[Equation], settings: GluedSettings) -> None:
    """Runs still open after narrowing: try their combinations together; keep for each run the splits that
    appear in some combination satisfying every identity (unique when only one combination does)."""
    open_runs = [i for i, c in enumerate(cands) if c is not None and len(c) > 1]
    if not open_runs:
        return
    total = 1
    for i in open_runs:
        total *= len(cands[i] or [])
        if total > settings.max_joint:
            return
    relevant = [eq for eq in eqs if any(k in eq.keys for i in open_runs for k in runs[i].keys())]
    survivors: list[set[Split]] = [set() for _ in open_runs]

    def walk(depth: int) -> None:
        if depth == len(open_runs):
            if all(_holds(eq, values) is not False for eq in relevant):
                for j, i in enumerate(open_runs):
                    survivors[j].add(tuple(values[k] for k in runs[i].keys()))  # type: ignore[misc]
            return
        i = open_runs[depth]
        keys = runs[i].keys()
        for cand in cands[i] or []:
            values.update(zip(keys, cand, strict=True))
            walk(depth + 1)
        for k in keys:
            values.pop(k, None)

    walk(0)
    for j, i in enumerate(open_runs):
        cands[i] = [c for c in cands[i] or [] if c in survivors[j]]
