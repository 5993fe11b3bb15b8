"""`python manage.py send_reminders`: the daily email to each agency's staff.

Lists, per agency, the running requests that are overdue and those due before the close of the
next working day, and sends it to every active staff member of that agency with an email
address. Run it once a day from cron (see the README). Agencies with nothing to report get no
email.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.core.management.base import BaseCommand
from django.template.loader import render_to_string
from django.utils import timezone, translation

from portal.worktime import format_moment
from services.calendars import agency_calendar
from services.models import Agency, ServiceRequest


class Command(BaseCommand):
    help = "Mengirim daftar permohonan yang terlambat dan jatuh tempo besok kepada petugas."

    def handle(self, *args, **options):
        now = timezone.now()
        sent = 0
        for agency in Agency.objects.order_by("name"):
            calendar = agency_calendar(agency)
            tomorrow_close = calendar.add_working_days(now, 1)
            requests = ServiceRequest.objects.for_agency(agency.pk).select_related("standard")
            overdue = list(requests.overdue(now=now).order_by("due_at"))
            soon = list(requests.due_before(now=now, until=tomorrow_close).order_by("due_at"))
            if not overdue and not soon:
                continue
            recipients = list(
                get_user_model()
                .objects.filter(membership__agency=agency, is_active=True, is_staff=True)
                .exclude(email="")
                .values_list("email", flat=True)
            )
            if not recipients:
                continue
            with translation.override("id"):
                body = render_to_string(
                    "emails/reminders.txt",
                    {
                        "agency": agency,
                        "overdue": _rows(overdue, calendar),
                        "soon": _rows(soon, calendar),
                        "admin_url": f"{settings.SITE_URL}/{settings.ADMIN_PATH}",
                    },
                )
            send_mail(
                f"[{agency.short_name}] {len(overdue)} terlambat, {len(soon)} jatuh tempo besok",
                body,
                settings.DEFAULT_FROM_EMAIL,
                recipients,
            )
            sent += 1
        self.stdout.write(f"{sent} email pengingat dikirim.")


def _rows(requests, calendar):
    return [(r.number, r.standard.name, format_moment(r.due_at, calendar.tz)) for r in requests]
