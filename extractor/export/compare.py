"""Writing the year-over-year comparison (extractor.compare): per agency a CSV of its comparable values by
year, the changes between consecutive years, the cross-year checks, and a PNG chart of the main series;
an index page links them (and the review site shows it)."""

from __future__ import annotations

import csv
import html
from decimal import Decimal
from pathlib import Path

from extractor.compare import AgencyYears
from extractor.export.records import csv_safe

COLORS = [(31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40), (148, 103, 189)]


def chart(group: AgencyYears, path: Path, size: tuple[int, int] = (720, 380)) -> None:
    """Lines of the main series over the years, drawn with Pillow (labels in ASCII: no font needed)."""
    from PIL import Image, ImageDraw

    series = group.series()
    years = sorted(group.values)
    image = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(image)
    left, top, right, bottom = 60, 20, size[0] - 220, size[1] - 40
    top_value = max([float(v) for points in series.values() for v in points.values()] + [1.0])
    draw.rectangle([left, top, right, bottom], outline=(120, 120, 120))

    def xy(year: int, value: float) -> tuple[float, float]:
        x = left + (right - left) * (years.index(year) / max(len(years) - 1, 1))
        return x, bottom - (bottom - top) * value / top_value

    for k in range(5):
        value = top_value * k / 4
        y = bottom - (bottom - top) * k / 4
        draw.line([left - 4, y, left, y], fill=(120, 120, 120))
        draw.text((4, y - 6), f"{value:.0f}", fill=(60, 60, 60))
    for year in years:
        x, _ = xy(year, 0)
        draw.text((x - 14, bottom + 8), str(year), fill=(60, 60, 60))
    for (name, points), color in zip(series.items(), COLORS, strict=False):
        coords = [xy(y, float(v)) for y, v in sorted(points.items())]
        if len(coords) > 1:
            draw.line(coords, fill=color, width=3)
        for x, y in coords:
            draw.ellipse([x - 4, y - 4, x + 4, y + 4], fill=color)
        legend_y = top + 20 * list(series).index(name)
        draw.rectangle([right + 12, legend_y + 3, right + 24, legend_y + 13], fill=color)
        draw.text((right + 30, legend_y), name, fill=(40, 40, 40))
    image.save(path)


def _number(value: object) -> str:
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def write_compare(out: Path, groups: list[AgencyYears]) -> Path:
    folder = out / "compare"
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    with (folder / "changes.csv").open("w", encoding="utf-8", newline="") as f_changes, \
            (folder / "checks.csv").open("w", encoding="utf-8", newline="") as f_checks:
        changes = csv.writer(f_changes)
        changes.writerow(["agency", "code", "year_before", "value_before", "year", "value", "change"])
        checks = csv.writer(f_checks)
        checks.writerow(["agency", "doc_id", "check", "severity", "table", "row", "col", "expected", "found",
                         "message"])
        for n, group in enumerate(sorted(groups, key=lambda g: g.agency)):
            slug = f"agency{n:03d}"
            years = sorted(group.values)
            codes = sorted({code for values in group.values.values() for code in values})
            with (folder / f"{slug}.csv").open("w", encoding="utf-8", newline="") as f:
                table = csv.writer(f)
                table.writerow(["code", *years])
                for code in codes:
                    table.writerow([code, *(_number(group.values[y].get(code, "")) for y in years)])
            for code, before, a, year, b in group.changes():
                changes.writerow([csv_safe(group.agency), code, before, _number(a), year, _number(b),
                                  _number(b - a)])
            for doc_id, finding in group.findings:
                checks.writerow([csv_safe(group.agency), csv_safe(doc_id), finding.check, finding.severity,
                                 finding.table, finding.row, finding.col, finding.expected, finding.found,
                                 finding.message])
            chart(group, folder / f"{slug}.png")
            findings = "".join(f"<li>[{html.escape(f.severity)}] {html.escape(f.check)} {html.escape(doc)}: "
                               f"{html.escape(f.message)}</li>" for doc, f in group.findings)
            rows.append(f"<h2>{html.escape(group.agency)} ({years[0]}–{years[-1]})</h2>"
                        f"<img src='{slug}.png' alt='main series'><p><a href='{slug}.csv'>values by year</a></p>"
                        f"<ul>{findings or '<li>cross-year checks hold</li>'}</ul>")
    page = ("<!doctype html><meta charset='utf-8'><title>year over year</title>"
            "<style>body{font:14px system-ui,sans-serif;margin:1.5em}img{border:1px solid #ccc}</style>"
            f"<h1>Year over year: {len(groups)} agencies</h1>" + "".join(rows))
    (folder / "index.html").write_text(page, encoding="utf-8")
    return folder / "index.html"
