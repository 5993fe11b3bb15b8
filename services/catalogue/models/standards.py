"""Service standards and their fourteen components (PermenPANRB 15/2014)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from services.catalogue.components import TEXT_COMPONENTS, Component
from services.catalogue.models.agencies import Agency, Decree
from services.catalogue.querysets import ServiceStandardQuerySet


class ServiceStandard(models.Model):
    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="services", verbose_name=_("instansi")
    )
    decree = models.ForeignKey(
        Decree, on_delete=models.PROTECT, related_name="services", verbose_name=_("keputusan")
    )
    slug = models.SlugField(_("slug"), max_length=120)
    number = models.PositiveSmallIntegerField(_("nomor dalam lampiran"))
    name = models.CharField(_("nama layanan"), max_length=255)
    unit = models.CharField(_("unit pelayanan"), max_length=255, blank=True)
    requirements_note = models.TextField(_("catatan persyaratan"), blank=True)
    timeframe_text = models.TextField(
        _("jangka waktu (rumusan keputusan)"),
        help_text=_('Dibaca otomatis: "5 Hari Kerja", "3 Jam", "1 s/d 5 Hari Kerja", ...'),
    )
    max_working_minutes = models.PositiveIntegerField(
        _("batas waktu terpanjang (menit kerja)"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Diturunkan dari jangka waktu; kosong bila tanpa batas waktu."),
    )
    fee_amount = models.PositiveBigIntegerField(_("biaya (rupiah)"), default=0)
    fee_text = models.CharField(_("biaya (rumusan keputusan)"), max_length=255)
    product_is_document = models.BooleanField(
        _("produk berupa dokumen"),
        default=False,
        help_text=_(
            "Dicentang bila produk layanan adalah dokumen (surat, sertifikat, data) yang "
            "diserahkan kepada pemohon: permohonan baru dapat diselesaikan setelah berkasnya "
            "diunggah."
        ),
    )
    staff_count = models.PositiveSmallIntegerField(_("jumlah pelaksana"), null=True, blank=True)
    staff_count_text = models.TextField(_("jumlah pelaksana (rumusan keputusan)"), blank=True)
    search_document = models.TextField(editable=False, blank=True)
    source_hash = models.CharField(max_length=64, editable=False, blank=True)
    version = models.PositiveIntegerField(
        _("versi terbit terakhir"),
        default=1,
        editable=False,
        help_text=_("Nomor versi terakhir yang diterbitkan; isi di atas adalah drafnya."),
    )
    draft_edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("draf terakhir diubah oleh"),
    )
    withdrawn_on = models.DateField(_("dicabut sejak"), null=True, blank=True, editable=False)
    withdrawn_by = models.ForeignKey(
        Decree,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="withdrawn_services",
        verbose_name=_("dicabut dengan keputusan"),
    )
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    objects = ServiceStandardQuerySet.as_manager()

    class Meta:
        ordering = ["agency__name", "number"]
        verbose_name = _("standar pelayanan")
        verbose_name_plural = _("standar pelayanan")
        constraints = [
            models.UniqueConstraint(fields=["agency", "slug"], name="service_unique_slug"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse(
            "services:service_detail", kwargs={"agency": self.agency.slug, "service": self.slug}
        )

    @property
    def is_free(self) -> bool:
        return self.fee_amount == 0

    @property
    def is_withdrawn(self) -> bool:
        return self.withdrawn_on is not None


class Requirement(models.Model):
    standard = models.ForeignKey(
        ServiceStandard, on_delete=models.CASCADE, related_name="requirements"
    )
    order = models.PositiveSmallIntegerField(_("urutan"))
    text = models.TextField(_("persyaratan"))
    conditional = models.BooleanField(
        _("bersyarat"),
        default=False,
        help_text=_('Hanya berlaku dalam keadaan tertentu ("jika ada").'),
    )
    document = models.BooleanField(
        _("unggah dokumen"), default=True, help_text=_("Formulir permohonan meminta unggahan.")
    )

    class Meta:
        ordering = ["standard", "order"]
        verbose_name = _("persyaratan")
        verbose_name_plural = _("persyaratan")
        constraints = [
            models.UniqueConstraint(fields=["standard", "order"], name="requirement_unique_order"),
        ]

    def __str__(self) -> str:
        return self.text


class ProcedureGroup(models.Model):
    """A run of procedure steps, optionally headed and illustrated by the decree's flowchart."""

    standard = models.ForeignKey(
        ServiceStandard, on_delete=models.CASCADE, related_name="procedure_groups"
    )
    order = models.PositiveSmallIntegerField(_("urutan"))
    heading = models.CharField(_("judul"), max_length=255, blank=True)
    flow = models.JSONField(
        _("bagan alir"),
        default=dict,
        blank=True,
        help_text=_('{"nodes": [{"id", "text", "shape"}], "edges": [{"from", "to", "label"}]}'),
    )

    class Meta:
        ordering = ["standard", "order"]
        verbose_name = _("kelompok prosedur")
        verbose_name_plural = _("kelompok prosedur")
        constraints = [
            models.UniqueConstraint(fields=["standard", "order"], name="procgroup_unique_order"),
        ]

    def __str__(self) -> str:
        return self.heading or f"Prosedur {self.order}"


