from django.core.management.base import BaseCommand

from organisation.roles import sync_roles


class Command(BaseCommand):
    help = "Create missing role groups; with --reset, restore every role's default permissions."

    def add_arguments(self, parser):
        parser.add_argument("--reset", action="store_true")

    def handle(self, *args, reset=False, **options):
        touched = sync_roles(reset=reset)
        self.stdout.write(", ".join(touched) if touched else "-")
