"""portal.health: the media check (the database and cache checks are in test_serving), and a
broken database reported as a broken cache too, since the db cache needs the database."""

import pytest
from django.test import RequestFactory

from portal import health


@pytest.mark.django_db
def test_an_unwritable_media_folder_fails_the_check(settings, tmp_path):
    blocker = tmp_path / "berkas"
    blocker.write_text("not a folder")
    settings.MEDIA_ROOT = blocker  # MEDIA_ROOT/private can never be made
    response = health.healthz(RequestFactory().get("/healthz"))
    assert response.status_code == 503
    assert b'"media": "unavailable"' in response.content
    assert b'"database": "ok"' in response.content


def test_a_writable_media_folder_keeps_nothing_behind(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "baru"
    assert health._media()
    assert list((tmp_path / "baru" / "private").iterdir()) == []


def test_the_cache_is_not_checked_without_the_database(monkeypatch, settings, tmp_path):
    monkeypatch.setattr(health, "_database", lambda: False)
    monkeypatch.setattr(health, "_cache", lambda: pytest.fail("cache checked"))
    settings.MEDIA_ROOT = tmp_path
    response = health.healthz(RequestFactory().get("/healthz"))
    assert response.status_code == 503
    assert b'"cache": "unavailable"' in response.content
    assert "no-cache" in response["Cache-Control"]
