"""Loaders, one per input kind, behind one `load` call that sniffs the kind from the bytes."""

from __future__ import annotations

from pathlib import Path

from extractor.errors import CorruptInput, InputTooLarge, UnsupportedInput
from extractor.model import SourceDoc
from extractor.settings import Settings
from extractor.sources.base import Loader, RawInput

KINDS = ("pdf", "html", "docx", "doc", "text", "image", "sheet", "zip")
_EXTENSIONS = {
    ".pdf": "pdf", ".html": "html", ".htm": "html", ".shtml": "html", ".xhtml": "html", ".mht": "html",
    ".mhtml": "html", ".docx": "docx", ".doc": "doc", ".wps": "doc", ".rtf": "doc", ".odt": "doc",
    ".txt": "text", ".tsv": "text", ".csv": "text", ".md": "text", ".markdown": "text", ".text": "text",
    ".png": "image", ".jpg": "image", ".jpeg": "image", ".tif": "image", ".tiff": "image", ".bmp": "image",
    ".gif": "image", ".webp": "image", ".xlsx": "sheet", ".xlsm": "sheet", ".xls": "sheet", ".et": "sheet",
    ".ods": "sheet", ".zip": "zip",
}
# Magic bytes of files that are not reports in any form this reads: named in the error.
_FOREIGN = (
    (b"\x1f\x8b", "a gzip archive"), (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"), (b"Rar!", "a RAR archive"),
    (b"\x7fELF", "an ELF executable"), (b"MZ", "a Windows executable"), (b"%!PS", "a PostScript file"),
    (b"OggS", "an Ogg media file"), (b"ID3", "an MP3 audio file"), (b"\x00\x00\x01\xba", "an MPEG video"),
    (b"SQLite format 3", "an SQLite database"), (b"BZh", "a bzip2 archive"), (b"\xfd7zXZ", "an xz archive"),
)


def _zip_kind(data: bytes, ext: str) -> str:
    import io
    import zipfile

    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return {".xlsx": "sheet", ".xlsm": "sheet", ".zip": "zip"}.get(ext, "docx")  # the loader says it is broken
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "sheet"
    if "content.xml" in names and "mimetype" in names:
        return "sheet" if ext == ".ods" else "doc"
    return "zip"


def sniff_kind(data: bytes, name: str = "") -> str:
    """The input kind from magic bytes first, the file extension second; `unknown` for other binary files."""
    head = data[:4096]
    ext = Path(name).suffix.lower()
    if head.lstrip().startswith(b"%PDF") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _zip_kind(data, ext)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        # OLE2: Excel keeps a 'Workbook' stream, Word a 'WordDocument' one.
        if ext in (".xls", ".et") or b"W\x00o\x00r\x00k\x00b\x00o\x00o\x00k" in data[:1_000_000]:
            return "sheet"
        return "doc"
    if head.startswith(b"{\\rtf"):
        return "doc"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"GIF8", b"BM")) or \
            (head.startswith(b"RIFF") and head[8:12] == b"WEBP"):
        return "image"
    lowered = head.lower()
    if any(tag in lowered for tag in (b"<html", b"<!doctype html", b"<table", b"<body", b"<meta")):
        return "html"
    if ext in _EXTENSIONS:
        return _EXTENSIONS[ext]
    if describe_foreign(data) is not None or _binary(head):
        return "unknown"
    return "text"


def _binary(head: bytes) -> bool:
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return True
    control = sum(1 for b in head if b < 9 or 13 < b < 32)
    return len(head) > 0 and control / len(head) > 0.1


def describe_foreign(data: bytes) -> str | None:
    head = data[:64]
    for magic, what in _FOREIGN:
        if head.startswith(magic):
            return what
    if head[4:8] == b"ftyp":
        return "an MP4/QuickTime media file"
    if head.startswith(b"RIFF"):
        return "a RIFF media file"
    return None


def _loader(kind: str) -> Loader:
    # Imported lazily so a missing optional engine only fails the documents that need it.
    if kind == "html":
        from extractor.sources.html import load_html

        return load_html
    if kind == "docx":
        from extractor.sources.docx import load_docx

        return load_docx
    if kind == "text":
        from extractor.sources.text import load_text

        return load_text
    if kind == "pdf":
        from extractor.sources.pdf import load_pdf

        return load_pdf
    if kind == "doc":
        from extractor.sources.office import load_office

        return load_office
    if kind == "image":
        from extractor.sources.image import load_image

        return load_image
    if kind == "sheet":
        from extractor.sources.sheet import load_sheet

        return load_sheet
    if kind == "unknown":
        return _refuse_unknown
    if kind == "zip":
        raise UnsupportedInput("a zip archive holds several documents: extract it with extract_many() or batch")
    raise UnsupportedInput(f"unknown input kind {kind!r}; expected one of {', '.join(KINDS)}")


def _refuse_unknown(raw: RawInput, settings: Settings) -> SourceDoc:
    what = describe_foreign(raw.data) or "a binary file of unknown type"
    ext = Path(raw.name).suffix
    raise UnsupportedInput(f"unsupported input: {what}{f' ({ext})' if ext else ''}, not a PDF, web page, Word, "
                           "spreadsheet, image, text or zip file")


def load(raw: RawInput, settings: Settings, kind: str | None = None) -> SourceDoc:
    if not raw.data:
        raise CorruptInput("empty file")
    if len(raw.data) > settings.max_bytes:
        raise InputTooLarge(f"{len(raw.data)} bytes, over the {settings.max_bytes}-byte limit")
    kind = kind or sniff_kind(raw.data, raw.name)
    return _loader(kind)(raw, settings)


__all__ = ["KINDS", "RawInput", "load", "sniff_kind"]
