import io

from pyhanko.pdf_utils.reader import PdfFileReader

from signing.pdf import pdf_render

SHA = "ab" * 32


def test_pdf_render_returns_pdf_with_the_sha256_in_its_metadata():
    data = pdf_render(html="<p>Kế hoạch</p>", title="KH", keywords=(SHA,), custom={"SHA256": SHA})
    assert data.startswith(b"%PDF")
    info = PdfFileReader(io.BytesIO(data)).trailer_view["/Info"]
    assert SHA in str(info["/Keywords"])
    assert str(info["/SHA256"]) == SHA
