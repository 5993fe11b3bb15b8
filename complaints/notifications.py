"""Emails about complaints: to the complainant, and an alert to the agency's staff.

Staff alerts never carry a confidential complainant's identity, whoever receives them.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from complaints.identity import identity_of
from complaints.models import Complaint
from portal.worktime import format_moment
from services.calendars import agency_calendar

SUBJECTS = {
    "receipt": "Tanda terima pengaduan {number}",
    "dijawab": "Jawaban atas pengaduan {number}",
    "ditolak": "Pengaduan {number} tidak dapat ditindaklanjuti",
}


def send_complaint_emails(complaint_id: int, kind: str, code: str | None = None) -> None:
    complaint = Complaint.objects.select_related("agency", "standard").get(pk=complaint_id)
    calendar = agency_calendar(complaint.agency)
    track = reverse("services:track_detail", kwargs={"number": complaint.number})
    context = {
        "complaint": complaint,
        "code": code,
        "kind": kind,
        "received_text": format_moment(complaint.received_at, calendar.tz),
        "due_text": format_moment(complaint.due_at, calendar.tz) if complaint.due_at else "",
        "track_url": f"{settings.SITE_URL}{track}" + (f"?kode={code}" if code else ""),
        "site_name": settings.SITE_NAME,
    }
    with translation.override("id"):
        if complaint.email:
            send_mail(
                SUBJECTS[kind].format(number=complaint.number),
                render_to_string("emails/complaint.txt", context),
                settings.DEFAULT_FROM_EMAIL,
                [complaint.email],
            )
        if kind == "receipt":
            _alert_staff(complaint, context)


def _alert_staff(complaint, context) -> None:
    staff = (
        get_user_model()
        .objects.filter(membership__agency_id=complaint.agency_id, is_active=True, is_staff=True)
        .exclude(email="")
    )
    admin_path = reverse("admin:complaints_complaint_change", args=[complaint.pk])
    for user in staff:
        body = render_to_string(
            "emails/complaint_staff.txt",
            {
                **context,
                "identity": identity_of(None, complaint),
                "admin_url": f"{settings.SITE_URL}{admin_path}",
            },
        )
        send_mail(
            f"Pengaduan baru {complaint.number}", body, settings.DEFAULT_FROM_EMAIL, [user.email]
        )
