import datetime as dt

import pytest

from services.catalogue.fixture_schema import validate_document
from tests.services.sample import sample


def messages(doc):
    return [(p.service, p.field, p.message) for p in validate_document(doc, "contoh.yaml")]


def test_sample_is_valid():
    assert messages(sample()) == []


def test_unknown_key_names_service_and_field():
    doc = sample()
    doc["services"][0]["persyaratan"] = []
    assert ("konsultasi", "persyaratan", "kolom tidak dikenal") in messages(doc)


def test_missing_required_field():
    doc = sample()
    del doc["services"][1]["fee"]
    assert ("data", "fee", "wajib diisi") in messages(doc)


def test_missing_agency_field_has_no_service():
    doc = sample()
    del doc["agency"]["timezone"]
    assert ("", "agency.timezone", "wajib diisi") in messages(doc)


@pytest.mark.parametrize(
    "path, value, expected",
    [
        (("agency", "level"), "desa", "nilai 'desa' tidak dikenal"),
        (("agency", "timezone"), "Europe/Paris", "nilai 'Europe/Paris' tidak dikenal"),
        (("decree", "signed_date"), "16 Mei 2024", "harus berupa tanggal (YYYY-MM-DD)"),
        (("decree", "year"), "2024", "harus berupa bilangan bulat"),
    ],
)
def test_wrong_values(path, value, expected):
    doc = sample()
    doc[path[0]][path[1]] = value
    problems = messages(doc)
    assert any(field == ".".join(path) and expected in msg for _, field, msg in problems), problems


def test_nested_list_paths_are_numbered():
    doc = sample()
    doc["services"][0]["requirements"][1]["conditional"] = "ya"
    doc["services"][0]["legal_basis"][0]["kind"] = "undang"
    problems = messages(doc)
    assert ("konsultasi", "requirements[2].conditional", "harus berupa true/false") in problems
    assert any(f == "legal_basis[1].kind" for _, f, _ in problems)


def test_text_items_accept_strings_and_headed_groups_only():
    doc = sample()
    doc["services"][0]["competence"].append({"judul": "x"})
    doc["services"][0]["facilities"].append("")
    fields = {f for _, f, _ in messages(doc)}
    assert {"competence[3].judul", "competence[3].heading", "facilities[2]"} <= fields


def test_flow_edges_must_point_at_nodes():
    doc = sample()
    doc["services"][0]["procedure"][0]["flow"]["edges"].append({"from": "A", "to": "Z"})
    assert (
        "konsultasi",
        "procedure[1].flow.edges[3].to",
        "kotak 'Z' tidak ada",
    ) in messages(doc)


def test_duplicate_service_slug():
    doc = sample()
    doc["services"][1]["slug"] = "konsultasi"
    assert any(m == "slug layanan ganda dalam berkas ini" for _, _, m in messages(doc))


def test_datetime_is_not_a_date():
    doc = sample()
    doc["decree"]["signed_date"] = dt.datetime(2024, 5, 16, 10, 0)
    assert any(f == "decree.signed_date" for _, f, _ in messages(doc))


def test_service_channels_and_product_document():
    doc = sample()
    doc["services"][0]["product_document"] = True
    doc["services"][0]["channels"] = [
        {"kind": "whatsapp", "value": "0812 3456 7890"},
        {"kind": "lapor", "value": "www.lapor.go.id", "note": "SP4N-LAPOR!"},
    ]
    assert messages(doc) == []
    doc["services"][1]["product_document"] = 1
    doc["services"][1]["channels"] = [
        {"kind": "telepon", "value": "(0271) 1"},
        {"kind": "email", "value": "diskop@contoh.go.id"},  # the agency's own channel
        {"value": "x", "catatan": ""},
    ]
    problems = messages(doc)
    assert ("data", "product_document", "harus berupa true/false") in problems
    assert any(f == "channels[1].kind" and "'telepon' tidak dikenal" in m for _, f, m in problems)
    assert any(f == "channels[2]" and "sama dengan kanal instansi" in m for _, f, m in problems)
    assert ("data", "channels[3].kind", "wajib diisi") in problems
    assert ("data", "channels[3].catatan", "kolom tidak dikenal") in problems


def test_channel_values_must_not_be_empty():
    doc = sample()
    doc["agency"]["channels"].append({"kind": "whatsapp", "value": ""})
    assert ("", "agency.channels[3].value", "isi kanal tidak boleh kosong") in messages(doc)


def test_heading_with_no_items_is_a_sub_heading_left_empty():
    doc = sample()
    doc["services"][0]["complaints"] = [
        {"heading": "Alur Penanganan Pengaduan:", "items": []},
        "Pengaduan melalui loket",
    ]
    assert messages(doc) == []
    doc["services"][0]["complaints"] = [{"heading": " ", "items": ["a", ""]}, {"items": []}]
    problems = messages(doc)
    assert ("konsultasi", "complaints[1].heading", "tidak boleh diawali atau diakhiri spasi") in (
        problems
    )
    assert ("konsultasi", "complaints[1].heading", "subjudul tidak boleh kosong") in problems
    assert (
        "konsultasi",
        "complaints[1].items[2]",
        "butir harus berupa teks yang tidak kosong",
    ) in problems
    assert ("konsultasi", "complaints[2].heading", "wajib diisi") in problems
