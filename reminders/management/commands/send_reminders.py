import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from worktime.calendar import today

from ...services import reminders_send


class Command(BaseCommand):
    help = (
        "Send the reminders, escalations and daily digests of a day (default: today in "
        "Vietnam). Safe to run again: what was sent that day is not sent twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="the day, YYYY-MM-DD or dd/mm/yyyy")

    def handle(self, *args, **options):
        day = today()
        if options["date"]:
            for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
                try:
                    day = dt.datetime.strptime(options["date"], pattern).date()
                    break
                except ValueError:
                    continue
            else:
                raise CommandError(f"Not a date: {options['date']!r} (YYYY-MM-DD or dd/mm/yyyy)")
        result = reminders_send(on=day)
        if not result.working_day:
            self.stdout.write(f"{day:%d/%m/%Y} is not a working day: nothing sent.")
            return
        self.stdout.write(
            f"{day:%d/%m/%Y}: {result.reminders} reminders, {result.escalations} escalations, "
            f"{result.digests} digests, {result.mails} mails queued"
            + (" (already sent by another run)" if result.already_sent else "")
        )
