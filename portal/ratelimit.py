"""Rate limits for the public forms, counted per client in Django's cache.

`limit_posts(scope)` lets each client send at most `PORTAL_FORM_RATE` POSTs (e.g. "20/hour") to
one form per window; the next ones get an Indonesian 429 page with a Retry-After header, and the
view does not run, so nothing is stored. GETs are never limited. The windows are fixed (aligned
on the clock), so a client may send up to twice the limit across the end of one window and the
start of the next: enough to stop floods, not meant as an exact quota. The counters live in the
default cache: several app processes share them only when they share the cache (PORTAL_CACHE).

`take_attempt(scope, client, limit, window)` counts an attempt *before* it is evaluated (the
tracking page's wrong codes): the count is one atomic increment (cache.add, then cache.incr:
atomic in locmem and redis, and in the portal's database cache, portal.cache_backends), so
however many attempts arrive at once, at most `limit` of them are evaluated per window;
`give_back` returns the attempt when it succeeded (only failures are meant to count).

`client_ip(request)` is the address a limit is counted for (also used for the tracking page's
failure limit and the admin login lockout): REMOTE_ADDR, or, behind PORTAL_TRUSTED_PROXY_COUNT
reverse proxies, the address the outermost proxy saw in X-Forwarded-For.
"""

from __future__ import annotations

import ipaddress
import logging
import math
import re
import time
from dataclasses import dataclass
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.shortcuts import render

logger = logging.getLogger(__name__)

UNITS = {
    "s": 1,
    "sec": 1,
    "second": 1,
    "detik": 1,
    "m": 60,
    "min": 60,
    "minute": 60,
    "menit": 60,
    "h": 3600,
    "hour": 3600,
    "jam": 3600,
    "d": 86400,
    "day": 86400,
    "hari": 86400,
}
RATE_PATTERN = re.compile(r"^\s*(\d+)\s*/\s*(\d*)\s*([a-z]+?)s?\s*$")


@dataclass(frozen=True)
class Rate:
    limit: int
    seconds: int


def parse_rate(text: str) -> Rate | None:
    """Read a rate: "20/hour" is Rate(20, 3600), "5/10m" Rate(5, 600), "off" None (no limit)."""
    value = (text or "").strip().lower()
    if value in {"off", "0", "none", ""}:
        return None
    match = RATE_PATTERN.match(value)
    if match is None or match.group(3) not in UNITS:
        raise ImproperlyConfigured(
            f"PORTAL_FORM_RATE={text!r} tidak dikenali; contoh: 20/hour, 5/10m, 100/hari, off."
        )
    count, multiplier, unit = match.groups()
    seconds = int(multiplier or 1) * UNITS[unit]
    if seconds <= 0:
        raise ImproperlyConfigured(f"PORTAL_FORM_RATE={text!r}: jendela waktu harus lebih dari 0.")
    return Rate(int(count), seconds)


def _ip_or_none(value: str) -> str | None:
    try:
        return str(ipaddress.ip_address(value.strip()))
    except ValueError:
        return None


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, unless the portal sits behind trusted proxies."""
    remote = request.META.get("REMOTE_ADDR") or "unknown"
    proxies = settings.PORTAL_TRUSTED_PROXY_COUNT
    if proxies > 0:
        hops = [h for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        if hops:
            # Each trusted proxy appends the address it received the request from; what the
            # client itself put in the header (the left part) is never trusted.
            found = _ip_or_none(hops[-proxies] if len(hops) >= proxies else hops[0])
            if found:
                return found
    return remote


def login_ip(request) -> str | None:
    """client_ip for django-axes, which stores it in an address column: None when unknown
    (e.g. `force_login` in tests builds a request without REMOTE_ADDR)."""
    return _ip_or_none(client_ip(request))


def hit(scope: str, client: str, rate: Rate, now: float | None = None) -> tuple[bool, int]:
    """Count one POST; (allowed, seconds until the window ends)."""
    now = time.time() if now is None else now
    window = int(now // rate.seconds)
    retry_after = max(1, math.ceil((window + 1) * rate.seconds - now))
    key = f"ratelimit:{scope}:{client}:{window}"
    cache.add(key, 0, retry_after + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, retry_after + 1)
        count = 1
    return count <= rate.limit, retry_after


def _count(key: str, timeout: int, delta: int = 1) -> int:
    cache.add(key, 0, timeout)
    try:
        return cache.incr(key, delta)
    except ValueError:  # expired between add and incr
        cache.add(key, 0, timeout)
        return cache.incr(key, delta)


def take_attempt(scope: str, client: str, limit: int, window: int) -> bool:
    """Count one attempt of `client` before it is evaluated; False past `limit` per window."""
    return _count(f"attempts:{scope}:{client}", window) <= limit


def give_back(scope: str, client: str) -> None:
    """Return an attempt that succeeded."""
    try:
        cache.decr(f"attempts:{scope}:{client}")
    except ValueError:  # the window ended meanwhile
        pass


def too_many(request, retry_after: int):
    response = render(
        request,
        "429.html",
        {"retry_minutes": max(1, math.ceil(retry_after / 60))},
        status=429,
    )
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


def limit_posts(scope: str):
    """Decorate a view: at most PORTAL_FORM_RATE POSTs per client to this scope per window."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method == "POST":
                rate = parse_rate(settings.PORTAL_FORM_RATE)
                if rate is not None:
                    client = client_ip(request)
                    allowed, retry_after = hit(scope, client, rate)
                    if not allowed:
                        logger.warning("rate limit: %s from %s", scope, client)
                        return too_many(request, retry_after)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
