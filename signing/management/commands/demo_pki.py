from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from signing.demo_files import demo_pki_write


class Command(BaseCommand):
    help = (
        "Write the demo PKI (root and intermediate CA, timestamp authority, CRLs, a PKCS#12 "
        "file per demo signer and the Committee) into a directory for the pkcs12 backend. "
        "A second run changes nothing. DEMO keys: production refuses them."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir",
            default=settings.SIGNING.get("PKCS12_DIR") or str(settings.BASE_DIR / "demo-pki"),
            help="target directory (default: SIGNING_PKCS12_DIR, else ./demo-pki)",
        )

    def handle(self, *args, dir, **options):
        written = demo_pki_write(directory=Path(dir))
        self.stdout.write(
            f"Demo PKI in {dir}: {len(written.changed)} files written, "
            f"{len(written.kept)} unchanged."
        )
