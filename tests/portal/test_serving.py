"""Serving like production: cached public pages, conditional GET, health check, JSON logs."""

import json
import logging

import pytest
from django.urls import reverse

from services.models import AgencyClosure, ServiceStandard

pytestmark = pytest.mark.django_db

SERVICE = "/layanan/pasuruan/konsultasi/"


def test_anonymous_pages_are_served_from_the_cache(client, django_assert_num_queries):
    first = client.get(SERVICE)
    assert first.status_code == 200
    assert "public" in first["Cache-Control"] and "max-age=60" in first["Cache-Control"]
    with django_assert_num_queries(0):
        second = client.get(SERVICE)
    assert second.content == first.content


def test_public_pages_carry_no_per_visitor_token(client):
    html = client.get("/").content.decode()
    assert "csrfmiddlewaretoken" not in html
    assert "csrftoken" not in client.get("/").cookies


def test_editing_a_standard_drops_the_cached_page(client):
    assert "Konsultasi" in client.get(SERVICE).content.decode()
    standard = ServiceStandard.objects.get(agency__slug="pasuruan", slug="konsultasi")
    standard.name = "Konsultasi Koperasi dan UMKM"
    standard.save()
    assert "Konsultasi Koperasi dan UMKM" in client.get(SERVICE).content.decode()


def test_a_new_closure_drops_the_cached_calendar_page(client):
    url = "/instansi/pasuruan/hari-libur-dan-jam-layanan/"
    client.get(url)
    from django.utils import timezone

    tomorrow = timezone.localdate() + timezone.timedelta(days=1)
    AgencyClosure.objects.create(
        agency_id=ServiceStandard.objects.get(agency__slug="pasuruan", slug="konsultasi").agency_id,
        date=tomorrow,
        reason="Hari jadi Kabupaten Pasuruan",
    )
    assert "Hari jadi Kabupaten Pasuruan" in client.get(url).content.decode()


def test_staff_are_never_served_cached_pages(admin_client, client, django_assert_max_num_queries):
    client.get(SERVICE)  # cached for anonymous visitors
    response = admin_client.get(SERVICE)
    assert "public" not in response.get("Cache-Control", "")
    admin_page = admin_client.get(reverse("admin:services_servicestandard_changelist"))
    assert "no-cache" in admin_page["Cache-Control"] or "private" in admin_page["Cache-Control"]


def test_conditional_get_on_pages(client):
    first = client.get("/instansi/")
    etag = first["ETag"]
    assert etag
    assert client.get("/instansi/", HTTP_IF_NONE_MATCH=etag).status_code == 304


def test_language_switch_works_without_a_csrf_token(client):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert 'lang="en"' in client.get("/").content.decode()


def test_healthz_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_reports_a_broken_database(client, monkeypatch):
    from django.db import connection

    def broken():
        raise RuntimeError("database down")

    monkeypatch.setattr(connection, "cursor", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_json_log_lines():
    from portal.logformat import JsonFormatter

    record = logging.makeLogRecord(
        {
            "name": "portal.test",
            "levelname": "WARNING",
            "levelno": logging.WARNING,
            "msg": "permohonan %s terlambat",
            "args": ("PSR-2025-00001",),
            "status_code": 404,
            "agency": "pasuruan",
        }
    )
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "permohonan PSR-2025-00001 terlambat"
    assert line["level"] == "WARNING" and line["status"] == 404
    assert line["agency"] == "pasuruan" and line["time"].endswith("+00:00")
