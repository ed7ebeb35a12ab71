"""QR codes for pages: a booking's check-in code, a door's or a venue's code."""

from __future__ import annotations

import segno
from django.utils.safestring import SafeString, mark_safe


def code_image(code: str) -> SafeString:
    """A code (a booking's, or the address a door's or venue's code leads to) as a QR
    code (never a Micro QR, which phones' scanners and jsQR cannot read), an inline SVG."""
    svg = segno.make_qr(code, error="m").svg_inline(border=2, omitsize=True, title=code)
    return mark_safe(svg)  # noqa: S308 — segno's own markup around an ASCII code
