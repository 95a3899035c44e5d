"""The tables' own arithmetic (勾稽关系) as equations over canonical keys, per OUTPUT.md I1-I4.

Used by the validator to report, and by the mapper to pick the single split of a glued digit run.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache

from extractor.codes import catalog

Key = tuple[str, str, str]  # (table, row, col)

T3_COLS = ("natural", "commercial", "research", "social", "legal", "other", "total")
T3_APPLICANTS = T3_COLS[:-1]
T4_BLOCKS = ("review", "suit_direct", "suit_after_review")
T4_PARTS = ("upheld", "corrected", "other", "pending")


@dataclass(frozen=True)
class Equation:
    check: str
    table: str
    row: str
    col: str
    lhs: tuple[Key, ...]
    rhs: tuple[Key, ...]
    total: Key  # the cell whose blank makes a failure not_assessable

    @property
    def keys(self) -> tuple[Key, ...]:
        return self.lhs + self.rhs

    def holds(self, values: Mapping[Key, int | Decimal]) -> bool | None:
        """Whether the equation holds for these values; None when a cell of it has no value."""
        if not all(k in values for k in self.keys):
            return None
        return sum(values[k] for k in self.lhs) == sum(values[k] for k in self.rhs)


def t3_leaf_rows(template: str, present_rows: Iterable[str]) -> list[str]:
    rows = catalog().rows(template, "t3")
    leaves = [r for r in rows if r not in ("new", "carried", "total", "pending")]
    present = set(present_rows)
    if "other" in present and "other" not in leaves and not any(r.startswith("other.") for r in present):
        leaves = [r for r in leaves if not r.startswith("other.")] + ["other"]
    return leaves


def equations(template: str, present_rows: Iterable[str]) -> list[Equation]:
    present = set(present_rows)
    single_other = "other" in present and not any(r.startswith("other.") for r in present)
    return list(_equations(template, single_other))


@lru_cache(maxsize=8)
def _equations(template: str, single_other: bool) -> tuple[Equation, ...]:
    leaves = t3_leaf_rows(template, ["other"] if single_other else [])
    t3_rows = ["new", "carried"] + leaves + ["total", "pending"]
    eqs: list[Equation] = []
    for col in T3_COLS:
        eqs.append(Equation("I1", "t3", "", col, (("t3", "new", col), ("t3", "carried", col)),
                            (("t3", "total", col), ("t3", "pending", col)), ("t3", "total", col)))
    for col in T3_COLS:
        eqs.append(Equation("I2", "t3", "total", col, (("t3", "total", col),),
                            tuple(("t3", r, col) for r in leaves), ("t3", "total", col)))
    for row in t3_rows:
        eqs.append(Equation("I3", "t3", row, "total", (("t3", row, "total"),),
                            tuple(("t3", row, c) for c in T3_APPLICANTS), ("t3", row, "total")))
    for block in T4_BLOCKS:
        eqs.append(Equation("I4", "t4", block, "total", (("t4", block, "total"),),
                            tuple(("t4", block, p) for p in T4_PARTS), ("t4", block, "total")))
    return tuple(eqs)
