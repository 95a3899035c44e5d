"""Writing canonical cells: one reading per code, the value parsed by the column's kind, doubts as findings."""

from __future__ import annotations

from dataclasses import dataclass, field

from extractor.codes import catalog
from extractor.model import CanonicalCell, Finding, LabeledRow, RowCell
from extractor.numbers import ParsedValue, parse_value

Target = tuple[str, str]
NEGATIVE_READ = 0.5  # the certainty of a recognised count or amount read with a minus


def _negative(raw: str) -> bool:
    return _below_zero(parse_value(raw))


def _below_zero(parsed: ParsedValue | None) -> bool:
    return parsed is not None and not isinstance(parsed.value, str) and parsed.value is not None \
        and parsed.value < 0


@dataclass
class CellWriter:
    section: str
    template: str
    cells: list[CanonicalCell]
    findings: list[Finding]
    by_key: dict[tuple[str, str, str], CanonicalCell] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.by_key = {c.key: c for c in self.cells}

    def blank_row(self, row: LabeledRow, code: str) -> None:
        """A label whose value fields the renderer dropped: every cell of the row is blank."""
        self.findings.append(Finding("padded_row", "warning", "a row label without any value field: its cells "
                                     "read as blank", table=self.section, row=code))
        label = "/".join(row.path)
        anchor = row.label_cell or (row.values[-1] if row.values else None)
        if anchor is None:
            return
        for col in catalog().cols(self.template, self.section, code):
            self.emit((code, col), "", anchor, f"{row.method}:blank-row", 0.9, label, blank=True)

    def emit(self, target: Target, raw: str, cell: RowCell, method: str, confidence: float, row_label: str,
             blank: bool = False) -> None:
        row, col = target
        spec = catalog().get(self.template, self.section, row, col)
        kind = spec.kind if spec else "int"
        first = self.by_key.get((self.section, row, col))
        if first is not None:
            # The same row found twice: harmless when the readings agree, a conflict a human must see when
            # they do not.
            same = first.raw.strip() == raw.strip()
            self.findings.append(Finding(
                "duplicate_cell", "warning" if same else "error",
                "cell found twice; the first reading is kept" + ("" if same else f" (second reading {raw!r})"),
                table=self.section, row=row, col=col, expected=first.raw, found=raw))
            return
        if not blank:
            # A blank that vanished is placed beside a value or label: how surely that one was read says nothing
            # of it (draw 32008: a row's blanks took its last value's 0.54 and were flagged).
            confidence = min(confidence, cell.confidence)
        parsed = parse_value(raw, kind)
        value = None if parsed is None else parsed.value
        if parsed is None:
            self.findings.append(Finding(
                "unreadable_value", "error", f"cell text {raw!r} is not a number", table=self.section,
                row=row, col=col, found=raw, cells=((self.section, row, col),)))
            confidence = 0.0
        elif kind != "signed" and _below_zero(parsed):
            # No count or amount is negative. Recognised, the minus is a speck or a rule's piece read (fresh
            # draw 41019: '-52' by a dashed rule, kept sure): unsure, the identities may read it without. In a
            # text source it is what the source prints: an error to report.
            if method.startswith("ocr"):
                confidence = min(confidence, NEGATIVE_READ)
            else:
                self.findings.append(Finding(
                    "negative_count", "error", f"a count or amount printed negative ({raw!r})",
                    table=self.section, row=row, col=col, found=raw, cells=((self.section, row, col),)))
        elif parsed.note and not parsed.note.startswith(("增", "减", "新增", "下降")):
            self.findings.append(Finding(
                "annotated_value", "warning", f"cell carries a note {parsed.note!r}; the leading number is "
                "the value", table=self.section, row=row, col=col, found=raw))
        elif parsed.unit and kind == "decimal" and parsed.unit != "万元":
            self.findings.append(Finding(
                "unit", "warning", f"amount stated in {parsed.unit}, column is in 万元", table=self.section,
                row=row, col=col, found=raw))
        alternatives = cell.alternatives if kind == "signed" else tuple(
            a for a in cell.alternatives if not _negative(a))  # a sign read where none may stand: not a reading
        if blank:
            # Nothing was read there: the readings of the cell it was placed beside are not its own (draw 32017:
            # blanks beside a '7' or '/' took its '/' and were flagged though right).
            alternatives = ()
        made = CanonicalCell(
            template=self.template, table=self.section, row=row, col=col, value=value,
            raw=raw if not blank else "", provenance=cell.provenance, method=method,
            confidence=confidence, row_label=row_label, col_label=spec.col_label if spec else col,
            alternatives=alternatives)
        self.cells.append(made)
        self.by_key[made.key] = made
