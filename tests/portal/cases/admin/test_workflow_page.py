"""The workflow page of a case (portal.cases.admin.workflow_page, `<pk>/proses/`): a step is
applied whole by the kind's action and goes back to the case page; a step the form does not
offer is refused, shown with its error, and changes nothing."""

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from services.models import ServiceStandard
from tests.factories import PDF, make_request, staff_member

pytestmark = pytest.mark.django_db

# Tue 4 Mar 2025 10:00 WIB: an ordinary working morning.
TUESDAY_10 = "2025-03-04T10:00:00+07:00"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(TUESDAY_10, tick=False) as traveller:
        yield traveller


@pytest.fixture
def muba_case():
    """A Musi Banyuasin consultation request with its letter of assignment."""
    std = ServiceStandard.objects.get(agency__slug="musi-banyuasin", slug="konsultasi")
    return make_request(
        std, documents={std.requirements.first().pk: SimpleUploadedFile("tugas.pdf", PDF)}
    )


def test_a_step_is_applied_whole_and_a_step_not_offered_is_refused(client, muba_case):
    staff = staff_member(muba_case.agency)
    client.force_login(staff)
    url = reverse("admin:services_servicerequest_workflow", args=[muba_case.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "to_status": "diverifikasi",
            "note": "Berkas lengkap",
            "public": "on",
            "assignee": staff.pk,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "admin:services_servicerequest_change", args=[muba_case.pk]
    )
    muba_case.refresh_from_db()
    assert muba_case.status == "diverifikasi" and muba_case.assignee == staff
    # diverifikasi -> selesai skips processing: the form does not offer it.
    refused = client.post(url, {"to_status": "selesai", "note": "x"})
    assert refused.status_code == 200
    message = "Masukkan pilihan yang valid. selesai bukan salah satu dari pilihan yang tersedia."
    assert refused.context["form"].errors["to_status"] == [message]
    assert message in refused.content.decode()
    muba_case.refresh_from_db()
    assert muba_case.status == "diverifikasi"
    events = muba_case.events.values_list("kind", "actor", "note")
    assert ("status", staff.pk, "Berkas lengkap") in list(events)
    assert not muba_case.events.filter(to_status="selesai").exists()
