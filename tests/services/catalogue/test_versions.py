"""Versions of a standard (services.catalogue.versions): every published version is a snapshot, the
public page and sheets read the version in force, a request keeps the version it was received
under, and only the head of agency publishes a draft."""

import re
import uuid
from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

import portal.pdf
from services.catalogue.versions import decree_history, in_force, standard_snapshot, version_decree
from services.models import Agency, Decree, ServiceRequest, ServiceStandard, StandardVersion
from services.requests import actions as request_actions
from tests.factories import (
    PDF,
    documents_for,
    head_of_agency,
    make_request,
    official,
    publish,
    staff_member,
)

pytestmark = pytest.mark.django_db

SERVICE = ("pasuruan", "pendataan-potensi-pengembangan-usaha")  # 5 Hari Kerja
MONDAY_9 = "2025-03-03T09:00:00+07:00"  # 5 working days -> Mon 10 Mar 16:00 WIB
TUESDAY_9 = "2025-03-04T09:00:00+07:00"
NEW_TEXT = "Fotokopi KTP seluruh pengurus koperasi (dilegalisir)"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(MONDAY_9, tick=False) as traveller:
        yield traveller


@pytest.fixture
def stub_render(monkeypatch):
    htmls = []

    def stub(html, *, base_url):
        htmls.append(html)
        return b"%PDF-1.7 stub " + str(len(htmls)).encode()

    monkeypatch.setattr(portal.pdf, "render_pdf", stub)
    return htmls


def standard() -> ServiceStandard:
    return ServiceStandard.objects.get(agency__slug=SERVICE[0], slug=SERVICE[1])


def page_url(*parts):
    return "/layanan/" + "/".join([*SERVICE, *parts]) + "/"


def submit(client, std):
    """The citizen's form, every document attached; returns the receipt page's HTML."""
    data = {
        "submission_key": str(uuid.uuid4()),
        "applicant_name": "Siti Aminah",
        "nik": "3514045507880002",
        "phone": "0812-3456-7890",
        "consent": "on",
    }
    for r in std.requirements.filter(document=True):
        data[f"dokumen_{r.pk}"] = SimpleUploadedFile(f"dok{r.pk}.pdf", PDF)
    url = reverse("services:request_create", kwargs={"agency": SERVICE[0], "service": SERVICE[1]})
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return client.get(response["Location"]).content.decode()


def edit_first_requirement(std, text=NEW_TEXT):
    first = std.requirements.order_by("order").first()
    old = first.text
    first.text = text
    first.save()
    return old


def test_every_loaded_standard_starts_with_version_one_from_its_decree():
    versions = StandardVersion.objects.select_related("standard", "decree")
    assert versions.count() == ServiceStandard.objects.count() == 29
    for version in versions:
        assert version.number == version.standard.version == 1
        assert version.source == StandardVersion.Source.DECREE
        assert version.decree_id == version.standard.decree_id
        assert version.valid_from == version.decree.signed_date
        assert version.snapshot == standard_snapshot(version.standard)
    assert make_request(standard()).version == standard().versions.get()


def test_editing_a_requirement_leaves_a_received_request_and_its_receipt_unchanged(client):
    std = standard()
    receipt = submit(client, std)
    case = ServiceRequest.objects.get()
    old = edit_first_requirement(std)  # the official's draft: saved, not published

    assert case.version.number == 1
    assert client.get(reverse("services:request_receipt", args=[case.number])).content.decode() == (
        receipt
    )
    assert old in receipt and NEW_TEXT not in receipt
    track = client.get(reverse("cases:track_detail", args=[case.number])).content.decode()
    assert old in track and NEW_TEXT not in track
    texts = set(case.documents.values_list("requirement_text", flat=True))
    assert old in texts and NEW_TEXT not in texts
    # Not published yet: the public page and a new request still read version 1.
    assert NEW_TEXT not in client.get(page_url()).content.decode()

    publish(std, reason="Persyaratan KTP diperjelas")
    after = client.get(reverse("services:request_receipt", args=[case.number])).content.decode()
    assert old in after and NEW_TEXT not in after  # published later: still what it was promised
    later = make_request(standard(), documents=documents_for(standard()))
    assert later.version.number == 2
    assert NEW_TEXT in set(later.documents.values_list("requirement_text", flat=True))
    assert case.documents.filter(requirement_text=NEW_TEXT).count() == 0
    assert NEW_TEXT in client.get(page_url()).content.decode()


