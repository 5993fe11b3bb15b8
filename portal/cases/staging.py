"""Files kept across a failed public form (the request form's documents, a complaint's evidence).

When a form fails on another field, each file of it that passed its own checks is written to
private storage (outside `static/`, under a random name) and recorded against the form's
submission key *and* a random draft token kept in the sender's session. The next post of the same
form in the same session finds them again: the citizen sees "berkas.pdf (120 KB) — ganti /
hapus", fixes only what was wrong, and the accepted case gets a copy of each kept file. A file is
found only by that (submission key, session token) pair, never by an id from the browser, so no
one attaches another person's file by guessing. Files are usable for
PORTAL_STAGED_UPLOAD_HOURS after they were staged; `manage.py clear_staged_uploads` removes older
ones and the files of forms that were accepted are removed at once.
"""

from __future__ import annotations

import secrets
import uuid
from datetime import timedelta

from django.conf import settings
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.forms import FileField

from portal.models import StagedUpload
from portal.uploads import StorageUnavailable, check_upload, private_storage, random_name

SESSION_OWNER = "draft_owner"
REMOVE_FIELD = "hapus_berkas"  # checkbox name; its values are the names of the fields to empty


def lifetime() -> timedelta:
    return timedelta(hours=settings.PORTAL_STAGED_UPLOAD_HOURS)


def owner(request, *, create: bool = False) -> str | None:
    """The session's draft token; made (and the session kept) only when `create`."""
    token = request.session.get(SESSION_OWNER)
    if token is None and create:
        token = secrets.token_hex(16)
        request.session[SESSION_OWNER] = token
    return token


def posted_key(data) -> uuid.UUID | None:
    """The submission key a form was posted with, if it is one."""
    try:
        return uuid.UUID(str(data.get("submission_key", "")))
    except ValueError:
        return None


def staged(*, submission_key, owner: str | None, now) -> dict[str, StagedUpload]:
    """The files held for this form and session, by field name (nothing when either is unknown)."""
    if submission_key is None or not owner:
        return {}
    rows = StagedUpload.objects.filter(
        submission_key=submission_key, owner=owner, uploaded_at__gte=now - lifetime()
    )
    return {row.field: row for row in rows}


def as_upload(row: StagedUpload) -> File:
    """The held file, opened and named as the citizen named it (for the case to copy)."""
    return File(private_storage.open(row.file.name, "rb"), name=row.original_name)


@transaction.atomic
def keep(*, form, fields, submission_key, owner: str, now) -> dict[str, StagedUpload]:
    """After a failed validation: hold each newly uploaded file of `fields` that passed its own
    checks (replacing what was held for that field), drop what the citizen asked to remove, and
    return what is held now, by field name."""
    held = staged(submission_key=submission_key, owner=owner, now=now)
    removed = set(form.data.getlist(REMOVE_FIELD)) if hasattr(form.data, "getlist") else set()
    old: list[StagedUpload] = []
    for name in fields:
        upload = form.cleaned_data.get(name)
        fresh = isinstance(upload, UploadedFile) and name not in form.errors
        if (fresh or name in removed) and name in held:
            old.append(held.pop(name))
        if not fresh:
            continue
        checked = check_upload(upload)
        row = StagedUpload(
            submission_key=submission_key,
            owner=owner,
            field=name,
            original_name=checked.original_name,
            content_type=checked.content_type,
            size=checked.size,
            sha256=checked.sha256,
            uploaded_at=now,
        )
        try:
            row.file.save(random_name("staged", checked.extension), upload, save=False)
        except StorageUnavailable as error:  # not held; the form says why (once)
            if not any(e.code == "storage" for e in form.non_field_errors().as_data()):
                form.add_error(None, error)
            continue
        held[name] = row
    changed = [n for n in fields if n in removed or n in held and held[n].pk is None]
    stale = StagedUpload.objects.filter(
        submission_key=submission_key, owner=owner, field__in=changed
    ).exclude(pk__in=[r.pk for r in held.values() if r.pk])
    old += list(stale)  # with an expired row of a changed field
    StagedUpload.objects.filter(pk__in=[r.pk for r in old]).delete()
    for row in held.values():
        if row.pk is None:
            row.save()
    _delete_files_on_commit([row.file.name for row in old])
    return held


def release(*, submission_key) -> None:
    """The form was accepted: its held files (already copied to the case) go."""
    rows = list(StagedUpload.objects.filter(submission_key=submission_key))
    if rows:
        StagedUpload.objects.filter(pk__in=[r.pk for r in rows]).delete()
        _delete_files_on_commit([r.file.name for r in rows])


def purge(*, now) -> int:
    """Remove the files of forms never sent within their lifetime; returns how many."""
    rows = list(StagedUpload.objects.filter(uploaded_at__lt=now - lifetime()))
    StagedUpload.objects.filter(pk__in=[r.pk for r in rows]).delete()
    for row in rows:
        private_storage.delete(row.file.name)
    return len(rows)


def _delete_files_on_commit(names: list[str]) -> None:
    """Delete the files once the rows are gone for good; a storage that refuses (read-only,
    gone) is logged and leaves the files, never an error for a form already accepted."""

    def delete():
        for name in names:
            private_storage.delete(name)

    if names:
        transaction.on_commit(delete, robust=True)


class KeepsFilesMixin:
    """A form whose file fields can be satisfied by files held from an earlier post.

    Call `use_staged(rows)` before validation and end `clean()` with `fill_from_staged(cleaned)`:
    a file field the citizen left empty (and did not ask to remove) takes its held file. Every
    file field of the form can be held (`file_names()`); `staged` is what the template shows.
    """

    staged: dict[str, StagedUpload]

    def file_names(self) -> list[str]:
        return [name for name, field in self.fields.items() if isinstance(field, FileField)]

    def use_staged(self, rows: dict[str, StagedUpload]) -> None:
        removed = set(self.data.getlist(REMOVE_FIELD)) if hasattr(self.data, "getlist") else set()
        self.staged = {n: r for n, r in rows.items() if n in self.fields and n not in removed}
        for name in self.staged:
            self.fields[name].required = False

    def fill_from_staged(self, cleaned: dict) -> None:
        for name, row in getattr(self, "staged", {}).items():
            if not cleaned.get(name) and name not in self.errors:
                cleaned[name] = as_upload(row)
