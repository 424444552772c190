import sys

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings
from django.utils.translation import gettext as _

from organisation import loadgen


class Command(BaseCommand):
    help = (
        "Generate realistic volumes for load tests: at scale 1, 60 units, 5,000 people, "
        "ten years of documents, 100,000 open tasks and 10 million audit events."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="1 = issue 14's size")
        parser.add_argument(
            "--force", action="store_true", help="generate even beside real (entered) data"
        )
        parser.add_argument("--seed", type=int, default=240)

    def handle(self, *args, scale, force, seed, **options):
        if getattr(settings, "IS_PRODUCTION", False):
            raise CommandError(
                _(
                    "Refusing to generate load data under production settings: generated "
                    "accounts have public passwords and would mix with real records."
                )
            )
        if scale <= 0:
            raise CommandError(_("The scale must be greater than 0."))
        if not force and loadgen.real_data_present():
            raise CommandError(
                _(
                    "Refusing to generate load data: this database holds real people or "
                    "documents. Use an empty database, or --force."
                )
            )

        def progress(message: str) -> None:
            print(message, file=sys.stderr, flush=True)

        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            result = loadgen.Generator(scale, seed=seed, progress=progress).run()
        rate = result["total_rows"] / max(result["total_seconds"], 1e-9)
        self.stdout.write(
            _("Generated %(rows)s rows in %(seconds).1f s (%(rate)s rows/s).")
            % {
                "rows": f"{result['total_rows']:,}".replace(",", "."),
                "seconds": result["total_seconds"],
                "rate": f"{rate:,.0f}".replace(",", "."),
            }
        )