def test_the_receipt_pdf_keeps_the_requirements_of_its_version(client, stub_render):
    std = standard()
    submit(client, std)
    case = ServiceRequest.objects.get()
    old = edit_first_requirement(std)
    publish(std)
    assert (
        client.get(reverse("services:request_receipt_pdf", args=[case.number])).status_code == 200
    )
    (html,) = stub_render
    flat = " ".join(html.split())
    assert old in flat and NEW_TEXT not in flat
    assert "Versi 1, berlaku sejak" in flat


def test_time_limit_is_that_of_the_version_received_under(frozen):
    std = standard()
    case = make_request(std)
    assert timezone.localtime(case.due_at).isoformat() == "2025-03-10T16:00:00+07:00"
    std.timeframe_text = "10 Hari Kerja"
    std.save()
    publish(std)
    # A closure makes every open request's due moment be computed again: from its version.
    std.agency.closures.create(date="2025-03-05", reason="Hari jadi kabupaten")
    request_actions.requests_recompute_deadlines(
        agency=std.agency, actor=None, now=timezone.now(), reason="uji"
    )
    case.refresh_from_db()
    assert timezone.localtime(case.due_at).isoformat() == "2025-03-11T16:00:00+07:00"
    later = make_request(standard())
    assert later.version.snapshot["timeframe"] == "10 Hari Kerja"
    assert timezone.localtime(later.due_at).isoformat() == "2025-03-18T16:00:00+07:00"


def test_a_version_valid_from_a_later_day_takes_over_on_that_day(frozen):
    std = standard()
    std.fee_text = "Rp 10.000"
    std.save()
    publish(std, valid_from=timezone.localdate() + timezone.timedelta(days=1))
    assert make_request(standard()).version.number == 1
    frozen.move_to(TUESDAY_9)
    assert make_request(standard()).version.number == 2


def test_in_force_picks_the_latest_valid_version():
    versions = list(standard().versions.all())
    (v1,) = versions
    assert in_force([], v1.valid_from) is None
    assert in_force(versions, v1.valid_from) == v1
    assert in_force(versions, v1.valid_from - timezone.timedelta(days=1)) == v1  # before any


def test_a_published_version_cannot_be_changed():
    version = standard().versions.get()
    version.reason = "diubah"
    with pytest.raises(ValueError):
        version.save()


def test_publishing_an_unchanged_draft_is_refused():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="tidak ada perubahan"):
        publish(standard())


# --- The admin: drafts, approval, the version list ---------------------------------------


def test_an_official_cannot_publish_the_head_of_agency_can_and_the_list_shows_who(client):
    std = standard()
    pasuruan = Agency.objects.get(slug="pasuruan")
    drafter = official(pasuruan, first_name="Rina", last_name="Pejabat")
    edit_first_requirement(std)
    ServiceStandard.objects.filter(pk=std.pk).update(draft_edited_by=drafter)
    url = reverse("admin:services_servicestandard_publish", args=[std.pk])
    data = {"reason": "Persyaratan KTP diperjelas", "valid_from": "2025-03-03"}

    client.force_login(drafter)
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert NEW_TEXT in html and "Hanya Kepala Dinas" in html and 'name="reason"' not in html
    assert client.post(url, data).status_code == 403
    assert std.versions.count() == 1

    head = head_of_agency(pasuruan, first_name="Hadi", last_name="Kepala")
    client.force_login(head)
    response = client.post(url, data)
    assert response.status_code == 302
    version = std.versions.get(number=2)
    assert (version.created_by, version.approved_by) == (drafter, head)
    assert version.reason == "Persyaratan KTP diperjelas" and version.decree == std.decree
    listing = client.get(reverse("admin:services_standardversion_changelist"))
    assert listing.status_code == 200
    assert head.username in listing.content.decode()  # the approver, by their user name
    change = client.get(reverse("admin:services_servicestandard_change", args=[std.pk]))
    assert head.username in change.content.decode()
    # A published version is read only, even for its approver.
    version_url = reverse("admin:services_standardversion_change", args=[version.pk])
    assert client.post(version_url, {"reason": "diubah"}).status_code == 403
    assert StandardVersion.objects.get(pk=version.pk).reason == "Persyaratan KTP diperjelas"


