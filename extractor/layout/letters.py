"""Header letters: tokens that are letters of several columns' stacked words, and words over several columns."""

from __future__ import annotations

import re

from extractor.lexicon import any_column_words, match_block, split_column_words
from extractor.normalize import CJK_RANGE, norm

Word = tuple[str, float, float]  # (text, left x, right x)

_LETTERS = re.compile(f"[{CJK_RANGE}]+")


def letter_grids(cells: list[list[tuple[tuple[Word, ...], Word]]], positioned: list[bool]
                  ) -> list[list[tuple[tuple[Word, ...], Word]]]:
    """Tokens that are letters of neighbouring columns' stacked words run together, one letter a column
    (表四's fourteen narrow columns as wide as a letter, no padding: '结其尚' / '果他未总结结其尚', browser
    draw 62142, 表四 lost): each letter apart, when the token is no header word nor made of pieces of them
    and each of its letters has a letter of its own stack right above or below it."""
    boxes = [[[_letter_boxes(part) for part in parts] for parts, _ in row] for row in cells]  # per part
    letters = [[box for row_cell in row for part in row_cell for box in part] for row in boxes]
    out: list[list[tuple[tuple[Word, ...], Word]]] = []
    for i, row in enumerate(cells):
        near = [b for line in letters[max(i - 2, 0):i] + letters[i + 1:i + 3] for b in line]
        done: list[tuple[tuple[Word, ...], Word]] = []
        for (parts, whole), part_boxes in zip(row, boxes[i], strict=True):
            split: list[Word] = []
            for part, own in zip(parts, part_boxes, strict=True):
                stacked = positioned[i] and len(part[0]) > 1 and bool(own) and all(
                    any(_stacks_on(box, b) for b in near) for box in own)
                split.extend(own if stacked else [part])
            done.append((tuple(split), whole))
        out.append(done)
    return out


def _letter_boxes(part: Word) -> list[Word]:
    """A token's letters at equal shares of its width, when it is Chinese letters that read as no header word
    (or pieces of them); a single letter as it is; else none."""
    text, x0, x1 = part
    if len(text) == 1:
        return [part]
    word = norm(text)
    if len(word) != len(text) or not _LETTERS.fullmatch(word) or is_group(word) or \
            word in any_column_words() or split_column_words(word) is not None or match_block([word]):
        return []
    step = (x1 - x0) / len(text)
    return [(c, x0 + k * step, x0 + (k + 1) * step) for k, c in enumerate(text)]


def _stacks_on(box: Word, other: Word) -> bool:
    """Two letters of one stack: one letter wide each, one over the other."""
    width = box[2] - box[1]
    return min(box[2], other[2]) - max(box[1], other[1]) > 0.5 * width and other[2] - other[1] < 1.5 * width


def is_group(text: str) -> bool:
    """Words over several columns (行政复议, 法人或其他组织): the line below holds other words, not their ends."""
    return any(k in norm(text) for k in GROUP_WORDS)


GROUP_WORDS = ("行政复议", "行政诉讼", "直接起诉", "复议后起诉", "法人或其他组织", "申请人情况", "第二十条")
