"""The ruled grids of a cleaned page: rules found solid or dashed, merged into lines, lines that stop a dash
short of a crossing carried on to it, crossing lines grouped into tables."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from extractor.sources.rules import Line, lines_to_components, segments_to_lines
from extractor.sources.scan.clean import dashed_masks, rule_segments
from extractor.sources.scan.masks import line_masks


@dataclass(frozen=True)
class GridSettings:
    """How rules are found on a page `width` pixels wide (all lengths as page widths per unit, so they hold
    at every resolution)."""

    dash_gap: int = 160  # the widest gap bridged between a dashed rule's dashes (~3.7 pt on A4)
    dash_min: int = 25  # the shortest dashed rule (two rows of a table; solid rules need less)
    thin_run: int = 2  # rules in the ink not denoised are this many times the shortest solid rule long
    reach: int = 18  # the longest stretch a line is carried on to a crossing (~33 pt: a dash and a gap)
    reach_fill: float = 0.75  # ... where a rule's ink lies along it over this share of the stretch (a
    # character's stroke on the line's track covers 0.6 of a row at most)


GRID = GridSettings()


def page_grids(ink: np.ndarray, snap: float, thin: np.ndarray | None = None, settings: GridSettings = GRID
               ) -> tuple[list[tuple[list[Line], list[Line]]], np.ndarray]:
    """Ruled tables of an ink mask (as crossing lines) and the mask of the rules found, solid or dashed.
    `thin`: the page's ink not denoised, where solid rules one pixel wide are whole (draw 28024: faint rules
    at 150 dpi, 表四's box lost to the median filter, its header merged)."""
    width = ink.shape[1]
    min_len = max(30, width // 45)
    thick = max(6, width // 200)
    h_mask, v_mask = line_masks(ink, min_len)
    if thin is not None:  # twice as long: a character's stroke not denoised may reach min_len (一 at 200 dpi)
        h_thin, v_thin = line_masks(thin, settings.thin_run * min_len)
        h_mask, v_mask = h_mask | h_thin, v_mask | v_thin
    h_dashed, v_dashed = dashed_masks(ink, (h_mask, v_mask), max(min_len, width // settings.dash_min),
                                      max(3, width // settings.dash_gap), thick)
    h_segments, h_mask = rule_segments(h_mask | h_dashed, True, min_len, thick)
    v_segments, v_mask = rule_segments(v_mask | v_dashed, False, min_len, thick)
    h_lines, v_lines = segments_to_lines(tuple(h_segments + v_segments), snap)
    reach_crossings(h_lines, v_lines, ink, snap, width // settings.reach, settings.reach_fill)
    return lines_to_components(h_lines, v_lines, snap), h_mask | v_mask


REACH_ROUNDS = 3  # a corner's two lines both stop short: each reaches the other once the other has


def reach_crossings(h_lines: list[Line], v_lines: list[Line], ink: np.ndarray, snap: float, reach: int,
                    fill: float) -> None:
    """Carry each line's ends on to the nearest crossing line within `reach` when a rule's ink lies along
    the way (`fill` of it).

    A dashed rule's dash that touches a crossing makes one blob with it, thin neither way, and is lost with
    the crossing's other arm: the line stops a dash short, the cell edge it should draw is not drawn, and
    two header cells read as one (draw 28022, dashed rules at 150 dpi: 表三's header merged, the table
    taken for 表二's). The stretch's own ink is the evidence; a line never reaches across blank paper."""
    for _ in range(REACH_ROUNDS):
        moved = _reach(h_lines, v_lines, ink, snap, reach, fill, horizontal=True)
        moved += _reach(v_lines, h_lines, ink, snap, reach, fill, horizontal=False)
        if not moved:
            return


def _reach(lines: list[Line], crossing: list[Line], ink: np.ndarray, snap: float, reach: int, fill: float,
           horizontal: bool) -> int:
    track = ink if horizontal else ink.T  # along a line is along axis 1
    half = max(2, int(snap) // 2)  # the line's position is known within this
    side = 3 * half  # ... and a rule's ink is no wider than this either side of it
    moved = 0
    for line in lines:
        across = [c.pos for c in crossing if c.start - snap <= line.pos <= c.end + snap]
        before = [p for p in across if line.start - reach <= p < line.start - snap]
        after = [p for p in across if line.end + snap < p <= line.end + reach]
        if not before and not after:
            continue
        rule_like = _rule_like(track, int(round(line.pos)), half, side)
        if before and _inked(rule_like, max(before), line.start, fill):
            line.start, moved = max(before), moved + 1
        if after and _inked(rule_like, line.end, min(after), fill):
            line.end, moved = min(after), moved + 1
    return moved


def _rule_like(track: np.ndarray, row: int, half: int, side: int) -> np.ndarray:
    """Per position along a line at `row`: ink on the line, not ink spreading to both sides of it as a
    character's stroke across the line does (two lines of a label across a column's rule covered 0.8 of
    the way: corpus scan_200dpi_rotated_blur_libreoffice lost '二、上' and '公开申')."""
    on = track[max(row - half, 0):row + half + 1].any(axis=0)
    above = track[max(row - side, 0):max(row - half, 0)].any(axis=0)
    below = track[row + half + 1:row + side + 1].any(axis=0)
    return np.asarray(on & ~(above & below))


def _inked(rule_like: np.ndarray, a: float, b: float, fill: float) -> bool:
    """Does a rule's ink lie along the line from a to b over `fill` of the way?"""
    stretch = rule_like[max(int(a), 0):int(b) + 1]
    return stretch.size > 0 and float(stretch.mean()) >= fill
