from django.core.management.base import BaseCommand

from standards.services import apply_supersession


class Command(BaseCommand):
    help = (
        "Mark superseded the issued competency standards older than the one in force. "
        "Run daily: a standard may be issued today and take effect later."
    )

    def handle(self, *args, **options):
        done = apply_supersession()
        for document in done:
            self.stdout.write(f"superseded: {document.number_text} {document.title}")
        if not done:
            self.stdout.write("nothing to supersede")
