"""manage.py verify_pdf FILE [--report PATH]: the same verification as /verify/, on the
command line; exits non-zero when anything fails; --report writes pyHanko's report."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from signing import pki
from tests.signing import signed_pdfs as s

pytestmark = pytest.mark.usefixtures("demo_org")


def run(path, *args):
    out = io.StringIO()
    call_command("verify_pdf", str(path), *args, stdout=out)
    return out.getvalue()


def test_an_issued_pdf_passes_and_the_report_is_written(tmp_path):
    document, pdf = s.plan_pdf()
    path = tmp_path / "van-ban.pdf"
    path.write_bytes(s.issued(document, pdf))
    report = tmp_path / "report.txt"

    out = run(path, "--report", str(report))

    assert "[OK] ChuKyNguoiKy" in out and "[OK] ChuKyCoQuan" in out
    assert "Bo truong Chu nhiem (DEMO)" in out and "+07:00" in out
    assert document.number_text in out
    text = report.read_text()
    assert "=== ChuKyNguoiKy ===" in text and "=== ChuKyCoQuan ===" in text
    assert "Uy ban Dan toc (DEMO)" in text


def test_a_revoked_signature_exits_non_zero(tmp_path):
    pdf, _ = s.issued_plan()
    path = tmp_path / "revoked.pdf"
    path.write_bytes(s.with_demo_crls(s.sign(pdf, pki.demo_signer(pki.REVOKED), lt=False)))

    with pytest.raises(CommandError, match="NOT valid|KHÔNG hợp lệ"):
        run(path)


def test_a_changed_pdf_exits_non_zero(tmp_path):
    _, issued = s.issued_plan()
    tampered = bytearray(issued)
    tampered[tampered.index(b"WeasyPrint")] = ord("X")
    path = tmp_path / "changed.pdf"
    path.write_bytes(bytes(tampered))

    with pytest.raises(CommandError):
        run(path)


@pytest.mark.parametrize(
    ("data", "message"), [(b"hello", "not a PDF|không phải"), (b"%PDF-1.4\n", "damaged|hỏng")]
)
def test_what_is_not_a_signed_pdf_exits_non_zero_with_the_reason(tmp_path, data, message):
    path = tmp_path / "x.pdf"
    path.write_bytes(data)
    with pytest.raises(CommandError, match=message):
        run(path)


def test_a_missing_file_exits_non_zero(tmp_path):
    with pytest.raises(CommandError, match="Cannot read|Không đọc được"):
        run(tmp_path / "none.pdf")
