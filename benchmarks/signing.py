"""How long does a sign-off take? Render and sign a 20-page plan with 100 task rows.

Creates a fresh database and a five-year plan with 100 task rows and long sections (about
20 pages of A4), endorsed; then times, for each of `--runs` plans:

1. render  — the PDF of the revision being signed (WeasyPrint, Decree 30/2020 layout),
             with the number, date and signature fields reserved;
2. sign    — the Minister's signature: PAdES B-LT with an RFC 3161 timestamp (the demo
             TSA, in-process) and the revocation data embedded, certifying the PDF;
3. issue   — the Office's number and date written into the fields, the Committee's
             signature, both signatures and the register verified (the issue step);
4. verify  — the public verifier on the issued PDF (signing.verification.pdf_verify).

Steps 2–3 are timed through the real services (`document_act`), step 1 and 4 on their own.

Usage (from the project root):

    python benchmarks/signing.py [--runs 3] [--rows 100]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time

import _common

PARAGRAPH = (
    "Triển khai ứng dụng công nghệ thông tin trong hoạt động của các Vụ, đơn vị thuộc Ủy "
    "ban, bảo đảm kết nối liên thông, an toàn thông tin và hiệu quả đầu tư. "
) * 12


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--rows", type=int, default=100)
    args = parser.parse_args()

    with _common.fresh_database("signing") as database:
        import io

        from pypdf import PdfReader

        from issuance.selectors import issued_pdf
        from planning import services as planning
        from planning.services import TaskRow
        from signing import step_up
        from signing.verification import pdf_verify
        from workflows import issued_pdf as pdfs
        from workflows import services as engine
        from workflows.models import Document

        print(f"Signing benchmark — {database}; {_common.machine()}")
        people = _common.people()
        drafter, reviewer = people["soanthao.tttt"], people["thamdinh.kh"]
        minister, clerk = people["botruong"], people["vanthu.vp"]
        stages: dict[str, list[float]] = {"render": [], "sign": [], "issue": [], "verify": []}
        pages = 0
        for run in range(args.runs):
            plan = planning.plan_create(
                user=drafter, kind="five_year_plan", title=f"Kế hoạch {run}", period_start=2026
            )
            keys = ("basis", "situation", "general_objective", "tasks_solutions", "funds")
            sections = dict.fromkeys(keys, PARAGRAPH)
            tasks = [
                TaskRow(
                    name=f"Nhiệm vụ {n:03d}: xây dựng, nâng cấp hệ thống thông tin chuyên ngành",
                    category="documents",
                    lead_unit="Trung tâm Thông tin",
                    estimated_cost=1_000_000_000 + n,
                    funding_source="investment",
                    start_year=2026,
                    end_year=2027,
                )
                for n in range(args.rows)
            ]
            planning.plan_update(
                user=drafter,
                document_id=plan.document_id,
                version=None,
                title=f"Kế hoạch {run}",
                sections=sections,
                objectives=[],
                tasks=tasks,
            )
            pk = plan.document_id
            engine.document_act(user=drafter, document_id=pk, action="submit")
            engine.document_act(user=reviewer, document_id=pk, action="endorse")
            document = Document.objects.get(pk=pk)
            revision = document.revisions.latest("number")

            start = time.perf_counter()
            pdf = pdfs.document_pdf(document, revision, money_unit="dong")
            stages["render"].append(time.perf_counter() - start)
            pages = len(PdfReader(io.BytesIO(pdf)).pages)

            start = time.perf_counter()
            engine.document_act(
                user=minister, document_id=pk, action="sign", session=step_up.scripted_session()
            )
            # The signature renders again inside it: count only what the signature adds.
            stages["sign"].append(time.perf_counter() - start - stages["render"][-1])

            start = time.perf_counter()
            engine.document_act(user=clerk, document_id=pk, action="issue")
            stages["issue"].append(time.perf_counter() - start)

            data = issued_pdf(Document.objects.get(pk=pk))
            start = time.perf_counter()
            verification = pdf_verify(data)
            stages["verify"].append(time.perf_counter() - start)
            assert verification.ok, verification.problems

        total = 0.0
        print(f"A plan of {args.rows} task rows, {pages} pages, {len(data) // 1024} KB issued:")
        for name, samples in stages.items():
            median = statistics.median(samples)
            total += median
            runs = ", ".join(f"{s:.2f}" for s in samples)
            print(f"  {name:<7} median {median:6.2f} s  (runs: {runs})")
        print(f"  end to end {total:.2f} s (render + sign + issue + verify, medians)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
