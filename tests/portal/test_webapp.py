"""portal.webapp: the manifest in the visitor's language, cached a day, and the favicon."""

import json

from django.test import RequestFactory
from django.utils import translation

from portal.webapp import favicon, manifest


def test_the_manifest_names_the_portal_in_the_active_language(settings):
    with translation.override("en"):
        response = manifest(RequestFactory().get("/manifest.webmanifest"))
    assert response["Content-Type"] == "application/manifest+json"
    data = json.loads(response.content)
    assert data["name"] == settings.SITE_NAME and data["lang"] == "en"
    assert data["start_url"] == "/" and len(data["icons"]) == 3
    assert "max-age=86400" in response["Cache-Control"] and "public" in response["Cache-Control"]
    assert response["Vary"] == "Cookie, Accept-Language"


def test_the_manifest_takes_only_safe_methods():
    assert manifest(RequestFactory().post("/manifest.webmanifest")).status_code == 405


def test_the_favicon_is_a_permanent_redirect_to_the_icon():
    response = favicon(RequestFactory().get("/favicon.ico"))
    assert response.status_code == 301 and response["Location"].endswith("icons/icon-192.png")
