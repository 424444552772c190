"""What the issued PDF shows, read back with poppler (pdftotext, pdffonts, pdftoppm) as a
reader's viewer would: the number, date line, title and signer's name as text; Liberation
Serif embedded and no fallback font; the signature and the seal drawn where their fields
are; the QR code there and encoding the verification link; a 300-row plan paginated with
the table header on every page and page numbers."""

from __future__ import annotations

import io
import re
import subprocess
import time

import pypdf
import pytest
import segno
from PIL import Image

from tests.signing import signed_pdfs as s
from tests.workflows import helpers as h

pytestmark = pytest.mark.usefixtures("demo_org")
DPI = 100


def _run(*args: str, data: bytes) -> bytes:
    return subprocess.run(args, input=data, capture_output=True, check=True).stdout


def text(pdf: bytes, page: int | None = None) -> str:
    pages = ["-f", str(page), "-l", str(page)] if page else []
    return _run("pdftotext", "-layout", *pages, "-", "-", data=pdf).decode()


def render(pdf: bytes, page: int) -> Image.Image:
    png = _run("pdftoppm", "-png", "-r", str(DPI), "-f", str(page), "-l", str(page), "-", data=pdf)
    return Image.open(io.BytesIO(png)).convert("RGB")


def _region(image: Image.Image, rect, page_height_pt: float) -> Image.Image:
    """The pixels of a PDF rectangle (points, origin bottom left)."""
    x0, y0, x1, y1 = (float(v) for v in rect)
    scale = DPI / 72
    return image.crop(
        (
            round(x0 * scale),
            round((page_height_pt - y1) * scale),
            round(x1 * scale),
            round((page_height_pt - y0) * scale),
        )
    )


def _inked(region: Image.Image) -> float:
    """Share of the pixels that are not (near) white."""
    pixels = list(region.get_flattened_data())
    return sum(1 for p in pixels if min(p) < 200) / max(len(pixels), 1)


