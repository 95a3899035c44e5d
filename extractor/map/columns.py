"""Which canonical column each value cell of a row belongs to.

Evidence in order of strength: the grid's own header (a spanned header path per grid column), the
count of value slots against the template's column order, the x position under aligned header words.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from extractor.cells import LogicalRow, RowCell
from extractor.map.labels import match_block, match_col, match_row

Target = tuple[str, str]  # (row, col)


@dataclass
class HeaderMap:
    """Per grid column: canonical column (and 表四 block) from the header rows above the data."""

    by_col: dict[int, Target | str] = field(default_factory=dict)
    anchors: list[tuple[float, str]] = field(default_factory=list)  # (x centre, col) for aligned text

    def lookup(self, cell: RowCell) -> Target | str | None:
        votes: dict[Target | str, int] = {}
        for c in range(cell.col0, cell.col1):
            key = self.by_col.get(c)
            if key is not None:
                votes[key] = votes.get(key, 0) + 1
        return max(votes, key=lambda k: votes[k]) if votes else None


def is_header_row(table: str, texts: list[str], template: str) -> bool:
    col_hits = sum(1 for t in texts if match_col(table, [t], template))
    if table == "t4":
        return col_hits > 0 or any(match_block([t]) for t in texts)
    row_hits = sum(1 for t in texts if match_row(table, [t], None))
    return col_hits > row_hits


def build_header(table: str, rows: list[LogicalRow], template: str) -> HeaderMap:
    header = HeaderMap()
    n_cols = max((c.col1 for row in rows for c in row.cells), default=0)
    for col in range(n_cols):
        path: list[str] = []
        for row in rows:
            for cell in row.cells:
                if cell.col0 <= col < cell.col1 and cell.text.strip() and (not path or path[-1] != cell.text):
                    path.append(cell.text)
        code = match_col(table, path, template)
        if code is None:
            continue
        if table == "t4":
            block = match_block(path)
            if block is not None:
                header.by_col[col] = (block, code)
        else:
            header.by_col[col] = code
    for row in rows:
        for cell in row.cells:
            code = match_col(table, [cell.text], template)
            if code is not None and cell.x_center is not None:
                header.anchors.append((cell.x_center, code))
    return header


def by_header(values: list[RowCell], header: HeaderMap, expected: list[Target]) -> list[Target | None] | None:
    """Each value cell's target from the header above it (None for an empty slot under no header)."""
    keys: list[Target | None] = []
    rows = {r for r, _ in expected}
    for cell in values:
        key = header.lookup(cell)
        if key is None:
            if cell.text.strip():
                return None
            keys.append(None)  # an empty slot under no header (a sliver column): nothing is lost
            continue
        target: Target = key if isinstance(key, tuple) else (next(iter(rows)) if len(rows) == 1 else "", key)
        if target not in expected:
            return None
        keys.append(target)
    found = [k for k in keys if k is not None]
    return keys if found and len(set(found)) == len(found) else None


def by_position(values: list[RowCell], header: HeaderMap, expected: list[Target]) -> list[Target] | None:
    """Aligned text: each value goes under the nearest header word; blanks have simply vanished."""
    if not header.anchors or len(expected) == 0:
        return None
    row = expected[0][0]
    wanted = {col for _, col in expected}
    anchors = [(x, col) for x, col in header.anchors if col in wanted]
    if len({col for _, col in anchors}) < len(wanted):
        return None
    spacing = min((abs(a[0] - b[0]) for a in anchors for b in anchors if a[1] != b[1]), default=8.0)
    keys: list[Target] = []
    for cell in values:
        x = cell.x_center
        if x is None:
            return None
        best = min(anchors, key=lambda a: abs(a[0] - x))
        if abs(best[0] - x) > max(spacing * 0.75, 2.0):
            return None
        keys.append((row, best[1]))
    return keys if len(set(keys)) == len(keys) else None
