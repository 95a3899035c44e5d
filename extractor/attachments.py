"""Report pages whose report is an attachment: a web page with no table but links such as
`附件：2023年政府信息公开工作年度报告.pdf` on the same site. The links are followed one level (http(s), the
page's own host, at most MAX_ATTACHMENTS, each fetch bounded as any URL), each attachment extracted as a
document of its own whose `parent` is the page."""

from __future__ import annotations

import re
import urllib.parse

from lxml import html as lxml_html

from extractor.model import Report
from extractor.settings import Settings

MAX_ATTACHMENTS = 5
DOCUMENT_LINK = re.compile(r"\.(pdf|docx?|wps|xlsx?|et|zip)(?:$|[?#])", re.IGNORECASE)


def _host(url: str) -> str:
    host = (urllib.parse.urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def attachment_links(page: bytes, page_url: str) -> list[str]:
    """Links of the page to documents on its own host, report-looking ones first."""
    from extractor.sources.encoding import declared_charset, decode

    text, _ = decode(page, declared_charset(page))
    try:
        root = lxml_html.document_fromstring(text.encode("utf-8"), parser=lxml_html.HTMLParser(encoding="utf-8"))
    except (ValueError, lxml_html.etree.ParserError):
        return []
    found: list[tuple[int, str]] = []
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith(("javascript:", "mailto:", "#")):
            continue
        url = urllib.parse.urljoin(page_url, href)
        if not url.startswith(("http://", "https://")) or _host(url) != _host(page_url):
            continue
        if not DOCUMENT_LINK.search(urllib.parse.urlsplit(url).path + (urllib.parse.urlsplit(url).query or "")):
            continue
        label = " ".join("".join(str(t) for t in a.itertext()).split())
        rank = 0 if ("年度报告" in label or "年报" in label) else 1 if "附件" in label else 2
        found.append((rank, url))
    seen: dict[str, None] = {}
    for _, url in sorted(found, key=lambda t: t[0]):
        seen.setdefault(url)
    return list(seen)[:MAX_ATTACHMENTS]


def follow(page: bytes, page_url: str, settings: Settings) -> list[Report]:
    """The reports of the page's attachments (empty when it links to none)."""
    from dataclasses import replace

    from extractor.fetch import fetch_url
    from extractor.pipeline import run_all
    from extractor.sources import RawInput

    reports: list[Report] = []
    for url in attachment_links(page, page_url):
        try:
            data = fetch_url(url, settings)
        except Exception as exc:  # one attachment that cannot be fetched is its own failed row
            reports.append(replace(Report.failure(url, f"{type(exc).__name__}: {exc}"), parent=page_url))
            continue
        name = urllib.parse.unquote(urllib.parse.urlsplit(url).path.rsplit("/", 1)[-1])
        reports += [replace(r, parent=page_url) for r in run_all(RawInput(data, name), url, settings)]
    return reports
