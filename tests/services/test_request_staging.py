"""Files kept across a failed request form (portal.cases.staging through the request view).

A valid file of a failed post is held privately against the form's submission key and the
session; the next post of the same form in the same session uses it, so the citizen fixes only
the field in error. Nobody else's post can use it, "hapus" drops it, a new file replaces it,
and clear_staged_uploads removes what was never sent.
"""

import re
import uuid
from datetime import timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from portal.models import StagedUpload
from services.models import ServiceRequest, ServiceStandard
from tests.factories import PDF

pytestmark = pytest.mark.django_db

SERVICE = ("pasuruan", "pendataan-potensi-pengembangan-usaha")  # 3 documents to upload
URL = reverse("services:request_create", kwargs={"agency": SERVICE[0], "service": SERVICE[1]})


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2025-03-03T09:00:00+07:00", tick=False) as traveller:
        yield traveller


def names():
    std = ServiceStandard.objects.get(agency__slug=SERVICE[0], slug=SERVICE[1])
    return [f"dokumen_{r.pk}" for r in std.requirements.filter(document=True)]


def fields(key, **overrides):
    data = {
        "submission_key": key,
        "applicant_name": "Siti Aminah",
        "nik": "3514045507880002",
        "phone": "0812-3456-7890",
        "email": "",
        "organisation": "",
        "message": "",
        "consent": "on",
    }
    data.update(overrides)
    return data


def with_files(key, **overrides):
    files = {name: SimpleUploadedFile(f"berkas-{n}.pdf", PDF + bytes([n])) for n, name in
             enumerate(names())}  # fmt: skip
    return {**fields(key), **files, **overrides}


def stored_files(settings):
    return sorted(p for p in (settings.MEDIA_ROOT / "private").rglob("*") if p.is_file())


def test_a_failed_post_keeps_the_valid_files_and_the_fix_alone_is_accepted(
    client, settings, django_capture_on_commit_callbacks
):
    key = str(uuid.uuid4())
    failed = client.post(URL, with_files(key, nik="123"))
    assert failed.status_code == 200
    html = failed.content.decode()
    assert "NIK harus 16 angka" in html
    held = StagedUpload.objects.filter(submission_key=key)
    assert held.count() == len(names()) == 3
    assert all(p.is_relative_to(settings.MEDIA_ROOT / "private" / "staged")
               for p in stored_files(settings))  # fmt: skip
    assert "berkas-0.pdf</span> (" in html and ">ganti</label>" in html and ">hapus</label>" in html
    assert "perbaiki saja yang ditandai" in html
    assert 'name="hapus_berkas"' in html
    # The file inputs of held files are no longer required.
    file_inputs = re.findall(r'<input type="file"[^>]*>', html)
    assert len(file_inputs) == 3 and not any(" required" in i for i in file_inputs)

    with django_capture_on_commit_callbacks(execute=True):  # files are deleted after the commit
        accepted = client.post(URL, fields(key))  # only the NIK changes; no file sent again
    assert accepted.status_code == 302
    case = ServiceRequest.objects.get()
    documents = {d.original_name: d for d in case.documents.all()}
    assert sorted(documents) == [f"berkas-{n}.pdf" for n in range(3)]
    assert documents["berkas-2.pdf"].file.read() == PDF + bytes([2])
    assert not StagedUpload.objects.exists()
    assert all("staged" not in str(p) for p in stored_files(settings))  # the held copies went


