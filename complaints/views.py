"""Public complaint pages: the form (every service and agency page links here) and tracking."""

import uuid

from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.cache import caches
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from complaints import actions
from complaints.forms import EVIDENCE_FIELDS, ComplaintForm, FeedbackForm, InformationForm
from complaints.guidance import next_step
from complaints.identity import may_see_identity
from complaints.models import (
    Complaint,
    ComplaintEvent,
    ComplaintEvidence,
    ComplaintStatus,
    ComplaintTier,
)
from complaints.workflow import DEFAULT_TIER_DURATIONS, OPEN, Tier
from portal import params
from portal.admin_scoping import user_agency_id
from portal.caching import blank_form_key, catalogue_version
from portal.cases import access, staging
from portal.cases import language as case_language
from portal.cases.audit import DOCUMENT, record_access
from portal.cases.files import private_file_response
from portal.cases.replay import browser_binding
from portal.cases.views import receipt_code, to_receipt
from portal.localtime import amount as unit_phrase
from portal.localtime import moment as format_moment
from portal.ratelimit import limit_posts
from services.catalogue.timeframes import parse_timeframe
from services.models import Agency, ServiceStandard

# History entries the complainant sees even when their note is internal (the note is hidden).
CITIZEN_EVENTS = (
    ComplaintEvent.Kind.SUBMITTED,
    ComplaintEvent.Kind.CLASSIFIED,
    ComplaintEvent.Kind.STATUS,
    ComplaintEvent.Kind.ANSWER,
    ComplaintEvent.Kind.FEEDBACK,
)


def _preselected(request):
    """The agency and service the link to the form named (?instansi=, ?layanan=), if they
    exist, kept per catalogue version in the process's memory with what the form shows of the
    agency (its channels and complaint tiers): the blank form costs no query for them."""
    agency_slug = params.parse_slug(request.GET.get("instansi"))
    service_slug = params.parse_slug(request.GET.get("layanan")) if agency_slug else ""
    local = caches["local"]
    key = f"complaint-form:{catalogue_version()}:{get_language()}:{agency_slug}:{service_slug}"
    found = local.get(key)
    if found is None:
        agency = Agency.objects.filter(slug=agency_slug).first() if agency_slug else None
        standard = None
        if agency is not None and service_slug:
            standard = ServiceStandard.objects.filter(agency=agency, slug=service_slug).first()
        found = (agency, standard, _agency_parts(agency))
        known = agency is not None and (standard is not None or not service_slug)
        if known or not agency_slug:  # never fill the cache with unknown names
            local.set(key, found, 3600)
    return found


def _agency_parts(agency) -> tuple[list, list]:
    """(complaint channels, tiers) of an agency as the form lists them."""
    return (list(agency.channels.all()) if agency else [], _tiers(agency))


@require_http_methods(["GET", "POST"])
@limit_posts("pengaduan")
def complaint_create(request):
    agency, standard, parts = _preselected(request)
    initial = {"submission_key": uuid.uuid4(), "agency": agency, "standard": standard}
    now = timezone.now()
    key = staging.posted_key(request.POST) if request.method == "POST" else None
    form = ComplaintForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        staged=staging.staged(submission_key=key, owner=staging.owner(request), now=now),
    )
    if request.method == "POST" and form.is_valid():
        form_key = form.cleaned_data["submission_key"]
        chosen = form.cleaned_data["agency"]
        try:
            # The submission is its own transaction; the files held for the form go once it
            # has committed (what a failure leaves is purged with the expired ones).
            complaint, code = actions.complaint_submit(
                agency=chosen,
                details=form.details(),
                evidence=form.evidence(),
                now=now,
                submission_key=form_key,
                binding=browser_binding(request, f"pengaduan:{chosen.pk}"),
                language=case_language.current(),
            )
            if staging.owner(request):  # only a session that staged files can have any
                staging.release(submission_key=form_key)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            return to_receipt(
                request,
                complaint,
                code,
                receipt="complaints:receipt",
                form_url=request.get_full_path(),
            )
    if request.method == "POST" and key is not None:
        held = staging.keep(
            form=form,
            fields=list(EVIDENCE_FIELDS),
            submission_key=key,
            owner=staging.owner(request, create=True),
            now=now,
        )
        form.use_staged(held)
    shown_agency = agency
    if form.is_bound and form.is_valid() is False:
        shown_agency = form.cleaned_data.get("agency") or agency
        if shown_agency != agency:
            parts = _agency_parts(shown_agency)
    channels, tiers = parts
    return render(
        request,
        "complaints/form.html",
        {
            "form": form,
            "fields_key": blank_form_key(form, agency and agency.pk, standard and standard.pk),
            "agency": shown_agency,
            "channels": channels,
            "tiers": tiers,
            "crumbs": [(None, _("Sampaikan pengaduan"))],
        },
    )


