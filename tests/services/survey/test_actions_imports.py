"""`import_skm` imports a file once: the same bytes are refused naming the earlier import, rows
identical to stored answers are refused naming their lines unless allowed with a reason, and an
import is rolled back whole, with `ikm` counting as before it."""

from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from services.models import (
    Agency,
    SurveyChannel,
    SurveyImport,
    SurveyImportAgency,
    SurveyResponse,
)

pytestmark = pytest.mark.django_db

WIB = ZoneInfo("Asia/Jakarta")
NOW = datetime(2025, 6, 2, 10, 0, tzinfo=WIB)
LATER = datetime(2025, 6, 3, 14, 30, tzinfo=WIB)
AGENCY, SERVICE = "pasuruan", "pendataan-potensi-pengembangan-usaha"
HEADER = "agency,service,date,u1,u2,u3,u4,u5,u6,u7,u8,u9,gender,age,education,occupation,suggestion"
ROW_A = f"{AGENCY},{SERVICE},2025-03-03,4,3,2,4,3,4,4,3,2,P,30-39,sma,wirausaha,Antrean lama"
ROW_B = f"{AGENCY},,2025-03-04,3,3,3,3,3,3,3,3,3,,,,,"
ROW_C = f"{AGENCY},{SERVICE},2025-03-05,4,4,4,4,4,4,4,4,4,L,,,,"
TWO_ROWS = f"{HEADER}\n{ROW_A}\n{ROW_B}\n"


def write(tmp_path, text, name="skm.csv"):
    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    return str(path)


def run(*args):
    out, err = StringIO(), StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def refused(*args):
    """The command's error (it exits non-zero) and what it printed to stderr."""
    err = StringIO()
    with pytest.raises(CommandError) as exc:
        call_command(*args, stdout=StringIO(), stderr=err)
    return str(exc.value), err.getvalue()


def ikm_line():
    out, _err = run("ikm", "--agency", AGENCY)
    return out.strip().splitlines()[-1]


def test_the_same_file_twice_is_refused_naming_the_first_import(tmp_path):
    path = write(tmp_path, TWO_ROWS)
    with time_machine.travel(NOW, tick=False):
        out, _err = run("import_skm", path, "--by", "budi")
    assert out.strip().splitlines()[-1] == "2 kuesioner diimpor."
    first = SurveyImport.objects.get()
    assert (first.operator, first.file_name, first.row_count) == ("budi", "skm.csv", 2)
    assert first.imported_at == NOW and not first.allow_duplicates
    assert set(SurveyResponse.objects.values_list("survey_import", flat=True)) == {first.pk}

    # The same bytes under another name, by another operator, the next day.
    copy = write(tmp_path, TWO_ROWS, name="salinan.csv")
    with time_machine.travel(LATER, tick=False):
        message, _err = refused("import_skm", copy, "--by", "sari")
    assert message == (
        f"Berkas ini sudah diimpor pada 2025-06-02 10:00 WIB oleh budi sebagai impor #{first.pk} "
        "(skm.csv, 2 kuesioner); tidak ada yang diimpor. Bila memang harus diimpor lagi, "
        f"batalkan impor #{first.pk} lebih dahulu."
    )
    assert SurveyImport.objects.count() == 1
    assert SurveyResponse.objects.count() == 2
    with time_machine.travel(LATER, tick=False):
        assert ikm_line().endswith("(2 responden)")


@time_machine.travel(NOW, tick=False)
def test_rows_identical_to_stored_answers_are_refused_naming_their_lines(tmp_path):
    run("import_skm", write(tmp_path, TWO_ROWS), "--by", "budi")
    first = SurveyImport.objects.get()
    # An answer entered in the admin, the same as line 4 of the next file.
    SurveyResponse.objects.create(
        agency=Agency.objects.get(slug=AGENCY),
        answered_on=date(2025, 3, 6),
        channel=SurveyChannel.PAPER,
        **{f"u{i}": 2 for i in range(1, 10)},
    )
    entered = f"{AGENCY},,2025-03-06,2,2,2,2,2,2,2,2,2,,,,,"
    # Line 2 differs from ROW_A only by its suggestion: another answer.
    other = ROW_A.replace("Antrean lama", "Antrean panjang")
    text = f"{HEADER}\n{other}\n{ROW_B}\n{entered}\n{ROW_C}\n"
    message, err = refused("import_skm", write(tmp_path, text, name="kedua.csv"))
    assert message == (
        "2 baris sama persis dengan jawaban yang sudah tersimpan; tidak ada yang diimpor. "
        'Bila memang jawaban responden lain, ulangi dengan --allow-duplicates --reason "alasan".'
    )
    assert [line.split(": ", 1)[1] for line in err.strip().splitlines()] == [
        f"baris 3: sama persis dengan jawaban yang sudah tersimpan (impor #{first.pk})",
        "baris 4: sama persis dengan jawaban yang sudah tersimpan "
        "(kuesioner kertas yang dimasukkan di admin)",
    ]
    assert SurveyImport.objects.count() == 1
    assert SurveyResponse.objects.count() == 3
    assert ikm_line().endswith("(3 responden)")


