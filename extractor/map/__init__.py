"""Map: LabeledTables -> canonical cells. A lookup from a row's label path and position to a row code, and
from a value slot's header path or position to a column code; nothing here rebuilds a table.

Rows are coded in two passes: labelled rows first (aliases, then the official label they resemble), then
rows without a label by their position between labelled ones. Digit runs that hold several cells go to
the reconcile stage as GluedRuns.
"""

from __future__ import annotations

import logging
from collections import Counter
from dataclasses import dataclass, field, replace

from extractor.codes import catalog
from extractor.lexicon import match_block, match_row, resemble_row
from extractor.map.align import value_alignment
from extractor.map.cells import CellWriter
from extractor.map.columns import (
    expected_targets,
    glued_token,
    place_contested,
    place_values,
    value_columns,
    without_subtotal,
)
from extractor.map.header import Align, HeaderMap, Target, header_codes
from extractor.model import (
    CanonicalCell,
    Finding,
    GluedRun,
    Header,
    LabeledRow,
    LabeledTable,
    LabelSource,
    Layout,
    RowCell,
    RowKind,
)

_log = logging.getLogger(__name__)

T4_BLOCKS = ("review", "suit_direct", "suit_after_review")


@dataclass
class Mapping:
    template: str
    cells: list[CanonicalCell] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    glued: list[GluedRun] = field(default_factory=list)
    row_codes: list[tuple[str, int, str | None]] = field(default_factory=list)  # (section, row index, code)


@dataclass(frozen=True)
class RowCode:
    code: str | None
    how: str  # alias / resembles / position / unread (an OCR label garbled, named by place) / block / none
    finding: Finding | None = None


def code_of_label(section: str, template: str, row: LabeledRow, previous: str | None) -> RowCode:
    """A labelled row's code from its label path (the leaf first, then the whole path)."""
    parts = list(row.path)
    if section == "t4":
        block = match_block(parts) if parts else None
        return RowCode(block if block in T4_BLOCKS else None, "block")
    if not parts:
        return RowCode(None, "none")
    code = match_row(section, parts, previous)
    if code is not None:
        return RowCode(code, "alias")
    found = resemble_row(section, template, parts)
    if found is None and row.layout is Layout.POSITIONAL and len(parts) >= 2:
        # Positioned words of one label read apart at a wide letter gap (draw 36004: '行政许' '可', a Kai
        # face printed a character at a time): the leaf is the last two words together, when that names a row.
        parts = [*parts[:-2], parts[-2] + parts[-1]]
        code = match_row(section, parts, previous)
        if code is not None:
            return RowCode(code, "alias")
        found = resemble_row(section, template, parts)
    if found is None:
        return RowCode(None, "none")
    printed = parts[-1]
    if found.runner_up is not None:
        return RowCode(None, "none", Finding(
            "ambiguous_label", "error", f"label {printed!r} resembles both {found.code} and {found.runner_up}; "
            "its cells are left out", table=section, found=printed))
    return RowCode(found.code, "resembles", Finding(
        "label_variant", "info", f"label {printed!r} read as the template's {found.official!r} "
        f"(similarity {found.score:.2f})", table=section, row=found.code, found=printed))


def _order(template: str, section: str, codes: list[RowCode]) -> list[str]:
    """The template's rows in order; a 2021 report printing （六）其他处理 as one row has `other` instead of the
    three other.* rows."""
    rows = catalog().rows(template, section)
    if section == "t3" and "other" not in rows and any(c.code == "other" for c in codes):
        first = next((i for i, r in enumerate(rows) if r.startswith("other.")), len(rows))
        rows = [*rows[:first], "other", *[r for r in rows[first:] if not r.startswith("other.")]]
    return rows


def code_rows(table: LabeledTable, template: str) -> list[RowCode]:
    """Codes for every row: labels first, then rows without a label of their own by position."""
    section = table.section
    codes: list[RowCode] = []
    previous: str | None = None
    cat = catalog()
    # A table printing a column the template lacks (法人或其他组织 小计) has that many more values in a row.
    widths = Counter(len(r.values) for r in table.rows if r.label_source is LabelSource.OWN and r.values)
    usual = widths.most_common(1)[0][0] if widths else -1
    # Rows of their own label with fewer values than the usual: blank cells print nothing, and a row has
    # as many values as it has numbers (browser draw 50010: '4 0 4 0 8' of 7 cells).
    vanish = any(0 < width < usual for width in widths)
    for row in table.rows:
        found = code_of_label(section, template, row, previous)
        cols = len(cat.cols(template, section, found.code)) if found.code is not None else 0
        if row.label_source is LabelSource.ABOVE and found.code is not None and len(row.values) not in (
                cols, usual) and not (vanish and len(row.values) < max(cols, usual)):
            found = RowCode(None, "none")  # a weak label over values that do not make its row: a stray
        codes.append(found)
        if found.code is not None:
            previous = found.code
    if section == "t4":
        return codes
    return _by_position(table, template, codes, _order(template, section, codes))


