"""Agencies, their decrees, complaint channels, staff membership and working calendar data."""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models, transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.cases.daycounts import rebuild_all

TIMEZONES = [
    ("Asia/Jakarta", "WIB (Asia/Jakarta)"),
    ("Asia/Pontianak", "WIB (Asia/Pontianak)"),
    ("Asia/Makassar", "WITA (Asia/Makassar)"),
    ("Asia/Jayapura", "WIT (Asia/Jayapura)"),
]


class Agency(models.Model):
    class Level(models.TextChoices):
        PROVINCE = "provinsi", _("Provinsi")
        REGENCY = "kabupaten", _("Kabupaten")
        CITY = "kota", _("Kota")

    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    code = models.CharField(
        _("kode"),
        max_length=8,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{2,8}$", _("Kode terdiri dari 2–8 huruf kapital."))],
        help_text=_("Awalan nomor tanda terima, mis. MUBA."),
    )
    name = models.CharField(_("nama instansi"), max_length=255)
    short_name = models.CharField(_("nama singkat"), max_length=120)
    government = models.CharField(
        _("pemerintah daerah"), max_length=255, help_text=_("Baris pertama kop surat.")
    )
    level = models.CharField(_("tingkat"), max_length=16, choices=Level.choices)
    region = models.CharField(_("wilayah"), max_length=120)
    province = models.CharField(_("provinsi"), max_length=120)
    city = models.CharField(_("kota kedudukan"), max_length=120)
    address = models.CharField(_("alamat"), max_length=255)
    postal_code = models.CharField(_("kode pos"), max_length=10, blank=True)
    phone = models.CharField(_("telepon"), max_length=80, blank=True)
    fax = models.CharField(_("faksimile"), max_length=80, blank=True)
    email = models.CharField(_("email"), max_length=120, blank=True)
    website = models.CharField(_("situs web"), max_length=200, blank=True)
    timezone = models.CharField(
        _("zona waktu"), max_length=40, choices=TIMEZONES, default="Asia/Jakarta"
    )
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("instansi")
        verbose_name_plural = _("instansi")

    def __str__(self) -> str:
        return self.short_name or self.name

    def save(self, *args, **kwargs):
        """A new time zone moves every case to other local days: the agency's day counts of
        the performance figures (portal.cases.daycounts) are counted again in the same
        transaction."""
        if self._state.adding or self.pk is None:
            return super().save(*args, **kwargs)
        with transaction.atomic():
            stored = type(self)._base_manager.filter(pk=self.pk).values_list("timezone", flat=True)
            before = stored.first()
            super().save(*args, **kwargs)
            if before is not None and before != self.timezone:
                rebuild_all(agency_ids=[self.pk])

    save.alters_data = True

    def get_absolute_url(self) -> str:
        return reverse("services:agency_detail", kwargs={"agency": self.slug})


