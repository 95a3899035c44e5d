"""PDF specifics: encryption, bad text layers, rotation, page provenance, debug images, Word via LibreOffice."""

from __future__ import annotations

import io
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import CORPUS

import extractor
from extractor.cli import main
from extractor.model import Char
from extractor.sources.pdf import _to_display, text_layer_quality
from extractor.sources.pdflayout import join_chars, lines_of

FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"


def _canvas(**kwargs):  # type: ignore[no-untyped-def]
    from reportlab.pdfgen import canvas

    buf = io.BytesIO()
    return buf, canvas.Canvas(buf, **kwargs)


def test_password_protected_pdf_fails_with_a_clear_error() -> None:
    from reportlab.lib.pdfencrypt import StandardEncryption

    buf, c = _canvas(encrypt=StandardEncryption("secret", ownerPassword="owner"))
    c.drawString(72, 720, "hello")
    c.save()
    report = extractor.extract(buf.getvalue())
    assert report.status == "failed" and "password" in report.error


def test_image_only_pdf_without_a_table_fails(tmp_path: Path) -> None:
    from PIL import Image

    png = tmp_path / "scan.png"
    Image.new("RGB", (200, 100), "white").save(png)
    buf, c = _canvas()
    c.drawImage(str(png), 72, 600, 200, 100)
    c.save()
    report = extractor.extract(buf.getvalue())
    assert report.status == "failed" and report.source_kind == "scanned-pdf"
    assert "no 表二/表三/表四 and no section heading found" in report.error


@pytest.mark.skipif(not Path(FONT).exists(), reason="CJK font not installed")
def test_page_with_unmapped_glyphs_is_never_read_as_text() -> None:
    import re

    import pypdfium2 as pdfium
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    pdfmetrics.registerFont(TTFont("WQYT", FONT, subfontIndex=0))
    buf, c = _canvas(pageCompression=0)
    c.setFont("WQYT", 10)
    for k in range(20):
        c.drawString(72, 760 - 14 * k, "三、收到和处理政府信息公开申请情况 自然人 0 1 2")
    c.save()
    # Point every glyph of the ToUnicode map at the private use area (same byte length, xref intact):
    # the page shows text, but its characters are unknown, like (cid:NN) output.
    garbage = re.sub(rb"(<[0-9A-F]{2}> )<[0-9A-F]{2}([0-9A-F]{2})>", rb"\1<E0\2>", buf.getvalue())
    merged = pdfium.PdfDocument((CORPUS / "pdf_ruled_2021" / "document.pdf").read_bytes())
    merged.import_pages(pdfium.PdfDocument(garbage))
    out = io.BytesIO()
    merged.save(out)
    n_pages = len(pdfium.PdfDocument(out.getvalue()))
    report = extractor.extract(out.getvalue())
    assert report.status == "ok" and report.source_kind == "scanned-pdf"  # the garbage page went to OCR
    assert all(c.provenance.page != n_pages for c in report.cells)
    alone = extractor.extract(garbage)
    assert alone.status == "failed"


def test_text_layer_quality() -> None:
    def chars(text: str) -> list[Char]:
        return [Char(ch, i, 0, i + 1, 10) for i, ch in enumerate(text)]

    assert text_layer_quality(chars("收到和处理政府信息公开申请情况" * 5)) == "ok"
    assert text_layer_quality(chars("\ue001\ue002\ue003" * 20)) == "garbage"
    assert text_layer_quality(chars("口" * 200)) == "garbage"  # one .notdef-mapped glyph for everything
    assert text_layer_quality(chars("ab")) == "none"


@pytest.mark.parametrize(("rotation", "point", "expected"), [
    (0, (10, 800), (10, 42)), (90, (10, 800), (800, 10)), (180, (10, 800), (585, 800)),
    (270, (10, 800), (42, 585)),
])
def test_rotation_to_display(rotation: int, point: tuple[float, float], expected: tuple[float, float]) -> None:
    assert _to_display(rotation, 595, 842)(*point) == pytest.approx(expected)


def test_landscape_table_on_rotated_page() -> None:
    report = extractor.extract(CORPUS / "pdf_horizontal_2021" / "document.pdf")
    t4 = [c for c in report.cells if c.table == "t4"]
    assert len(t4) == 15 and all(c.provenance.bbox is not None for c in t4)
    xs = [c.provenance.bbox.x0 for c in t4 if c.provenance.bbox]  # left to right on a landscape page
    assert max(xs) > 595


