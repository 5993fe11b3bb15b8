"""Complaints, their evidence, their history and the tiers of each agency."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from complaints import workflow
from complaints.counts import COMPLAINT_DAYS, ComplaintDayCount
from complaints.workflow import ComplaintStatus, Tier
from portal.cases.daycounts import DayCounted, DayCountedQuerySet
from portal.cases.records import CaseEvent, StoredFile
from portal.uploads import private_storage
from services.catalogue.deadlines import DueRule
from services.models import Agency

__all__ = [
    "Complaint",
    "ComplaintChannelKind",
    "ComplaintDayCount",
    "ComplaintEvent",
    "ComplaintEvidence",
    "ComplaintStatus",
    "ComplaintTier",
    "RejectionReason",
    "Tier",
]


class ComplaintTier(models.Model):
    """A complaint tier of one agency, with its response deadline (data, not a constant)."""

    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="complaint_tiers", verbose_name=_("instansi")
    )
    tier = models.CharField(_("tingkat"), max_length=20, choices=Tier.choices)
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    duration = models.CharField(
        _("batas waktu"), max_length=60, help_text=_('Dibaca seperti jangka waktu: "5 hari kerja".')
    )
    wording = models.CharField(_("rumusan keputusan"), max_length=255, blank=True)

    class Meta:
        ordering = ["agency", "order"]
        verbose_name = _("tingkat pengaduan")
        verbose_name_plural = _("tingkat pengaduan")
        constraints = [
            models.UniqueConstraint(fields=["agency", "tier"], name="tier_unique_per_agency"),
        ]

    def __str__(self) -> str:
        return f"{self.get_tier_display()} — {self.duration}"


class RejectionReason(models.TextChoices):
    NOT_AUTHORITY = "bukan_kewenangan", _("Bukan kewenangan instansi")
    DUPLICATE = "duplikat", _("Pengaduan ganda")
    INCOMPLETE = "tidak_lengkap", _("Tidak lengkap setelah pengadu diminta melengkapi")


class ComplaintChannelKind(models.TextChoices):
    PORTAL = "portal", _("Portal (daring)")
    WALK_IN = "tatap_muka", _("Tatap muka")
    BOX = "kotak", _("Tertulis / kotak pengaduan")
    PHONE = "telepon", _("Telepon")
    WHATSAPP = "whatsapp", _("WhatsApp")
    EMAIL = "email", _("Email")
    LAPOR = "lapor", _("SP4N-LAPOR!")


class ComplaintQuerySet(DayCountedQuerySet):
    """Its bulk writes keep the per-day counts exact (complaints.counts)."""

    def open(self):
        return self.filter(status__in=workflow.OPEN)

    def running(self):
        """Waiting for triage or for an answer: the clock is ticking."""
        return self.filter(status__in=workflow.RUNNING)

    def overdue(self, *, now):
        return self.running().filter(due_at__lt=now)

    def due_before(self, *, now, until):
        return self.running().filter(due_at__gte=now, due_at__lte=until)


class Complaint(DayCounted):
    """A complaint (pengaduan) about a service that fell short of its standard (UU 25/2009)."""

    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="complaints", verbose_name=_("instansi")
    )
    standard = models.ForeignKey(
        "services.ServiceStandard",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("layanan"),
    )
    service_request = models.ForeignKey(
        "services.ServiceRequest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="complaints",
        verbose_name=_("permohonan terkait"),
    )
    number = models.CharField(_("nomor pengaduan"), max_length=40, unique=True)
    year = models.PositiveSmallIntegerField(_("tahun"))
    sequence = models.PositiveIntegerField(_("urutan"))
    access_hash = models.CharField(max_length=64, editable=False)
    # As for requests: keyed digests of the form's submission key and of who sent it.
    submission_digest = models.CharField(
        max_length=64, unique=True, null=True, blank=True, editable=False
    )
    submission_binding = models.CharField(max_length=64, blank=True, db_default="", editable=False)
    channel = models.CharField(
        _("kanal"),
        max_length=12,
        choices=ComplaintChannelKind.choices,
        default=ComplaintChannelKind.PORTAL,
    )
    lapor_reference = models.CharField(_("nomor tiket SP4N-LAPOR!"), max_length=60, blank=True)
    complainant_name = models.CharField(_("nama pengadu"), max_length=150)
    phone = models.CharField(_("telepon"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    address = models.CharField(_("alamat"), max_length=255, blank=True)
    confidential = models.BooleanField(
        _("identitas dirahasiakan"),
        default=False,
        help_text=_("Hanya pejabat pengelola pengaduan yang dapat melihat identitas pengadu."),
    )
    shortfall = models.TextField(_("pelayanan yang tidak sesuai standar"))
    loss = models.TextField(_("kerugian yang diderita"), blank=True)
    remedy = models.TextField(_("penyelesaian yang diminta"))
    language = models.CharField(
        _("bahasa"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="id",
        db_default="id",
        help_text=_(
            "Bahasa email kepada pengadu. Pengaduan daring memakai bahasa halaman "
            "tempat pengaduan diajukan."
        ),
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ComplaintStatus.choices,
        default=ComplaintStatus.RECEIVED,
    )
    tier = models.CharField(_("tingkat"), max_length=20, choices=Tier.choices, blank=True)
    received_at = models.DateTimeField(_("diterima pada"))
    due_at = models.DateTimeField(_("jatuh tempo"), null=True, blank=True)
    # services.catalogue.deadlines.DueRule in its JSON form (`deadline_rule` reads it back).
    due_rule = models.JSONField(_("cara menghitung"), default=dict, blank=True)
    # Triage: the complaint must be classified (or rejected) within the light tier's time
    # from receipt; `due_at` moves to the tier's answer deadline once it is classified.
    triage_due_at = models.DateTimeField(_("batas triase"), null=True, blank=True, editable=False)
    triaged_at = models.DateTimeField(
        _("ditriase pada"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Saat pertama kali diklasifikasi atau ditolak."),
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_complaints",
        verbose_name=_("petugas"),
    )
    answer = models.TextField(_("jawaban"), blank=True)
    answered_at = models.DateTimeField(_("dijawab pada"), null=True, blank=True)
    resolved = models.BooleanField(_("pengadu merasa tuntas"), null=True, blank=True)
    rejection_reason = models.CharField(
        _("alasan penolakan"), max_length=20, choices=RejectionReason.choices, blank=True
    )
    closed_at = models.DateTimeField(_("ditutup pada"), null=True, blank=True)
    survey_answered_at = models.DateTimeField(
        _("survei kepuasan diisi"), null=True, blank=True, editable=False
    )
    updated_at = models.DateTimeField(auto_now=True)

    objects = ComplaintQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("pengaduan")
        verbose_name_plural = _("pengaduan")
        permissions = [
            ("view_confidential_identity", _("Dapat melihat identitas pengadu yang dirahasiakan")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "year", "sequence"], name="complaint_unique_sequence"
            ),
            models.CheckConstraint(
                condition=~models.Q(status="ditolak") | ~models.Q(rejection_reason=""),
                name="complaint_rejection_has_reason",
            ),
            models.CheckConstraint(
                condition=~models.Q(channel="lapor") | ~models.Q(lapor_reference=""),
                name="complaint_lapor_has_reference",
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "status", "due_at"], name="complaint_queue"),
            # The performance pages' complaint figures, read from the index alone.
            models.Index(
                fields=["agency", "received_at"],
                include=["tier", "answered_at", "due_at"],
                name="complaint_perf_received",
            ),
            models.Index(
                fields=["received_at"],
                include=["agency", "tier", "answered_at", "due_at"],
                name="complaint_perf_received_all",
            ),
        ]

    def __str__(self) -> str:
        return self.number

    @classmethod
    def day_count_specs(cls):
        return (COMPLAINT_DAYS,)

    @property
    def deadline_rule(self) -> DueRule:
        """How the due moment was counted (`due_rule` in its JSON form, DueRule)."""
        return DueRule.from_json(self.due_rule)


class ComplaintEvidence(StoredFile):
    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(storage=private_storage, upload_to="bukti")

    def __str__(self) -> str:
        # Never the uploader's file name: it can carry a confidential complainant's name.
        return f"Bukti #{self.pk}"

    class Meta(StoredFile.Meta):
        verbose_name = _("bukti pengaduan")
        verbose_name_plural = _("bukti pengaduan")


class ComplaintEvent(CaseEvent):
    """One immutable line of a complaint's history."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Diterima")
        CLASSIFIED = "classified", _("Klasifikasi")
        STATUS = "status", _("Perubahan status")
        ASSIGNED = "assigned", _("Penugasan")
        ANSWER = "answer", _("Jawaban")
        FEEDBACK = "feedback", _("Tanggapan pengadu")
        NOTE = "note", _("Catatan")
        INFORMATION = "information", _("Tambahan dari pengadu")

    complaint = models.ForeignKey(Complaint, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices)
    from_status = models.CharField(max_length=16, choices=ComplaintStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=ComplaintStatus.choices, blank=True)
    public = models.BooleanField(_("terlihat oleh pengadu"), default=True)

    class Meta(CaseEvent.Meta):
        verbose_name = _("riwayat pengaduan")
        verbose_name_plural = _("riwayat pengaduan")
