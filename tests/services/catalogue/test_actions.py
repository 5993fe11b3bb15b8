import pytest
import yaml
from django.core.management import CommandError, call_command
from django.db.models import Count

from services.models import (
    Agency,
    ComplaintChannel,
    ComponentItem,
    LegalReference,
    ProcedureStep,
    Regulation,
    Requirement,
    ServiceStandard,
    TimeframeStage,
)
from tests.services.sample import sample

pytestmark = pytest.mark.django_db

MODELS = [
    Agency,
    ServiceStandard,
    Requirement,
    ProcedureStep,
    TimeframeStage,
    LegalReference,
    Regulation,
    ComponentItem,
    ComplaintChannel,
]


def counts():
    return {m.__name__: m.objects.count() for m in MODELS}


def write(tmp_path, doc, name="contoh.yaml"):
    path = tmp_path / name
    path.write_text(yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_all_decrees_are_loaded():
    assert Agency.objects.count() == 4
    assert ServiceStandard.objects.count() == 29
    per_agency = dict(Agency.objects.annotate(n=Count("services")).values_list("slug", "n"))
    assert per_agency == {"musi-banyuasin": 9, "palembang": 2, "pasuruan": 9, "kalimantan-barat": 9}


def test_running_twice_changes_nothing():
    before = counts()
    versions = dict(ServiceStandard.objects.values_list("pk", "version"))
    channels = list(
        ComplaintChannel.objects.order_by("pk").values_list("pk", "standard", "order", "value")
    )
    stamps = dict(Agency.objects.values_list("pk", "updated_at"))
    call_command("load_standards", verbosity=0)
    assert counts() == before
    assert dict(ServiceStandard.objects.values_list("pk", "version")) == versions
    assert list(
        ComplaintChannel.objects.order_by("pk").values_list("pk", "standard", "order", "value")
    ) == (channels)
    assert dict(Agency.objects.values_list("pk", "updated_at")) == stamps


def test_changed_agency_channels_touch_the_agency_for_its_printed_sheets(tmp_path):
    call_command("load_standards", str(write(tmp_path, sample())), verbosity=0)
    agency = Agency.objects.get(slug="contoh")
    doc = sample()
    doc["agency"]["channels"][1]["note"] = "dibalas dalam 1 hari kerja"
    call_command("load_standards", str(write(tmp_path, doc)), verbosity=0)
    assert Agency.objects.get(pk=agency.pk).updated_at > agency.updated_at
    assert agency.channels.get(kind="email").note == "dibalas dalam 1 hari kerja"


def test_regulations_are_shared_across_services_and_agencies():
    uu25 = Regulation.objects.get(kind="uu", number="25", year=2009)
    agencies = set(uu25.citations.values_list("standard__agency__slug", flat=True))
    assert len(agencies) >= 3
    assert uu25.citations.count() >= 10


def test_new_file_then_edit_updates_in_place(tmp_path):
    path = write(tmp_path, sample())
    call_command("load_standards", str(path), verbosity=0)
    loaded = counts()
    standard = ServiceStandard.objects.get(agency__slug="contoh", slug="konsultasi")
    requirement_ids = list(standard.requirements.values_list("pk", flat=True))

    doc = sample()
    doc["services"][0]["requirements"][0]["text"] = "Surat Tugas dari pengurus"
    doc["services"][0]["timeframe"] = "3 Hari Kerja"
    call_command("load_standards", str(write(tmp_path, doc)), verbosity=0)

    assert counts() == loaded
    standard.refresh_from_db()
    assert standard.version == 2
    assert list(standard.requirements.values_list("pk", flat=True)) == requirement_ids
    assert standard.requirements.first().text == "Surat Tugas dari pengurus"
    stage = standard.timeframe_stages.get()
    assert (stage.amount, stage.unit) == (3, "working_day")
    # The other service of the file did not change, so it was not rewritten.
    assert ServiceStandard.objects.get(agency__slug="contoh", slug="data").version == 1


def test_removed_items_are_removed_and_a_removed_service_is_withdrawn(tmp_path):
    call_command("load_standards", str(write(tmp_path, sample())), verbosity=0)
    doc = sample()
    doc["services"][0]["requirements"].pop()
    doc["services"].pop()
    call_command("load_standards", str(write(tmp_path, doc)), verbosity=0)
    agency = Agency.objects.get(slug="contoh")
    assert list(agency.services.listed().values_list("slug", flat=True)) == ["konsultasi"]
    assert agency.services.get(slug="konsultasi").requirements.count() == 2
    withdrawn = agency.services.get(slug="data")  # never deleted: its cases keep it
    assert withdrawn.withdrawn_on == doc["decree"]["signed_date"]


def test_broken_file_is_rejected_and_database_unchanged(tmp_path):
    good = write(tmp_path, sample(), "a-good.yaml")
    doc = sample()
    doc["agency"]["slug"] = "rusak"
    doc["agency"]["code"] = "RSK"
    doc["services"][1]["biaya"] = "Gratis"
    del doc["services"][0]["staff_count"]
    bad = write(tmp_path, doc, "b-bad.yaml")
    before = counts()
    with pytest.raises(CommandError) as error:
        call_command("load_standards", str(good), str(bad), verbosity=0)
    message = str(error.value)
    assert "b-bad.yaml: layanan 'data', kolom 'biaya': kolom tidak dikenal" in message
    assert "b-bad.yaml: layanan 'konsultasi', kolom 'staff_count': wajib diisi" in message
    assert "a-good.yaml" not in message
    assert counts() == before
    assert not Agency.objects.filter(slug__in=["contoh", "rusak"]).exists()


def test_unreadable_timeframe_names_the_service(tmp_path):
    doc = sample()
    doc["services"][1]["timeframe"] = "secepatnya"
    with pytest.raises(CommandError, match=r"contoh.yaml: layanan 'data', kolom 'timeframe'"):
        call_command("load_standards", str(write(tmp_path, doc)), verbosity=0)


def test_yaml_syntax_error_names_the_line(tmp_path):
    path = tmp_path / "rusak.yaml"
    path.write_text("agency:\n  slug: [tidak ditutup\n", encoding="utf-8")
    with pytest.raises(CommandError, match=r"rusak.yaml: kolom 'baris \d+': YAML tidak dapat"):
        call_command("load_standards", str(path), verbosity=0)


def test_missing_file(tmp_path):
    with pytest.raises(CommandError, match="berkas tidak ditemukan"):
        call_command("load_standards", str(tmp_path / "tidak-ada.yaml"), verbosity=0)
