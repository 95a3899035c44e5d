"""The template's vocabulary: label text -> canonical row / column codes, from the alias tables in data/.

Shared by the layout stage (does this line name a row? is it a header?) and the mapper (which code?).
Aliases are substrings of the normalised label; labels as printed that no alias covers (typos, dropped
characters) are compared with the official labels of canonical_cells.csv by `resemble_row`.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import lru_cache
from importlib import resources

from extractor.codes import catalog
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
    text = resources.files("extractor.lexicon.data").joinpath(name).read_text(encoding="utf-8")
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
            own = enum_of(parts[-1])
            if own is not None and own[0] == 2:
                return "other"  # （六）其他处理 itself, wrapped after '其他' (browser draw 50010)
            # Under （六）其他处理, by its words or its numbering (a group label cut short: '（六）其').
            sixth = any(norm(p).startswith("(六)") for p in parts[:-1])
            if "其他处理" in path or sixth or (previous or "").startswith("other."):
                return "other.other"
            return None
        if leaf.startswith("其他处理"):
            return "other"
    # A numbered leaf is a row label of its own: its group's words ('三、本年(一)予以公开' read as one group
    # line) must not name it when the leaf itself is cut short.
    if found is None and len(keys) > 1 and not leaf_only and not starts_with_enum(parts[-1]):
        found = _first("row", table, path)
    return found


def starts_with_enum(text: str) -> bool:
    """True when the text opens with list numbering: the start of a new row label."""
    key = norm(text)
    return bool(key) and strip_enum(key) != key


@lru_cache(maxsize=16384)
def _cols_named(table: str, key: str, template: str) -> frozenset[str]:
    return frozenset(a.code for a in col_aliases()
                     if a.table == table and a.template in ("*", template) and a.matches(key))


def cols_named(table: str, header_path: list[str], template: str) -> frozenset[str]:
    """The column codes the deepest header of a path that names any names: one, or several for two header
    cells read as one where the rule between them was lost ('上一年项目数量本年增/减')."""
    keys = [strip_enum(norm(p)) for p in header_path if norm(p)]
    for depth, key in enumerate(reversed(keys)):
        found = _cols_named(table, key, template)
        if not found and depth == 1:
            # A header word cut in two by a stray stroke read as a rule ('自然' over '人'): the deepest two.
            found = _cols_named(table, keys[-2] + keys[-1], template)
        if found:
            return found
    return frozenset()


def match_col(table: str, header_path: list[str], template: str) -> str | None:
    """The column code for a header path (top-down), matched on the deepest header first; None for a
    header that names two columns (it is neither)."""
    found = cols_named(table, header_path, template)
    return next(iter(found)) if len(found) == 1 else None


def match_block(header_path: list[str]) -> str | None:
    """表四 block (review / suit_direct / suit_after_review) of a header path; None for a header that names
    several blocks (a whole 表四 header on one line)."""
    key = "/".join(norm(p) for p in header_path)
    found = _first("row", "t4", key)
    if found is not None and len(blocks_named(key)) > 1:
        return None
    return found


def blocks_named(key: str) -> set[str]:
    """The 表四 blocks a normalised text mentions."""
    named = set()
    if "未经复议" in key or "直接起诉" in key:
        named.add("suit_direct")
    if "复议后起诉" in key:
        named.add("suit_after_review")
    if "行政复议" in key.replace("复议后起诉", ""):
        named.add("review")
    return named


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


# List numbering of the template's row labels: 一、 (level 1), （一） (level 2), 1. (level 3).
_LEVEL1 = re.compile(r"^([一二三四五六七八九十]{1,3})[、.]")
_LEVEL2 = re.compile(r"^\(([一二三四五六七八九十]{1,3})(?:\)|$)")  # '（三' alone: a group label wrapped
_LEVEL3 = re.compile(r"^([0-9]{1,2})\.(?![0-9])")


def enum_of(text: str) -> tuple[int, str] | None:
    """(level, numeral) of the list numbering a label opens with, or None."""
    key = norm(text)
    for level, pattern in ((1, _LEVEL1), (2, _LEVEL2), (3, _LEVEL3)):
        m = pattern.match(key)
        if m:
            return level, m.group(1)
    return None


@dataclass(frozen=True)
class OfficialRow:
    code: str
    parts: tuple[str, ...]  # normalised official label path, numbering stripped
    enums: tuple[tuple[int, str], ...]  # numbering of each part that has one


@lru_cache(maxsize=8)
def official_rows(template: str, table: str) -> tuple[OfficialRow, ...]:
    cat = catalog()
    out = []
    for code in cat.rows(template, table):
        spec = cat.get(template, table, code, cat.cols(template, table, code)[0])
        if spec is None:
            continue
        raw_parts = spec.row_label.split("/")
        enums = tuple(e for e in (enum_of(p) for p in raw_parts) if e is not None)
        out.append(OfficialRow(code, tuple(strip_enum(norm(p)) for p in raw_parts), enums))
    return tuple(out)


@dataclass(frozen=True)
class Resemblance:
    code: str
    official: str
    score: float
    runner_up: str | None  # the next-best row when it comes close: the two compete
    runner_score: float


def _ratio(a: str, b: str) -> float:
    """How alike a printed label is to an official one. The first line of a label wrapped in a narrow column
    ('其他法律' of 其他法律行政法规禁止公开) is its beginning, however short: a prefix scores above a mere
    resemblance of the same length (其他法律 is more 其他法律… than 其他)."""
    ratio = SequenceMatcher(None, a, b, autojunk=False).ratio()
    head = a.rstrip(LINE_END_PUNCTUATION)  # the first line of '其他法律、行政法规…' ends at its 、
    if len(head) >= MIN_RESEMBLE_CHARS and len(head) < len(b) and b.startswith(head):
        ratio = max(ratio, PREFIX_BASE + (1 - PREFIX_BASE) * len(head) / len(b))
    return ratio


LINE_END_PUNCTUATION = "、，,；;：:"
PREFIX_BASE = 0.6  # a label's first line scores from this (a bare prefix) up towards 1 (the whole label)


def _by_numbering(rows: tuple[OfficialRow, ...], parts: list[str]) -> set[str]:
    """Rows whose numbering ends with the printed numbering (group and leaf), when the leaf is numbered."""
    printed = tuple(e for e in (enum_of(p) for p in parts) if e is not None)
    if not printed or enum_of(parts[-1]) is None:
        return set()
    return {r.code for r in rows if len(r.enums) >= len(printed) and r.enums[-len(printed):] == printed}


MIN_RESEMBLE_CHARS = 4  # shorter leaves (其他, 合计) are words, not typos of a longer label


@lru_cache(maxsize=8)
def group_labels(template: str, table: str) -> frozenset[str]:
    """The official group labels (三、本年度办理结果, （三）不予公开 ...): path parts above a leaf, normalised."""
    return frozenset(part for r in official_rows(template, table) for part in r.parts[:-1])


@lru_cache(maxsize=8)
def column_words(template: str, table: str) -> frozenset[str]:
    """Every run of two or more characters inside the table's column labels (商业, 法律服务, 其他 ...)."""
    return _pieces({norm(part) for s in catalog().specs if s.template == template and s.table == table
                    for part in s.col_label.split("/")})


