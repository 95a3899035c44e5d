"""Debug images: each PDF page with the detected grid and the mapped cells' codes drawn on it."""

from __future__ import annotations

from pathlib import Path

from extractor.model import Report, Table
from extractor.settings import Settings
from extractor.sources import RawInput, load


def write_debug_pages(file: str, report: Report, out: Path) -> int:
    """Write page-N.png for every page holding a grid or a mapped cell; returns the number written.

    Blue: the grid cells the layout stage found (ruled tables) and the text tokens of unruled ones (thin).
    Green: mapped cells read with full confidence; orange: lower confidence. Red text: the canonical code."""
    data = Path(file).read_bytes()
    if not data[:1024].lstrip().startswith(b"%PDF") or report.status == "failed":
        return 0
    import pypdfium2 as pdfium
    from PIL import ImageDraw

    doc = load(RawInput(data, Path(file).name), Settings(), "pdf")
    out.mkdir(parents=True, exist_ok=True)
    scale = 2.0
    grids = [b for b in doc.blocks if isinstance(b, Table)]
    pages = sorted({c.provenance.page for c in report.cells if c.provenance.page}
                   | {p for g in grids if g.method == "pdf-lattice" for p in g.pages})
    pdf = pdfium.PdfDocument(data)
    try:
        for number in pages:
            page = pdf[number - 1]
            image = page.render(scale=scale, may_draw_forms=True, rotation=0).to_pil().convert("RGB")
            draw = ImageDraw.Draw(image)
            for grid in grids:
                for cell in grid.cells:
                    box = cell.provenance.bbox
                    if cell.provenance.page == number and box is not None:
                        width = 2 if grid.method == "pdf-lattice" else 1
                        draw.rectangle([box.x0 * scale, box.y0 * scale, box.x1 * scale, box.y1 * scale],
                                       outline=(40, 90, 230), width=width)
            for mapped in report.cells:
                box = mapped.provenance.bbox
                if mapped.provenance.page != number or box is None:
                    continue
                rect = [box.x0 * scale + 2, box.y0 * scale + 2, box.x1 * scale - 2, box.y1 * scale - 2]
                colour = (0, 160, 0) if mapped.confidence >= 0.99 else (230, 120, 0)
                draw.rectangle(rect, outline=colour, width=2)
                draw.text((rect[0] + 2, rect[1] + 1), f"{mapped.row}.{mapped.col}", fill=(200, 0, 0))
            image.save(out / f"page-{number}.png")
            page.close()
    finally:
        pdf.close()
    return len(pages)
