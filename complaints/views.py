"""Public complaint pages: the form (every service and agency page links here) and tracking."""

import uuid

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from complaints import actions
from complaints.forms import ComplaintForm, FeedbackForm
from complaints.models import Complaint, ComplaintStatus, ComplaintTier
from portal.caching import blank_form_key
from portal.ratelimit import limit_posts
from portal.worktime import format_moment
from services.calendars import agency_calendar
from services.models import Agency, ServiceStandard
from services.request_views import SESSION_CODES, _grant, _granted


def _preselected(request):
    agency = Agency.objects.filter(slug=request.GET.get("instansi", "")).first()
    standard = None
    if agency is not None:
        standard = ServiceStandard.objects.filter(
            agency=agency, slug=request.GET.get("layanan", "")
        ).first()
    return agency, standard


@require_http_methods(["GET", "POST"])
@limit_posts("pengaduan")
def complaint_create(request):
    agency, standard = _preselected(request)
    initial = {"submission_key": uuid.uuid4(), "agency": agency, "standard": standard}
    form = ComplaintForm(request.POST or None, request.FILES or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            complaint, code = actions.complaint_submit(
                agency=form.cleaned_data["agency"],
                details=form.details(),
                evidence=form.evidence(),
                now=timezone.now(),
                submission_key=form.cleaned_data["submission_key"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            if code:
                request.session.setdefault(SESSION_CODES, {})[complaint.number] = code
                request.session.modified = True
                _grant(request, complaint)
            return redirect("complaints:receipt", number=complaint.number)
    shown_agency = agency
    if form.is_bound and form.is_valid() is False:
        shown_agency = form.cleaned_data.get("agency") or agency
    return render(
        request,
        "complaints/form.html",
        {
            "form": form,
            "fields_key": blank_form_key(form, agency and agency.pk, standard and standard.pk),
            "agency": shown_agency,
            "channels": shown_agency.channels.all() if shown_agency else [],
            "tiers": _tiers(shown_agency),
            "files_lost": request.method == "POST",
            "crumbs": [(None, _("Sampaikan pengaduan"))],
        },
    )


def _tiers(agency):
    if agency is None:
        return [(label, duration) for label, duration in DEFAULT_TIER_TEXT]
    return [
        (row.get_tier_display(), row.duration)
        for row in ComplaintTier.objects.filter(agency=agency).order_by("order")
    ]


DEFAULT_TIER_TEXT = [
    ("Pengaduan ringan", "3 jam kerja"),
    ("Pengaduan bersifat normatif", "5 hari kerja"),
    ("Pengaduan tidak berkadar pengawasan", "14 hari kerja"),
    ("Pengaduan berkadar pengawasan dan memerlukan pemeriksaan", "60 hari kerja"),
]


def complaint_receipt(request, number):
    code = request.session.get(SESSION_CODES, {}).get(number)
    if code is None or not _granted(request, number):
        raise Http404
    complaint = _complaint(number)
    calendar = agency_calendar(complaint.agency)
    return render(
        request,
        "complaints/receipt.html",
        {
            "complaint": complaint,
            "code": code,
            "received_text": format_moment(complaint.received_at, calendar.tz),
            "due_text": format_moment(complaint.due_at, calendar.tz),
        },
    )


def _complaint(number):
    try:
        return Complaint.objects.select_related("agency", "standard").get(number=number)
    except Complaint.DoesNotExist as exc:
        raise Http404 from exc


def complaint_track(request, complaint):
    """The tracking page of a complaint (reached through /lacak/ with number and code)."""
    form = FeedbackForm(request.POST or None)
    if (
        request.method == "POST"
        and complaint.status == ComplaintStatus.ANSWERED
        and form.is_valid()
    ):
        actions.complaint_feedback(
            complaint=complaint,
            resolved=form.cleaned_data["resolved"],
            note=form.cleaned_data["note"],
            now=timezone.now(),
        )
        messages.success(request, _("Terima kasih, tanggapan Anda tercatat."))
        return redirect("services:track_detail", number=complaint.number)
    calendar = agency_calendar(complaint.agency)
    return render(
        request,
        "complaints/track_detail.html",
        {
            "complaint": complaint,
            "events": complaint.events.filter(public=True),
            "due_text": format_moment(complaint.due_at, calendar.tz) if complaint.due_at else "",
            "form": form,
            "tz": calendar.tz,
            "crumbs": [(reverse("services:track"), _("Lacak")), (None, complaint.number)],
        },
    )


def staff_evidence(request, pk):
    """Evidence of a complaint, for its agency's staff only (404 for anyone else)."""
    from django.contrib.admin.views.decorators import staff_member_required

    from complaints.models import ComplaintEvidence
    from portal.admin_scoping import user_agency_id
    from services.request_views import _file_response

    @staff_member_required
    def serve(request):
        item = ComplaintEvidence.objects.select_related("complaint").filter(pk=pk).first()
        if item is None or (
            not request.user.is_superuser and user_agency_id(request) != item.complaint.agency_id
        ):
            raise Http404
        return _file_response(item.file, item.original_name, item.content_type)

    return serve(request)
