import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from portal.uploads import check_upload, clean_name

PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64
EXE = b"MZ\x90\x00\x03" + b"\x00" * 64


@pytest.mark.parametrize(
    "name, content, extension",
    [
        ("surat.pdf", PDF, "pdf"),
        ("foto.PNG", PNG, "png"),
        ("ktp.jpeg", JPEG, "jpg"),
        # The content decides, not the name: a PNG named .pdf is stored as the PNG it is.
        ("salah-nama.pdf", PNG, "png"),
    ],
)
def test_accepts_by_content(name, content, extension):
    checked = check_upload(SimpleUploadedFile(name, content))
    assert checked.extension == extension
    assert checked.size == len(content)
    assert len(checked.sha256) == 64


def test_exe_renamed_pdf_is_refused():
    with pytest.raises(ValidationError) as error:
        check_upload(SimpleUploadedFile("program.pdf", EXE, content_type="application/pdf"))
    assert "bukan PDF, JPEG atau PNG" in error.value.messages[0]


def test_too_large_is_refused_with_sizes(settings):
    settings.PORTAL_UPLOAD_MAX_BYTES = 5 * 1024 * 1024
    big = SimpleUploadedFile("besar.pdf", PDF + b"0" * (6 * 1024 * 1024))
    with pytest.raises(ValidationError) as error:
        check_upload(big)
    assert error.value.messages[0] == "Berkas besar.pdf berukuran 6,0 MB; batasnya 5 MB."


def test_empty_is_refused():
    with pytest.raises(ValidationError, match="kosong"):
        check_upload(SimpleUploadedFile("kosong.pdf", b""))


@pytest.mark.parametrize(
    "raw, clean",
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\x\\ktp.pdf", "ktp.pdf"),
        ("a\x00b.pdf", "ab.pdf"),
        ("..", "berkas"),
        ("x" * 300 + ".pdf", "x" * 120),
    ],
)
def test_clean_name_drops_paths_and_control_characters(raw, clean):
    assert clean_name(raw) == clean
