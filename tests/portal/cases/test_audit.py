"""portal.cases.audit: every staff look at a case's identity or documents is logged, and the
log can be read, never changed, by those allowed."""

import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from portal.cases import audit
from portal.models import PersonalDataAccess
from services.models import Agency
from tests.factories import (
    PDF,
    UserFactory,
    default_standard,
    head_of_agency,
    make_complaint,
    make_request,
    staff_member,
)

# Cases and pages made "now" read a fixed working morning, never the day the suite runs.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("fixed_clock")]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def request_case():
    requirement = default_standard().requirements.filter(document=True).first()
    return make_request(
        documents={requirement.pk: SimpleUploadedFile("ktp-budi.pdf", PDF)}, nik="3514011505900002"
    )


def _head_of(agency):
    """The agency's head as the portal knows them: staff of the agency allowed to read the log."""
    head = staff_member(agency, username=f"kepala-{agency.slug}")
    head.user_permissions.add(Permission.objects.get(codename="view_personaldataaccess"))
    return head


def test_opening_a_request_page_in_the_admin_is_logged(client, request_case):
    staff = staff_member(request_case.agency)
    client.force_login(staff)
    assert not PersonalDataAccess.objects.exists()
    page = client.get(reverse("admin:services_servicerequest_change", args=[request_case.pk]))
    assert page.status_code == 200
    row = PersonalDataAccess.objects.get()
    assert (row.user, row.case_number, row.case_id) == (staff, request_case.number, request_case.pk)
    assert row.what == PersonalDataAccess.What.CASE_PAGE
    assert row.identity_shown is True  # a request page always names its applicant
    assert row.agency_id == request_case.agency_id
    assert row.case_type.model == "servicerequest"
    assert row.at is not None


def test_opening_a_complaint_page_in_the_admin_is_logged(client):
    complaint = make_complaint()
    staff = staff_member(complaint.agency)
    client.force_login(staff)
    assert (
        client.get(reverse("admin:complaints_complaint_change", args=[complaint.pk])).status_code
        == 200
    )
    row = PersonalDataAccess.objects.get()
    assert (row.user, row.case_number, row.what) == (staff, complaint.number, "case_page")
    assert row.case_type.model == "complaint"
    assert row.identity_shown is True  # not confidential: plain staff see the complainant


def test_opening_a_request_workflow_page_is_logged(client, request_case):
    staff = staff_member(request_case.agency)
    client.force_login(staff)
    page = client.get(reverse("admin:services_servicerequest_workflow", args=[request_case.pk]))
    assert page.status_code == 200 and request_case.applicant_name in page.content.decode()
    row = PersonalDataAccess.objects.get()
    assert (row.user, row.case_id, row.what, row.identity_shown) == (
        staff,
        request_case.pk,
        "workflow",
        True,
    )


def test_many_cases_are_logged_in_one_insert(django_assert_num_queries):
    cases = [make_complaint() for _ in range(3)] + [make_request()]
    user = UserFactory()
    audit.record_accesses(user=user, cases=[], what=audit.LIST, identity=True)  # nothing
    ContentType.objects.get_for_models(*{type(c) for c in cases})  # the cache is warm
    with django_assert_num_queries(1):
        audit.record_accesses(user=user, cases=cases, what=audit.LIST, identity=True)
    rows = PersonalDataAccess.objects.order_by("pk")
    assert [(r.case_type.model, r.case_number, r.what) for r in rows] == [
        (type(c)._meta.model_name, c.number, "list") for c in cases
    ]


def test_an_export_logs_what_left_even_when_it_stops_early():
    cases = [make_complaint() for _ in range(3)]
    user = UserFactory()
    stream = audit.logged(cases, user=user, what=audit.EXPORT, shown=lambda c: c is not cases[1])
    assert next(stream) is cases[0] and next(stream) is cases[1]
    assert not PersonalDataAccess.objects.exists()  # written in batches
    stream.close()
    assert list(PersonalDataAccess.objects.values_list("case_id", flat=True)) == [cases[0].pk]


def test_the_case_list_is_not_a_look_at_one_case(client, request_case):
    client.force_login(staff_member(request_case.agency))
    assert client.get(reverse("admin:services_servicerequest_changelist")).status_code == 200
    assert not PersonalDataAccess.objects.exists()


def test_downloading_a_request_document_is_logged(client, request_case):
    staff = staff_member(request_case.agency)
    client.force_login(staff)
    document = request_case.documents.get()
    response = client.get(reverse("services:staff_document", args=[document.pk]))
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF
    row = PersonalDataAccess.objects.get()
    assert (row.user, row.case_number, row.what) == (staff, request_case.number, "document")
    assert row.detail == f"#{document.pk}"


def test_downloading_a_product_is_logged(client, request_case):
    request_case.product.save("izin.pdf", ContentFile(PDF))
    staff = staff_member(request_case.agency)
    client.force_login(staff)
    response = client.get(reverse("services:staff_product", args=[request_case.pk]))
    assert response.status_code == 200
    row = PersonalDataAccess.objects.get()
    assert (row.case_number, row.what, row.detail) == (request_case.number, "document", "produk")


