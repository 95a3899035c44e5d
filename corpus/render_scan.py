"""Scans made from corpus PDFs: rendered pages put through a printer-and-scanner's worth of damage.

dpi, rotation, blur, noise, JPEG artefacts, a red seal over the table, a photographed page's perspective
and lighting; output as an image-only PDF, an HTML page with PNG data: URIs, or a PDF whose table pages
are scanned and whose other pages stay born-digital.
"""

from __future__ import annotations

import base64
import io
import math
from dataclasses import dataclass

import cv2
import numpy as np
import pypdfium2 as pdfium
from PIL import Image

TABLE_WORDS = ("自然人", "行政复议", "信息内容")


@dataclass
class Damage:
    dpi: int = 200
    rotate: float = 0.0
    blur: int = 0
    noise: float = 0.0
    jpeg: int = 0  # quality; 0 = lossless
    seal: bool = False
    perspective: float = 0.0  # fraction of the page width the corners move
    colour: bool = False
    ticks: bool = False  # a reviewer's handwritten ticks in the margins and an ink stamp at the top
    halftone: bool = False  # printed through a dot screen before it was scanned (grey turns to dots: moiré)


def render_pages(pdf_bytes: bytes, dpi: int) -> list[np.ndarray]:
    pdf = pdfium.PdfDocument(pdf_bytes)
    pages = [np.asarray(pdf[i].render(scale=dpi / 72).to_pil().convert("RGB"))[:, :, ::-1].copy()
             for i in range(len(pdf))]
    pdf.close()
    return pages


