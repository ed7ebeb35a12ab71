"""How youth homes' things are shown on pages."""

from __future__ import annotations

import segno
from django.utils.safestring import SafeString, mark_safe


def code_image(code: str) -> SafeString:
    """A check-in code (a booking's, or the address a home's door code leads to) as a QR
    code (never a Micro QR, which phones' scanners and jsQR cannot read), an inline SVG."""
    svg = segno.make_qr(code, error="m").svg_inline(border=2, omitsize=True, title=code)
    return mark_safe(svg)  # noqa: S308 — segno's own markup around an ASCII code
