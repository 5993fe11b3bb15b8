"""Slowing down password guessing for one username, whatever address the guesses come from.

django-axes locks one username *and* address after PORTAL_LOGIN_FAILURE_LIMIT failures. Someone
with many addresses could still try one username without end, so every username also has its
own count of failures from anywhere. The first PORTAL_LOGIN_USERNAME_FREE_TRIES cost nothing;
after that each further try waits PORTAL_LOGIN_USERNAME_DELAY_SECONDS, doubling with every
failure up to PORTAL_LOGIN_USERNAME_MAX_DELAY_SECONDS: a few guesses an hour instead of thousands.
Only one try is let through when a wait ends (the slot is claimed atomically in the shared cache,
so a burst of concurrent tries counts as one). The wait never exceeds the cap, so a stranger can
never lock a member of staff out for long, and an address the user signed in from recently
(PORTAL_LOGIN_KNOWN_ADDRESS_DAYS) is not slowed at all: the office keeps working while someone
elsewhere guesses. A successful sign-in clears the count. Counts are forgotten a day after the
last failure.
"""

from __future__ import annotations

import hashlib
import math
import time

from django.conf import settings
from django.core.cache import cache

FORGET_AFTER = 24 * 3600


def _key(kind: str, *parts: str) -> str:
    # Usernames are free text typed by strangers: hash them into a safe, bounded cache key.
    digest = hashlib.sha256("\x00".join(p.lower() for p in parts).encode()).hexdigest()[:32]
    return f"login:{kind}:{digest}"


def delay_after(failures: int) -> int:
    """Seconds to wait before the next try after `failures` failures for one username."""
    free = settings.PORTAL_LOGIN_USERNAME_FREE_TRIES
    if failures < free:
        return 0
    base = settings.PORTAL_LOGIN_USERNAME_DELAY_SECONDS
    cap = settings.PORTAL_LOGIN_USERNAME_MAX_DELAY_SECONDS
    return min(cap, base * 2 ** min(failures - free, 32))


def _known(username: str, address: str | None) -> bool:
    return bool(address) and cache.get(_key("known", username, address)) is not None


def wait_before_try(username: str, address: str | None, now: float | None = None) -> int:
    """0 when a password try for `username` may be checked now (and claims it), otherwise the
    seconds to wait. Call once per try, before the password is checked."""
    if not username or _known(username, address):
        return 0
    now = time.time() if now is None else now
    failures = cache.get(_key("failures", username)) or 0
    delay = delay_after(failures)
    if delay == 0:
        return 0
    last = cache.get(_key("last", username)) or 0.0
    remaining = last + delay - now
    if remaining > 0:
        return math.ceil(remaining)
    # The wait is over: one try may use this slot, the others wait for its result.
    if not cache.add(_key("slot", username, str(failures), repr(last)), 1, delay + 60):
        return max(1, settings.PORTAL_LOGIN_USERNAME_DELAY_SECONDS)
    return 0


def record_failure(username: str, now: float | None = None) -> None:
    if not username:
        return
    now = time.time() if now is None else now
    key = _key("failures", username)
    cache.add(key, 0, FORGET_AFTER)
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, FORGET_AFTER)
    cache.touch(key, FORGET_AFTER)
    cache.set(_key("last", username), now, FORGET_AFTER)


def record_success(username: str, address: str | None) -> None:
    cache.delete_many([_key("failures", username), _key("last", username)])
    if address:
        days = settings.PORTAL_LOGIN_KNOWN_ADDRESS_DAYS
        if days > 0:
            cache.set(_key("known", username, address), 1, days * 86400)