def _seal(bgr: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    h, w = bgr.shape[:2]
    overlay = np.full_like(bgr, 255)
    radius = int(w * 0.11)
    centre = (int(w * rng.uniform(0.45, 0.7)), int(h * rng.uniform(0.3, 0.6)))
    red = (40, 40, 220)
    cv2.circle(overlay, centre, radius, red, max(4, radius // 18))
    star = [(centre[0] + int(radius * 0.35 * math.cos(a)), centre[1] + int(radius * 0.35 * math.sin(a)))
            for a in np.linspace(-math.pi / 2, 3.5 * math.pi, 6)[:5]]
    cv2.fillPoly(overlay, [np.array([star[i] for i in (0, 2, 4, 1, 3)], dtype=np.int32)], red)
    for k in range(14):  # the agency name around the rim, as blobs of red ink
        a = math.pi * (0.85 + 1.3 * k / 13)
        p = (centre[0] + int(radius * 0.72 * math.cos(a)), centre[1] + int(radius * 0.72 * math.sin(a)))
        cv2.rectangle(overlay, (p[0] - radius // 14, p[1] - radius // 14), (p[0] + radius // 14, p[1] + radius // 14),
                      red, -1)
    # Stamp ink multiplies with the print below it: black digits stay black under the seal.
    return (bgr.astype(np.float32) * overlay.astype(np.float32) / 255).astype(np.uint8)


STAMP_FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"


def _ticks(bgr: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Check marks in a pen's blue or red down both margins, one circled, and a boxed ink stamp 已核对 in
    the top corner: ink a reviewer adds to a printout before it is scanned."""
    from PIL import ImageDraw, ImageFont

    h, w = bgr.shape[:2]
    out = bgr.copy()
    ink = [(150, 60, 20), (40, 40, 200), (90, 90, 90)][int(rng.integers(3))]
    size = max(8, w // 60)
    for _ in range(int(rng.integers(3, 9))):
        x = int(w * (rng.uniform(0.012, 0.05) if rng.random() < 0.5 else rng.uniform(0.945, 0.975)))
        y = int(h * rng.uniform(0.12, 0.92))
        pts = np.array([(x, y), (x + size // 3, y + size // 2 + int(rng.integers(0, 3))),
                        (x + size, y - size // 2 - int(rng.integers(0, 4)))], dtype=np.int32)
        cv2.polylines(out, [pts], False, ink, max(1, size // 7), cv2.LINE_AA)
        if rng.random() < 0.2:
            cv2.ellipse(out, (x + size // 2, y), (size, size * 2 // 3), 0, 0, 330, ink, max(1, size // 9), cv2.LINE_AA)
    image = Image.fromarray(out[:, :, ::-1].copy())
    draw = ImageDraw.Draw(image)
    sw, sh = int(w * 0.16), int(h * 0.03)
    # In the top margin, where a reviewer finds room (a stamp over the numbers is what the seal draws).
    x0, y0 = int(w * rng.uniform(0.72, 0.8)), int(h * rng.uniform(0.004, 0.012))
    colour = tuple(int(c) for c in ink[::-1])
    draw.rectangle((x0, y0, x0 + sw, y0 + sh), outline=colour, width=max(2, sh // 12))
    try:
        font = ImageFont.truetype(STAMP_FONT, int(sh * 0.6))
        draw.text((x0 + sw * 0.12, y0 + sh * 0.18), "已核对  " + str(int(rng.integers(1, 29))), fill=colour, font=font)
    except OSError:
        pass
    return np.asarray(image)[:, :, ::-1].copy()


def _halftone(bgr: np.ndarray, dpi: int) -> np.ndarray:
    """The page as a laser printer puts it on paper: every grey through a 45-degree dot screen of about
    100 lines per inch (fills and faint rules become dots; scanned back they beat into moiré)."""
    grey = cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY).astype(np.float32) / 255
    period = max(2.5, dpi / 100)
    yy, xx = np.mgrid[0:grey.shape[0], 0:grey.shape[1]].astype(np.float32)
    u, v = (xx + yy) / math.sqrt(2), (xx - yy) / math.sqrt(2)
    screen = 0.5 + 0.24 * (np.cos(2 * math.pi * u / period) + np.cos(2 * math.pi * v / period))
    dots = np.where(grey >= screen, 255, 0).astype(np.uint8)
    dots = cv2.GaussianBlur(dots, (3, 3), 0)
    return cv2.cvtColor(dots, cv2.COLOR_GRAY2BGR)


def spreads(pages: list[np.ndarray]) -> list[np.ndarray]:
    """Two pages side by side in one image, as a book or a folded printout scanned open; a page left over
    stands alone. Pages of different heights (a landscape page) stand alone too."""
    out: list[np.ndarray] = []
    k = 0
    while k < len(pages):
        left = pages[k]
        right = pages[k + 1] if k + 1 < len(pages) else None
        if right is None or right.shape[0] != left.shape[0] or left.shape[1] > left.shape[0]:
            out.append(left)
            k += 1
            continue
        gutter = np.full((left.shape[0], max(4, left.shape[1] // 40), 3), 235, dtype=np.uint8)
        out.append(np.hstack([left, gutter, right]))
        k += 2
    return out


def damage(bgr: np.ndarray, d: Damage, rng: np.random.Generator) -> np.ndarray:
    out = bgr
    if d.halftone:
        out = _halftone(out, d.dpi)
    if d.ticks:
        out = _ticks(out, rng)
    if d.seal:
        out = _seal(out, rng)
    h, w = out.shape[:2]
    if d.perspective:
        m = d.perspective * w
        src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])
        dst = np.float32([[m, m * 0.6], [w - m * 0.4, 0], [w, h], [m * 0.2, h - m * 0.5]])
        out = cv2.warpPerspective(out, cv2.getPerspectiveTransform(src, dst), (w, h), borderValue=(235, 235, 235))
        light = np.linspace(0.82, 1.0, w, dtype=np.float32)[None, :, None]
        out = np.clip(out.astype(np.float32) * light, 0, 255).astype(np.uint8)
    if d.rotate:
        matrix = cv2.getRotationMatrix2D((w / 2, h / 2), d.rotate, 1.0)
        out = cv2.warpAffine(out, matrix, (w, h), borderValue=(255, 255, 255))
    if d.blur:
        out = cv2.GaussianBlur(out, (d.blur | 1, d.blur | 1), 0)
    if d.noise:
        out = np.clip(out.astype(np.float32) + rng.normal(0, d.noise, out.shape), 0, 255).astype(np.uint8)
        specks = rng.random(out.shape[:2]) < 0.0008
        out[specks] = 0
    if not d.colour:
        out = cv2.cvtColor(cv2.cvtColor(out, cv2.COLOR_BGR2GRAY), cv2.COLOR_GRAY2BGR)
    if d.jpeg:
        ok, enc = cv2.imencode(".jpg", out, [cv2.IMWRITE_JPEG_QUALITY, d.jpeg])
        out = cv2.imdecode(enc, cv2.IMREAD_COLOR)
    return out


def _pil(bgr: np.ndarray, colour: bool) -> Image.Image:
    rgb = Image.fromarray(bgr[:, :, ::-1].copy())
    return rgb if colour else rgb.convert("L")


def image_pdf(pdf_bytes: bytes, d: Damage, seed: int) -> bytes:
    rng = np.random.default_rng(seed)
    pages = [_pil(damage(p, d, rng), d.colour) for p in render_pages(pdf_bytes, d.dpi)]
    out = io.BytesIO()
    pages[0].save(out, format="PDF", save_all=True, append_images=pages[1:], resolution=d.dpi, quality=80)
    return out.getvalue()


def _page_pictures(pdf_bytes: bytes, d: Damage, seed: int, jpeg: bool = False) -> list[bytes]:
    """Each page rendered, damaged and encoded as a picture: PNG, or JPEG at the draw's quality when asked
    and the draw has one."""
    rng = np.random.default_rng(seed)
    out = []
    for page in render_pages(pdf_bytes, d.dpi):
        buf = io.BytesIO()
        image = _pil(damage(page, d, rng), d.colour)
        if jpeg and d.jpeg:
            image.save(buf, format="JPEG", quality=d.jpeg)
        else:
            image.save(buf, format="PNG", optimize=True)
        out.append(buf.getvalue())
    return out


def html_with_images(pdf_bytes: bytes, d: Damage, seed: int, title: str) -> bytes:
    body = "\n".join(f'<p><img alt="表格" src="data:image/png;base64,{base64.b64encode(png).decode()}"></p>'
                     for png in _page_pictures(pdf_bytes, d, seed))
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head><body>'
            f"<h1>{title}</h1><p>本报告的统计表格以图片形式发布。</p>\n{body}\n</body></html>\n").encode()


def docx_with_images(pdf_bytes: bytes, d: Damage, seed: int, title: str) -> bytes:
    """A Word file whose pages are pictures (a scanned report pasted into Word), after a heading."""
    import docx
    from docx.shared import Inches

    document = docx.Document()
    document.add_heading(title, level=1)
    document.add_paragraph("本报告的统计表格以图片形式附后。")
    for picture in _page_pictures(pdf_bytes, d, seed, jpeg=True):
        document.add_picture(io.BytesIO(picture), width=Inches(6.2))
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def mixed_pdf(pdf_bytes: bytes, d: Damage, seed: int) -> bytes:
    """Table pages scanned, the other pages kept born-digital."""
    rng = np.random.default_rng(seed)
    source = pdfium.PdfDocument(pdf_bytes)
    images = render_pages(pdf_bytes, d.dpi)
    out = pdfium.PdfDocument.new()
    for i in range(len(source)):
        text = source[i].get_textpage().get_text_range()
        if any(word in text for word in TABLE_WORDS):
            buf = io.BytesIO()
            _pil(damage(images[i], d, rng), d.colour).save(buf, format="PDF", resolution=d.dpi, quality=80)
            out.import_pages(pdfium.PdfDocument(buf.getvalue()))
        else:
            out.import_pages(source, [i])
    result = io.BytesIO()
    out.save(result)
    return result.getvalue()


def pictured_tables_pdf(pdf_bytes: bytes, d: Damage, seed: int) -> bytes:
    """Born-digital pages whose ruled tables are replaced by pictures of themselves (a table pasted into
    Word as an image): the prose keeps its text layer, the tables have none."""
    import pdfplumber

    rng = np.random.default_rng(seed)
    # The ruled tables' boxes by pdfplumber's own finder (top-left origin): never by the extractor, which
    # these pictures are made to test.
    boxes: dict[int, list[tuple[float, float, float, float]]] = {}
    with pdfplumber.open(io.BytesIO(pdf_bytes)) as plumber:
        for number, page in enumerate(plumber.pages, start=1):
            for table in page.find_tables():
                x0, y0, x1, y1 = table.bbox
                boxes.setdefault(number, []).append((x0 - 3, y0 - 3, x1 + 3, y1 + 3))
    pdf = pdfium.PdfDocument(pdf_bytes)
    images = render_pages(pdf_bytes, d.dpi)
    scale = d.dpi / 72
    for number, rects in boxes.items():
        page = pdf[number - 1]
        height = page.get_height()
        for obj in list(page.get_objects()):
            left, bottom, right, top = obj.get_bounds()
            y0, y1 = height - top, height - bottom  # top-left origin, as the boxes
            if any(x0 - 1 <= left and right <= x1 + 1 and by0 - 1 <= y0 and y1 <= by1 + 1
                   for x0, by0, x1, by1 in rects):
                page.remove_obj(obj)
        for x0, y0, x1, y1 in rects:
            crop = damage(images[number - 1][int(y0 * scale):int(y1 * scale), int(x0 * scale):int(x1 * scale)], d, rng)
            buf = io.BytesIO()
            Image.fromarray(crop[:, :, ::-1].copy()).convert("L").save(buf, format="JPEG", quality=85)
            picture = pdfium.PdfImage.new(pdf)
            picture.load_jpeg(io.BytesIO(buf.getvalue()), inline=False)
            picture.set_matrix(pdfium.PdfMatrix().scale(x1 - x0, y1 - y0).translate(x0, height - y1))
            page.insert_obj(picture)
        page.gen_content()
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()
