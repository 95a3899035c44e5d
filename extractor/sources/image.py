"""Table images (PNG / JPEG / TIFF / BMP / GIF), alone or embedded in a web page as a data: URI."""

from __future__ import annotations

import base64
import io
import logging
import warnings

import numpy as np

from extractor.errors import CorruptInput, InputTooLarge
from extractor.model import Block, SourceDoc, Table
from extractor.settings import Settings
from extractor.sources.base import RawInput

_log = logging.getLogger(__name__)

def decode_images(data: bytes, settings: Settings | None = None) -> list[np.ndarray]:
    """BGR arrays of every frame. Each frame's size is checked before it is decoded (a frame over
    `max_image_pixels`, or frames adding up to more than `max_document_pixels`, are refused); PIL's own
    global limit is left as the application set it."""
    from PIL import Image

    settings = settings or Settings()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            n_frames = getattr(image, "n_frames", 1)
            if n_frames > settings.max_image_frames:
                raise InputTooLarge(f"image of {n_frames} frames, over the {settings.max_image_frames}-frame limit")
            frames = []
            total = 0
            for index in range(n_frames):
                image.seek(index)
                pixels = image.width * image.height
                total += pixels
                if pixels > settings.max_image_pixels or total > settings.max_document_pixels:
                    raise InputTooLarge(f"image frame of {image.width}x{image.height} pixels: over the "
                                        f"{settings.max_image_pixels}-pixel frame or "
                                        f"{settings.max_document_pixels}-pixel document limit")
                rgb = np.asarray(image.convert("RGB"))
                frames.append(np.ascontiguousarray(rgb[:, :, ::-1]))
            return frames
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise InputTooLarge("image refused as a decompression bomb") from None
    except (OSError, ValueError, SyntaxError) as exc:
        raise CorruptInput(f"unreadable image: {exc}") from None


MAX_IMAGES = 20  # pictures read per web page or Word file; icons and logos are skipped by size in image_blocks
MIN_TABLE_IMAGE = (300, 120)  # smaller images are icons, logos or seals, never a readable table


def image_blocks(data: bytes, first_page: int, settings: Settings | None = None) -> list[Block]:
    from extractor.sources.scan import scan_page

    blocks: list[Block] = []
    for offset, frame in enumerate(decode_images(data, settings)):
        if frame.shape[1] < MIN_TABLE_IMAGE[0] or frame.shape[0] < MIN_TABLE_IMAGE[1]:
            continue
        # The title is looked for on the document's first picture only: at the top of a later one stand the
        # rows a table continues with, and a heading under them read as prose (四、…行政复议) would claim them
        # (draw 23031: 表三's last rows went to 表四).
        blocks.extend(scan_page(frame, first_page + offset, 1.0, first_page + offset,
                                title=first_page + offset == 1))
    return blocks


def data_uri_bytes(uri: str, limit: int) -> bytes | None:
    """Bytes of a base64 data: URI image; None for anything else (files and URLs are never fetched)."""
    if not uri.startswith("data:image/") or ";base64," not in uri[:100]:
        return None
    payload = uri.split(",", 1)[1]
    if len(payload) > limit * 4 // 3 + 4:
        return None
    try:
        return base64.b64decode(payload, validate=False)
    except ValueError:
        return None


def load_image(raw: RawInput, settings: Settings) -> SourceDoc:
    blocks = image_blocks(raw.data, 1, settings)
    if not blocks:
        raise CorruptInput("no ruled table found in the image")
    return SourceDoc(kind="image", blocks=tuple(blocks),
                     n_pages=len({b.pages for b in blocks if isinstance(b, Table)}))
