"""Label normalisation shared by every stage: one canonical spelling for matching.

Real reports spell the template's labels many ways (full-width brackets, "1．" / "1、", spaces and line
breaks inside words, traditional characters on mirror sites, quotes or none): all of that disappears here.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib import resources

# The CJK ideographs every stage tells words by (Extension A and the unified block).
CJK_RANGE = "\u3400-\u9fff"
_WHITESPACE = re.compile(r"[\s\u200b\u200c\u200d\u2060\ufeff\u00ad]+")
_BRACKETS = str.maketrans({"〔": "(", "〕": ")", "【": "(", "】": ")", "[": "(", "]": ")", "﹙": "(", "﹚": ")"})
_QUOTES = re.compile(r"[\"'“”‘’「」『』〝〞]")
_DASHES = re.compile(r"[‐‑‒–—―－]+")
_ENUM_COMMA = re.compile(r"(?<=[0-9])[、,](?=\D)")
# A digit right before a Chinese word is numbering whose point was lost (a scan's '3其他' of 3.其他, draw 32008),
# or read as a colon ('2:其他法律…', draw 35035: the row's words matched through its group's path instead).
_ENUM_PREFIX = re.compile(r"^(?:\(?[一二三四五六七八九十0-9]{1,3}[).、.]|\([一二三四五六七八九十0-9]{1,3}\)"
                          r"|[1-9][:;]?(?=[" + CJK_RANGE + "]))+")


@lru_cache(maxsize=1)
def _t2s_table() -> dict[int, str]:
    text = resources.files("extractor.data").joinpath("t2s.tsv").read_text(encoding="utf-8")
    table: dict[int, str] = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        trad, simp = line.split("\t")
        table[ord(trad)] = simp
    return table


def clean_text(text: str) -> str:
    """NFKC, traditional -> simplified for the template vocabulary, and whitespace collapsed to one space."""
    text = unicodedata.normalize("NFKC", text).translate(_t2s_table())
    return " ".join(_WHITESPACE.split(text)).strip()


@lru_cache(maxsize=8192)
def norm(text: str) -> str:
    """Matching key: clean_text with every space removed and brackets, quotes and dashes unified."""
    text = unicodedata.normalize("NFKC", text).translate(_t2s_table())
    text = _WHITESPACE.sub("", text).translate(_BRACKETS)
    text = _QUOTES.sub("", text)
    text = _DASHES.sub("-", text)
    return _ENUM_COMMA.sub(".", text)


def strip_enum(key: str) -> str:
    """Drop list numbering ("三、", "(六)", "1.") from the start of a normalised key."""
    return _ENUM_PREFIX.sub("", key)
