"""Wrong tracking codes are counted before they are checked, in one atomic step, so a client
sending many at once gets at most the limit evaluated; the database cache's counter holds when
another process increments it between its read and its write."""

import threading
import time
from types import SimpleNamespace

import pytest
from django.core.cache import cache, caches
from django.test import Client

from portal.cases import views
from portal.ratelimit import give_back, take_attempt


@pytest.fixture
def slow_wrong_codes(monkeypatch):
    """Every code is checked slowly and is wrong; the checks are counted."""
    checks = []
    lock = threading.Lock()

    def check(access_hash, code):
        with lock:
            checks.append(code)
        time.sleep(0.05)  # the window in which the other attempts arrive
        return False

    case = SimpleNamespace(number="MUBA-2025-00001", access_hash="x")
    monkeypatch.setattr(views.registry, "find", lambda number: (None, case))
    monkeypatch.setattr(views, "code_matches", check)
    return checks


def _at_once(count, send):
    barrier = threading.Barrier(count)
    statuses = []

    def one(i):
        client = Client(REMOTE_ADDR="203.0.113.7")
        barrier.wait()
        statuses.append(send(client, i))

    threads = [threading.Thread(target=one, args=(i,)) for i in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return statuses


def test_sixty_concurrent_wrong_codes_are_checked_at_most_ten_times(settings, slow_wrong_codes):
    settings.PORTAL_FORM_RATE = "off"  # the per-form POST limit is not what is tested here

    def send(client, i):
        data = {"number": "MUBA-2025-00001", "code": f"WRONG-{i:04d}"}
        return client.post("/lacak/", data).status_code

    statuses = _at_once(60, send)
    assert len(slow_wrong_codes) <= views.TRACK_LIMIT
    assert statuses.count(429) >= 60 - views.TRACK_LIMIT
    assert set(statuses) <= {200, 429}


def test_a_right_code_gives_its_attempt_back():
    for _ in range(9):
        assert take_attempt("uji", "10.0.0.1", 10, 60)
    give_back("uji", "10.0.0.1")
    assert take_attempt("uji", "10.0.0.1", 10, 60)  # the 9th failure: still allowed
    assert take_attempt("uji", "10.0.0.1", 10, 60)
    assert not take_attempt("uji", "10.0.0.1", 10, 60)
    assert take_attempt("uji", "10.0.0.2", 10, 60)  # another client


@pytest.mark.django_db
def test_the_database_cache_counts_an_increment_made_between_read_and_write(settings, monkeypatch):
    from django.core.management import call_command

    from portal.cache_backends import AtomicDatabaseCache

    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "portal.cache_backends.AtomicDatabaseCache",
            "LOCATION": "portal_cache_uji",
        },
    }
    call_command("createcachetable", verbosity=0)
    db_cache = caches["default"]
    assert db_cache.add("n", 0, 60)
    # Another process adds 5 right after this one read the counter (the first read only):
    # the write of this one must not wipe that out.
    plain_set = super(AtomicDatabaseCache, db_cache).set
    read = AtomicDatabaseCache._read
    rounds = []

    def read_then_interfere(self, cursor, select, key, now):
        value = read(self, cursor, select, key, now)
        if not rounds:
            plain_set("n", db_cache.get("n") + 5, 60)
        rounds.append(value)
        return value

    monkeypatch.setattr(AtomicDatabaseCache, "_read", read_then_interfere)
    assert db_cache.incr("n") == 6
    assert len(rounds) == 2  # the first swap failed and was repeated
    monkeypatch.undo()
    assert db_cache.get("n") == 6
    assert db_cache.incr("n", 2) == 8 and db_cache.decr("n") == 7
    with pytest.raises(ValueError):
        db_cache.incr("missing")
    assert cache.get("n") == 7  # the configured default cache is this one