class ProcedureStep(models.Model):
    group = models.ForeignKey(ProcedureGroup, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField(_("urutan"))
    text = models.TextField(_("langkah"))
    actor = models.CharField(_("pelaksana"), max_length=255, blank=True)

    class Meta:
        ordering = ["group", "order"]
        verbose_name = _("langkah prosedur")
        verbose_name_plural = _("langkah prosedur")
        constraints = [
            models.UniqueConstraint(fields=["group", "order"], name="step_unique_order"),
        ]

    def __str__(self) -> str:
        return self.text


class TimeframeStage(models.Model):
    class Unit(models.TextChoices):
        WORKING_DAY = "working_day", _("hari kerja")
        WORKING_HOUR = "working_hour", _("jam kerja")
        WORKING_MINUTE = "working_minute", _("menit kerja")
        CALENDAR_DAY = "calendar_day", _("hari kalender")

    standard = models.ForeignKey(
        ServiceStandard, on_delete=models.CASCADE, related_name="timeframe_stages"
    )
    order = models.PositiveSmallIntegerField(_("urutan"))
    label = models.CharField(_("tahap"), max_length=255, blank=True)
    amount = models.PositiveIntegerField(_("jumlah"), null=True, blank=True)
    unit = models.CharField(_("satuan"), max_length=20, choices=Unit.choices, blank=True)
    wording = models.CharField(_("rumusan"), max_length=255)

    class Meta:
        ordering = ["standard", "order"]
        verbose_name = _("tahap jangka waktu")
        verbose_name_plural = _("tahap jangka waktu")
        constraints = [
            models.UniqueConstraint(fields=["standard", "order"], name="stage_unique_order"),
            models.CheckConstraint(
                condition=models.Q(amount__isnull=True, unit="")
                | models.Q(amount__isnull=False, amount__gt=0) & ~models.Q(unit=""),
                name="stage_amount_with_unit",
            ),
        ]

    def __str__(self) -> str:
        return self.wording


class Regulation(models.Model):
    """A regulation cited as legal basis; shared by every standard that cites it."""

    class Kind(models.TextChoices):
        UU = "uu", "Undang-Undang"
        PERPPU = "perppu", "Peraturan Pemerintah Pengganti Undang-Undang"
        PP = "pp", "Peraturan Pemerintah"
        PERPRES = "perpres", "Peraturan Presiden"
        PERMEN = "permen", "Peraturan Menteri"
        PERDA = "perda", "Peraturan Daerah"
        PERGUB = "pergub", "Peraturan Gubernur"
        PERBUP = "perbup", "Peraturan Bupati"
        PERWALI = "perwali", "Peraturan Wali Kota"
        PERLEM = "perlem", "Peraturan Lembaga"
        KEPUTUSAN = "keputusan", "Keputusan"
        OTHER = "lainnya", "Lainnya"

    kind = models.CharField(_("jenis"), max_length=16, choices=Kind.choices)
    issuer = models.CharField(_("penerbit"), max_length=160, blank=True)
    number = models.CharField(_("nomor"), max_length=60, blank=True)
    year = models.PositiveSmallIntegerField(_("tahun"), null=True, blank=True)
    title = models.TextField(_("tentang"))

    class Meta:
        ordering = ["kind", "year", "number"]
        verbose_name = _("peraturan")
        verbose_name_plural = _("peraturan")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "issuer", "number", "year"], name="regulation_identity"
            ),
        ]

    def __str__(self) -> str:
        if not self.issuer:
            name = self.get_kind_display()
        elif self.kind == self.Kind.PERDA:
            name = f"Peraturan Daerah {self.issuer}"
        elif self.kind == self.Kind.KEPUTUSAN:
            name = f"Keputusan {self.issuer}"
        else:
            name = f"Peraturan {self.issuer}"
        number = f" Nomor {self.number}" if self.number else ""
        year = f" Tahun {self.year}" if self.year else ""
        return f"{name}{number}{year}"


class LegalReference(models.Model):
    standard = models.ForeignKey(
        ServiceStandard, on_delete=models.CASCADE, related_name="legal_references"
    )
    regulation = models.ForeignKey(
        Regulation, on_delete=models.PROTECT, related_name="citations", verbose_name=_("peraturan")
    )
    order = models.PositiveSmallIntegerField(_("urutan"))
    text = models.TextField(_("rumusan keputusan"))

    class Meta:
        ordering = ["standard", "order"]
        verbose_name = _("dasar hukum")
        verbose_name_plural = _("dasar hukum")
        constraints = [
            models.UniqueConstraint(fields=["standard", "order"], name="legalref_unique_order"),
        ]

    def __str__(self) -> str:
        return self.text


class ComponentItem(models.Model):
    """One item of a text component (product, facilities, competence, ...)."""

    standard = models.ForeignKey(ServiceStandard, on_delete=models.CASCADE, related_name="items")
    component = models.CharField(
        _("komponen"),
        max_length=24,
        choices=[(c.value, c.label) for c in Component if c in TEXT_COMPONENTS],
    )
    order = models.PositiveSmallIntegerField(_("urutan"))
    heading = models.CharField(_("subjudul"), max_length=255, blank=True)
    text = models.TextField(_("isi"))

    class Meta:
        ordering = ["standard", "component", "order"]
        verbose_name = _("butir komponen")
        verbose_name_plural = _("butir komponen")
        constraints = [
            models.UniqueConstraint(
                fields=["standard", "component", "order"], name="item_unique_order"
            ),
        ]

    def __str__(self) -> str:
        return self.text
