from django.core.management.base import BaseCommand

from workflows import audit


class Command(BaseCommand):
    help = "Print the audit chain's head hash and event count, to record outside the system."

    def handle(self, *args, **options):
        count, head = audit.chain_head()
        self.stdout.write(f"head: {head}\ncount: {count}")
        self.stdout.write(
            f"verify later with: manage.py verify_audit --head {head} --count {count}"
        )
