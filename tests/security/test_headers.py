"""Security headers: the Content-Security-Policy on every page, and production's HTTPS settings."""

import base64
import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.factories import staff_member

ROOT = Path(__file__).resolve().parents[2]

PUBLIC_PAGES = [
    "/",
    "/layanan/pasuruan/konsultasi/",
    "/permohonan/pasuruan/konsultasi/",
    "/pengaduan/",
    "/lacak/",
    "/privasi/",
]


def _policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    return {
        name: values
        for name, *values in (part.split() for part in header.split(";") if part.strip())
    }


def _assert_strict(policy):
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["img-src"] == ["'self'", "data:"]
    assert policy["font-src"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["base-uri"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    # Scripts are never inline, nor evaluated; styles only as the listed attribute hashes.
    scripts = policy["script-src"] + policy.get("script-src-elem", [])
    assert not {"'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'"} & set(scripts)
    assert "script-src-attr" not in policy
    assert "'unsafe-inline'" not in policy["style-src"] + policy.get("style-src-attr", [])


def _assert_plain_headers(response):
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
@pytest.mark.parametrize("url", PUBLIC_PAGES)
def test_public_pages_send_a_strict_policy(client, url):
    for response in (client.get(url), client.get(url)):  # rendered, then from the page cache
        assert response.status_code == 200
        _assert_strict(_policy(response))
        _assert_plain_headers(response)


@pytest.mark.django_db
def test_error_pages_send_the_policy_too(client):
    response = client.get("/tidak-ada/")
    assert response.status_code == 404
    _assert_strict(_policy(response))


@pytest.mark.django_db
def test_admin_pages_send_the_policy(client):
    from services.models import Agency, ServiceStandard

    login = client.get(reverse("admin:login"))
    _assert_strict(_policy(login))
    agency = Agency.objects.get(slug="pasuruan")
    client.force_login(staff_member(agency))
    standard = ServiceStandard.objects.filter(agency=agency).first()
    for url in (
        reverse("admin:index"),
        reverse("admin:services_servicerequest_changelist"),
        reverse("admin:services_servicestandard_change", args=[standard.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        _assert_strict(_policy(response))
        _assert_plain_headers(response)


@pytest.mark.django_db
def test_pdfs_carry_no_page_policy(client):
    """A browser's PDF viewer page is built from inline styles and a plugin: no policy there."""
    response = client.get("/layanan/pasuruan/konsultasi.pdf")
    assert response["Content-Type"] == "application/pdf"
    assert not response.has_header("Content-Security-Policy")
    assert response["X-Content-Type-Options"] == "nosniff"


TEMPLATES = ROOT / "templates"
# Rendered by WeasyPrint into PDFs, or sent as plain-text email: never pages in a browser.
NOT_BROWSER_PAGES = ("pdf", "emails")


def _browser_templates():
    for path in sorted(TEMPLATES.rglob("*.html")):
        if path.relative_to(TEMPLATES).parts[0] not in NOT_BROWSER_PAGES:
            yield path


def test_templates_have_no_inline_script_and_only_allowed_inline_styles(settings):
    """Every inline style attribute must be allowed by its hash in CSP_STYLE_ATTRIBUTE_HASHES
    (portal/settings.py); inline scripts, event handlers and <style> elements are refused."""
    for path in _browser_templates():
        text = path.read_text()
        name = path.relative_to(ROOT)
        for tag in re.findall(r"<script\b[^>]*>", text, flags=re.I):
            assert "src=" in tag or 'type="application/json"' in tag, f"{name}: inline {tag}"
        assert not re.search(r"<style\b", text, flags=re.I), f"{name}: <style> element"
        assert not re.search(r"\son[a-z]+\s*=", text, flags=re.I), f"{name}: event handler"
        assert "javascript:" not in text.lower(), f"{name}: javascript: URL"
        for style in re.findall(r'\sstyle="([^"]*)"', text):
            digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()
            assert f"'sha256-{digest}'" in settings.CSP_STYLE_ATTRIBUTE_HASHES, (
                f"{name}: style attribute {style!r} needs 'sha256-{digest}' in "
                "CSP_STYLE_ATTRIBUTE_HASHES, or better a class in static/css/portal.css"
            )


# Production ------------------------------------------------------------------------------------

PRODUCTION_ENV = {
    "DJANGO_PRODUCTION": "1",
    "DJANGO_SECRET_KEY": "x" * 60 + "-production-like-secret-for-the-test",
    "DJANGO_ALLOWED_HOSTS": "layanan.example.go.id",
}
SECURITY_SETTINGS = [
    "SECURE_SSL_REDIRECT",
    "SECURE_PROXY_SSL_HEADER",
    "SECURE_HSTS_SECONDS",
    "SECURE_HSTS_INCLUDE_SUBDOMAINS",
    "SECURE_HSTS_PRELOAD",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SECURE",
    "X_FRAME_OPTIONS",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "SECURE_REFERRER_POLICY",
    "CONTENT_SECURITY_POLICY",
    "MIDDLEWARE",
    "AUTHENTICATION_BACKENDS",
    "DEBUG",
]


@pytest.fixture(scope="module")
def production_settings(tmp_path_factory):
    """The security settings as DJANGO_PRODUCTION=1 makes them (read in a fresh process)."""
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        f"print(json.dumps({{k: getattr(settings, k) for k in {SECURITY_SETTINGS!r}}}))"
    )
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
        **PRODUCTION_ENV,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('prod') / 'db.sqlite3'}",
    }
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_settings_are_hardened(production_settings):
    s = production_settings
    assert s["DEBUG"] is False
    assert s["SECURE_SSL_REDIRECT"] is True
    assert s["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert s["SECURE_HSTS_SECONDS"] >= 31536000
    assert s["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True and s["SECURE_HSTS_PRELOAD"] is True
    assert s["SESSION_COOKIE_SECURE"] is True and s["CSRF_COOKIE_SECURE"] is True
    assert s["SESSION_COOKIE_HTTPONLY"] is True
    assert s["X_FRAME_OPTIONS"] == "DENY"
    assert s["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert s["SECURE_REFERRER_POLICY"] == "same-origin"
    assert "'unsafe-inline'" not in s["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]["script-src"]
    assert "portal.security.ContentSecurityPolicyMiddleware" in s["MIDDLEWARE"]
    assert s["MIDDLEWARE"][-1] == "axes.middleware.AxesMiddleware"
    assert s["AUTHENTICATION_BACKENDS"][0] == "axes.backends.AxesStandaloneBackend"


@pytest.mark.django_db
def test_production_headers_and_secure_cookies(client, settings, production_settings):
    """The production values, applied here, produce the headers and cookie flags."""
    for name in SECURITY_SETTINGS:
        if name.startswith("SECURE_") or name.endswith("_SECURE"):
            value = production_settings[name]
            setattr(settings, name, tuple(value) if isinstance(value, list) else value)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

    plain = client.get("/privasi/")
    assert plain.status_code == 301 and plain["Location"] == "https://testserver/privasi/"

    page = client.get("/privasi/", secure=True)
    assert page.status_code == 200
    assert page["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    _assert_plain_headers(page)
    _assert_strict(_policy(page))

    # Behind the proxy: X-Forwarded-Proto https counts as HTTPS.
    proxied = client.get("/privasi/", HTTP_X_FORWARDED_PROTO="https")
    assert proxied.status_code == 200 and proxied.has_header("Strict-Transport-Security")

    from services.models import Agency

    staff_member(Agency.objects.get(slug="pasuruan"), username="petugas-https")
    login_page = client.get(reverse("admin:login"), secure=True)
    assert login_page.cookies["csrftoken"]["secure"] is True
    signed_in = client.post(
        reverse("admin:login"),
        {"username": "petugas-https", "password": "rahasia-uji-123"},
        secure=True,
    )
    assert signed_in.status_code == 302
    session = signed_in.cookies["sessionid"]
    assert session["secure"] is True and session["httponly"] is True
    assert session["samesite"] == "Lax"
