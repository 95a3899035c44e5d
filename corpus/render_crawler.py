"""Crawler text dumps of a web page, as page-archiving crawlers save them: the page's text in document
order with the cells of every table run together (no separator, or one space between rows), the way
../shared/realdata/fj_pingtan_*/source_page.txt were saved. Built from the page itself, never from what
the extractor reads of it.

    python corpus/render_crawler.py PAGE.html [--rows-spaced]
"""

from __future__ import annotations

import argparse
import re
import sys

from lxml import etree
from lxml import html as lxml_html

SKIP = {"script", "style", "head", "noscript"}
CHARSET = re.compile(rb"charset\s*=\s*[\"']?([A-Za-z0-9_-]+)", re.I)


def _body(page: bytes) -> etree._Element:
    """The page's body, decoded by its own declared charset (else UTF-8, else GB18030) - decoded here, not
    by the extractor, so a decoding bug there cannot shape what this renders."""
    declared = CHARSET.search(page[:4096])
    for charset in ([declared.group(1).decode("ascii")] if declared else []) + ["utf-8", "gb18030"]:
        try:
            text = page.decode(charset)
            break
        except (LookupError, UnicodeDecodeError):
            continue
    else:
        text = page.decode("utf-8", "replace")
    root = lxml_html.document_fromstring(text.encode("utf-8"), parser=lxml_html.HTMLParser(encoding="utf-8"))
    body = root.find("body")
    return body if body is not None else root


def _words(s: str | None) -> str:
    return " ".join((s or "").split())


def pipe_text(page: bytes, one_cell_per_line: bool = False) -> str:
    """A web-page corpus's text of the page: blocks on their own lines, a table as `a | b | c |` rows (or one
    `cell |` per line, with `|||` where a span was), as ../shared/realdata/*_pg/source.txt were stored."""
    lines: list[str] = []

    def walk(el: etree._Element) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in SKIP:
            return
        if tag == "table":
            for tr in el.xpath(".//tr"):
                cells = tr.xpath("./td|./th")
                if one_cell_per_line:
                    for td in cells:
                        lines.append(f"{_words(td.text_content())} |".lstrip())
                        span = int(td.get("colspan") or 1) if (td.get("colspan") or "1").isdigit() else 1
                        if span > 1:
                            lines.append("|" * span)
                else:
                    lines.append(" | ".join(_words(td.text_content()) for td in cells) + " |")
            return
        if tag in ("p", "div", "h1", "h2", "h3", "h4", "li") and el.text and el.text.strip():
            lines.append(_words(el.text))
        for child in el:
            walk(child)

    walk(_body(page))
    return "\n".join(line for line in lines if line.strip())


def crawler_text(page: bytes, cell_sep: str = "", row_sep: str = "") -> str:
    out: list[str] = []

    def walk(el: etree._Element) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in SKIP:
            out.append(_words(el.tail))
            return
        if tag == "table":
            rows = [cell_sep.join(_words(td.text_content()) for td in tr.xpath("./td|./th"))
                    for tr in el.xpath(".//tr")]
            out.append(row_sep.join(rows))
        else:
            out.append(_words(el.text))
            for child in el:
                walk(child)
        out.append(_words(el.tail))

    walk(_body(page))
    return "".join(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page")
    parser.add_argument("--rows-spaced", action="store_true", help="one space between table rows")
    args = parser.parse_args()
    with open(args.page, "rb") as f:
        sys.stdout.write(crawler_text(f.read(), row_sep=" " if args.rows_spaced else ""))


if __name__ == "__main__":
    main()
