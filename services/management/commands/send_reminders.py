"""`python manage.py send_reminders`: the daily email to each agency's staff.

Lists, per agency, the running requests that are overdue and those due before the close of the next
working day, and sends it to every active staff member of that agency with an email address. Run it
once a day from cron (see docs/deployment.md, "Cron"). Agencies with nothing to report get no email.
The emails go through the outbox: a mail server that refuses doesn't stop the others, and
`send_queued_mail` sends them later.
"""

from django.core.management.base import BaseCommand
from django.utils import timezone

from portal.cases import mail
from services.models import Agency
from services.requests.notifications import REMINDERS, reminder_content


class Command(BaseCommand):
    help = "Mengirim daftar permohonan yang terlambat dan jatuh tempo besok kepada petugas."

    def handle(self, *args, **options):
        now = timezone.now()
        queued = 0
        for agency in Agency.objects.order_by("name"):
            if reminder_content(agency, now) is None:
                continue
            row = mail.queue(
                composer=REMINDERS, params={"agency": agency.pk, "at": now.isoformat()}, now=now
            )
            row.refresh_from_db()
            queued += 1
            if row.sent_at is None:
                self.stderr.write(f"{agency.short_name}: belum terkirim, dicoba lagi nanti.")
        self.stdout.write(f"{queued} email pengingat dikirim.")
