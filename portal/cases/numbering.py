"""Receipt numbers: short, readable and without gaps.

A number is the agency's code, an optional kind, the year in the agency's time zone and a
sequence per agency and year (MUBA-2025-00042, MUBA-ADU-2025-00007). Submissions to one agency
take turns on its row lock while they number and insert; everything else is prepared before.
"""

from __future__ import annotations

from django.db.models import Max

from portal.uploads import discard_stored


def next_number(model, *, agency, year: int, kind: str = "") -> tuple[int, str]:
    """The next sequence and number of `model` for an agency and year.

    Call inside a transaction that holds the agency's numbering lock (`lock_numbering`), so two
    submissions never get the same number (the unique constraint on (agency, year, sequence)
    is the last guard).
    """
    last = model.objects.filter(agency=agency, year=year).aggregate(m=Max("sequence"))["m"] or 0
    sequence = last + 1
    prefix = f"{agency.code}-{kind}-" if kind else f"{agency.code}-"
    return sequence, f"{prefix}{year}-{sequence:05d}"


def lock_numbering(model, *, agency, submission_key=None):
    """Take the agency's numbering lock (held until the transaction ends).

    Returns the case of `model` already stored under `submission_key`, if any: the same form
    sent twice at once passes the first check in both copies, and the second copy finds the
    first here, once the first has committed and released the lock.
    """
    type(agency).objects.select_for_update().only("pk").get(pk=agency.pk)
    if submission_key is None:
        return None
    return model.objects.filter(submission_key=submission_key).first()


def store_numbered(case, *, files: list, case_field: str, kind: str = ""):
    """Number and save a new `case` with its staged `files` under the agency's numbering lock.

    `files` are unsaved rows whose file is already written; `case_field` is their foreign key
    to the case. Returns (the case, True) when stored now, or (the case already stored under
    the same submission key, False), in which case the staged files are deleted again.
    """
    model = type(case)
    existing = lock_numbering(model, agency=case.agency, submission_key=case.submission_key)
    if existing is not None:
        discard_stored(files)
        return existing, False
    case.sequence, case.number = next_number(model, agency=case.agency, year=case.year, kind=kind)
    case.save()
    for row in files:
        setattr(row, case_field, case)
    if files:
        type(files[0]).objects.bulk_create(files)
    return case, True
