"""Serving like production: cached public pages, conditional GET, health check, JSON logs."""

import json
import logging
import re
from datetime import date

import pytest
import time_machine
from django.urls import reverse

from services.models import AgencyClosure, ServiceStandard, StandardVersion
from tests.factories import publish

# Cases and pages made "now" read a fixed working morning, never the day the suite runs.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fixed_clock")]

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
    standard.save()  # the draft: the published page stays as it is
    assert "Konsultasi Koperasi dan UMKM" not in client.get(SERVICE).content.decode()
    publish(standard)
    assert "Konsultasi Koperasi dan UMKM" in client.get(SERVICE).content.decode()


@pytest.mark.parametrize(
    "today, next_working_day",
    [
        ("2025-11-04T09:00:00+07:00", date(2025, 11, 5)),  # Tue -> Wed
        # The eves that broke the test when it read the real date: a closure "tomorrow" fell
        # on a national holiday, and the calendar names the holiday.
        ("2027-08-16T09:00:00+07:00", date(2027, 8, 18)),  # Mon; Tue 17 Aug: Independence Day
        ("2027-12-31T09:00:00+07:00", date(2028, 1, 3)),  # Fri; Sat 1 Jan, Sun -> Mon 3 Jan
    ],
)
def test_a_new_closure_drops_the_cached_calendar_page(client, today, next_working_day):
    url = "/instansi/pasuruan/hari-libur-dan-jam-layanan/"
    with time_machine.travel(today, tick=False):
        client.get(url)
        AgencyClosure.objects.create(
            agency_id=ServiceStandard.objects.get(
                agency__slug="pasuruan", slug="konsultasi"
            ).agency_id,
            date=next_working_day,
            reason="Hari jadi Kabupaten Pasuruan",
        )
        assert "Hari jadi Kabupaten Pasuruan" in client.get(url).content.decode()


def test_staff_are_never_served_cached_pages(admin_client, client, django_assert_max_num_queries):
    client.get(SERVICE)  # cached for anonymous visitors
    response = admin_client.get(SERVICE)
    assert "public" not in response.get("Cache-Control", "")
    admin_page = admin_client.get(reverse("admin:services_servicestandard_changelist"))
    assert admin_page["Cache-Control"] == "max-age=0, no-cache, no-store, must-revalidate, private"


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
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok", "media": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_reports_a_broken_database(client, monkeypatch):
    from django.db import connection

    def broken():
        raise RuntimeError("database down")

    monkeypatch.setattr(connection, "cursor", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unavailable"


def test_healthz_reports_a_broken_cache(client, monkeypatch):
    from django.core.cache import cache

    def broken(*args, **kwargs):
        raise RuntimeError('relation "portal_cache" does not exist')

    monkeypatch.setattr(cache, "set", broken)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "database": "ok",
        "cache": "unavailable",
        "media": "ok",
    }


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


# A blank form's fields are rendered once and shared (portal.caching.blank_form_key).

FORM = "/permohonan/pasuruan/konsultasi/"


def _submission_key(html):
    import re

    return re.search(r'name="submission_key" value="([^"]+)"', html).group(1)


def test_blank_request_form_fields_are_shared_but_each_visitor_gets_own_keys(
    client, django_assert_max_num_queries
):
    first = client.get(FORM).content.decode()
    with django_assert_max_num_queries(3):  # session-free GET: the service and its requirements
        second = client.get(FORM).content.decode()
    assert _submission_key(first) != _submission_key(second)
    strip = lambda html: html.replace(_submission_key(html), "")  # noqa: E731
    assert (
        strip(first).split('name="csrfmiddlewaretoken"')[0]
        == strip(second).split('name="csrfmiddlewaretoken"')[0]
    )
    assert 'name="applicant_name"' in second and 'name="consent"' in second


def test_a_new_requirement_shows_in_the_cached_blank_form(client):
    standard = ServiceStandard.objects.get(agency__slug="pasuruan", slug="konsultasi")
    client.get(FORM)
    requirement = standard.requirements.create(order=99, text="Surat kuasa bermeterai")
    publish(standard)
    html = client.get(FORM).content.decode()
    assert "Surat kuasa bermeterai" in html and f'name="dokumen_{requirement.pk}"' in html


