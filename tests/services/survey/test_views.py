"""The citizen's satisfaction survey: once per completed case, with the case's own access,
stored apart from who answered."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from complaints import actions as complaint_actions
from complaints.models import ComplaintStatus
from services.models import RequestStatus, SurveyChannel, SurveyResponse
from services.performance import figures as performance
from services.requests import actions as request_actions
from services.survey import actions as survey_actions
from tests.factories import complaint_officer, make_complaint, make_request, staff_member

pytestmark = pytest.mark.django_db

MONDAY = datetime(2025, 6, 2, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
ANSWERS = {f"u{i}": str(score) for i, score in enumerate([4, 3, 4, 4, 3, 4, 4, 3, 4], start=1)}


def complete(case, *, now=MONDAY):
    actor = staff_member(case.agency)
    for status in (RequestStatus.VERIFIED, RequestStatus.IN_PROGRESS, RequestStatus.DONE):
        request_actions.request_process(
            request=case,
            actor=actor,
            now=now,
            to_status=status,
            note=f"Ke {status}.",
            product_note="Diserahkan di loket 1." if status == RequestStatus.DONE else "",
        )
    case.refresh_from_db()
    return case


def open_case(client, case):
    response = client.get(f"/lacak/{case.number}/?kode={case.access_code}")
    assert response.status_code == 302


def survey_url(case):
    return reverse("services:survey", kwargs={"number": case.number})


@time_machine.travel(MONDAY, tick=False)
def test_a_completed_requests_citizen_answers_once(client):
    case = complete(make_request(received_at=MONDAY, email="siti@contoh.id"))
    open_case(client, case)
    page = client.get(reverse("cases:track_detail", kwargs={"number": case.number}))
    assert survey_url(case) in page.content.decode()

    form = client.get(survey_url(case))
    assert form.status_code == 200
    html = form.content.decode()
    assert html.count("<fieldset") == 10  # nine elements and the profile
    assert "Sangat sopan dan ramah" in html and "Dikelola dengan baik" in html

    response = client.post(
        survey_url(case), {**ANSWERS, "gender": "P", "suggestion": "Tambah kursi."}
    )
    assert response.status_code == 302
    stored = SurveyResponse.objects.get()
    assert stored.scores() == (4, 3, 4, 4, 3, 4, 4, 3, 4)
    assert (stored.agency, stored.standard) == (case.agency, case.standard)
    assert stored.channel == SurveyChannel.ONLINE and stored.gender == "P"
    assert stored.answered_on == MONDAY.date()
    case.refresh_from_db()
    assert case.survey_answered_at == MONDAY
    # Nothing in the response points back to the case or the applicant.
    fields = {f.name for f in SurveyResponse._meta.get_fields()}
    assert not fields & {"request", "complaint", "number", "nik", "applicant_name", "email"}

    # A second answer is refused and changes nothing.
    again = client.post(survey_url(case), ANSWERS, follow=True)
    assert "sudah diisi" in again.content.decode()
    assert SurveyResponse.objects.count() == 1
    assert (
        "sudah mengisi survei"
        in client.get(
            reverse("cases:track_detail", kwargs={"number": case.number})
        ).content.decode()
    )


@time_machine.travel(MONDAY, tick=False)
def test_the_agencys_index_changes_with_the_answer(client):
    case = complete(make_request(received_at=MONDAY))
    before = performance.ikm_for(agency_id=case.agency_id)
    assert before.respondents == 0
    open_case(client, case)
    client.post(survey_url(case), {key: "1" for key in ANSWERS})
    after = performance.ikm_for(agency_id=case.agency_id)
    assert after.line() == "IKM 25.00 D (1 responden)"


@time_machine.travel(MONDAY, tick=False)
def test_the_action_refuses_a_second_answer_and_an_open_case():
    case = complete(make_request(received_at=MONDAY))
    answers = {key: int(value) for key, value in ANSWERS.items()}
    survey_actions.survey_submit(case=case, answers=answers, now=MONDAY)
    with pytest.raises(ValidationError) as error:
        survey_actions.survey_submit(case=case, answers=answers, now=MONDAY)
    assert error.value.code == "answered"
    still_open = make_request(received_at=MONDAY)
    with pytest.raises(ValidationError) as error:
        survey_actions.survey_submit(case=still_open, answers=answers, now=MONDAY)
    assert error.value.code == "not_open"
    assert SurveyResponse.objects.count() == 1


@time_machine.travel(MONDAY, tick=False)
def test_a_score_outside_the_scale_is_refused_by_the_action():
    case = complete(make_request(received_at=MONDAY))
    with pytest.raises(ValidationError):
        survey_actions.survey_submit(
            case=case, answers={**{k: 4 for k in ANSWERS}, "u3": 5}, now=MONDAY
        )
    case.refresh_from_db()
    assert case.survey_answered_at is None and SurveyResponse.objects.count() == 0


@time_machine.travel(MONDAY, tick=False)
def test_the_survey_opens_only_with_the_cases_own_access(client):
    case = complete(make_request(received_at=MONDAY))
    other = make_request(received_at=MONDAY)
    assert client.get(survey_url(case)).url == reverse("cases:track")
    open_case(client, other)  # another case's code does not open this one
    assert client.post(survey_url(case), ANSWERS).url == reverse("cases:track")
    assert client.get(reverse("services:survey", kwargs={"number": "TIDAK-ADA"})).status_code == 302
    assert SurveyResponse.objects.count() == 0


@time_machine.travel(MONDAY, tick=False)
def test_not_before_completion(client):
    case = make_request(received_at=MONDAY)
    open_case(client, case)
    response = client.get(survey_url(case), follow=True)
    assert "setelah layanan selesai" in response.content.decode()
    assert (
        survey_url(case)
        not in client.get(
            reverse("cases:track_detail", kwargs={"number": case.number})
        ).content.decode()
    )


@time_machine.travel(MONDAY, tick=False)
def test_a_missing_answer_is_named_and_the_others_kept(client):
    case = complete(make_request(received_at=MONDAY))
    open_case(client, case)
    partial = {key: value for key, value in ANSWERS.items() if key != "u7"}
    response = client.post(survey_url(case), {**partial, "suggestion": "Baik"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="ringkasan-kesalahan"' in html
    assert "Pilih jawaban untuk unsur Perilaku Pelaksana." in html
    assert 'href="#id_u7"' in html and 'id="id_u7"' in html
    assert 'value="4" checked' in html and ">Baik</textarea>" in html
    assert SurveyResponse.objects.count() == 0


@time_machine.travel(MONDAY, tick=False)
def test_a_closed_complaint_is_surveyed_too(client):
    complaint = make_complaint(received_at=MONDAY)
    officer = complaint_officer(complaint.agency)
    complaint_actions.complaint_process(
        complaint=complaint, actor=officer, now=MONDAY, tier="light", note="Ringan."
    )
    complaint_actions.complaint_process(
        complaint=complaint, actor=officer, now=MONDAY, answer="Sudah kami perbaiki."
    )
    complaint_actions.complaint_feedback(complaint=complaint, resolved=True, note="", now=MONDAY)
    complaint.refresh_from_db()
    assert complaint.status == ComplaintStatus.CLOSED
    open_case(client, complaint)
    page = client.get(reverse("cases:track_detail", kwargs={"number": complaint.number}))
    assert survey_url(complaint) in page.content.decode()
    assert client.post(survey_url(complaint), ANSWERS).status_code == 302
    stored = SurveyResponse.objects.get()
    assert stored.agency == complaint.agency and stored.standard is None
    complaint.refresh_from_db()
    assert complaint.survey_answered_at == MONDAY


@time_machine.travel(MONDAY, tick=False)
def test_the_completion_email_invites_to_the_survey(django_capture_on_commit_callbacks):
    case = make_request(received_at=MONDAY, email="siti@contoh.id")
    with django_capture_on_commit_callbacks(execute=True):
        complete(case)
    body = mail.outbox[-1].body
    assert "isi survei kepuasan" in body
    assert f"/lacak/{case.number}/" in body
