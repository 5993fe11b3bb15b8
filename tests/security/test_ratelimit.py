"""Rate limits on the public forms: the limiter itself, the client address, and the four forms."""

import uuid

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from complaints.models import Complaint
from portal.ratelimit import Rate, client_ip, hit, parse_rate
from services.models import Agency, RequestStatus, ServiceRequest, ServiceStandard
from services.requests import actions as request_actions
from tests.factories import staff_member
from tests.pdfs import PDF


@pytest.mark.parametrize(
    "text, rate",
    [
        ("20/hour", Rate(20, 3600)),
        ("20/hours", Rate(20, 3600)),
        ("5/10m", Rate(5, 600)),
        (" 3 / 2 min ", Rate(3, 120)),
        ("100/day", Rate(100, 86400)),
        ("30/jam", Rate(30, 3600)),
        ("100/hari", Rate(100, 86400)),
        ("1/s", Rate(1, 1)),
        ("off", None),
        ("", None),
    ],
)
def test_parse_rate(text, rate):
    assert parse_rate(text) == rate


@pytest.mark.parametrize("text", ["20", "20/fortnight", "x/hour", "20/0h", "-1/hour"])
def test_parse_rate_refuses_what_it_cannot_read(text):
    with pytest.raises(ImproperlyConfigured, match="PORTAL_FORM_RATE"):
        parse_rate(text)


def test_hit_allows_the_limit_per_window_then_refuses_until_the_next(settings):
    from django.core.cache import cache

    cache.clear()
    rate = Rate(3, 600)
    start = 1_800_000_000.0  # a window boundary (divisible by 600)
    assert [hit("uji", "10.0.0.1", rate, now=start + i)[0] for i in range(4)] == [
        True,
        True,
        True,
        False,
    ]
    allowed, retry_after = hit("uji", "10.0.0.1", rate, now=start + 100)
    assert not allowed and retry_after == 500
    # Another client and another form have their own counts.
    assert hit("uji", "10.0.0.2", rate, now=start + 100)[0]
    assert hit("lain", "10.0.0.1", rate, now=start + 100)[0]
    # The next window starts afresh.
    assert hit("uji", "10.0.0.1", rate, now=start + 600)[0]


