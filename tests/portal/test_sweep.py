"""portal.sweep and `manage.py sweep_orphan_files`: a file in private storage that no row names
is removed once it is older than the grace period; a younger one is kept (its transaction may
still be running), a file a row names never is, a dry run removes nothing; a submission cut off
between writing its files and committing leaves files that the sweep then finds; the retention
purge runs the sweep too."""

import logging
import os
import uuid
from datetime import datetime, timedelta
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.base import ContentFile
from django.core.files.storage import InMemoryStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from complaints.models import Complaint, ComplaintEvidence
from portal import sweep
from portal.cases import numbering
from portal.models import StagedUpload
from portal.uploads import PrivateStorage, private_storage
from services.models import RequestDocument, ServiceRequest
from services.requests import actions as request_actions
from tests.factories import (
    PDF,
    default_standard,
    documents_for,
    make_complaint,
    make_request,
    staff_member,
)

pytestmark = pytest.mark.django_db
WIB = ZoneInfo("Asia/Jakarta")
WRITTEN = datetime(2025, 11, 4, 9, 0, tzinfo=WIB)  # a Tuesday morning: the files are written
DAY_AFTER = WRITTEN + timedelta(hours=25)  # past the default 24 hours of grace
SAME_EVENING = WRITTEN + timedelta(hours=10)  # within it


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PORTAL_ORPHAN_GRACE_HOURS = 24
    with time_machine.travel(WRITTEN, tick=False):
        yield tmp_path / "private"


def _written_at(root: Path, at: datetime = WRITTEN) -> None:
    """Every file under `root` last written at `at` (the disk keeps the real clock's time)."""
    for path in root.rglob("*"):
        if path.is_file():
            os.utime(path, (at.timestamp(), at.timestamp()))


def _files(root: Path) -> set[str]:
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file()}


def _orphan(name: str) -> str:
    return private_storage.save(name, ContentFile(PDF))


def test_every_model_field_that_names_a_private_file_is_known():
    found = {(model._meta.label, name) for model, name in sweep.file_fields(private_storage)}
    assert found == {
        ("services.ServiceRequest", "product"),
        ("services.RequestDocument", "file"),
        ("complaints.ComplaintEvidence", "file"),
        ("portal.StagedUpload", "file"),
    }
    # The migrations' own PrivateStorage() is the same storage.
    assert sweep.file_fields(PrivateStorage()) == sweep.file_fields(private_storage)


def test_an_old_file_no_row_names_is_removed_and_logged(media, caplog):
    name = _orphan("dokumen/pasuruan/0123456789abcdef.pdf")
    _written_at(media)
    with caplog.at_level(logging.WARNING, logger="portal.sweep"):
        result = sweep.sweep(now=DAY_AFTER)
    assert [o.name for o in result.removed] == [name]
    assert not private_storage.exists(name)
    assert f"orphan file removed: {name}" in caplog.text


def test_a_young_file_no_row_names_is_kept(media):
    name = _orphan("bukti/musi-banyuasin/bukti/fedcba9876543210.pdf")
    _written_at(media)
    result = sweep.sweep(now=SAME_EVENING)
    assert result.removed == [] and result.young == 1
    assert private_storage.exists(name)


def test_the_grace_period_follows_the_setting(media, settings):
    settings.PORTAL_ORPHAN_GRACE_HOURS = 6
    name = _orphan("staged/staged/00aa.pdf")
    _written_at(media)
    assert [o.name for o in sweep.sweep(now=SAME_EVENING).removed] == [name]


def _files_with_rows():
    """A document, a product, a complaint's evidence and a file held for a form: all named."""
    request = make_request(documents=documents_for(default_standard()))
    request_actions.request_process(
        request=request,
        actor=staff_member(request.agency),
        now=WRITTEN,
        product=SimpleUploadedFile("izin.pdf", PDF),
    )
    make_complaint(evidence=[SimpleUploadedFile("foto.pdf", PDF)])
    held = StagedUpload(
        submission_key=uuid.uuid4(),
        owner="draft",
        field="bukti_1",
        original_name="bukti.pdf",
        content_type="application/pdf",
        size=len(PDF),
        sha256="0" * 64,
        uploaded_at=WRITTEN,
    )
    held.file.save("staged/00ff.pdf", ContentFile(PDF))
    names = {d.file.name for d in RequestDocument.objects.all()}
    names |= {ServiceRequest.objects.get().product.name, held.file.name}
    names |= {e.file.name for e in ComplaintEvidence.objects.all()}
    return names


def test_files_rows_name_are_never_removed_however_old(media):
    named = _files_with_rows()
    folders = {name.split("/", 1)[0] for name in named}
    assert folders == {"dokumen", "produk", "bukti", "staged"}
    orphans = {_orphan(f"{folder}/sisa/0badc0de.pdf") for folder in folders}
    _written_at(media)
    result = sweep.sweep(now=WRITTEN + timedelta(days=400))
    assert {o.name for o in result.removed} == orphans  # one in every folder
    assert _files(media) == named