@lru_cache(maxsize=16)
def column_leaves(template: str, table: str) -> tuple[str, ...]:
    """A table's column header words (the leaves of the catalogue's column labels), longest first."""
    leaves = {norm(_leaf(spec.col_label)) for spec in catalog().specs
              if spec.template == template and spec.table == table and spec.col_label}
    return tuple(sorted((w for w in leaves if len(w) >= 2), key=len, reverse=True))


def _leaf(label: str) -> str:
    """A column label's own word: after its groups' ('法人或其他组织/商业企业'), but '本年增/减' is one word."""
    head, _, tail = label.rpartition("/")
    return tail if head and len(tail) > 1 else label


@lru_cache(maxsize=1)
def all_column_leaves() -> frozenset[str]:
    """Every table's column header words of both templates (本年新制作数量, 上一年项目数量, 自然人, 结果维持 ...)."""
    return frozenset(word for s in catalog().specs for word in column_leaves(s.template, s.table))


def _pieces(words: set[str]) -> frozenset[str]:
    """Every run of two or more characters inside the words."""
    return frozenset(w[i:j] for w in words for i in range(len(w)) for j in range(i + 2, len(w) + 1))


@lru_cache(maxsize=1)
def any_column_words() -> frozenset[str]:
    """Pieces of every header word: column_words of every table of both templates, and of 表四's blocks
    (行政复议, 复议后起诉 ...: its header words though rows of the code list)."""
    blocks = {norm(part) for s in catalog().specs if s.table == "t4" for part in s.row_label.split("/")}
    return frozenset().union(*(column_words(s.template, s.table) for s in catalog().specs), _pieces(blocks))


