"""Emails to applicants, sent after the transaction that caused them has committed."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import translation

from portal.worktime import format_moment
from services.calendars import agency_calendar
from services.models import ServiceRequest

SUBJECTS = {
    "receipt": "Tanda terima permohonan {number}",
    "dikembalikan": "Permohonan {number} perlu dilengkapi",
    "selesai": "Permohonan {number} selesai",
    "ditolak": "Permohonan {number} ditolak",
}


def send_request_email(request_id: int, kind: str, code: str | None = None) -> None:
    case = ServiceRequest.objects.select_related("agency", "standard").get(pk=request_id)
    if not case.email:
        return
    from services.actions import tracking_url

    calendar = agency_calendar(case.agency)
    last_note = (
        case.events.filter(public=True, to_status=kind)
        .order_by("-at")
        .values_list("note", flat=True)
        .first()
        or ""
    )
    context = {
        "case": case,
        "code": code,
        "kind": kind,
        "received_text": format_moment(case.received_at, calendar.tz),
        "due_text": format_moment(case.due_at, calendar.tz) if case.due_at else "",
        "track_url": tracking_url(case, code) if code else f"{settings.SITE_URL}/lacak/",
        "note": last_note,
        "site_name": settings.SITE_NAME,
    }
    with translation.override("id"):
        body = render_to_string("emails/request.txt", context)
    send_mail(
        SUBJECTS[kind].format(number=case.number),
        body,
        settings.DEFAULT_FROM_EMAIL,
        [case.email],
    )
