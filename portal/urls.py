from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from portal import pages
from portal.cases.admin import staff_dashboard
from portal.health import healthz
from portal.middleware import too_large_view
from portal.webapp import favicon, manifest

admin.site.site_header = "Portal Standar Pelayanan"
admin.site.site_title = "Admin Portal Standar Pelayanan"
admin.site.index_title = "Pengelolaan"

# A refused request (a parameter that cannot be read, an admin lookup not offered) gets the
# portal's own 400 page in the visitor's language.
handler400 = "portal.params.bad_request"

urlpatterns = [
    path("", include("services.urls")),
    path("", include("portal.cases.urls")),
    path("pengaduan/", include("complaints.urls")),
    # Choosing a language only sets a cookie; without a per-visitor token in the form, every
    # public page can be cached and shared.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
    path("healthz", healthz, name="healthz"),
    path("manifest.webmanifest", manifest, name="manifest"),
    path("favicon.ico", favicon),
    path("kiriman-terlalu-besar/", too_large_view, name="too_large"),
    path("privasi/", pages.privacy, name="privacy"),
    # The admin's home is the staff's "Hari ini" page (the rest of the admin is Django's own).
    path(settings.ADMIN_PATH, admin.site.admin_view(staff_dashboard), name="staff_dashboard"),
    path(settings.ADMIN_PATH, admin.site.urls),
]

if settings.PORTAL_BENCH_VIEW:  # scripts/bench's baseline; off unless PORTAL_BENCH_VIEW=1
    from portal.bench import minimal

    urlpatterns.append(path("bench/minimal/", minimal))