def test_downloading_complaint_evidence_is_logged(client):
    complaint = make_complaint(evidence=[SimpleUploadedFile("foto.pdf", PDF)])
    staff = staff_member(complaint.agency)
    client.force_login(staff)
    item = complaint.evidence.get()
    assert client.get(reverse("complaints:staff_evidence", args=[item.pk])).status_code == 200
    row = PersonalDataAccess.objects.get()
    assert (row.user, row.case_number, row.what) == (staff, complaint.number, "document")


def test_a_refused_look_is_not_logged_as_a_look(client, request_case):
    other = Agency.objects.exclude(pk=request_case.agency_id).first()
    client.force_login(staff_member(other))
    document = request_case.documents.get()
    assert client.get(reverse("services:staff_document", args=[document.pk])).status_code == 404
    change = client.get(reverse("admin:services_servicerequest_change", args=[request_case.pk]))
    assert change.status_code == 302
    assert not PersonalDataAccess.objects.exists()


def test_the_log_is_append_only(client, request_case):
    client.force_login(staff_member(request_case.agency))
    client.get(reverse("admin:services_servicerequest_change", args=[request_case.pk]))
    row = PersonalDataAccess.objects.get()
    row.detail = "diubah"
    with pytest.raises(TypeError):
        row.save()
    with pytest.raises(TypeError):
        row.delete()
    with pytest.raises(TypeError):
        PersonalDataAccess.objects.update(detail="diubah")
    with pytest.raises(TypeError):
        PersonalDataAccess.objects.all().delete()
    assert PersonalDataAccess.objects.get().detail == ""
    # The model has no add, change or delete permission that anyone could be given.
    codenames = set(
        Permission.objects.filter(content_type__model="personaldataaccess").values_list(
            "codename", flat=True
        )
    )
    assert codenames == {"view_personaldataaccess"}


def test_the_superuser_reads_every_row_and_changes_none(client, request_case):
    complaint = make_complaint()
    looker = staff_member(request_case.agency)
    client.force_login(looker)
    client.get(reverse("admin:services_servicerequest_change", args=[request_case.pk]))
    client.force_login(staff_member(complaint.agency))
    client.get(reverse("admin:complaints_complaint_change", args=[complaint.pk]))

    client.force_login(UserFactory(is_superuser=True))
    listing = client.get(reverse("admin:portal_personaldataaccess_changelist"))
    html = listing.content.decode()
    assert listing.status_code == 200
    assert request_case.number in html and complaint.number in html and looker.username in html
    row = PersonalDataAccess.objects.filter(case_number=request_case.number).get()
    page = client.get(reverse("admin:portal_personaldataaccess_change", args=[row.pk]))
    assert page.status_code == 200 and 'name="_save"' not in page.content.decode()
    posted = client.post(
        reverse("admin:portal_personaldataaccess_change", args=[row.pk]), {"detail": "x"}
    )
    assert posted.status_code == 403
    delete = reverse("admin:portal_personaldataaccess_delete", args=[row.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert client.get(reverse("admin:portal_personaldataaccess_add")).status_code == 403
    assert PersonalDataAccess.objects.count() == 2
    # No probing of the staff accounts' fields through the list's URL.
    probe = reverse("admin:portal_personaldataaccess_changelist") + "?user__password__startswith=p"
    assert client.get(probe).status_code == 400


def test_the_agency_head_reads_their_agency_rows_only(client, request_case):
    complaint = make_complaint()  # another agency
    assert complaint.agency_id != request_case.agency_id
    client.force_login(staff_member(request_case.agency))
    client.get(reverse("admin:services_servicerequest_change", args=[request_case.pk]))
    client.force_login(staff_member(complaint.agency))
    client.get(reverse("admin:complaints_complaint_change", args=[complaint.pk]))

    client.force_login(_head_of(request_case.agency))
    html = client.get(reverse("admin:portal_personaldataaccess_changelist")).content.decode()
    assert request_case.number in html and complaint.number not in html
    other_row = PersonalDataAccess.objects.get(case_number=complaint.number)
    page = client.get(reverse("admin:portal_personaldataaccess_change", args=[other_row.pk]))
    assert page.status_code == 302  # not found for them


def test_plain_staff_cannot_read_the_log(client, request_case):
    client.force_login(staff_member(request_case.agency))
    assert client.get(reverse("admin:portal_personaldataaccess_changelist")).status_code == 403


def test_the_kepala_dinas_role_reads_its_agency_log(client, request_case):
    client.force_login(staff_member(request_case.agency))
    client.get(reverse("admin:services_servicerequest_change", args=[request_case.pk]))
    client.force_login(head_of_agency(request_case.agency))
    listing = client.get(reverse("admin:portal_personaldataaccess_changelist"))
    assert listing.status_code == 200 and request_case.number in listing.content.decode()
