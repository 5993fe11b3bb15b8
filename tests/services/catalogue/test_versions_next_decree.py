"""Next year's decree: load_standards with a new decree number and date for an agency."""

import datetime as dt
from io import StringIO
from pathlib import Path

import pytest
import time_machine
import yaml
from django.conf import settings
from django.core.management import call_command

import portal.pdf
from services.models import Decree, ServiceRequest, ServiceStandard, StandardVersion
from tests.factories import make_request

pytestmark = pytest.mark.django_db

NEW_NUMBER = "950/12/424.085/2026"
NEW_DATE = dt.date(2026, 1, 5)


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel("2026-02-02T09:00:00+07:00", tick=False) as traveller:
        yield traveller


@pytest.fixture
def stub_render(monkeypatch):
    htmls = []

    def stub(html, *, base_url):
        htmls.append(html)
        return b"%PDF-1.7 stub " + str(len(htmls)).encode()

    monkeypatch.setattr(portal.pdf, "render_pdf", stub)
    return htmls


def next_decree(tmp_path) -> tuple[Path, dict]:
    """Pasuruan's decree as next year's: one service's requirement reworded, the last service
    no longer listed, the rest as they were."""
    doc = yaml.safe_load((Path(settings.BASE_DIR) / "fixtures" / "pasuruan.yaml").read_text())
    doc["decree"]["number"] = NEW_NUMBER
    doc["decree"]["year"] = 2026
    doc["decree"]["signed_date"] = NEW_DATE
    doc["services"][0]["requirements"][0]["text"] = "Surat permohonan bermeterai"
    removed = doc["services"].pop()
    path = tmp_path / "pasuruan-2026.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path, {"changed": doc["services"][0]["slug"], "removed": removed["slug"]}


def state():
    return {
        "versions": sorted(StandardVersion.objects.values_list("standard__slug", "number")),
        "standards": sorted(
            ServiceStandard.objects.values_list("slug", "decree__number", "withdrawn_on")
        ),
    }


def test_a_new_decree_versions_only_changed_services_and_withdraws_a_removed_one(tmp_path):
    path, slugs = next_decree(tmp_path)
    old_decree = Decree.objects.get(agency__slug="pasuruan")
    gone = ServiceStandard.objects.get(agency__slug="pasuruan", slug=slugs["removed"])
    case = make_request(gone)
    before = StandardVersion.objects.count()

    call_command("load_standards", str(path), verbosity=0)

    new_decree = Decree.objects.get(agency__slug="pasuruan", number=NEW_NUMBER)
    assert StandardVersion.objects.count() == before + 1
    changed = ServiceStandard.objects.get(agency__slug="pasuruan", slug=slugs["changed"])
    latest = changed.versions.get(number=2)
    assert (latest.decree, latest.valid_from) == (new_decree, NEW_DATE)
    assert latest.snapshot["requirements"][0]["text"] == "Surat permohonan bermeterai"
    assert changed.versions.get(number=1).decree == old_decree
    listed = ServiceStandard.objects.filter(agency__slug="pasuruan", withdrawn_on__isnull=True)
    assert listed.count() == 8
    for standard in listed.exclude(pk=changed.pk):
        assert standard.decree == new_decree  # listed by the new decree
        assert list(standard.versions.values_list("number", flat=True)) == [1]  # its history
    gone.refresh_from_db()
    assert (gone.withdrawn_on, gone.withdrawn_by) == (NEW_DATE, new_decree)
    assert ServiceRequest.objects.get(pk=case.pk).standard == gone  # old cases keep it

    after = state()
    call_command("load_standards", str(path), verbosity=0)
    assert state() == after  # the same file again changes nothing
    call_command("load_standards", verbosity=0)  # last year's file with the others
    assert state() == after  # an older decree never undoes a newer one


def test_a_withdrawn_service_says_since_when_and_takes_no_requests(client, tmp_path):
    path, slugs = next_decree(tmp_path)
    call_command("load_standards", str(path), verbosity=0)
    url = f"/layanan/pasuruan/{slugs['removed']}/"
    html = " ".join(client.get(url).content.decode().split())
    assert f"dicabut sejak 5 Januari 2026 dengan Keputusan Nomor {NEW_NUMBER}" in html
    assert "Ajukan permohonan" not in html
    assert client.get(f"/permohonan/pasuruan/{slugs['removed']}/").status_code == 404
    agency_page = client.get("/instansi/pasuruan/").content.decode()
    assert url not in agency_page


def test_the_old_decree_and_the_new_one_are_both_printed(client, tmp_path, stub_render):
    path, slugs = next_decree(tmp_path)
    old_decree = Decree.objects.get(agency__slug="pasuruan")
    call_command("load_standards", str(path), verbosity=0)
    current = client.get("/instansi/pasuruan/standar-pelayanan.pdf")
    past = client.get(f"/instansi/pasuruan/keputusan/{old_decree.pk}/standar-pelayanan.pdf")
    assert current.status_code == past.status_code == 200
    assert f"keputusan-{old_decree.pk}" in past["Content-Disposition"]
    current_html, past_html = (" ".join(h.split()) for h in stub_render)
    gone = ServiceStandard.objects.get(slug=slugs["removed"], agency__slug="pasuruan")
    assert NEW_NUMBER in current_html and gone.name not in current_html
    assert "Surat permohonan bermeterai" in current_html
    assert old_decree.number in past_html and gone.name in past_html
    assert "Surat permohonan bermeterai" not in past_html
    other = Decree.objects.get(agency__slug="palembang")
    assert (
        client.get(f"/instansi/pasuruan/keputusan/{other.pk}/standar-pelayanan.pdf").status_code
        == 404
    )


def test_the_command_reports_new_versions_and_withdrawals(tmp_path):
    path, _ = next_decree(tmp_path)
    buffer = StringIO()
    call_command("load_standards", str(path), stdout=buffer)
    assert "versi baru 1, dicabut 1" in buffer.getvalue()
