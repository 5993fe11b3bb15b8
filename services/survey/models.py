"""Satisfaction survey (SKM) responses, the imports of paper questionnaires they came in, and
the follow-up of what respondents suggested.

A response holds the agency, the service, the survey date, the channel, the nine scores and
the optional respondent profile, and nothing that points to a case or a person: the case only
records that its survey was answered (`survey_answered_at`), which keeps it to one response.
A response read from a CSV file points to its SurveyImport: who imported which file (by its
SHA-256 digest) when, and why identical answers were let in. A file is imported once while its
import stands; an import rolled back loses its responses and keeps its row for the record.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from services.catalogue.models.agencies import Agency
from services.catalogue.models.standards import ServiceStandard
from services.survey.ikm import ELEMENTS


class SurveyChannel(models.TextChoices):
    ONLINE = "online", _("Daring (portal)")
    PAPER = "paper", _("Kuesioner kertas")


class Gender(models.TextChoices):
    MALE = "L", _("Laki-laki")
    FEMALE = "P", _("Perempuan")


class AgeBand(models.TextChoices):
    UNDER_20 = "<20", _("Di bawah 20 tahun")
    FROM_20 = "20-29", _("20–29 tahun")
    FROM_30 = "30-39", _("30–39 tahun")
    FROM_40 = "40-49", _("40–49 tahun")
    FROM_50 = "50-59", _("50–59 tahun")
    OVER_60 = "60+", _("60 tahun atau lebih")


class Education(models.TextChoices):
    PRIMARY = "sd", _("SD atau sederajat")
    JUNIOR = "smp", _("SMP atau sederajat")
    SENIOR = "sma", _("SMA/SMK atau sederajat")
    DIPLOMA = "diploma", _("Diploma (D1–D4)")
    BACHELOR = "s1", _("Sarjana (S1)")
    GRADUATE = "s2", _("Pascasarjana (S2/S3)")


class Occupation(models.TextChoices):
    CIVIL_SERVANT = "pns", _("PNS/ASN")
    MILITARY = "tni_polri", _("TNI/Polri")
    PRIVATE = "swasta", _("Pegawai swasta")
    BUSINESS = "wirausaha", _("Wirausaha")
    FARMER = "petani", _("Petani/nelayan")
    STUDENT = "pelajar", _("Pelajar/mahasiswa")
    OTHER = "lainnya", _("Lainnya")


PROFILE_FIELDS = {
    "gender": Gender,
    "age": AgeBand,
    "education": Education,
    "occupation": Occupation,
}
SCORE_FIELDS = tuple(element.key for element in ELEMENTS)


def _score(element):
    return models.PositiveSmallIntegerField(
        element.name,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
        choices=[(i + 1, label) for i, label in enumerate(element.labels)],
    )


class SurveyImport(models.Model):
    """One CSV file of paper questionnaires read by `import_skm`."""

    file_name = models.CharField(_("nama berkas"), max_length=255)
    digest = models.CharField(_("sidik SHA-256"), max_length=64)
    operator = models.CharField(
        _("diimpor oleh"), max_length=150, help_text=_("Pengguna sistem atau --by.")
    )
    imported_at = models.DateTimeField(_("waktu impor"))
    row_count = models.PositiveIntegerField(_("jumlah kuesioner"))
    allow_duplicates = models.BooleanField(_("jawaban kembar diizinkan"), default=False)
    duplicate_count = models.PositiveIntegerField(_("jawaban kembar"), default=0)
    reason = models.TextField(_("alasan"), blank=True, max_length=2000)
    rolled_back_at = models.DateTimeField(_("dibatalkan pada"), null=True, blank=True)
    rolled_back_by = models.CharField(_("dibatalkan oleh"), max_length=150, blank=True)
    rollback_reason = models.TextField(_("alasan pembatalan"), blank=True, max_length=2000)
    agencies = models.ManyToManyField(
        Agency,
        through="SurveyImportAgency",
        related_name="survey_imports",
        verbose_name=_("instansi"),
    )

    class Meta:
        ordering = ["-imported_at", "-pk"]
        verbose_name = _("impor kuesioner SKM")
        verbose_name_plural = _("impor kuesioner SKM")
        constraints = [
            # The same file is in the survey once at a time: again only after a rollback.
            models.UniqueConstraint(
                fields=["digest"],
                condition=models.Q(rolled_back_at__isnull=True),
                name="survey_import_digest_once",
            ),
            models.CheckConstraint(
                condition=models.Q(duplicate_count=0)
                | (models.Q(allow_duplicates=True) & ~models.Q(reason="")),
                name="survey_import_duplicates_have_reason",
            ),
            models.CheckConstraint(
                condition=models.Q(rolled_back_at__isnull=True)
                | (~models.Q(rolled_back_by="") & ~models.Q(rollback_reason="")),
                name="survey_import_rollback_recorded",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} {self.file_name}"

    @property
    def rolled_back(self) -> bool:
        return self.rolled_back_at is not None


class SurveyImportAgency(models.Model):
    """How many of an import's questionnaires are an agency's: what its staff see of it."""

    survey_import = models.ForeignKey(SurveyImport, on_delete=models.CASCADE, related_name="shares")
    agency = models.ForeignKey(
        Agency, on_delete=models.PROTECT, related_name="+", verbose_name=_("instansi")
    )
    row_count = models.PositiveIntegerField(_("jumlah kuesioner"))

    class Meta:
        ordering = ["agency"]
        verbose_name = _("kuesioner impor per instansi")
        verbose_name_plural = _("kuesioner impor per instansi")
        constraints = [
            models.UniqueConstraint(
                fields=["survey_import", "agency"], name="survey_import_agency_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency}: {self.row_count}"


class SurveyResponse(models.Model):
    agency = models.ForeignKey(
        Agency,
        on_delete=models.PROTECT,
        related_name="survey_responses",
        verbose_name=_("instansi"),
    )
    standard = models.ForeignKey(
        ServiceStandard,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="survey_responses",
        verbose_name=_("layanan"),
    )
    answered_on = models.DateField(_("tanggal survei"))
    channel = models.CharField(
        _("cara pengisian"),
        max_length=8,
        choices=SurveyChannel.choices,
        default=SurveyChannel.PAPER,
    )
    u1 = _score(ELEMENTS[0])
    u2 = _score(ELEMENTS[1])
    u3 = _score(ELEMENTS[2])
    u4 = _score(ELEMENTS[3])
    u5 = _score(ELEMENTS[4])
    u6 = _score(ELEMENTS[5])
    u7 = _score(ELEMENTS[6])
    u8 = _score(ELEMENTS[7])
    u9 = _score(ELEMENTS[8])
    gender = models.CharField(_("jenis kelamin"), max_length=1, choices=Gender.choices, blank=True)
    age = models.CharField(_("umur"), max_length=5, choices=AgeBand.choices, blank=True)
    education = models.CharField(
        _("pendidikan"), max_length=8, choices=Education.choices, blank=True
    )
    occupation = models.CharField(
        _("pekerjaan"), max_length=10, choices=Occupation.choices, blank=True
    )
    suggestion = models.TextField(_("saran dan masukan"), blank=True, max_length=2000)
    survey_import = models.ForeignKey(
        SurveyImport,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="responses",
        verbose_name=_("impor berkas"),
    )

    class Meta:
        ordering = ["-answered_on"]
        verbose_name = _("jawaban survei kepuasan")
        verbose_name_plural = _("jawaban survei kepuasan")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    **{f"{key}__gte": 1 for key in SCORE_FIELDS},
                    **{f"{key}__lte": 4 for key in SCORE_FIELDS},
                ),
                name="survey_scores_1_to_4",
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "answered_on"], name="survey_agency_day"),
            models.Index(fields=["answered_on"], name="survey_day"),
        ]

    def __str__(self) -> str:
        return f"{self.agency} {self.answered_on}"

    def scores(self) -> tuple[int, ...]:
        return tuple(getattr(self, key) for key in SCORE_FIELDS)


class SurveyFollowUp(models.Model):
    """What the agency does about the survey's results and suggestions (tindak lanjut)."""

    class Status(models.TextChoices):
        PLANNED = "rencana", _("Direncanakan")
        IN_PROGRESS = "proses", _("Sedang dikerjakan")
        DONE = "selesai", _("Selesai")

    agency = models.ForeignKey(
        Agency,
        on_delete=models.CASCADE,
        related_name="survey_follow_ups",
        verbose_name=_("instansi"),
    )
    year = models.PositiveSmallIntegerField(_("tahun survei"))
    element = models.CharField(
        _("unsur"),
        max_length=2,
        blank=True,
        choices=[(element.key, element.name) for element in ELEMENTS],
        help_text=_("Unsur yang diperbaiki; kosongkan bila menyangkut saran umum."),
    )
    finding = models.TextField(_("temuan atau saran"), max_length=2000)
    action = models.TextField(_("tindak lanjut"), max_length=2000)
    status = models.CharField(
        _("status"), max_length=8, choices=Status.choices, default=Status.PLANNED
    )
    target = models.DateField(_("target selesai"), null=True, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["agency", "-year", "element", "pk"]
        verbose_name = _("tindak lanjut survei")
        verbose_name_plural = _("tindak lanjut survei")

    def __str__(self) -> str:
        return f"{self.agency} {self.year}: {self.action[:60]}"