def _widgets(pdf: bytes) -> dict[str, tuple[int, list, float]]:
    """Each signature field's page (1-based), rectangle and page height."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    found = {}
    for number, page in enumerate(reader.pages, start=1):
        for annot in page.get("/Annots") or []:
            annot = annot.get_object()
            name = annot.get("/T") or annot.get("/Parent", {}).get("/T")
            if annot.get("/FT") == "/Sig" or (name and str(name).startswith("ChuKy")):
                found[str(name)] = (number, list(annot["/Rect"]), float(page.mediabox.height))
    return found


@pytest.fixture
def issued():
    document, pdf = s.plan_pdf()
    return document, s.issued(document, pdf)


def test_text_has_the_number_date_line_title_and_signer(issued):
    document, pdf = issued
    words = " ".join(text(pdf).split())
    issued_on = document.issued_on
    assert f"Số: {document.number_text}" in words
    date_line = f"Hà Nội, ngày {issued_on:%d} tháng {issued_on:%m} năm {issued_on:%Y}"
    assert date_line in words
    assert document.title in words
    assert document.signer_name in words


def test_liberation_serif_is_embedded_and_nothing_falls_back(issued):
    _, pdf = issued
    fonts = _run("pdffonts", "-", data=pdf).decode().splitlines()[2:]
    assert fonts, "the text is set in embedded fonts"
    for line in fonts:
        name, *_rest = line.split()
        assert "Liberation-Serif" in name, line
        assert " yes yes yes " in line, line  # embedded, subset, with a Unicode map
    assert not any("DejaVu" in line for line in fonts)


def test_signature_and_seal_are_drawn_where_their_fields_are(issued):
    _, pdf = issued
    widgets = _widgets(pdf)
    assert set(widgets) == {"ChuKyNguoiKy", "ChuKyCoQuan"}
    for name, (page, rect, height) in widgets.items():
        inked = _inked(_region(render(pdf, page), rect, height))
        assert inked > 0.01, f"{name} on page {page} is blank ({inked:.3%})"


def test_the_unsigned_pdf_has_nothing_in_the_signature_regions(issued):
    """The check above can fail: the same regions of the unsigned PDF are (nearly)
    blank. The seal overlaps the edge of the title and the name, as on paper."""
    document, signed = issued
    _, plain = s.plan_pdf(document)
    for name, (page, rect, height) in _widgets(signed).items():
        before = _inked(_region(render(plain, page), rect, height))
        after = _inked(_region(render(signed, page), rect, height))
        assert before < 0.03, name
        assert after > before + 0.005, f"{name}: {before:.3%} unsigned, {after:.3%} signed"


def _qr_box(image: Image.Image, left: int, top: int, right: int, bottom: int):
    region = image.crop((left, top, right, bottom)).convert("L")
    dark = [
        (x, y)
        for y in range(region.height)
        for x in range(region.width)
        if region.getpixel((x, y)) < 128
    ]
    xs, ys = [x for x, _ in dark], [y for _, y in dark]
    return region, (min(xs), min(ys), max(xs) + 1, max(ys) + 1)


def test_the_qr_code_is_drawn_and_encodes_the_verification_link(issued):
    """No QR decoder is installed: the drawn code is compared module by module with the
    code of the link the PDF's metadata names."""
    _, pdf = issued
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    url = str(reader.metadata["/VerificationURL"])
    last = len(reader.pages)
    assert "Xác thực văn bản" in text(pdf, last)
    bbox = _run("pdftotext", "-bbox", "-f", str(last), "-l", str(last), "-", "-", data=pdf)
    line = next(w for w in bbox.decode().splitlines() if ">Xác<" in w)
    word = {k: float(v) for k, v in re.findall(r'(\w+)="([\d.]+)"', line)}
    scale = DPI / 72
    image = render(pdf, last)
    # The code (24 mm) is left of the lines of text, centred on them.
    box = (0, word["yMin"] - 45, word["xMin"] - 3, word["yMax"] + 45)
    region, (x0, y0, x1, y1) = _qr_box(image, *(round(v * scale) for v in box))
    matrix = segno.make(url, error="m").matrix
    size = len(matrix)
    assert abs((x1 - x0) - (y1 - y0)) <= 2, "square"
    module = (x1 - x0) / size
    agree = sum(
        (region.getpixel((round(x0 + (c + 0.5) * module), round(y0 + (r + 0.5) * module))) < 128)
        == bool(matrix[r][c])
        for r in range(size)
        for c in range(size)
    )
    assert agree / size**2 > 0.97


@pytest.fixture
def long_plan():
    document = h.create_plan()
    tasks = [
        h.five_year_task(name=f"NV{n:03d} chuyển đổi số", start=2026, end=2027)
        for n in range(1, 301)
    ]
    h.fill(document, tasks=tasks)
    return h.drive(document, "issued")


def test_a_300_row_plan_paginates_with_headers_and_page_numbers(long_plan, capsys):
    started = time.perf_counter()
    _, pdf = s.plan_pdf(long_plan)
    seconds = time.perf_counter() - started
    with capsys.disabled():
        print(f"\n300-row plan: rendered in {seconds:.2f} s")

    pages = len(pypdf.PdfReader(io.BytesIO(pdf)).pages)
    assert pages >= 5
    seen = []
    for page in range(1, pages + 1):
        lines = [line.strip() for line in text(pdf, page).splitlines() if line.strip()]
        rows = [n for n in range(1, 301) if any(f"NV{n:03d}" in ln for ln in lines)]
        seen += rows
        if page > 1:
            # Decree 30/2020: the page number at the top, from page 2 on.
            assert lines[0] == str(page), (page, lines[:2])
        if rows and page > 1:
            header = next(i for i, ln in enumerate(lines) if ln.startswith("STT"))
            first_row = next(i for i, ln in enumerate(lines) if " NV" in f" {ln}")
            assert header < first_row, f"page {page} repeats the table header"
    assert sorted(seen) == list(range(1, 301)), "every row once, none cut in two"
    assert seconds < 30