def test_the_head_of_another_agency_cannot_publish(client):
    std = standard()
    edit_first_requirement(std)
    client.force_login(head_of_agency(Agency.objects.get(slug="palembang")))
    url = reverse("admin:services_servicestandard_publish", args=[std.pk])
    assert client.post(url, {"reason": "x", "valid_from": "2025-03-03"}).status_code == 404
    assert std.versions.count() == 1


def test_staff_see_versions_but_cannot_publish(client):
    std = standard()
    edit_first_requirement(std)
    client.force_login(staff_member(std.agency))
    url = reverse("admin:services_servicestandard_publish", args=[std.pk])
    assert client.post(url, {"reason": "x", "valid_from": "2025-03-03"}).status_code == 403


def test_saving_in_the_admin_keeps_the_draft_off_the_public_page(client):
    """The official's save through the admin form: a draft, marked as such."""
    std = standard()
    user = official(std.agency)
    client.force_login(user)
    url = reverse("admin:services_servicestandard_change", args=[std.pk])
    response = client.get(url)
    form = response.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and v is not False}
    data["fee_text"] = "Rp 25.000 per berkas"
    for inline in response.context["inline_admin_formsets"]:
        fs = inline.formset
        data[f"{fs.prefix}-TOTAL_FORMS"] = fs.total_form_count()
        data[f"{fs.prefix}-INITIAL_FORMS"] = fs.initial_form_count()
        for i, f in enumerate(fs.forms):
            for name in f.fields:
                value = f[name].value()
                if value is not None and value is not False:
                    data[f"{fs.prefix}-{i}-{name}"] = value
    assert client.post(url, data).status_code == 302
    std.refresh_from_db()
    assert std.fee_text == "Rp 25.000 per berkas" and std.draft_edited_by == user
    assert std.version == 1
    assert "Rp 25.000 per berkas" not in client.get(page_url()).content.decode()
    assert "Draf berbeda" in client.get(url).content.decode()


# --- The public page: history, past versions, changes ------------------------------------


def test_public_page_lists_the_history_and_reads_a_past_version(client):
    std = standard()
    old = edit_first_requirement(std)
    publish(std, reason="Persyaratan KTP diperjelas")
    html = client.get(page_url()).content.decode()
    assert "Riwayat perubahan" in html and "Persyaratan KTP diperjelas" in html
    assert page_url("versi", "1") in html and page_url("versi", "2", "perubahan") in html
    past = client.get(page_url("versi", "1")).content.decode()
    assert old in past and NEW_TEXT not in past
    assert "Ini versi lama" in past and "Ajukan permohonan" not in past
    assert client.get(page_url("versi", "3")).status_code == 404


def test_changes_page_shows_removed_and_added_lines_component_by_component(client):
    std = standard()
    old = edit_first_requirement(std)
    publish(std)
    html = client.get(page_url("versi", "2", "perubahan")).content.decode()
    assert re.search(r"<del>.*?" + re.escape(old), html, re.S)
    assert re.search(r"<ins>.*?" + re.escape(NEW_TEXT), html, re.S)
    assert html.count("tidak berubah") == 13  # the thirteen other components
    assert client.get(page_url("versi", "1", "perubahan")).status_code == 200


def test_service_page_queries_do_not_grow_with_versions(client, django_assert_max_num_queries):
    with django_assert_max_num_queries(8) as one:
        client.get(page_url())
    std = standard()
    for i in range(3):
        std.fee_text = f"Rp {i}"
        std.save()
        publish(std)
    with django_assert_max_num_queries(len(one.captured_queries)):
        client.get(page_url() + "?v=3")  # another URL: not the cached page


