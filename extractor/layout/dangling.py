"""Rows whose numbers come before their label is known: held ("dangling") until the lines below end the
label (a wrapped label whose first or middle line carries the values), or read from the label-only lines
above them (a label that started above its numbers)."""

from __future__ import annotations

from dataclasses import dataclass

from extractor.layout.labels import before_values, leaf_column_cells, leaf_column_text
from extractor.lexicon import match_row, starts_with_enum
from extractor.model import LabeledRow, LabelSource, LogicalRow, RowCell, RowKind

MAX_UNMAPPED_LABEL = 60  # longer label-only text is prose, not an unmatched row label


@dataclass
class Line:
    """One line of a table: its row, its label cells and its value slots."""

    row: LogicalRow
    labels: list[RowCell]
    values: list[RowCell]

    @property
    def texts(self) -> list[str]:
        return [c.text for c in self.labels]

    @property
    def numeric(self) -> bool:
        return any(v.text.strip() for v in self.values)



class DanglingRows:
    """The layout builder's rules for a data row held until its label is known (mixed into it)."""

    section: str
    previous: str | None
    context: list[tuple[str, Line]]
    dangling: Line | None
    dangling_context: list[tuple[str, Line]]
    dangling_fragments: int
    dangling_tail: str  # the label's middle lines read so far below its numbers
    dangling_rows: tuple[int, ...]
    out: list[LabeledRow]

    def names(self, parts: list[str], leaf_only: bool = False) -> str | None:
        raise NotImplementedError

    def emit(self, line: Line, code: str | None, source: LabelSource, path: list[str] | None = None,
             kind: RowKind = RowKind.DATA, rule: str = "", extra_rows: tuple[int, ...] = (),
             leaf: RowCell | None = None) -> None:
        raise NotImplementedError


    def dangle(self, line: Line) -> None:
        """Hold a data row whose label is not known yet, with the label-only lines above it."""
        self.dangling = line
        self.dangling_context = list(self.context)
        self.dangling_fragments = 0
        self.dangling_tail, self.dangling_rows = "", ()

    def label_after_numbers(self, following: Line) -> bool:
        """The numbers came first and the label that names them ends on a line below (a wrapped label whose
        first or middle line carries the values; a narrow label column wraps one label over five lines)."""
        assert self.dangling is not None
        line = self.dangling
        if line.labels:
            leaf, start, groups = line.labels[-1], line.labels[-1].text, [c.text for c in line.labels[:-1]]
        else:  # numbers alone under the label's first line (kept in the context)
            leaf, start, groups = self.dangling_context[-1][1].labels[-1], self.dangling_context[-1][0], []
        labels = before_values(following.labels, line.values)
        if not labels:
            return False
        in_column = leaf_column_text(labels, leaf, following.row.layout)
        for tail in (in_column, labels[-1].text):
            if starts_with_enum(tail):
                continue  # the next row's own numbered label ('2.申请人…' under '…政府信'), not this one's end
            code = match_row(self.section, [start + self.dangling_tail + tail], self.previous)
            if code is not None:
                self.dangling = None
                self.emit(line, code, LabelSource.WRAPPED, path=[*groups, start + self.dangling_tail + tail],
                          rule="label_after_numbers", extra_rows=(*self.dangling_rows, following.row.index),
                          leaf=leaf)
                return True
        if in_column and not starts_with_enum(in_column):
            self.dangling_tail += in_column  # a middle line of the label: the end may come on the next one
            self.dangling_rows = (*self.dangling_rows, following.row.index)
        return False

    def flush_dangling(self) -> None:
        """A data row whose label stayed unknown goes to the mapper as printed (it reports it)."""
        if self.dangling is None:
            return
        line, self.dangling = self.dangling, None
        code = self.tail_names(line)
        if code is not None:
            # its own start and the lines below resemble a row ('7.属于行' '政执法案', the '卷' lost)
            label = line.labels[-1].text + self.dangling_tail
            self.emit(line, code, LabelSource.WRAPPED, path=[*line.texts[:-1], label], rule="label_after_numbers",
                      extra_rows=self.dangling_rows, leaf=line.labels[-1])
            return
        if self.label_starts_above(line, self.dangling_context, self.dangling_tail, self.dangling_rows):
            return
        if not line.labels:
            self.emit(line, None, LabelSource.NONE)  # its numbers by their place between labelled rows
        elif len("".join(line.texts)) <= MAX_UNMAPPED_LABEL:
            self.emit(line, None, LabelSource.OWN, rule="label_names_nothing")

    def tail_names(self, line: Line | None) -> str | None:
        """The row a dangling row's own label start and the middle lines read below its numbers name."""
        if line is None or not line.labels or not self.dangling_tail or not starts_with_enum(line.labels[-1].text):
            return None  # (a label's start is numbered: not a stacked group label's letter beside the numbers)
        return self.names([line.labels[-1].text + self.dangling_tail])

    def label_starts_above(self, line: Line, context: list[tuple[str, Line]] | None = None, tail: str = "",
                           tail_rows: tuple[int, ...] = ()) -> bool:
        """A data row whose own label names nothing (or that has none): its label may have started on the
        label-only lines above it. A weak reading: the mapper drops it when it breaks the row order."""
        context = self.context if context is None else context
        if not context:
            return False
        numbered = [k for k, (text, _) in enumerate(context) if starts_with_enum(text)]
        if numbered:
            # A numbered line starts the label: lines before it are another row's or a stacked group
            # label's letters ('理' '结' beside '1.属于国家秘': browser draw 50016).
            context = context[numbered[-1]:]
        # The leaf is what this line holds in the column of the label above; text left of it is a group
        # label's ('处理' of a wrapped '（六）其他处理' beside the numbers: browser draw 50010).
        above = context[-1][1].labels
        column = leaf_column_cells(line.labels, above[-1] if above else line.labels[-1], line.row.layout) \
            if line.labels else []
        groups = [c.text for c in line.labels if c not in column]
        joined = "".join(text for text, _ in context) + "".join(c.text for c in column)
        if tail and (match_row(self.section, [joined + tail], self.previous) or self.names([joined + tail])):
            joined += tail  # the label's last lines, read below the numbers
        code = match_row(self.section, [joined], self.previous) or self.names([joined])
        if code is None:
            return False
        path = [*groups, joined]
        # The label's leaf column is where its lines above were: its rest may wrap below the numbers.
        self.emit(line, code, LabelSource.ABOVE, path=path, rule="label_starts_above",
                  leaf=column[-1] if column else above[-1] if above else None,
                  extra_rows=tail_rows if joined.endswith(tail) and tail else ())
        return True
