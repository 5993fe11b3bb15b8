import pytest
from django.urls import reverse

from services.models import Agency, ServiceStandard
from tests.factories import official

pytestmark = pytest.mark.django_db


@pytest.fixture
def pasuruan_official(client):
    user = official(Agency.objects.get(slug="pasuruan"))
    client.force_login(user)
    return user


def test_official_lists_only_own_agency_standards(client, pasuruan_official):
    response = client.get(reverse("admin:services_servicestandard_changelist"))
    assert response.status_code == 200
    shown = {s.agency.slug for s in response.context["cl"].result_list}
    assert shown == {"pasuruan"}
    assert response.context["cl"].result_count == 9


def test_official_cannot_open_another_agencys_standard(client, pasuruan_official):
    other = ServiceStandard.objects.get(agency__slug="musi-banyuasin", slug="konsultasi")
    url = reverse("admin:services_servicestandard_change", args=[other.pk])
    response = client.get(url)
    # The admin redirects to its index with "does not exist" for rows outside the queryset.
    assert response.status_code == 302
    assert client.post(url, {"name": "diubah"}).status_code == 302
    other.refresh_from_db()
    assert other.name != "diubah"


def test_official_can_edit_own_standard_and_derived_fields_follow(client, pasuruan_official):
    standard = ServiceStandard.objects.get(agency__slug="pasuruan", slug="konsultasi")
    url = reverse("admin:services_servicestandard_change", args=[standard.pk])
    response = client.get(url)
    assert response.status_code == 200
    form = response.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        {
            "agency": standard.agency_id,
            "decree": standard.decree_id,
            "timeframe_text": "2 (dua) Jam",
        }
    )
    for formset in response.context["inline_admin_formsets"]:
        fs = formset.formset
        prefix = fs.prefix
        data[f"{prefix}-TOTAL_FORMS"] = fs.total_form_count()
        data[f"{prefix}-INITIAL_FORMS"] = fs.initial_form_count()
        data[f"{prefix}-MIN_NUM_FORMS"] = 0
        data[f"{prefix}-MAX_NUM_FORMS"] = 1000
        for i, f in enumerate(fs.forms):
            for name in f.fields:
                value = f[name].value()
                if value is not None and value is not False:
                    data[f"{prefix}-{i}-{name}"] = value
    response = client.post(url, data)
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    standard.refresh_from_db()
    assert standard.timeframe_text == "2 (dua) Jam"
    assert standard.max_working_minutes == 120
    stage = standard.timeframe_stages.get()
    assert (stage.amount, stage.unit) == (2, "working_hour")


def test_unreadable_timeframe_is_refused_in_indonesian(client, pasuruan_official):
    from services.catalogue.admin import ServiceStandardForm

    standard = ServiceStandard.objects.get(agency__slug="pasuruan", slug="konsultasi")
    form = ServiceStandardForm(instance=standard)
    data = {**form.initial, "timeframe_text": "secepatnya"}
    bound = ServiceStandardForm(data=data, instance=standard)
    assert not bound.is_valid()
    assert "Jangka waktu tidak dapat dibaca" in str(bound.errors["timeframe_text"])


def test_official_sees_only_own_agency_and_cannot_add_agencies(client, pasuruan_official):
    response = client.get(reverse("admin:services_agency_changelist"))
    assert [a.slug for a in response.context["cl"].result_list] == ["pasuruan"]
    assert client.get(reverse("admin:services_agency_add")).status_code == 403


def test_staff_without_membership_sees_nothing(client):
    from django.contrib.auth.models import Group

    from services.roles import OFFICIAL
    from tests.factories import UserFactory

    user = UserFactory()
    user.groups.add(Group.objects.get(name=OFFICIAL))
    client.force_login(user)
    response = client.get(reverse("admin:services_servicestandard_changelist"))
    assert response.context["cl"].result_count == 0


def test_regulation_admin_counts_citations(admin_client):
    response = admin_client.get(reverse("admin:services_regulation_changelist") + "?q=25")
    assert response.status_code == 200


def test_official_is_not_offered_other_agencies_in_filters_or_choices(client, pasuruan_official):
    html = client.get(reverse("admin:services_servicestandard_changelist")).content.decode()
    assert "Musi Banyuasin" not in html
    standard = ServiceStandard.objects.get(agency__slug="pasuruan", slug="konsultasi")
    response = client.get(reverse("admin:services_servicestandard_change", args=[standard.pk]))
    agency_choices = response.context["adminform"].form.fields["agency"].queryset
    assert list(agency_choices.values_list("slug", flat=True)) == ["pasuruan"]
