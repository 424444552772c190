from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from workflows import audit


class Command(BaseCommand):
    help = (
        "Walk the audit trail's hash chain; exit non-zero at the first broken link. "
        "With --head and --count (from audit_head, kept outside the system) a removed "
        "tail is detected too. The chain is also checked against the latest checkpoint "
        "signed with the Committee's key: a rewritten history or an edited checkpoint fails."
    )

    def add_arguments(self, parser):
        parser.add_argument("--head", help="head hash recorded earlier by audit_head")
        parser.add_argument("--count", type=int, help="event count recorded with --head")

    def handle(self, *args, head=None, count=None, **options):
        if (head is None) != (count is None):
            raise CommandError("--head and --count go together.")
        result = audit.audit_verify(expected_head=head, expected_count=count).result
        if not result.ok:
            where = ""
            if result.event_seq is not None:
                when = timezone.localtime(result.event_time).strftime("%d/%m/%Y %H:%M:%S")
                where = f" (event #{result.event_seq}, {when})"
            raise CommandError(
                f"Audit chain BROKEN after {result.checked} good events{where}: {result.problem}"
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"Audit chain intact: {result.checked} events, head {result.head_hash}"
            )
        )
        if result.checkpoint is None:
            self.stdout.write("No signed checkpoint yet.")
        else:
            point = result.checkpoint
            self.stdout.write(
                self.style.SUCCESS(
                    f"Matches the signed checkpoint of {point.day:%d/%m/%Y} "
                    f"(#{point.count}, {point.head_hash})"
                )
            )
