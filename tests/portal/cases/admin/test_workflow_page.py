"""The workflow page of a case (portal.cases.admin.workflow_page, `<pk>/proses/`): a step is
applied whole by the kind's action and goes back to the case page; a step the form does not
offer is refused, shown with its error, and changes nothing."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_step_is_applied_whole_and_a_step_not_offered_is_refused(client, queue):
    case, staff = queue["later"], queue["staff"]
    client.force_login(staff)
    url = reverse("admin:services_servicerequest_workflow", args=[case.pk])
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
    assert response["Location"] == reverse("admin:services_servicerequest_change", args=[case.pk])
    case.refresh_from_db()
    assert case.status == "diverifikasi" and case.assignee == staff
    # diverifikasi -> selesai skips processing: the form does not offer it.
    refused = client.post(url, {"to_status": "selesai", "note": "x"})
    assert refused.status_code == 200
    message = "Masukkan pilihan yang valid. selesai bukan salah satu dari pilihan yang tersedia."
    assert refused.context["form"].errors["to_status"] == [message]
    assert message in refused.content.decode()
    case.refresh_from_db()
    assert case.status == "diverifikasi"
    events = case.events.values_list("kind", "actor", "note")
    assert ("status", staff.pk, "Berkas lengkap") in list(events)
    assert not case.events.filter(to_status="selesai").exists()
