"""No file without a row: the sweep of the private storage.

Every upload is written to the portal's private storage (`portal.uploads.private_storage`:
`dokumen/` request documents, `produk/` products, `bukti/` complaint evidence, `staged/` the
files held for a failed form) *before* the transaction that stores the row naming it commits.
A failure the action sees deletes its files again; a worker killed between the write and the
commit (or a storage that refused the delete) leaves a file that no row names, and nothing else
would ever remove it, not even the retention purge, which deletes only the files of its rows.

The sweep lists the whole storage through the Storage API only (`listdir`,
`get_modified_time`, `delete`), so it works on any Django storage (S3 too). The names the rows
hold are read from every FileField of every installed model kept in that storage, so a new
model with files is covered without being listed here. A file that no row names is removed once
it is older than PORTAL_ORPHAN_GRACE_HOURS (default 24): a younger one may belong to a
submission whose transaction is still running. A file a row names is never removed, whatever
its age. Each removal is logged (a warning: every orphan is a submission that was cut short).
`manage.py sweep_orphan_files [--dry-run]` runs it, and `purge_personal_data` runs it after
the purge. Running it twice, or on two machines at once, is harmless.
"""

from __future__ import annotations

import logging
import posixpath
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils import timezone

from portal.uploads import private_storage

logger = logging.getLogger(__name__)

# Names looked up in the database per query (well under SQLite's limit on parameters).
BATCH = 500


def swept_storages() -> list[Any]:
    """The storages the sweep owns: every file in them belongs to a row, or to no one."""
    return [private_storage]


def grace_period() -> timedelta:
    return timedelta(hours=settings.PORTAL_ORPHAN_GRACE_HOURS)


def _same_storage(a, b) -> bool:
    if a is b:
        return True
    if type(a) is not type(b) or not hasattr(a, "deconstruct"):
        return False
    return a.deconstruct() == b.deconstruct()


def file_fields(storage) -> list[tuple[type[models.Model], str]]:
    """(model, field name) of every concrete FileField that keeps its files in `storage`."""
    found = []
    for model in apps.get_models():
        for f in model._meta.concrete_fields:
            if isinstance(f, models.FileField) and _same_storage(f.storage, storage):
                found.append((model, f.attname))
    return found


def stored_names(storage, folder: str = "") -> Iterator[str]:
    """Every file in `storage` under `folder`, walked with `listdir` (a missing folder: none)."""
    pending = [folder]
    while pending:
        current = pending.pop()
        try:
            folders, files = storage.listdir(current)
        except FileNotFoundError:
            continue
        for name in files:
            yield posixpath.join(current, name) if current else name
        pending.extend(posixpath.join(current, sub) if current else sub for sub in folders)


def named(names: Iterable[str], fields: list[tuple[type[models.Model], str]]) -> set[str]:
    """The names among `names` that some row of `fields` holds."""
    names = list(names)
    held: set[str] = set()
    for model, attname in fields:
        rows = model._base_manager.filter(**{f"{attname}__in": names})
        held.update(rows.values_list(attname, flat=True))
    return held


@dataclass(frozen=True)
class Orphan:
    storage: Any
    name: str
    modified: datetime


@dataclass
class SweepResult:
    seen: int = 0  # files in the storages
    young: int = 0  # within the grace period: not judged
    orphans: list[Orphan] = field(default_factory=list)  # old, and no row names them
    removed: list[Orphan] = field(default_factory=list)
    failed: list[Orphan] = field(default_factory=list)  # the storage refused to delete


def _as_grace(grace: timedelta | float | None) -> timedelta:
    if grace is None:
        return grace_period()
    if isinstance(grace, timedelta):
        return grace
    return timedelta(hours=grace)


def find_orphans(*, now: datetime, grace: timedelta | float | None = None) -> SweepResult:
    """The files older than `grace` (a timedelta or hours; default PORTAL_ORPHAN_GRACE_HOURS)
    that no row names, with how many files were seen and how many were too young."""
    before = now - _as_grace(grace)
    result = SweepResult()
    for storage in swept_storages():
        fields = file_fields(storage)
        batch: list[tuple[str, datetime]] = []

        def judge(batch=batch, storage=storage, fields=fields):
            held = named((name for name, _m in batch), fields)
            result.orphans.extend(Orphan(storage, n, m) for n, m in batch if n not in held)
            batch.clear()

        for name in stored_names(storage):
            result.seen += 1
            try:
                modified = storage.get_modified_time(name)
            except FileNotFoundError:  # removed since it was listed
                continue
            if timezone.is_naive(modified):
                modified = timezone.make_aware(modified)
            if modified > before:
                result.young += 1
                continue
            batch.append((name, modified))
            if len(batch) >= BATCH:
                judge()
        if batch:
            judge()
    return result


def orphan_files(*, now: datetime | None = None, grace=None) -> list[Orphan]:
    """The orphans alone (for counting them: `orphan_files(grace=0)` counts every file no row
    names, even one written a moment ago)."""
    return find_orphans(now=now or timezone.now(), grace=grace).orphans


def sweep(
    *, now: datetime, grace: timedelta | float | None = None, dry_run: bool = False
) -> SweepResult:
    """Remove the orphans (`dry_run`: only find them); each removal is logged."""
    result = find_orphans(now=now, grace=grace)
    if dry_run:
        return result
    for orphan in result.orphans:
        try:
            orphan.storage.delete(orphan.name)
        except Exception:  # any storage's failure (a read-only disk, S3 refusing): next run
            logger.exception("orphan file %s: the storage refused to delete it", orphan.name)
            result.failed.append(orphan)
            continue
        logger.warning(
            "orphan file removed: %s (last written %s; no row names it)",
            orphan.name,
            orphan.modified.isoformat(),
        )
        result.removed.append(orphan)
    return result
