"""The web app manifest and the favicon: served by the portal itself, like every other file."""

from django.conf import settings
from django.http import HttpResponsePermanentRedirect, JsonResponse
from django.templatetags.static import static
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe


@require_safe
def manifest(request):
    """/manifest.webmanifest in the visitor's language: name, colours, icons, start page."""
    data = {
        "name": settings.SITE_NAME,
        "short_name": _("Standar Pelayanan"),
        "description": _(
            "Standar pelayanan publik, permohonan layanan dan pengaduan instansi daerah."
        ),
        "lang": get_language(),
        "start_url": "/",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0b5394",
        "icons": [
            {"src": static("icons/favicon.svg"), "sizes": "any", "type": "image/svg+xml"},
            {"src": static("icons/icon-192.png"), "sizes": "192x192", "type": "image/png"},
            {"src": static("icons/icon-512.png"), "sizes": "512x512", "type": "image/png"},
        ],
    }
    response = JsonResponse(data, content_type="application/manifest+json")
    response["Vary"] = "Cookie, Accept-Language"
    patch_cache_control(response, public=True, max_age=86400)
    return response


@require_safe
def favicon(request):
    """/favicon.ico, asked for by browsers that do not read the page's icon link."""
    return HttpResponsePermanentRedirect(static("icons/icon-192.png"))
