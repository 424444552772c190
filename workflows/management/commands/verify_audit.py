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
        parser.add_argument(
            "--workers",
            type=int,
            default=1,
            help="check segments of the chain in this many processes (PostgreSQL; 1)",
        )
        parser.add_argument(
            "--since-checkpoint",
            action="store_true",
            help="check only the events from the latest signed checkpoint on, once its "
            "signature is found valid",
        )

    def handle(self, *args, head=None, count=None, workers=1, since_checkpoint=False, **options):
        if (head is None) != (count is None):
            raise CommandError("--head and --count go together.")
        if workers < 1:
            raise CommandError("--workers must be at least 1.")
        try:
            verification = audit.audit_verify(
                expected_head=head,
                expected_count=count,
                workers=workers,
                since_checkpoint=since_checkpoint,
            )
        except audit.NoCheckpoint:
            raise CommandError(
                "No signed checkpoint yet to verify from: run verify_audit without "
                "--since-checkpoint to check the whole chain."
            ) from None
        except ValueError as exc:  # a recorded head older than the checkpoint
            raise CommandError(f"{exc} Run verify_audit without --since-checkpoint.") from None
        result = verification.result
        point = result.checkpoint
        if not result.ok:
            where = ""
            if result.event_seq is not None:
                when = timezone.localtime(result.event_time).strftime("%d/%m/%Y %H:%M:%S")
                where = f" (event #{result.event_seq}, {when})"
            if result.anchor_broken:
                raise CommandError(
                    f"Audit chain ANCHOR BROKEN{where}: {result.problem}. The events after "
                    "the checkpoint cannot be trusted from it: run verify_audit without "
                    "--since-checkpoint and tell the inspectorate."
                )
            good = f"{result.checked} good events"
            if since_checkpoint:
                good = f"event #{result.head_seq} ({good} after the signed checkpoint)"
            raise CommandError(f"Audit chain BROKEN after {good}{where}: {result.problem}")
        if since_checkpoint:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Audit chain intact since the signed checkpoint of {point.day:%d/%m/%Y} "
                    f"(#{point.count}, {point.head_hash}): {result.checked} events after it, "
                    f"head #{result.head_seq} {result.head_hash}"
                )
            )
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Audit chain intact: {result.checked} events, head {result.head_hash}"
            )
        )
        if point is None:
            self.stdout.write("No signed checkpoint yet.")
        else:
            self.stdout.write(
                self.style.SUCCESS(
                    f"Matches the signed checkpoint of {point.day:%d/%m/%Y} "
                    f"(#{point.count}, {point.head_hash})"
                )
            )
