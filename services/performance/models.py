"""The agencies as the performance concept sees them: a proxy of the catalogue's Agency, with
no table of its own, so the admin has a place for the agencies' reports and compliance
self-check (services.performance.admin) without the catalogue's agency page serving them."""

from django.utils.translation import gettext_lazy as _

from services.catalogue.models.agencies import Agency


class AgencyPerformance(Agency):
    class Meta:
        proxy = True
        verbose_name = _("kinerja instansi")
        verbose_name_plural = _("kinerja dan kepatuhan instansi")
