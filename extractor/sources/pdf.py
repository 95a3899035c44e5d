"""Born-digital PDFs through pypdfium2: characters with boxes and visible ruling lines, per page.

pdfium reads a page's characters in ~2 ms (pdfminer needs ~30 ms), so every page is read; ruling lines
are read only on pages whose text holds a table word. Coordinates are turned into display orientation
(/Rotate applied) with the origin at the top-left, in points.
"""

from __future__ import annotations

import ctypes
import logging
import unicodedata
from collections.abc import Callable, Iterator
from typing import Any

import pypdfium2 as pdfium
import pypdfium2.raw as pdfium_c

from extractor.errors import CorruptInput, EncryptedInput, UnsupportedInput
from extractor.model import Block, Char, PageContent, Segment, SourceDoc, Table
from extractor.settings import Settings
from extractor.sources.base import RawInput
from extractor.sources.pdflayout import page_blocks

_log = logging.getLogger(__name__)

ToDisplay = Callable[[float, float], tuple[float, float]]

TABLE_WORDS = ("自然人", "申请人情况", "行政复议", "信息内容", "第二十条", "予以公开", "新收", "结果维持",
               "本年度办理结果")
MIN_LINE = 4.0  # shorter strokes are glyph parts or dots, not table rules
# Hostile-input bounds per page: a report page has a few thousand characters and drawings.
MAX_CHARS_PER_PAGE = 60_000
MAX_PATHS_PER_PAGE = 40_000
# A drawn box this thin is a rule, or a dot when short: a browser draws a dotted border as one small filled
# square per dot, and dots in a row or column with gaps under DOT_GAP of their sizes are one rule.
DOT_SIZE = 2.5
DOT_GAP = 3.0
MIN_DOTS = 3


def _to_display(rotation: int, width: float, height: float, x0: float = 0.0, y0: float = 0.0) -> ToDisplay:
    """Map PDF user space (bottom-left origin at (x0, y0), media box `width` x `height`, as drawn) to display
    space (top-left origin) after the page's clockwise /Rotate."""
    if rotation == 90:
        return lambda x, y: (y - y0, x - x0)
    if rotation == 180:
        return lambda x, y: (width - (x - x0), y - y0)
    if rotation == 270:
        return lambda x, y: (height - (y - y0), width - (x - x0))
    return lambda x, y: (x - x0, height - (y - y0))


BoxFn = Callable[[float, float, float, float], tuple[float, float, float, float]]


def _box_fn(rotation: int, width: float, height: float, x0: float = 0.0, y0: float = 0.0) -> BoxFn:
    """(left, bottom, right, top) in user space -> (x0, y0, x1, y1) on the display; an upright page (nearly
    all) by plain arithmetic, called once per glyph and rule."""
    if rotation == 0:
        return lambda left, bottom, right, top: (left - x0, height - (top - y0), right - x0, height - (bottom - y0))
    to_display = _to_display(rotation, width, height, x0, y0)

    def box(left: float, bottom: float, right: float, top: float) -> tuple[float, float, float, float]:
        ax, ay = to_display(left, bottom)
        bx, by = to_display(right, top)
        return min(ax, bx), min(ay, by), max(ax, bx), max(ay, by)

    return box


_BLANKS = frozenset((0x20, 0x09, 0x0A, 0x0D, 0xA0, 0x3000, 0xFEFF))


def _chars(page: pdfium.PdfPage, box: BoxFn) -> list[Char]:
    textpage = page.get_textpage()
    raw = textpage.raw
    out: list[Char] = []
    left, right, bottom, top = (ctypes.c_double() for _ in range(4))
    get_unicode, get_box = pdfium_c.FPDFText_GetUnicode, pdfium_c.FPDFText_GetCharBox
    refs = (left, right, bottom, top)
    # Characters pdfium generates (word spaces, line ends) are all blanks: skipping blanks skips them.
    for i in range(min(textpage.count_chars(), MAX_CHARS_PER_PAGE)):
        code = get_unicode(raw, i)
        if code in _BLANKS or not get_box(raw, i, *refs):
            continue
        out.append(Char(chr(code) if code < 0x110000 else "\ufffd",
                        *box(left.value, bottom.value, right.value, top.value)))
    textpage.close()
    return out


