"""The log of staff looking at citizens' personal data (UU 27/2022).

Each look is one append-only row of `portal.models.PersonalDataAccess`: who, when, which case,
which route (`what`: the case page, its workflow page, its history, a list, an export, a
document) and whether the citizen's identity was on the screen or in the file
(`identity`: False when a confidential complainant was shown as "Dirahasiakan").
`record_access` writes one row; `record_accesses` writes one row per case of a list page or an
export in one INSERT (in batches of `BATCH`), so a page costs the same number of queries
whatever the data size; `logged` does it for the cases an export streams, as it goes. The case
admins and the staff download views call them; rows are read in the admin by those with
`portal.view_personaldataaccess`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from portal.models import PersonalDataAccess

What = PersonalDataAccess.What
CASE_PAGE = What.CASE_PAGE
WORKFLOW = What.WORKFLOW
HISTORY = What.HISTORY
LIST = What.LIST
EXPORT = What.EXPORT
DOCUMENT = What.DOCUMENT

# Rows per INSERT of a long export (SQLite splits a batch further by its parameter limit).
BATCH = 1000

Case = TypeVar("Case")


def record_accesses(
    *,
    user,
    cases: Iterable,
    what: str,
    identity: bool,
    detail: str = "",
    now=None,
) -> list[PersonalDataAccess]:
    """Log that `user` was shown `cases` through the route `what`, with (`identity`) or
    without the citizen's identity: one row per case, nothing written for no case."""
    cases = list(cases)
    if not cases:
        return []
    at = now or timezone.now()
    types = ContentType.objects.get_for_models(*{type(case) for case in cases})
    rows = [
        PersonalDataAccess(
            at=at,
            user=user,
            case_type=types[type(case)],
            case_id=case.pk,
            case_number=case.number,
            agency_id=case.agency_id,
            what=what,
            identity_shown=identity,
            detail=detail[:200],
        )
        for case in cases
    ]
    return PersonalDataAccess.objects.bulk_create(rows, batch_size=BATCH)


def record_access(
    *, user, case, what: str, identity: bool = True, detail: str = "", now=None
) -> PersonalDataAccess:
    """Log one look by `user` at `case`. `identity` says whether the citizen's identity was
    shown; a case's own documents (a request's files, its product) carry it, hence the
    default."""
    return record_accesses(
        user=user, cases=[case], what=what, identity=identity, detail=detail, now=now
    )[0]


def logged(
    cases: Iterable[Case],
    *,
    user,
    what: str,
    shown: Callable[[Case], bool],
    detail: str = "",
) -> Iterator[Case]:
    """Yields `cases` (an export's, read as the file is written), logging with their identity
    those `shown` picks: `BATCH` rows per INSERT, the last ones when the file ends or is
    abandoned, so a case that left the portal is never missing from the log."""
    pending: list[Case] = []
    try:
        for case in cases:
            if shown(case):
                pending.append(case)
                if len(pending) >= BATCH:
                    record_accesses(
                        user=user, cases=pending, what=what, identity=True, detail=detail
                    )
                    pending = []
            yield case
    finally:
        record_accesses(user=user, cases=pending, what=what, identity=True, detail=detail)
