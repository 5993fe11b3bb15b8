"""The mail's tracking link opens the case in a browser, and the code never reaches the
server in a URL (the script posts it); a refused code is not sent again."""

import pytest

from portal.cases.views import tracking_url
from tests.factories import make_request

pytestmark = pytest.mark.browser


def test_the_mail_link_opens_the_case_with_the_code_only_in_the_form(site, phone, settings):
    case = make_request()
    requested = []
    phone.on("request", lambda r: requested.append(r.url))
    link = tracking_url(case.number, case.access_code).replace(settings.SITE_URL, site)
    phone.goto(link)
    phone.wait_for_url(f"{site}/lacak/{case.number}/")
    assert case.number in phone.locator("h1").inner_text()
    assert "#kode" not in phone.url
    # Browsers never send the fragment; the code went in the form's body, not in a URL.
    assert not any(case.access_code in url or "kode=" in url for url in requested)


def test_a_wrong_code_in_the_link_shows_the_form_with_its_error_once(site, phone, settings):
    case = make_request()
    link = tracking_url(case.number, "WRONG-CODE").replace(settings.SITE_URL, site)
    phone.goto(link)
    phone.wait_for_selector("main .alert-danger")
    assert "tidak cocok" in phone.locator("main .alert-danger").inner_text()
    assert phone.locator("#id_number").input_value() == case.number
