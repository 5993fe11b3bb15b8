"""What requests and complaints share as public cases: numbers and access codes.

A case number is short and readable: the agency's code, an optional kind, the year in the
agency's time zone and a sequence per agency and year (MUBA-2025-00042, MUBA-ADU-2025-00007).
The access code that opens a case to the public is 96 random bits, shown once and stored only
as a hash, so one case's code never opens another and a database leak reveals no codes.
"""

import hashlib
import hmac
import secrets

from django.db.models import Max


def new_access_code() -> tuple[str, str]:
    """A fresh code and the hash to store."""
    code = secrets.token_urlsafe(12)
    return code, hash_code(code)


def hash_code(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def code_matches(stored_hash: str, code: str) -> bool:
    return hmac.compare_digest(stored_hash, hash_code(code or ""))


def next_number(model, *, agency, year: int, kind: str = "") -> tuple[int, str]:
    """The next sequence and number of `model` for an agency and year.

    Call inside a transaction that holds a lock on the agency row, so two submissions never get
    the same number (the unique constraint on (agency, year, sequence) is the last guard).
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
