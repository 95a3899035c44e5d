"""Labels -> canonical codes: walk each region's rows, map row labels and value columns, read numbers."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from extractor.cells import LogicalRow, RowCell
from extractor.codes import catalog
from extractor.identities import equations
from extractor.map.columns import HeaderMap, Target, build_header, by_header, by_position, is_header_row
from extractor.map.glued import GluedRun, resolve
from extractor.map.labels import match_block, match_row, starts_with_enum
from extractor.map.rows import expected_targets, leaf_column_text, next_row, split_row
from extractor.map.uncertain import settle_uncertain
from extractor.model import CanonicalCell, Finding
from extractor.numbers import parse_value

_log = logging.getLogger(__name__)


@dataclass
class Mapping:
    template: str
    cells: list[CanonicalCell] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    glued: list[GluedRun] = field(default_factory=list)
    source: str = ""

    by_key: dict[tuple[str, str, str], CanonicalCell] = field(default_factory=dict)

    def get(self, table: str, row: str, col: str) -> CanonicalCell | None:
        return self.by_key.get((table, row, col))

    def add(self, cell: CanonicalCell) -> None:
        self.cells.append(cell)
        self.by_key[cell.key] = cell


class RegionMapper:
    """Maps the rows of all regions of one section, keeping header and label context between rows."""

    def __init__(self, section: str, mapping: Mapping) -> None:
        self.section = section
        self.m = mapping
        self.previous: str | None = None
        self.header = HeaderMap()
        self.pending: list[LogicalRow] = []
        self.context: list[str] = []
        self.dangling: tuple[LogicalRow, list[RowCell], list[RowCell]] | None = None
        self.blank_candidate: tuple[LogicalRow, str, list[RowCell]] | None = None
        self.last: tuple[str, RowCell, str] | None = None  # previous data row: code, leaf cell, full label

    def feed(self, rows: list[LogicalRow]) -> None:
        # The header map and label context carry over: a table continued on the next page may not repeat
        # its header. A new header block simply replaces the map.
        self.pending = []
        for row in rows:
            self._row(row)

    def finish(self) -> None:
        self._flush_dangling()
        self._settle_blank_candidate(None)

    def _row(self, row: LogicalRow) -> None:
        label_cells, values = split_row(row)
        labels = [c.text for c in label_cells]
        numeric = [v for v in values if v.text.strip()]
        if self.dangling is not None:
            if not numeric and labels and self._continue_dangling(row, label_cells):
                return
            self._flush_dangling()
        self._settle_blank_candidate(labels, bool(numeric))
        code = match_row(self.section, labels, self.previous) if labels else None
        if self.section == "t4" and code is not None and code not in ("review", "suit_direct", "suit_after_review"):
            code = None
        if values and not numeric and code is not None:
            # All-blank value slots: a data row only when its own leaf label names a row (header rows
            # such as 信息内容 | 本年收费金额 or 行政复议 | 行政诉讼 must not become blank data), and not the
            # row just read (the rest of its label, wrapped or cut by a page break: pdf_lo_2019).
            if self.section == "t4" or code == self.previous \
                    or match_row(self.section, labels, self.previous, leaf_only=True) is None:
                code = None
        # 表四's single row of numbers may be all blank (nothing happened): still a data row.
        blank_t4 = self.section == "t4" and not labels \
            and len(values) == len(expected_targets("t4", self.m.template, None))
        if not values or (not numeric and code is None and not blank_t4):
            self.pending.append(row)
            if labels and not is_header_row(self.section, labels, self.m.template):
                self._label_only(row, label_cells)
            return
        if self.pending and any(is_header_row(self.section, [c.text for c in r.cells], self.m.template)
                                for r in self.pending):
            self.header = build_header(self.section, self.pending, self.m.template)
        self.pending = []
        self.context = []
        if self.section == "t4" and code is None and labels:
            code = match_block(labels)
        positional = False
        context, self.context = self.context, []
        if code is None and self.section != "t4":
            # A label wrapped over lines: its start may sit on the lines above (context), its end on the
            # lines below (dangling, resolved by the next row).
            if context:
                joined = "".join(context) + (leaf_column_text(label_cells, label_cells[-1], row.layout)
                                             if label_cells else "")
                code = match_row(self.section, [joined], self.previous)
            if code is None and labels:
                self.dangling = (row, label_cells, values)
                return
            if code is None:
                code = next_row(self.section, self.m.template, self.previous)
                positional = True
        self.last = (code, label_cells[-1], "".join(context) + labels[-1]) if label_cells and code else None
        self._place(row, code, values, positional)

    def _label_only(self, row: LogicalRow, label_cells: list[RowCell]) -> None:
        """A row of labels only: the rest of the previous row's label, or the start of the next one's."""
        if self.last is not None:
            code, leaf, text = self.last
            tail = leaf_column_text(label_cells, leaf, row.layout)
            # A continuation neither opens with list numbering nor names a row by itself ("行政处罚" after
            # "行政许可" is the next row, not the rest of the label).
            if tail and not starts_with_enum(tail) and match_row(self.section, [tail], None, leaf_only=True) is None \
                    and match_row(self.section, [text + tail], None) == code:
                self.last = (code, leaf, text + tail)
                return
        leaf_col = [c for c in label_cells if c.text.strip()]
        self.context = (self.context + [leaf_column_text(leaf_col, leaf_col[-1], row.layout)])[-3:]
        if row.layout == "delimited" and self.section != "t4":
            # "1.属于国家秘密" alone on its line: a row of blank cells whose empty fields the renderer
            # dropped, unless the next line turns out to carry its numbers (decided in _row).
            named = match_row(self.section, [c.text for c in label_cells], self.previous, leaf_only=True)
            if named is not None and named != self.previous:
                self.blank_candidate = (row, named, label_cells)

    def _settle_blank_candidate(self, next_labels: list[str] | None, next_has_numbers: bool = False) -> None:
        """Emit the pending blank row once a later line shows it is a row of its own (or the table ends)."""
        if self.blank_candidate is None:
            return
        row, code, label_cells = self.blank_candidate
        if next_labels is not None and match_row(self.section, next_labels, code, leaf_only=True) is None:
            if not next_has_numbers:
                return  # a group label line ("（三）不予公开"): undecided yet
            self.blank_candidate = None
            return  # the next line holds this label's numbers: the context mechanism joins them
        self.blank_candidate = None
        self.m.findings.append(Finding(
            "padded_row", "warning", "a row label without any value field: its cells read as blank",
            table=self.section, row=code))
        label = "/".join(c.text for c in label_cells)
        for col in catalog().cols(self.m.template, self.section, code):
            self.emit((code, col), "", label_cells[-1], f"{row.table.method}:blank-row", 0.9, label, blank=True)
        self.previous = code
        self.context = []

    def _place(self, row: LogicalRow, code: str | None, values: list[RowCell], positional: bool) -> None:
        expected = expected_targets(self.section, self.m.template, code)
        if not expected:
            self.m.findings.append(Finding(
                "unmapped_row", "warning", f"row {code!r} does not exist in the {self.m.template} template",
                table=self.section, row=code or ""))
            return
        if positional:
            if len(values) != len(expected):
                return
            self.m.findings.append(Finding(
                "row_by_position", "warning", f"unlabelled row read as {code} from its position",
                table=self.section, row=code or ""))
        self._assign(row, code, values, expected, positional)
        if code is not None:
            self.previous = code

    def _continue_dangling(self, following: LogicalRow, label_cells: list[RowCell]) -> bool:
        assert self.dangling is not None
        row, first, values = self.dangling
        leaf = first[-1]
        for tail in (leaf_column_text(label_cells, leaf, following.layout), label_cells[-1].text):
            code = match_row(self.section, [leaf.text + tail], self.previous)
            if code is not None:
                self.dangling = None
                self.last = (code, leaf, leaf.text + tail)
                self._place(row, code, values, positional=False)
                return True
        return False

    def _flush_dangling(self) -> None:
        if self.dangling is None:
            return
        row, cells, values = self.dangling
        labels = [c.text for c in cells]
        self.dangling = None
        if len("".join(labels)) <= 60:
            self.m.findings.append(Finding(
                "unmapped_row", "warning", f"row {'/'.join(labels)!r} maps to no canonical row",
                table=self.section, found=" ".join(v.text for v in values)))

    def _assign(self, row: LogicalRow, code: str | None, values: list[RowCell], expected: list[Target],
                positional: bool) -> None:
        how, targets = self._targets(row, values, expected)
        if targets is None:
            nonblank = [v for v in values if v.text.strip()]
            if len(nonblank) == 1 and nonblank[0].text.strip().isdigit() and len(expected) > 1:
                self.m.glued.append(GluedRun(self.section, expected, nonblank[0].text.strip(), nonblank[0]))
                return
            self.m.findings.append(Finding(
                "misaligned_row", "error",
                f"{len(values)} value cells for {len(expected)} columns; cells left empty",
                table=self.section, row=code or "", found=" | ".join(v.text for v in values)))
            return
        confidence = 0.9 if positional or how == "position" else 1.0
        label = "/".join(c.text for c in split_row(row)[0])
        for target, cell in zip(targets, values, strict=False):
            if target is None:
                continue
            self.emit(target, cell.text, cell, f"{row.table.method}:{how}", confidence, label)
        # Aligned text drops blank cells, and some renderers drop trailing empty fields: the expected
        # columns with no cell are blank in the source.
        if how in ("position", "padded"):
            assigned = {t for t in targets if t is not None}
            for target in expected:
                if target not in assigned:
                    self.emit(target, "", values[-1], f"{row.table.method}:{how}", 0.9, label, blank=True)

    def _targets(self, row: LogicalRow, values: list[RowCell], expected: list[Target]
                 ) -> tuple[str, list[Target | None] | None]:
        if row.layout == "grid" and self.header.by_col:
            keys = by_header(values, self.header, expected)
            if keys is not None:
                return "header", list(keys)
        # Empty fields beside a value are the covered slots of a merged cell in a flat rendering.
        lead = 0
        while len(values) - lead > len(expected) and not values[lead].text.strip():
            lead += 1
        tail = len(values)
        while tail - lead > len(expected) and not values[tail - 1].text.strip() and row.layout != "grid":
            tail -= 1
        trimmed = values[lead:tail]
        if len(trimmed) == len(expected):
            return "order", [None] * lead + list(expected) + [None] * (len(values) - tail)
        if row.layout == "delimited" and len(trimmed) < len(expected):
            # Renderers drop trailing empty fields; the missing cells are the last ones.
            self.m.findings.append(Finding(
                "padded_row", "warning", "row ends early: trailing cells read as blank",
                table=self.section, row=expected[0][0]))
            return "padded", [None] * (len(values) - len(trimmed)) + list(expected[: len(trimmed)])
        if row.layout == "positional":
            nonblank = [v for v in values if v.text.strip()]
            placed = by_position(nonblank, self.header, expected)
            if placed is not None and len(nonblank) == len(values):
                return "position", list(placed)
        return "none", None

    def emit(self, target: Target, raw: str, cell: RowCell, method: str, confidence: float, row_label: str,
             blank: bool = False) -> None:
        row, col = target
        spec = catalog().get(self.m.template, self.section, row, col)
        kind = spec.kind if spec else "int"
        first = self.m.get(self.section, row, col)
        if first is not None:
            # The same row found twice: harmless when the readings agree, a conflict a human must see
            # when they do not.
            same = first.raw.strip() == raw.strip()
            self.m.findings.append(Finding(
                "duplicate_cell", "warning" if same else "error",
                "cell found twice; the first reading is kept" + ("" if same else f" (second reading {raw!r})"),
                table=self.section, row=row, col=col, expected=first.raw, found=raw))
            return
        confidence = min(confidence, cell.confidence)
        parsed = parse_value(raw, kind)
        value = None if parsed is None else parsed.value
        if parsed is None:
            self.m.findings.append(Finding(
                "unreadable_value", "error", f"cell text {raw!r} is not a number", table=self.section,
                row=row, col=col, found=raw, cells=((self.section, row, col),)))
            confidence = 0.0
        elif parsed.note and not parsed.note.startswith(("增", "减", "新增", "下降")):
            self.m.findings.append(Finding(
                "annotated_value", "warning", f"cell carries a note {parsed.note!r}; the leading number is "
                "the value", table=self.section, row=row, col=col, found=raw))
        elif parsed.unit and kind == "decimal" and parsed.unit != "万元":
            self.m.findings.append(Finding(
                "unit", "warning", f"amount stated in {parsed.unit}, column is in 万元", table=self.section,
                row=row, col=col, found=raw))
        self.m.add(CanonicalCell(
            template=self.m.template, table=self.section, row=row, col=col, value=value,
            raw=raw if not blank else "", provenance=cell.provenance, method=method,
            confidence=confidence, row_label=row_label, col_label=spec.col_label if spec else col,
            alternatives=cell.alternatives))


def resolve_glued(mapping: Mapping, mappers: dict[str, RegionMapper]) -> None:
    if not mapping.glued:
        return
    known = {c.key: c.number for c in mapping.cells}
    present = {c.row for c in mapping.cells if c.table == "t3"} | {
        r for run in mapping.glued if run.table == "t3" for r, _ in run.targets}
    resolve(mapping.glued, known, equations(mapping.template, present))
    for run in mapping.glued:
        cands = run.candidates or []
        mapper = mappers[run.table]
        if len(cands) == 1:
            for (row, col), value in zip(run.targets, cands[0], strict=True):
                mapper.emit((row, col), str(value), run.cell, f"{mapping.source}:glued+identity", 0.9, "")
            continue
        mapping.findings.append(Finding(
            "ambiguous", "error",
            f"digit run {run.digits!r} splits into {len(cands) if run.candidates is not None else 'too many'} "
            f"readings that satisfy the identities; cells left empty",
            table=run.table, row=run.targets[0][0], found=run.digits,
            cells=tuple((run.table, r, c) for r, c in run.targets)))


def map_rows(sections: list[tuple[str, list[LogicalRow]]], template: str, source: str) -> Mapping:
    mapping = Mapping(template=template, source=source)
    mappers: dict[str, RegionMapper] = {}
    for section, rows in sections:
        mapper = mappers.setdefault(section, RegionMapper(section, mapping))
        mapper.feed(rows)
    for section in ("t2", "t3", "t4"):
        mappers.setdefault(section, RegionMapper(section, mapping)).finish()
    resolve_glued(mapping, mappers)
    present = {c.row for c in mapping.cells if c.table == "t3"}
    cells, findings = settle_uncertain(mapping.cells, equations(template, present))
    mapping.cells = cells
    mapping.by_key = {c.key: c for c in cells}
    mapping.findings.extend(findings)
    return mapping
