"""The error summary of the public forms (templates/_error_summary.html): a failed request or
complaint starts its page with "Ada masalah" and one link per error to the field's input, the
title starts with "Kesalahan: ", and the form posts to the summary's fragment so that the
browser lands on it without JavaScript."""

import re
import uuid

import pytest
from django.conf import settings
from django.utils.html import escape

from services.models import ServiceStandard

pytestmark = pytest.mark.django_db

KANTOR_KAS = "/permohonan/kalimantan-barat/pertimbangan-teknis-kantor-kas/"
COMPLAINT = "/pengaduan/?instansi=musi-banyuasin"
SUMMARY = re.compile(
    r'<div class="[^"]*error-summary[^"]*" id="ringkasan-kesalahan"[^>]*>(.*?)</div>', re.S
)


def page(client, path, data, language="id"):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.post(path, data)
    assert response.status_code == 200
    return response.content.decode()


def request_post(client, language="id", **data):
    return page(client, KANTOR_KAS, {"submission_key": str(uuid.uuid4()), **data}, language)


def complaint_post(client, language="id", **data):
    return page(client, COMPLAINT, {"submission_key": str(uuid.uuid4()), **data}, language)


def summary(html):
    found = SUMMARY.search(html)
    assert found, "no error summary"
    return found


def links(html):
    return re.findall(r'<a class="alert-link" href="#([^"]+)">([^<]*)</a>', summary(html).group(1))


def title(html):
    return re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()


def test_request_summary_links_every_error_to_its_field(client):
    html = request_post(client, nik="123", applicant_name="Siti", phone="0812 3456 7890")
    box = summary(html)
    opening = box.group(0).split(">", 1)[0]
    assert 'role="alert"' in opening and 'tabindex="-1"' in opening
    assert '<h2 class="h4" id="ringkasan-kesalahan-judul">Ada masalah</h2>' in box.group(1)
    found = links(html)
    assert ("id_nik", "NIK harus 16 angka (sesuai KTP).") in found
    assert ("id_consent", "Persetujuan diperlukan untuk memproses permohonan.") in found
    assert "id_applicant_name" not in dict(found)  # filled in: no error
    for field_id, _message in found:
        assert f'id="{field_id}"' in html  # the link lands on the field's input
    # Each field's own message stays next to it and is read with it.
    assert 'aria-describedby="id_nik_helptext id_nik_error"' in html
    assert '<div id="id_nik_error" class="invalid-feedback">' in html
    assert "harus dipilih ulang" not in box.group(1)  # valid files are kept (test_request_staging)


def test_request_summary_comes_first_and_the_form_posts_to_it(client):
    html = request_post(client, nik="123")
    assert title(html).startswith("Kesalahan: Ajukan permohonan: ")
    main = html[html.index('<main id="konten"') :]
    assert main.index('id="ringkasan-kesalahan"') < main.index("<h1")
    assert main.index('id="ringkasan-kesalahan"') < main.index('id="judul-syarat"')
    assert f'action="{KANTOR_KAS}#ringkasan-kesalahan"' in html
    assert re.search(r'<script src="/static/js/error-summary\.js" defer></script>', html)


def test_blank_forms_have_no_summary_and_a_plain_title(client):
    for path in (KANTOR_KAS, COMPLAINT):
        html = client.get(path).content.decode()
        assert 'id="ringkasan-kesalahan"' not in html
        assert not title(html).startswith("Kesalahan")
        assert "Ada masalah" not in html


def test_complaint_summary(client):
    html = complaint_post(client, shortfall="Petugas tidak ada.", complainant_name="Dewi")
    box = summary(html)
    assert "Ada masalah" in box.group(1)
    found = dict(links(html))
    assert found["id_phone"] == "Isi nomor telepon atau email agar kami dapat menjawab."
    assert found["id_remedy"] == "Bidang ini tidak boleh kosong."
    assert "id_consent" in found and "id_shortfall" not in found
    for field_id in found:
        assert f'id="{field_id}"' in html
    assert title(html).startswith("Kesalahan: Sampaikan pengaduan")
    # The chosen agency's query string is kept, then the fragment.
    assert 'action="/pengaduan/?instansi=musi-banyuasin#ringkasan-kesalahan"' in html
    main = html[html.index('<main id="konten"') :]
    assert main.index('id="ringkasan-kesalahan"') < main.index("<h1")
    assert "dipilih ulang" not in box.group(1)  # no evidence was chosen, none is lost


def test_an_error_without_a_field_is_listed_without_a_link(client):
    html = complaint_post(client, submission_key="bukan-uuid", remedy="Dilayani.")
    box = summary(html).group(1)
    items = re.findall(r"<li>(.*?)</li>", box, re.S)
    unlinked = [item for item in items if "UUID" in item]
    assert unlinked and "<a" not in unlinked[0]


@pytest.mark.parametrize("post", [request_post, complaint_post])
def test_summary_in_english(client, post):
    html = post(client, language="en", nik="123")
    box = summary(html).group(1)
    assert "There is a problem" in box and "Ada masalah" not in box
    assert title(html).startswith("Error: ")
    assert links(html)


@pytest.mark.parametrize("post", [request_post, complaint_post])
def test_typed_values_are_escaped_in_the_summary_page(client, post):
    payload = '"><script>alert(1)</script>'
    html = post(client, applicant_name=payload, complainant_name=payload, nik=payload)
    assert payload not in html
    assert escape(payload) in html


def test_the_query_string_is_escaped_in_the_action(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "id"
    response = client.post('/pengaduan/?instansi="><script>x</script>', {"remedy": "x"})
    html = response.content.decode()
    action = re.search(r'<form method="post" action="([^"]*)"', html).group(1)
    assert action.endswith("#ringkasan-kesalahan")
    assert "<script>x" not in html


def test_a_missing_document_is_named_in_the_summary(client):
    std = ServiceStandard.objects.get(
        agency__slug="kalimantan-barat", slug="pertimbangan-teknis-kantor-kas"
    )
    html = request_post(client, nik="123", applicant_name="Siti", phone="0812 3456 7890")
    messages = dict(links(html))
    required = std.requirements.filter(document=True, conditional=False)
    assert required.exists()
    for requirement in required:
        message = messages[f"id_dokumen_{requirement.pk}"]
        assert message.startswith("Pilih berkas untuk: ")
        assert escape(requirement.text[:40]) in message