def of_column_words(text: str, words: frozenset[str]) -> bool:
    """Whether `text` is made only of pieces of column labels: a header line read as a row ('法律其他' under
    法律服务机构 and 其他, '商业科研') resembles no row, however close one of its pieces comes to a row's label."""
    return bool(text) and bool(_fewest_pieces(text, words)[1])


def split_column_words(text: str) -> list[str] | None:
    """`text` as the fewest pieces of header words it is made of, when it is none itself and one split is the
    only fewest ('结果纠其他结': 结果纠 of 结果纠正, 其他结 of 其他结果); None otherwise."""
    words = any_column_words()
    if len(text) < 4 or text in words:
        return None
    count, splits = _fewest_pieces(text, words)
    return splits[0] if len(splits) == 1 and count > 1 else None


def _fewest_pieces(text: str, words: frozenset[str]) -> tuple[int, list[list[str]]]:
    """(the fewest pieces of `words` that make `text`, up to two splits into that many; none: no split)."""
    fewest = [0] + [len(text) + 1] * len(text)  # fewest[end]: pieces making text[:end]
    empty: list[str] = []
    ways: list[list[list[str]]] = [[empty]] + [[] for _ in text]
    for end in range(2, len(text) + 1):
        for begin in range(end - 1):
            piece = text[begin:end]
            if not ways[begin] or piece not in words or fewest[begin] + 1 > fewest[end]:
                continue
            made = [[*split, piece] for split in ways[begin]]
            ways[end] = (made if fewest[begin] + 1 < fewest[end] else ways[end] + made)[:2]
            fewest[end] = fewest[begin] + 1
    return fewest[-1], ways[-1]


def resemble_row(table: str, template: str, parts: list[str]) -> Resemblance | None:
    return _resemble_row(table, template, tuple(parts))


@lru_cache(maxsize=4096)
def _resemble_row(table: str, template: str, parts: tuple[str, ...], min_score: float = 0.6,
                  numbered_min: float = 0.45, margin: float = 0.15) -> Resemblance | None:
    """The official row a label printed with typos or dropped characters stands for, or None.

    The leaf is compared with every official leaf label of the table. A row is taken when it is the best by
    `margin` with at least `min_score`, or when the printed numbering (group and leaf) names it and it
    reaches `numbered_min`. A close runner-up is returned too: the caller reports the competition."""
    leaf = strip_enum(norm(parts[-1])) if parts else ""
    if len(leaf) < MIN_RESEMBLE_CHARS or of_column_words(leaf, column_words(template, table)):
        return None
    rows = official_rows(template, table)
    scored = sorted(((_ratio(leaf, r.parts[-1]), r) for r in rows), key=lambda t: -t[0])
    if not scored:
        return None
    groups = group_labels(template, table)
    if leaf in groups or any(_ratio(leaf, g) > scored[0][0] for g in groups):
        return None  # a group label (（三）不予公开 is not a typo of 予以公开)
    numbered = _by_numbering(rows, list(parts))
    best_score, best = scored[0]
    runner = next(((s, r) for s, r in scored[1:] if r.code != best.code), (0.0, None))
    if numbered and best.code not in numbered:
        within = [(s, r) for s, r in scored if r.code in numbered]
        if within and within[0][0] >= numbered_min and within[0][0] >= best_score - margin:
            runner = (best_score, best)
            best_score, best = within[0]
    # A leaf longer than a short official label that holds it is another phrase, not a typo of it ('…不计其他情形'
    # is no 其他: draw 32030, the wrapped end of 部分公开's label became a blank 其他 row); numbering may still say so.
    short = len(best.parts[-1]) < MIN_RESEMBLE_CHARS
    take = best_score >= min_score and best_score - runner[0] >= margin and not short
    take = take or (best.code in numbered and best_score >= numbered_min)
    if not take:
        return None
    close = runner[1] is not None and best_score - runner[0] < margin
    return Resemblance(best.code, best.parts[-1], best_score, runner[1].code if close and runner[1] else None,
                       runner[0])
