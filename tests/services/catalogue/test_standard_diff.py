"""services.catalogue.standard_diff: a version's changes, component by component (pure)."""

import copy

import pytest

from services.catalogue.standard_diff import ADDED, REMOVED, SAME, component_lines, diff_snapshots

BASE = {
    "number": 1,
    "name": "Konsultasi",
    "unit": "Bidang Koperasi",
    "requirements": [
        {"id": 1, "text": "Surat Tugas", "conditional": False, "document": True},
        {"id": 2, "text": "Surat Kuasa", "conditional": True, "document": True},
    ],
    "requirements_note": "",
    "procedure": [{"heading": "", "flow": {}, "steps": [{"text": "Datang", "actor": "Pemohon"}]}],
    "timeframe": "5 Hari Kerja",
    "fee": {"amount": 0, "text": "Gratis"},
    "product_is_document": False,
    "legal_basis": [
        {
            "text": "UU 25/2009",
            "kind": "uu",
            "issuer": "",
            "number": "25",
            "year": 2009,
            "title": "Pelayanan Publik",
        }
    ],
    "staff_count": {"count": 2, "text": "2 orang"},
    "product": [{"heading": "", "text": "Surat keterangan"}],
    "complaints": [],
    "facilities": [{"heading": "Ruang", "text": "Ruang tunggu"}],
    "competence": [],
    "supervision": [],
    "service_guarantee": [],
    "security_guarantee": [],
    "evaluation": [],
}


def changed(**edits):
    snapshot = copy.deepcopy(BASE)
    snapshot.update(edits)
    return snapshot


def by_key(diffs):
    return {d.key: d for d in diffs}


def test_equal_snapshots_change_nothing_and_list_the_fourteen_components():
    diffs = diff_snapshots(BASE, copy.deepcopy(BASE))
    assert len(diffs) == 14 and not any(d.changed for d in diffs)


@pytest.mark.parametrize(
    ("edits", "key", "expected"),
    [
        # One requirement reworded: the old line removed, the new one added, the rest kept.
        (
            {
                "requirements": [
                    BASE["requirements"][0] | {"text": "Surat Tugas asli"},
                    BASE["requirements"][1],
                ]
            },
            "requirements",
            [
                (REMOVED, "1. Surat Tugas"),
                (ADDED, "1. Surat Tugas asli"),
                (SAME, "2. Surat Kuasa (bila berlaku)"),
            ],
        ),
        # The time limit shortened.
        (
            {"timeframe": "3 Hari Kerja"},
            "timeframe",
            [(REMOVED, "5 Hari Kerja"), (ADDED, "3 Hari Kerja")],
        ),
        # A fee introduced: amount and wording on one line.
        (
            {"fee": {"amount": 10000, "text": "Rp 10.000"}},
            "fee",
            [(REMOVED, "Rp0 — Gratis"), (ADDED, "Rp10000 — Rp 10.000")],
        ),
        # A facility added under its heading.
        (
            {"facilities": BASE["facilities"] + [{"heading": "Ruang", "text": "Kursi roda"}]},
            "facilities",
            [(SAME, "Ruang"), (SAME, "• Ruang tunggu"), (ADDED, "• Kursi roda")],
        ),
        # A component emptied.
        ({"product": []}, "product", [(REMOVED, "• Surat keterangan")]),
    ],
)
def test_a_change_shows_in_its_component_only(edits, key, expected):
    diffs = by_key(diff_snapshots(BASE, changed(**edits)))
    assert diffs[key].lines == expected
    assert [k for k, d in diffs.items() if d.changed] == [key]


def test_a_renamed_service_shows_its_name_first():
    diffs = diff_snapshots(BASE, changed(name="Konsultasi Koperasi"))
    assert diffs[0].key == "name" and diffs[0].changed


def test_the_first_version_is_all_added():
    diffs = by_key(diff_snapshots(None, BASE))
    assert diffs["requirements"].lines[0] == (ADDED, "1. Surat Tugas")
    assert "name" not in diffs


def test_lines_show_actors_conditions_and_staff_count():
    lines = component_lines(BASE)
    assert lines["procedure"] == ["1. Datang (Pemohon)"]
    assert lines["staff_count"] == ["2 orang", "2 orang"]
    assert lines["complaints"] == []
