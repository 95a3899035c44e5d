"""Ruled grids from drawn rules: segments merged into lines, crossing lines grouped into tables, and a
table's elementary cells merged where no rule separates them (shared by born-digital PDFs and scans)."""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from extractor.model import Segment

SNAP = 2.0  # points: coordinates closer than this are the same rule


@dataclass
class Line:
    pos: float  # y of a horizontal rule, x of a vertical one
    start: float
    end: float


def cluster(values: list[float], tol: float = SNAP) -> list[float]:
    """Positions closer than `tol` (chained) as one, at their mean: the rules or cell edges of a grid."""
    out: list[list[float]] = []
    for v in sorted(values):
        if out and v - out[-1][-1] <= tol:
            out[-1].append(v)
        else:
            out.append([v])
    return [sum(group) / len(group) for group in out]


def nearest(positions: list[float], value: float) -> int:
    """Index of the sorted `positions` entry closest to `value`."""
    i = bisect_right(positions, value)
    if i == len(positions) or (i > 0 and value - positions[i - 1] <= positions[i] - value):
        return max(i - 1, 0)
    return i


def segments_to_lines(segments: tuple[Segment, ...], snap: float = SNAP) -> tuple[list[Line], list[Line]]:
    """Merge collinear, touching segments into horizontal and vertical lines (`snap`: same-rule tolerance)."""
    result: list[list[Line]] = []
    for horizontal in (True, False):
        spans = sorted(((s.y0 + s.y1) / 2, s.x0, s.x1) if horizontal else ((s.x0 + s.x1) / 2, s.y0, s.y1)
                       for s in segments if s.horizontal == horizontal)
        groups: list[list[tuple[float, float, float]]] = []
        for span in spans:  # one pass over positions in order: a group is a chain of close positions
            if groups and span[0] - groups[-1][-1][0] <= snap:
                groups[-1].append(span)
            else:
                groups.append([span])
        lines: list[Line] = []
        for group in groups:
            pos = sum(p for p, _, _ in group) / len(group)
            start = len(lines)
            for a, b in sorted((a, b) for _, a, b in group):
                if len(lines) > start and a <= lines[-1].end + snap:
                    lines[-1].end = max(lines[-1].end, b)
                else:
                    lines.append(Line(pos, a, b))
        result.append(lines)
    return result[0], result[1]