def test_held_files_that_storage_cannot_delete_do_not_fail_the_accepted_request(
    client, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    """The held copies are deleted after the request's commit; a storage refusing to delete
    them (read-only, gone) is logged, and the citizen still gets the receipt."""
    from portal.cases import staging

    key = str(uuid.uuid4())
    assert client.post(URL, with_files(key, nik="123")).status_code == 200

    def refuse(name):
        raise PermissionError(f"read-only: {name}")

    monkeypatch.setattr(staging.private_storage, "delete", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        accepted = client.post(URL, fields(key))
    assert accepted.status_code == 302
    case = ServiceRequest.objects.get()
    assert case.documents.count() == 3 and not StagedUpload.objects.exists()
    assert client.get(accepted["Location"]).status_code == 200  # the receipt opens
    assert "read-only" in caplog.text


def test_another_session_with_the_same_submission_key_gets_nothing(client):
    key = str(uuid.uuid4())
    client.post(URL, with_files(key, nik="123"))
    stranger = Client()
    response = stranger.post(URL, fields(key))
    assert response.status_code == 200
    assert ServiceRequest.objects.count() == 0
    assert "berkas-0.pdf" not in response.content.decode()
    assert set(response.context["form"].errors) == set(names())
    # And the citizen's own files are still there for them.
    assert client.post(URL, fields(key)).status_code == 302


def test_a_held_file_is_found_only_with_its_own_submission_key(client):
    key = str(uuid.uuid4())
    client.post(URL, with_files(key, nik="123"))
    other_form = client.post(URL, fields(str(uuid.uuid4())))
    assert set(other_form.context["form"].errors) == set(names())


def test_hapus_empties_the_field_and_a_new_file_replaces_the_held_one(
    client, settings, django_capture_on_commit_callbacks
):
    key = str(uuid.uuid4())
    first, second, *_ = names()
    client.post(URL, with_files(key, nik="123"))
    replacement = SimpleUploadedFile("baru.pdf", PDF + b"baru")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            URL, {**fields(key, nik="123"), "hapus_berkas": [first], second: replacement}
        )
    held = {row.field: row.original_name for row in StagedUpload.objects.all()}
    assert first not in held and held[second] == "baru.pdf" and len(held) == 2
    assert len(stored_files(settings)) == 2  # the removed and the replaced file are deleted
    assert "baru.pdf" in response.content.decode()
    required = client.post(URL, fields(key))
    assert list(required.context["form"].errors) == [first]
    fixed = client.post(URL, {**fields(key), first: SimpleUploadedFile("a.pdf", PDF)})
    assert fixed.status_code == 302
    names_stored = sorted(d.original_name for d in ServiceRequest.objects.get().documents.all())
    assert names_stored == ["a.pdf", "baru.pdf", "berkas-2.pdf"]


def test_a_bad_file_is_not_held_and_the_good_ones_are(client):
    key = str(uuid.uuid4())
    first = names()[0]
    bad = SimpleUploadedFile("virus.pdf", b"MZ\x90\x00" + b"\x00" * 99)
    response = client.post(URL, with_files(key, **{first: bad}))
    assert "bukan PDF, JPEG atau PNG" in response.content.decode()
    assert first not in set(StagedUpload.objects.values_list("field", flat=True))
    assert StagedUpload.objects.count() == 2


def test_held_files_expire_and_the_cleanup_command_removes_them(client, settings, frozen):
    settings.PORTAL_STAGED_UPLOAD_HOURS = 24
    key = str(uuid.uuid4())
    client.post(URL, with_files(key, nik="123"))
    frozen.shift(timedelta(hours=23))
    call_command("clear_staged_uploads", verbosity=0)
    assert StagedUpload.objects.count() == 3  # still within its time
    frozen.shift(timedelta(hours=2))
    late = client.post(URL, fields(key))
    assert set(late.context["form"].errors) == set(names())  # no longer used
    call_command("clear_staged_uploads", verbosity=0)
    assert not StagedUpload.objects.exists()
    assert stored_files(settings) == []


def test_the_file_inputs_carry_the_limits_for_the_browser_check(client, settings):
    settings.PORTAL_UPLOAD_MAX_BYTES = 2 * 1024 * 1024
    html = client.get(URL).content.decode()
    assert 'data-max-bytes="2097152"' in html
    assert "batasnya 2 MB." in html
    assert "js/upload-check.js" in html
