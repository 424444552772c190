"""Django's flush, aware of the append-only audit trail.

Flushing deletes every row, the audit trail included, which its triggers refuse. Only
where settings.AUDIT_ALLOW_FLUSH is on (the test suite, whose transactional tests flush
between tests) are the triggers lifted for the flush and put back right after."""

from django.conf import settings
from django.core.management.base import CommandError
from django.core.management.commands.flush import Command as FlushCommand
from django.db import connections

from workflows import audit_db


class Command(FlushCommand):
    def handle(self, **options):
        if not getattr(settings, "AUDIT_ALLOW_FLUSH", False):
            raise CommandError(
                "flush would erase the append-only audit trail; it is disabled outside tests."
            )
        connection = connections[options["database"]]
        audit_db.remove(connection)
        try:
            return super().handle(**options)
        finally:
            audit_db.install(connection)