def lines_to_components(h: list[Line], v: list[Line], snap: float = SNAP) -> list[tuple[list[Line], list[Line]]]:
    """Groups of crossing lines; a group with two rules each way is a ruled table."""
    parent = list(range(len(h) + len(v)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for i, hl in enumerate(h):
        for j, vl in enumerate(v):
            if hl.start - snap <= vl.pos <= hl.end + snap and vl.start - snap <= hl.pos <= vl.end + snap:
                parent[find(i)] = find(len(h) + j)
    groups: dict[int, tuple[list[Line], list[Line]]] = {}
    for i, hl in enumerate(h):
        groups.setdefault(find(i), ([], []))[0].append(hl)
    for j, vl in enumerate(v):
        groups.setdefault(find(len(h) + j), ([], []))[1].append(vl)
    return [g for g in groups.values() if len(cluster([x.pos for x in g[0]], snap)) >= 2
            and len(cluster([x.pos for x in g[1]], snap)) >= 2]


def _index(lines: list[Line], positions: list[float], snap: float) -> dict[float, list[Line]]:
    """Lines by the clustered position they lie on."""
    return {pos: [line for line in lines if abs(line.pos - pos) <= snap] for pos in positions}


def _covered(at: dict[float, list[Line]], pos: float, a: float, b: float, snap: float) -> bool:
    """Is the cell edge from a to b drawn? Its midpoint drawn, or half its length: dashed or broken rules
    leave gaps (one at the midpoint once merged two cells), scanned rules drift across positions."""
    lines = at.get(pos, ())
    mid = (a + b) / 2
    if any(line.start - snap <= mid <= line.end + snap for line in lines):
        return True
    return _drawn_length(lines, a, b, snap) >= 0.5 * (b - a)


def _drawn_length(lines: list[Line] | tuple[Line, ...], a: float, b: float, pad: float) -> float:
    """How much of the stretch a..b the lines (of one position, each taken `pad` longer at both ends) cover."""
    return sum(max(0.0, min(line.end + pad, b) - max(line.start - pad, a)) for line in lines)


def _with_extents(rules: list[float], ends: list[float], snap: float) -> list[float]:
    """Rule positions, plus the far ends of the crossing rules where a table lacks its outer border.

    An end only a little past the outermost rule is a stroke overshooting the border (or skew residue in a
    scan), not a column: counting it made a sliver column and misaligned every row of a scanned table."""
    positions = cluster(rules, snap)
    for end in _far_ends(ends, snap):
        if all(abs(end - p) > 4 * snap for p in positions):
            positions = cluster([*positions, end], snap)
    return positions


def _far_ends(ends: list[float], snap: float) -> tuple[float, float]:
    """The nearest and farthest ends that at least REACHED crossing rules reach: a table's outer border alone
    drawn on past its cells (Chromium draws a table's box on to where it ends on a later page) is no row's
    edge, and the row broken by the page became one cell (browser draw 62043, a row of 表三 lost)."""
    # (a box with a stray stroke in it has three rules down it: its sides' ends are the grid's, and the
    # stroke's are not: scan draw 19035, the box cut to the stroke's height)
    need = REACHED if len(ends) >= 2 * MIN_RULES_TO_OUTVOTE else 1
    ordered = sorted(ends)
    low = ordered[need - 1]  # the need-th smallest: `need` ends reach it or lower
    high = ordered[-need]
    return (low if low - ordered[0] > 4 * snap else ordered[0],
            high if ordered[-1] - high > 4 * snap else ordered[-1])


REACHED = 3  # crossing rules that must reach a far end for it to bound the grid ...
MIN_RULES_TO_OUTVOTE = 6  # ... when there are this many crossing rules (else the farthest end bounds it)


@dataclass
class Grid:
    xs: list[float]
    ys: list[float]
    owner: dict[tuple[int, int], tuple[int, int, int, int]]  # elementary cell -> (row, col, rowspan, colspan)


def component_to_grid(h: list[Line], v: list[Line], snap: float = SNAP) -> Grid:
    """Elementary cells between rules; neighbours with no rule between them are one merged cell."""
    xs = _with_extents([line.pos for line in v], [line.start for line in h] + [line.end for line in h], snap)
    ys = _with_extents([line.pos for line in h], [line.start for line in v] + [line.end for line in v], snap)
    n_rows, n_cols = len(ys) - 1, len(xs) - 1
    v_at, h_at = _index(v, xs, snap), _index(h, ys, snap)
    parent = {(r, c): (r, c) for r in range(n_rows) for c in range(n_cols)}

    def find(k: tuple[int, int]) -> tuple[int, int]:
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for r in range(n_rows):
        for c in range(n_cols):
            if c + 1 < n_cols and not _covered(v_at, xs[c + 1], ys[r], ys[r + 1], snap):
                parent[find((r, c + 1))] = find((r, c))
            if r + 1 < n_rows and not _covered(h_at, ys[r + 1], xs[c], xs[c + 1], snap):
                parent[find((r + 1, c))] = find((r, c))
    members: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for key in parent:
        members.setdefault(find(key), []).append(key)
    owner: dict[tuple[int, int], tuple[int, int, int, int]] = {}
    for keys in members.values():
        r0, r1 = min(k[0] for k in keys), max(k[0] for k in keys)
        c0, c1 = min(k[1] for k in keys), max(k[1] for k in keys)
        if len(keys) == (r1 - r0 + 1) * (c1 - c0 + 1):
            for k in keys:
                owner[k] = (r0, c0, r1 - r0 + 1, c1 - c0 + 1)
            continue
        # No printed cell is L-shaped: cells merged round a corner by a rule lost there (scan draw 34002: the
        # rule under 二、上年结转 cut by a seal, that label one cell with 三、本年度办理结果 below and every label
        # beside it) are the rectangles the rule between them leaves, cut where more of a rule is drawn.
        cuts = [_rectangles(keys, by_rows) for by_rows in (True, False)]
        drawn = [sum(_drawn(h_at if by_rows else v_at, edge, xs if by_rows else ys, ys if by_rows else xs)
                     for edge in _cut_edges(rects, keys, by_rows)) for rects, by_rows in zip(cuts, (True, False),
                                                                                             strict=True)]
        for r, c, rs, cs in cuts[0] if drawn[0] >= drawn[1] else cuts[1]:
            for k in ((r + i, c + j) for i in range(rs) for j in range(cs)):
                owner[k] = (r, c, rs, cs)
    return Grid(xs, ys, owner)


def _rectangles(keys: list[tuple[int, int]], by_rows: bool) -> list[tuple[int, int, int, int]]:
    """Elementary cells as rectangles (row, col, rowspan, colspan): runs along each row (or column), runs
    of neighbouring rows (columns) alike joined."""
    cells = set(keys) if by_rows else {(c, r) for r, c in keys}
    runs_of: dict[int, list[tuple[int, int]]] = {}
    for line in sorted({a for a, _ in cells}):
        along = sorted(b for a, b in cells if a == line)
        runs: list[list[int]] = []
        for b in along:
            if runs and b == runs[-1][1] + 1:
                runs[-1][1] = b
            else:
                runs.append([b, b])
        runs_of[line] = [(a, b) for a, b in runs]
    out: list[tuple[int, int, int, int]] = []
    open_runs: dict[tuple[int, int], int] = {}  # run -> first line it stands on
    lines = sorted(runs_of)
    for i, line in enumerate(lines):
        for run in runs_of[line]:
            open_runs.setdefault(run, line)
        following = runs_of.get(line + 1, []) if i + 1 < len(lines) and lines[i + 1] == line + 1 else []
        for run in [run for run in open_runs if run not in following]:
            first = open_runs.pop(run)
            out.append((first, run[0], line - first + 1, run[1] - run[0] + 1))
    return out if by_rows else [(c, r, cs, rs) for r, c, rs, cs in out]


def _cut_edges(rects: list[tuple[int, int, int, int]], keys: list[tuple[int, int]], by_rows: bool
               ) -> list[tuple[int, int, int]]:
    """The edges between elementary cells of `keys` that `rects` put in different rectangles, as (position
    index, from, to) along the rules of the other direction: horizontal edges (rule y index, column) when the
    cut is between rows."""
    rect_of = {(r + i, c + j): n for n, (r, c, rs, cs) in enumerate(rects) for i in range(rs) for j in range(cs)}
    members = set(keys)
    edges = []
    for r, c in keys:
        if by_rows and (r + 1, c) in members and rect_of[(r + 1, c)] != rect_of[(r, c)]:
            edges.append((r + 1, c, c + 1))
        if not by_rows and (r, c + 1) in members and rect_of[(r, c + 1)] != rect_of[(r, c)]:
            edges.append((c + 1, r, r + 1))
    return edges


def _drawn(at: dict[float, list[Line]], edge: tuple[int, int, int], along: list[float], across: list[float]
           ) -> float:
    """Length of rule drawn on one elementary edge (rule index, from, to along it)."""
    return _drawn_length(at.get(across[edge[0]], ()), along[edge[1]], along[edge[2]], 0.0)
