"""Public request pages: the intake form, the receipt, tracking, and private downloads."""

import uuid

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from portal.admin_scoping import user_agency_id
from portal.caching import blank_form_key
from portal.cases import code_matches
from portal.ratelimit import client_ip, limit_posts
from portal.worktime import format_moment
from services import actions, selectors
from services.calendars import agency_calendar
from services.forms import RequestForm, ResubmitForm, TrackForm
from services.models import RequestDocument, RequestStatus, ServiceRequest, ServiceStandard

SESSION_CODES = "request_codes"
SESSION_ACCESS = "tracked_requests"
TRACK_LIMIT = 10  # failed attempts per client per window
TRACK_WINDOW = 15 * 60


@require_http_methods(["GET", "POST"])
@limit_posts("permohonan")
def request_create(request, agency, service):
    try:
        standard = selectors.intake_page(agency, service)
    except ServiceStandard.DoesNotExist as exc:
        raise Http404 from exc
    form = RequestForm(
        request.POST or None,
        request.FILES or None,
        standard=standard,
        initial={"submission_key": uuid.uuid4()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            created, code = actions.request_submit(
                standard=standard,
                applicant=form.applicant(),
                documents=form.documents(),
                now=timezone.now(),
                submission_key=form.cleaned_data["submission_key"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if code:
                request.session.setdefault(SESSION_CODES, {})[created.number] = code
                _grant(request, created)
            return redirect("services:request_receipt", number=created.number)
    return render(
        request,
        "services/request_form.html",
        {
            "standard": standard,
            "agency": standard.agency,
            "form": form,
            "fields_key": blank_form_key(form, standard.pk),
            "files_lost": request.method == "POST" and bool(form.document_fields),
            "crumbs": [
                (standard.agency.get_absolute_url(), standard.agency.short_name),
                (standard.get_absolute_url(), standard.name),
                (None, _("Ajukan permohonan")),
            ],
        },
    )


def _grant(request, case):
    access = set(request.session.get(SESSION_ACCESS, []))
    access.add(case.number)
    request.session[SESSION_ACCESS] = sorted(access)


def _granted(request, number) -> bool:
    return number in request.session.get(SESSION_ACCESS, [])


def _case(number):
    try:
        return ServiceRequest.objects.select_related("agency", "standard").get(number=number)
    except ServiceRequest.DoesNotExist as exc:
        raise Http404 from exc


def request_receipt(request, number):
    code = request.session.get(SESSION_CODES, {}).get(number)
    if code is None or not _granted(request, number):
        raise Http404
    case = _case(number)
    calendar = agency_calendar(case.agency)
    return render(
        request,
        "services/request_receipt.html",
        {
            "case": case,
            "code": code,
            "due_text": format_moment(case.due_at, calendar.tz) if case.due_at else "",
            "track_url": actions.tracking_url(case, code),
        },
    )


def _client_key(request) -> str:
    return "track-fail:" + client_ip(request)


def _too_many(request) -> bool:
    return cache.get(_client_key(request), 0) >= TRACK_LIMIT


def _failed(request) -> None:
    key = _client_key(request)
    cache.add(key, 0, TRACK_WINDOW)
    cache.incr(key)


def _open_with_code(request, number, code):
    """Grant access if number and code match; the same answer for a wrong code or number.

    Requests and complaints share the tracking page and the session's list of opened cases.
    """
    from complaints.models import Complaint

    case = (
        ServiceRequest.objects.filter(number=number).first()
        or Complaint.objects.filter(number=number).first()
    )
    if case is not None and code_matches(case.access_hash, code):
        _grant(request, case)
        return case
    _failed(request)
    return None


@require_http_methods(["GET", "POST"])
@limit_posts("lacak")
def track(request):
    form = TrackForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if _too_many(request):
            form.add_error(None, _("Terlalu banyak percobaan. Coba lagi 15 menit lagi."))
            status = 429
        elif form.is_valid():
            case = _open_with_code(request, form.cleaned_data["number"], form.cleaned_data["code"])
            if case is not None:
                return redirect("services:track_detail", number=case.number)
            form.add_error(None, _("Nomor tanda terima atau kode akses tidak cocok."))
    return render(
        request,
        "services/track.html",
        {"form": form, "crumbs": [(None, _("Lacak"))]},
        status=status,
    )


@require_http_methods(["GET", "POST"])
@limit_posts("lacak-kiriman")
def track_detail(request, number):
    code = request.GET.get("kode")
    if code is not None:
        if _too_many(request):
            return render(
                request, "services/track.html", {"form": TrackForm(), "limited": True}, status=429
            )
        if _open_with_code(request, number, code) is None:
            # Bound (and cleaned) so that the error can be added and the number stays filled in.
            form = TrackForm({"number": number, "code": code})
            form.is_valid()
            form.add_error(None, _("Nomor tanda terima atau kode akses tidak cocok."))
            return render(request, "services/track.html", {"form": form})
        return redirect("services:track_detail", number=number)
    if not _granted(request, number):
        return redirect("services:track")
    from complaints.models import Complaint
    from complaints.views import complaint_track

    complaint = Complaint.objects.select_related("agency", "standard").filter(number=number).first()
    if complaint is not None:
        return complaint_track(request, complaint)
    case = _case(number)
    upload_form = ResubmitForm(request.POST or None, request.FILES or None)
    if (
        request.method == "POST"
        and case.status == RequestStatus.RETURNED
        and upload_form.is_valid()
    ):
        try:
            actions.request_resubmit(
                request=case,
                documents=[upload_form.cleaned_data["documents"]],
                note=upload_form.cleaned_data["note"],
                now=timezone.now(),
            )
        except ValidationError as error:
            upload_form.add_error(None, error)
        else:
            messages.success(request, _("Dokumen diterima. Waktu layanan dilanjutkan."))
            return redirect("services:track_detail", number=number)
    calendar = agency_calendar(case.agency)
    events = list(case.events.filter(public=True).select_related("actor"))
    documents = list(case.documents.select_related("requirement"))
    returned_note = next(
        (e.note for e in reversed(events) if e.to_status == RequestStatus.RETURNED), ""
    )
    return render(
        request,
        "services/track_detail.html",
        {
            "case": case,
            "events": events,
            "due_text": format_moment(case.due_at, calendar.tz) if case.due_at else "",
            "remaining": case.remaining_seconds,
            "returned_note": returned_note,
            "upload_form": upload_form,
            "documents": documents,
            "tz": calendar.tz,
            "crumbs": [(reverse("services:track"), _("Lacak")), (None, case.number)],
        },
    )


def _file_response(file_field, name, content_type=None):
    try:
        handle = file_field.open("rb")
    except FileNotFoundError as exc:
        raise Http404 from exc
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def track_document(request, number, pk):
    """One of the applicant's own documents, for whoever opened the case with its code."""
    if not _granted(request, number):
        raise Http404
    document = RequestDocument.objects.filter(pk=pk, request__number=number).first()
    if document is None:
        raise Http404
    return _file_response(document.file, document.original_name, document.content_type)


def request_receipt_pdf(request, number):
    """A request's or complaint's receipt as a PDF, for whoever opened the case (never cached:
    it is personal)."""
    from django.conf import settings
    from django.http import HttpResponse
    from django.template.loader import render_to_string
    from django.utils import translation

    from complaints.models import Complaint
    from portal.pdf import render_pdf

    if not _granted(request, number):
        raise Http404
    case = Complaint.objects.select_related("agency", "standard").filter(number=number).first()
    template = "pdf/complaint_receipt.html"
    if case is None:
        case, template = _case(number), "pdf/request_receipt.html"
    calendar = agency_calendar(case.agency)
    with translation.override("id"):
        html = render_to_string(
            template,
            {
                "case": case,
                "agency": case.agency,
                "code": request.session.get(SESSION_CODES, {}).get(number),
                "received_text": format_moment(case.received_at, calendar.tz),
                "due_text": format_moment(case.due_at, calendar.tz) if case.due_at else "",
                "track_url": settings.SITE_URL + reverse("services:track"),
                "doc_title": f"Tanda terima {case.number}",
                "doc_description": case.standard.name if case.standard else case.agency.name,
                "running_title": f"Tanda terima {case.number}",
                "SITE_NAME": settings.SITE_NAME,
            },
        )
    data = render_pdf(html, base_url=(settings.BASE_DIR / "static").as_uri() + "/")
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="tanda-terima-{case.number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


def track_product(request, number):
    if not _granted(request, number):
        raise Http404
    case = _case(number)
    if not case.product:
        raise Http404
    return _file_response(case.product, case.product_name or "produk-layanan")


@staff_member_required
def staff_document(request, pk):
    """A request's document, for its agency's staff only (404 for anyone else)."""
    try:
        document = RequestDocument.objects.select_related("request").get(pk=pk)
    except RequestDocument.DoesNotExist as exc:
        raise Http404 from exc
    if not request.user.is_superuser and user_agency_id(request) != document.request.agency_id:
        raise Http404
    return _file_response(document.file, document.original_name, document.content_type)


@staff_member_required
def staff_product(request, pk):
    case = ServiceRequest.objects.filter(pk=pk).first()
    if (
        case is None
        or not case.product
        or (not request.user.is_superuser and user_agency_id(request) != case.agency_id)
    ):
        raise Http404
    return _file_response(case.product, case.product_name or "produk-layanan")