class Decree(models.Model):
    """The Keputusan Kepala Dinas that establishes an agency's service standards."""

    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="decrees", verbose_name=_("instansi")
    )
    number = models.CharField(_("nomor"), max_length=120)
    title = models.TextField(_("tentang"))
    year = models.PositiveSmallIntegerField(_("tahun"))
    signed_place = models.CharField(_("ditetapkan di"), max_length=120)
    signed_date = models.DateField(_("tanggal penetapan"))
    signatory_title = models.CharField(_("jabatan penanda tangan"), max_length=255)
    signatory_name = models.CharField(_("nama penanda tangan"), max_length=255, blank=True)
    signatory_rank = models.CharField(_("pangkat/golongan"), max_length=120, blank=True)
    signatory_nip = models.CharField(_("NIP"), max_length=40, blank=True)
    considerations = models.JSONField(_("menimbang"), default=list, blank=True)
    references = models.JSONField(_("mengingat"), default=list, blank=True)
    decisions = models.JSONField(_("memutuskan"), default=list, blank=True)
    # An amending decree (Keputusan tentang Perubahan atas ...) changes some services of the
    # decree it amends; the versions it sets point to it (services.catalogue.versions).
    amends = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="amendments",
        verbose_name=_("mengubah keputusan"),
        help_text=_("Diisi bila ini keputusan perubahan: keputusan yang diubahnya."),
    )
    updated_at = models.DateTimeField(_("diperbarui"), auto_now=True)

    class Meta:
        ordering = ["-signed_date"]
        verbose_name = _("surat keputusan")
        verbose_name_plural = _("surat keputusan")
        constraints = [
            models.UniqueConstraint(fields=["agency", "number"], name="decree_unique_number"),
            models.CheckConstraint(
                condition=~models.Q(amends=models.F("pk")), name="decree_not_amending_itself"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number} ({self.signed_date:%d-%m-%Y})"

    @property
    def is_amendment(self) -> bool:
        return self.amends_id is not None


class ComplaintChannel(models.Model):
    class Kind(models.TextChoices):
        WALK_IN = "walk_in", _("Tatap muka")
        WRITTEN = "written", _("Tertulis / kotak pengaduan")
        WHATSAPP = "whatsapp", _("WhatsApp")
        PHONE = "phone", _("Telepon")
        FAX = "fax", _("Faksimile")
        EMAIL = "email", _("Email")
        WEBSITE = "website", _("Situs web")
        LAPOR = "lapor", _("SP4N-LAPOR!")
        OTHER = "other", _("Lainnya")

    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="channels", verbose_name=_("instansi")
    )
    standard = models.ForeignKey(
        "services.ServiceStandard",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="own_channels",
        verbose_name=_("layanan"),
        help_text=_("Kosong: kanal seluruh instansi. Diisi: kanal khusus layanan ini."),
    )
    order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    kind = models.CharField(_("jenis"), max_length=16, choices=Kind.choices)
    value = models.CharField(_("isi"), max_length=255)
    note = models.CharField(_("keterangan"), max_length=255, blank=True)

    class Meta:
        ordering = ["agency", "order"]
        verbose_name = _("kanal pengaduan")
        verbose_name_plural = _("kanal pengaduan")

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"


class AgencyMembership(models.Model):
    """Ties a staff account to the one agency whose cases and standards it may see."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="membership",
        verbose_name=_("pengguna"),
    )
    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="members", verbose_name=_("instansi")
    )

    class Meta:
        verbose_name = _("keanggotaan instansi")
        verbose_name_plural = _("keanggotaan instansi")

    def __str__(self) -> str:
        return f"{self.user} — {self.agency}"


class AgencyClosure(models.Model):
    """A day an agency is closed beyond the national calendar (e.g. a regional holiday)."""

    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="closures", verbose_name=_("instansi")
    )
    date = models.DateField(_("tanggal"))
    reason = models.CharField(_("alasan"), max_length=255)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("hari tutup instansi")
        verbose_name_plural = _("hari tutup instansi")
        constraints = [
            models.UniqueConstraint(fields=["agency", "date"], name="closure_unique_day"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%d-%m-%Y}: {self.reason}"


class OfficeHours(models.Model):
    """Office hours of one weekday for an agency, overriding the national timetable.

    When an agency has no rows, the national default applies. When it has rows, each weekday
    without a row is closed. A break splits the day into two working intervals.
    """

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Senin")
        TUESDAY = 1, _("Selasa")
        WEDNESDAY = 2, _("Rabu")
        THURSDAY = 3, _("Kamis")
        FRIDAY = 4, _("Jumat")
        SATURDAY = 5, _("Sabtu")
        SUNDAY = 6, _("Minggu")

    agency = models.ForeignKey(
        Agency, on_delete=models.CASCADE, related_name="office_hours", verbose_name=_("instansi")
    )
    weekday = models.PositiveSmallIntegerField(_("hari"), choices=Weekday.choices)
    opens = models.TimeField(_("buka"))
    closes = models.TimeField(_("tutup"))
    break_start = models.TimeField(_("mulai istirahat"), null=True, blank=True)
    break_end = models.TimeField(_("selesai istirahat"), null=True, blank=True)
    reason = models.CharField(
        _("alasan"), max_length=255, help_text=_("Dasar perubahan jam layanan.")
    )

    class Meta:
        ordering = ["agency", "weekday"]
        verbose_name = _("jam layanan")
        verbose_name_plural = _("jam layanan")
        constraints = [
            models.UniqueConstraint(fields=["agency", "weekday"], name="hours_unique_weekday"),
            models.CheckConstraint(
                condition=models.Q(opens__lt=models.F("closes")), name="hours_open_before_close"
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(break_start__isnull=True, break_end__isnull=True)
                    | models.Q(
                        break_start__gt=models.F("opens"),
                        break_end__gt=models.F("break_start"),
                        break_end__lt=models.F("closes"),
                    )
                ),
                name="hours_break_inside_day",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H.%M}–{self.closes:%H.%M}"
