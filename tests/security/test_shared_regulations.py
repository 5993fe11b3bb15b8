"""A regulation is shared by every standard that cites it: an official changes only their own
agency's citations and a regulation only their agency cites; a shared one only a superuser."""

import pytest
from django.contrib.auth.models import User
from django.urls import reverse

from services.models import Agency, Regulation
from tests.factories import official

pytestmark = pytest.mark.django_db


def _cited_only_by(slug: str) -> Regulation:
    for regulation in Regulation.objects.all():
        agencies = set(regulation.citations.values_list("standard__agency__slug", flat=True))
        if agencies == {slug}:
            return regulation
    raise AssertionError(f"no regulation cited by {slug} alone")


def _shared() -> Regulation:
    for regulation in Regulation.objects.all():
        agencies = set(regulation.citations.values_list("standard__agency__slug", flat=True))
        if "pasuruan" in agencies and len(agencies) > 1:
            return regulation
    raise AssertionError("no shared regulation")


def _form(regulation: Regulation, title: str) -> dict:
    return {
        "kind": regulation.kind,
        "issuer": regulation.issuer,
        "number": regulation.number,
        "year": regulation.year or "",
        "title": title,
    }


@pytest.fixture
def pejabat_pasuruan(client):
    client.force_login(official(Agency.objects.get(slug="pasuruan"), username="pejabat-pasuruan"))
    return client


def _change_url(regulation):
    return reverse("admin:services_regulation_change", args=[regulation.pk])


def test_an_official_cannot_retitle_a_regulation_only_another_agency_cites(pejabat_pasuruan):
    regulation = _cited_only_by("musi-banyuasin")
    before = regulation.title
    page = pejabat_pasuruan.get(_change_url(regulation))
    assert page.status_code == 200  # shown, read-only
    assert 'name="title"' not in page.content.decode()
    response = pejabat_pasuruan.post(_change_url(regulation), _form(regulation, "Diganti"))
    assert response.status_code == 403
    regulation.refresh_from_db()
    assert regulation.title == before
    delete = reverse("admin:services_regulation_delete", args=[regulation.pk])
    assert pejabat_pasuruan.post(delete, {"post": "yes"}).status_code == 403
    assert Regulation.objects.filter(pk=regulation.pk).exists()


def test_an_official_cannot_retitle_a_regulation_other_agencies_cite_too(pejabat_pasuruan):
    regulation = _shared()
    before = regulation.title
    response = pejabat_pasuruan.post(_change_url(regulation), _form(regulation, "Diganti"))
    assert response.status_code == 403
    regulation.refresh_from_db()
    assert regulation.title == before


def test_an_official_may_correct_a_regulation_only_their_agency_cites(pejabat_pasuruan):
    regulation = _cited_only_by("pasuruan")
    response = pejabat_pasuruan.post(_change_url(regulation), _form(regulation, "Judul dibetulkan"))
    assert response.status_code == 302
    regulation.refresh_from_db()
    assert regulation.title == "Judul dibetulkan"


def test_a_superuser_changes_a_shared_regulation(client):
    client.force_login(User.objects.create_superuser("super", "s@contoh.go.id", "x"))
    regulation = _shared()
    response = client.post(_change_url(regulation), _form(regulation, "Judul baru"))
    assert response.status_code == 302
    regulation.refresh_from_db()
    assert regulation.title == "Judul baru"


def test_an_official_edits_the_citations_of_their_own_agency_only(pejabat_pasuruan):
    regulation = _cited_only_by("musi-banyuasin")
    citation = regulation.citations.select_related("standard").first()
    other = reverse("admin:services_servicestandard_change", args=[citation.standard.pk])
    assert pejabat_pasuruan.get(other).status_code == 302
    own_citation = _cited_only_by("pasuruan").citations.select_related("standard").first()
    own = reverse("admin:services_servicestandard_change", args=[own_citation.standard.pk])
    page = pejabat_pasuruan.get(own)
    assert page.status_code == 200
    assert 'name="legal_references-0-text"' in page.content.decode()