def _tiers(agency):
    """(tier label, deadline) of an agency's tiers, or the default ones."""
    if agency is None:
        return [
            (Tier(tier).label, _duration_text(text))
            for tier, text in DEFAULT_TIER_DURATIONS.items()
        ]
    return [
        (row.get_tier_display(), _duration_text(row.duration))
        for row in ComplaintTier.objects.filter(agency=agency).order_by("order")
    ]


def _duration_text(text: str) -> str:
    """ "3 jam" -> "3 jam kerja": a tier's deadline as the citizen reads it."""
    stage = parse_timeframe(text).governing_stage()
    if stage is None or stage.amount is None:
        return text
    return unit_phrase(stage.amount, stage.unit)


def complaint_receipt(request, number):
    code = receipt_code(request, number)
    complaint = _complaint(number)
    tz = complaint.agency.timezone
    return render(
        request,
        "complaints/receipt.html",
        {
            "complaint": complaint,
            "code": code,
            "received_text": format_moment(complaint.received_at, tz),
            "due_text": format_moment(complaint.due_at, tz),
        },
    )


def _complaint(number):
    try:
        return Complaint.objects.select_related("agency", "standard").get(number=number)
    except Complaint.DoesNotExist as exc:
        raise Http404 from exc


def complaint_track(request, complaint):
    """The tracking page of a complaint (reached through /lacak/ with number and code): its
    text, evidence, answer and history; the complainant's feedback on the answer and, while it
    is open, their added information (a hidden `form` field says which form was sent)."""
    sent = request.POST.get("form", "tanggapan") if request.method == "POST" else None
    form = FeedbackForm(request.POST if sent == "tanggapan" else None)
    adding = sent == "tambahan"
    information = InformationForm(
        request.POST if adding else None, request.FILES if adding else None, prefix="tambahan"
    )
    if form.is_bound and complaint.status == ComplaintStatus.ANSWERED and form.is_valid():
        actions.complaint_feedback(
            complaint=complaint,
            resolved=form.cleaned_data["resolved"],
            note=form.cleaned_data["note"],
            now=timezone.now(),
        )
        messages.success(request, _("Terima kasih, tanggapan Anda tercatat."))
        return redirect("cases:track_detail", number=complaint.number)
    if information.is_bound and information.is_valid():
        try:
            actions.complaint_add_information(
                complaint=complaint,
                text=information.cleaned_data["text"],
                upload=information.cleaned_data["upload"],
                now=timezone.now(),
            )
        except ValidationError as error:
            information.add_error(None, error)
        else:
            messages.success(request, _("Terima kasih, tambahan Anda tercatat dan diteruskan."))
            return redirect("cases:track_detail", number=complaint.number)
    tz = complaint.agency.timezone
    events = complaint.events.filter(Q(public=True) | Q(kind__in=CITIZEN_EVENTS))
    due_text = format_moment(complaint.due_at, tz) if complaint.due_at else ""
    is_open = complaint.status in OPEN and complaint.closed_at is None
    return render(
        request,
        "complaints/track_detail.html",
        {
            "complaint": complaint,
            "events": events,
            "evidence": list(complaint.evidence.all()),
            "due_text": due_text,
            "next_step": next_step(complaint.status, due=due_text),
            "form": form,
            "information_form": information if is_open else None,
            "tz": tz,
            "crumbs": [(reverse("cases:track"), _("Lacak")), (None, complaint.number)],
        },
    )


def track_evidence(request, number, pk):
    """One evidence file of a complaint, for the session that opened it with its code."""
    if not access.granted(request, number):
        raise Http404
    item = ComplaintEvidence.objects.filter(pk=pk, complaint__number=number).first()
    if item is None:
        raise Http404
    return private_file_response(item.file, number=number, label=f"bukti-{item.pk}")


@staff_member_required
def staff_evidence(request, pk):
    """Evidence of a complaint, for its agency's staff only (404 for anyone else)."""
    item = ComplaintEvidence.objects.select_related("complaint").filter(pk=pk).first()
    if item is None or (
        not request.user.is_superuser and user_agency_id(request) != item.complaint.agency_id
    ):
        raise Http404
    record_access(
        user=request.user,
        case=item.complaint,
        what=DOCUMENT,
        identity=may_see_identity(request.user, item.complaint),
        detail=f"#{pk}",
    )
    # Never the uploader's file name (it can carry a confidential complainant's name).
    return private_file_response(item.file, number=item.complaint.number, label=f"bukti-{item.pk}")
