"""The tracking link in messages opens the case without putting its access code in any URL a
server sees: the code is in the fragment, read by a small script that posts the tracking form;
without JavaScript the form opens with the number filled in and the code is typed."""

import re
from urllib.parse import urlsplit

import pytest
from django.core import mail

from portal.cases.views import tracking_url
from tests.factories import make_complaint, make_request

# Cases and pages made "now" read a fixed working morning, never the day the suite runs.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fixed_clock")]


def _links(body: str) -> list[str]:
    return re.findall(r"https?://\S+/lacak/\S*", body)


def _sent_to_a_server(url: str) -> str:
    """What a browser sends for this link: everything before the fragment."""
    parts = urlsplit(url)
    return parts.path + ("?" + parts.query if parts.query else "")


def test_the_link_keeps_the_code_in_the_fragment(settings):
    url = tracking_url("PSR-2025-00001", "K7QW-2XPM-9ZHC-4RTA")
    assert url == f"{settings.SITE_URL}/lacak/?nomor=PSR-2025-00001#kode=K7QW-2XPM-9ZHC-4RTA"
    assert "K7QW" not in _sent_to_a_server(url)
    assert tracking_url("PSR-2025-00001") == f"{settings.SITE_URL}/lacak/PSR-2025-00001/"


@pytest.mark.parametrize("kind", ["request", "complaint"])
def test_the_receipt_mail_never_puts_the_code_where_a_server_sees_it(
    kind, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        if kind == "request":
            case = make_request(email="siti@contoh.id")
        else:
            case = make_complaint(email="budi@contoh.id")
    body = mail.outbox[-1].body
    code = case.access_code
    assert code in body  # shown, to be typed where there is no JavaScript
    links = _links(body)
    assert links
    for link in links:
        assert "kode=" not in _sent_to_a_server(link)
        assert code not in _sent_to_a_server(link)
    assert any(link.endswith(f"#kode={code}") for link in links)


def test_the_link_opens_the_form_with_the_number_and_the_script(client):
    case = make_request()
    page = client.get(f"/lacak/?nomor={case.number}")
    html = page.content.decode()
    assert page.status_code == 200
    assert f'value="{case.number}"' in html
    assert '<script src="/static/js/track-code.js" defer></script>' in html
    assert "data-track-form" in html


def test_without_javascript_the_typed_code_opens_the_case(client):
    case = make_request()
    response = client.post("/lacak/", {"number": case.number, "code": case.access_code})
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200


def test_a_case_page_without_access_sends_to_the_form_with_its_number(client):
    case = make_request()
    response = client.get(f"/lacak/{case.number}/")
    assert response.status_code == 302
    assert response["Location"] == f"/lacak/?nomor={case.number}"


def test_links_sent_before_still_open_the_case(client):
    case = make_request()
    response = client.get(f"/lacak/{case.number}/?kode={case.access_code}")
    assert response.status_code == 302
    assert client.get(f"/lacak/{case.number}/").status_code == 200
