"""Fetching a report given as a URL: bounded size and time, http(s) only, never a local file."""

from __future__ import annotations

import urllib.request

from extractor.errors import CorruptInput, InputTooLarge, UnsupportedInput
from extractor.settings import Settings


def fetch_url(url: str, settings: Settings) -> bytes:
    if not url.lower().startswith(("http://", "https://")):
        raise UnsupportedInput(f"only http(s) URLs are fetched, not {url.split(':', 1)[0]!r}")
    request = urllib.request.Request(url, headers={"User-Agent": "extractor/0.1 (report tables)"})
    # urlopen follows redirects only to http(s) (file:// and ftp:// redirects are refused by urllib).
    try:
        with urllib.request.urlopen(request, timeout=min(60.0, settings.max_seconds)) as response:  # noqa: S310
            data = response.read(settings.max_bytes + 1)
    except OSError as exc:
        raise CorruptInput(f"cannot fetch {url}: {exc}") from None
    if len(data) > settings.max_bytes:
        raise InputTooLarge(f"{url} is larger than {settings.max_bytes} bytes")
    return data
