"""Paper questionnaires in the admin: entered by staff for their own agency only, never edited;
the imports of questionnaire files, each agency's own, rolled back by a superuser; the follow-up
recorded by officials."""

from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from services.models import (
    Agency,
    ServiceStandard,
    SurveyChannel,
    SurveyFollowUp,
    SurveyImport,
    SurveyResponse,
)
from tests.factories import UserFactory, official, staff_member

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
    # Another agency's answer is "not found": back to the admin's home.
    theirs_url = reverse("admin:services_surveyresponse_change", args=[theirs.pk])
    assert client.get(theirs_url)["Location"] == reverse("admin:index")
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


def import_file(tmp_path, name, lines, by="budi"):
    """Import a CSV of paper questionnaires with `import_skm`, as the operator does."""
    header = "agency,service,date,u1,u2,u3,u4,u5,u6,u7,u8,u9"
    path = tmp_path / name
    path.write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    call_command("import_skm", str(path), "--by", by, stdout=StringIO(), stderr=StringIO())
    return SurveyImport.objects.get(file_name=name, rolled_back_at=None)


@time_machine.travel(NOW, tick=False)
def test_staff_see_their_agencys_imports_with_their_own_count(client, tmp_path):
    pasuruan = Agency.objects.get(slug="pasuruan")
    shared = import_file(
        tmp_path,
        "bersama.csv",
        ["pasuruan,,2025-05-02,3,3,3,3,3,3,3,3,3", "musi-banyuasin,,2025-05-02,4,4,4,4,4,4,4,4,4"],
    )
    theirs = import_file(tmp_path, "musi.csv", ["musi-banyuasin,,2025-05-03,2,2,2,2,2,2,2,2,2"])
    client.force_login(staff_member(pasuruan))
    listing = client.get(reverse("admin:services_surveyimport_changelist"))
    assert listing.status_code == 200
    rows = list(listing.context["cl"].queryset)
    assert rows == [shared] and rows[0].shown_rows == 1  # of the file's 2, theirs is 1
    page = listing.content.decode()
    assert "bersama.csv" in page and "musi.csv" not in page
    assert 'value="rollback_selected"' not in page  # rolling back is for a superuser
    detail = client.get(reverse("admin:services_surveyimport_change", args=[shared.pk]))
    assert detail.status_code == 200 and "Musi Banyuasin" not in detail.content.decode()
    other = client.get(reverse("admin:services_surveyimport_change", args=[theirs.pk]))
    assert other.status_code == 302  # "does not exist", like any row of another agency
    assert client.get(reverse("admin:services_surveyimport_add")).status_code == 403
    # A superuser reads every agency's count of the file.
    client.force_login(UserFactory(is_superuser=True))
    detail = client.get(reverse("admin:services_surveyimport_change", args=[shared.pk]))
    assert "Musi Banyuasin: 1" in detail.content.decode()


@time_machine.travel(NOW, tick=False)
def test_a_superuser_rolls_an_import_back_from_the_admin(client, tmp_path):
    keep = import_file(tmp_path, "maret.csv", ["pasuruan,,2025-03-02,4,4,4,4,4,4,4,4,4"])
    wrong = import_file(
        tmp_path,
        "april.csv",
        ["pasuruan,,2025-04-02,1,1,1,1,1,1,1,1,1", "pasuruan,,2025-04-03,2,2,2,2,2,2,2,2,2"],
    )
    root = UserFactory(is_superuser=True, username="akar")
    client.force_login(root)
    listing = client.get(reverse("admin:services_surveyimport_changelist"))
    assert list(listing.context["cl"].queryset) == [wrong, keep]
    url = reverse("admin:services_surveyimport_changelist")
    selected = {"action": "rollback_selected", "_selected_action": [wrong.pk]}
    confirm = client.post(url, selected)
    assert confirm.status_code == 200
    assert confirm.templates[0].name == "admin/services/surveyimport/rollback.html"
    assert SurveyResponse.objects.count() == 3  # nothing yet
    blank = client.post(url, {**selected, "apply": "1", "reason": ""})
    assert blank.status_code == 200 and "reason" in blank.context["form"].errors
    done = client.post(url, {**selected, "apply": "1", "reason": "Berkas bulan yang salah"})
    assert done.status_code == 302
    assert list(SurveyResponse.objects.values_list("survey_import", flat=True)) == [keep.pk]
    wrong.refresh_from_db()
    assert (wrong.rolled_back_at, wrong.rolled_back_by, wrong.rollback_reason) == (
        NOW,
        "akar",
        "Berkas bulan yang salah",
    )
    out = StringIO()
    call_command("ikm", "--agency", "pasuruan", stdout=out)
    assert out.getvalue().strip().splitlines()[-1] == "IKM 100.00 A (1 responden)"
