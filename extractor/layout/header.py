"""Header rows: telling them from data rows, and reading the header path of every column from them."""

from __future__ import annotations

from extractor.lexicon import match_block, match_col, match_row
from extractor.model import Header, LogicalRow
from extractor.normalize import norm

# Words that only a 表三 / 表四 header prints: a row holding one is a header even when it also holds a word
# that names a data row (the seed's `(本列数据的勾稽关系…) | 申请人情况 | … | 总计`, read once as （七）总计).
HEADER_ONLY_WORDS = ("申请人情况", "法人或其他组织", "勾稽关系", "本列数据", "信息内容", "第二十条第")


def is_header_row(table: str, texts: list[str], template: str) -> bool:
    """A row of header words rather than a row label (with blank values)."""
    if any(word in norm(t) for t in texts for word in HEADER_ONLY_WORDS):
        return True
    col_hits = sum(1 for t in texts if match_col(table, [t], template))
    if table == "t4":
        return col_hits > 0 or any(match_block([t]) for t in texts)
    row_hits = sum(1 for t in texts if match_row(table, [t], None))
    return col_hits > row_hits


def header_from_rows(rows: list[LogicalRow]) -> Header:
    """The header path of every grid column (spanned header cells included) and the header words' x centres."""
    n_cols = max((c.col1 for row in rows for c in row.cells), default=0)
    paths: list[tuple[int, tuple[str, ...]]] = []
    for col in range(n_cols):
        path: list[str] = []
        for row in rows:
            for cell in row.cells:
                if cell.col0 <= col < cell.col1 and cell.text.strip() and (not path or path[-1] != cell.text):
                    path.append(cell.text)
        if path:
            paths.append((col, tuple(path)))
    words = tuple((cell.x_center, cell.text) for row in rows for cell in row.cells
                  if cell.text.strip() and cell.x_center is not None)
    return Header(tuple(paths), words, tuple(row.index for row in rows))
