from django.contrib.sitemaps import Sitemap

from services.catalogue.models.agencies import Agency
from services.catalogue.models.standards import ServiceStandard


class AgencySitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.6

    def items(self):
        return Agency.objects.order_by("slug")

    def lastmod(self, obj):
        return obj.updated_at


class ServiceSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return ServiceStandard.objects.select_related("agency").order_by("agency__slug", "number")

    def lastmod(self, obj):
        return obj.updated_at


SITEMAPS = {"instansi": AgencySitemap, "layanan": ServiceSitemap}
