"""Debug images: each PDF page with the detected grid and the mapped cells' codes drawn on it."""

from __future__ import annotations

from pathlib import Path

from extractor.model import Report


def write_debug_pages(file: str, report: Report, out: Path) -> int:
    """Write page-N.png for every page that holds a mapped cell; returns the number of images written."""
    if not Path(file).read_bytes()[:1024].lstrip().startswith(b"%PDF"):
        return 0
    import pypdfium2 as pdfium
    from PIL import ImageDraw

    out.mkdir(parents=True, exist_ok=True)
    pdf = pdfium.PdfDocument(file)
    scale = 2.0
    pages = sorted({c.provenance.page for c in report.cells if c.provenance.page})
    for number in pages:
        page = pdf[number - 1]
        image = page.render(scale=scale).to_pil().convert("RGB")
        draw = ImageDraw.Draw(image)
        for cell in report.cells:
            box = cell.provenance.bbox
            if cell.provenance.page != number or box is None:
                continue
            rect = [box.x0 * scale, box.y0 * scale, box.x1 * scale, box.y1 * scale]
            colour = (0, 160, 0) if cell.confidence >= 0.99 else (230, 120, 0)
            draw.rectangle(rect, outline=colour, width=2)
            draw.text((rect[0] + 2, rect[1] + 1), f"{cell.row}.{cell.col}", fill=(200, 0, 0))
        image.save(out / f"page-{number}.png")
    pdf.close()
    return len(pages)
