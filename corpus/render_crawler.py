"""Crawler text dumps of a web page, as page-archiving crawlers save them: the page's text in document
order with the cells of every table run together (no separator, or one space between rows), the way
../shared/realdata/fj_pingtan_*/source_page.txt were saved. Built from the page itself, never from what
the extractor reads of it.

    python corpus/render_crawler.py PAGE.html [--rows-spaced]
"""

from __future__ import annotations

import argparse
import sys

from lxml import etree
from lxml import html as lxml_html

SKIP = {"script", "style", "head", "noscript"}


def crawler_text(page: bytes, cell_sep: str = "", row_sep: str = "") -> str:
    from extractor.sources.encoding import declared_charset, decode

    text, _ = decode(page, declared_charset(page))
    root = lxml_html.document_fromstring(text.encode("utf-8"), parser=lxml_html.HTMLParser(encoding="utf-8"))
    out: list[str] = []

    def words(s: str | None) -> str:
        return " ".join((s or "").split())

    def walk(el: etree._Element) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in SKIP:
            out.append(words(el.tail))
            return
        if tag == "table":
            rows = [cell_sep.join(words(td.text_content()) for td in tr.xpath("./td|./th")) for tr in el.xpath(".//tr")]
            out.append(row_sep.join(rows))
        else:
            out.append(words(el.text))
            for child in el:
                walk(child)
        out.append(words(el.tail))

    body = root.find("body")
    walk(body if body is not None else root)
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
