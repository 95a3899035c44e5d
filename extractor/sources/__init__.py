"""Loaders, one per input kind, behind one `load` call that sniffs the kind from the bytes."""

from __future__ import annotations

from pathlib import Path

from extractor.errors import CorruptInput, InputTooLarge, UnsupportedInput
from extractor.model import SourceDoc
from extractor.settings import Settings
from extractor.sources.base import Loader, RawInput

KINDS = ("pdf", "html", "docx", "doc", "text", "image")
_EXTENSIONS = {
    ".pdf": "pdf", ".html": "html", ".htm": "html", ".shtml": "html", ".xhtml": "html", ".mht": "html",
    ".docx": "docx", ".doc": "doc", ".wps": "doc", ".rtf": "doc", ".txt": "text", ".tsv": "text",
    ".csv": "text", ".md": "text", ".png": "image", ".jpg": "image", ".jpeg": "image", ".tif": "image",
    ".tiff": "image", ".bmp": "image", ".gif": "image",
}


def sniff_kind(data: bytes, name: str = "") -> str:
    """The input kind from magic bytes first, the file extension second."""
    head = data[:4096]
    if head.lstrip().startswith(b"%PDF") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    if head.startswith(b"\xd0\xcf\x11\xe0") or head.startswith(b"{\\rtf"):
        return "doc"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"II*\x00", b"MM\x00*", b"GIF8", b"BM")):
        return "image"
    lowered = head.lower()
    if any(tag in lowered for tag in (b"<html", b"<!doctype html", b"<table", b"<body", b"<meta")):
        return "html"
    ext = Path(name).suffix.lower()
    return _EXTENSIONS.get(ext, "text")


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
    raise UnsupportedInput(f"unknown input kind {kind!r}; expected one of {', '.join(KINDS)}")


def load(raw: RawInput, settings: Settings, kind: str | None = None) -> SourceDoc:
    if not raw.data:
        raise CorruptInput("empty file")
    if len(raw.data) > settings.max_bytes:
        raise InputTooLarge(f"{len(raw.data)} bytes, over the {settings.max_bytes}-byte limit")
    kind = kind or sniff_kind(raw.data, raw.name)
    return _loader(kind)(raw, settings)


__all__ = ["KINDS", "RawInput", "load", "sniff_kind"]
