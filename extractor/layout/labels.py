"""Where a row's labels end and its values begin, and the group a label belongs to."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from difflib import SequenceMatcher

from extractor.lexicon import enum_of, match_row, official_rows, resemble_row, starts_with_enum
from extractor.model import Layout, LogicalRow, RowCell
from extractor.normalize import CJK_RANGE, norm, strip_enum
from extractor.numbers import parse_value


def _is_value(cell: RowCell) -> bool:
    return not cell.text.strip() or parse_value(cell.text) is not None


_WORD = re.compile(f"[{CJK_RANGE}]{{2}}")


def _misread_value(cells: list[RowCell], k: int, recognised: Layout | None) -> bool:
    """A recognised cell among the values that reads as no value ('26?' for 262, '心' for a '—' under a
    seal: scan draw 33022 lost 表三's first row and its 总计 row, their labels taken to end there): in a grid,
    a few characters with a digit, or between two values; never a word. A recognised token of an unruled
    page only with a digit and between two values ('0…': fresh draw 38010, the row's values read as its
    label), or a lone character there ('壬' for a '4' under a seal: fresh draw 39036, 表四's values shifted a
    column): a token with a digit beside a label is its numbering ('1' '属于国家秘密')."""
    text = norm(cells[k].text)
    if recognised is Layout.POSITIONAL:
        text = text.strip(".·:")  # specks read as an ellipsis or dots beside the digits
    if recognised is None or not text or len(text) > 3 or _WORD.search(text):
        return False
    after_value = k > 0 and not cells[k - 1].carried and bool(cells[k - 1].text.strip()) and _is_value(cells[k - 1])
    if recognised is Layout.POSITIONAL:
        return (any(ch.isdigit() for ch in text) or len(text) == 1) and after_value and k + 1 < len(cells) \
            and _is_value(cells[k + 1])
    return any(ch.isdigit() for ch in text) or after_value


def split_row(row: LogicalRow) -> tuple[list[RowCell], list[RowCell]]:
    """Label cells (carried group labels included) and the value slots that follow the last label."""
    cells = _blank_marks_apart(row) if row.layout is Layout.POSITIONAL and row.table.method.startswith("pdf") \
        else list(row.cells)
    recognised = row.layout if row.layout in (Layout.GRID, Layout.POSITIONAL) and row.table.method.startswith(
        "ocr") else None
    start = len(cells)
    while start > 0 and not cells[start - 1].carried and (
            _is_value(cells[start - 1]) or _misread_value(cells, start - 1, recognised)):
        start -= 1
    return [c for c in cells[:start] if c.text.strip()], cells[start:]


_VALUE_AFTER_WORD = re.compile(f"^(.*[{CJK_RANGE}])([-—–－/／]|\\d[\\d,.]*)$")


def _blank_marks_apart(row: LogicalRow) -> list[RowCell]:
    """A value or a blank cell's mark touching the label before it is the first value (values set flush left
    with no padding beside a label set flush right: '制-' of 行政强制 and an empty column, browser draw 60066;
    '章66', 60163). No label of these tables ends in digits, a dash or a slash after a letter."""
    out: list[RowCell] = []
    for cell in row.cells:
        found = _VALUE_AFTER_WORD.match(cell.text.strip())
        box = cell.provenance.bbox
        if found is None or box is None or cell.carried:
            out.append(cell)
            continue
        label, value = found.group(1), found.group(2)
        # A Chinese letter is an em wide, the value's characters about half that.
        split = box.x1 - (box.x1 - box.x0) * _ems(value) / (_ems(label) + _ems(value))
        for text, part in ((label, replace(box, x1=split)), (value, replace(box, x0=split))):
            out.append(replace(cell, text=text, words=(), provenance=replace(cell.provenance, bbox=part)))
    return out


def _ems(text: str) -> float:
    return sum(1.0 if _CJK_LETTER.match(ch) else 0.55 for ch in text)


_CJK_LETTER = re.compile(f"[{CJK_RANGE}（）：，、]")


SPREAD_WHOLE = 6  # pieces of a label spread wide, of at most SPREAD_PIECE letters each
SPREAD_PIECE = 12
SPREAD_MIN = 2  # single letters in a row that may be one label set with distributed spacing (分散对齐)


def join_spread(labels: list[RowCell], names: Callable[[list[str]], str | None],
                header: Callable[[str], bool], exact: Callable[[str], bool], grouped: bool = True) -> list[RowCell]:
    """A label printed with distributed spacing (Word's 分散对齐, CSS text-align-last: justify) comes as one
    positioned token per letter ('行' '政' '许' '可': browser draw 50042). The last run of single-letter cells
    is one label when, joined, it names a row and its last letter alone does not (a stacked group label's
    letter beside a row's own label stays apart). Any run that joined is a header's word is one word too
    ('第 二 十 条 第 （ 五 ） 项' across 表二, '信 息 内 容' beside the column words: browser draw 60085). In a
    table without group labels (`grouped` false: 表二) a line's labels that are all single letters are one
    label (a label wrapped in a narrow column, each line spread: '行 政' / '许 可', browser draw 62116). The
    labels themselves when nothing is joined."""
    if len(labels) < SPREAD_MIN or labels[-1].provenance.bbox is None:
        return labels
    whole = "".join(c.text.strip() for c in labels)
    pieces = [len(c.text.strip()) for c in labels]
    if len(labels) >= SPREAD_WHOLE and max(pieces) <= SPREAD_PIECE and not header(whole) and exact(whole):
        # spread so wide that some letters ran into tokens of several ('二' '、' '上' '年' '结' '转' '政府信' '息' …:
        # browser draws 60063, 60077), when together they are a row's label as printed (not a header line of
        # column words holding 总计: 60115)
        return [_merged(labels, whole)]
    out: list[RowCell] = []
    merged = False
    k = 0
    while k < len(labels):
        end = k
        while end < len(labels) and len(labels[end].text.strip()) == 1 and _even(labels[k:end + 1]):
            end += 1
        run = labels[k:end]
        joined = "".join(c.text.strip() for c in run)
        whole_line = not grouped and k == 0 and end == len(labels)
        if len(run) >= SPREAD_MIN and _WORD.search(joined) and (header(joined) or whole_line or end == len(labels) and (
                names([*(c.text for c in labels[:k]), joined]) is not None and names([run[-1].text]) is None)):
            out.append(_merged(run, joined))
            merged = True
        else:
            out.extend(run)
        if end < len(labels) and len(labels[end].text.strip()) != 1:
            out.append(labels[end])
            end += 1
        k = end
    return out if merged else labels


SPREAD_PITCH = 0.3  # distributed letters stand at one pitch: a letter this share further or nearer is another word's


def _even(run: list[RowCell]) -> bool:
    """Whether single letters stand at one pitch (the next column's '量' beside a spread '信 息 内 容')."""
    xs = [c.provenance.bbox.x0 for c in run if c.provenance.bbox is not None]
    if len(xs) < 3:
        return True
    pitch = xs[1] - xs[0]
    return all(abs((b - a) - pitch) <= SPREAD_PITCH * pitch for a, b in zip(xs, xs[1:], strict=False))


def _merged(run: list[RowCell], joined: str) -> RowCell:
    boxes = [c.provenance.bbox for c in run if c.provenance.bbox is not None]
    box = replace(boxes[0], x0=min(b.x0 for b in boxes), y0=min(b.y0 for b in boxes),
                  x1=max(b.x1 for b in boxes), y1=max(b.y1 for b in boxes))
    return replace(run[0], text=joined, col1=run[-1].col1, words=(), provenance=replace(run[0].provenance, bbox=box))


def leaf_column_cells(cells: list[RowCell], leaf: RowCell, layout: Layout) -> list[RowCell]:
    """The cells of a row that lie in the column of `leaf` (or right of it)."""
    if layout is Layout.POSITIONAL:
        box = leaf.provenance.bbox
        return [c for c in cells if box is None or c.provenance.bbox is None
                or c.provenance.bbox.x0 >= box.x0 - 0.6 * (box.y1 - box.y0)]
    return [c for c in cells if c.col0 >= leaf.col0]


def leaf_column_text(cells: list[RowCell], leaf: RowCell, layout: Layout) -> str:
    """The text of a label-only row that lies in the column of `leaf` (or right of it)."""
    return "".join(c.text for c in leaf_column_cells(cells, leaf, layout))


def names_row(table: str, template: str, parts: list[str], previous: str | None, leaf_only: bool = False) -> str | None:
    """The row a label path names: an alias of the lexicon, else an official label it closely resembles
    (a printed typo) when no other row competes; else the same with a group label and its leaf read as one
    word taken apart at the leaf's numbering."""
    code = _names(table, template, parts, previous, leaf_only)
    if code is None:
        apart = [piece for part in parts for piece in INNER_ENUM.split(part) if piece]
        if apart != parts:
            code = _names(table, template, apart, previous, leaf_only)
    numbered = [k for k, part in enumerate(parts) if starts_with_enum(part)]
    if code is None and leaf_only and numbered and numbered[-1] < len(parts) - 1:
        # A leaf read in two words at a gap inside it ('3.危及“三安全' '稳定”' of an unruled page: fresh scan draw
        # 39000, the blank row lost): the leaf is its numbered word and what follows it on the line.
        k = numbered[-1]
        code = _names(table, template, [*parts[:k], "".join(parts[k:])], previous, leaf_only)
    return code


def printed_label(table: str, template: str, text: str, previous: str | None) -> bool:
    """Whether a text is a row's label as printed: an alias names it and it resembles that row's official
    label (an alias also names longer text holding its words: '…自然社会法律总计' holds 总计)."""
    code = match_row(table, [text], previous)
    found = resemble_row(table, template, [text]) if code is not None else None
    return found is not None and found.code == code


# A leaf's numbering right after a group label's characters, in one word ('(六)其1.申请人无正当理由逾期' of an
# unruled page, the group's column too narrow for a word gap: fresh scan draw 38010, the row lost).
INNER_ENUM = re.compile(f"(?<=[{CJK_RANGE}])(?=\\d{{1,2}}[.．、])")


def _names(table: str, template: str, parts: list[str], previous: str | None, leaf_only: bool) -> str | None:
    code = match_row(table, parts, previous, leaf_only)
    if code is None and parts and table != "t4":
        found = resemble_row(table, template, parts if not leaf_only else parts[-1:])
        if found is not None and found.runner_up is None:
            code = found.code
    return code


def closer_to_official(table: str, template: str, code: str, before: str, after: str) -> bool:
    """Whether a label with its continuation reads more like the row's official label than without it (the
    rest of a wrapped label does; a page footer or the next row's words do not)."""
    official = next((r.parts[-1] for r in official_rows(template, table) if r.code == code), None)
    if official is None:
        return True  # a row the catalogue words differently (2019 `other` in a 2021 report): no evidence

    def score(text: str) -> float:
        return SequenceMatcher(None, strip_enum(norm(text)), official, autojunk=False).ratio()

    return score(after) > score(before)


@dataclass
class GroupContext:
    """The group labels in force: 三、本年度办理结果 (level 1) and （三）不予公开 (level 2). Text renderings print a
    group label once, on the first row of its group; the rows below it carry only their own numbering."""

    by_level: dict[int, str] = field(default_factory=dict)

    def see(self, parts: list[str]) -> None:
        for part in parts:
            found = enum_of(part)
            if found is None:
                continue
            level = found[0]
            self.by_level = {k: v for k, v in self.by_level.items() if k < level}
            self.by_level[level] = part

    def path_for(self, parts: list[str]) -> list[str]:
        """The parts prefixed with the groups above the first numbered part's level, when not printed."""
        levels = [e[0] for e in (enum_of(p) for p in parts) if e is not None]
        if not levels:
            return list(parts)
        top = min(levels)
        inherited = [text for level, text in sorted(self.by_level.items()) if level < top and text not in parts]
        return [*inherited, *parts]


PAGE_NUMBER_EMS = 8  # a page number line ('— 3 —', '- 12 -') spans a few letters, not the table's columns


def left_of(cell: RowCell, leaf: RowCell) -> bool:
    """Whether a cell ends before the column of `leaf` begins (a group label's column)."""
    a, b = cell.provenance.bbox, leaf.provenance.bbox
    if a is None or b is None:
        return cell.col1 <= leaf.col0
    return a.x1 <= b.x0


def before_values(cells: list[RowCell], values: list[RowCell]) -> list[RowCell]:
    """The cells left of where a row's values begin: a label's lines, not words over the value columns (a
    repeated header's stacked letters '人 企 机 构' under a row broken by the page: browser draw 60011)."""
    first = next((v for v in values if v.text.strip()), None)
    if first is None:
        return cells
    start = first.provenance.bbox
    if start is None:
        return [c for c in cells if c.col0 < first.col0]
    return [c for c in cells if c.provenance.bbox is None or c.provenance.bbox.x0 + c.provenance.bbox.x1 < 2 * start.x0]


def page_edges(rows: list[LogicalRow]) -> set[tuple[int, int]]:
    """(grid, row) of the first and last line of each page among a region's rows: where a page number stands
    (a lone value between a label's two lines is no page number: browser draw 60298, '4' of 其他对外管理服务
    事项 dropped and the row read blank, silently)."""
    spans: dict[int, list[tuple[float, tuple[int, int]]]] = {}
    unplaced: set[tuple[int, int]] = set()
    for row in rows:
        placed = [(c.provenance.page, c.provenance.bbox.y0) for c in row.cells
                  if c.provenance.bbox is not None and c.provenance.page is not None]
        if placed:
            spans.setdefault(placed[0][0], []).append((placed[0][1], (row.table.index, row.index)))
        else:
            unplaced.add((row.table.index, row.index))  # (text without pages: any line may be a page's end)
    return unplaced | {key for lines in spans.values() for key in (min(lines)[1], max(lines)[1])}


def narrow_line(row: LogicalRow) -> bool:
    """A positioned line no wider than a page number is ('— 3 —'): PAGE_NUMBER_EMS letters at most."""
    boxes = [c.provenance.bbox for c in row.cells if c.provenance.bbox is not None]
    if not boxes:
        return True
    tall = max(b.y1 - b.y0 for b in boxes)
    return max(b.x1 for b in boxes) - min(b.x0 for b in boxes) <= PAGE_NUMBER_EMS * tall


def deeper(texts: list[str], than: list[str]) -> bool:
    """Whether a line's numbering sits a level below another's (1. under （六）)."""
    mine = [e[0] for e in (enum_of(t) for t in texts) if e is not None]
    theirs = [e[0] for e in (enum_of(t) for t in than) if e is not None]
    return bool(mine and theirs) and min(mine) > max(theirs)