def test_a_past_versions_sheet_is_printed_from_its_snapshot(client, stub_render):
    std = standard()
    old = edit_first_requirement(std)
    publish(std)
    response = client.get(page_url("versi", "1")[:-1] + ".pdf")
    assert response.status_code == 200
    assert "versi-1.pdf" in response["Content-Disposition"]
    current = client.get(page_url()[:-1] + ".pdf")
    assert current.status_code == 200
    past_html, current_html = (" ".join(h.split()) for h in stub_render)
    assert old in past_html and NEW_TEXT not in past_html and "versi lama" in past_html
    assert NEW_TEXT in current_html
    assert client.get(page_url("versi", "9")[:-1] + ".pdf").status_code == 404


def test_lists_show_the_published_name_time_and_fee_not_the_draft(client):
    std = standard()
    std.timeframe_text = "1 Hari Kerja"
    std.fee_text = "Rp 5.000"
    std.fee_amount = 5000
    std.save()
    for url in ("/instansi/pasuruan/", "/layanan/?q=pendataan"):
        html = client.get(url).content.decode()
        assert "Rp 5.000" not in html and "1 Hari Kerja" not in html, url
    publish(std)
    for url in ("/instansi/pasuruan/", "/layanan/?q=pendataan"):
        html = client.get(url).content.decode()
        assert "Rp 5.000" in html and "1 Hari Kerja" in html, url


def test_the_staff_case_page_names_the_version_and_checks_its_requirements(client):
    std = standard()
    submit(client, std)
    case = ServiceRequest.objects.get()
    old = edit_first_requirement(std)
    publish(std)
    client.force_login(staff_member(std.agency))
    html = client.get(reverse("admin:services_servicerequest_change", args=[case.pk]))
    html = html.content.decode()
    assert "Versi 1, berlaku sejak" in html
    assert page_url("versi", "1") in html
    assert old in html and NEW_TEXT not in html


# --- The decree that set a version ----------------------------------------------------------


def _decree(pk, day, amends=None):
    return Decree(pk=pk, number=f"D{pk}", signed_date=date.fromisoformat(day), amends_id=amends)


@pytest.mark.parametrize(
    ("set_by", "listing", "signed_by"),
    [
        ("2024", "2024", "2024"),  # in force under the decree that set it
        ("amendment", "2024", "amendment"),  # set by an amendment of the listing decree
        ("2024", "2026", "2026"),  # listed again unchanged by the 2026 decree
        ("amendment", "2026", "2026"),  # amended, then listed again by the 2026 decree
        ("2024", None, "2024"),  # a past version: its own decree
        ("amendment", None, "amendment"),
    ],
)
def test_a_version_is_signed_by_the_decree_that_set_it(set_by, listing, signed_by):
    decrees = {
        "2024": _decree(1, "2024-01-31"),
        "amendment": _decree(2, "2026-02-27", amends=1),
        "2026": _decree(3, "2026-06-01"),
    }
    version = StandardVersion(decree=decrees[set_by])
    found = version_decree(version, listing=decrees.get(listing))
    assert found is decrees[signed_by]
    assert version_decree(None, listing=decrees["2024"]) is decrees["2024"]  # none recorded


def test_an_agencys_decrees_are_sorted_into_in_force_amendments_and_earlier():
    first = _decree(1, "2023-01-02")
    second = _decree(2, "2024-01-31")
    amending_first = _decree(3, "2023-06-01", amends=1)
    amendments = [_decree(4, "2026-02-27", amends=2), _decree(5, "2026-05-04", amends=2)]
    history = decree_history([amendments[1], first, amending_first, second, amendments[0]])
    assert history.current is second  # the latest listing services, not the newest amendment
    assert history.amendments == amendments  # oldest first
    assert history.earlier == [amending_first, first]  # newest first
    assert decree_history([]).current is None
