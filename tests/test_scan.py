"""Scans and images: the trust rules for uncertain OCR digits, image inputs, bombs."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import CORPUS, extract_once

import extractor
from extractor.identities import equations
from extractor.model import CanonicalCell, Provenance
from extractor.reconcile.uncertain import settle_uncertain


def _t4(review: list[int], raw_total: str, confidence: float, alternatives: tuple[str, ...]) -> list[CanonicalCell]:
    cells = []
    for block in ("review", "suit_direct", "suit_after_review"):
        parts = review if block == "review" else [0, 0, 0, 0]
        for col, value in zip(("upheld", "corrected", "other", "pending"), parts, strict=True):
            cells.append(CanonicalCell("2021", "t4", block, col, value, str(value), Provenance(), "ocr-lattice:order",
                                       1.0))
        total = sum(parts)
        if block == "review":
            cells.append(CanonicalCell("2021", "t4", block, "total", int(raw_total), raw_total, Provenance(),
                                       "ocr-lattice:order", confidence, alternatives=alternatives))
        else:
            cells.append(CanonicalCell("2021", "t4", block, "total", total, str(total), Provenance(),
                                       "ocr-lattice:order", 1.0))
    return cells


def _settle(cells: list[CanonicalCell]):  # type: ignore[no-untyped-def]
    out, findings = settle_uncertain(cells, equations("2021", []))
    return {c.key: c for c in out}[("t4", "review", "total")], findings


def test_identity_picks_the_recognisers_alternative_when_only_it_fits() -> None:
    cell, findings = _settle(_t4([1, 1, 0, 1], "8", 0.55, ("3",)))
    assert (cell.value, cell.raw, cell.method) == (3, "3", "ocr+identity") and not findings


def test_identity_confirms_the_best_reading() -> None:
    cell, findings = _settle(_t4([1, 1, 0, 1], "3", 0.6, ("8",)))
    assert (cell.value, cell.method) == (3, "ocr+identity") and not findings


def test_no_reading_fits_keeps_best_and_flags() -> None:
    cell, findings = _settle(_t4([1, 1, 0, 1], "8", 0.6, ("9",)))
    assert cell.value == 8 and cell.confidence == 0.6 and cell.method.startswith("ocr-lattice")
    assert [(f.check, f.severity) for f in findings] == [("uncertain_value", "error")]


def test_uncertain_cell_outside_every_identity_is_flagged() -> None:
    cell = CanonicalCell("2021", "t2", "rules", "issued", 7, "7", Provenance(), "ocr-lattice:header", 0.5,
                         alternatives=("1",))
    out, findings = settle_uncertain([cell], equations("2021", []))
    assert out[0].value == 7 and findings and "no identity" in findings[0].message


def test_scanned_documents_read_right() -> None:
    report = extract_once(CORPUS / "scan_red_seal" / "document.pdf")
    assert report.source_kind == "scanned-pdf" and report.status == "ok"
    cell = report.cell("t3", "new", "total")
    assert cell is not None and cell.method.startswith("ocr") and cell.provenance.page == 1


def test_png_image_input(tmp_path: Path) -> None:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument((CORPUS / "pdf_ruled_2021" / "document.pdf").read_bytes())
    image = pdf[len(pdf) - 1].render(scale=200 / 72).to_pil()  # the page with 表四
    path = tmp_path / "table.png"
    image.save(path)
    report = extractor.extract(path)
    assert report.source_kind == "image"
    t4 = [c for c in report.cells if c.table == "t4"]
    assert len(t4) == 15 and all(c.provenance.bbox and c.provenance.bbox.origin == "top-left, pixels" for c in t4)


def test_image_decompression_bomb_is_refused() -> None:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("1", (12000, 12000)).save(buf, format="PNG")  # 144 Mpx in a few hundred KB
    report = extractor.extract(buf.getvalue())
    assert report.status == "failed" and "pixel" in report.error and "limit" in report.error


def test_corrupt_image() -> None:
    report = extractor.extract(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
    assert report.status == "failed" and "unreadable image" in report.error


@pytest.mark.parametrize("uri", ["file:///etc/passwd", "http://127.0.0.1/x.png", "data:text/plain;base64,QUJD"])
def test_only_inline_image_data_is_read(uri: str) -> None:
    from extractor.sources.image import data_uri_bytes

    assert data_uri_bytes(uri, 10_000) is None


def test_scanned_prose_page_is_not_read_token_by_token(monkeypatch: pytest.MonkeyPatch) -> None:
    import cv2
    import numpy as np
    from PIL import Image, ImageDraw, ImageFont

    import extractor.sources.scan as scan
    import extractor.sources.scan.marks as marks

    def no_ocr(crops):  # type: ignore[no-untyped-def]
        raise AssertionError(f"{len(crops)} prose tokens sent to the recogniser")

    monkeypatch.setattr(marks, "recognise", no_ocr)  # read_values, the cells' and tokens' recogniser
    image = Image.new("RGB", (1650, 2300), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 28)
    for k in range(40):
        line = "本机关坚持以公开为常态、不公开为例外，全面推进政务公开工作。"
        draw.text((120, 120 + k * 50), line, font=font, fill="black")
    assert scan.scan_page(cv2.cvtColor(np.asarray(image), cv2.COLOR_RGB2BGR), 1, 1.0, 1) == []


def test_unruled_scan_is_read_by_position() -> None:
    report = extract_once(CORPUS / "scan_unruled" / "document.pdf")
    assert report.status == "ok" and len(report.cells) == 200
    assert all(c.method.startswith("ocr") for c in report.cells)


def test_slash_blank_read_as_a_digit() -> None:
    """Regression (scan draw seeds 4, 7: JPEG 25 / perspective): every blank '/' read as '1' or '7' by the
    recogniser (94 cells wrong, flagged). A lone '1'/'7' whose one stroke slants like '/' without a top bar
    reads '/', the digit kept as an alternative for the identities."""
    import cv2
    import numpy as np

    from extractor.sources.scan.marks import _slash_or
    from extractor.sources.scan.ocr import Reading

    def glyph(*strokes: tuple[int, int, int, int]) -> np.ndarray:
        image = np.full((48, 36), 255, np.uint8)
        for x0, y0, x1, y1 in strokes:
            cv2.line(image, (x0, y0), (x1, y1), 0, 3)
        return image

    slash, one, seven = glyph((10, 42, 26, 6)), glyph((18, 6, 18, 42)), glyph((8, 6, 28, 6), (28, 6, 14, 42))
    assert _slash_or(slash, Reading("1", 0.95)).text == "/"
    assert _slash_or(one, Reading("1", 0.95)).text == "1"
    assert _slash_or(seven, Reading("7", 0.95)).text == "7"
    assert _slash_or(slash, Reading("12", 0.95)).text == "12"


def test_unsure_cells_of_one_identity_settled_together() -> None:
    """Regression (scan draw seed 4): every '/' of a 表四 block read '1' (alternative '/') under a sure 总计:
    each cell's identity held other unsure cells, so none was ever decided. The one combination that makes
    the block's identity hold is taken; two that do leave the flag. A blank mark is chosen only where the
    table shows one surely elsewhere (draw 37026: the top of a '0' on a seal's ring read '—', chosen by I3
    where the table prints its zeros as '0')."""
    cells = _t4([0, 0, 0, 0], "2", 1.0, ())
    unsure = {("t4", "review", c) for c in ("corrected", "other", "pending")}
    cells = [replace(c, value=1, raw="1", confidence=0.6, alternatives=("/",)) if c.key in unsure else c
             for c in cells]
    cells = [replace(c, value=2, raw="2") if c.key == ("t4", "review", "upheld") else c for c in cells]
    _, findings = settle_uncertain(cells, equations("2021", []))
    assert len(findings) == 3  # no '/' printed surely in the table: '/' or '0', the identities cannot tell
    cells = [replace(c, value=None, raw="/") if c.key == ("t4", "suit_direct", "other") else c for c in cells]
    out, findings = settle_uncertain(cells, equations("2021", []))
    got = {c.key: c for c in out}
    assert not findings
    assert all(got[k].value is None and got[k].method == "ocr+identity" for k in unsure)
    ambiguous = [replace(c, value=1, raw="1") if c.key == ("t4", "review", "upheld") else c for c in cells]
    ambiguous = [replace(c, raw="2", value=2) if c.key == ("t4", "review", "total") else c for c in ambiguous]
    _, findings = settle_uncertain(ambiguous, equations("2021", []))
    assert len(findings) == 3


def test_unsure_empty_cell_is_not_settled_as_blank_by_an_identity() -> None:
    """Regression (scan draw seed 14004: a '0' read as nothing at 0.55 became a sure blank, silently wrong):
    an identity holds the same with an empty cell and with 0, so it cannot choose between them."""
    cells = _t4([1, 1, 0, 1], "3", 1.0, ())
    cells = [replace(c, value=None, raw="", confidence=0.55) if c.key == ("t4", "review", "corrected") else c
             for c in cells]
    out, findings = settle_uncertain(cells, equations("2021", []))
    cell = {c.key: c for c in out}[("t4", "review", "corrected")]
    assert cell.method.startswith("ocr-lattice") and cell.confidence == 0.55
    assert [f.check for f in findings] == ["uncertain_value"] and "cannot tell" in findings[0].message


def test_blank_cell_with_a_stroke_read_as_one_is_settled_blank_where_the_table_shows_blanks() -> None:
    """Regression (mild scan draws 23002 and 25014: correct documents flagged for 'read as empty' cells whose
    other reading was '1', a stroke of a rule or seal left in a blank cell): where the table shows blank cells
    surely, no '0', and the cell's only other readings are '1', an empty reading that makes the identities
    hold is taken. A table without blanks, or a '4', keeps the flag; a '0' among the readings is the zero
    printed."""
    key = ("t4", "review", "corrected")
    out, findings = settle_uncertain(_stroke_cells(("1",), True), equations("2021", []))
    cell = {c.key: c for c in out}[key]
    assert (cell.value, cell.raw, cell.method) == (None, "", "ocr+identity") and not findings
    for alternatives, blanks in ((("1",), False), (("4",), True)):
        out, findings = settle_uncertain(_stroke_cells(alternatives, blanks), equations("2021", []))
        assert {c.key: c for c in out}[key].method.startswith("ocr-lattice") and findings, alternatives
    out, findings = settle_uncertain(_stroke_cells(("1", "0"), True), equations("2021", []))  # a '0' is read
    assert {c.key: c for c in out}[key].raw == "0" and not findings


def test_zero_cut_to_a_stroke_by_a_seal_is_not_settled_blank_where_the_table_prints_zeros() -> None:
    """Regression (mild scan draw 27019: a '0' under a grey seal's ring, cleaned down to a stroke read '1',
    was settled as a blank, silently wrong): where the table prints '0's, the stroke may be a zero's remains,
    and an identity cannot tell a blank from a 0."""
    key = ("t4", "review", "corrected")
    out, findings = settle_uncertain(_stroke_cells(("1",), True, zeros=True), equations("2021", []))
    assert {c.key: c for c in out}[key].method.startswith("ocr-lattice") and findings


def _stroke_cells(alternatives: tuple[str, ...], blanks: bool, zeros: bool = False) -> list[CanonicalCell]:
    """表四 with 复议 纠正 read empty (other readings `alternatives`); `blanks`: 复议 其他 shows a blank surely;
    the other blocks' zeros are printed as '0' with `zeros`, else blank too (when `blanks`)."""
    out = []
    for c in _t4([1, 0, 0, 1], "2", 1.0, ()):
        if c.key == ("t4", "review", "corrected"):
            c = replace(c, value=None, raw="", confidence=0.3, alternatives=alternatives)
        elif blanks and c.value == 0 and (c.key == ("t4", "review", "other") or not zeros):
            c = replace(c, value=None, raw="")
        out.append(c)
    return out


def test_blank_under_a_seal_with_nothing_read_is_settled_blank_where_the_table_shows_blanks() -> None:
    """Regression (scan draw 38008, unruled, blanks for zeros: a blank cell under a seal that may have hidden
    print was unsure with no other reading, and flagged though the identities hold with it blank): an empty
    reading with no other reading counts as one with only a stroke's. A table printing no blanks keeps the
    flag."""
    key = ("t4", "review", "corrected")
    out, findings = settle_uncertain(_stroke_cells((), True), equations("2021", []))
    assert {c.key: c for c in out}[key].method == "ocr+identity" and not findings
    out, findings = settle_uncertain(_stroke_cells((), False), equations("2021", []))
    assert {c.key: c for c in out}[key].method.startswith("ocr-lattice") and findings
