"""Logos and banners are raster images, checked by what they are, and served as such."""

import io
from pathlib import Path

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tenants import services

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'


def picture(kind: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (16, 8), "#c8161d").save(out, format=kind)
    return out.getvalue()


def test_an_svg_logo_is_refused_in_chinese_on_the_console(tree, web):
    console = web(None, tree["central_admin"])
    response = console.post(
        "/committees/gd/",
        {
            "action": "branding",
            "primary_colour": "#0a6ebd",
            "logo": SimpleUploadedFile("logo.svg", SVG, "image/svg+xml"),
        },
    )
    assert response.status_code == 200
    assert "不接受 SVG" in response.content.decode()
    tree.gd.refresh_from_db()
    assert not tree.gd.logo


def test_an_image_is_stored_and_served_as_what_it_is_whatever_its_name(tree, web):
    services.update_branding(
        committee=tree.gd, logo=SimpleUploadedFile("logo.svg", picture("GIF"), "image/svg+xml")
    )
    try:
        assert tree.gd.logo.name.endswith(".gif")
        response = web("gd").get(tree.gd.logo.url)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/gif"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content) == picture("GIF")
    finally:
        tree.gd.logo.delete(save=False)


def test_media_other_than_raster_images_is_not_served(tree, web):
    stored = Path(settings.MEDIA_ROOT) / "branding" / "logos"
    stored.mkdir(parents=True, exist_ok=True)
    (stored / "old.svg").write_bytes(SVG)
    (stored / "page.html").write_bytes(b"<script>alert(1)</script>")
    portal = web("gd")
    for path in ("branding/logos/old.svg", "branding/logos/page.html", "../manage.py", "x"):
        assert portal.get(f"/media/{path}").status_code == 404, path
