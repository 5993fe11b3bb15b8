"""Emails to applicants, composed by the outbox when it sends them (portal.cases.mail).

The access code is derived again from the request's submission key (portal.cases.codes), so
it is never stored with the queued email. An applicant's email is written in the language the
request was submitted in (its `language`), whichever thread sends it; the staff's daily
reminders are in Indonesian.
"""

from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from portal.cases.codes import code_of
from portal.cases.language import explanation
from portal.cases.views import tracking_url
from portal.localtime import moment as format_moment
from services.catalogue.calendars import agency_calendar
from services.catalogue.models.agencies import Agency
from services.requests.models import ServiceRequest

REMINDERS = "services.reminders"

SUBJECTS = {
    "receipt": _("Tanda terima permohonan {number}"),
    "dikembalikan": _("Permohonan {number} perlu dilengkapi"),
    "selesai": _("Permohonan {number} selesai"),
    "ditolak": _("Permohonan {number} ditolak"),
}


def compose_request_email(params: dict, case: ServiceRequest | None = None) -> EmailMessage | None:
    """The applicant's email about `params["event"]`; `case`: the request as the action that
    queued the email has just written it (otherwise read by `params["id"]`)."""
    if case is None or case.pk != params["id"]:
        case = (
            ServiceRequest.objects.select_related("agency", "standard")
            .filter(pk=params["id"])
            .first()
        )
    if case is None or not case.email:
        return None
    kind = params["event"]
    tz = case.agency.timezone
    code = code_of(case) if kind == "receipt" else None
    with translation.override(case.language):
        context = {
            "case": case,
            "code": code,
            "kind": kind,
            "received_text": format_moment(case.received_at, tz),
            "due_text": format_moment(case.due_at, tz) if case.due_at else "",
            "explain": explanation(case.due_rule, case.language)[0],
            "track_url": tracking_url(case.number, code),
            # Read only by the kinds that show them (the template calls them), not by a receipt.
            "product_items": lambda: list(
                case.standard.items.filter(component="product").values_list("text", flat=True)
            ),
            "note": lambda: (
                case.events.filter(public=True, to_status=kind)
                .order_by("-at")
                .values_list("note", flat=True)
                .first()
                or ""
            ),
            "site_name": settings.SITE_NAME,
        }
        body = render_to_string("emails/request.txt", context)
        subject = str(SUBJECTS[kind]).format(number=case.number)
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [case.email])


def reminder_content(agency: Agency, now: datetime) -> tuple[list, list, list[str]] | None:
    """(overdue, due before tomorrow's close, staff addresses) of an agency at `now`, or None
    when there is nothing to report or nobody to tell."""
    calendar = agency_calendar(agency)
    tomorrow_close = calendar.add_working_days(now, 1)
    requests = ServiceRequest.objects.for_agency(agency.pk).select_related("standard")
    overdue = list(requests.overdue(now=now).order_by("due_at"))
    soon = list(requests.due_before(now=now, until=tomorrow_close).order_by("due_at"))
    recipients = list(
        get_user_model()
        .objects.filter(membership__agency=agency, is_active=True, is_staff=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
    if not (overdue or soon) or not recipients:
        return None
    return overdue, soon, recipients


def compose_reminder(params: dict) -> EmailMessage | None:
    """The daily list of an agency's late and nearly late requests, as it was at `at`."""
    agency = Agency.objects.filter(pk=params["agency"]).first()
    now = datetime.fromisoformat(params["at"])
    content = reminder_content(agency, now) if agency else None
    if content is None:
        return None
    overdue, soon, recipients = content
    tz = agency.timezone

    def rows(requests):
        return [(r.number, r.standard.name, format_moment(r.due_at, tz)) for r in requests]

    with translation.override("id"):
        body = render_to_string(
            "emails/reminders.txt",
            {
                "agency": agency,
                "overdue": rows(overdue),
                "soon": rows(soon),
                "admin_url": f"{settings.SITE_URL}/{settings.ADMIN_PATH}",
            },
        )
    return EmailMessage(
        f"[{agency.short_name}] {len(overdue)} terlambat, {len(soon)} jatuh tempo besok",
        body,
        settings.DEFAULT_FROM_EMAIL,
        recipients,
    )
