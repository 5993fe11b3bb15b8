"""Public complaint pages: the form (every service and agency page links here) and tracking."""

from functools import partial

from django.contrib.admin.views.decorators import staff_member_required
from django.core.cache import caches
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from complaints import actions
from complaints.forms import ComplaintForm, FeedbackForm, InformationForm
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
from portal.caching import blank_form_key, catalogue_version
from portal.cases import access, intake, tracking
from portal.cases.audit import DOCUMENT, record_access
from portal.cases.files import private_file_response, staff_may_open
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


class ComplaintIntake(intake.Intake):
    """The complaint form (portal.cases.intake), with the agency and service its link named."""

    name = "pengaduan"
    model = Complaint
    form_class = ComplaintForm
    template = "complaints/form.html"
    receipt = "complaints:receipt"

    def __init__(self, request, *, now):
        super().__init__(request, now=now)
        self.agency, self.standard, self.parts = _preselected(request)

    def initial(self) -> dict:
        return {"agency": self.agency, "standard": self.standard}

    def bound_to(self, form):
        chosen = getattr(form, "cleaned_data", {}).get("agency")
        return chosen.pk if chosen is not None else None

    def submit(self, form, **sending):
        # The submission is its own (durable) transaction; the files held for the form go once
        # it has committed (what a failure leaves is purged with the expired ones).
        created = actions.complaint_submit(
            agency=form.cleaned_data["agency"],
            details=form.details(),
            evidence=form.evidence(),
            **sending,
        )
        self.release_kept(form)
        return created

    def form_url(self) -> str:
        return self.request.get_full_path()  # with the agency and service it named

    def context(self, form) -> dict:
        agency, standard = self.agency, self.standard
        shown_agency, parts = agency, self.parts
        if form.is_bound and form.is_valid() is False:
            shown_agency = form.cleaned_data.get("agency") or agency
            if shown_agency != agency:
                parts = _agency_parts(shown_agency)
        channels, tiers = parts
        return {
            "form": form,
            "fields_key": blank_form_key(form, agency and agency.pk, standard and standard.pk),
            "agency": shown_agency,
            "channels": channels,
            "tiers": tiers,
            "crumbs": [(None, _("Sampaikan pengaduan"))],
        }


@require_http_methods(["GET", "POST"])
@limit_posts("pengaduan")
def complaint_create(request):
    return intake.answer(ComplaintIntake(request, now=timezone.now()))


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


def _receipt_context(complaint, code) -> dict:
    tz = complaint.agency.timezone
    return {
        "received_text": format_moment(complaint.received_at, tz),
        "due_text": format_moment(complaint.due_at, tz),
    }


def complaint_receipt(request, number):
    return intake.receipt_page(
        request,
        number,
        cases=Complaint.objects.select_related("agency", "standard"),
        template="complaints/receipt.html",
        context=_receipt_context,
    )


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
    # Each form's fields are its action's arguments.
    if form.is_bound and complaint.status == ComplaintStatus.ANSWERED and form.is_valid():
        feedback = partial(actions.complaint_feedback, complaint=complaint, **form.cleaned_data)
        done = _("Terima kasih, tanggapan Anda tercatat.")
        if answered := tracking.send(request, complaint, form, feedback, done=done):
            return answered
    if information.is_bound and information.is_valid():
        add = partial(
            actions.complaint_add_information, complaint=complaint, **information.cleaned_data
        )
        done = _("Terima kasih, tambahan Anda tercatat dan diteruskan.")
        if answered := tracking.send(request, complaint, information, add, done=done):
            return answered
    tz = complaint.agency.timezone
    events = tracking.citizen_events(complaint, CITIZEN_EVENTS)
    due_text = format_moment(complaint.due_at, tz) if complaint.due_at else ""
    is_open = complaint.status in OPEN and complaint.closed_at is None
    return render(
        request,
        "complaints/track_detail.html",
        {
            "case": complaint,
            "events": events,
            "evidence": list(complaint.evidence.all()),
            "due_text": due_text,
            "next_step": next_step(complaint.status, due=due_text),
            "form": form,
            "information_form": information if is_open else None,
            "tz": tz,
            "crumbs": tracking.crumbs(complaint),
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
    if item is None or not staff_may_open(request, item.complaint.agency_id):
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
