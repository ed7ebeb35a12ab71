"""One brand (统一标识) with a committee's colours: the portal's title, a text-safe colour, its
icon and web manifest.

Every portal reads 青年之声 · <committee> whatever its display name. A committee's colour is
used for text and for white text on it, so it is darkened until it reaches the WCAG AA
contrast of 4.5 on white; the colour as given stays for decoration (the hero, borders).
"""

from __future__ import annotations

import io
import re

from PIL import Image, ImageDraw

BRAND = "青年之声"
DEFAULT_COLOUR = "#c8161d"
AA_CONTRAST = 4.5
ICON_SIZES = (32, 192, 512)
# "青年之声 · 广东", "青年之声-广东", "青年之声广东": the part after the brand.
_BRAND_PREFIX = re.compile(rf"^\s*{BRAND}[\s·•・\-—|:：]*")


def short_name(committee) -> str:
    """The committee's own part of the title: its display name without the brand, else its
    name."""
    if committee is None:
        return ""
    display = _BRAND_PREFIX.sub("", committee.display_name or "").strip()
    return display or committee.name


def portal_title(committee) -> str:
    """青年之声 · <committee> (the bare brand on the central console)."""
    name = short_name(committee)
    return f"{BRAND} · {name}" if name else BRAND


def _channel(value: int) -> float:
    c = value / 255
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def _rgb(colour: str) -> tuple[int, int, int]:
    colour = colour.lstrip("#")
    return int(colour[0:2], 16), int(colour[2:4], 16), int(colour[4:6], 16)


def luminance(colour: str) -> float:
    r, g, b = (_channel(v) for v in _rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(first: str, second: str = "#ffffff") -> float:
    """WCAG contrast ratio of two #rrggbb colours (1 to 21)."""
    high, low = sorted((luminance(first), luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def text_colour(colour: str | None) -> str:
    """``colour`` if text in it (and white text on it) reaches AA on white, else the same hue
    darkened just enough."""
    colour = (colour or DEFAULT_COLOUR).lower()
    if not re.fullmatch(r"#[0-9a-f]{6}", colour):
        colour = DEFAULT_COLOUR
    r, g, b = _rgb(colour)
    factor = 1.0
    candidate = colour
    while contrast(candidate) < AA_CONTRAST and factor > 0:
        factor = round(factor - 0.02, 2)
        candidate = "#{:02x}{:02x}{:02x}".format(*(int(v * factor) for v in (r, g, b)))
    return candidate


def icon_png(committee, size: int) -> bytes:
    """A square PNG icon: the committee's logo on white, else a speech bubble on its colour."""
    image = Image.new("RGBA", (size, size), (255, 255, 255, 0))
    logo = getattr(committee, "logo", None)
    drawn = False
    if logo:
        try:
            with logo.open("rb") as stored, Image.open(stored) as source:
                picture = source.convert("RGBA")
            picture.thumbnail((size, size))
            image.paste(picture, ((size - picture.width) // 2, (size - picture.height) // 2))
            drawn = True
        except (OSError, ValueError):
            drawn = False  # a logo gone missing from storage: draw the default
    if not drawn:
        colour = text_colour(getattr(committee, "primary_colour", None))
        draw = ImageDraw.Draw(image)
        s = size / 128
        draw.ellipse((0, 0, size - 1, size - 1), fill=colour)
        draw.rounded_rectangle((30 * s, 36 * s, 98 * s, 80 * s), radius=14 * s, fill="white")
        draw.polygon([(46 * s, 78 * s), (62 * s, 78 * s), (44 * s, 96 * s)], fill="white")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


def manifest(committee) -> dict:
    """The web manifest of the portal (or of the console): its name, colour and icons."""
    colour = text_colour(getattr(committee, "primary_colour", None))
    return {
        "name": portal_title(committee),
        "short_name": short_name(committee) or BRAND,
        "lang": "zh-CN",
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#f5f6f8",
        "theme_color": colour,
        "icons": [
            {"src": f"/favicon.png?size={size}", "sizes": f"{size}x{size}", "type": "image/png"}
            for size in ICON_SIZES[1:]
        ],
    }
