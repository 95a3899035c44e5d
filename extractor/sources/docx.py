"""Word .docx: body paragraphs and tables in order; gridSpan and vMerge become explicit spans."""

from __future__ import annotations

import io
import zipfile
from typing import Any

from extractor.errors import CorruptInput, InputTooLarge
from extractor.model import Block, Paragraph, Provenance, SourceDoc, Table
from extractor.settings import Settings
from extractor.sources.base import RawInput
from extractor.sources.grid import MAX_SPAN, DeclaredCell, place_cells
from extractor.sources.image import MAX_IMAGES

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
# A picture's reference: DrawingML's a:blip r:embed, or the older VML v:imagedata r:id.
BLIP = "{http://schemas.openxmlformats.org/drawingml/2006/main}blip"
VML_IMAGE = "{urn:schemas-microsoft-com:vml}imagedata"


def check_zip(data: bytes, settings: Settings) -> None:
    """Refuse zip bombs before any XML is inflated."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise CorruptInput(f"not a valid Word file (zip container unreadable: {exc})") from None
    total = 0
    for info in archive.infolist():
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > 1_000_000 and ratio > settings.max_zip_ratio:
            raise InputTooLarge(f"zip member {info.filename!r} inflates {ratio:.0f}x: refused as a zip bomb")
    if total > settings.max_unzipped_bytes:
        raise InputTooLarge(f"Word file inflates to {total} bytes, over the {settings.max_unzipped_bytes} limit")
    if "word/document.xml" not in archive.namelist():
        raise CorruptInput("zip file without word/document.xml: not a Word document")
    body = archive.getinfo("word/document.xml").file_size
    if body > settings.max_docx_xml_bytes:
        raise InputTooLarge(f"Word document body inflates to {body} bytes, over the {settings.max_docx_xml_bytes}"
                            "-byte limit")


def _text(el: Any) -> str:
    lines = []
    for p in el.iter(f"{W}p"):
        parts = []
        for node in p.iter(f"{W}t", f"{W}tab", f"{W}br"):
            if node.tag == f"{W}t":
                parts.append(node.text or "")
            else:
                parts.append("\n" if node.tag == f"{W}br" else " ")
        lines.append("".join(parts))
    return "\n".join(line for line in "\n".join(lines).split("\n") if line.strip())


def _span(value: str | None) -> int:
    """A gridSpan, clamped before use: a hostile 999999999 must not drive a loop."""
    try:
        return max(1, min(int(value or 1), MAX_SPAN))
    except ValueError:
        return 1


def _skip(value: str | None) -> int:
    try:
        return max(0, min(int(value or 0), MAX_SPAN))
    except ValueError:
        return 0


def _val(el: Any, name: str) -> str | None:
    child = el.find(name)
    return None if child is None else child.get(f"{W}val")


def _table(tbl: Any, index: int, settings: Settings) -> Table | None:
    rows = tbl.findall(f"{W}tr")
    if len(rows) > settings.max_table_rows:
        return None
    declared: list[list[DeclaredCell]] = []
    # vMerge="continue" cells join the open cell above in the same grid column.
    open_cells: dict[int, DeclaredCell] = {}
    for r, tr in enumerate(rows):
        out: list[DeclaredCell] = []
        trpr = tr.find(f"{W}trPr")
        col = _skip(_val(trpr, f"{W}gridBefore")) if trpr is not None else 0
        for c, tc in enumerate(tr.findall(f"{W}tc")):
            tcpr = tc.find(f"{W}tcPr")
            span = _span(_val(tcpr, f"{W}gridSpan")) if tcpr is not None else 1
            vmerge = tcpr.find(f"{W}vMerge") if tcpr is not None else None
            state = None if vmerge is None else (vmerge.get(f"{W}val") or "continue")
            if state == "continue" and col in open_cells:
                open_cells[col].rowspan += 1
            else:
                cell = DeclaredCell(
                    _text(tc), colspan=span, col=col,
                    provenance=Provenance(path=f"tbl[{index}]/tr[{r + 1}]/tc[{c + 1}]"),
                )
                out.append(cell)
                for k in range(col, col + span):
                    open_cells.pop(k, None)
                if state == "restart":
                    open_cells[col] = cell
            col += span
        declared.append(out)
    return place_cells(declared, "docx", index, settings.max_table_cells)


def _picture_parts(p: Any, document: Any) -> list[bytes]:
    """The bytes of the pictures a paragraph shows (a table pasted as a picture, a scanned page), from the
    package's own parts only: a picture linked to an outside file or URL is never read."""
    out = []
    for node in p.iter(BLIP, VML_IMAGE):
        rid = node.get(f"{R}embed") or node.get(f"{R}id")
        rel = document.part.rels.get(rid) if rid else None
        if rel is not None and not rel.is_external:
            out.append(rel.target_part.blob)
    return out


def _picture_blocks(pictures: list[bytes], first_page: int, settings: Settings) -> list[Block]:
    from extractor.sources.image import image_blocks

    blocks: list[Block] = []
    for k, data in enumerate(pictures):
        try:
            blocks.extend(image_blocks(data, first_page + k, settings))
        except CorruptInput:  # EMF/WMF and other formats PIL cannot draw: a drawing, not a scanned table
            continue
    return blocks


def load_docx(raw: RawInput, settings: Settings) -> SourceDoc:
    check_zip(raw.data, settings)
    import docx  # python-docx parses with entity resolution off, so XXE payloads stay inert

    try:
        document = docx.Document(io.BytesIO(raw.data))
    except Exception as exc:  # python-docx raises many types for broken packages
        raise CorruptInput(f"unreadable Word file: {type(exc).__name__}: {exc}") from None
    blocks: list[Block] = []
    n_tables = n_images = 0
    for child in document.element.body.iterchildren():
        if child.tag == f"{W}p":
            text = _text(child).strip()
            if text:
                blocks.append(Paragraph(" ".join(text.split()), Provenance(path=f"p[{len(blocks) + 1}]")))
            pictures = _picture_parts(child, document)[:MAX_IMAGES - n_images]
            if pictures:
                blocks.extend(_picture_blocks(pictures, n_images + 1, settings))
                n_images += len(pictures)
        elif child.tag == f"{W}tbl":
            n_tables += 1
            table = _table(child, n_tables, settings)
            if table is not None:
                blocks.append(table)
    return SourceDoc(kind="docx", blocks=tuple(blocks))