def text_layer_quality(chars: list[Char]) -> str:
    """'none' without text, 'garbage' when the glyphs do not map to real characters."""
    if len(chars) < 5:
        return "none"
    bad = sum(1 for c in chars if c.text == "\ufffd" or unicodedata.category(c.text) in ("Co", "Cc", "Cn"))
    if bad / len(chars) > 0.2:
        return "garbage"
    # LibreOffice without a CJK font writes one repeated .notdef-mapped character for every glyph.
    if len(chars) > 100 and len({c.text for c in chars}) < 8:
        return "garbage"
    return "ok"


class _Colour:
    """Reusable ctypes out-parameters for a path's draw mode and colour (allocating them per path cost more
    than the pdfium calls)."""

    def __init__(self) -> None:
        self.r, self.g, self.b, self.a = (ctypes.c_uint() for _ in range(4))
        self.fill_mode, self.stroke = ctypes.c_int(), ctypes.c_int()
        # The objects themselves, not byref(): ctypes converts them to the declared pointer type faster.
        self.rgba = (self.r, self.g, self.b, self.a)
        self.modes = (self.fill_mode, self.stroke)

    def visible(self, obj: Any) -> bool:
        """Drawn, and not white or transparent (layout scaffolding, not rules); sets fill_mode and stroke."""
        pdfium_c.FPDFPath_GetDrawMode(obj, *self.modes)
        if self.stroke.value:
            pdfium_c.FPDFPageObj_GetStrokeColor(obj, *self.rgba)
        elif self.fill_mode.value:
            pdfium_c.FPDFPageObj_GetFillColor(obj, *self.rgba)
        else:
            return False
        return self.a.value > 20 and (self.r.value < 235 or self.g.value < 235 or self.b.value < 235)


def _objects(page: Any, depth: int = 2) -> Iterator[tuple[Any, int]]:
    """Raw (object, type) pairs of a page, form XObjects opened `depth` levels deep (no wrapper objects:
    faster)."""
    stack = [(page, pdfium_c.FPDFPage_CountObjects(page), pdfium_c.FPDFPage_GetObject, 0)]
    get_type, form = pdfium_c.FPDFPageObj_GetType, pdfium_c.FPDF_PAGEOBJ_FORM
    while stack:
        owner, count, get, level = stack.pop()
        for i in range(count):
            obj = get(owner, i)
            kind = get_type(obj)
            yield obj, kind
            if kind == form and level < depth:
                stack.append((obj, pdfium_c.FPDFFormObj_CountObjects(obj), pdfium_c.FPDFFormObj_GetObject, level + 1))