def _by_position(table: LabeledTable, template: str, codes: list[RowCode], order: list[str]) -> list[RowCode]:
    """Rows without a label of their own (none at all, or only label-only lines found above them) between two
    rows labelled by their own cells take the template rows of that gap when they fill it exactly, in order:
    a rendering that lost or displaced labels keeps its rows in template order (sh_kewei_2024_md). After the
    last labelled row, unlabelled rows take the rows that follow it. A label found above that disagrees
    with the order gives way; one that does not fill a gap is kept only when it fits the order."""
    cat = catalog()
    index = {code: i for i, code in enumerate(order)}
    widths = {code: len(cat.cols(template, table.section, code)) for code in order}
    full = set(widths.values())
    rows = table.rows

    def anchor(i: int) -> bool:
        return codes[i].code in index and rows[i].label_source is not LabelSource.ABOVE

    def loose(i: int) -> bool:
        return (not rows[i].path or rows[i].label_source is LabelSource.ABOVE or unread(i)) \
            and rows[i].kind is not RowKind.BLANK and len(rows[i].values) in full

    def unread(i: int) -> bool:
        # A label recognition garbled ('(三/4.保护第二万石' for 4.保护第三方合法权益, draw 35004: its seven cells
        # lost): its place may name it, unsurely. Printed text is what it says: a label unknown there is unknown.
        return codes[i].code is None and rows[i].method.startswith("ocr")

    anchors = [i for i in range(len(rows)) if anchor(i)]
    bounds = [-1, *anchors, len(rows)]
    for lo, hi in zip(bounds, bounds[1:], strict=False):
        run = [i for i in range(lo + 1, hi) if loose(i)]
        if not run:
            continue
        prev = index[codes[lo].code or ""] if lo >= 0 else -1
        nxt = index[codes[hi].code or ""] if hi < len(rows) else None
        if nxt is None:
            unlabelled = [i for i in run if not rows[i].path]
            gap = order[prev + 1: prev + 1 + len(unlabelled)]
            if len(gap) == len(unlabelled) and not any(rows[i].path for i in run):
                _place(table, codes, unlabelled, gap, widths)
            continue
        gap = order[prev + 1: nxt]
        if len(gap) == len(run):
            _place(table, codes, run, gap, widths)
            continue
        for i in run:  # no exact fit: a label found above stays only where the order allows it
            at = index.get(codes[i].code or "")
            if at is not None and not prev < at < nxt:
                codes[i] = RowCode(None, "none", Finding(
                    "label_out_of_order", "warning", f"label {rows[i].path[-1]!r} found above a row breaks the "
                    "template's row order; the row is left out", table=table.section))
    return codes


def _place(table: LabeledTable, codes: list[RowCode], run: list[int], gap: list[str], widths: dict[str, int]) -> None:
    if not all(widths[g] == len(table.rows[i].values) for g, i in zip(gap, run, strict=True)):
        return
    for g, i in zip(gap, run, strict=True):
        was = codes[i].code
        row = table.rows[i]
        if was is None and row.path and row.label_source is not LabelSource.ABOVE:
            codes[i] = RowCode(g, "unread", Finding(
                "row_by_position", "warning", f"row label {row.path[-1]!r} unreadable, read as {g} from its place "
                "between labelled rows: its cells stand where the identities confirm them", table=table.section,
                row=g))
            continue
        note = f" (the label above it, {row.path[-1]!r}, says {was})" if was and was != g else ""
        codes[i] = RowCode(g, "position", Finding(
            "row_by_position", "warning", f"row without its own label read as {g} from its place between "
            f"labelled rows{note}", table=table.section, row=g))


T4_CELLS = 15  # 表四's cells in both templates
UNREAD_LABEL = 0.5  # the certainty of a cell whose row's label was unreadable and is named by its place alone


