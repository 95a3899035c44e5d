"""Text renderings whose lines are not the table's rows, turned into rows.

- Glued renderings (a crawler's page text): a whole table on one line, cells run together with no
  separators (`一、本年新收政府信息公开申请数量640020470二、上年结转…`). The line is cut into label and
  number tokens; list numbering glued to the number before it goes back to its label (`00000002.其他…`
  is 0000000 then `2.其他…`); each label starts a row, the numbers after it are its cells (digit runs
  that the identities split later).
- One cell per line (`规章 |` / `/ |` / `|` for a blank, `|||` filler where a span was): the cells are a
  stream, and a row starts at each label.
- Markdown tables: separator lines (`|---|---|`) are not rows.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from extractor.lexicon.sections import heading_prefix, heading_section, heading_variant

Field = tuple[str, int, int]  # text, start and end display column

_CJK = r"\u3400-\u9fff\uf900-\ufaff"
# List numbering that opens a row label: 一、 / （一） / 1. (not a decimal point: a CJK character follows).
_NUMERAL = "一二三四五六七八九十"
_ENUM = re.compile(rf"[{_NUMERAL}]{{1,2}}、|[（(][{_NUMERAL}]{{1,2}}[）)]|(?<![\d.]\d)[1-9][.．、](?=[{_CJK}])")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_GLUE = re.compile(rf"[{_CJK}）)]\d{{3,}}|\d[{_CJK}（(]")
_MD_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_CELL_LINE = re.compile(r"^[^|｜]*[|｜]\s*$")
_FILLER = re.compile(r"^\s*[|｜]{2,}\s*$")
MIN_GLUED_LABELS = 2


def is_md_separator(line: str) -> bool:
    return bool(_MD_SEPARATOR.match(line))


def is_glued_table_line(line: str) -> bool:
    """A line holding at least two row labels with numbers run into the text around them."""
    return len(_ENUM.findall(line)) >= MIN_GLUED_LABELS and bool(_GLUE.search(line))


def _tokens(line: str) -> list[tuple[str, int, bool]]:
    """(text, start index, is a number) for the line's label and number tokens."""
    out: list[tuple[str, int, bool]] = []
    for m in re.finditer(r"\S+", line):
        word, base, pos = m.group(), m.start(), 0
        for n in _NUMBER.finditer(word):
            if n.start() > pos:
                out.append((word[pos:n.start()], base + pos, False))
            out.append((n.group(), base + n.start(), True))
            pos = n.end()
        if pos < len(word):
            out.append((word[pos:], base + pos, False))
    # Numbering glued to the number before it: the last digit opens the next label ('00000002' '.其他').
    # Tokens stay slices of the line, (start, end, numeric), so that joining labels costs nothing.
    fixed: list[list[int | bool]] = []
    for text, start, numeric in out:
        end = start + len(text)
        prev = fixed[-1] if fixed else None
        if not numeric and prev is not None and prev[2] and re.match(rf"^[.．、][{_CJK}]", text) \
                and "." not in line[int(prev[0]):int(prev[1])]:
            if int(prev[1]) - int(prev[0]) > 1:
                prev[1] = int(prev[1]) - 1
            else:
                fixed.pop()
            start -= 1
            prev = fixed[-1] if fixed else None
        if not numeric and prev is not None and not prev[2]:
            prev[1] = end  # a label continued past a space: one label
            continue
        fixed.append([start, end, numeric])
    return [(line[int(a):int(b)], int(a), bool(n)) for a, b, n in fixed]


def _split_label(text: str, start: int) -> list[tuple[str, int]]:
    """A label token cut before each list numbering it holds ('三、本年度办理结果（一）予以公开')."""
    cuts = [m.start() for m in _ENUM.finditer(text) if m.start() > 0 and text[m.start() - 1] != "第"]
    bounds = [0, *cuts, len(text)]
    parts: list[tuple[str, int]] = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        end = heading_prefix(text[a:b])
        if end is not None and text[a + end:b].strip():  # a heading run into what follows it
            parts += [(text[a:a + end], start + a), (text[a + end:b], start + a + end)]
        elif text[a:b].strip():
            parts.append((text[a:b], start + a))
    return parts


def glued_rows(line: str, width: Callable[[str], int]) -> list[list[Field]]:
    """The rows of a glued line: each label part starts a row; the numbers after it are its cells."""
    rows: list[list[Field]] = []
    prefix = [0]
    for ch in line:  # display width of every prefix, once: linear in the line
        prefix.append(prefix[-1] + width(ch))
    for text, start, numeric in _tokens(line):
        col = prefix[start]
        if numeric:
            if not rows:
                rows.append([])
            rows[-1].append((text, col, col + width(text)))
            continue
        for part, part_start in _split_label(text, start):
            c = prefix[part_start]
            rows.append([(part.strip(), c, c + width(part))])
            if heading_section(part) is not None or heading_variant(part) is not None:
                rows.append([])  # numbers after a heading begin its prose ('五、…情况' '2022年'), not its row
    return [row for row in rows if row]


def is_cell_per_line(lines: list[str]) -> bool:
    """Most lines hold one cell and end with a bar (`x |`), with bar-only filler lines between."""
    barred = [line for line in lines if "|" in line or "｜" in line]
    cells = sum(1 for line in barred if _CELL_LINE.match(line) or _FILLER.match(line))
    return len(barred) >= 10 and cells >= 0.8 * len(barred)


def cell_stream_rows(lines: list[str], is_label: Callable[[str], bool]) -> list[list[str]]:
    """Rows rebuilt from one cell per line: a label after a value starts a row; labels in a row before its
    first value are its label path (or header words)."""
    rows: list[list[str]] = []
    has_value = False
    for line in lines:
        if _FILLER.match(line):
            continue
        if not _CELL_LINE.match(line):
            rows.append([line.strip()])  # prose or a heading
            has_value = True
            continue
        cell = re.sub(r"[|｜]\s*$", "", line).strip()
        if cell and is_label(cell):
            if has_value or not rows:
                rows.append([])
                has_value = False
            rows[-1].append(cell)
        else:
            if not rows:
                rows.append([])
            rows[-1].append(cell)
            has_value = True
    return [part for row in rows for part in _header_apart(row, is_label)]


def _header_apart(row: list[str], is_label: Callable[[str], bool]) -> list[list[str]]:
    """A stream row whose labels run from header words into the row's own label ('信息内容 | 本年制发件数 |
    规章 | 0 |'): cut before the last label that names a 表二/表三 row, so that the header words make a row
    of their own (and say which table this is) and the label leads its values."""
    from extractor.lexicon import match_row

    labels = 0
    while labels < len(row) and row[labels] and is_label(row[labels]):
        labels += 1
    if labels < 2 or labels == len(row) or not any(cell.strip() for cell in row[labels:]):
        return [row]  # no number after the labels: a header row (blank slots under a spanned header word)
    for i in range(labels - 1, 0, -1):
        if match_row("t3", [row[i]], None) or match_row("t2", [row[i]], None):
            return [row[:i], row[i:]]
    return [row]
