"""Public request pages: the intake form, the receipt, the tracking page, private downloads."""

import re
from datetime import datetime
from functools import partial

from django.contrib.admin.views.decorators import staff_member_required
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.caching import blank_form_key
from portal.cases import access, intake, tracking
from portal.cases import language as case_language
from portal.cases.audit import DOCUMENT, record_access
from portal.cases.durations import working_duration
from portal.cases.files import private_file_response, staff_may_open
from portal.cases.views import tracking_url
from portal.localtime import moment as format_moment
from portal.ratelimit import limit_posts
from services.catalogue.calendars import agency_calendar
from services.catalogue.models.standards import ServiceStandard
from services.requests import actions as request_actions
from services.requests import selectors as request_selectors
from services.requests.forms import RequestForm, ResubmitForm
from services.requests.guidance import next_step
from services.requests.models import RequestDocument, RequestEvent, RequestStatus, ServiceRequest

# History entries the applicant sees even when their note is internal (the note is hidden).
CITIZEN_EVENTS = (
    RequestEvent.Kind.SUBMITTED,
    RequestEvent.Kind.STATUS,
    RequestEvent.Kind.PAUSED,
    RequestEvent.Kind.RESUMED,
    RequestEvent.Kind.DEADLINE,
    RequestEvent.Kind.DOCUMENT,
    RequestEvent.Kind.PRODUCT,
)


class RequestIntake(intake.Intake):
    """The request form of one service (portal.cases.intake): applicant and documents."""

    name = "permohonan"
    model = ServiceRequest
    form_class = RequestForm
    template = "services/requests/form.html"
    receipt = "services:request_receipt"

    def __init__(self, request, found, *, now):
        super().__init__(request, now=now)
        self.standard = found.standard
        self.version = found.version

    def form_kwargs(self) -> dict:
        return {"standard": self.standard}

    def bound_to(self, form):
        return self.standard.pk

    def submit(self, form, **sending):
        # The submission is its own (durable) transaction; the files held for the form go once
        # it has committed (what a failure leaves is purged with the expired ones).
        created = request_actions.request_submit(
            standard=self.standard,
            version=self.version,
            applicant=form.applicant(),
            documents=form.documents(),
            **sending,
        )
        self.release_kept(form)
        return created

    def context(self, form) -> dict:
        standard = self.standard
        return {
            "standard": standard,
            "agency": standard.agency,
            "form": form,
            "fields_key": blank_form_key(form, standard.pk),
            "crumbs": [
                (standard.agency.get_absolute_url(), standard.agency.short_name),
                (standard.get_absolute_url(), standard.name),
                (None, _("Ajukan permohonan")),
            ],
        }


@require_http_methods(["GET", "POST"])
@limit_posts("permohonan")
def request_create(request, agency, service):
    now = timezone.now()
    try:
        found = request_selectors.intake(agency, service, now=now)
    except ServiceStandard.DoesNotExist as exc:
        raise Http404 from exc
    return intake.answer(RequestIntake(request, found, now=now))


def _case(number):
    try:
        return ServiceRequest.objects.select_related("agency", "standard", "version").get(
            number=number
        )
    except ServiceRequest.DoesNotExist as exc:
        raise Http404 from exc


def _receipt_context(case, code) -> dict:
    return {
        "due_text": format_moment(case.due_at, case.agency.timezone) if case.due_at else "",
        "track_url": tracking_url(case.number, code),
        "promise": request_selectors.request_promise(case),
        # How the due moment was counted, in the page's language where it was recorded in it.
        "explain": case_language.explanation(case.due_rule, case_language.current()),
    }


def request_receipt(request, number):
    return intake.receipt_page(
        request,
        number,
        cases=ServiceRequest.objects.select_related("agency", "standard", "version"),
        template="services/requests/receipt.html",
        context=_receipt_context,
    )


_OLD_SECONDS = re.compile(r"sisa (\d+) detik kerja")