def _segments(page: pdfium.PdfPage, box: BoxFn) -> list[Segment]:
    out: list[Segment] = []
    x, y = ctypes.c_float(), ctypes.c_float()
    colour = _Colour()
    stroke = colour.stroke
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    bounds = (left, bottom, right, top)
    matrix = pdfium_c.FS_MATRIX()
    # Tens of thousands of paths on a page of per-cell borders: the pdfium calls are bound to locals.
    path_kind, visible = pdfium_c.FPDF_PAGEOBJ_PATH, colour.visible
    count_segments, get_bounds = pdfium_c.FPDFPath_CountSegments, pdfium_c.FPDFPageObj_GetBounds
    paths = (obj for obj, kind in _objects(page.raw) if kind == path_kind)
    dots: list[tuple[float, float, float]] = []
    for n_objects, handle in enumerate(paths):
        if n_objects >= MAX_PATHS_PER_PAGE:
            _log.info("page with more than %d drawings: the rest ignored", MAX_PATHS_PER_PAGE)
            break
        if not visible(handle):
            continue
        n_segments = count_segments(handle)
        if n_segments <= 5:
            # Fast path for the common shapes (a line, a thin filled bar, a stroked rectangle): the bounds
            # say it all, matrix included. Bounds of strokes carry half the line width: within SNAP.
            get_bounds(handle, *bounds)
            x0, y0, x1, y1 = box(left.value, bottom.value, right.value, top.value)
            if _thin(x0, y0, x1, y1, out, dots):
                continue
            if stroke.value and n_segments >= 4:
                out.extend((Segment(x0, y0, x1, y0), Segment(x0, y1, x1, y1),
                            Segment(x0, y0, x0, y1), Segment(x1, y0, x1, y1)))
                continue
            if not stroke.value:
                continue  # a filled cell background, not a rule
        pdfium_c.FPDFPageObj_GetMatrix(handle, matrix)
        a, b, c, d, e, f = matrix.a, matrix.b, matrix.c, matrix.d, matrix.e, matrix.f
        points: list[tuple[float, float]] = []
        start: tuple[float, float] | None = None
        edges: list[tuple[tuple[float, float], tuple[float, float]]] = []
        shapes: list[list[tuple[float, float]]] = []
        for k in range(n_segments):
            seg = pdfium_c.FPDFPath_GetPathSegment(handle, k)
            pdfium_c.FPDFPathSegment_GetPoint(seg, x, y)
            point = (a * x.value + c * y.value + e, b * x.value + d * y.value + f)
            kind = pdfium_c.FPDFPathSegment_GetType(seg)
            if kind == pdfium_c.FPDF_SEGMENT_MOVETO:
                start = point
                shapes.append([])
            elif kind == pdfium_c.FPDF_SEGMENT_LINETO and points:
                edges.append((points[-1], point))
            points.append(point)
            if shapes:
                shapes[-1].append(point)
            if pdfium_c.FPDFPathSegment_GetClose(seg) and start is not None:
                edges.append((point, start))
        if not stroke.value:
            # A filled shape is a rule only when it is thin (a line drawn as a rectangle), never a cell fill;
            # one path may hold many such shapes (a browser's dashed border: a 2.2 x 0.7 pt bar per dash).
            for shape in shapes:
                _thin(*box(min(p[0] for p in shape), min(p[1] for p in shape),
                           max(p[0] for p in shape), max(p[1] for p in shape)), out, dots)
            continue
        for (ax, ay), (bx, by) in edges:
            if abs(ax - bx) > 0.8 and abs(ay - by) > 0.8:
                continue  # diagonal
            x0, y0, x1, y1 = box(min(ax, bx), min(ay, by), max(ax, bx), max(ay, by))
            if max(x1 - x0, y1 - y0) >= MIN_LINE:
                out.append(Segment(x0, y0, x1, y1))
    return out + _dotted_rules(dots) if len(dots) >= MIN_DOTS else out


def _thin(x0: float, y0: float, x1: float, y1: float, out: list[Segment],
          dots: list[tuple[float, float, float]]) -> bool:
    """A drawn box no thicker than DOT_SIZE: a rule along its length (into `out`) when it is MIN_LINE long,
    else a dot (centre, centre, size into `dots`). False for a thicker box, which is neither."""
    w, h = x1 - x0, y1 - y0
    if min(w, h) > DOT_SIZE:
        return False
    if max(w, h) >= MIN_LINE:
        out.append(Segment(x0, (y0 + y1) / 2, x1, (y0 + y1) / 2) if w >= h
                   else Segment((x0 + x1) / 2, y0, (x0 + x1) / 2, y1))
    else:
        dots.append(((x0 + x1) / 2, (y0 + y1) / 2, max(w, h, 0.1)))
    return True


