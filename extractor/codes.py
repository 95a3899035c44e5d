"""The canonical cell catalogue (../shared/spec/canonical_cells.csv, shipped as package data)."""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources

TEMPLATES = ("2019", "2021")
TABLES = ("t2", "t3", "t4")
# 2021 reports that print （六）其他处理 as one row use the 2019 code `other` (OUTPUT.md).
HYBRID_ROW = "other"


@dataclass(frozen=True)
class CodeSpec:
    template: str
    table: str
    row: str
    col: str
    row_label: str
    col_label: str
    kind: str


@dataclass(frozen=True, eq=False)  # identity hash: one catalogue per process
class Catalog:
    specs: tuple[CodeSpec, ...]
    index: dict[tuple[str, str, str, str], CodeSpec] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "index", {(s.template, s.table, s.row, s.col): s for s in self.specs})

    def get(self, template: str, table: str, row: str, col: str) -> CodeSpec | None:
        spec = self.index.get((template, table, row, col))
        if spec is None and row == HYBRID_ROW:
            spec = self.index.get(("2019", table, row, col))
        return spec

    def rows(self, template: str, table: str) -> list[str]:
        return list(_rows(self, template, table))

    def cols(self, template: str, table: str, row: str) -> list[str]:
        cols = list(_cols(self, template, table, row))
        if not cols and row == HYBRID_ROW:
            cols = self.cols("2019", table, row)
        return cols

    def table_cols(self, template: str, table: str) -> list[str]:
        return list(dict.fromkeys(s.col for s in self.specs if s.template == template and s.table == table))


@lru_cache(maxsize=64)
def _rows(cat: Catalog, template: str, table: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys(s.row for s in cat.specs if s.template == template and s.table == table))


@lru_cache(maxsize=512)
def _cols(cat: Catalog, template: str, table: str, row: str) -> tuple[str, ...]:
    return tuple(s.col for s in cat.specs if (s.template, s.table, s.row) == (template, table, row))


@lru_cache(maxsize=1)
def catalog() -> Catalog:
    text = resources.files("extractor.spec").joinpath("canonical_cells.csv").read_text(encoding="utf-8")
    specs = tuple(
        CodeSpec(r["template"], r["table"], r["row"], r["col"], r["row_label"], r["col_label"], r["kind"])
        for r in csv.DictReader(text.splitlines())
    )
    return Catalog(specs)
