"""Layout: the grid rows of one section -> a LabeledTable (header per row, full label path, value cells).

The readers give rows of cells; a report's table is more than that. Header rows sit above the data (and
come back after a page break, or not); a label wraps onto the next line, or starts on the line above its
numbers, or ends on the line below them; a group label spans many rows or is printed once; a text
renderer drops the empty fields of a blank row. Each of those is a named rule below, and each row records
the rules that shaped it, so `extractor trace` shows why a row got its label.

The rules ask the lexicon whether a text names a row, but no code is decided here: the mapper does that
from the label path and the row's position.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from extractor.codes import catalog
from extractor.layout.dangling import DanglingRows, Line
from extractor.layout.header import header_across, header_from_rows, header_on, header_only, is_header_row
from extractor.layout.labels import (
    GroupContext,
    closer_to_official,
    deeper,
    join_spread,
    leaf_column_text,
    left_of,
    names_row,
    narrow_line,
    page_edges,
    printed_label,
    split_row,
)
from extractor.lexicon import cols_named, column_leaves, enum_of, match_row, starts_with_enum
from extractor.lexicon.sections import heading_section
from extractor.model import (
    Header,
    LabeledRow,
    LabeledTable,
    LabelSource,
    Layout,
    LogicalRow,
    RowCell,
    RowKind,
    Table,
)
from extractor.normalize import norm

T4_BLOCKS = ("review", "suit_direct", "suit_after_review")
PAGE_NUMBER = re.compile(r"^(?:[-—–－~·\s]*\d{1,3}[-—–－~·\s]*"
                         r"|第\s*\d{1,3}\s*页(?:\s*[,，/共]\s*共?\s*\d{1,3}\s*页)?)$")
MAX_FRAGMENT_LINES = 2  # label-only lines that neither end nor name anything, skipped while a label is open
MAX_CONTEXT_LINES = 3  # label-only lines kept as the possible start of the next row's label


@dataclass
class _Builder(DanglingRows):
    section: str
    template: str
    header: Header | None = None
    pending: list[Line] = field(default_factory=list)  # non-data lines since the last data row
    context: list[tuple[str, Line]] = field(default_factory=list)  # label-only lines above the next row
    dangling: Line | None = None  # a data row whose label names nothing (yet)
    dangling_context: list[tuple[str, Line]] = field(default_factory=list)
    dangling_fragments: int = 0
    dangling_tail: str = ""  # the label's middle lines read so far below its numbers
    dangling_rows: tuple[int, ...] = ()
    blank_candidate: tuple[Line, str] | None = None  # delimited text: a label line with no value field
    previous: str | None = None  # what the last emitted row's label names
    groups: GroupContext = field(default_factory=GroupContext)
    out: list[LabeledRow] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    last_continuable: bool = False  # the last emitted row's label may continue on the next line
    continued: dict[int, tuple[Header, Header]] = field(default_factory=dict)  # grid -> (header, re-indexed)
    header_top: list[LogicalRow] = field(default_factory=list)  # a header block that ended the last region
    headers_seen: list[tuple[str, ...]] = field(default_factory=list)  # each header block's words, in order
    edges: set[tuple[int, int]] = field(default_factory=set)  # the region's first and last line on each page

    def header_for(self, table: Table) -> Header | None:
        """The header over a row of `table` (re-indexed once per continued grid, see header_on)."""
        if self.header is None:
            return None
        source, shifted = self.continued.get(table.index, (None, None))
        if source is not self.header or shifted is None:
            shifted = header_on(self.header, table)
            self.continued[table.index] = (self.header, shifted)
        return shifted

    def names(self, parts: list[str], leaf_only: bool = False) -> str | None:
        return names_row(self.section, self.template, parts, self.previous, leaf_only)

    # -- the walk ------------------------------------------------------------------------------------
    def feed(self, row: LogicalRow) -> None:
        if row.layout is Layout.GRID and row.table.method.startswith("pdf") and all(
                c.carried or not c.text.strip() for c in row.cells):
            # Nothing printed of its own: a sliver of a row broken by the page, under a rowspan label
            # (browser draw 51038 read it as a blank （六）其他处理). Recognised text may have lost a label.
            return
        if row.layout is not Layout.GRID and (row.table.index, row.index) in self.edges \
                and PAGE_NUMBER.match("".join(c.text for c in row.cells).strip()) \
                and sum(any(ch.isdigit() for ch in c.text) for c in row.cells) == 1 and narrow_line(row):
            # a page footer ('— 3 —') between the rows of a table continued on the next page; not a row
            # of three values whose blanks vanished ('1 3 4'), nor a row of blanks printed '-' around one
            # value across the columns ('-' '2' '-': browser draw 50014, the row lost and left blank surely)
            return
        labels, values = split_row(row)
        if row.layout is Layout.POSITIONAL:
            joined = join_spread(labels, lambda parts: self.names(parts, leaf_only=True),
                                 lambda text: header_only([text]) or self.column_leaf(text),
                                 lambda text: printed_label(self.section, self.template, text, self.previous),
                                 grouped=self.section != "t2")
            if joined is not labels:  # (a header block is read from its rows' cells)
                labels = joined
                row = replace(row, cells=tuple(sorted((*labels, *values), key=lambda c: c.col0)))
        line = Line(row, labels, values)
        if self.dangling is not None:
            if not line.numeric and (is_header_row(self.section, line.texts, self.template) or self.column_word(line)):
                # The header repeated on the next page, between a row's numbers and the rest of its label
                # (a row broken over pages: browser draw 51016 took the header's words for the label's end).
                self.pending.append(line)
                return
            if not line.numeric and labels and self.label_after_numbers(line):
                return
            if not line.numeric and self.dangling_rows[-1:] == (row.index,) and self.tail_names(self.dangling) \
                    and not any(starts_with_enum(t) for t in line.texts):
                return  # a middle line: with the start it resembles a row, whose end may come on the next page
            if not line.numeric and labels and self.dangling_fragments < MAX_FRAGMENT_LINES \
                    and self.names(line.texts) is None and not any(starts_with_enum(t) for t in line.texts):
                self.dangling_fragments += 1  # a group label's fragment between the numbers and their label's end
                return
            self.flush_dangling()
        self.settle_blank_row(line)
        # Header words beside marks and no digit: a header line with a stroke read as '—' (draw 36015: a
        # shaded header's edge between 法人或其他组织 and 总计; the header became a data row of （七）总计).
        # Or, recognised, with a digit or two misread from header words ('三项加第四项之和)' | '—' | '7': fresh
        # draw 41008); in text a header's last word runs into the first row ('…现行有效件数规章 000').
        header_line = bool(values) and header_only(line.texts) and (not any(
            ch.isdigit() for v in values for ch in v.text) or line.row.table.method.startswith("ocr") and len(
                [v for v in values if v.text.strip()]) <= 2)
        code = self.names(line.texts) if labels and not header_line else None
        if code is not None and not line.numeric and is_header_row(self.section, line.texts, self.template):
            code = None
        if self.section == "t4" and code not in T4_BLOCKS:
            code = None
        if values and not line.numeric and code is not None and self.blank_slots_are_header(line, code):
            code = None
        blank_t4 = self.section == "t4" and not labels and len(values) == 15
        if not values or header_line or (not line.numeric and code is None and not blank_t4):
            self.pending.append(line)
            if labels and not is_header_row(self.section, line.texts, self.template):
                self.label_only_line(line)
            return
        self.header_rows()
        if code is None and self.section != "t4":
            if labels:
                self.dangle(line)  # its label may end on the next line; else it may have started above
                return
            if self.label_starts_above(line):
                return
            if self.context and starts_with_enum(self.context[-1][0]):
                # Numbers under a label's first line that names two rows ('7.属于行政' of 执法案卷 and 查询事项):
                # its end may come below them.
                self.dangle(line)
                return
        self.emit(line, code, LabelSource.OWN if labels and code is not None else LabelSource.NONE)

    def finish(self) -> LabeledTable:
        self.flush_dangling()
        self.settle_blank_row(None)
        pages = tuple(sorted({p for r in self.out for p in r.pages}))
        return LabeledTable(self.section, tuple(self.out), pages, tuple(self.notes))

    # -- rules ---------------------------------------------------------------------------------------
    def blank_slots_are_header(self, line: Line, code: str) -> bool:
        """All-blank value slots under a label: a data row only when the row's own leaf names a row (header
        rows such as 信息内容 | 本年收费金额 or 行政复议 | 行政诉讼 must not become blank data), and not the row
        just read (the rest of its label, wrapped or cut by a page break: pdf_lo_2019)."""
        return self.section == "t4" or code == self.previous or self.names(line.texts, leaf_only=True) is None

    def header_rows(self, region_end: bool = False) -> None:
        """Header rows above the data: a new header block replaces the column model; a continued table that
        does not repeat its header keeps the one it had. A block read at a region's end may be the first
        half of a header broken by the page: the next region's block then completes it, when it repeats none
        of its words (a header repeated on the next page replaces it)."""
        top, self.header_top = self.header_top, []
        if self.pending and any(is_header_row(self.section, ln.texts, self.template) for ln in self.pending):
            rows = [ln.row for ln in self.pending if self.in_header(ln)]
            if top and not {norm(c.text) for r in top for c in r.cells} & {norm(c.text) for r in rows
                                                                            for c in r.cells if c.text.strip()}:
                self.header = header_across(top, rows)
                rows = top + rows  # (a page's last header line outside its grid is a region of its own)
            elif not self.earlier_header(rows):
                self.header = header_from_rows(rows)
            if region_end:
                self.header_top = rows
        elif top and region_end:
            # header letters between a page's grid and the next (the end of a stacked '自/然/人' below the grid
            # broken by the page: browser draw 61005) belong to the header half read before them
            self.header_top = top + [ln.row for ln in self.pending if self.in_header(ln)]
        self.pending = []

    def earlier_header(self, rows: list[LogicalRow]) -> bool:
        """A header block the same as one before the header in force: the table's first header repeated at the
        top of a page (a repeated table head: 表二's (一) header over (六)'s rows, read with (一)'s columns:
        browser draw 61171), not a header of the rows below it. Noted, else."""
        words = tuple(norm(c.text) for r in rows for c in r.cells if c.text.strip())
        if words in self.headers_seen[:-1] and words != self.headers_seen[-1]:
            return True
        self.headers_seen.append(words)
        return False

    def in_header(self, line: Line) -> bool:
        """A pending line that belongs to the header block: not a row label read on the way (a continued page's
        '4.无正当理由…' lines under its repeated header are blank rows, and their words are no column's), nor the
        section's heading read with the table ('四、政府信息公开行政复议、行政诉讼情况': its block words stood over the
        wrong columns, browser draw 60098)."""
        if len(line.texts) == 1 and heading_section(line.texts[0]) is not None:
            return False
        if is_header_row(self.section, line.texts, self.template) or self.column_word(line):
            return True
        return not any(starts_with_enum(t) for t in line.texts) and self.names(line.texts, leaf_only=True) is None

    def column_leaf(self, text: str) -> bool:
        """A column's whole header word of three letters or more (a spread '结 果 维 持' over 表四's wide first
        column: browser draw 62293, 表四 lost)."""
        return len(norm(text)) >= 3 and norm(text) in column_leaves(self.template, self.section)

    def column_word(self, line: Line) -> bool:
        """In a header block (a header line read since the last row), a line whose last word names a column
        is a header line, though the word names a row too ('总计' centred over three header lines, alone on its
        line: browser draws 50016, 51036; the header repeated on the next page too)."""
        if any(starts_with_enum(t) for t in line.texts):
            return False  # a numbered label is a row's ('3.其他' under a repeated header: scan draw 41018)
        return bool(cols_named(self.section, line.texts[-1:], self.template)) and any(
            is_header_row(self.section, ln.texts, self.template) for ln in self.pending if ln is not line)

    def label_only_line(self, line: Line) -> None:
        """A line of labels only: the rest of the previous row's label (wrapped below), a group label, the
        start of the next row's label (wrapped above), or, in delimited text, a blank row. A page number
        ('— 3 —', '第 3 页') is none of these."""
        if len(line.texts) == 1 and PAGE_NUMBER.match(line.texts[0].strip()):
            return
        if self.label_continues_previous(line):
            return
        self.groups.see(line.texts)
        cells = [c for c in line.labels if c.text.strip()]
        text = leaf_column_text(cells, cells[-1], line.row.layout)
        group = self.names([text], leaf_only=True)
        if group is not None and self.is_group(group):
            # A group label centred on its rows lands between a row's label and its numbers ('（六）其他处理'
            # below '2.申请人逾期未按收费通': browser draw 50004): no part of that label, and no blank row.
            return
        self.context = (self.context + [(text, line)])[-MAX_CONTEXT_LINES:]
        blank_cells_vanish = line.row.layout is Layout.DELIMITED or line.row.table.method in ("pdf-text", "ocr-text")
        if blank_cells_vanish and self.section != "t4":
            named = self.names(line.texts, leaf_only=True)
            numbered = [k for k, (start, _) in enumerate(self.context) if starts_with_enum(start)]
            if named is None and numbered and len(self.context) - numbered[-1] > 1:
                # A blank row's label wrapped over lines that name nothing alone ('1.属于' '国家秘' '密': fresh
                # browser draw 61282, six blank rows lost): its lines from the numbered one, as one label.
                joined = "".join(start for start, _ in self.context[numbered[-1]:])
                # Whole and as printed: not a label's first lines that resemble another ('1.申请人' '无正当理' of
                # 无正当理由逾期不补正… read as 无正当理由大量反复申请: browser draw 52047), nor a heading run into a
                # header word ('三、收到和处理政府信息公开申请情况' '总计', whose 总计 an alias finds: 52005).
                if printed_label(self.section, self.template, joined, self.previous):
                    named = self.names([joined], leaf_only=True)
                    line = Line(line.row, [replace(cells[-1], text=joined)], [])
            if named is not None and named != self.previous and not self.column_word(line):
                if self.blank_candidate is not None and self.blank_candidate[1] != named:
                    self.emit_blank()  # the label before it, wrapped or not, was a blank row of its own
                    # (this line stays the start of what follows: its numbers may come on the next line,
                    # browser draw 51036)
                    self.context = [(text, line)]
                if self.blank_candidate is None or self.blank_candidate[1] != named:
                    self.blank_candidate = (line, named)  # (a later line of the same label keeps its first)

    def label_continues_previous(self, line: Line) -> bool:
        """Wrapped label: the text under the previous row's label column completes that label. A continuation
        neither opens with list numbering nor names a row by itself ("行政处罚" after "行政许可" is the next
        row, not the rest of the label)."""
        if not self.out or not self.last_continuable or self.previous is None:
            return False
        last = self.out[-1]
        leaf = last.label_cell
        if leaf is None:
            return False
        tail = leaf_column_text(line.labels, leaf, line.row.layout)
        if not tail or starts_with_enum(tail) or self.names([tail], leaf_only=True) not in (None, self.previous):
            return False  # (a tail that reads as the row it would complete is its rest: '已获取信息')
        # A numbered label anywhere on the line starts a row ('）不' of a stacked group label beside
        # '2.其他法律行政' in a narrow label column: PDF draw 45090 read it as the end of 部分公开's label).
        if any(starts_with_enum(cell.text) for cell in line.labels if cell.text.strip()):
            return False
        joined = [*last.path[:-1], last.path[-1] + tail]
        if match_row(self.section, [joined[-1]], None) != self.previous and self.names(joined) != self.previous:
            return False
        if not closer_to_official(self.section, self.template, self.previous, last.path[-1], joined[-1]):
            return False
        self.out[-1] = replace(last, path=tuple(joined), source_rows=(*last.source_rows, line.row.index),
                               label_source=LabelSource.WRAPPED, rules=(*last.rules, "label_continues_below"))
        return True

    def settle_blank_row(self, following: Line | None) -> None:
        """A label alone on its line (delimited text whose renderer dropped the empty fields; positioned text
        whose blank cells print nothing) is a row of blanks once a later line shows it is a row of its own
        (or the table ends); not when the next line brings numbers without a label of their own."""
        if self.blank_candidate is None:
            return
        line, code = self.blank_candidate
        if following is not None and deeper(following.texts, line.texts) and self.is_group(code):
            self.blank_candidate = None  # a group label: its rows follow ('（六）其他处理' then '1.申请人…')
            return
        whole = match_row(self.section, line.texts, None, leaf_only=True) == code
        named = None if following is None else match_row(self.section, following.texts, code, leaf_only=True) or (
            # a whole label, then one cut by its wrap that resembles another row ('规章' alone, then '规范性文'
            # with numbers and '件' below: browser draw 60180, 规章's blank row lost); not after a label cut
            # short, whose rest may be on that line ('2.没有现成' then '（四）无法信息需要另')
            self.names(following.texts, leaf_only=True) if whole and following.numeric and following.labels
            else None)
        if following is not None and (named in (None, code) or not following.numeric and self.is_group(named)):
            if not following.numeric:
                return  # a group label line ("（三）不予公开"): undecided yet
            # Numbering in the label's own column starts another row; a group label's beside it does not
            # ('（三）不予公' left of '合法权益', the end of '4.保护第三方': browser draw 50016).
            own = [c.text for c in following.labels if not line.labels or not left_of(c, line.labels[-1])]
            at = next((k for k, (_, ln) in enumerate(self.context) if ln.row is line.row), None)
            later = self.context[at + 1:] if at is not None else []
            levels = {found[0] for found in map(enum_of, line.texts) if found is not None}
            started = any(found is not None and found[0] in levels for found in (enum_of(t) for t, _ in later))
            if not any(starts_with_enum(t) for t in own) and not started:
                self.blank_candidate = None
                return  # the next line holds this label's numbers: the context rule joins them
            # (another numbered label began since: the numbers are its, '2.重复' '申请' then '3.要求' '提供公'
            # and 9 9: browser draw 61282)
            # numbers under a numbered label of their own ('1、属于国家秘' wrapped): not this label's
        self.emit_blank()

    def emit_blank(self) -> None:
        assert self.blank_candidate is not None
        line, code = self.blank_candidate
        self.blank_candidate = None
        self.context = []
        self.emit(line, code, LabelSource.OWN, kind=RowKind.BLANK, rule="label_without_values")

    def names_leaf(self, text: str) -> bool:
        """Whether a label names a row that is no group (一、本年新收…, 二、上年结转…)."""
        code = match_row(self.section, [text], None, leaf_only=True)
        return code is not None and not self.is_group(code)

    def is_group(self, code: str) -> bool:
        """A row code with rows under it in this template (2021's （六）其他处理); a leaf's blank row stands even
        when the next group's own label was lost and its numbered rows follow ('（三' cut by a page)."""
        return any(r.startswith(code + ".") for r in catalog().rows(self.template, self.section))

    # -- output --------------------------------------------------------------------------------------
    def emit(self, line: Line, code: str | None, source: LabelSource, path: list[str] | None = None,
             kind: RowKind = RowKind.DATA, rule: str = "", extra_rows: tuple[int, ...] = (),
             leaf: RowCell | None = None) -> None:
        rules = [rule] if rule else []
        leaf = leaf if leaf is not None else line.labels[-1] if line.labels else None
        parts = path if path is not None else line.texts
        self.context = []
        full = self.groups.path_for(parts)
        # A row's own label is no group of the rows after it ('二、上年结转…' at the level of a vertical
        # '三、本年度办理结果' whose '、' stood apart: the next rows' labels read as 上年结转: browser draw 61073).
        full = [p for p in full[:len(full) - len(parts)] if not self.names_leaf(p)] + list(parts)
        if len(full) > len(parts):
            rules.append("group_label_inherited")
        self.groups.see(parts)
        table = line.row.table
        pages = table.pages if table.pages else ()
        self.out.append(LabeledRow(
            path=tuple(p for p in full if p.strip()), values=tuple(line.values), kind=kind, label_source=source,
            layout=line.row.layout, method=table.method, source_rows=(line.row.index, *extra_rows), pages=pages,
            header=self.header_for(table), label_cell=leaf, rules=tuple(rules)))
        if code is not None:
            self.previous = code
        self.last_continuable = leaf is not None and code is not None


def build_table(section: str, template: str, row_groups: list[list[LogicalRow]]) -> LabeledTable:
    """All regions of one section, in document order: a continued table keeps the header and label context."""
    builder = _Builder(section, template)
    for rows in row_groups:
        # A header block read at the end of a region (the table broke right under its header: browser draw
        # 52006) is the header of the rows that follow; other lines do not carry over.
        builder.header_rows(region_end=True)
        builder.edges = page_edges(rows)
        for row in rows:
            builder.feed(row)
    return builder.finish()
