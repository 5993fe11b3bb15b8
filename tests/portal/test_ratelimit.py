"""portal.ratelimit's own rules: attempts counted before they are evaluated, one given back,
the 429 page, the decorator that limits POSTs only, and the address django-axes stores."""

import pytest
from django.core.cache import cache
from django.http import HttpResponse
from django.test import RequestFactory

from portal.ratelimit import Rate, give_back, hit, limit_posts, login_ip, take_attempt, too_many


@pytest.fixture(autouse=True)
def _empty_cache():
    cache.clear()


def test_take_attempt_allows_the_limit_then_refuses():
    assert [take_attempt("uji", "10.0.0.1", 3, 600) for _ in range(4)] == [True] * 3 + [False]
    # Another client and another scope have counts of their own.
    assert take_attempt("uji", "10.0.0.2", 3, 600)
    assert take_attempt("lain", "10.0.0.1", 3, 600)


def test_a_given_back_attempt_frees_its_place():
    for _ in range(3):
        assert take_attempt("uji", "10.0.0.1", 3, 600)
    give_back("uji", "10.0.0.1")
    assert take_attempt("uji", "10.0.0.1", 3, 600)
    assert not take_attempt("uji", "10.0.0.1", 3, 600)


def test_giving_back_after_the_window_ended_is_harmless():
    give_back("uji", "10.0.0.9")  # no counter: nothing to return, nothing raised
    assert cache.get("attempts:uji:10.0.0.9") is None


def test_hit_retry_after_is_the_rest_of_the_window_and_at_least_one_second():
    rate = Rate(1, 60)
    assert hit("uji", "c", rate, now=1_800_000_000.0 + 59.5) == (True, 1)
    assert hit("uji", "c", rate, now=1_800_000_000.0 + 59.9) == (False, 1)


def test_hit_counts_afresh_when_the_counter_expired_between_add_and_incr(monkeypatch):
    monkeypatch.setattr(cache, "add", lambda *args, **kwargs: False)  # as if it had been there
    assert hit("uji", "c", Rate(1, 60), now=1_800_000_000.0) == (True, 60)
    assert cache.get("ratelimit:uji:c:30000000") == 1


def test_the_429_page_says_when_to_come_back_and_is_not_stored():
    response = too_many(RequestFactory().get("/"), 61)
    assert response.status_code == 429
    assert response["Retry-After"] == "61"
    assert response["Cache-Control"] == "no-store"
    assert "2 menit" in response.content.decode()  # 61 s rounds up to two minutes


def _view(request):
    return HttpResponse("ok")


def test_limit_posts_never_limits_gets(settings):
    settings.PORTAL_FORM_RATE = "1/hour"
    view = limit_posts("uji")(_view)
    assert [view(RequestFactory().get("/")).status_code for _ in range(3)] == [200] * 3


def test_limit_posts_refuses_posts_past_the_rate_per_client(settings):
    settings.PORTAL_FORM_RATE = "1/hour"
    settings.PORTAL_TRUSTED_PROXY_COUNT = 0
    view = limit_posts("uji")(_view)
    first = RequestFactory().post("/", REMOTE_ADDR="10.0.0.1")
    assert view(first).status_code == 200
    assert view(RequestFactory().post("/", REMOTE_ADDR="10.0.0.1")).status_code == 429
    assert view(RequestFactory().post("/", REMOTE_ADDR="10.0.0.2")).status_code == 200


def test_limit_posts_off_lets_every_post_through(settings):
    settings.PORTAL_FORM_RATE = "off"
    view = limit_posts("uji")(_view)
    assert [view(RequestFactory().post("/")).status_code for _ in range(5)] == [200] * 5


def test_login_ip_is_the_address_in_its_normal_form(settings):
    settings.PORTAL_TRUSTED_PROXY_COUNT = 0
    assert login_ip(RequestFactory().get("/", REMOTE_ADDR="2001:DB8:0:0::1")) == "2001:db8::1"
