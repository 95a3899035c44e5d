"""Web pages, including Word-exported HTML: prose paragraphs and every data <table> as a spanned grid."""

from __future__ import annotations

import logging
import re
from functools import lru_cache

from lxml import etree
from lxml import html as lxml_html

from extractor.errors import CorruptInput
from extractor.model import Block, Paragraph, Provenance, SourceDoc, Table
from extractor.settings import Settings
from extractor.sources.base import RawInput
from extractor.sources.encoding import declared_charset, decode
from extractor.sources.grid import DeclaredCell, place_cells
from extractor.sources.image import MAX_IMAGES

_log = logging.getLogger(__name__)

_BLOCK_TAGS = frozenset(
    "p div h1 h2 h3 h4 h5 h6 li ul ol tr table section article header footer blockquote pre center".split()
)
_SKIP_TAGS = frozenset({"script", "style", "head", "title", "noscript", "template", "iframe", "object"})
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)


def _tag(el: etree._Element) -> str:
    tag = el.tag
    return _local_name(tag) if isinstance(tag, str) else ""


@lru_cache(maxsize=1024)
def _local_name(tag: str) -> str:
    return tag.rsplit("}", 1)[-1].rsplit(":", 1)[-1].lower()


def _hidden(el: etree._Element) -> bool:
    return bool(_HIDDEN.search(el.get("style", "") or ""))


def _int_attr(el: etree._Element, name: str) -> int:
    m = re.match(r"\s*(\d+)", el.get(name, "") or "")
    return int(m.group(1)) if m else 1


def element_text(root: etree._Element) -> str:
    """Text with <br> / <p> / <div> boundaries as line breaks; iterative, so deep nesting cannot recurse."""
    parts: list[str] = []
    walker = etree.iterwalk(root, events=("start", "end"))
    for event, el in walker:
        tag = _tag(el)
        if event == "start":
            if tag in _SKIP_TAGS or (el is not root and _hidden(el)):
                walker.skip_subtree()
                if el is not root and el.tail:
                    parts.append(el.tail)
                continue
            if tag == "br" or tag in _BLOCK_TAGS:
                parts.append("\n")
            if el.text:
                parts.append(el.text)
        else:
            if tag in _BLOCK_TAGS:
                parts.append("\n")
            if el is not root and el.tail:
                parts.append(el.tail)
    lines = [" ".join(line.split()) for line in "".join(parts).replace("\xa0", " ").split("\n")]
    return "\n".join(line for line in lines if line)


def _own_rows(table: etree._Element) -> list[etree._Element]:
    rows: list[etree._Element] = []
    for child in table:
        tag = _tag(child)
        if tag == "tr":
            rows.append(child)
        elif tag in ("thead", "tbody", "tfoot"):
            rows.extend(r for r in child if _tag(r) == "tr")
    return rows


def _is_layout_table(table: etree._Element) -> bool:
    """A table whose cells hold other tables is page layout: its inner tables are the data."""
    for row in _own_rows(table):
        for cell in row:
            if _tag(cell) in ("td", "th") and any(_tag(d) == "table" for d in cell.iter()):
                return True
    return False


def _grid(table: etree._Element, index: int, settings: Settings) -> Table | None:
    rows = _own_rows(table)
    if len(rows) > settings.max_table_rows:
        _log.info("table %d skipped: %d rows", index, len(rows))
        return None
    declared: list[list[DeclaredCell]] = []
    for r, row in enumerate(rows):
        out: list[DeclaredCell] = []
        for c, cell in enumerate(el for el in row if _tag(el) in ("td", "th")):
            if _hidden(cell):
                continue
            rowspan = _int_attr(cell, "rowspan")
            if (cell.get("rowspan") or "").strip() == "0":
                rowspan = len(rows) - r  # HTML: rowspan=0 runs to the end of the table section
            out.append(
                DeclaredCell(
                    element_text(cell),
                    rowspan=rowspan,
                    colspan=_int_attr(cell, "colspan"),
                    provenance=Provenance(path=f"table[{index}]/tr[{r + 1}]/td[{c + 1}]"),
                )
            )
        declared.append(out)
    return place_cells(declared, "html", index, settings.max_table_cells)


