"""Pictures for uploads: real rasters, as the one image check requires."""

import io

from PIL import Image


def png(colour: str = "#0a6ebd", size: tuple[int, int] = (8, 8)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()