def test_a_dry_run_removes_nothing(media):
    name = _orphan("produk/pasuruan/produk/0c0ffee0.pdf")
    _written_at(media)
    result = sweep.sweep(now=DAY_AFTER, dry_run=True)
    assert [o.name for o in result.orphans] == [name] and result.removed == []
    assert private_storage.exists(name)


class WorkerKilled(BaseException):
    """What a kill -9 between writing the files and committing leaves: a rollback, and none
    of the action's own clean-up (a killed worker runs no code at all)."""


@pytest.fixture
def killed_before_commit(monkeypatch):
    def killed(*args, **kwargs):
        raise WorkerKilled

    # The files are written before the numbering lock is taken; the kill comes at the lock.
    monkeypatch.setattr(numbering, "lock_numbering", killed)
    monkeypatch.setattr(PrivateStorage, "delete", lambda self, name: None)
    yield
    monkeypatch.undo()


def test_a_request_cut_off_before_its_commit_leaves_files_the_sweep_removes(
    media, killed_before_commit, monkeypatch
):
    documents = documents_for(default_standard())
    with pytest.raises(WorkerKilled):
        make_request(documents=documents)
    monkeypatch.undo()
    assert not ServiceRequest.objects.exists() and not RequestDocument.objects.exists()
    left = _files(media)
    assert len(left) == len(documents) and all(n.startswith("dokumen/") for n in left)
    _written_at(media)
    assert sweep.sweep(now=SAME_EVENING).removed == []  # the transaction may still be running
    assert {o.name for o in sweep.sweep(now=DAY_AFTER).removed} == left
    assert _files(media) == set()


def test_a_complaint_cut_off_before_its_commit_leaves_files_the_sweep_removes(
    media, killed_before_commit, monkeypatch
):
    with pytest.raises(WorkerKilled):
        make_complaint(evidence=[SimpleUploadedFile("foto.pdf", PDF)])
    monkeypatch.undo()
    assert not Complaint.objects.exists()
    (left,) = _files(media)
    assert left.startswith("bukti/")
    _written_at(media)
    assert [o.name for o in sweep.orphan_files(now=DAY_AFTER)] == [left]


def test_a_count_with_no_grace_sees_a_file_written_a_moment_ago(media):
    name = _orphan("dokumen/pasuruan/a1.pdf")
    _written_at(media)
    assert [o.name for o in sweep.orphan_files(now=WRITTEN, grace=0)] == [name]
    assert sweep.orphan_files(now=WRITTEN) == []


def test_it_works_through_the_storage_api_alone(monkeypatch):
    # Django's in-memory storage has no path on disk, as an S3 bucket has none.
    memory = InMemoryStorage()
    monkeypatch.setattr(sweep, "swept_storages", lambda: [memory])
    monkeypatch.setattr(sweep, "file_fields", lambda storage: [(RequestDocument, "file")])
    request = make_request(documents=documents_for(default_standard()))
    kept = request.documents.first().file.name
    memory.save(kept, ContentFile(PDF))
    gone = memory.save("dokumen/a/b/c/sisa.pdf", ContentFile(PDF))
    result = sweep.sweep(now=DAY_AFTER)
    assert [o.name for o in result.removed] == [gone]
    assert memory.exists(kept) and not memory.exists(gone)


def test_the_command_lists_and_removes(media):
    name = _orphan("dokumen/pasuruan/beef.pdf")
    _written_at(media)
    out = StringIO()
    with time_machine.travel(DAY_AFTER, tick=False):
        call_command("sweep_orphan_files", "--dry-run", stdout=out)
        assert private_storage.exists(name)
        assert f"{name} (ditulis Selasa, 4 November 2025 pukul 09.00 WIB) akan dihapus" in (
            out.getvalue()
        )
        assert out.getvalue().splitlines()[-1] == "Uji coba: 1 berkas, tidak ada yang dihapus."
        out = StringIO()
        call_command("sweep_orphan_files", stdout=out)
    assert not private_storage.exists(name)
    assert out.getvalue().splitlines()[-1] == "1 berkas yatim dihapus."


def test_the_retention_purge_sweeps_too(media):
    name = _orphan("bukti/musi-banyuasin/bukti/cafe.pdf")
    _written_at(media)
    out = StringIO()
    with time_machine.travel(DAY_AFTER, tick=False):
        call_command("purge_personal_data", stdout=out)  # a dry run: nothing removed
        assert private_storage.exists(name) and f"{name} (ditulis" in out.getvalue()
        call_command("purge_personal_data", "--apply", stdout=StringIO())
    assert not private_storage.exists(name)
