from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from signing.verification import VerificationRefused, check_size, pdf_verify, pyhanko_report


def _yes(value: bool) -> str:
    return _("yes") if value else _("no")


class Command(BaseCommand):
    help = (
        "Verify a signed PDF as the public /verify/ page does: every signature (signer, "
        "capacity, time, trust, revocation, changes after it, PAdES level) and the match "
        "with the register. Exits non-zero when anything fails."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the PDF file to verify")
        parser.add_argument("--report", help="write pyHanko's validation report to this file")

    def handle(self, *args, file, report=None, **options):
        path = Path(file)
        try:
            check_size(path.stat().st_size)
            verification = pdf_verify(path.read_bytes())
        except OSError as exc:
            raise CommandError(
                _("Cannot read %(file)s: %(error)s") % {"file": file, "error": exc}
            ) from exc
        except VerificationRefused as exc:
            raise CommandError(str(exc)) from exc
        for check in verification.signatures:
            self.stdout.write(f"[{'OK' if check.ok else 'FAIL'}] {check.field_name}")
            for label, value in (
                (_("Signed by"), f"{check.signer_name} ({check.organisation})"),
                (_("In the capacity of"), check.capacity or "-"),
                (_("Signed at"), check.signed_at_iso or "-"),
                (_("Time-stamped"), _yes(check.timestamped)),
                (_("Intact"), _yes(check.intact)),
                (_("Trusted chain"), _yes(check.trusted)),
                (_("Revocation"), check.revocation_label),
                (_("Changed after this signature"), _yes(check.changed_after)),
                (_("Later changes"), check.modification_label),
                (_("PAdES level"), check.pades_level),
            ):
                self.stdout.write(f"    {label}: {value}")
        register = verification.register
        self.stdout.write(f"[{'OK' if register.ok else 'FAIL'}] {_('Register')}")
        for label, value, matches in (
            (_("SHA-256 of the signed revision"), register.sha256, register.sha256_matches),
            (_("Number and symbol"), register.number, register.number_matches),
            (
                _("Date issued"),
                register.issued_on.strftime("%d/%m/%Y") if register.issued_on else "",
                register.date_matches,
            ),
        ):
            self.stdout.write(f"    {label}: {value or '-'} ({_yes(matches)})")
        if report:
            Path(report).write_text(pyhanko_report(verification), encoding="utf-8")
            self.stdout.write(
                _("pyHanko's validation report written to %(file)s") % {"file": report}
            )
        if not verification.ok:
            raise CommandError(
                _("The PDF is NOT valid: %(problems)s")
                % {"problems": "; ".join(verification.problems)}
            )
        self.stdout.write(self.style.SUCCESS(_("The PDF is valid and matches the register.")))
