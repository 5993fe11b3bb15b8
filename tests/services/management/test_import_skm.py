"""`import_skm` and `ikm`: paper questionnaires in, the index out, as docs/domain.md sets them."""

from datetime import datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command

from services.models import SurveyChannel, SurveyResponse

pytestmark = pytest.mark.django_db

NOW = datetime(2025, 6, 2, 10, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
AGENCY, SERVICE = "pasuruan", "pendataan-potensi-pengembangan-usaha"
HEADER = "agency,service,date,u1,u2,u3,u4,u5,u6,u7,u8,u9"


def write(tmp_path, text, name="skm.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return str(path)


def run(*args):
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


# The hand-computed example of tests/services/survey/test_ikm.py:
# IKM 2050/27 = 75.925... -> 75.93 C.
EXAMPLE = f"""{HEADER},gender,age,education,occupation,suggestion
{AGENCY},{SERVICE},2025-03-03,4,3,2,4,3,4,4,3,2,P,30-39,sma,wirausaha,Antrean terlalu lama
{AGENCY},{SERVICE},2025-03-04,3,3,2,4,3,3,4,3,3,Laki-laki,,S1,,
{AGENCY},,2025-04-30,3,3,2,4,3,3,3,2,2,,,,,"Ruang tunggu panas, tambah kipas"
"""


@time_machine.travel(NOW, tick=False)
def test_import_then_ikm_gives_the_hand_computed_figures(tmp_path):
    out, err = run("import_skm", write(tmp_path, EXAMPLE), "--by", "budi")
    assert out.strip().splitlines() == [
        "Impor #1: skm.csv oleh budi (batalkan: --rollback 1).",
        "3 kuesioner diimpor.",
    ]
    assert not err
    assert SurveyResponse.objects.filter(channel=SurveyChannel.PAPER).count() == 3
    first = SurveyResponse.objects.get(answered_on="2025-03-03")
    assert (first.gender, first.age, first.education, first.occupation) == (
        "P",
        "30-39",
        "sma",
        "wirausaha",
    )
    assert SurveyResponse.objects.get(answered_on="2025-03-04").gender == "L"  # by its label

    out, _err = run("ikm", "--agency", AGENCY)
    lines = out.strip().splitlines()
    assert lines[-1] == "IKM 75.93 C (3 responden)"
    assert lines[0].startswith("u1 NRR 3.33 83.33 B")  # NRR 10/3
    assert lines[2].startswith("u3 NRR 2.00 50.00 D")

    # One service only: the first two rows. Sums 7,6,4,8,6,7,8,6,5 = 57 -> 25*57/18 = 79.166...
    out, _err = run("ikm", "--agency", AGENCY, "--service", SERVICE)
    assert out.strip().splitlines()[-1] == "IKM 79.17 B (2 responden)"
    # Dates are inclusive, by survey date.
    out, _err = run("ikm", "--agency", AGENCY, "--from", "2025-03-04", "--to", "2025-04-30")
    assert out.strip().splitlines()[-1].endswith("(2 responden)")
    out, _err = run("ikm", "--agency", AGENCY, "--to", "2025-03-03")
    assert out.strip().splitlines()[-1] == "IKM 80.56 B (1 responden)"  # 29 -> 25*29/9
    out, _err = run("ikm", "--agency", "musi-banyuasin")
    assert out.strip() == "IKM - (0 responden)"


@time_machine.travel(NOW, tick=False)
def test_a_score_outside_one_to_four_is_refused_naming_its_line(tmp_path):
    text = (
        f"{HEADER}\n"
        f"{AGENCY},{SERVICE},2025-03-03,4,3,2,4,3,4,4,3,2\n"
        f"{AGENCY},{SERVICE},2025-03-03,4,3,2,5,3,4,4,3,2\n"
        f"{AGENCY},{SERVICE},2025-03-03,4,3,2,4,3,4,4,3,0\n"
    )
    err = StringIO()
    with pytest.raises(CommandError, match="2 kesalahan; tidak ada yang diimpor"):
        call_command("import_skm", write(tmp_path, text), stdout=StringIO(), stderr=err)
    assert 'baris 3, kolom u4: nilai harus 1, 2, 3 atau 4; tertulis "5"' in err.getvalue()
    assert 'baris 4, kolom u9: nilai harus 1, 2, 3 atau 4; tertulis "0"' in err.getvalue()
    assert SurveyResponse.objects.count() == 0


@time_machine.travel(NOW, tick=False)
def test_every_error_names_line_and_column_and_nothing_is_written(tmp_path, capsys):
    text = (
        f"{HEADER},gender\n"
        f"{AGENCY},{SERVICE},2025-03-03,4,3,2,4,3,4,4,3,2,P\n"  # fine
        f"tidak-ada,,2025-03-03,4,3,2,4,3,4,4,3,2,\n"  # line 3: agency
        f"{AGENCY},bukan-layanan,2025-02-30,4,3,2,4,3,4,4,3,2,\n"  # line 4: service, date
        f"{AGENCY},{SERVICE},2025-03-03,4,3,2,4,3,4,4,3,x,Z\n"  # line 5: u9, gender
        f"{AGENCY},{SERVICE},2025-07-01,4,3,2,4,3,4,4,3,2,\n"  # line 6: future date
        f"{AGENCY},{SERVICE},2025-03-03,4,3\n"  # line 7: too few columns
    )
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_skm", write(tmp_path, text), stdout=StringIO(), stderr=err)
    messages = [line.split(": ", 1)[1] for line in err.getvalue().strip().splitlines()]
    assert messages == [
        'baris 3, kolom agency: instansi "tidak-ada" tidak dikenal',
        f'baris 4, kolom service: layanan "bukan-layanan" tidak ada di {AGENCY}',
        'baris 4, kolom date: tanggal harus berbentuk TTTT-BB-HH; tertulis "2025-02-30"',
        'baris 5, kolom u9: nilai harus 1, 2, 3 atau 4; tertulis "x"',
        'baris 5, kolom gender: nilai "Z" tidak dikenal (pilihan: L, P)',
        "baris 6, kolom date: tanggal 2025-07-01 belum lewat",
        "baris 7: jumlah kolom 5, seharusnya 13",
    ]
    assert SurveyResponse.objects.count() == 0


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "baris 1: berkas kosong"),
        (b"agency,date\n", "baris 1: judul kolom harus"),
        (f"{HEADER}\n".encode(), "baris 2: tidak ada baris jawaban"),
        (b"\xff\xfeagency", "baris 1: berkas bukan UTF-8"),
        (
            f"{HEADER}\n{AGENCY},,2025-03-03,4,\x00\n".encode(),
            "baris 2: berkas memuat karakter NUL",
        ),
    ],
)
@time_machine.travel(NOW, tick=False)
def test_a_malformed_file_is_refused_whole(tmp_path, content, message):
    path = tmp_path / "skm.csv"
    path.write_bytes(content)
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_skm", str(path), stdout=StringIO(), stderr=err)
    assert message in err.getvalue()
    assert SurveyResponse.objects.count() == 0


@time_machine.travel(NOW, tick=False)
def test_a_byte_order_mark_and_crlf_lines_are_read(tmp_path):
    text = f"\ufeff{HEADER}\r\n{AGENCY},,2025-03-03,4,4,4,4,4,4,4,4,4\r\n"
    out, _err = run("import_skm", write(tmp_path, text))
    assert out.strip().splitlines()[-1] == "1 kuesioner diimpor."
    out, _err = run("ikm", "--agency", AGENCY)
    assert out.strip().splitlines()[-1] == "IKM 100.00 A (1 responden)"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--agency", "tidak-ada"), "Instansi 'tidak-ada' tidak dikenal"),
        (("--agency", AGENCY, "--service", "x"), "Layanan 'x' tidak ada"),
        (("--agency", AGENCY, "--from", "kemarin"), "--from 'kemarin' bukan tanggal ISO"),
        (("--agency", AGENCY, "--from", "2025-02-01", "--to", "2025-01-01"), "sesudah"),
    ],
)
def test_ikm_refuses_bad_arguments_clearly(args, message):
    with pytest.raises(CommandError, match=message):
        run("ikm", *args)
