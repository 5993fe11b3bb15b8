"""Access codes: the secret that opens one case to the public, made for people to type.

A code is 80 random bits written in Crockford's base32 (digits and capital letters without
I, L, O and U) in four groups of four: "K7QW-2XPM-9ZHC-4RTA". It is read back in any case,
with or without spaces and dashes, and the look-alikes are forgiven (I and L read as 1, O as
0), so a code copied by hand from a receipt still opens the case. It is stored only as a
SHA-256 hash of its 16 characters, so one case's code never opens another and a database leak
alone reveals none. A case submitted through a form carries the form's random submission key;
its code is derived from that key and the site's secret key (HMAC), so the same form sent
again after a lost answer, or the outbox sending the receipt after a crash, gets the same code
again without it ever being stored. Codes of older cases (16 URL-safe characters, random) keep
working exactly as they were given: only the hash is compared.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid

from django.utils.crypto import salted_hmac

_SALT = "portal.cases.access-code"
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base32
BITS = 80
LENGTH = BITS // 5  # 16 characters
_LOOK_ALIKES = str.maketrans({"I": "1", "L": "1", "O": "0"})


def _base32(number: int) -> str:
    chars = []
    for _ in range(LENGTH):
        number, digit = divmod(number, 32)
        chars.append(ALPHABET[digit])
    return "".join(reversed(chars))


def grouped(code: str) -> str:
    """A code as people read it: four groups of four, joined by dashes."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalise(typed: str) -> str:
    """What someone typed, as the 16 characters of a code (any case, spaces, dashes)."""
    text = "".join(ch for ch in (typed or "").upper() if ch not in " -\t\n\r.")
    return text.translate(_LOOK_ALIKES)


def code_for(submission_key: uuid.UUID | str) -> str:
    """The access code (grouped) of the case created by the form with this submission key."""
    digest = salted_hmac(_SALT, str(submission_key), algorithm="sha256").digest()
    return grouped(_base32(int.from_bytes(digest[: BITS // 8], "big")))


def new_access_code(submission_key: uuid.UUID | str) -> tuple[str, str]:
    """The code of a new case and the hash to store."""
    code = code_for(submission_key)
    return code, hash_code(code)


def hash_code(code: str) -> str:
    return hashlib.sha256(normalise(code).encode()).hexdigest()


def _legacy_hash(code: str) -> str:
    return hashlib.sha256(code.encode()).hexdigest()


def code_matches(stored_hash: str, typed: str) -> bool:
    """Whether `typed` opens the case stored with `stored_hash` (either kind of code)."""
    typed = (typed or "").strip()
    new = hmac.compare_digest(stored_hash, hash_code(typed))
    old = hmac.compare_digest(stored_hash, _legacy_hash(typed))
    return new or old


def code_of(case) -> str | None:
    """The code of a stored case when it can be derived again (None for older random codes)."""
    if case.submission_key is None:
        return None
    code = code_for(case.submission_key)
    return code if hmac.compare_digest(case.access_hash, hash_code(code)) else None
