"""Access codes: the secret that opens one case to the public.

A code is 96 bits (16 URL-safe characters). It is stored only as a SHA-256 hash, so one case's
code never opens another and a database leak alone reveals none. A case submitted through a
form carries the form's random submission key; its code is derived from that key and the
site's secret key (HMAC), so the same form sent again after a lost response, or the outbox
sending the receipt after a crash, gets the same code again without it ever being stored.
Codes of older cases (random, not derived) keep working: only the hash is compared.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import uuid

from django.utils.crypto import salted_hmac

_SALT = "portal.cases.access-code"


def code_for(submission_key: uuid.UUID | str) -> str:
    """The access code of the case created by the form with this submission key."""
    digest = salted_hmac(_SALT, str(submission_key), algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest[:12]).decode()


def new_access_code(submission_key: uuid.UUID | str) -> tuple[str, str]:
    """The code of a new case and the hash to store."""
    code = code_for(submission_key)
    return code, hash_code(code)


def hash_code(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def code_matches(stored_hash: str, code: str) -> bool:
    return hmac.compare_digest(stored_hash, hash_code(code or ""))


def code_of(case) -> str | None:
    """The code of a stored case when it can be derived again (None for older random codes)."""
    if case.submission_key is None:
        return None
    code = code_for(case.submission_key)
    return code if code_matches(case.access_hash, code) else None
