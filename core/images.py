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


def checked_upload(upload, *, field: str) -> Raster:
    """An uploaded picture under the size limit that is a raster image, or a
    ``ServiceError`` naming ``field``."""
    from django.conf import settings
    from django.utils.translation import gettext as _

    from .errors import ServiceError

    if (upload.size or 0) > settings.MAX_UPLOAD_BYTES:
        raise ServiceError("image_too_large", _("The image must be under 2 MB."), field=field)
    image = read_raster(upload)
    if image is None:
        raise ServiceError(
            "invalid_image",
            _("Upload a PNG, JPEG, GIF or WebP image (SVG and other files are not taken)."),
            field=field,
        )
    return image