def map_table(table: LabeledTable, template: str, mapping: Mapping, align: Align = Align.CENTRE) -> None:
    section = table.section
    writer = CellWriter(section, template, mapping.cells, mapping.findings)
    headers: dict[int, HeaderMap] = {}
    cat = catalog()
    width = {code: len(cat.cols(template, section, code)) for code in cat.rows(template, section)}
    widths = set(width.values())
    codes = code_rows(table, template)
    columns = _column_models(table, template, codes)
    # 表四 has one row of fifteen cells and no labels: once a row holds most of them, a row of a few marks
    # beside it is a stray (a seal's remains read as '—' and '/', a page number), not 表四 again.
    t4_full = section == "t4" and any(2 * len(row.values) > T4_CELLS for row in table.rows)
    # Likewise a row whose label names a row read in full elsewhere, with a value or two (header words
    # run into a label holding 总计, and a mark beside them).
    full = {rc.code for row, rc in zip(table.rows, codes, strict=True) if len(row.values) == width.get(rc.code or "")}
    for index, (row, rc) in enumerate(zip(table.rows, codes, strict=True)):
        if rc.finding is not None:
            mapping.findings.append(rc.finding)
        mapping.row_codes.append((section, index, rc.code))
        shorter = rc.code in full and len(row.values) < width[rc.code or ""]
        if (shorter or t4_full and 2 * len(row.values) <= T4_CELLS) and any(v.text.strip() for v in row.values):
            mapping.findings.append(Finding("stray_values", "warning", "values outside any row (a page number, a "
                                            "note) ignored", table=section, found=" ".join(v.text for v in row.values)))
            continue
        if section != "t4" and rc.code is None:
            if row.path and len("".join(row.path)) <= 60:
                mapping.findings.append(Finding(
                    "unmapped_row", "warning", f"row {'/'.join(row.path)!r} maps to no canonical row",
                    table=section, found=" ".join(v.text for v in row.values)))
                beside = [table.rows[k] for k in (index - 1, index + 1) if 0 <= k < len(table.rows)]
                if len(row.values) >= min(widths) and any(v.text.strip() for v in row.values) and any(
                        r.kind is RowKind.BLANK for r in beside):
                    # A row read blank from a label line without values, beside a row's values whose label
                    # names nothing: those may be its (browser draw 60146: '4.保护第三方' read blank and
                    # '（三）合法权' 0 0 … left out, silently).
                    mapping.findings.append(Finding(
                        "unplaced_row", "error", f"values of a row whose label {'/'.join(row.path)!r} names "
                        "nothing, beside a row read blank: they may be its", table=section,
                        found=" ".join(v.text for v in row.values)))
            elif (not row.path or (rc.finding is not None and rc.finding.check == "label_out_of_order")) \
                    and any(v.text.strip() for v in row.values):
                # As many values as a row has: a row whose label was lost. Fewer: a page number or a stray.
                lost = len(row.values) in widths
                mapping.findings.append(Finding(
                    "unplaced_row" if lost else "stray_values", "error" if lost else "warning",
                    "a row of values without a label could not be placed" if lost else
                    "values outside any row (a page number, a note) ignored",
                    table=section, found=" ".join(v.text for v in row.values)))
            continue
        expected = expected_targets(section, template, rc.code)
        if not expected:
            mapping.findings.append(Finding(
                "unmapped_row", "warning", f"row {rc.code!r} does not exist in the {template} template",
                table=section, row=rc.code or ""))
            continue
        if section == "t3" and rc.code == "other" and template == "2021":
            mapping.findings.append(Finding(
                "single_other_row", "info", "（六）其他处理 is printed as one row, as in the 2019 template: its cells "
                "are under row code `other` (no other.* sub-rows)", table=section, row="other"))
        if row.kind is RowKind.BLANK:
            writer.blank_row(row, rc.code or "")
            continue
        key = id(row.header)
        if key not in headers:
            headers[key] = header_codes(section, template, row.header, _body_starts(table, row.header))
            headers[key].align = align
        _assign(row, rc, expected, headers[key], writer, mapping, columns.get((key, len(expected))))


def _body_starts(table: LabeledTable, header: Header | None) -> frozenset[int]:
    """The grid columns where the cells of the grid rows under `header` start."""
    return frozenset(cell.col0 for row in table.rows if row.header is header and row.layout is Layout.GRID
                     for cell in (*row.values, *([row.label_cell] if row.label_cell else [])))


def _column_models(table: LabeledTable, template: str, codes: list[RowCode]) -> dict[tuple[int, int], list[float]]:
    """For positioned PDF and OCR text: value columns from the alignment of the values of all rows of the
    same header and width."""
    groups: dict[tuple[int, int], list[LabeledRow]] = {}
    for row, rc in zip(table.rows, codes, strict=True):
        if row.layout is Layout.POSITIONAL and not row.method.startswith("text") and \
                (rc.code is not None or table.section == "t4"):
            width = len(expected_targets(table.section, template, rc.code))
            groups.setdefault((id(row.header), width), []).append(row)
    return {key: value_columns(rows) for key, rows in groups.items()}


