from django.core.management.base import BaseCommand, CommandError
from huey.contrib.djhuey import HUEY
from huey.exceptions import ResultTimeout

from outbox.tasks import ping


class Command(BaseCommand):
    help = (
        "Put a ping on the task queue and wait for a worker to answer it: exits non-zero "
        "when none does within --timeout seconds (for monitoring and after a deployment)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=30.0)

    def handle(self, *args, timeout: float, **options):
        if HUEY.immediate:
            raise CommandError("This queue runs tasks in the calling process: no worker to check.")
        try:
            answer = ping().get(blocking=True, timeout=timeout, revoke_on_timeout=True)
        except ResultTimeout:
            raise CommandError(
                f"No worker answered within {timeout:g} s on queue {HUEY.name!r} "
                f"({type(HUEY).__name__}): is ubdt-worker running?"
            ) from None
        self.stdout.write(f"worker answered: {answer} ({type(HUEY).__name__} {HUEY.name!r})")