def test_a_request_form_with_errors_keeps_what_was_typed_after_a_cached_blank_one(client):
    client.get(FORM)
    response = client.post(FORM, {"applicant_name": "Siti <b>Aminah</b>", "nik": "123"})
    html = response.content.decode()
    assert response.status_code == 200
    assert 'value="Siti &lt;b&gt;Aminah&lt;/b&gt;"' in html
    assert "invalid-feedback" in html and "is-invalid" in html
    # and the blank form is still blank afterwards
    assert "Aminah" not in client.get(FORM).content.decode()


def test_complaint_form_fields_are_cached_per_preselection(client):
    pasuruan = client.get("/pengaduan/?instansi=pasuruan").content.decode()
    palembang = client.get("/pengaduan/?instansi=palembang").content.decode()
    assert pasuruan.count(" selected") != 0 and palembang.count(" selected") != 0
    selected = lambda html: re.findall(r'<option value="(\d+)" selected', html)  # noqa: E731
    assert selected(pasuruan) != selected(palembang)
    assert selected(client.get("/pengaduan/?instansi=pasuruan").content.decode()) == selected(
        pasuruan
    )


def test_search_filters_show_the_current_selection_and_new_agencies(client):
    from services.models import Agency

    def chosen(html):
        return re.search(r'<option value="([^"]*)" selected>', html.split('id="id_agency"')[1])

    page = client.get("/layanan/?instansi=pasuruan&q=x").content.decode()
    assert 'name="agency"' in page and 'id="id_agency"' in page
    both = [
        client.get(f"/layanan/?agency={slug}&q={q}").content.decode()
        for slug, q in (("pasuruan", "a"), ("palembang", "b"), ("pasuruan", "c"))
    ]
    assert [chosen(html).group(1) for html in both] == ["pasuruan", "palembang", "pasuruan"]
    agency = Agency.objects.get(slug="pasuruan")
    agency.pk = None
    agency.slug, agency.code, agency.short_name = "sidoarjo", "SDA", "Dinkop Sidoarjo"
    agency.save()
    assert "Dinkop Sidoarjo" in client.get("/layanan/?q=d").content.decode()


def test_pages_live_in_process_memory_and_only_the_version_is_shared(
    client, django_assert_num_queries, monkeypatch
):
    """Another process's edit reaches this one through the shared version, within VERSION_TTL."""
    from django.core.cache import cache, caches

    from portal import caching

    # The process's clock stands still until the test moves it: a slow machine must not let
    # VERSION_TTL run out between two requests.
    now = [1000.0]
    monkeypatch.setattr(caching, "_clock", lambda: now[0])
    caching.forget_version()
    client.get(SERVICE)
    assert any(key.startswith(":1:page:") for key in caches["local"]._cache)
    assert not any("page:" in key for key in getattr(cache, "_cache", {}))
    # Another process bumps the shared version (here: directly in the shared cache).
    cache.incr(caching.VERSION_KEY)
    standard = ServiceStandard.objects.get(agency__slug="pasuruan", slug="konsultasi")
    renamed = {**standard.versions.get().snapshot, "name": "Konsultasi Baru"}
    StandardVersion.objects.bulk_create(  # a new version, written with no signal
        [
            StandardVersion(
                standard=standard,
                number=2,
                snapshot=renamed,
                fingerprint="",
                source=StandardVersion.Source.APPROVAL,
                decree=standard.decree,
                valid_from=standard.decree.signed_date,
                reason="Nama diperjelas",
                published_at=standard.updated_at,
            )
        ]
    )
    with django_assert_num_queries(0):  # this process still trusts the version it read
        assert "Konsultasi Baru" not in client.get(SERVICE).content.decode()
    now[0] += caching.VERSION_TTL  # time passes
    assert "Konsultasi Baru" in client.get(SERVICE).content.decode()
