"""How long a closed case keeps its citizen's personal data, and how it is removed (UU 27/2022).

A case closed more than PORTAL_PERSONAL_DATA_RETENTION_DAYS ago is anonymised by
`manage.py purge_personal_data --apply`: the names, NIK, phone, email, address and the free text
that may identify the citizen are replaced, and the uploaded files are deleted from storage.
What the statistics and the public record need stays: the number, the dates and deadlines with
how they were derived, the statuses, the tier, and every history line with its time and status
(its note is emptied). Open cases are never touched.

Each app registers its kind of case (`register(Retention(...))`, in services/apps.py and
complaints/apps.py) with the statuses that close it and an `anonymise(case)` that blanks the
case's rows and returns the stored files to delete. The portal must call up: the period and the
purge (`manage.py purge_personal_data`) are one rule for every kind of case, and the cases'
personal fields are the apps'.
Each case is one transaction; a purged case is recorded in `portal.models.PurgedCase`, so a
second run finds nothing to do, and a run stopped halfway leaves every case either untouched or
fully anonymised (files deleted inside the transaction: a failure after that is redone by the
next run, deleting a missing file is a no-op). The command then runs `sweep_orphan_files`
(portal.sweep), which removes the files no row names at all.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from portal.models import PurgedCase

# What replaces a removed name or required text.
REMOVED = "[dihapus]"


@dataclass(frozen=True)
class StoredName:
    storage: Any
    name: str


@dataclass(frozen=True)
class Retention:
    name: str  # "request", "complaint"
    label: str  # shown by the command, e.g. "Permohonan"
    model: type
    closed_statuses: tuple[str, ...]
    anonymise: Callable[[Any], list[StoredName]]  # blanks the case's rows, saves them


_RULES: dict[str, Retention] = {}


def register(rule: Retention) -> None:
    _RULES[rule.name] = rule


def rules() -> list[Retention]:
    return list(_RULES.values())


def retention_days() -> int:
    return settings.PORTAL_PERSONAL_DATA_RETENTION_DAYS


def cutoff(now: datetime) -> datetime:
    """Cases closed before this moment are past the retention period."""
    return now - timedelta(days=retention_days())


def expired(rule: Retention, now: datetime):
    """The rule's closed cases past the period that still hold personal data."""
    kind = ContentType.objects.get_for_model(rule.model)
    purged = PurgedCase.objects.filter(case_type=kind).values("case_id")
    return (
        rule.model.objects.filter(
            status__in=rule.closed_statuses,
            closed_at__isnull=False,
            closed_at__lt=cutoff(now),
        )
        .exclude(pk__in=purged)
        .order_by("closed_at", "pk")
    )


def files_of(field_files) -> list[StoredName]:
    """The stored files behind FieldFile values (empty ones skipped)."""
    return [StoredName(f.storage, f.name) for f in field_files if f and f.name]


@transaction.atomic
def purge_case(rule: Retention, pk: int, *, now: datetime) -> bool:
    """Anonymise one case; False when it was already done or is no longer due."""
    case = expired(rule, now).select_for_update(of=("self",)).filter(pk=pk).first()
    if case is None:
        return False
    for stored in rule.anonymise(case):
        stored.storage.delete(stored.name)
    PurgedCase.objects.create(
        case_type=ContentType.objects.get_for_model(rule.model),
        case_id=case.pk,
        case_number=case.number,
        closed_at=case.closed_at,
        purged_at=now,
    )
    return True


def purge(rule: Retention, *, now: datetime) -> Iterator[tuple[str, bool]]:
    """Anonymise every expired case of the rule, one transaction each: (number, done)."""
    for pk, number in list(expired(rule, now).values_list("pk", "number")):
        yield number, purge_case(rule, pk, now=now)
