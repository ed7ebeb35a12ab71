"""Uploaded pictures checked by what they are, not by their names: raster images only.

A file is taken when Pillow recognises it as PNG, JPEG, GIF or WebP and its structure checks
out; an SVG (which can carry script and would run on the portal's origin), an HTML file named
``.png`` or a broken image is not.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from PIL import Image, UnidentifiedImageError

# Pillow's format → the MIME type served and the extension stored.
RASTER_TYPES = {
    "JPEG": ("image/jpeg", "jpg"),
    "PNG": ("image/png", "png"),
    "GIF": ("image/gif", "gif"),
    "WEBP": ("image/webp", "webp"),
}
CONTENT_TYPES = {extension: content_type for content_type, extension in RASTER_TYPES.values()}
CONTENT_TYPES["jpeg"] = "image/jpeg"


@dataclass(frozen=True)
class Raster:
    content: bytes
    content_type: str
    extension: str


def read_raster(upload) -> Raster | None:
    """The upload's bytes and kind if it is a PNG, JPEG, GIF or WebP image, else None."""
    upload.seek(0)
    content = upload.read()
    try:
        with Image.open(io.BytesIO(content)) as image:
            image.verify()
            kind = image.format
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError, ValueError):
        return None
    if kind not in RASTER_TYPES:
        return None
    content_type, extension = RASTER_TYPES[kind]
    return Raster(content, content_type, extension)
