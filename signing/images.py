"""The images a signed PDF shows (Decree 30/2020, Appendix I): the signer's handwritten
signature, a blue PNG on a transparent background kept per person in the admin
(Person.signature_image), and the Committee's red seal. Both are drawn here when none is
configured, so the demo and a new installation sign with something legible; an
administrator replaces them with the scanned originals."""

from __future__ import annotations

import functools
import io
import logging
import math

from django.conf import settings
from PIL import Image, ImageDraw, ImageFont

from .pades import FONT_DIR

log = logging.getLogger(__name__)
BLUE = (20, 40, 170, 255)
RED = (210, 20, 30, 235)
SCALE = 4


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _drawn_signature(name: str) -> bytes:
    """The person's given name in a slanted hand, underlined with a flourish."""
    given = (name.split() or ["?"])[-1]
    font = ImageFont.truetype(str(FONT_DIR / "LiberationSerif-Italic.ttf"), 44 * SCALE // 2)
    width, height = 150 * SCALE, 56 * SCALE
    image = Image.new("RGBA", (width, height), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.text((width // 2, height // 2 - 4 * SCALE), given, font=font, fill=BLUE, anchor="mm")
    points = [
        (10 * SCALE + x * SCALE, height - 12 * SCALE - 5 * SCALE * math.sin(x / 12))
        for x in range(0, 130, 2)
    ]
    draw.line(points, fill=BLUE, width=2 * SCALE // 2)
    return _png(image)


def signature_png(person) -> bytes:
    """The person's uploaded signature image, or one drawn from their name when they have
    none (or it cannot be read as an image)."""
    upload = getattr(person, "signature_image", None)
    if upload:
        try:
            with upload.open("rb") as handle:
                data = handle.read()
            Image.open(io.BytesIO(data)).verify()
            return data
        except (OSError, ValueError, SyntaxError):
            log.warning("signature image of %s unreadable; a drawn one is used", person.pk)
    return _drawn_signature(person.display_name if hasattr(person, "display_name") else "")


@functools.cache
def _drawn_seal() -> bytes:
    size = 200 * SCALE
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    centre = size / 2
    for radius, width in ((size / 2 - 4, 7 * SCALE), (size / 2 - 30 * SCALE, 2 * SCALE)):
        draw.ellipse(
            (centre - radius, centre - radius, centre + radius, centre + radius),
            outline=RED,
            width=width,
        )
    font = ImageFont.truetype(str(FONT_DIR / "LiberationSerif-Bold.ttf"), 17 * SCALE)
    text = "ỦY BAN DÂN TỘC  •  CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM  •  "
    radius = size / 2 - 18 * SCALE
    for index, char in enumerate(text):
        angle = 2 * math.pi * index / len(text) - math.pi / 2
        letter = Image.new("RGBA", (24 * SCALE, 24 * SCALE), (0, 0, 0, 0))
        ImageDraw.Draw(letter).text(
            (12 * SCALE, 12 * SCALE), char, font=font, fill=RED, anchor="mm"
        )
        letter = letter.rotate(-math.degrees(angle) - 90, resample=Image.BICUBIC)
        x = centre + radius * math.cos(angle) - letter.width / 2
        y = centre + radius * math.sin(angle) - letter.height / 2
        image.alpha_composite(letter, (round(x), round(y)))
    outer, inner = 34 * SCALE, 13 * SCALE
    star = [
        (
            centre + (outer if i % 2 == 0 else inner) * math.cos(math.pi * i / 5 - math.pi / 2),
            centre + (outer if i % 2 == 0 else inner) * math.sin(math.pi * i / 5 - math.pi / 2),
        )
        for i in range(10)
    ]
    draw.polygon(star, fill=RED)
    return _png(image)


def seal_png() -> bytes:
    """The Committee's seal: SIGNING["SEAL_IMAGE"] (a PNG file) when configured, else
    the drawn one."""
    path = getattr(settings, "SIGNING", {}).get("SEAL_IMAGE")
    if path:
        with open(path, "rb") as handle:
            return handle.read()
    return _drawn_seal()
