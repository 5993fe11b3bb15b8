"""Paper questionnaires in the admin: entered by staff for their own agency only, never edited;
the follow-up recorded by officials."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from services.models import Agency, ServiceStandard, SurveyChannel, SurveyFollowUp, SurveyResponse
from tests.factories import official, staff_member

pytestmark = pytest.mark.django_db

NOW = datetime(2025, 6, 2, 10, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
SCORES = {f"u{i}": "3" for i in range(1, 10)}


def paper(agency, **kw):
    return SurveyResponse.objects.create(
        agency=agency,
        answered_on=date(2025, 5, 1),
        channel=SurveyChannel.PAPER,
        **{f"u{i}": 3 for i in range(1, 10)},
        **kw,
    )


@time_machine.travel(NOW, tick=False)
def test_staff_enter_a_paper_questionnaire_for_their_agency(client):
    pasuruan = Agency.objects.get(slug="pasuruan")
    other = Agency.objects.get(slug="musi-banyuasin")
    client.force_login(staff_member(pasuruan))
    standard = ServiceStandard.objects.filter(agency=pasuruan).first()
    form = client.get(reverse("admin:services_surveyresponse_add"))
    assert form.status_code == 200
    assert other.name not in form.content.decode()  # only their own agency to choose
    response = client.post(
        reverse("admin:services_surveyresponse_add"),
        {
            "agency": other.pk,  # a forged choice of another agency is refused
            "standard": standard.pk,
            "answered_on": "2025-05-30",
            **SCORES,
            "gender": "L",
        },
    )
    assert response.status_code == 200 and SurveyResponse.objects.count() == 0
    response = client.post(
        reverse("admin:services_surveyresponse_add"),
        {"agency": pasuruan.pk, "standard": standard.pk, "answered_on": "2025-05-30", **SCORES},
    )
    assert response.status_code == 302
    stored = SurveyResponse.objects.get()
    assert stored.agency == pasuruan and stored.channel == SurveyChannel.PAPER


@time_machine.travel(NOW, tick=False)
def test_a_future_date_and_a_missing_score_are_refused(client):
    pasuruan = Agency.objects.get(slug="pasuruan")
    client.force_login(staff_member(pasuruan))
    scores = {**SCORES}
    del scores["u5"]
    response = client.post(
        reverse("admin:services_surveyresponse_add"),
        {"agency": pasuruan.pk, "answered_on": "2025-06-10", **scores},
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert "answered_on" in errors and "u5" in errors
    assert SurveyResponse.objects.count() == 0


def test_responses_are_scoped_and_never_edited(client):
    pasuruan = Agency.objects.get(slug="pasuruan")
    mine = paper(pasuruan)
    theirs = paper(Agency.objects.get(slug="musi-banyuasin"))
    client.force_login(staff_member(pasuruan))
    listing = client.get(reverse("admin:services_surveyresponse_changelist"))
    assert list(listing.context["cl"].queryset) == [mine]
    assert client.get(
        reverse("admin:services_surveyresponse_change", args=[theirs.pk])
    ).status_code in (302, 404)
    view = client.get(reverse("admin:services_surveyresponse_change", args=[mine.pk]))
    assert view.status_code == 200 and 'name="_save"' not in view.content.decode()
    # No probing the answers through the list's URL.
    probe = client.get(reverse("admin:services_surveyresponse_changelist") + "?u1__gt=2")
    assert probe.status_code == 400


def test_officials_record_the_follow_up(client):
    pasuruan = Agency.objects.get(slug="pasuruan")
    user = official(pasuruan)
    client.force_login(user)
    response = client.post(
        reverse("admin:services_surveyfollowup_add"),
        {
            "agency": pasuruan.pk,
            "year": "2025",
            "element": "u3",
            "finding": "Antrean lama",
            "action": "Membuka loket kedua",
            "status": "rencana",
        },
    )
    assert response.status_code == 302
    item = SurveyFollowUp.objects.get()
    assert item.updated_by == user and item.agency == pasuruan