def _blocks(body: etree._Element, settings: Settings, inline: list[str]) -> list[Block]:
    blocks: list[Block] = []
    buffer: list[str] = []
    n_tables = 0
    n_images = 0

    def flush() -> None:
        text = " ".join("".join(buffer).replace("\xa0", " ").split())
        buffer.clear()
        if text:
            blocks.append(Paragraph(text, Provenance(path=f"p[{len(blocks) + 1}]")))

    walker = etree.iterwalk(body, events=("start", "end"))
    for event, el in walker:
        tag = _tag(el)
        if event == "start":
            if tag in _SKIP_TAGS or _hidden(el):
                walker.skip_subtree()
                if el.tail:
                    buffer.append(el.tail)
                continue
            if tag == "table" and not _is_layout_table(el):
                flush()
                n_tables += 1
                grid = _grid(el, n_tables, settings)
                if grid is not None:
                    blocks.append(grid)
                walker.skip_subtree()
                if el.tail:
                    buffer.append(el.tail)
                continue
            if tag == "img":
                # A table posted as an image: only inline data: URIs are read, never a file or a URL.
                from extractor.sources.image import data_uri_bytes, image_blocks

                src = el.get("src") or ""
                if src.startswith(_LIFTED):
                    index = src[len(_LIFTED):]
                    src = inline[int(index)] if index.isdigit() and int(index) < len(inline) else ""
                data = data_uri_bytes(src, settings.max_bytes)
                if data is not None and n_images < MAX_IMAGES:
                    flush()
                    n_images += 1
                    blocks.extend(image_blocks(data, first_page=n_images, settings=settings))
            if tag == "br" or tag in _BLOCK_TAGS or tag in ("td", "th"):
                flush()
            if el.text:
                buffer.append(el.text)
        else:
            if tag in _BLOCK_TAGS or tag in ("td", "th"):
                flush()
            if el.tail and el is not body:
                buffer.append(el.tail)
    flush()
    return blocks


_LIFTED = "extractor-lifted-image:"
# libxml2 drops an attribute over 10 MB unless its limits are lifted for the whole (untrusted) page: a
# 400-dpi page image as a data: URI is larger. Such URIs are taken out before parsing and put back by index.
_LARGE_DATA_URI = re.compile(r"([\"'])(data:image/[\w.+-]+;base64,[A-Za-z0-9+/=\s]{1000000,}?)\1")


def _lift_large_images(text: str) -> tuple[str, list[str]]:
    lifted: list[str] = []

    def lift(match: re.Match[str]) -> str:
        lifted.append(match.group(2))
        return f"{match.group(1)}{_LIFTED}{len(lifted) - 1}{match.group(1)}"

    return _LARGE_DATA_URI.sub(lift, text), lifted


def load_html(raw: RawInput, settings: Settings) -> SourceDoc:
    text, encoding = decode(raw.data, declared_charset(raw.data))
    if not text.strip():
        raise CorruptInput("empty web page")
    # lxml refuses a str that still carries its XML encoding declaration (XHTML): the text is decoded already.
    text = _XML_DECLARATION.sub("", text, count=1)
    text, inline = _lift_large_images(text)
    parser = lxml_html.HTMLParser(recover=True, no_network=True, remove_comments=True, huge_tree=False)
    try:
        root = lxml_html.document_fromstring(text, parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise CorruptInput(f"unreadable HTML: {exc}") from None
    body = root.find("body")
    blocks = _blocks(body if body is not None else root, settings, inline)
    _log.debug("page decoded as %s", encoding)
    return SourceDoc(kind="html", blocks=tuple(blocks))

