"""Complaints and their tiers."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from services.models import Agency


class Tier(models.TextChoices):
    LIGHT = "light", _("Pengaduan ringan")
    NORMATIVE = "normative", _("Pengaduan bersifat normatif")
    NON_SUPERVISORY = "non_supervisory", _("Pengaduan tidak berkadar pengawasan")
    SUPERVISORY = "supervisory", _("Pengaduan berkadar pengawasan dan memerlukan pemeriksaan")


# The response deadline of each tier when a decree does not word it (DESIGN.md).
DEFAULT_TIER_DURATIONS: dict[str, str] = {
    Tier.LIGHT: "3 jam",
    Tier.NORMATIVE: "5 hari kerja",
    Tier.NON_SUPERVISORY: "14 hari kerja",
    Tier.SUPERVISORY: "60 hari kerja",
}


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