def _dotted_rules(dots: list[tuple[float, float, float]]) -> list[Segment]:
    """Rows and columns of dots chained into rules (centre, centre, size in; segments out)."""
    out: list[Segment] = []
    for horizontal in (True, False):
        ordered = sorted(((cy, cx, size) if horizontal else (cx, cy, size)) for cx, cy, size in dots)
        rows: list[list[tuple[float, float, float]]] = []
        for dot in ordered:  # dots whose centres share a position (within a quarter of their size)
            if rows and dot[0] - rows[-1][-1][0] <= max(dot[2] / 4, 0.2):
                rows[-1].append(dot)
            else:
                rows.append([dot])
        for row in rows:
            chain: list[tuple[float, float, float]] = []
            for dot in sorted(row, key=lambda d: d[1]) + [(0.0, float("inf"), 0.0)]:
                if chain and dot[1] - chain[-1][1] <= DOT_GAP * max(dot[2], chain[-1][2]):
                    chain.append(dot)
                    continue
                if len(chain) >= MIN_DOTS and chain[-1][1] - chain[0][1] >= MIN_LINE:
                    pos = sum(d[0] for d in chain) / len(chain)
                    a, b = chain[0][1] - chain[0][2] / 2, chain[-1][1] + chain[-1][2] / 2
                    out.append(Segment(a, pos, b, pos) if horizontal else Segment(pos, a, pos, b))
                chain = [dot]
    return out


def _pictures(page: pdfium.PdfPage) -> tuple[float, int]:
    """(largest picture's share of the page, number of drawn shapes), the drawing a page shows besides text."""
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    area = max(page.get_width() * page.get_height(), 1.0)
    share, paths = 0.0, 0
    for n, (obj, kind) in enumerate(_objects(page.raw)):
        if n >= MAX_PATHS_PER_PAGE:
            break
        if kind == pdfium_c.FPDF_PAGEOBJ_IMAGE and pdfium_c.FPDFPageObj_GetBounds(obj, left, bottom, right, top):
            share = max(share, (right.value - left.value) * (top.value - bottom.value) / area)
        paths += kind == pdfium_c.FPDF_PAGEOBJ_PATH
    return share, paths


def open_pdf(data: bytes) -> pdfium.PdfDocument:
    try:
        return pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        message = str(exc)
        if "password" in message.lower():
            raise EncryptedInput("PDF is protected by a password") from None
        raise CorruptInput(f"not a readable PDF ({message})") from None


def load_pdf(raw: RawInput, settings: Settings) -> SourceDoc:
    pdf = open_pdf(raw.data)
    try:
        pages, notes = _read_pages(pdf, settings)
        return _to_source(pdf, pages, notes, settings)
    finally:
        pdf.close()


def _read_pages(pdf: pdfium.PdfDocument, settings: Settings) -> tuple[list[PageContent], list[str]]:
    """Every page's characters and rules; a page pdfium cannot load is skipped with a note (a damaged
    object), and a PDF none of whose pages loads is corrupt."""
    n_pages = len(pdf)
    pages: list[PageContent] = []
    notes: list[str] = []
    if n_pages > settings.max_pages:
        notes.append(f"only the first {settings.max_pages} of {n_pages} pages read")
    for index in range(min(n_pages, settings.max_pages)):
        try:
            page = pdf[index]
        except pdfium.PdfiumError as exc:
            notes.append(f"page {index + 1} unreadable ({exc}): skipped")
            continue
        # pdfium gives the displayed size; characters come in user space, which /Rotate turns.
        left, bottom, right, top = page.get_mediabox()
        rotation = page.get_rotation() % 360
        box = _box_fn(rotation, right - left, top - bottom, left, bottom)
        width, height = page.get_width(), page.get_height()
        chars = _chars(page, box)
        quality = text_layer_quality(chars)
        share, paths = _pictures(page) if quality == "none" else (0.0, 0)
        if share > 0 or paths > 300:
            # No text but a picture, or text turned into outlines (hundreds of shapes): OCR reads it.
            quality = "image"
        text = "".join(c.text for c in chars)
        # Rules are read on pages with table words and on the page after one (a table's continuation).
        wanted = quality == "ok" and (any(w in text for w in TABLE_WORDS) or bool(pages and pages[-1].segments))
        segments = _segments(page, box) if wanted else []
        if quality == "ok" and not segments:
            share = _pictures(page)[0]  # only pages without drawn rules can hold a table pasted as a picture
        pages.append(PageContent(index + 1, width, height, tuple(chars), tuple(segments), quality, share))
        page.close()
    if n_pages and not pages:
        raise CorruptInput(f"no page of the PDF could be read ({notes[0] if notes else 'damaged'})")
    return pages, notes


