"""services.requests.guidance: one "what happens next" sentence per request status, in
Indonesian and English, with the due moment where the status has one."""

import pytest
from django.urls import reverse
from django.utils import translation

from services.requests.guidance import NEXT_STEPS, next_step
from services.requests.workflow import RequestStatus
from tests.factories import make_request

DUE = "Kamis, 3 April 2025 pukul 16.00 WIB"

# status, a phrase its sentence must carry, whether the due moment is shown
CASES = [
    ("diterima", "memeriksa kelengkapan", True),
    ("diverifikasi", "mulai memproses", True),
    ("diproses", "mengerjakan produk", True),
    ("dikembalikan", "Unggah dokumen", False),  # the clock is stopped: no due moment
    ("selesai", "produk layanan", False),
    ("ditolak", "pengaduan", False),
]


def test_every_status_has_a_sentence():
    # A status added to RequestStatus without a sentence fails here (and in the table below).
    assert set(NEXT_STEPS) == set(RequestStatus.values)
    assert {status for status, _phrase, _due in CASES} == set(RequestStatus.values)


@pytest.mark.parametrize("status, phrase, shows_due", CASES)
def test_sentence_says_what_happens_and_when(status, phrase, shows_due):
    with translation.override("id"):
        sentence = next_step(status, due=DUE)
        without = next_step(status)
    assert phrase in sentence
    assert (DUE in sentence) is shows_due
    assert DUE not in without and "%(due)s" not in without


@pytest.mark.parametrize("status", RequestStatus.values)
def test_every_sentence_is_translated_to_english(status):
    with translation.override("id"):
        indonesian = (next_step(status, due=DUE), next_step(status))
    with translation.override("en"):
        english = (next_step(status, due=DUE), next_step(status))
    assert english[0] != indonesian[0] and english[1] != indonesian[1]
    assert (DUE in english[0]) is (DUE in indonesian[0])


def test_received_without_a_deadline_says_so():
    with translation.override("id"):
        assert "tidak mempunyai batas waktu" in next_step("diterima")


@pytest.mark.django_db
@pytest.mark.usefixtures("fixed_clock")
def test_the_tracking_page_shows_the_sentence_with_the_due_moment(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    case = make_request()
    url = reverse("cases:track_detail", args=[case.number])
    assert client.get(url + f"?kode={case.access_code}").status_code == 302
    html = client.get(url).content.decode()
    assert 'id="langkah-berikut"' in html
    assert "Petugas memeriksa kelengkapan permohonan Anda." in html
    assert "hasilnya paling lambat" in html
