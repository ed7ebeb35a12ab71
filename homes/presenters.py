"""How youth homes' things are shown on pages."""

from __future__ import annotations

import segno
from django.utils.safestring import SafeString, mark_safe


def code_image(code: str) -> SafeString:
    """A booking's check-in code as a QR code, an inline SVG the home's scanner reads."""
    svg = segno.make(code, error="m").svg_inline(scale=6, border=2, title=code)
    return mark_safe(svg)  # noqa: S308 — segno's own markup around an ASCII code