def _to_source(pdf: pdfium.PdfDocument, pages: list[PageContent], notes: list[str],
               settings: Settings) -> SourceDoc:
    blocks: list[Block] = []
    problems: list[str] = []
    ocr_pages = 0

    def ocr(number: int, what: str, title: bool = False) -> list[Block] | None:
        """The page's tables by OCR; None (and a problem) when OCR could not run."""
        nonlocal ocr_pages
        if ocr_pages >= settings.max_ocr_pages:
            problems.append(f"page {number}: {what} not read (over the {settings.max_ocr_pages}-page OCR limit)")
            return None
        try:
            found = _ocr_page(pdf, number, title=title)
        except UnsupportedInput as exc:
            problems.append(f"page {number}: {what} that needs OCR ({exc})")
            return None
        ocr_pages += 1
        return found

    for content in pages:
        if content.text_layer == "ok":
            found = page_blocks(content, settings.max_grid_lines)
            blocks.extend(found)
            ruled = any(isinstance(b, Table) and b.method == "pdf-lattice" for b in found)
            if content.image_share >= 0.2 and not ruled:
                # Text around a big picture and no drawn table: the table was pasted as an image.
                blocks.extend(ocr(content.number, "a picture that may hold a table") or [])
        elif content.text_layer in ("image", "garbage"):
            # Scanned page, or glyphs without Unicode: read the rendered page image instead.
            what = "an image" if content.text_layer == "image" else "an unreadable"
            # The first scanned page of a scanned report carries its title: agency and year come from it.
            first = not any(p.text_layer == "ok" for p in pages[: content.number - 1]) and ocr_pages == 0
            read = ocr(content.number, f"{what} text layer", title=first and content.number <= 2)
            if read == []:
                notes.append(f"page {content.number}: {what} text layer and no ruled table; not read")
            blocks.extend(read or [])
    if not blocks and problems:
        raise CorruptInput(f"PDF has no usable text layer and OCR could not read it: {problems[0]}")
    if not any(p.text_layer == "ok" for p in pages) and not ocr_pages:
        raise CorruptInput("PDF has no usable text layer (no text and no scanned page)")
    return SourceDoc(kind="scanned-pdf" if ocr_pages else "pdf", blocks=tuple(blocks), n_pages=len(pdf),
                     notes=tuple(notes), pages=tuple(pages), problems=tuple(problems))


OCR_DPI = 200
MAX_RENDER_PIXELS = 40_000_000


def _ocr_page(pdf: pdfium.PdfDocument, number: int, title: bool = False) -> list[Block]:
    import cv2
    import numpy as np

    from extractor.sources.scan import scan_page

    page = pdf[number - 1]
    try:
        # 200 dpi, unless the page is huge: a rendered page stays under MAX_RENDER_PIXELS.
        area = max(page.get_width() * page.get_height(), 1.0)
        scale = min(OCR_DPI / 72, (MAX_RENDER_PIXELS / area) ** 0.5)
        image = np.asarray(page.render(scale=scale).to_pil().convert("RGB"))
    finally:
        page.close()
    return scan_page(cv2.cvtColor(image, cv2.COLOR_RGB2BGR), number, scale, number, title=title)
