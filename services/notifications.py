"""Emails to applicants, composed by the outbox when it sends them (portal.cases.mail).

The access code is derived again from the request's submission key (portal.cases.codes), so
it is never stored with the queued email.
"""

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.utils import translation

from portal.cases.codes import code_of
from portal.cases.views import tracking_url
from portal.worktime import format_moment
from services.models import ServiceRequest

SUBJECTS = {
    "receipt": "Tanda terima permohonan {number}",
    "dikembalikan": "Permohonan {number} perlu dilengkapi",
    "selesai": "Permohonan {number} selesai",
    "ditolak": "Permohonan {number} ditolak",
}


def compose_request_email(params: dict) -> EmailMessage | None:
    case = (
        ServiceRequest.objects.select_related("agency", "standard").filter(pk=params["id"]).first()
    )
    if case is None or not case.email:
        return None
    kind = params["event"]
    tz = case.agency.timezone
    code = code_of(case) if kind == "receipt" else None
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
        "received_text": format_moment(case.received_at, tz),
        "due_text": format_moment(case.due_at, tz) if case.due_at else "",
        "track_url": tracking_url(case.number, code),
        "product_items": list(
            case.standard.items.filter(component="product").values_list("text", flat=True)
        ),
        "note": last_note,
        "site_name": settings.SITE_NAME,
    }
    with translation.override("id"):
        body = render_to_string("emails/request.txt", context)
    return EmailMessage(
        SUBJECTS[kind].format(number=case.number), body, settings.DEFAULT_FROM_EMAIL, [case.email]
    )
