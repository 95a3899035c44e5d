"""Decoding bytes of web pages and text dumps whatever they declare (or fail to declare)."""

from __future__ import annotations

import codecs
import re

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-]+)""", re.IGNORECASE)
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
# GB2312 / GBK declarations routinely carry characters only GB18030 has: always decode with the superset.
_GB_FAMILY = {"gb2312", "gbk", "gb18030", "x-gbk", "cp936", "euc-cn", "hz-gb-2312"}


def _normalise_name(name: str) -> str:
    name = name.strip().lower()
    return "gb18030" if name in _GB_FAMILY else name


def declared_charset(data: bytes) -> str | None:
    m = _META_CHARSET.search(data[:8192])
    return _normalise_name(m.group(1).decode("ascii", "ignore")) if m else None


def decode(data: bytes, declared: str | None = None) -> tuple[str, str]:
    """Return (text, encoding used). Tries BOM, UTF-8, the declaration, GB18030, then detection."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return data.decode(name, errors="replace"), name
    # UTF-8 first: strict UTF-8 almost never accepts GBK bytes, while GB18030 accepts most UTF-8 bytes.
    candidates = [c for c in ("utf-8", declared, "gb18030") if c]
    for name in dict.fromkeys(candidates):
        try:
            return data.decode(name), name
        except (UnicodeDecodeError, LookupError):
            continue
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000]).best()
    name = best.encoding if best is not None else "utf-8"
    return data.decode(name, errors="replace"), name
