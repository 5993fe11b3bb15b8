"""Access codes: the secret that opens one case to the public, made for people to type.

A code is 80 random bits written in Crockford's base32 (digits and capital letters without
I, L, O and U) in four groups of four: "K7QW-2XPM-9ZHC-4RTA". It is read back in any case,
with or without spaces and dashes, and the look-alikes are forgiven (I and L read as 1, O as
0), so a code copied by hand from a receipt still opens the case. It is stored only as a
SHA-256 hash of its 16 characters, so one case's code never opens another and a database leak
alone reveals none. A case submitted through a form keeps only a keyed digest of the form's
random submission key (HMAC with the site's secret key), never the key itself; its code is
derived from that digest and the secret key again, so the receipt shown again to the browser
that sent the form (portal.cases.replay), or the outbox sending the receipt after a crash, gets
the same code without it ever being stored, and a copy of the database opens nothing. Codes of
older cases (16 URL-safe characters, random) keep working exactly as they were given: only the
hash is compared. (Cases stored before submission keys were digested have codes derived from
the key itself: they still open their case, but the outbox can no longer put them in a mail.)
"""

from __future__ import annotations

import hashlib
import hmac
import uuid

from django.utils.crypto import salted_hmac

_SALT = "portal.cases.access-code"
_KEY_SALT = "portal.cases.submission-key"
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


def key_digest(submission_key: uuid.UUID | str) -> str:
    """What is stored of a form's submission key: its HMAC with the site's secret key (hex)."""
    return salted_hmac(_KEY_SALT, str(submission_key), algorithm="sha256").hexdigest()


def code_for(digest: str) -> str:
    """The access code (grouped) of the case stored with this submission-key digest."""
    mac = salted_hmac(_SALT, digest, algorithm="sha256").digest()
    return grouped(_base32(int.from_bytes(mac[: BITS // 8], "big")))


def new_access_code(submission_key: uuid.UUID | str) -> tuple[str, str, str]:
    """The code of a new case, the hash of it to store and the digest of its submission key."""
    digest = key_digest(submission_key)
    code = code_for(digest)
    return code, hash_code(code), digest


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
    if not case.submission_digest:
        return None
    code = code_for(case.submission_digest)
    return code if hmac.compare_digest(case.access_hash, hash_code(code)) else None