@time_machine.travel(NOW, tick=False)
def test_allowed_duplicates_need_a_reason_which_is_recorded(tmp_path):
    run("import_skm", write(tmp_path, TWO_ROWS), "--by", "budi")
    text = f"{HEADER}\n{ROW_B}\n{ROW_C}\n"
    path = write(tmp_path, text, name="loket-2.csv")
    message, _err = refused("import_skm", path, "--allow-duplicates")
    assert message == '--allow-duplicates wajib disertai --reason "alasan".'
    message, _err = refused("import_skm", path, "--allow-duplicates", "--reason", "   ")
    assert message == '--allow-duplicates wajib disertai --reason "alasan".'
    assert SurveyImport.objects.count() == 1

    reason = "Dua responden berbeda di loket 2 memberi nilai 3 semua pada hari yang sama"
    out, _err = run("import_skm", path, "--by", "sari", "--allow-duplicates", "--reason", reason)
    second = SurveyImport.objects.get(file_name="loket-2.csv")
    assert out.strip().splitlines() == [
        f"Impor #{second.pk}: loket-2.csv oleh sari (batalkan: --rollback {second.pk}).",
        f"1 baris sama dengan jawaban tersimpan, diizinkan: {reason}",
        "2 kuesioner diimpor.",
    ]
    assert (second.allow_duplicates, second.duplicate_count, second.reason) == (True, 1, reason)
    assert second.responses.count() == 2
    assert ikm_line().endswith("(4 responden)")


def test_a_rollback_removes_exactly_that_imports_responses(tmp_path):
    first_file = write(tmp_path, TWO_ROWS, name="pertama.csv")
    with time_machine.travel(NOW, tick=False):
        run("import_skm", first_file, "--by", "budi")
        run("import_skm", write(tmp_path, f"{HEADER}\n{ROW_C}\n", name="kedua.csv"))
        before = ikm_line()
    first = SurveyImport.objects.get(file_name="pertama.csv")
    second = SurveyImport.objects.get(file_name="kedua.csv")
    assert before.endswith("(3 responden)")

    with time_machine.travel(LATER, tick=False):
        message, _err = refused("import_skm", "--rollback", str(first.pk))
        assert message == '--rollback wajib disertai --reason "alasan".'
        message, _err = refused("import_skm", "--rollback", "999", "--reason", "x")
        assert message == "Impor #999 tidak ada."
        out, _err = run(
            "import_skm", "--rollback", str(first.pk), "--by", "sari", "--reason", "Salah bulan"
        )
        assert out.strip() == f"Impor #{first.pk} (pertama.csv) dibatalkan: 2 kuesioner dihapus."
        assert ikm_line() == "IKM 100.00 A (1 responden)"  # only ROW_C: all fours
    assert list(SurveyResponse.objects.values_list("survey_import", flat=True)) == [second.pk]
    first.refresh_from_db()
    assert (first.rolled_back_at, first.rolled_back_by, first.rollback_reason) == (
        LATER,
        "sari",
        "Salah bulan",
    )
    assert first.row_count == 2  # the record stays as it was imported

    with time_machine.travel(LATER, tick=False):
        message, _err = refused("import_skm", "--rollback", str(first.pk), "--reason", "lagi")
        assert message == f"Impor #{first.pk} sudah dibatalkan pada 2025-06-03 14:30 WIB oleh sari."
        # A rolled-back file may be imported again: a new import, the old one kept.
        out, _err = run("import_skm", first_file, "--by", "budi")
        assert out.strip().splitlines()[-1] == "2 kuesioner diimpor."
        assert ikm_line() == before
    assert SurveyImport.objects.filter(digest=first.digest).count() == 2


@time_machine.travel(NOW, tick=False)
def test_a_file_with_errors_records_no_import(tmp_path):
    text = f"{HEADER}\n{ROW_A}\n{AGENCY},,2025-03-04,3,3,3,3,3,3,3,3,9,,,,,\n"
    _message, err = refused("import_skm", write(tmp_path, text))
    assert 'baris 3, kolom u9: nilai harus 1, 2, 3 atau 4; tertulis "9"' in err
    assert SurveyImport.objects.count() == 0 and SurveyResponse.objects.count() == 0


@time_machine.travel(NOW, tick=False)
def test_a_file_stands_imported_once_in_the_database_too(tmp_path):
    run("import_skm", write(tmp_path, TWO_ROWS), "--by", "budi")
    first = SurveyImport.objects.get()
    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyImport.objects.create(
            file_name="x.csv", digest=first.digest, operator="x", imported_at=NOW, row_count=1
        )


@time_machine.travel(NOW, tick=False)
def test_each_agency_keeps_its_count_of_a_shared_file(tmp_path):
    other = "musi-banyuasin"
    text = f"{HEADER}\n{ROW_A}\n{ROW_B}\n{other},,2025-03-04,2,2,2,2,2,2,2,2,2,,,,,\n"
    run("import_skm", write(tmp_path, text), "--by", "budi")
    batch = SurveyImport.objects.get()
    assert sorted(
        SurveyImportAgency.objects.filter(survey_import=batch).values_list(
            "agency__slug", "row_count"
        )
    ) == [(other, 1), (AGENCY, 2)]
