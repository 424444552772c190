import datetime as dt
import io

import pytest
from PIL import Image
from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.pdf_utils.writer import PageObject, PdfFileWriter

from signing import pki
from signing.pades import SignatureRefused, sign_pdf, stamp_image, stamp_lines, verify_pdf

KT = "KT. BỘ TRƯỞNG, CHỦ NHIỆM"


def blank_pdf() -> bytes:
    writer = PdfFileWriter()
    contents = writer.add_object(generic.StreamObject(stream_data=b"BT ET"))
    writer.insert_page(PageObject(contents=contents, media_box=(0, 0, 595, 842)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def signature_png() -> bytes:
    """A blue stroke on a transparent background, like a scanned signature."""
    image = Image.new("RGBA", (120, 40), (0, 0, 0, 0))
    for x in range(10, 110):
        image.putpixel((x, 20 + (x % 7) - 3), (0, 0, 200, 255))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def sign(pdf, label=pki.MINISTER, *, field="ChuKyLanhDao", lt=True, on_behalf=None, box=None):
    return sign_pdf(
        pdf,
        signer=pki.demo_signer(label),
        field_name=field,
        reason="Ký ban hành",
        location="Hà Nội",
        stamp_image_png=signature_png(),
        signer_name="Nguyễn Văn A",
        signer_title="BỘ TRƯỞNG, CHỦ NHIỆM" if not on_behalf else "THỨ TRƯỞNG, PHÓ CHỦ NHIỆM",
        on_behalf_line=on_behalf,
        timestamper=pki.demo_timestamper(),
        validation_context=pki.demo_validation_context() if lt else None,
        **({"box": box} if box else {}),
    )


def roots():
    return [pki.root_certificate()]


def test_sign_b_t_is_timestamped_intact_and_trusted():
    signed = sign(blank_pdf(), lt=False)

    [report] = verify_pdf(signed, trust_roots=roots())

    assert report.timestamped
    assert report.intact and report.valid and report.trusted
    assert report.covers_whole_document
    assert report.pades_level == "B-T"
    assert "Bo truong Chu nhiem" in report.signer_subject
    assert report.signing_time is not None


def test_sign_b_lt_embeds_revocation_information():
    signed = sign(blank_pdf(), lt=True)

    reader = PdfFileReader(io.BytesIO(signed))
    dss = reader.root["/DSS"]
    assert len(dss["/CRLs"]) >= 1
    [report] = verify_pdf(signed, trust_roots=roots())
    assert report.ok
    assert report.pades_level == "B-LT"


def test_second_agency_signature_keeps_the_first_valid():
    first = sign(blank_pdf())
    both = sign(first, pki.COMMITTEE, field="ChuKyCoQuan", box=(300, 60, 420, 180))

    reports = verify_pdf(both, trust_roots=roots())

    assert [r.field_name for r in reports] == ["ChuKyLanhDao", "ChuKyCoQuan"]
    assert all(r.ok and r.timestamped and r.covers_whole_document for r in reports)
    assert "Uy ban Dan toc (DEMO)" in reports[1].signer_subject


def test_stamp_lines_show_iso_time_with_vietnam_offset_and_delegation_line():
    moment = dt.datetime(2026, 12, 2, 17, 30, tzinfo=dt.UTC)

    delegated = stamp_lines(
        signer_title="THỨ TRƯỞNG", signer_name="Trần Thị B", on_behalf_line=KT, signed_at=moment
    )
    own = stamp_lines(
        signer_title="BỘ TRƯỞNG", signer_name="A", on_behalf_line=None, signed_at=moment
    )

    assert delegated == [KT, "THỨ TRƯỞNG", "", "Trần Thị B", "2026-12-03T00:30:00+07:00"]
    assert KT not in own


def test_stamp_image_puts_the_signature_between_title_and_name():
    lines = [KT, "THỨ TRƯỞNG", "", "Trần Thị B", "2026-12-03T00:30:00+07:00"]
    image = stamp_image(lines, signature_png(), (220, 140))
    width, height = image.size
    blue = [
        y
        for y in range(height)
        for x in range(0, width, 4)
        if image.getpixel((x, y))[2] > 150 and image.getpixel((x, y))[0] < 50
    ]
    black = [
        y
        for y in range(height)
        if image.getpixel((width // 2, y))[3] and image.getpixel((width // 2, y))[2] < 50
    ]
    assert blue, "the signature image is drawn"
    # Title lines above the signature, name and time below it.
    assert min(black) < min(blue) and max(black) > max(blue)
    # Transparent where nothing is drawn: the seal and the page show through.
    assert image.getpixel((0, height - 1))[3] == 0


def test_signed_stamp_is_opaque_and_borderless():
    signed = sign(blank_pdf(), on_behalf=KT)
    reader = PdfFileReader(io.BytesIO(signed))
    field = reader.root["/AcroForm"]["/Fields"][0]
    appearance = field["/AP"]["/N"]
    assert b"/Subtype /Image" in signed
    assert b"/SMask" in signed  # the PNG's transparency is kept
    # No translucent graphics state (pyHanko's 0.6 default) and no border stroke.
    states = appearance["/Resources"]["/ExtGState"]
    assert all(state["/CA"] == 1 and state["/ca"] == 1 for state in states.values())
    assert b" re S" not in appearance.data


def test_tampered_pdf_fails_verification():
    signed = bytearray(sign(blank_pdf()))
    # Change one byte inside the signed page content ("BT ET" -> "BT EU").
    index = signed.index(b"BT ET")
    signed[index + 4] = ord("U")

    [report] = verify_pdf(bytes(signed), trust_roots=roots())

    assert not report.intact
    assert not report.ok


def test_other_trust_root_is_not_trusted():
    signed = sign(blank_pdf())
    [report] = verify_pdf(signed, trust_roots=[pki.demo_arch().get_cert("tsa")])
    assert report.intact and not report.trusted


def test_certificate_without_non_repudiation_is_refused():
    with pytest.raises(SignatureRefused, match="non-repudiation|chống chối bỏ"):
        sign(blank_pdf(), pki.NO_NON_REPUDIATION)


def test_signing_works_inside_a_running_event_loop():
    """A caller whose thread runs an event loop (Playwright's sync API, ASGI) made
    pyHanko's asyncio.run() fail; signing then runs in a thread of its own."""
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    async def inside():
        return test_sign_b_t_is_timestamped_intact_and_trusted()

    # A thread of its own, so that this test's loop is the running one whatever ran before.
    with ThreadPoolExecutor(max_workers=1) as pool:
        pool.submit(asyncio.run, inside()).result()


def test_revoked_certificate_is_refused_when_signing():
    with pytest.raises(SignatureRefused):
        sign(blank_pdf(), pki.REVOKED)


def test_content_added_after_the_agency_signature_is_reported():
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter

    both = sign(sign(blank_pdf()), pki.COMMITTEE, field="ChuKyCoQuan", box=(300, 60, 420, 180))
    writer = IncrementalPdfFileWriter(io.BytesIO(both))
    extra = writer.add_object(generic.StreamObject(stream_data=b"BT /F1 12 Tf (Forged) Tj ET"))
    writer.add_stream_to_page(0, extra)
    out = io.BytesIO()
    writer.write(out)

    reports = verify_pdf(out.getvalue(), trust_roots=roots())

    assert all(r.intact and r.trusted for r in reports)
    assert not any(r.covers_whole_document or r.ok for r in reports)
