"""Truth values and the template's layout for the synthetic corpus (used by make_corpus.py)."""

from __future__ import annotations

import argparse
import csv
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent
SPEC = ROOT.parent / "extractor" / "spec" / "canonical_cells.csv"
T3_COLS = ["natural", "commercial", "research", "social", "legal", "other", "total"]
T4_BLOCKS = ["review", "suit_direct", "suit_after_review"]
T4_PARTS = ["upheld", "corrected", "other", "pending", "total"]
NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


def spec_rows() -> list[dict[str, str]]:
    with SPEC.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


SPEC_ROWS = spec_rows()


def rows_of(template: str, table: str) -> list[str]:
    return list(dict.fromkeys(r["row"] for r in SPEC_ROWS if r["template"] == template and r["table"] == table))


def label_of(template: str, table: str, row: str) -> str:
    return next(r["row_label"] for r in SPEC_ROWS if (r["template"], r["table"], r["row"]) == (template, table, row))


def cols_of(template: str, table: str, row: str) -> list[tuple[str, str]]:
    return [(r["col"], r["col_label"]) for r in SPEC_ROWS
            if (r["template"], r["table"], r["row"]) == (template, table, row)]


@dataclass
class Truth:
    template: str
    values: dict[tuple[str, str, str], object] = field(default_factory=dict)  # None = blank in source
    hybrid_other: bool = False

    def get(self, table: str, row: str, col: str) -> object:
        return self.values[(table, row, col)]

    def t3_rows(self) -> list[str]:
        rows = rows_of(self.template, "t3")
        if self.hybrid_other:
            i = rows.index("other.no_correction")
            rows = rows[:i] + ["other"] + [r for r in rows[i:] if not r.startswith("other.")]
        return rows


def make_truth(template: str, rng: random.Random, big: bool = False, hybrid_other: bool = False,
               small_t2: bool = False) -> Truth:
    truth = Truth(template, hybrid_other=hybrid_other)
    v = truth.values
    scale = 2000 if big else 12
    for row in rows_of(template, "t2"):
        for col, _ in cols_of(template, "t2", row):
            if col == "change":
                v[("t2", row, col)] = rng.randint(-5, 5)
            elif col == "amount_wan":
                v[("t2", row, col)] = Decimal(f"{rng.randint(0, 900)}.{rng.randint(0, 99):02d}")
            elif col == "amount":
                v[("t2", row, col)] = f"{rng.randint(1, 500)}.{rng.randint(0, 99):02d}万元"
            else:
                v[("t2", row, col)] = rng.choice([0, 0, rng.randint(1, 9 if small_t2 else scale * 10)])
    rows = truth.t3_rows()
    leaves = [r for r in rows if r not in ("new", "carried", "total", "pending")]
    for col in T3_COLS[:-1]:
        active = col in ("natural", "commercial") or rng.random() < 0.3
        for leaf in leaves:
            v[("t3", leaf, col)] = rng.choice([0, 0, 0, rng.randint(1, scale)]) if active else 0
        total = sum(v[("t3", leaf, col)] for leaf in leaves)  # type: ignore[misc]
        v[("t3", "total", col)] = total
        carried = rng.randint(0, min(total, 3))
        pending = rng.randint(0, 3) if active else 0
        v[("t3", "carried", col)] = carried
        v[("t3", "pending", col)] = pending
        v[("t3", "new", col)] = total + pending - carried
    for row in rows:
        v[("t3", row, "total")] = sum(v[("t3", row, c)] for c in T3_COLS[:-1])  # type: ignore[misc]
    for block in T4_BLOCKS:
        parts = [rng.choice([0, 0, rng.randint(1, 4)]) for _ in range(4)]
        for part, n in zip(T4_PARTS[:4], parts, strict=True):
            v[("t4", block, part)] = n
        v[("t4", block, "total")] = sum(parts)
    return truth


# ---------------------------------------------------------------- value rendering

@dataclass
class Style:
    blank: str | None = None  # render zeros as this blank marker ("" / "—" / "/"); truth becomes empty
    blank_rate: float = 0.0
    blank_tables: tuple[str, ...] = ("t2", "t3", "t4")
    fullwidth: bool = False
    thousands: bool = False
    traditional: bool = False
    total_only_summary: bool = False  # 总计 column blank except on summary rows


def fmt_value(value: object, style: Style, rng: random.Random) -> tuple[str, object]:
    """(cell text, truth value) — blanks replace some zeros, and then the truth is empty."""
    if value == 0 and style.blank is not None and rng.random() < style.blank_rate:
        return style.blank, None
    if isinstance(value, int):
        text = f"{value:,}" if style.thousands and abs(value) >= 1000 else str(value)
    else:
        text = str(value)
    if style.fullwidth:
        text = "".join(chr(ord(ch) + 0xFEE0) if "0" <= ch <= "9" else ch for ch in text)
    return text, value


