"""portal.sessions: 32-character keys; outside a transaction a new session is one INSERT with
no check before it, and a used key a CreateError (Django then draws another key). The whole
round trip through the middleware is in tests/services/test_form_memory.py."""

from contextlib import contextmanager

import pytest
from django.contrib.sessions.backends.base import VALID_KEY_CHARS, CreateError
from django.db import connections

from portal.sessions import SessionStore


@contextmanager
def outside_a_transaction():
    """As where the session middleware saves: no atomic block open (the test's own stays)."""
    wrapper = connections["default"]
    wrapper.in_atomic_block = False
    try:
        yield
    finally:
        wrapper.in_atomic_block = True


def test_a_new_key_is_32_characters_of_the_valid_ones():
    key = SessionStore()._get_new_session_key()
    assert len(key) == 32 and set(key) <= set(VALID_KEY_CHARS)


@pytest.mark.django_db
def test_a_new_session_is_one_insert(django_assert_num_queries):
    store = SessionStore()
    store["grant"] = 1
    with outside_a_transaction(), django_assert_num_queries(1) as queries:
        store.save(must_create=True)
    assert queries.captured_queries[0]["sql"].startswith("INSERT")


@pytest.mark.django_db
def test_a_changed_session_is_one_update(django_assert_num_queries):
    store = SessionStore()
    store["grant"] = 1
    store.save(must_create=True)
    store["grant"] = 2
    with outside_a_transaction(), django_assert_num_queries(1) as queries:
        store.save()
    assert queries.captured_queries[0]["sql"].startswith("UPDATE")
    assert SessionStore(store.session_key)["grant"] == 2


@pytest.mark.django_db
def test_a_used_key_is_a_create_error():
    first = SessionStore()
    first["a"] = 1
    first.save(must_create=True)
    second = SessionStore(first.session_key)
    second._session_cache = {"b": 2}
    with outside_a_transaction(), pytest.raises(CreateError):
        second.save(must_create=True)
