"""Reading "Jangka Waktu" wording: the decrees' real wording and the variants the rules allow."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from portal.worktime import Unit
from services.catalogue.timeframes import Stage, TimeframeError, number_from_words, parse_timeframe

FIXTURES = Path(__file__).parents[3] / "fixtures"

D, H, M, C = Unit.WORKING_DAY, Unit.WORKING_HOUR, Unit.WORKING_MINUTE, Unit.CALENDAR_DAY


# (wording, [(label, amount, unit)], in_words, governing stage index or None)
CASES = [
    # --- the decrees' own wording (fixtures/sources/*.txt) ---
    # Musi Banyuasin / Kalimantan Barat, consultation: 15 working minutes, then open-ended
    ("Administrasi : 15 Menit Konsultasi : sesuai materi konsultasi",
     [("Administrasi", 15, M), ("Konsultasi", None, None)],
     "Administrasi: 15 menit kerja; Konsultasi: sesuai materi konsultasi (tanpa batas waktu)", 0),
    # Kalimantan Barat as converted, with HTML and "materikonsultasi" glued
    ("<p>Administrasi : 15 Menit</p> <p>Konsultasi :Sesuai materikonsultasi</p>",
     [("Administrasi", 15, M), ("Konsultasi", None, None)],
     "Administrasi: 15 menit kerja; Konsultasi: sesuai materikonsultasi (tanpa batas waktu)", 0),
    # two stages: 15 min then 3 working days; the 3 days govern (3 x 450 > 15 min)
    ("Administrasi : 15 Menit Pertimbangan Teknis : 3 Hari",
     [("Administrasi", 15, M), ("Pertimbangan Teknis", 3, D)],
     "Administrasi: 15 menit kerja; Pertimbangan Teknis: 3 hari kerja", 1),
    ("Administrasi : 15 Menit Surat jawaban : 3 hari",
     [("Administrasi", 15, M), ("Surat jawaban", 3, D)],
     "Administrasi: 15 menit kerja; Surat jawaban: 3 hari kerja", 1),
    ("3 hari", [("", 3, D)], "3 hari kerja", 0),  # plain "hari" = working days
    ("4 Hari", [("", 4, D)], "4 hari kerja", 0),
    ("5 Hari Kerja", [("", 5, D)], "5 hari kerja", 0),
    # Pasuruan: range -> the upper bound
    ("1 s/d 5 Hari Kerja", [("", 5, D)], "1 sampai 5 hari kerja", 0),
    # number words in parentheses after the digits are ignored
    ("1 (Satu) Jam", [("", 1, H)], "1 jam kerja", 0),
    ("1 (satu) Hari", [("", 1, D)], "1 hari kerja", 0),
    ("3 (tiga) Hari", [("", 3, D)], "3 hari kerja", 0),
    ("1 jam", [("", 1, H)], "1 jam kerja", 0),
    # Palembang: "±" (converted as LaTeX "\pm") and prose before the duration
    ("Waktu pelayanan informasi ± 1 hari", [("", 1, D)], "1 hari kerja", 0),
    ("Waktu pelayanan informasi \\pm 1 hari", [("", 1, D)], "1 hari kerja", 0),
    ("± 2 hari", [("", 2, D)], "2 hari kerja", 0),
    # complaint tiers (Jangka Waktu Penyelesaian Pengaduan)
    ("Pengaduan ringan, selambat-lambatnya 3 Jam;", [("", 3, H)], "3 jam kerja", 0),
    ("Pengaduan ringan, selambat-lambatnya 3 Jam", [("", 3, H)], "3 jam kerja", 0),
    ("Pengaduan bersifat normatif, selambat-lambatnya 5 hari kerja;", [("", 5, D)],
     "5 hari kerja", 0),
    ("2) Pengaduan bersifat normatif, selambat-lambatnya 5 harikerja;", [("", 5, D)],
     "5 hari kerja", 0),
    ("Pengaduan tidak berkadar pengawasan, selambat-lambatnya 14 Hari Kerja;", [("", 14, D)],
     "14 hari kerja", 0),
    ("Pengaduan berkadar pengawasan dan memerlukan pemeriksaan, selambat-lambatnya 60 hari kerja.",
     [("", 60, D)], "60 hari kerja", 0),
    # --- variants the rules allow ---
    ("14 hari kalender", [("", 14, C)], "14 hari kalender", 0),  # only this is calendar days
    ("7 Hari  Kalender.", [("", 7, C)], "7 hari kalender", 0),
    ("1-5 hari", [("", 5, D)], "1 sampai 5 hari kerja", 0),
    ("1 – 5 hari kerja", [("", 5, D)], "1 sampai 5 hari kerja", 0),
    ("1 sampai 5 hari kerja", [("", 5, D)], "1 sampai 5 hari kerja", 0),
    ("1 sampai dengan 5 Hari", [("", 5, D)], "1 sampai 5 hari kerja", 0),
    ("2 s.d. 3 jam", [("", 3, H)], "2 sampai 3 jam kerja", 0),
    ("satu hari", [("", 1, D)], "1 hari kerja", 0),
    ("tiga hari", [("", 3, D)], "3 hari kerja", 0),
    ("Sepuluh hari kerja", [("", 10, D)], "10 hari kerja", 0),
    ("sebelas hari", [("", 11, D)], "11 hari kerja", 0),
    ("dua belas hari", [("", 12, D)], "12 hari kerja", 0),
    ("dua puluh empat jam", [("", 24, H)], "24 jam kerja", 0),
    ("tiga puluh menit", [("", 30, M)], "30 menit kerja", 0),
    ("empat puluh lima menit", [("", 45, M)], "45 menit kerja", 0),
    ("lima puluh hari kerja", [("", 50, D)], "50 hari kerja", 0),
    ("enam puluh hari kerja", [("", 60, D)], "60 hari kerja", 0),
    ("  5   HARI   KERJA  ", [("", 5, D)], "5 hari kerja", 0),
    ("5 harikerja.", [("", 5, D)], "5 hari kerja", 0),
    ("30 menit kerja", [("", 30, M)], "30 menit kerja", 0),
    ("2 jam kerja", [("", 2, H)], "2 jam kerja", 0),
    ("kurang lebih 2 hari", [("", 2, D)], "2 hari kerja", 0),
    ("+/- 2 hari", [("", 2, D)], "2 hari kerja", 0),
    ("Konsultasi: sesuai materi konsultasi", [("Konsultasi", None, None)],
     "Konsultasi: sesuai materi konsultasi (tanpa batas waktu)", None),
    ("sesuai jadwal kegiatan", [("", None, None)], "sesuai jadwal kegiatan (tanpa batas waktu)",
     None),
    ("Tergantung kelengkapan berkas", [("", None, None)],
     "tergantung kelengkapan berkas (tanpa batas waktu)", None),
    # an open-ended stage before a labelled one: the next label is the trailing capitalised words
    ("Konsultasi : sesuai materi konsultasi Administrasi : 15 Menit",
     [("Konsultasi", None, None), ("Administrasi", 15, M)],
     "Konsultasi: sesuai materi konsultasi (tanpa batas waktu); Administrasi: 15 menit kerja", 1),
    # stages separated by ";", three stages, 2 days govern over 8 hours (900 > 480 minutes)
    ("Verifikasi: 8 jam; Survei: 2 hari; Penerbitan: 30 menit",
     [("Verifikasi", 8, H), ("Survei", 2, D), ("Penerbitan", 30, M)],
     "Verifikasi: 8 jam kerja; Survei: 2 hari kerja; Penerbitan: 30 menit kerja", 1),
    # equal rough length (1 day = 7.5 h = 450 min): the later stage wins
    ("Tahap A: 1 hari Tahap B: 450 menit",
     [("Tahap A", 1, D), ("Tahap B", 450, M)],
     "Tahap A: 1 hari kerja; Tahap B: 450 menit kerja", 1),
]  # fmt: skip


@pytest.mark.parametrize(("wording", "stages", "words", "governing"), CASES)
def test_parse_timeframe(wording, stages, words, governing):
    timeframe = parse_timeframe(wording)
    assert [(s.label, s.amount, s.unit) for s in timeframe.stages] == stages
    assert timeframe.in_words() == words
    assert timeframe.has_deadline is any(amount is not None for _, amount, _ in stages)
    expected = None if governing is None else timeframe.stages[governing]
    assert timeframe.governing_stage() == expected
    for stage in timeframe.stages:
        assert stage.amount != 0  # open-ended is None, never zero


def test_range_keeps_its_lower_bound():
    (stage,) = parse_timeframe("1 s/d 5 Hari Kerja").stages
    assert stage == Stage("", 5, D, "1 s/d 5 Hari Kerja", minimum=1)


def test_stage_wording_is_the_decrees():
    timeframe = parse_timeframe("Administrasi : 15 Menit Pertimbangan Teknis : 3 Hari")
    assert [s.wording for s in timeframe.stages] == ["15 Menit", "3 Hari"]
    assert timeframe.wording == "Administrasi : 15 Menit Pertimbangan Teknis : 3 Hari"


@pytest.mark.parametrize(
    ("words", "value"),
    [("satu", 1), ("sepuluh", 10), ("sebelas", 11), ("dua belas", 12), ("sembilan belas", 19),
     ("dua puluh", 20), ("dua puluh satu", 21), ("tiga puluh", 30), ("enam puluh", 60),
     ("sembilan puluh sembilan", 99), ("seratus dua puluh", 120)],
)  # fmt: skip
def test_number_words(words, value):
    assert number_from_words(words) == value


@pytest.mark.parametrize(
    "wording",
    [
        "",  # empty
        "   ",
        "-",
        "segera",  # no duration, not open-ended
        "Gratis",
        "5",  # no unit
        "3 minggu",  # unit not supported
        "0 hari",  # a zero time limit is not a time limit
        "5 s/d 1 hari",  # reversed range
        "Administrasi : 15 menit : 3 hari",  # a stage without a name
        "Administrasi : 15 menit Konsultasi : segera",  # unreadable stage
        "lima lima hari",  # not a number
    ],
)
def test_unreadable_wording_is_an_error(wording):
    with pytest.raises(TimeframeError):
        parse_timeframe(wording)


def test_error_is_a_value_error():
    assert issubclass(TimeframeError, ValueError)
    with pytest.raises(TimeframeError):
        parse_timeframe(None)  # type: ignore[arg-type]


def test_every_fixture_timeframe_parses():
    files = sorted(FIXTURES.glob("*.yaml"))
    if not files:
        pytest.skip("no decree fixtures yet")
    count = 0
    for path in files:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        for service in data["services"]:
            timeframe = parse_timeframe(service["timeframe"])
            assert timeframe.stages, (path.name, service.get("slug"))
            count += 1
        for tier in (data.get("agency") or {}).get("complaint_tiers") or []:
            assert parse_timeframe(tier["wording"]).has_deadline, (path.name, tier)
    assert count > 0
