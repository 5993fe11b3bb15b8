"""portal.security: the policy header on every response but a PDF, and the lockout page."""

from datetime import timedelta

from django.http import HttpResponse
from django.test import RequestFactory

from portal.security import ContentSecurityPolicyMiddleware, login_lockout


def _through_middleware(content_type: str) -> HttpResponse:
    middleware = ContentSecurityPolicyMiddleware(lambda r: HttpResponse(content_type=content_type))
    return middleware(RequestFactory().get("/"))


def test_html_carries_the_policy():
    response = _through_middleware("text/html; charset=utf-8")
    assert "object-src 'none'" in response["Content-Security-Policy"]


def test_a_pdf_carries_no_policy():
    assert not _through_middleware("application/pdf").has_header("Content-Security-Policy")


def test_the_lockout_page_says_how_long_to_wait(settings):
    settings.AXES_COOLOFF_TIME = timedelta(minutes=15)
    settings.AXES_FAILURE_LIMIT = 5
    response = login_lockout(RequestFactory().post("/admin/login/"), credentials={})
    assert response.status_code == 429
    assert response["Retry-After"] == "900"
    assert "15" in response.content.decode()


def test_without_a_cool_off_there_is_no_retry_after(settings):
    settings.AXES_COOLOFF_TIME = None
    response = login_lockout(RequestFactory().post("/admin/login/"), credentials={})
    assert response.status_code == 429 and not response.has_header("Retry-After")
