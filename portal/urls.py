from django.conf import settings
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.views.generic import TemplateView

from portal.sitemaps import SITEMAPS

admin.site.site_header = "Portal Standar Pelayanan"
admin.site.site_title = "Admin Portal Standar Pelayanan"
admin.site.index_title = "Pengelolaan"

urlpatterns = [
    path("", include("services.urls")),
    path("pengaduan/", include("complaints.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path(
        "privasi/",
        TemplateView.as_view(template_name="portal/privacy.html"),
        name="privacy",
    ),
    path(
        "sitemap.xml",
        sitemap,
        {"sitemaps": SITEMAPS},
        name="django.contrib.sitemaps.views.sitemap",
    ),
    path(settings.ADMIN_PATH, admin.site.urls),
]