def test_table_split_over_pages_keeps_every_page() -> None:
    report = extractor.extract(CORPUS / "pdf_ruled_2021" / "document.pdf")
    pages = {c.provenance.page for c in report.cells if c.table == "t3"}
    assert len(pages) >= 2 and report.status == "ok"


def test_debug_images(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["extract", str(CORPUS / "pdf_lo_2021" / "document.pdf"),
                                       "--debug", str(tmp_path)])
    assert result.exit_code == 0
    images = sorted(tmp_path.glob("page-*.png"))
    assert len(images) >= 2 and all(p.stat().st_size > 10_000 for p in images)


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice not installed")
def test_word_doc_through_libreoffice(tmp_path: Path) -> None:
    source = tmp_path / "report.docx"
    shutil.copy(CORPUS / "docx_2021" / "document.docx", source)
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/p", "--convert-to", "doc",
                    "--outdir", str(tmp_path), str(source)], check=True, capture_output=True, timeout=120)
    report = extractor.extract(tmp_path / "report.doc")
    assert report.source_kind == "doc" and report.status == "ok" and len(report.cells) == 200


def test_word_doc_without_libreoffice(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    report = extractor.extract(b"\xd0\xcf\x11\xe0" + b"\x00" * 600)
    assert report.status == "failed" and "LibreOffice" in report.error


def test_text_drawn_as_outlines_goes_to_ocr() -> None:
    import pypdfium2 as pdfium

    from extractor.sources.pdf import _pictures

    buf, c = _canvas()
    for k in range(400):  # glyphs converted to outlines: many small shapes, no text objects
        c.rect(72 + (k % 40) * 11, 700 - (k // 40) * 14, 8, 10, stroke=0, fill=1)
    c.save()
    outlined = pdfium.PdfDocument(buf.getvalue())
    assert _pictures(outlined[0])[1] > 300
    buf2, c2 = _canvas()
    c2.rect(72, 700, 100, 1, stroke=0, fill=1)
    c2.save()
    share, paths = _pictures(pdfium.PdfDocument(buf2.getvalue())[0])
    assert share == 0 and paths <= 300
    report = extractor.extract(buf.getvalue())
    assert report.source_kind == "scanned-pdf"


def test_punctuation_mark_stays_on_its_line() -> None:
    """Regression (draw 7069): a '、' low in its em box, level with the top of the next line of a wrapped
    group label, joined that line ('2其他' over '、行政'); it belongs with the letter just left of it."""
    first = [Char("2", 0, 100, 5, 110), Char("、", 5, 108.5, 15, 111), Char("其", 15, 100, 25, 110)]
    second = [Char("行", 15, 108, 25, 118), Char("政", 25, 108, 35, 118)]
    assert [join_chars(line) for line in lines_of(first + second)] == ["2、其", "行政"]


def test_header_words_of_narrow_columns_apart_despite_jittered_letters() -> None:
    """Regression (PDF layout draw 42288: 表四 on a portrait page, ruled across only, drawn a character at a
    time with jitter and tracking: 183/198): the letters' gaps spread from 0.1 to 3.0 points and the word
    gaps of '结果维' '结果纠' '其他结' '尚未审' '总计' were 3.8 to 6.7; the median cut (median + 2.5) parted only
    two of them, 表四's columns were unknown and 表四 was lost. Gaps that fall in two clear groups are cut
    between them; evenly jittered letters without word gaps are one word."""
    from extractor.model import Char
    from extractor.sources.pdflayout import token_words

    def token(text: str, gaps: list[float]) -> list[Char]:
        chars, x = [], 44.0
        for ch, gap in zip(text, [0.0, *gaps], strict=True):
            x += gap
            chars.append(Char(ch, x, 100.0, x + 8.5, 108.5))
            x += 8.5
        return chars

    words = token_words(token("结果维结果纠其他结尚未审总计",
                              [2.07, 1.78, 3.84, 1.88, 2.38, 6.0, 2.02, 0.1, 6.72, 2.67, 1.31, 4.46, 3.04]))
    assert [w[0] for w in words] == ["结果维", "结果纠", "其他结", "尚未审", "总计"]
    assert token_words(token("本年新收政府信息公开申请", [2.1, 0.4, 3.0, 1.2, 2.8, 0.2, 1.9, 2.5, 0.9, 3.1, 1.5])) == ()
