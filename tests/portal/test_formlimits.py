"""portal.formlimits' own rules: which registered form an address is, the largest count when
several apps register one address, the link back rebuilt from the pattern, the Referer check."""

import pytest
from django.test import RequestFactory

from portal import formlimits
from portal.uploads import PART_OVERHEAD, max_upload_bytes


@pytest.fixture
def forms(monkeypatch):
    """A registry of its own, so a test's registrations do not outlive it."""
    registry: dict = {}
    monkeypatch.setattr(formlimits, "_FORMS", registry)
    return registry


def test_the_body_limit_is_every_file_at_its_limit_plus_the_rest_of_the_form(settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    assert formlimits.body_limit(0) == 1000
    assert formlimits.body_limit(3) == 3 * (max_upload_bytes() + PART_OVERHEAD) + 1000


def test_an_unregistered_or_unknown_address_is_no_public_form(forms):
    assert formlimits.form_at("/lacak/") is None  # resolves, but nobody registered it here
    assert formlimits.form_at("/tidak-ada-halaman-ini/x/y/z/") is None


def test_the_largest_registered_count_wins(forms):
    formlimits.register("cases:track_detail", 1)
    formlimits.register("cases:track_detail", lambda number: 4 if number == "A-1" else 0)
    assert formlimits.form_at("/lacak/A-1/").files == 4
    assert formlimits.form_at("/lacak/B-2/").files == 1


def test_a_form_knows_its_own_address_query_and_limit(forms):
    formlimits.register("cases:track", 0)
    form = formlimits.form_at("/lacak/", "lang=en")
    assert form == formlimits.PublicForm(
        url="/lacak/?lang=en", files=0, limit=formlimits.body_limit(0)
    )


def test_form_of_reads_the_requests_path_and_query(forms):
    formlimits.register("cases:track", 0)
    assert formlimits.form_of(RequestFactory().post("/lacak/?a=1")).url == "/lacak/?a=1"


def test_form_referred_takes_only_a_referer_of_this_site(forms):
    formlimits.register("cases:track", 0)
    ours = RequestFactory().get("/", HTTP_REFERER="http://testserver/lacak/?x=2")
    assert formlimits.form_referred(ours).url == "/lacak/?x=2"
    other = RequestFactory().get("/", HTTP_REFERER="http://contoh.id/lacak/")
    assert formlimits.form_referred(other) is None
    assert formlimits.form_referred(RequestFactory().get("/")) is None  # no Referer
    broken = RequestFactory().get("/", HTTP_REFERER="http://[::1/lacak/")
    assert formlimits.form_referred(broken) is None


def test_form_referred_strips_the_script_prefix(forms):
    formlimits.register("cases:track", 0)
    request = RequestFactory().get(
        "/", HTTP_REFERER="http://testserver/portal/lacak/", SCRIPT_NAME="/portal"
    )
    assert formlimits.form_referred(request).files == 0
