"""English pages say English: no Indonesian interface word outside the decree's own content.

With English chosen, the pages of a service, the search, an agency's calendar and the tracking
pages of a request and a complaint are read as visible text, leaving out scripts and every
element marked lang="id" (the decree's wording, which stays as decreed, history notes as they
were recorded, the names of the languages in the switch) or translate="no" (what a citizen
wrote, shown as written). What is left must not contain any word of INDONESIAN: words of the
portal's own interface (labels, dates, day and month names, durations, filters, the hours table).
"""

import re
import uuid
from datetime import datetime
from html.parser import HTMLParser
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse

from complaints import actions as complaint_actions
from services.models import Agency, ServiceStandard
from services.requests import actions as request_actions
from tests.factories import APPLICANT

pytestmark = pytest.mark.django_db

# Interface words, each checked as a whole word in any case. None of them is English, and none
# occurs in an agency's or a service's name (shown in breadcrumbs and titles without a mark).
INDONESIAN = """
senin selasa rabu kamis jumat sabtu minggu januari februari maret mei juni juli agustus
oktober desember hari jam menit kerja pukul paling lambat sejak sampai dengan tanpa batas
waktu layanan permohonan instansi persyaratan biaya gratis berbayar semua cari
lacak nomor kode akses tanda terima diterima diproses selesai ditolak dikembalikan
riwayat dokumen berkas unggah unduh kirim ajukan sampaikan lihat pilih isian kesalahan
ringkasan jangka keputusan ditetapkan tanggal libur istirahat buka tutup zona waktunya
sekarang apa yang akan atau untuk dari pada ini itu belum sudah tidak ada daftar isi
diunggah berlaku catatan kembali
""".split()
WORD = re.compile(r"\b(" + "|".join(INDONESIAN) + r")\b", re.IGNORECASE)
MONDAY = datetime(2025, 11, 3, 9, 0, tzinfo=ZoneInfo("Asia/Pontianak"))


class VisibleText(HTMLParser):
    """The text a reader sees, without <script>, <style>, <title> or lang="id" elements."""

    SKIP = {"script", "style", "template", "title"}
    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
            "track", "wbr"}  # fmt: skip

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack: list[bool] = []  # per open element: whether it is skipped
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        attrs = dict(attrs)
        # The page's own language (<html lang>) is what is checked, not skipped.
        marked = tag != "html" and attrs.get("lang", "").startswith("id")
        marked = marked or attrs.get("translate") == "no"  # what a person wrote, as written
        skipped = tag in self.SKIP or marked
        self.stack.append(skipped or (bool(self.stack) and self.stack[-1]))

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not (self.stack and self.stack[-1]):
            self.parts.append(data)

    def text(self) -> str:
        return re.sub(r"\s+", " ", " ".join(self.parts))


def indonesian_words(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    text = parser.text()
    return sorted({f"{m.group(0)} …{text[max(0, m.start() - 40) : m.end() + 40]}…"
                   for m in WORD.finditer(text)})  # fmt: skip


@pytest.fixture
def english(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def opened_request(client):
    std = ServiceStandard.objects.get(agency__slug="kalimantan-barat", slug="konsultasi")
    case, code = request_actions.request_submit(
        standard=std, applicant=APPLICANT, documents={}, now=MONDAY, submission_key=uuid.uuid4()
    )
    client.post(reverse("cases:track"), {"number": case.number, "code": code})
    return case


def opened_complaint(client):
    complaint, code = complaint_actions.complaint_submit(
        agency=Agency.objects.get(slug="kalimantan-barat"),
        details={
            "shortfall": "Petugas tidak ada di tempat.",
            "remedy": "Dilayani sesuai jadwal.",
            "complainant_name": "Dewi",
            "phone": "+6281211112222",
        },
        evidence=[],
        now=MONDAY,
        submission_key=uuid.uuid4(),
    )
    client.post(reverse("cases:track"), {"number": complaint.number, "code": code})
    return complaint


@pytest.mark.parametrize(
    "path",
    [
        "/layanan/kalimantan-barat/pertimbangan-teknis-kantor-kas/",
        "/layanan/pasuruan/konsultasi/",
        "/layanan/?q=koperasi",
        "/layanan/?q=koperasi&fee=gratis&time=sepekan",
        "/layanan/?q=tidak-ada-yang-cocok",
        "/instansi/kalimantan-barat/hari-libur-dan-jam-layanan/",
        "/instansi/musi-banyuasin/hari-libur-dan-jam-layanan/",
        "/lacak/",
    ],
)
def test_english_pages_have_no_indonesian_interface_words(english, path):
    with time_machine.travel(MONDAY, tick=False):
        response = english.get(path)
    assert response.status_code == 200
    assert indonesian_words(response.content.decode()) == []


@pytest.mark.parametrize("opened", [opened_request, opened_complaint])
def test_english_tracking_pages_have_no_indonesian_interface_words(english, opened):
    with time_machine.travel(MONDAY, tick=False):
        case = opened(english)
        response = english.get(reverse("cases:track_detail", args=[case.number]))
    assert response.status_code == 200
    assert indonesian_words(response.content.decode()) == []


def test_the_word_list_catches_an_indonesian_page(client):
    """The same check fails on the Indonesian page (so it can fail at all)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    html = client.get("/layanan/?q=koperasi").content.decode()
    assert len(indonesian_words(html)) > 5


def test_the_language_switch_names_each_language_in_itself(english):
    html = english.get("/").content.decode()
    assert '<option value="en" lang="en" selected>English</option>' in html
    assert '<option value="id" lang="id">Bahasa Indonesia</option>' in html
    assert "Inggris" not in html
