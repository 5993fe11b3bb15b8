"""The privacy page says what is kept, for how long (from the settings), and that access is
logged."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_privacy_page_states_the_retention_period_from_the_settings(client, settings):
    settings.PORTAL_PERSONAL_DATA_RETENTION_DAYS = 730
    html = client.get(reverse("privacy")).content.decode()
    assert "disimpan selama 2 tahun sejak permohonan atau pengaduan Anda selesai" in html
    assert "nomor tanda terima" in html and "tenggat waktu" in html
    assert "akses itu dicatat" in html

    settings.PORTAL_PERSONAL_DATA_RETENTION_DAYS = 400
    html = client.get(reverse("privacy")).content.decode()
    assert "disimpan selama 400 hari sejak" in html


def test_the_privacy_page_in_english(client, settings):
    settings.PORTAL_PERSONAL_DATA_RETENTION_DAYS = 1825
    client.cookies["django_language"] = "en"
    html = client.get(reverse("privacy")).content.decode()
    assert "kept for 5 years after your request or complaint was completed" in html