TRAD = {"发": "發", "处": "處", "规": "規", "范": "範", "证": "證", "许": "許", "强": "強", "结": "結",
        "转": "轉", "请": "請", "数": "數", "机": "機", "构": "構", "门": "門", "织": "織", "业": "業", "务": "務",
        "复": "復", "议": "議", "诉": "訴", "讼": "訟", "维": "維", "纠": "糾", "审": "審", "计": "計", "关": "關",
        "属": "屬", "国": "國", "与": "與", "获": "獲", "确": "確", "认": "認", "现": "現", "报": "報", "况": "況",
        "动": "動", "开": "開", "内": "內", "执": "執", "卷": "卷", "询": "詢", "项": "項", "过": "過", "达": "達",
        "检": "檢", "费": "費", "办": "辦", "经": "經", "无": "無", "缴": "繳", "纳": "納", "补": "補", "县": "縣",
        "县人民": "縣人民", "政": "政", "书": "書", "质": "質", "讯": "訊", "间": "間", "仍": "仍", "话": "話"}


def trad(text: str, style: Style) -> str:
    if not style.traditional:
        return text
    return "".join(TRAD.get(ch, ch) for ch in text)


@dataclass
class Rendered:
    """The truth as the document shows it: every cell's text, plus the truth values after blanking."""

    text: dict[tuple[str, str, str], str] = field(default_factory=dict)
    truth: dict[tuple[str, str, str], object] = field(default_factory=dict)


def render_values(truth: Truth, style: Style, rng: random.Random) -> Rendered:
    out = Rendered()
    summary = {"new", "carried", "total", "pending"}
    for key, value in truth.values.items():
        table, row, col = key
        if style.total_only_summary and table == "t3" and col == "total" and row not in summary:
            out.text[key], out.truth[key] = "", None
            continue
        if table in style.blank_tables:
            out.text[key], out.truth[key] = fmt_value(value, style, rng)
        else:
            out.text[key], out.truth[key] = fmt_value(value, Style(fullwidth=style.fullwidth), rng)
    return out


# ---------------------------------------------------------------- document structure

def t2_blocks(template: str) -> list[tuple[str, list[str]]]:
    """表二 sub-tables: (第二十条 heading, rows)."""
    blocks: dict[str, list[str]] = {}
    for row in rows_of(template, "t2"):
        heading = label_of(template, "t2", row).split("/")[0]
        blocks.setdefault(heading, []).append(row)
    return list(blocks.items())


def t3_label_parts(truth: Truth, row: str) -> list[str]:
    if row == "other":
        return ["三、本年度办理结果", "（六）其他处理"]
    return label_of(truth.template, "t3", row).split("/")


def prose_title(agency: str, year: int) -> str:
    return f"{agency}{year}年政府信息公开工作年度报告"


def general_paragraph(truth: Truth, r: Rendered, claimed_delta: int = 0) -> str:
    n = truth.get("t3", "new", "total")
    if claimed_delta and claimed_delta == truth.get("t3", "carried", "total"):
        claimed_delta += 1  # would equal 新收 + 结转, which the check accepts as a total received
    return (f"本年度，本机关坚持以公开为常态、不公开为例外。全年共收到政府信息公开申请{int(n) + claimed_delta}件"  # type: ignore[call-overload]
            "，均在法定期限内予以答复。")


HEADINGS = {
    "t2": "二、主动公开政府信息情况",
    "t3": "三、收到和处理政府信息公开申请情况",
    "t4": "四、政府信息公开行政复议、行政诉讼情况",
}




def write_case_files(folder: Path, template: str, rendered: Rendered, meta: dict[str, object]) -> None:
    """truth.csv (template,table,row,col,value; empty where the source cell is blank) and meta.json."""
    with (folder / "truth.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["template", "table", "row", "col", "value"])
        for (table, row, col), value in sorted(rendered.truth.items()):
            w.writerow([template, table, row, col, "" if value is None else value])
    write_meta(folder, meta)


def write_meta(folder: Path, meta: dict[str, object]) -> None:
    """meta.json: the case's facts (source kind, template, the draw, source-side inconsistencies)."""
    import json

    (folder / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1, default=str) + "\n",
                                      encoding="utf-8")


def draw_cli(write: Callable[[Path, int], Path], doc: str, default_count: int, what: str) -> None:
    """The command line of a seeded generator: `OUT --count N --seed S` writes one case per seed."""
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--count", type=int, default=default_count)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    for seed in range(args.seed, args.seed + args.count):
        write(args.out, seed)
    print(f"{args.count} {what} in {args.out}")
