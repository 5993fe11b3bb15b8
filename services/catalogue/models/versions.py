"""Published versions of a service standard: immutable snapshots of its fourteen components.

The standard's own rows (ServiceStandard and its components) are the draft an official edits.
Publishing copies them into a StandardVersion (services.catalogue.versions.standard_snapshot),
which is
never changed afterwards; the public page, the printed sheet and every request read the
version in force, so an edit reaches citizens only once someone allowed to approve publishes it.
A version points to the decree that set it: the decree listing the service, or an amending
decree (a Decree with `amends` set), whose number, date and signatory its sheet is signed with.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from services.catalogue.models.agencies import Decree
from services.catalogue.models.standards import ServiceStandard


class StandardVersion(models.Model):
    class Source(models.TextChoices):
        DECREE = "decree", _("Dimuat dari surat keputusan")
        APPROVAL = "approval", _("Diterbitkan dengan persetujuan")
        MIGRATION = "migration", _("Dicatat dari data yang ada")

    standard = models.ForeignKey(
        ServiceStandard,
        on_delete=models.CASCADE,
        related_name="versions",
        verbose_name=_("standar pelayanan"),
    )
    number = models.PositiveSmallIntegerField(_("nomor versi"))
    snapshot = models.JSONField(_("isi standar"), editable=False)
    fingerprint = models.CharField(max_length=64, editable=False)
    source = models.CharField(_("asal"), max_length=12, choices=Source.choices)
    decree = models.ForeignKey(
        Decree,
        on_delete=models.PROTECT,
        related_name="versions",
        verbose_name=_("keputusan"),
        help_text=_(
            "Keputusan yang menetapkan versi ini: keputusan yang memuat layanan, atau keputusan "
            "perubahannya."
        ),
    )
    amendment = models.CharField(
        _("perubahan/ralat"),
        max_length=255,
        blank=True,
        help_text=_(
            "Catatan naskah perubahan atau ralat yang ditulis bebas (versi lama); keputusan "
            "perubahan dicatat sebagai keputusan tersendiri pada kolom keputusan."
        ),
    )
    valid_from = models.DateField(_("berlaku sejak"))
    reason = models.TextField(_("alasan perubahan"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("disusun oleh"),
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("disetujui oleh"),
    )
    published_at = models.DateTimeField(_("diterbitkan pada"))

    class Meta:
        ordering = ["standard", "-number"]
        verbose_name = _("versi standar pelayanan")
        verbose_name_plural = _("versi standar pelayanan")
        constraints = [
            models.UniqueConstraint(fields=["standard", "number"], name="version_unique_number"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="version_number_min"),
        ]
        permissions = [("publish_standardversion", _("Dapat menyetujui dan menerbitkan versi"))]

    def __str__(self) -> str:
        return f"{self.standard} — versi {self.number}"

    def save(self, *args, **kwargs):
        # Published means immutable: a version row is written once.
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValueError("A published standard version cannot be changed.")
        super().save(*args, **kwargs)

    @property
    def approver_name(self) -> str:
        """Who approved it: the account that published it, or the decree's signatory."""
        if self.approved_by_id:
            return self.approved_by.get_full_name() or self.approved_by.get_username()
        return " ".join(p for p in (self.decree.signatory_title, self.decree.signatory_name) if p)
