"""`extractor trace FILE`: what each stage produced, as JSON, so that a bug is found by reading."""

from __future__ import annotations

from typing import Any

from extractor.model import Header, LabeledTable, LogicalRow, Paragraph, SourceDoc, Table

MAX_TEXT = 80


def _short(text: str) -> str:
    text = text.replace("\n", "⏎")
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def doc_json(doc: SourceDoc) -> dict[str, Any]:
    blocks: list[dict[str, Any]] = []
    for block in doc.blocks:
        if isinstance(block, Paragraph):
            blocks.append({"paragraph": _short(block.text)})
        elif isinstance(block, Table):
            blocks.append({"table": block.index, "method": block.method, "rows": block.n_rows, "cols": block.n_cols,
                           "pages": list(block.pages), "cells": len(block.cells)})
    return {"kind": doc.kind, "pages": doc.n_pages, "notes": list(doc.notes), "problems": list(doc.problems),
            "blocks": blocks}


def rows_json(rows: list[tuple[str, list[LogicalRow]]]) -> list[dict[str, Any]]:
    out = []
    for section, group in rows:
        out.append({"section": section, "table": group[0].table.index if group else None,
                    "rows": [{"row": r.index, "layout": r.layout.value,
                              "cells": [("↓" if c.carried else "") + _short(c.text) for c in r.cells]}
                             for r in group]})
    return out


def _header(header: Header | None) -> list[str] | None:
    if header is None:
        return None
    return [f"col {col}: {' / '.join(_short(p) for p in path)}" for col, path in header.paths] or \
        [f"x {x0:.0f}-{x1:.0f}: {_short(w)}" for x0, x1, w in header.words]


def tables_json(tables: list[LabeledTable]) -> list[dict[str, Any]]:
    out = []
    for table in tables:
        headers: dict[int, Any] = {}
        rows = []
        for row in table.rows:
            if id(row.header) not in headers:
                headers[id(row.header)] = {"header": len(headers), "columns": _header(row.header)}
            rows.append({"path": [_short(p) for p in row.path], "values": [c.text for c in row.values],
                         "kind": row.kind.value, "label": row.label_source.value, "rows": list(row.source_rows),
                         "pages": list(row.pages), "header": headers[id(row.header)]["header"],
                         "rules": list(row.rules)})
        out.append({"section": table.section, "pages": list(table.pages), "headers": list(headers.values()),
                    "rows": rows, "notes": list(table.notes)})
    return out
