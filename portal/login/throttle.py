"""Slowing down password guessing per username, per address and per password.

django-axes locks one username *and* address after PORTAL_LOGIN_FAILURE_LIMIT (5) failures. That
leaves three ways round it, each with its own count of failures in the shared cache:
- one username guessed from many addresses: failures of that username, from anywhere;
- many usernames guessed from one address: failures from that address, for any username;
- one password sprayed over many usernames from many addresses: failures with that password,
  for any username from anywhere (the password is kept only as a keyed digest, an HMAC with
  SECRET_KEY, never in the clear).
Each count lets its first tries through free (PORTAL_LOGIN_USERNAME_FREE_TRIES,
PORTAL_LOGIN_ADDRESS_FREE_TRIES, PORTAL_LOGIN_PASSWORD_FREE_TRIES); after that each further try
it covers waits PORTAL_LOGIN_USERNAME_DELAY_SECONDS, doubling with every failure up to
PORTAL_LOGIN_USERNAME_MAX_DELAY_SECONDS: a few guesses an hour instead of thousands. While a wait
runs the password is not even checked, so the right one is refused too (otherwise the wait would
not hold against someone who guessed it). Only one try is let through when a wait ends (the slot
is claimed atomically in the shared cache, so a burst of concurrent tries counts as one).

A count of a username lets a stranger slow down its owner, so that count starts later than the
axes lock of one address (10 free failures against 5), and its wait never exceeds the cap (five
minutes): a member of staff is never locked out for long. An address gets more free failures
(30), since many staff of one office may share it. An address the user signed in from recently
(PORTAL_LOGIN_KNOWN_ADDRESS_DAYS) is slowed by none of the counts: the office keeps working while
someone elsewhere guesses. A successful sign-in clears its username's count only; the address
and password counts stay, or an attacker's own account would reset them. Counts are forgotten a
day after their last failure.
"""

from __future__ import annotations

import hashlib
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.utils.crypto import salted_hmac

FORGET_AFTER = 24 * 3600
USERNAME = "username"
ADDRESS = "address"
PASSWORD = "password"


@dataclass(frozen=True)
class Wait:
    """A try that may not be checked now: how long to wait, and which count holds it."""

    seconds: int
    reason: str  # USERNAME, ADDRESS or PASSWORD


def _digest(*parts: str) -> str:
    # Usernames are free text typed by strangers: hash them into a safe, bounded cache key.
    return hashlib.sha256("\x00".join(p.lower() for p in parts).encode()).hexdigest()[:32]


def _key(kind: str, *parts: str) -> str:
    return f"login:{kind}:{_digest(*parts)}"


def _subjects(username: str, address: str | None, password: str | None) -> list[tuple[str, str]]:
    """(reason, cache key part) of each count a try for these credentials belongs to."""
    subjects = [(USERNAME, _digest(username))] if username else []
    if address:
        subjects.append((ADDRESS, "a" + _digest(address)))
    if password:
        # Keyed, and never lowercased: a copy of the cache gives no way to test passwords.
        digest = salted_hmac("portal.login.throttle.password", password).hexdigest()[:32]
        subjects.append((PASSWORD, "p" + digest))
    return subjects


def _free_tries(reason: str) -> int:
    return {
        USERNAME: settings.PORTAL_LOGIN_USERNAME_FREE_TRIES,
        ADDRESS: settings.PORTAL_LOGIN_ADDRESS_FREE_TRIES,
        PASSWORD: settings.PORTAL_LOGIN_PASSWORD_FREE_TRIES,
    }[reason]


def delay_after(failures: int, free: int | None = None) -> int:
    """Seconds to wait before the next try after `failures` failures of one count (`free`:
    its free tries, the username's by default)."""
    free = settings.PORTAL_LOGIN_USERNAME_FREE_TRIES if free is None else free
    if failures < free:
        return 0
    base = settings.PORTAL_LOGIN_USERNAME_DELAY_SECONDS
    cap = settings.PORTAL_LOGIN_USERNAME_MAX_DELAY_SECONDS
    return min(cap, base * 2 ** min(failures - free, 32))


def _known(username: str, address: str | None) -> bool:
    return bool(address) and cache.get(_key("known", username, address)) is not None


def wait_before_try(
    username: str, address: str | None, password: str | None = None, now: float | None = None
) -> Wait | None:
    """None when a password try for `username` from `address` may be checked now (and claims
    it), otherwise the longest wait among its counts. Call once per try, before the password
    is checked."""
    if not username or _known(username, address):
        return None
    now = time.time() if now is None else now
    subjects = _subjects(username, address, password)
    stored = cache.get_many(
        [f"login:{kind}:{subject}" for _, subject in subjects for kind in ("failures", "last")]
    )
    longest: Wait | None = None
    due = []
    for reason, subject in subjects:
        failures = stored.get(f"login:failures:{subject}") or 0
        delay = delay_after(failures, _free_tries(reason))
        if delay == 0:
            continue
        last = stored.get(f"login:last:{subject}") or 0.0
        remaining = last + delay - now
        if remaining > 0:
            if longest is None or remaining > longest.seconds:
                longest = Wait(math.ceil(remaining), reason)
        else:
            due.append((reason, f"login:slot:{subject}:{failures}:{last!r}", delay))
    if longest is not None:
        return longest
    # Each wait that is over lets one try use its slot; the others wait for its result.
    for reason, slot, delay in due:
        if not cache.add(slot, 1, delay + 60):
            return Wait(max(1, settings.PORTAL_LOGIN_USERNAME_DELAY_SECONDS), reason)
    return None


def _count_failure(subject: str, now: float) -> None:
    key = f"login:failures:{subject}"
    cache.add(key, 0, FORGET_AFTER)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, FORGET_AFTER)
    cache.touch(key, FORGET_AFTER)
    cache.set(f"login:last:{subject}", now, FORGET_AFTER)


def record_failure(
    username: str,
    address: str | None = None,
    password: str | None = None,
    now: float | None = None,
) -> None:
    if not username:
        return
    now = time.time() if now is None else now
    for _reason, subject in _subjects(username, address, password):
        _count_failure(subject, now)


def record_success(username: str, address: str | None) -> None:
    subject = _digest(username)
    cache.delete_many([f"login:failures:{subject}", f"login:last:{subject}"])
    if address:
        days = settings.PORTAL_LOGIN_KNOWN_ADDRESS_DAYS
        if days > 0:
            cache.set(_key("known", username, address), 1, days * 86400)
