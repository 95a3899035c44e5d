"""Draw a report as a born-digital PDF with reportlab: fully ruled, horizontal rules only or unruled tables,
character-by-character text with loose tracking, tables split over pages (header repeated or not),
coloured header fills, white scaffolding lines, rules drawn as thin filled rectangles, landscape 表四."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

from render import Options, document, place
from reportlab.lib.colors import Color, white
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

FONT = "WQY"
FONT_FILE = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
# Typefaces a report may be set in (Debian fonts-arphic-gbsn00lp, fonts-arphic-ukai); a face not installed
# falls back to Hei. No free FangSong covers simplified Chinese (cwTeX's lacks 业, 务, 报...).
FACES = {"hei": (FONT, FONT_FILE), "song": ("ARSong", "/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf"),
         "kai": ("ARKai", "/usr/share/fonts/truetype/arphic/ukai.ttc")}
A4 = (595.0, 842.0)
MARGIN = 42.0
SIZE = 9.0
LEADING = 11.5


@dataclass
class PdfOptions:
    rules: str = "full"  # full | horizontal | none
    char_by_char: bool = False
    tracking: float = 0.0  # extra points between characters
    repeat_header: bool = True
    fills: bool = False
    white_lines: bool = False
    thin_rect_rules: bool = False
    landscape_t4: bool = False
    label_width: float = 1.0  # scale of the label columns (narrow columns wrap labels)
    rule_gray: float = 0.0  # 0 black; 0.75 a faint grey rule
    rule_dash: tuple[float, float] | None = None  # (on, off) points: broken rules
    encrypt_empty_password: bool = False
    font: str = "ttf"  # ttf (embedded TrueType) | cid (STSong-Light, a standard CID font, not embedded)
    face: str = "hei"  # the embedded TrueType's face: hei | song | kai (FACES)
    text_mode: str = "line"  # line | word | char: how strings are drawn
    jitter: float = 0.0  # points of random offset per drawn piece
    outer_width: float = 0.6  # line width of the table's outer box (thick outer rules)
    double_rules: bool = False  # every rule drawn twice, 1.2 pt apart
    value_width: float = 1.0  # scale of the value columns
    seed: int = 0
    exact_centering: bool = False  # centre values by their real width (the corpus cases keep the estimate)
    options: Options = field(default_factory=Options)


CID_FONT = "STSong-Light"


def _register() -> None:
    for name, path in FACES.values():
        if name not in pdfmetrics.getRegisteredFontNames() and Path(path).exists():
            pdfmetrics.registerFont(TTFont(name, path, subfontIndex=0))
    if CID_FONT not in pdfmetrics.getRegisteredFontNames():
        from reportlab.pdfbase.cidfonts import UnicodeCIDFont

        pdfmetrics.registerFont(UnicodeCIDFont(CID_FONT))


def _words(s: str) -> list[str]:
    import re

    return re.findall(r"[0-9A-Za-z.,%\-]+|\s+|[^0-9A-Za-z.,%\-\s]+", s)


def _wrap(text: str, width: float, size: float, tracking: float, font: str = FONT) -> list[str]:
    out: list[str] = []
    for para in text.split("\n"):
        line = ""
        for ch in para:
            if line and pdfmetrics.stringWidth(line + ch, font, size) + tracking * len(line) > width:
                out.append(line)
                line = ""
            line += ch
        out.append(line)
    return out or [""]


class Writer:
    def __init__(self, o: PdfOptions) -> None:
        _register()
        self.o = o
        self.buf = io.BytesIO()
        kwargs = {}
        if o.encrypt_empty_password:
            from reportlab.lib.pdfencrypt import StandardEncryption

            kwargs["encrypt"] = StandardEncryption("", ownerPassword="owner", canPrint=1, canCopy=0)
        self.c = canvas.Canvas(self.buf, pagesize=A4, invariant=1, **kwargs)  # invariant: reproducible bytes
        face = FACES.get(o.face, FACES["hei"])[0]
        self.font = CID_FONT if o.font == "cid" else face if face in pdfmetrics.getRegisteredFontNames() else FONT
        import random

        self.rng = random.Random(o.seed)
        self.page = 1
        self.size = A4
        self.y = A4[1] - MARGIN
        self._start_page()

    def _start_page(self) -> None:
        self.c.setFont(self.font, SIZE)

    def new_page(self, landscape: bool = False) -> None:
        self._footer()
        self.c.showPage()
        self.page += 1
        self.size = (A4[1], A4[0]) if landscape else A4
        # reportlab takes the displayed size and writes the media box turned back: portrait + /Rotate 90.
        self.c.setPageSize(self.size)
        self.c.setPageRotation(90 if landscape else 0)
        if landscape:
            # Landscape through /Rotate 90 on a portrait page, the way scanners and Word often write it.
            self.c.translate(A4[0], 0)
            self.c.rotate(90)
        self.y = self.size[1] - MARGIN
        self._start_page()

    def _footer(self) -> None:
        self.c.setFont(self.font, SIZE)
        self.text(self.size[0] / 2 - 10, MARGIN / 2, f"— {self.page} —")

    def _font_for(self, s: str) -> str:
        """The face, or Hei for a string with a character the face lacks (a GB face has no traditional
        characters)."""
        font = pdfmetrics.getFont(self.font)
        widths = getattr(getattr(font, "face", None), "charWidths", None)
        if widths is None or all(ord(ch) in widths or ch.isspace() for ch in s):
            return self.font
        return FONT

    def text(self, x: float, y: float, s: str, size: float = SIZE) -> None:
        self.c.setFillColor(Color(0, 0, 0))
        o = self.o
        mode = "char" if o.char_by_char else o.text_mode
        font = self._font_for(s)
        if mode == "line" and not o.tracking:
            self.c.setFont(font, size)
            self.c.drawString(x + self._jit(), y + self._jit(), s)
            return
        # Pieces: one character each, or runs of CJK / of digits and Latin (a word-by-word writer).
        pieces = list(s) if mode != "word" else [m for m in _words(s)]
        for piece in pieces:
            self.c.setFont(font, size)
            self.c.drawString(x + self._jit(), y + self._jit(), piece)
            x += pdfmetrics.stringWidth(piece, font, size) + o.tracking * len(piece)

    def _jit(self) -> float:
        return self.rng.uniform(-self.o.jitter, self.o.jitter) if self.o.jitter else 0.0

    def paragraph(self, s: str, size: float = SIZE) -> None:
        width = self.size[0] - 2 * MARGIN
        for line in _wrap(s, width, size, self.o.tracking, self.font):
            if self.y - LEADING < MARGIN:
                self.new_page()
            self.y -= size * 1.4
            self.text(MARGIN, self.y, line, size)
        self.y -= 4

    def rule(self, x0: float, y0: float, x1: float, y1: float, width: float = 0.6) -> None:
        if self.o.double_rules:
            dx, dy = (0.0, 1.2) if abs(y1 - y0) < 0.1 else (1.2, 0.0)
            self._rule(x0 - dx / 2, y0 - dy / 2, x1 - dx / 2, y1 - dy / 2, width)
            self._rule(x0 + dx / 2, y0 + dy / 2, x1 + dx / 2, y1 + dy / 2, width)
            return
        self._rule(x0, y0, x1, y1, width)

    def _rule(self, x0: float, y0: float, x1: float, y1: float, width: float) -> None:
        if self.o.thin_rect_rules:
            self.c.setFillColor(Color(0, 0, 0))
            if abs(y1 - y0) < 0.1:
                self.c.rect(x0, y0 - 0.3, x1 - x0, 0.6, stroke=0, fill=1)
            else:
                self.c.rect(x0 - 0.3, min(y0, y1), 0.6, abs(y1 - y0), stroke=0, fill=1)
        else:
            g = self.o.rule_gray
            self.c.setStrokeColor(Color(g, g, g))
            self.c.setLineWidth(width)
            if self.o.rule_dash:
                self.c.setDash(*self.o.rule_dash)
            self.c.line(x0, y0, x1, y1)
            self.c.setDash()

    def table(self, spec: list[list[tuple[str, int, int]]], widths: list[float], header_rows: int) -> None:
        o = self.o
        placed = place(spec)
        xs = [MARGIN]
        for w in widths:
            xs.append(xs[-1] + w)
        heights = []
        for r in range(len(spec)):
            lines = 1
            for (pr, pc, text, rs, cs) in placed:
                if pr == r and rs == 1:
                    lines = max(lines, len(_wrap(text, xs[pc + cs] - xs[pc] - 4, SIZE, o.tracking, self.font)))
            heights.append(lines * LEADING + 5)
        # Page-break positions: each row gets (page part, top y); the header repeats after a break.
        tops: dict[int, tuple[int, float]] = {}
        segments: list[list[int]] = [[]]
        r = 0
        while r < len(spec):
            if self.y - heights[r] < MARGIN + 14 and segments[-1]:
                self._draw_segment(placed, xs, heights, tops, segments[-1])
                self.new_page()
                segments.append([])
                if o.repeat_header and r >= header_rows:
                    for h in range(header_rows):
                        tops[-1 - h] = (self.page, self.y)  # redraw header rows on this page
                    self._draw_header(placed, xs, heights, header_rows)
            tops[r] = (self.page, self.y)
            segments[-1].append(r)
            self.y -= heights[r]
            r += 1
        self._draw_segment(placed, xs, heights, tops, segments[-1])
        self.y -= 10

    def _draw_header(self, placed, xs, heights, header_rows: int) -> None:  # type: ignore[no-untyped-def]
        tops = {}
        for h in range(header_rows):
            tops[h] = (self.page, self.y)
            self.y -= heights[h]
        self._draw_segment(placed, xs, heights, tops, list(range(header_rows)))

    def _draw_segment(self, placed, xs, heights, tops, rows: list[int]) -> None:  # type: ignore[no-untyped-def]
        """Draw the part of every cell that lies in `rows` (all on the current page)."""
        o = self.o
        if not rows:
            return
        first, last = rows[0], rows[-1]
        bottom = tops[last][1] - heights[last]
        for (pr, pc, text, rs, cs) in placed:
            covered = [r for r in range(pr, pr + rs) if first <= r <= last]
            if not covered:
                continue
            top = tops[covered[0]][1]
            height = sum(heights[r] for r in covered)
            x0, x1 = xs[pc], xs[pc + cs]
            if o.fills and pr < 3 and len(placed) and any(p[0] == 0 for p in placed) and pr in (0, 1, 2) \
                    and not text[:1].isdigit():
                self.c.setFillColor(Color(0.85, 0.9, 1.0))
                self.c.rect(x0, top - height, x1 - x0, height, stroke=0, fill=1)
            # Text lines from the top of the cell; lines of a cell cut by a page break continue on the next.
            lines = _wrap(text, x1 - x0 - 4, SIZE, o.tracking, self.font)
            skip = sum(int(heights[r] // LEADING) for r in range(pr, covered[0]))
            room = max(int((height - 3) // LEADING), 1)
            visible = lines[skip: skip + room] if rs > 1 else lines
            is_value = bool(text) and (text[0].isdigit() or text[0] in "—-/０１２３４５６７８９")
            for k, line in enumerate(visible):
                y = top - 3 - SIZE - k * LEADING
                width = len(line) * SIZE if not line.isascii() else 0.55 * SIZE * len(line)
                if o.exact_centering:
                    width = pdfmetrics.stringWidth(line, self.font, SIZE) + o.tracking * len(line)
                x = (x0 + x1 - width) / 2 if is_value else x0 + 2
                self.text(x, y, line)
        if o.rules == "none":
            return
        ys = [tops[r][1] for r in rows] + [bottom]
        if o.rules == "outer":
            for a, b, c_, d in ((xs[0], ys[0], xs[-1], ys[0]), (xs[0], ys[-1], xs[-1], ys[-1]),
                                (xs[0], ys[0], xs[0], ys[-1]), (xs[-1], ys[0], xs[-1], ys[-1])):
                self.rule(a, b, c_, d, o.outer_width)
            return
        if o.outer_width != 0.6:
            for a, b, c_, d in ((xs[0], ys[0], xs[-1], ys[0]), (xs[0], ys[-1], xs[-1], ys[-1]),
                                (xs[0], ys[0], xs[0], ys[-1]), (xs[-1], ys[0], xs[-1], ys[-1])):
                self.rule(a, b, c_, d, o.outer_width)
        if o.rules == "horizontal":
            for y in ys:
                self.rule(xs[0], y, xs[-1], y)
        else:
            for (pr, pc, _, rs, cs) in placed:
                covered = [r for r in range(pr, pr + rs) if first <= r <= last]
                if not covered:
                    continue
                top = tops[covered[0]][1]
                bot = top - sum(heights[r] for r in covered)
                x0, x1 = xs[pc], xs[pc + cs]
                self.rule(x0, top, x1, top)
                self.rule(x0, bot, x1, bot)
                self.rule(x0, top, x0, bot)
                self.rule(x1, top, x1, bot)
        if o.white_lines:
            self.c.setStrokeColor(white)
            self.c.setLineWidth(0.8)
            mid = (ys[0] + ys[-1]) / 2
            self.c.line(xs[0], mid, xs[-1], mid)
            self.c.line((xs[0] + xs[-1]) / 2, ys[0], (xs[0] + xs[-1]) / 2, ys[-1])

    def finish(self) -> bytes:
        self._footer()
        self.c.save()
        return self.buf.getvalue()


def widths_for(spec: list[list[tuple[str, int, int]]], o: PdfOptions, landscape: bool) -> tuple[list[float], int]:
    n_cols = max(c + cs for _, c, _, _, cs in place(spec))
    usable = (A4[1] if landscape else A4[0]) - 2 * MARGIN
    if n_cols in (10, 11):  # 表三 (11: with a 法人或其他组织 小计 column)
        labels = [w * o.label_width for w in (46.0, 56.0, 128.0)]
        values = (usable - sum(labels)) / (n_cols - 3) * min(o.value_width, 1.0)
        return labels + [values] * (n_cols - 3), 3
    if n_cols == 15:  # 表四
        return [usable / 15] * 15, 3
    return [150.0] + [(usable - 150.0) / (n_cols - 1)] * (n_cols - 1), 0


def to_pdf(truth, r, o: PdfOptions) -> bytes:  # type: ignore[no-untyped-def]
    w = Writer(o)
    blocks = document(truth, r, o.options)
    for i, (kind, value) in enumerate(blocks):
        if kind == "p":
            is_t4_heading = o.landscape_t4 and i + 1 < len(blocks) and blocks[i + 1][0] == "table" \
                and len(value) < 40 and "行政复议" in str(value)
            if is_t4_heading:
                w.new_page(landscape=True)
            w.paragraph(str(value), 14 if i == 0 else SIZE + 1)
            continue
        widths, header_rows = widths_for(value, o, landscape=w.size[0] > w.size[1])  # type: ignore[arg-type]
        w.table(value, widths, header_rows)  # type: ignore[arg-type]
        if o.landscape_t4 and w.size[0] > w.size[1]:
            w.new_page()
    return w.finish()
