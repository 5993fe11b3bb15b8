"""The queue as a spreadsheet (portal.cases.admin.export): the filtered list in local time,
never another agency's cases, never a formula, a confidential identity withheld as on screen."""

import csv
import io
from datetime import datetime

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from services.models import Agency
from tests.factories import complaint_officer, make_complaint, make_request, staff_member

pytestmark = pytest.mark.django_db


def wib(text):
    return datetime.fromisoformat(text + "+07:00")


def read_csv(response):
    text = b"".join(response.streaming_content).decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def test_the_export_is_the_filtered_queue_in_local_time_with_the_zone_named(client, queue):
    client.force_login(queue["staff"])
    url = reverse("admin:services_servicerequest_export", args=["csv"]) + "?tempo=lewat"
    response = client.get(url)
    assert response["Content-Type"].startswith("text/csv")
    rows = read_csv(response)
    assert [row["nomor"] for row in rows] == [queue["late"].number]
    assert rows[0]["jatuh tempo"] == "2025-03-11 16:00 WIB"
    assert rows[0]["zona waktu"] == "Asia/Jakarta (WIB)"
    assert rows[0]["sisa waktu kerja"] == "terlambat 1 hari kerja lebih 2 jam 30 menit"
    everything = read_csv(client.get(reverse("admin:services_servicerequest_export", args=["csv"])))
    assert len(everything) == 4
    xlsx = client.get(
        reverse("admin:services_servicerequest_export", args=["xlsx"]) + "?tempo=jeda"
    )
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = list(sheet.values)
    assert values[0][0] == "nomor" and [r[0] for r in values[1:]] == [queue["returned"].number]


def test_an_export_never_holds_another_agencys_cases_or_takes_foreign_lookups(client, queue):
    outsider = staff_member(Agency.objects.get(slug="musi-banyuasin"))
    client.force_login(outsider)
    rows = read_csv(client.get(reverse("admin:services_servicerequest_export", args=["csv"])))
    assert rows == []
    probe = reverse("admin:services_servicerequest_export", args=["csv"])
    assert client.get(probe + "?applicant_name__startswith=P").status_code == 400
    assert (
        client.get(reverse("admin:services_servicerequest_export", args=["pdf"])).status_code == 404
    )


def test_an_export_cell_is_never_a_formula(client, frozen):
    agency = Agency.objects.get(slug="pasuruan")
    make_request(received_at=wib("2025-03-12T10:00"), applicant_name='=HYPERLINK("http://x")')
    client.force_login(staff_member(agency))
    rows = read_csv(client.get(reverse("admin:services_servicerequest_export", args=["csv"])))
    assert rows[0]["pemohon"] == '\'=HYPERLINK("http://x")'
    xlsx = client.get(reverse("admin:services_servicerequest_export", args=["xlsx"]))
    cell = load_workbook(io.BytesIO(xlsx.content)).active["E2"]
    assert cell.data_type == "s" and cell.value.startswith("'=")


def test_a_confidential_complainant_is_withheld_in_the_export_as_on_screen(client, frozen):
    complaint = make_complaint(confidential=True, received_at=wib("2025-03-12T10:00"))
    url = reverse("admin:complaints_complaint_export", args=["csv"])
    client.force_login(staff_member(complaint.agency))
    row = read_csv(client.get(url))[0]
    assert row["pengadu"] == row["telepon"] == row["email"] == "Dirahasiakan"
    xlsx = client.get(reverse("admin:complaints_complaint_export", args=["xlsx"]))
    assert b"Ahmad" not in xlsx.content
    text = str(list(load_workbook(io.BytesIO(xlsx.content)).active.values))
    assert "Ahmad" not in text and "Dirahasiakan" in text
    client.force_login(complaint_officer(complaint.agency))
    assert read_csv(client.get(url))[0]["pengadu"] == "Ahmad Rahasia"
