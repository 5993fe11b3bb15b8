"""The SKM report and the monthly performance report from the agency's admin."""

import io
import os
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from complaints import actions as complaint_actions
from services.models import Agency, RequestStatus, SurveyChannel, SurveyFollowUp, SurveyResponse
from services.requests import actions as request_actions
from tests.factories import complaint_officer, make_complaint, make_request, official, staff_member

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")
MON = datetime(2025, 6, 2, 9, 0, tzinfo=WIB)
NOW = datetime(2025, 7, 1, 10, 0, tzinfo=WIB)


def text_of(data: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def data(agency):
    case = make_request(received_at=MON)
    actor = staff_member(case.agency)
    for status in (RequestStatus.VERIFIED, RequestStatus.IN_PROGRESS, RequestStatus.DONE):
        request_actions.request_process(
            request=case,
            actor=actor,
            now=MON + timedelta(hours=2),
            to_status=status,
            note="Lanjut.",
            product_note="Diserahkan." if status == RequestStatus.DONE else "",
        )
    for scores, gender in (((4, 3, 2, 4, 3, 4, 4, 3, 2), "P"), ((3, 3, 2, 4, 3, 3, 4, 3, 3), "")):
        SurveyResponse.objects.create(
            agency=agency,
            answered_on=date(2025, 6, 3),
            channel=SurveyChannel.PAPER,
            gender=gender,
            suggestion="Tambah kursi" if gender else "",
            **{f"u{i}": s for i, s in enumerate(scores, start=1)},
        )
    SurveyFollowUp.objects.create(
        agency=agency, year=2025, element="u3", finding="Lambat", action="Loket tambahan"
    )


@time_machine.travel(NOW, tick=False)
def test_the_skm_report_has_the_index_profile_and_follow_up(client):
    agency = Agency.objects.get(slug="pasuruan")
    data(agency)
    client.force_login(official(agency))
    assert client.get(reverse("admin:services_survey_reports")).status_code == 200
    response = client.get(
        reverse("admin:services_survey_skm_pdf"), {"dari": "2025-06-01", "sampai": "2025-06-30"}
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = text_of(response.content)
    assert "LAPORAN HASIL SURVEI KEPUASAN MASYARAKAT" in text
    # Sums 7,6,4,8,6,7,8,6,5 over 2 respondents: NRR total 28.5, IKM 25*28.5/9 = 79.17 B.
    assert "79,17" in text and "Baik" in text  # Indonesian decimal comma
    assert "Perempuan" in text and "Loket tambahan" in text
    assert "Jumlah responden: 2" in text
    if path := os.environ.get("PORTAL_REPORT_SAMPLE"):  # to look at it: pdftoppm -png
        Path(path).write_bytes(response.content)


@time_machine.travel(NOW, tick=False)
def test_the_monthly_report_as_pdf_and_xlsx(client):
    agency = Agency.objects.get(slug="pasuruan")
    data(agency)
    client.force_login(official(agency))
    url = reverse("admin:services_survey_monthly", kwargs={"fmt": "xlsx"})
    response = client.get(url, {"bulan": "2025-06"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    rows = list(book["Permohonan"].iter_rows(values_only=True))
    total = next(r for r in rows if r[0] == "Jumlah")
    assert total[1:6] == (1, 1, 1, 1, 100.0)
    ikm_rows = list(book["IKM"].iter_rows(values_only=True))
    assert ("IKM", None, 79.17, "B") in ikm_rows
    pdf = client.get(
        reverse("admin:services_survey_monthly", kwargs={"fmt": "pdf"}), {"bulan": "2025-06"}
    )
    assert "LAPORAN KINERJA PELAYANAN" in text_of(pdf.content)
    assert "Juni 2025" in text_of(pdf.content)
    assert client.get(url, {"bulan": "2025-13"}).status_code == 400
    assert (
        client.get(
            reverse("admin:services_survey_monthly", kwargs={"fmt": "csv"}), {"bulan": "2025-06"}
        ).status_code
        == 404
    )


@time_machine.travel(NOW, tick=False)
def test_reports_are_the_users_own_agency_only(client):
    pasuruan = Agency.objects.get(slug="pasuruan")
    data(pasuruan)
    other = official(Agency.objects.get(slug="musi-banyuasin"))
    client.force_login(other)
    # ?instansi= is ignored for anyone but a superuser: the report is of their own agency.
    response = client.get(
        reverse("admin:services_survey_monthly", kwargs={"fmt": "xlsx"}),
        {"bulan": "2025-06", "instansi": "pasuruan"},
    )
    book = load_workbook(io.BytesIO(response.content))
    assert book["Permohonan"]["A1"].value == other.membership.agency.name
    total = next(r for r in book["Permohonan"].iter_rows(values_only=True) if r[0] == "Jumlah")
    assert total[1] == 0
    client.logout()
    assert client.get(reverse("admin:services_survey_reports")).status_code == 302  # to login


@time_machine.travel(NOW, tick=False)
def test_the_monthly_report_counts_complaints_triaged_on_time(client):
    """Two complaints received Mon 2 Jun 09:00 (triage due 13:00, the light tier's 3 working
    hours with the midday break): one classified at 10:00, one a day later."""
    agency = Agency.objects.get(slug="pasuruan")
    officer = complaint_officer(agency)
    for after in (timedelta(hours=1), timedelta(days=1)):
        complaint = make_complaint(agency, received_at=MON)
        complaint_actions.complaint_process(
            complaint=complaint, actor=officer, now=MON + after, tier="normative", note="Triase."
        )
    client.force_login(official(agency))
    response = client.get(
        reverse("admin:services_survey_monthly", kwargs={"fmt": "xlsx"}), {"bulan": "2025-06"}
    )
    rows = list(
        load_workbook(io.BytesIO(response.content))["Pengaduan"].iter_rows(values_only=True)
    )
    assert rows[0][:4] == ("Tingkat", "Diterima", "Ditriase", "Ditriase tepat waktu")
    assert rows[1][1:4] == (2, 2, 1)
    pdf = client.get(
        reverse("admin:services_survey_monthly", kwargs={"fmt": "pdf"}), {"bulan": "2025-06"}
    )
    assert "Ditriase tepat waktu" in text_of(pdf.content)