def _request(remote="203.0.113.9", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_client_ip_ignores_forwarded_for_without_trusted_proxies(settings):
    settings.PORTAL_TRUSTED_PROXY_COUNT = 0
    assert client_ip(_request(forwarded="198.51.100.7")) == "203.0.113.9"


def test_client_ip_behind_trusted_proxies(settings):
    settings.PORTAL_TRUSTED_PROXY_COUNT = 1
    # The proxy sets or appends the address it saw; a client-supplied left part is ignored.
    assert client_ip(_request("10.0.0.2", "198.51.100.7")) == "198.51.100.7"
    assert client_ip(_request("10.0.0.2", "1.2.3.4, 198.51.100.7")) == "198.51.100.7"
    assert client_ip(_request("10.0.0.2", "2001:db8::1")) == "2001:db8::1"
    settings.PORTAL_TRUSTED_PROXY_COUNT = 2
    assert client_ip(_request("10.0.0.2", "1.2.3.4, 198.51.100.7, 10.0.0.3")) == "198.51.100.7"
    assert client_ip(_request("10.0.0.2", "198.51.100.7")) == "198.51.100.7"  # fewer hops
    # No header, or garbage in it: the direct peer.
    assert client_ip(_request("10.0.0.2")) == "10.0.0.2"
    assert client_ip(_request("10.0.0.2", "bukan-alamat")) == "10.0.0.2"


# The four public forms ------------------------------------------------------------------------

SERVICE = ("pasuruan", "pendataan-potensi-pengembangan-usaha")


@pytest.fixture
def two_per_hour(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.PORTAL_FORM_RATE = "2/hour"
    from django.core.cache import cache

    cache.clear()


def _request_form_data():
    std = ServiceStandard.objects.get(agency__slug=SERVICE[0], slug=SERVICE[1])
    data = {
        "submission_key": str(uuid.uuid4()),
        "applicant_name": "Siti Aminah",
        "nik": "3514045507880002",
        "phone": "0812-3456-7890",
        "email": "",
        "organisation": "",
        "message": "",
        "consent": "on",
    }
    for r in std.requirements.filter(document=True):
        data[f"dokumen_{r.pk}"] = SimpleUploadedFile(f"dok{r.pk}.pdf", PDF)
    return data


def _complaint_form_data():
    agency = Agency.objects.get(slug="musi-banyuasin")
    return {
        "submission_key": str(uuid.uuid4()),
        "agency": agency.pk,
        "standard": "",
        "request_number": "",
        "shortfall": "Tidak dilayani.",
        "loss": "",
        "remedy": "Dilayani.",
        "complainant_name": "Ahmad",
        "phone": "0812 1111 2222",
        "email": "",
        "address": "",
        "consent": "on",
    }


def _assert_limited(response):
    assert response.status_code == 429
    html = response.content.decode()
    assert "Terlalu banyak permintaan" in html and "Coba lagi dalam" in html
    assert "belum diproses dan tidak disimpan" in html
    assert 0 < int(response["Retry-After"]) <= 3600
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_request_form_posts_are_limited_per_client(client, two_per_hour):
    url = reverse("services:request_create", kwargs={"agency": SERVICE[0], "service": SERVICE[1]})
    for _ in range(2):
        assert client.post(url, _request_form_data()).status_code == 302
    _assert_limited(client.post(url, _request_form_data()))
    assert ServiceRequest.objects.count() == 2  # the refused one was not stored
    assert client.get(url).status_code == 200  # reading the form is never limited
    other = client.__class__(REMOTE_ADDR="198.51.100.20")
    assert other.post(url, _request_form_data()).status_code == 302


@pytest.mark.django_db
def test_complaint_form_posts_are_limited_per_client(client, two_per_hour):
    url = reverse("complaints:create")
    for _ in range(2):
        assert client.post(url, _complaint_form_data()).status_code == 302
    _assert_limited(client.post(url, _complaint_form_data()))
    assert Complaint.objects.count() == 2


@pytest.mark.django_db
def test_tracking_posts_are_limited_and_the_failure_limit_stays(client, two_per_hour, settings):
    url = reverse("cases:track")
    for _ in range(2):
        assert client.post(url, {"number": "PSR-2099-00001", "code": "salah"}).status_code == 200
    _assert_limited(client.post(url, {"number": "PSR-2099-00001", "code": "salah"}))
    # With forms unlimited, ten wrong codes still lock tracking (its own failure limit).
    settings.PORTAL_FORM_RATE = "off"
    other = client.__class__(REMOTE_ADDR="198.51.100.21")
    codes = [
        other.post(url, {"number": "PSR-2099-00001", "code": "salah"}).status_code
        for _ in range(11)
    ]
    assert codes[:10] == [200] * 10 and codes[10] == 429


@pytest.mark.django_db
def test_resubmission_posts_are_limited(client, two_per_hour):
    url = reverse("services:request_create", kwargs={"agency": SERVICE[0], "service": SERVICE[1]})
    client.post(url, _request_form_data())
    case = ServiceRequest.objects.get()
    request_actions.request_process(
        request=case,
        to_status=RequestStatus.RETURNED,
        actor=staff_member(case.agency),
        note="Lengkapi.",
        now=timezone.now(),
    )
    detail = reverse("cases:track_detail", args=[case.number])
    bad = {"note": "tanpa berkas"}  # refused by the form: the case stays returned
    assert client.post(detail, bad).status_code == 200
    assert client.post(detail, bad).status_code == 200
    _assert_limited(client.post(detail, {"documents": SimpleUploadedFile("a.pdf", PDF)}))
    case.refresh_from_db()
    assert case.status == RequestStatus.RETURNED
    assert client.get(detail).status_code == 200


@pytest.mark.django_db
def test_forwarded_for_counts_only_behind_trusted_proxies(client, two_per_hour, settings):
    url = reverse("cases:track")
    data = {"number": "PSR-2099-00001", "code": "salah"}
    # Without trusted proxies a client cannot escape the limit by inventing addresses.
    for i in range(2):
        client.post(url, data, HTTP_X_FORWARDED_FOR=f"198.51.100.{i}")
    _assert_limited(client.post(url, data, HTTP_X_FORWARDED_FOR="198.51.100.99"))
    # Behind one proxy, two clients of the same proxy have their own budgets.
    settings.PORTAL_TRUSTED_PROXY_COUNT = 1
    proxy = client.__class__(REMOTE_ADDR="10.0.0.5")
    for _ in range(2):
        proxy.post(url, data, HTTP_X_FORWARDED_FOR="198.51.100.30")
    _assert_limited(proxy.post(url, data, HTTP_X_FORWARDED_FOR="198.51.100.30"))
    assert proxy.post(url, data, HTTP_X_FORWARDED_FOR="198.51.100.31").status_code == 200


def test_login_ip_is_none_when_the_address_is_unknown(settings):
    from portal.ratelimit import login_ip

    settings.PORTAL_TRUSTED_PROXY_COUNT = 0
    assert login_ip(_request("203.0.113.9")) == "203.0.113.9"
    request = RequestFactory().get("/")
    del request.META["REMOTE_ADDR"]
    assert client_ip(request) == "unknown" and login_ip(request) is None


@pytest.mark.django_db
def test_limit_page_in_english_for_english_visitors(client, two_per_hour, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = reverse("cases:track")
    for _ in range(2):
        client.post(url, {"number": "PSR-2099-00001", "code": "salah"})
    html = client.post(url, {"number": "PSR-2099-00001", "code": "salah"}).content.decode()
    assert "Too many requests" in html and "nothing was saved" in html
