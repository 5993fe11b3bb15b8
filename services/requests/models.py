"""Service requests (permohonan), their documents and their history."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.cases.daycounts import DayCounted
from portal.cases.records import CaseEvent, StoredFile
from portal.uploads import private_storage
from services.catalogue.deadlines import DueRule
from services.catalogue.models.agencies import Agency
from services.catalogue.models.standards import Requirement, ServiceStandard
from services.requests.counts import REQUEST_AGENCY_DAYS, REQUEST_DAYS
from services.requests.querysets import ServiceRequestQuerySet
from services.requests.workflow import OPEN, RUNNING, RequestStatus


class Channel(models.TextChoices):
    ONLINE = "online", _("Daring (portal)")
    WALK_IN = "loket", _("Datang langsung ke loket")


class ServiceRequest(DayCounted):
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="requests", verbose_name=_("instansi")
    )
    standard = models.ForeignKey(
        ServiceStandard,
        on_delete=models.PROTECT,
        related_name="requests",
        verbose_name=_("layanan"),
    )
    version = models.ForeignKey(
        "services.StandardVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests",
        verbose_name=_("versi standar yang berlaku"),
        help_text=_("Persyaratan, jangka waktu dan biaya permohonan ini dibaca dari versi ini."),
    )
    number = models.CharField(_("nomor tanda terima"), max_length=32, unique=True)
    year = models.PositiveSmallIntegerField(_("tahun"))
    sequence = models.PositiveIntegerField(_("urutan"))
    access_hash = models.CharField(max_length=64, editable=False)
    # Keyed digests (portal.cases.codes, portal.cases.replay): the form's submission key, so a
    # copy of the form sent again finds the request, and the browser and form that sent it.
    submission_digest = models.CharField(
        max_length=64, unique=True, null=True, blank=True, editable=False
    )
    submission_binding = models.CharField(max_length=64, blank=True, db_default="", editable=False)
    channel = models.CharField(
        _("kanal"), max_length=10, choices=Channel.choices, default=Channel.ONLINE
    )
    applicant_name = models.CharField(_("nama pemohon"), max_length=150)
    nik = models.CharField(_("NIK"), max_length=16)
    phone = models.CharField(_("telepon"), max_length=20)
    email = models.EmailField(_("email"), blank=True)
    organisation = models.CharField(_("organisasi/koperasi"), max_length=200, blank=True)
    message = models.TextField(_("keterangan"), blank=True)
    language = models.CharField(
        _("bahasa"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="id",
        db_default="id",
        help_text=_(
            "Bahasa email kepada pemohon. Permohonan daring memakai bahasa halaman "
            "tempat permohonan diajukan."
        ),
    )
    status = models.CharField(
        _("status"), max_length=16, choices=RequestStatus.choices, default=RequestStatus.RECEIVED
    )
    received_at = models.DateTimeField(_("diterima pada"))
    due_at = models.DateTimeField(_("jatuh tempo"), null=True, blank=True)
    # services.catalogue.deadlines.DueRule in its JSON form (`deadline_rule` reads it back).
    due_rule = models.JSONField(_("cara menghitung"), default=dict, blank=True)
    paused_at = models.DateTimeField(_("dihentikan sejak"), null=True, blank=True)
    remaining_seconds = models.PositiveIntegerField(
        _("sisa waktu kerja (detik)"), null=True, blank=True
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_requests",
        verbose_name=_("petugas"),
    )
    product = models.FileField(
        _("produk layanan"), storage=private_storage, upload_to="produk", blank=True
    )
    product_name = models.CharField(max_length=120, blank=True)
    product_note = models.TextField(
        _("yang diberikan kepada pemohon"),
        blank=True,
        help_text=_(
            "Untuk produk yang bukan berkas (mis. konsultasi): apa yang diberikan, kapan dan "
            "di mana; atau di mana dokumen diambil."
        ),
    )
    closed_at = models.DateTimeField(_("ditutup pada"), null=True, blank=True)
    working_seconds_taken = models.PositiveIntegerField(
        _("waktu kerja yang dipakai (detik)"),
        null=True,
        blank=True,
        editable=False,
        help_text="Working time from receipt to completion less the paused time.",
    )
    survey_answered_at = models.DateTimeField(
        _("survei kepuasan diisi"), null=True, blank=True, editable=False
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ServiceRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("permohonan")
        verbose_name_plural = _("permohonan")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "sequence"], name="request_unique_sequence"
            ),
            models.CheckConstraint(
                condition=~models.Q(status=RequestStatus.RETURNED)
                | models.Q(paused_at__isnull=False),
                name="request_returned_is_paused",
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "status", "due_at"], name="request_queue"),
            # The staff list: one agency, by due_at then -pk as the admin orders it.
            models.Index(fields=["agency", "due_at", "-id"], name="request_agency_due"),
            # The list's "service" and "assignee" filters read these from the index alone.
            models.Index(fields=["agency", "standard", "assignee"], name="request_agency_filters"),
            # The newest requests: the home page's popular services, the superuser's list.
            models.Index(fields=["-received_at"], name="request_received"),
            # The performance pages (services.performance.figures): each figure read from its index
            # alone, per agency or for the whole portal.
            models.Index(
                fields=["agency", "received_at"],
                include=["standard"],
                name="request_perf_received",
            ),
            models.Index(
                fields=["received_at"], include=["agency"], name="request_perf_received_all"
            ),
            models.Index(
                fields=["agency", "status", "closed_at"],
                include=["standard", "due_at", "working_seconds_taken"],
                name="request_perf_closed",
            ),
            models.Index(
                fields=["status", "closed_at"],
                include=["agency", "due_at"],
                name="request_perf_closed_all",
            ),
            models.Index(
                fields=["due_at"],
                include=["agency", "standard"],
                condition=models.Q(status__in=RUNNING),
                name="request_perf_running",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @classmethod
    def day_count_specs(cls):
        return (REQUEST_DAYS, REQUEST_AGENCY_DAYS)

    @property
    def deadline_rule(self) -> DueRule:
        """How the due moment was counted (`due_rule` in its JSON form, DueRule)."""
        return DueRule.from_json(self.due_rule)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN


class RequestDocument(StoredFile):
    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="documents")
    requirement = models.ForeignKey(
        Requirement, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The requirement as it read when the document was given: later edits never relabel it.
    requirement_text = models.TextField(_("persyaratan"), blank=True)
    file = models.FileField(storage=private_storage, upload_to="dokumen")
    uploaded_by_staff = models.BooleanField(default=False)

    class Meta(StoredFile.Meta):
        verbose_name = _("dokumen permohonan")
        verbose_name_plural = _("dokumen permohonan")


class RequestEvent(CaseEvent):
    """One immutable line of a request's history: who did what, when and why."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Diajukan")
        STATUS = "status", _("Perubahan status")
        PAUSED = "paused", _("Waktu dihentikan")
        RESUMED = "resumed", _("Waktu dilanjutkan")
        ASSIGNED = "assigned", _("Penugasan")
        DEADLINE = "deadline", _("Jatuh tempo dihitung ulang")
        NOTE = "note", _("Catatan")
        DOCUMENT = "document", _("Dokumen")
        PRODUCT = "product", _("Produk layanan")

    request = models.ForeignKey(ServiceRequest, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices)
    from_status = models.CharField(max_length=16, choices=RequestStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=RequestStatus.choices, blank=True)
    public = models.BooleanField(
        _("terlihat oleh pemohon"), default=True, help_text=_("Catatan internal: tidak dicentang.")
    )

    class Meta(CaseEvent.Meta):
        verbose_name = _("riwayat permohonan")
        verbose_name_plural = _("riwayat permohonan")
