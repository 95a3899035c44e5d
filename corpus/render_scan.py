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


def damage(bgr: np.ndarray, d: Damage, rng: np.random.Generator) -> np.ndarray:
    out = bgr
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


def html_with_images(pdf_bytes: bytes, d: Damage, seed: int, title: str) -> bytes:
    rng = np.random.default_rng(seed)
    imgs = []
    for page in render_pages(pdf_bytes, d.dpi):
        buf = io.BytesIO()
        _pil(damage(page, d, rng), d.colour).save(buf, format="PNG", optimize=True)
        imgs.append(f'<p><img alt="表格" src="data:image/png;base64,{base64.b64encode(buf.getvalue()).decode()}"></p>')
    body = "\n".join(imgs)
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title></head><body>'
            f"<h1>{title}</h1><p>本报告的统计表格以图片形式发布。</p>\n{body}\n</body></html>\n").encode()


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
    import sys
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from extractor.model import Table
    from extractor.settings import Settings
    from extractor.sources import RawInput, load

    rng = np.random.default_rng(seed)
    boxes: dict[int, list[tuple[float, float, float, float]]] = {}
    for block in load(RawInput(pdf_bytes, "source.pdf"), Settings(), "pdf").blocks:
        if isinstance(block, Table) and block.method == "pdf-lattice":
            cells = [c.provenance.bbox for c in block.cells if c.provenance.bbox]
            boxes.setdefault(block.pages[0], []).append((min(b.x0 for b in cells) - 3, min(b.y0 for b in cells) - 3,
                                                         max(b.x1 for b in cells) + 3, max(b.y1 for b in cells) + 3))
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
