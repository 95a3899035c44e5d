"""Label text -> canonical row / column codes, driven by the alias tables in map/data/."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from extractor.normalize import norm, strip_enum


@dataclass(frozen=True)
class Alias:
    table: str
    code: str
    keys: tuple[str, ...]
    template: str = "*"

    def matches(self, key: str) -> bool:
        for k in self.keys:
            if k.startswith("="):
                if key == k[1:]:
                    return True
            elif k in key:
                return True
        return False


def _read(name: str) -> list[dict[str, str]]:
    text = resources.files("extractor.map.data").joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(line for line in text.splitlines() if line and not line.startswith("#")))


def _keys(any_of: str) -> tuple[str, ...]:
    return tuple(("=" + norm(k[1:])) if k.startswith("=") else norm(k) for k in any_of.split("|"))


@lru_cache(maxsize=1)
def row_aliases() -> tuple[Alias, ...]:
    return tuple(Alias(r["table"], r["row"], _keys(r["any_of"])) for r in _read("row_aliases.csv"))


@lru_cache(maxsize=1)
def col_aliases() -> tuple[Alias, ...]:
    return tuple(Alias(r["table"], r["col"], _keys(r["any_of"]), r["template"]) for r in _read("col_aliases.csv"))


@lru_cache(maxsize=1)
def template_signals() -> tuple[tuple[str, str], ...]:
    return tuple((r["template"], norm(r["key"])) for r in _read("template_signals.csv"))


@lru_cache(maxsize=16384)
def _first(kind: str, table: str, key: str, template: str | None = None) -> str | None:
    """The first alias of the `kind` table ("row" / "col") matching the key (cached: keys repeat a lot)."""
    for alias in row_aliases() if kind == "row" else col_aliases():
        if alias.table == table and (template is None or alias.template in ("*", template)):
            if alias.matches(key):
                return alias.code
    return None


def match_row(table: str, parts: list[str], previous: str | None, leaf_only: bool = False) -> str | None:
    """The row code for a label path (top-down parts). `previous` is the row mapped just before.

    The leaf (last part) decides first; the whole path only when the leaf alone says nothing and
    `leaf_only` is off (a label wrapped over two lines, a group label carrying the meaning).
    """
    keys = [strip_enum(norm(p)) for p in parts if norm(p)]
    if not keys:
        return None
    leaf, path = keys[-1], "/".join(keys)
    found = _first("row", table, leaf)
    if found is None and table == "t3":
        # "3.其他" is only a row under （六）其他处理; a lone （六）其他处理 row is the 2019 / hybrid `other`.
        if leaf in ("其他", "其它"):
            if "其他处理" in path or (previous or "").startswith("other."):
                return "other.other"
            return None
        if leaf.startswith("其他处理"):
            return "other"
    if found is None and len(keys) > 1 and not leaf_only:
        found = _first("row", table, path)
    return found


def starts_with_enum(text: str) -> bool:
    """True when the text opens with list numbering: the start of a new row label."""
    key = norm(text)
    return bool(key) and strip_enum(key) != key


def match_col(table: str, header_path: list[str], template: str) -> str | None:
    """The column code for a header path (top-down), matched on the deepest header first."""
    keys = [strip_enum(norm(p)) for p in header_path if norm(p)]
    for key in reversed(keys):
        found = _first("col", table, key, template)
        if found is not None:
            return found
    return None


def match_block(header_path: list[str]) -> str | None:
    """表四 block (review / suit_direct / suit_after_review) of a header path."""
    return _first("row", "t4", "/".join(norm(p) for p in header_path))


def detect_template(texts: list[str], year: int | None) -> str:
    keyed = norm("".join(texts))
    score = {"2019": 0, "2021": 0}
    for template, key in template_signals():
        if key in keyed:
            score[template] += 1
    if score["2019"] != score["2021"]:
        return max(score, key=lambda t: score[t])
    if year is not None:
        return "2019" if year <= 2020 else "2021"
    return "2021"