def _assign(row: LabeledRow, rc: RowCode, expected: list[Target], header: HeaderMap, writer: CellWriter,
            mapping: Mapping, columns: list[float] | None = None) -> None:
    how, targets = place_values(row, header, expected, columns)
    section = writer.section
    values = list(row.values)
    if targets is None:
        token = glued_token(row, header, expected)
        if token is not None:
            # The rest of the row placed without the token and its columns; the token split by the identities.
            index, covered, subtotal = token
            rest = replace(row, values=tuple(v for i, v in enumerate(row.values) if i != index))
            left = [t for t in expected if t not in covered]
            how, targets = place_values(rest, header, left, columns)
            glued = row.values[index]
            pieces: tuple[str, ...] | None = (glued.text.strip(),)
            if targets is not None and subtotal:
                # A 小计 in the run: its digits are the organisations' sum, known from the rest of the row.
                pieces = without_subtotal(glued.text.strip(), covered, list(rest.values), targets)
                targets = targets if pieces is not None else None
            if targets is not None and pieces is not None:
                mapping.glued.append(GluedRun(section, tuple(covered), pieces, glued, row.method,
                                              "/".join(row.path)))
                values, expected = list(rest.values), left
    if targets is None:
        run = glued_run(row, expected, section)
        if run is not None:
            mapping.glued.append(run)
            return
        contest = place_contested(row, header, expected, columns)
        if contest is None:
            mapping.findings.append(Finding(
                "misaligned_row", "error", f"{len(row.values)} value cells for {len(expected)} columns; cells left "
                "empty", table=section, row=rc.code or "", found=" | ".join(v.text for v in row.values)))
            return
        how, targets = "position", contest[0]
        values = _with_rivals(values, contest[1], rc.code or "", section, mapping)
    if how == "header" and not _in_template_order(targets, expected):
        mapping.findings.append(Finding(
            "column_order", "error", "the header puts the columns of this row in another order than the template "
            "(a header cell added, lost or moved?): check which number belongs where", table=section,
            row=rc.code or "", found=" | ".join(v.text for v in row.values)))
    if how == "padded":
        mapping.findings.append(Finding("padded_row", "warning", "row ends early: trailing cells read as blank",
                                        table=section, row=expected[0][0]))
    positional = rc.how == "position"
    confidence = UNREAD_LABEL if rc.how == "unread" else 0.9 if positional or how == "position" else 1.0
    label = "/".join(row.path)
    for target, cell in zip(targets, values, strict=False):
        if target is not None:
            writer.emit(target, cell.text, cell, f"{row.method}:{how}", confidence, label)
    if how in ("position", "padded"):
        # Aligned text drops blank cells and some renderers drop trailing empty fields: the expected columns
        # with no cell are blank in the source.
        assigned = {t for t in targets if t is not None}
        for target in expected:
            if target not in assigned:
                writer.emit(target, "", values[-1], f"{row.method}:{how}", 0.9, label, blank=True)


CONTESTED = 0.3  # the certainty of a value that shares its column with another token of its row


def _with_rivals(values: list[RowCell], rivals: dict[int, list[int]], code: str, section: str, mapping: Mapping
                 ) -> list[RowCell]:
    """The row's values with each contested one unsure, its rivals' texts among its readings: the identities
    may choose among them, else the cell is flagged."""
    out = list(values)
    for kept, others in rivals.items():
        texts = tuple(values[i].text for i in others)
        cell = values[kept]
        out[kept] = replace(cell, confidence=min(cell.confidence, CONTESTED),
                            alternatives=(*cell.alternatives, *texts))
        mapping.findings.append(Finding(
            "contested_column", "warning", f"two tokens in one column: {cell.text!r} kept, nearer its centre, "
            f"{', '.join(repr(t) for t in texts)} beside it kept as another reading", table=section, row=code,
            found=" | ".join(v.text for v in values)))
    return out


def _in_template_order(targets: list[Target | None], expected: list[Target]) -> bool:
    index = {t: i for i, t in enumerate(expected)}
    placed = [index[t] for t in targets if t is not None and t in index]
    return placed == sorted(placed)


def glued_run(row: LabeledRow, expected: list[Target], section: str) -> GluedRun | None:
    """Fewer value cells than columns, all of them digit runs: the digits ran together. On a grid only a
    single cell may hold several values; aligned text may have several runs ('500000 5')."""
    nonblank = [v for v in row.values if v.text.strip()]
    pieces = tuple(v.text.strip() for v in nonblank)
    if not pieces or len(expected) <= len(pieces) or not all(p.isdigit() for p in pieces):
        return None
    if len(pieces) > 1 and (row.layout is not Layout.POSITIONAL or not row.method.startswith("text")):
        return None  # separate tokens of a PDF or a scan are separate cells, not a run cut in pieces
    return GluedRun(section, tuple(expected), pieces, nonblank[0], row.method, "/".join(row.path))


def map_tables(tables: list[LabeledTable], template: str) -> Mapping:
    mapping = Mapping(template=template)
    align = value_alignment([[row for row in table.rows if not row.method.startswith(("text", "ocr"))]
                             for table in tables])
    for table in tables:
        map_table(table, template, mapping, align)
    return mapping
