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


def under_nearest(values: list[RowCell], centres: list[float], targets: list[Target | None], reach: float,
                  slack: list[float] | None = None) -> list[Target | None] | None:
    """Each value's target: that of the nearest column centre, if within `reach` of the columns' spacing;
    None when a value is off every column or two values land in one."""
    return unique(nearest(values, centres, targets, reach, slack))


def off_centre(x: float, centre: float, slack: float = 0.0) -> float:
    """How far x stands from a column: from its centre, less `slack` either way (a column wider than the
    others, under a word as wide, holds its value anywhere under the word)."""
    return max(0.0, abs(centre - x) - slack)


def nearest(values: list[RowCell], centres: list[float], targets: list[Target | None], reach: float,
            slack: list[float] | None = None) -> Placed | None:
    spacing = min((b - a for a, b in zip(centres, centres[1:], strict=False)), default=20.0)
    wide = slack or [0.0] * len(centres)
    out: list[Target | None] = []
    off: list[float] = []
    for cell in values:
        x = cell.x_center
        if x is None:
            return None
        i = min(range(len(centres)), key=lambda k: off_centre(x, centres[k], wide[k]))
        if off_centre(x, centres[i], wide[i]) > spacing * reach:
            return None
        out.append(targets[i])
        off.append(off_centre(x, centres[i], wide[i]))
    return out, off
