"""`python manage.py sla_due --agency SLUG --received ISO --duration "TEXT" [--explain]`

Prints the due moment as ISO 8601 with the agency's UTC offset, or `none` when the text sets
no deadline. TEXT is read like a decree's "Jangka Waktu"; a naive ISO_DATETIME is read in the
agency's time zone. With --explain, the derivation follows in Indonesian.
"""

from datetime import datetime

from django.core.management.base import BaseCommand, CommandError

from services.catalogue.calendars import agency_calendar
from services.catalogue.deadlines import governing_deadline
from services.catalogue.timeframes import TimeframeError, parse_timeframe
from services.models import Agency


class Command(BaseCommand):
    help = "Menghitung tenggat dalam waktu kerja instansi."
    # A quick answer for scripts: skip the system checks (manage.py check runs them).
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--agency", required=True, help="slug instansi, mis. musi-banyuasin")
        parser.add_argument("--received", required=True, help="waktu diterima, ISO 8601")
        parser.add_argument("--duration", required=True, help='mis. "5 hari kerja", "3 jam"')
        parser.add_argument("--explain", action="store_true", help="tampilkan cara menghitung")

    def handle(self, *args, agency, received, duration, explain, **options):
        try:
            agency_obj = Agency.objects.get(slug=agency)
        except Agency.DoesNotExist as exc:
            known = ", ".join(Agency.objects.order_by("slug").values_list("slug", flat=True))
            raise CommandError(f"Instansi '{agency}' tidak dikenal. Pilihan: {known}") from exc
        try:
            moment = datetime.fromisoformat(received)
        except ValueError as exc:
            raise CommandError(
                f"Waktu '{received}' bukan ISO 8601 (contoh: 2025-03-27T10:00)."
            ) from exc
        calendar = agency_calendar(agency_obj)
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=calendar.tz)
        try:
            timeframe = parse_timeframe(duration)
        except TimeframeError as exc:
            raise CommandError(f"Jangka waktu tidak dapat dibaca: {exc}") from exc
        deadline = governing_deadline(timeframe, calendar, moment)
        if deadline is None:
            self.stdout.write("none")
            if explain:
                self.stdout.write(f"{timeframe.in_words()}: tidak ada batas waktu.")
            return
        self.stdout.write(deadline.due.isoformat())
        if explain:
            self.stdout.write(deadline.explain())
