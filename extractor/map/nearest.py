"""Values under column centres: the nearest within reach, one value a column."""

from __future__ import annotations

from extractor.map.header import Target
from extractor.model import RowCell

Placed = tuple[list[Target | None], list[float]]  # each value's target and its distance from the column's centre


def unique(placed: Placed | None) -> list[Target | None] | None:
    """The targets, when no two values land in one column."""
    if placed is None:
        return None
    found = [k for k in placed[0] if k is not None]
    return placed[0] if len(set(found)) == len(found) else None


def under_nearest(values: list[RowCell], centres: list[float], targets: list[Target | None], reach: float
                  ) -> list[Target | None] | None:
    """Each value's target: that of the nearest column centre, if within `reach` of the columns' spacing;
    None when a value is off every column or two values land in one."""
    return unique(nearest(values, centres, targets, reach))


def nearest(values: list[RowCell], centres: list[float], targets: list[Target | None], reach: float
             ) -> Placed | None:
    spacing = min((b - a for a, b in zip(centres, centres[1:], strict=False)), default=20.0)
    out: list[Target | None] = []
    off: list[float] = []
    for cell in values:
        x = cell.x_center
        if x is None:
            return None
        i = min(range(len(centres)), key=lambda k: abs(centres[k] - x))
        if abs(centres[i] - x) > spacing * reach:
            return None
        out.append(targets[i])
        off.append(abs(centres[i] - x))
    return out, off
