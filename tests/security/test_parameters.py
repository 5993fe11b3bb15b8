"""No query parameter of any GET page answers 5xx.

Every public page and every staff page (the admin's lists with their filters and date
hierarchy, the dashboard, the reports, the exports) is asked with hypothesis-made values in
each parameter it reads, and in names it does not (`?name__startswith=`): huge and negative
years and numbers, NUL, unicode digits, very long strings. A page either clamps the value to
something sensible (page numbers) or answers 400 on the portal's own page with an Indonesian
message (portal.params); never a server error. The cases found so far are pinned as plain
tests below the properties.
"""

from urllib.parse import quote

import pytest
from django.contrib import admin
from django.contrib.admin.utils import NotRelationField, get_fields_from_path
from django.contrib.auth.models import User
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from portal import pdf
from services.models import Agency, ServiceStandard, SurveyChannel, SurveyResponse
from tests.factories import make_complaint, make_request, official, staff_member

pytestmark = pytest.mark.django_db

PROPERTY = settings(
    max_examples=6,
    deadline=None,
    derandomize=True,  # the same values on every run: a failure is reproducible by itself
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Values that broke, or could break, a parser: dates past datetime's range, months that do not
# exist, numbers past SQLite's 64 bits, digits that str.isdigit() accepts and int() does not.
EDGE_VALUES = [
    "",
    "0",
    "-1",
    "99",
    "9999-12-31",
    "9999-12",
    "0001-01-01",
    "10000-01-01",
    "2025-13",
    "2025-00",
    "2025-02-30",
    "1999-12-31",
    "2101-01-01",
    "2025-06-01T10:00",
    "99999999999999999999999",
    "-99999999999999999999999",
    "9223372036854775808",
    "1e400",
    "NaN",
    "last",
    "²",
    "٣",
    "١٢٣٤-٠٦",
    "\x00",
    "\u202e",
    "🙂",
    "x" * 5000,
    "' OR 1=1 --",
    "<script>",
    "[]",
    "a,b",
]
VALUES = st.one_of(
    st.sampled_from(EDGE_VALUES),
    st.integers(min_value=-(10**25), max_value=10**25).map(str),
    st.dates().map(lambda d: d.isoformat()),
    st.dates().map(lambda d: f"{d.year:04d}-{d.month:02d}"),
    st.datetimes().map(lambda d: d.isoformat(sep=" ")),
    st.text(max_size=40),
)
STRANGE_NAMES = [
    "name__startswith",
    "pk__gt",
    "id__in",
    "agency__name__startswith",
    "applicant_name__startswith",
    "password__startswith",
    "__proto__",
    "",
]


def _names(known):
    return st.one_of(st.sampled_from([*known, *STRANGE_NAMES]), st.text(max_size=12))


def _query(known):
    """Up to three name=value pairs, mostly the page's own names."""
    pair = st.tuples(st.one_of(st.sampled_from(known or ["x"]), _names(known)), VALUES)
    return st.lists(pair, min_size=1, max_size=3)


def _url(path, pairs) -> str:
    return path + "?" + "&".join(f"{quote(n, safe='')}={quote(v, safe='')}" for n, v in pairs)


def _check(response):
    assert response.status_code < 500
    if response.status_code == 400:
        page = response.content.decode()
        # A normal page of the portal (never Django's bare "Bad Request"), in Indonesian.
        assert '<html lang="id"' in page
        assert "Traceback" not in page


@pytest.fixture
def world(settings, monkeypatch, tmp_path):
    """One request, one complaint and one survey answer, so lists and case pages have rows;
    the PDF renderer is stubbed (the parameters are what is tested, not WeasyPrint)."""
    settings.PORTAL_STAFF_2FA = False
    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr(pdf, "render_pdf", lambda html, **kwargs: b"%PDF-1.7 stub")
    case = make_request()
    make_complaint()
    standard = case.standard
    SurveyResponse.objects.create(
        agency=standard.agency,
        standard=standard,
        answered_on=case.received_at.date(),
        channel=SurveyChannel.PAPER,
        **{f"u{i}": 3 for i in range(1, 10)},
    )
    return case


# ------------------------------------------------------------------ public pages

PERIOD = ["dari", "sampai"]


def public_pages(case) -> dict[str, list[str]]:
    """Each public GET page and the parameters it reads."""
    standard = ServiceStandard.objects.select_related("agency").get(pk=case.standard_id)
    agency, service = standard.agency.slug, standard.slug
    return {
        "/": [],
        "/instansi/": ["page"],
        f"/instansi/{agency}/": [],
        f"/instansi/{agency}/hari-libur-dan-jam-layanan/": [],
        f"/instansi/{agency}/kinerja/": PERIOD,
        "/kinerja/": [*PERIOD, "halaman"],
        "/layanan/": ["q", "agency", "fee", "time", "halaman"],
        f"/layanan/{agency}/{service}/": [],
        f"/layanan/{agency}/{service}/versi/1/": [],
        f"/layanan/{agency}/{service}/versi/1/perubahan/": [],
        f"/permohonan/{agency}/{service}/": [],
        "/pengaduan/": ["instansi", "layanan"],
        "/lacak/": ["nomor"],
        f"/lacak/{case.number}/": ["kode"],
        f"/lacak/{case.number}/survei/": ["kode"],
        "/sitemap.xml": ["p"],
        "/privasi/": [],
    }


PUBLIC_PATHS = [
    "/",
    "/instansi/",
    "/instansi/<a>/",
    "/instansi/<a>/hari-libur-dan-jam-layanan/",
    "/instansi/<a>/kinerja/",
    "/kinerja/",
    "/layanan/",
    "/layanan/<a>/<s>/",
    "/layanan/<a>/<s>/versi/1/",
    "/layanan/<a>/<s>/versi/1/perubahan/",
    "/permohonan/<a>/<s>/",
    "/pengaduan/",
    "/lacak/",
    "/lacak/<n>/",
    "/lacak/<n>/survei/",
    "/sitemap.xml",
    "/privasi/",
]


@pytest.mark.parametrize("index", range(len(PUBLIC_PATHS)), ids=PUBLIC_PATHS)
def test_no_public_page_answers_5xx_whatever_its_parameters(client, world, index):
    path, known = list(public_pages(world).items())[index]
    for name in known:  # every edge value in every parameter the page reads...
        for value in EDGE_VALUES:
            _check(client.get(_url(path, [(name, value)])))

    @PROPERTY  # ...then hypothesis mixes values and names, the page's own and others
    @given(pairs=_query(known))
    def run(pairs):
        _check(client.get(_url(path, pairs)))

    run()


# Downloads and pages that only answer a POST or an unguessable link: their path parameters
# are routed by type (<int:...>, <slug:...>), and they read no query parameter.
NOT_PAGES = {
    "services:service_pdf",
    "services:version_pdf",
    "services:decree_pdf",
    "services:past_decree_pdf",
    "services:request_receipt",
    "services:request_receipt_pdf",
    "services:track_product",
    "services:track_document",
    "services:staff_document",
    "services:staff_product",
    "complaints:receipt",
    "complaints:receipt_pdf",
    "complaints:track_evidence",
    "complaints:staff_evidence",
    "set_language",
    "healthz",
    "manifest",
    "too_large",
    "staff_dashboard",
}


def _named_routes(resolver=None, namespace=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin" or entry.app_name == "admin":
                continue
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _named_routes(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield namespace + entry.name


def test_every_public_page_of_the_url_conf_is_tried(world):
    """A page added later is either listed above or explicitly not a page."""
    tried = {get_resolver().resolve(path.split("?")[0]).view_name for path in public_pages(world)}
    assert set(_named_routes()) - tried - NOT_PAGES == set()


# ------------------------------------------------------------------ staff pages

ADMIN_VARS = ["p", "o", "e", "q", "all", "_facets", "_popup", "_to_field", "_changelist_filters"]


def _admin_parameters(model_admin, request) -> list[str]:
    """The parameters of an admin list: its filters' lookups, its date hierarchy, Django's own."""
    names = list(ADMIN_VARS)
    for spec in model_admin.get_list_filter(request):
        path = spec[0] if isinstance(spec, tuple) else spec
        if not isinstance(path, str):  # a list's own filter
            names.append(path.parameter_name)
            continue
        # A field's filter, with the lookups Django's filter for that kind of field sends.
        field = get_fields_from_path(model_admin.model, path)[-1]
        lookups = ["exact", "isnull"]
        if field.is_relation:
            lookups.append("id__exact")
        if isinstance(field, models.DateField):
            lookups += ["gte", "lt"]
        names += [f"{path}__{lookup}" for lookup in lookups]
    if model_admin.date_hierarchy:
        names += [f"{model_admin.date_hierarchy}__{part}" for part in ("year", "month", "day")]
    return names


def admin_pages(request) -> dict[str, list[str]]:
    pages = {}
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        names = _admin_parameters(model_admin, request)
        pages[url] = names
        export = f"admin:{opts.app_label}_{opts.model_name}_export"
        if any(p.name == export.split(":")[1] for p in model_admin.get_urls()):
            pages[reverse(export, args=["csv"])] = names
    survey = ["instansi", *PERIOD]
    pages[reverse("admin:services_survey_reports")] = []
    pages[reverse("admin:services_survey_skm_pdf")] = survey
    for fmt in ("pdf", "xlsx"):
        pages[reverse("admin:services_survey_monthly", args=[fmt])] = ["instansi", "bulan"]
    pages[reverse("admin:index")] = []
    return pages


def _staff(kind):
    agency = Agency.objects.get(slug="pasuruan")
    if kind == "superuser":
        return User.objects.create_superuser("akar-uji", "akar@contoh.go.id", "x")
    return (staff_member if kind == "petugas" else official)(agency)


class _Request:
    def __init__(self, user):
        self.user, self.GET = user, {}


QUEUES = ["/admin/services/servicerequest/", "/admin/complaints/complaint/"]
# For the superuser (None): every list of the admin.
OPEN_LISTS = {
    "superuser": None,
    "petugas": QUEUES,
    "pejabat": ["/admin/services/agency/", "/admin/services/servicestandard/"],
}


# The values that broke the admin's lists: dates and years past datetime's range, ids past
# 64 bits, digits int() does not read.
ADMIN_EDGE_VALUES = [
    "",
    "0",
    "-1",
    "9999-12-31",
    "0001-01-01",
    "10000-01-01",
    "2025-13",
    "2025-06-01 10:00:00+07:00",
    "99999999999999999999999",
    "-99999999999999999999999",
    "9223372036854775808",
    "1e400",
    "²",
    "١٢٣٤-٠٦",
    "x" * 5000,
    "a,b",
]


def _kind(model, name):
    """What a parameter filters, as Django's admin resolves it: (field class, lookups), or
    the name itself for the admin's own parameters and the lists' custom filters."""
    parts = name.split("__")
    for cut in range(len(parts), 0, -1):
        try:
            field = get_fields_from_path(model, "__".join(parts[:cut]))[-1]
        except (FieldDoesNotExist, NotRelationField):
            continue
        if parts[-1] == "isnull":  # a yes or no, whatever the field
            return ("isnull",)
        if field.is_relation:
            field = field.target_field
        return type(field).__name__, tuple(parts[cut:])
    return ("parameter", name)


# Only their presence counts (?all, ?_facets); Django reads their value nowhere.
VALUE_BLIND = {"all", "_facets", "_changelist_filters"}


def test_no_admin_list_answers_5xx_for_any_kind_of_filter(client, world):
    """Each kind of filter (a date hierarchy's year, a relation's id, a boolean, a date, the
    admin's page and ordering, ...) is tried once with every edge value, on the first list
    that has it; as the superuser, who sees every list and every filter."""
    user = _staff("superuser")
    client.force_login(user)
    kinds = {}
    # The portal's own queues first: their lists are the ones with custom filters and views.
    registry = sorted(admin.site._registry.items(), key=lambda i: not hasattr(i[1], "statuses"))
    for model, model_admin in registry:
        opts = model._meta
        page = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        for name in _admin_parameters(model_admin, _Request(user)):
            if name not in VALUE_BLIND:
                kinds.setdefault(_kind(model, name), (page, name))
    assert kinds[("BigAutoField", ("exact",))][0] == "/admin/services/servicerequest/"
    assert ("DateField", ("year",)) in kinds and ("DateTimeField", ("lt",)) in kinds
    for page, name in kinds.values():
        for value in ADMIN_EDGE_VALUES:
            _check(client.get(_url(page, [(name, value)])))


def test_no_report_answers_5xx_whatever_its_parameters(client, world):
    user = official(Agency.objects.get(slug="pasuruan"))
    client.force_login(user)
    for page, names in admin_pages(_Request(user)).items():
        if "/laporan/" in page:
            for name in set(names) - {"instansi"}:  # read for a superuser only
                for value in EDGE_VALUES:
                    _check(client.get(_url(page, [(name, value)])))


@pytest.mark.parametrize("kind, examples", [("superuser", 25), ("petugas", 10), ("pejabat", 10)])
def test_no_staff_page_answers_5xx_whatever_its_parameters(client, world, kind, examples):
    user = _staff(kind)
    client.force_login(user)
    pages = admin_pages(_Request(user))
    # The lists are really opened by this user (not a redirect to the login page).
    for page in OPEN_LISTS[kind] or [p for p in pages if p.count("/") == 4]:
        assert client.get(page).status_code == 200, page

    @settings(PROPERTY, max_examples=examples)
    @given(page=st.sampled_from(sorted(pages)), data=st.data())
    def run(page, data):
        _check(client.get(_url(page, data.draw(_query(pages[page])))))

    run()


# ------------------------------------------------------------------ the cases found


def _refused_with(response, message):
    assert response.status_code == 400
    page = response.content.decode()
    assert '<html lang="id"' in page
    assert message in page


@pytest.mark.parametrize(
    "query",
    ["sampai=9999-12-31", "dari=0001-01-01", "dari=1999-12-31", "sampai=2101-01-01"],
)
def test_a_date_outside_the_supported_years_is_refused_on_the_performance_page(
    client, world, query
):
    response = client.get(f"/instansi/pasuruan/kinerja/?{query}")
    _refused_with(response, "Tanggal harus di antara tahun 2000 dan 2100.")
    # The page itself, with this year so far and the form to correct the date.
    assert response.templates[0].name == "services/performance/agency.html"
    assert response.context["period"].start.isoformat() == "2025-01-01"


def test_the_portals_performance_page_refuses_an_unreadable_date(client, world):
    response = client.get("/kinerja/?dari=31-31-2025")
    _refused_with(response, "Tanggal tidak dapat dibaca: tulis sebagai TTTT-BB-HH")
    assert response.templates[0].name == "services/performance/portal.html"


def test_the_last_supported_day_is_a_period(client, world):
    response = client.get("/kinerja/?dari=2100-12-01&sampai=2100-12-31")
    assert response.status_code == 200
    assert response.context["period"].end.isoformat() == "2100-12-31"


@pytest.mark.parametrize(
    "month, message",
    [
        ("9999-12", "Bulan harus di antara tahun 2000 dan 2100."),
        ("2025-13", "Bulan tidak dapat dibaca: tulis sebagai TTTT-BB, mis. 2025-06."),
        ("", "Bulan tidak dapat dibaca"),
        ("١٢٣٤-٠٦", "Bulan tidak dapat dibaca"),
    ],
)
def test_the_monthly_report_refuses_a_month_it_cannot_read(client, world, month, message):
    client.force_login(official(Agency.objects.get(slug="pasuruan")))
    response = client.get(reverse("admin:services_survey_monthly", args=["pdf"]), {"bulan": month})
    _refused_with(response, message)
    assert "“bulan”" in response.content.decode()


def test_the_skm_report_refuses_a_date_it_cannot_read(client, world):
    client.force_login(official(Agency.objects.get(slug="pasuruan")))
    url = reverse("admin:services_survey_skm_pdf")
    _refused_with(client.get(url, {"sampai": "9999-12-31"}), "“sampai”")
    assert client.get(url, {"dari": "2025-06-01", "sampai": "2025-06-30"}).status_code == 200


@pytest.mark.parametrize(
    "page, shown",
    [("-1", "first"), ("0", "first"), ("abc", "first"), ("²", "first"), ("9" * 23, "last")],
)
def test_a_page_number_is_clamped_to_a_page_that_exists(client, world, page, shown):
    agencies = client.get("/instansi/", {"page": page})
    assert agencies.status_code == 200
    paginator = agencies.context["paginator"]
    number = {"first": 1, "last": paginator.num_pages}[shown]
    assert agencies.context["page_obj"].number == number
    assert client.get("/layanan/", {"halaman": page}).status_code == 200
    assert client.get("/kinerja/", {"halaman": page}).status_code == 200


def test_the_message_speaks_english_to_whoever_chose_it(client, world):
    client.cookies["django_language"] = "en"
    client.force_login(official(Agency.objects.get(slug="pasuruan")))
    response = client.get(
        reverse("admin:services_survey_monthly", args=["xlsx"]), {"bulan": "9999-12"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert '<html lang="en"' in page
    assert (
        "The address's “bulan” value: The month must lie between the years 2000 and 2100." in page
    )
