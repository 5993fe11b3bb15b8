"""Emails about complaints, composed by the outbox when it sends them (portal.cases.mail): to
the complainant, and alerts to each of the agency's staff (a new complaint, information the
complainant added).

Staff alerts never carry a confidential complainant's identity, whoever receives them. The
complainant's emails are written in the language the complaint was submitted in (its
`language`), whichever thread sends them; staff alerts are in Indonesian.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from complaints.identity import identity_of
from complaints.models import Complaint, ComplaintEvent
from portal.cases.codes import code_of
from portal.cases.views import tracking_url
from portal.localtime import moment as format_moment

SUBJECTS = {
    "receipt": _("Tanda terima pengaduan {number}"),
    "dijawab": _("Jawaban atas pengaduan {number}"),
    "ditolak": _("Pengaduan {number} tidak dapat ditindaklanjuti"),
}


def _complaint(params):
    return Complaint.objects.select_related("agency", "standard").filter(pk=params["id"]).first()


def _context(complaint, code=None) -> dict:
    tz = complaint.agency.timezone
    return {
        "complaint": complaint,
        "code": code,
        "received_text": format_moment(complaint.received_at, tz),
        "due_text": format_moment(complaint.due_at, tz) if complaint.due_at else "",
        "track_url": tracking_url(complaint.number, code),
        "site_name": settings.SITE_NAME,
    }


def compose_complainant_email(params: dict, case: Complaint | None = None) -> EmailMessage | None:
    """The complainant's email about `params["event"]`; `case`: the complaint as the action
    that queued the email has just written it (otherwise read by `params["id"]`)."""
    complaint = case if case is not None and case.pk == params["id"] else _complaint(params)
    if complaint is None or not complaint.email:
        return None
    kind = params["event"]
    code = code_of(complaint) if kind == "receipt" else None
    with translation.override(complaint.language):
        context = _context(complaint, code)
        body = render_to_string("emails/complaint.txt", {**context, "kind": kind})
        subject = str(SUBJECTS[kind]).format(number=complaint.number)
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [complaint.email])


def compose_staff_alert(params: dict) -> EmailMessage | None:
    complaint = _complaint(params)
    user = get_user_model().objects.filter(pk=params["user"], is_active=True).first()
    if complaint is None or user is None or not user.email:
        return None
    admin_path = reverse("admin:complaints_complaint_change", args=[complaint.pk])
    with translation.override("id"):
        body = render_to_string(
            "emails/complaint_staff.txt",
            {
                **_context(complaint),
                "kind": "receipt",
                "identity": identity_of(None, complaint),
                "admin_url": f"{settings.SITE_URL}{admin_path}",
            },
        )
    return EmailMessage(
        f"Pengaduan baru {complaint.number}", body, settings.DEFAULT_FROM_EMAIL, [user.email]
    )


def compose_staff_information(params: dict) -> EmailMessage | None:
    """The complainant added information or evidence: an alert to one of the agency's staff.

    The evidence is named by count only (an uploader's file name can carry their name).
    """
    complaint = _complaint(params)
    user = get_user_model().objects.filter(pk=params["user"], is_active=True).first()
    event = (
        ComplaintEvent.objects.filter(pk=params["event"], complaint_id=params["id"]).first()
        if complaint is not None
        else None
    )
    if event is None or user is None or not user.email:
        return None
    admin_path = reverse("admin:complaints_complaint_change", args=[complaint.pk])
    with translation.override("id"):
        body = render_to_string(
            "emails/complaint_staff_information.txt",
            {
                **_context(complaint),
                "event": event,
                "evidence_count": len(event.data.get("evidence") or []),
                "identity": identity_of(None, complaint),
                "added_text": format_moment(event.at, complaint.agency.timezone),
                "admin_url": f"{settings.SITE_URL}{admin_path}",
            },
        )
    return EmailMessage(
        f"Tambahan dari pengadu {complaint.number}",
        body,
        settings.DEFAULT_FROM_EMAIL,
        [user.email],
    )