def history(events, calendar) -> list[tuple[RequestEvent, str, str]]:
    """The applicant's history: each entry with the note it shows (internal notes hidden, the
    stored note as written, in Indonesian) and a sentence in the reader's language.

    The restart of the clock is written from the entry's data in the reader's language, with
    the time that was left in words (entries stored before that wording carried "N detik
    kerja" in their note; the number is read back from it)."""
    day = calendar.hours.working_day_seconds()
    rows = []
    for event in events:
        note = event.note if event.public else ""
        text = ""
        if event.kind == RequestEvent.Kind.RESUMED:
            note = ""
            seconds = event.data.get("remaining_seconds")
            if seconds is None and (match := _OLD_SECONDS.search(event.note)):
                seconds = int(match.group(1))
            new_due = event.data.get("new_due")
            late = event.data.get("late_seconds")
            if new_due and late is not None:  # late when returned: still late (never erased)
                text = _(
                    "Waktu dilanjutkan; terlambat %(late)s saat dikembalikan, tetap terlambat. "
                    "Jatuh tempo sudah lewat: %(due)s."
                ) % {
                    "late": working_duration(late, day),
                    "due": format_moment(datetime.fromisoformat(new_due), calendar.tz),
                }
            elif new_due and seconds is not None:
                text = _("Waktu dilanjutkan dengan sisa %(left)s. Paling lambat: %(due)s.") % {
                    "left": working_duration(seconds, day),
                    "due": format_moment(datetime.fromisoformat(new_due), calendar.tz),
                }
            else:
                text = _("Waktu dilanjutkan.")
        elif event.kind == RequestEvent.Kind.PAUSED:
            seconds = event.data.get("remaining_seconds")
            if event.data.get("late_seconds") is not None:
                late = request_selectors.returned_late_text(event.data["late_seconds"], day)
                text = f"{capfirst(late)}."
            elif seconds is not None:
                text = _("Sisa waktu layanan: %(left)s.") % {"left": working_duration(seconds, day)}
        rows.append((event, note, text))
    return rows


def request_track(request, case):
    """The tracking page of a request (reached through /lacak/ with number and code)."""
    upload_form = ResubmitForm(request.POST or None, request.FILES or None)
    if (
        request.method == "POST"
        and case.status == RequestStatus.RETURNED
        and upload_form.is_valid()
    ):
        resubmit = partial(
            request_actions.request_resubmit,
            request=case,
            documents=[upload_form.cleaned_data["documents"]],
            note=upload_form.cleaned_data["note"],
        )
        done = _("Dokumen diterima. Waktu layanan dilanjutkan.")
        if sent := tracking.send(request, case, upload_form, resubmit, done=done):
            return sent
    calendar = agency_calendar(case.agency)
    events = list(tracking.citizen_events(case, CITIZEN_EVENTS))
    returned_note = next(
        (e.note for e in reversed(events) if e.to_status == RequestStatus.RETURNED), ""
    )
    day = calendar.hours.working_day_seconds()
    remaining = ""
    if case.status == RequestStatus.RETURNED and case.remaining_seconds is not None:
        remaining = working_duration(case.remaining_seconds, day)
    late = request_selectors.late_at_return(case, calendar)  # returning never erases lateness
    returned_late = "" if late is None else request_selectors.returned_late_text(late, day)
    due_text = format_moment(case.due_at, calendar.tz) if case.due_at else ""
    return render(
        request,
        "services/requests/track_detail.html",
        {
            "case": case,
            "next_step": next_step(case.status, due=due_text),
            "history": history(events, calendar),
            "due_text": due_text,
            "remaining": remaining,
            "returned_late": returned_late,
            "returned_note": returned_note,
            "upload_form": upload_form,
            "documents": list(case.documents.all()),
            "promise": request_selectors.request_promise(case),
            "product_items": list(
                case.standard.items.filter(component="product").values_list("text", flat=True)
            ),
            "tz": calendar.tz,
            "crumbs": tracking.crumbs(case),
        },
    )


_PRODUCT = "produk-layanan"


def _document_file(document, number):
    """Served as `<number>-<requirement>.<type>`, never under the uploader's file name."""
    what = document.requirement.text[:60] if document.requirement else ""
    return private_file_response(
        document.file, number=number, label=f"dokumen-{document.pk}-{what}".rstrip("-")
    )


def track_document(request, number, pk):
    """One of the applicant's own documents, for whoever opened the case with its code."""
    if not access.granted(request, number):
        raise Http404
    document = (
        RequestDocument.objects.select_related("requirement")
        .filter(pk=pk, request__number=number)
        .first()
    )
    if document is None:
        raise Http404
    return _document_file(document, number)


def track_product(request, number):
    if not access.granted(request, number):
        raise Http404
    case = _case(number)
    if not case.product:
        raise Http404
    return private_file_response(case.product, number=case.number, label=_PRODUCT)


@staff_member_required
def staff_document(request, pk):
    """A request's document, for its agency's staff only (404 for anyone else)."""
    document = (
        RequestDocument.objects.select_related("request", "requirement").filter(pk=pk).first()
    )
    if document is None or not staff_may_open(request, document.request.agency_id):
        raise Http404
    record_access(user=request.user, case=document.request, what=DOCUMENT, detail=f"#{pk}")
    return _document_file(document, document.request.number)


@staff_member_required
def staff_product(request, pk):
    case = ServiceRequest.objects.filter(pk=pk).first()
    if case is None or not case.product or not staff_may_open(request, case.agency_id):
        raise Http404
    record_access(user=request.user, case=case, what=DOCUMENT, detail="produk")
    return private_file_response(case.product, number=case.number, label=_PRODUCT)
