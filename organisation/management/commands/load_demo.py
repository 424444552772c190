from importlib import import_module

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test.utils import override_settings
from django.utils.translation import gettext as _

from organisation.demo import DEMO_PASSWORD, PEOPLE, load_organisation, load_staff


class Command(BaseCommand):
    help = "Load the demo organisation, one account per role and demo documents."

    def handle(self, *args, **options):
        if getattr(settings, "IS_PRODUCTION", False):
            raise CommandError(
                _(
                    "Refusing to load demo data under production settings: demo accounts "
                    "have public passwords. Use the admin to create real accounts."
                )
            )
        # Demo documents go through the real services, which mail the next holders: keep
        # those mails out of the console.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            self._load()

    def _load(self):
        counts = load_organisation()
        staff = load_staff()
        counts = {key: counts[key] + staff[key] for key in counts}
        self.stdout.write(_("Units created: %(units)d, people created: %(people)d") % counts)
        # Each app may ship demo documents in `<app>/demo.py` with a `load_demo()`.
        for config in apps.get_app_configs():
            if config.name == "organisation" or not config.path.startswith(str(settings.BASE_DIR)):
                continue
            try:
                module = import_module(f"{config.name}.demo")
            except ModuleNotFoundError as exc:
                if exc.name != f"{config.name}.demo":
                    raise
                continue
            if not hasattr(module, "load_demo"):
                continue  # a package of shared demo helpers
            message = module.load_demo()
            if message:
                self.stdout.write(str(message))
        self.stdout.write(self.style.SUCCESS(_("Demo accounts (password: %s):") % DEMO_PASSWORD))
        for username, full_name, unit, *_rest in PEOPLE:
            self.stdout.write(f"  {username:<16} {full_name} ({unit})")
