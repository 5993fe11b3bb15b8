"""Receipt numbers: short, readable and without gaps.

A number is the agency's code, an optional kind, the year in the agency's time zone and a
sequence per agency and year (MUBA-2025-00042, MUBA-ADU-2025-00007). Submissions to one agency
take turns on its row lock while they number and insert; everything else is prepared before.
"""

from __future__ import annotations

from django.db import connections, router
from django.db.models import Max

from portal.uploads import discard_stored


def next_number(model, *, agency, year: int, kind: str = "", last: int | None = None):
    """The next sequence and number of `model` for an agency and year, as (sequence, number).

    Call inside a transaction that holds the agency's numbering lock (`lock_numbering`), so two
    submissions never get the same number (the unique constraint on (agency, year, sequence)
    is the last guard). `last`: the year's last sequence, when the caller has read it under
    that lock.
    """
    if last is None:
        last = model.objects.filter(agency=agency, year=year).aggregate(m=Max("sequence"))["m"]
    sequence = (last or 0) + 1
    prefix = f"{agency.code}-{kind}-" if kind else f"{agency.code}-"
    return sequence, f"{prefix}{year}-{sequence:05d}"


def lock_numbering(
    model, *, agency, year: int, submission_digest: str | None = None
) -> tuple[int | None, int]:
    """Take the agency's numbering lock (held until the transaction ends), then read, in one
    statement of two index lookups, (the pk of the case of `model` already stored under
    `submission_digest` (portal.cases.codes.key_digest) or None, the last sequence of the
    agency's `year` or 0).

    The same form sent twice at once passes the first check in both copies, and the second
    copy finds the first here, once the first has committed and released the lock. The two
    reads follow the lock in a statement of their own, so they see what the lock's previous
    holder committed.
    """
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    agencies = type(agency)._meta
    agency_pk = quote(agencies.pk.column)
    lock = f"SELECT {agency_pk} FROM {quote(agencies.db_table)} WHERE {agency_pk} = %s"
    if connection.features.has_select_for_update:
        lock += " FOR UPDATE"
    opts = model._meta
    table = quote(opts.db_table)

    def column(name):
        return quote(opts.get_field(name).column)

    key = opts.get_field("submission_digest").get_db_prep_value(submission_digest, connection)
    read = (
        f"SELECT (SELECT MAX({column('sequence')}) FROM {table} "
        f"WHERE {column('agency')} = %s AND {column('year')} = %s), "
        f"(SELECT {quote(opts.pk.column)} FROM {table} WHERE {column('submission_digest')} = %s)"
    )
    with connection.cursor() as cursor:
        cursor.execute(lock, [agency.pk])
        if cursor.fetchone() is None:
            raise type(agency).DoesNotExist(agency.pk)
        cursor.execute(read, [agency.pk, year, key])
        last, existing = cursor.fetchone()
    return existing, last or 0


def store_numbered(case, *, files: list, case_field: str, kind: str = ""):
    """Number and save a new `case` with its staged `files` under the agency's numbering lock.

    `files` are unsaved rows whose file is already written; `case_field` is their foreign key
    to the case. Returns (the case, True) when stored now, or (the case already stored under
    the same submission key's digest, False), in which case the staged files are deleted again.
    """
    model = type(case)
    existing, last = lock_numbering(
        model, agency=case.agency, year=case.year, submission_digest=case.submission_digest
    )
    if existing is not None:
        discard_stored(files)
        return model._base_manager.get(pk=existing), False
    case.sequence, case.number = next_number(
        model, agency=case.agency, year=case.year, kind=kind, last=last
    )
    case.save()
    for row in files:
        setattr(row, case_field, case)
    if files:
        type(files[0]).objects.bulk_create(files)
    return case, True
