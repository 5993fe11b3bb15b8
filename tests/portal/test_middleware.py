"""portal.middleware's own rules: the browser's language header dropped, NUL bytes found
wherever the portal reads them, a Content-Length that is no number, small bodies never looked up."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.test import RequestFactory

from portal import formlimits, middleware


def _echo(request):
    return HttpResponse(request.META.get("HTTP_ACCEPT_LANGUAGE", "none"))


def test_the_browsers_language_header_never_reaches_a_view():
    request = RequestFactory().get("/", HTTP_ACCEPT_LANGUAGE="en-US,en")
    assert middleware.IndonesianFirstMiddleware(_echo)(request).content == b"none"


@pytest.mark.parametrize(
    "request_",
    [
        lambda rf: rf.get("/?q=a\x00b"),
        lambda rf: rf.get("/", {"a\x00": "b"}),
        lambda rf: rf.get("/", HTTP_X_SOMETHING="a\x00"),
        lambda rf: rf.post("/", {"name": "a\x00b"}),
    ],
    ids=["query-value", "query-key", "header", "form-value"],
)
def test_a_nul_anywhere_the_portal_reads_is_found(request_):
    assert middleware.carries_nul(request_(RequestFactory()))


def test_a_nul_in_a_file_name_is_found():
    # Django's own parser drops what precedes a NUL; a name with one is still refused.
    request = RequestFactory().post("/", {"dok": SimpleUploadedFile("a.pdf", b"%PDF")})
    request.FILES["dok"].name = "a\x00.pdf"
    assert middleware.carries_nul(request)


def test_a_nul_in_a_cookie_is_found():
    request = RequestFactory().get("/")
    request.COOKIES["pilihan"] = "a\x00"
    assert middleware.carries_nul(request)


def test_a_clean_request_and_a_json_body_carry_no_nul():
    rf = RequestFactory()
    assert not middleware.carries_nul(rf.post("/", {"name": "Budi"}))
    # A body the portal never parses as a form is not read for NULs.
    assert not middleware.carries_nul(rf.post("/", b'{"a": "\x00"}', "application/json"))


def test_declared_length():
    rf = RequestFactory()
    assert middleware.declared_length(rf.get("/")) == 0
    assert middleware.declared_length(rf.post("/", b"abc", "text/plain")) == 3
    request = rf.get("/")
    request.META["CONTENT_LENGTH"] = "banyak"
    assert middleware.declared_length(request) is None


def test_a_length_that_is_no_number_is_a_400_before_any_view(db):
    request = RequestFactory().get("/")
    request.META["CONTENT_LENGTH"] = "banyak"
    guard = middleware.RequestGuardMiddleware(lambda r: pytest.fail("the view ran"))
    response = guard(request)
    assert response.status_code == 400 and response["Cache-Control"] == "no-store"


def test_a_body_within_the_text_limit_looks_up_no_form(settings, monkeypatch):
    monkeypatch.setattr(formlimits, "form_of", lambda r: pytest.fail("a form was looked up"))
    request = RequestFactory().post("/", b"x", "text/plain")
    assert middleware.too_large(request, settings.DATA_UPLOAD_MAX_MEMORY_SIZE) is None


def test_an_unregistered_address_takes_one_file_and_the_rest_of_a_form(monkeypatch):
    monkeypatch.setattr(formlimits, "form_of", lambda r: None)
    monkeypatch.setattr(middleware, "max_submission_bytes", lambda: 10**9)
    request = RequestFactory().post("/admin/")
    assert middleware.too_large(request, middleware.smallest_limit()) is None
    assert middleware.too_large(request, 10**9) is None
    assert middleware.too_large(request, 10**9 + 1).status_code == 413


def test_a_registered_form_is_held_to_its_own_limit(monkeypatch, settings):
    form = formlimits.PublicForm(url="/lacak/", files=0, limit=settings.DATA_UPLOAD_MAX_MEMORY_SIZE)
    monkeypatch.setattr(formlimits, "form_of", lambda r: form)
    response = middleware.too_large(RequestFactory().post("/lacak/"), form.limit + 1)
    assert response.status_code == 413
    assert 'href="/lacak/"' in response.content.decode()
