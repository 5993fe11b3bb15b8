import hashlib
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from django.utils import translation
from PIL import Image, PngImagePlugin
from pypdf import PdfReader, PdfWriter

from portal.uploads import check_upload, clean_name, megabytes
from tests import images, pdfs
from tests.images import JPEG, PNG
from tests.pdfs import PDF

EXE = b"MZ\x90\x00\x03" + b"\x00" * 64


@pytest.fixture(autouse=True)
def _indonesian():
    """The portal's own language, whatever a view test before left active in this thread."""
    with translation.override("id"):
        yield


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
    upload = SimpleUploadedFile(name, content)
    checked = check_upload(upload)
    assert checked.extension == extension
    stored = upload.read()  # what the caller saves: an image is re-encoded
    assert checked.size == len(stored)
    assert checked.sha256 == hashlib.sha256(stored).hexdigest()


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


def _refusal(name, content) -> ValidationError:
    with pytest.raises(ValidationError) as error:
        check_upload(SimpleUploadedFile(name, content))
    return error.value


PARSE_ACTIVE = "PDF ini berisi JavaScript atau tindakan otomatis."


@pytest.mark.parametrize(
    "content, code, says",
    [
        # Document JavaScript in the names tree.
        (pdfs.pdf_with_javascript(), "pdf_javascript", PARSE_ACTIVE),
        # JavaScript run on opening.
        (pdfs.pdf_with_open_action_javascript(), "pdf_javascript", PARSE_ACTIVE),
        # The same with its names spelled `/J#61vaScript`, `/J#53`: found by the parser.
        (pdfs.pdf_with_open_action_javascript(escaped=True), "pdf_javascript", PARSE_ACTIVE),
        # An annotation's additional actions (/AA).
        (pdfs.pdf_with_annotation_actions(), "pdf_javascript", PARSE_ACTIVE),
        # A program started on opening.
        (pdfs.pdf_with_launch(), "pdf_launch", "menjalankan program"),
        # A script in the first bytes, where a browser sniffs.
        (pdfs.html_polyglot(), "pdf_html", "halaman web (HTML)"),
        # A web page after the end of the document, past the first 2 KB.
        (pdfs.pdf_with_html_after_eof(), "pdf_html", "halaman web (HTML)"),
        # Starts like a PDF, has no cross-reference table, no page.
        (pdfs.NOT_A_PDF, "pdf_unreadable", "tidak dapat dibuka sebagai PDF"),
        # The few bytes the tests used to send as a PDF.
        (b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "pdf_unreadable", "sebagai PDF"),
    ],
)
def test_a_pdf_is_parsed_and_refused_for_what_it_carries(content, code, says):
    error = _refusal("surat.pdf", content)
    assert error.code == code
    assert error.messages[0].startswith("Berkas “surat.pdf” ditolak: ")
    assert says in error.messages[0]


def test_javascript_in_an_object_no_reader_reaches_is_still_refused():
    # Object 4 is referenced by nothing: found by the second look at the file's bytes.
    content = pdfs.assembled(
        [pdfs.CATALOG, pdfs.PAGES, pdfs.PAGE, b"<< /S /JavaScript /JS (app.alert\\(3\\)) >>"]
    )
    assert _refusal("surat.pdf", content).code == "pdf_javascript"


def test_a_pdf_with_a_plain_link_is_accepted_and_stored_as_uploaded():
    content = pdfs.pdf_with_link()
    upload = SimpleUploadedFile("tautan.pdf", content)
    checked = check_upload(upload)
    assert (checked.extension, checked.size) == ("pdf", len(content))
    assert upload.read() == content


def test_javascript_packed_in_a_compressed_object_stream_is_refused():
    # The action is inside a FlateDecode object stream: no byte search sees it, the parser does.
    content = pdfs.in_object_stream(
        [
            b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
            pdfs.PAGES,
            pdfs.PAGE,
            b"<< /S /JavaScript /JS (app.alert\\(4\\)) >>",
        ]
    )
    assert b"JavaScript" not in content
    assert _refusal("surat.pdf", content).code == "pdf_javascript"
    assert check_upload(
        SimpleUploadedFile("ok.pdf", pdfs.in_object_stream([pdfs.CATALOG, pdfs.PAGES, pdfs.PAGE]))
    )


ATTACHED = (
    "Berkas “surat.pdf” ditolak: PDF ini berisi berkas lain yang dilampirkan di dalamnya. "
    "Unggah setiap berkas sendiri, atau simpan ulang sebagai PDF biasa (misalnya dengan “Cetak "
    "ke PDF”)."
)
XFA_FORM = (
    "Berkas “surat.pdf” ditolak: PDF ini berupa formulir XFA, yang tidak dapat diperiksa. "
    "Simpan ulang sebagai PDF biasa (misalnya dengan “Cetak ke PDF”) lalu unggah lagi."
)
SENDS_OR_OPENS = (
    "Berkas “surat.pdf” ditolak: PDF ini berisi tindakan yang mengirim isinya atau membuka "
    "berkas atau alamat lain (hanya tautan web biasa yang diterima). Simpan ulang sebagai PDF "
    "biasa (misalnya dengan “Cetak ke PDF”) lalu unggah lagi."
)
AUTOMATIC = (
    "Berkas “surat.pdf” ditolak: PDF ini berisi JavaScript atau tindakan otomatis. Simpan "
    "ulang sebagai PDF biasa (misalnya dengan “Cetak ke PDF”) lalu unggah lagi."
)


@pytest.mark.parametrize(
    "build",
    [pdfs.pdf_with_embedded_file, pdfs.pdf_with_file_attachment_annotation],
    ids=["names-tree", "annotation"],
)
def test_a_pdf_carrying_another_file_is_refused(build):
    error = _refusal("surat.pdf", build())
    assert (error.code, error.messages[0]) == ("pdf_attachment", ATTACHED)


def test_an_xfa_form_is_refused_even_without_a_script():
    content = pdfs.pdf_with_xfa_form()
    assert b"<script" not in content.lower()
    error = _refusal("surat.pdf", content)
    assert (error.code, error.messages[0]) == ("pdf_xfa", XFA_FORM)


@pytest.mark.parametrize("place", pdfs.PLACES)
@pytest.mark.parametrize("kind", ["/SubmitForm", "/ImportData", "/GoToR", "/GoToE"])
def test_an_action_that_sends_or_opens_another_file_is_refused_wherever_it_is(kind, place):
    error = _refusal("surat.pdf", pdfs.pdf_with_action(pdfs.refused_action(kind), place))
    if place.endswith("_aa"):  # additional actions (/AA) are refused whatever they hold
        assert (error.code, error.messages[0]) == ("pdf_javascript", AUTOMATIC)
    else:
        assert (error.code, error.messages[0]) == ("pdf_action", SENDS_OR_OPENS)


@pytest.mark.parametrize("place", ["open", "link", "next"])
def test_a_launch_action_is_refused_wherever_it_is(place):
    error = _refusal("surat.pdf", pdfs.pdf_with_action(pdfs.refused_action("/Launch"), place))
    assert error.code == "pdf_launch"


@pytest.mark.parametrize(
    "address",
    [
        "file:///C:/Windows/System32/calc.exe",
        "javascript:app.alert(1)",
        "\\\\10.0.0.9\\berbagi",  # a Windows share: opening it sends the reader's credentials
        "smb://10.0.0.9/berbagi",
        "data:text/html,<b>x</b>",
        "www.contoh.id/formulir",  # no scheme: resolved against a base the document may set
    ],
)
def test_a_link_to_anything_but_a_web_or_mail_address_is_refused(address):
    error = _refusal("surat.pdf", pdfs.pdf_with_action(pdfs.link_to(address), "link"))
    assert (error.code, error.messages[0]) == ("pdf_action", SENDS_OR_OPENS)


@pytest.mark.parametrize("place", ["open", "next"])
def test_a_web_address_that_opens_by_itself_is_refused(place):
    # Opened without a click, it would tell a stranger when (and from where) staff read it.
    error = _refusal("surat.pdf", pdfs.pdf_with_action(pdfs.link_to("https://x.contoh.id/"), place))
    assert (error.code, error.messages[0]) == ("pdf_action", SENDS_OR_OPENS)


@pytest.mark.parametrize(
    "name, code",
    [
        (b"/SubmitForm", "pdf_action"),
        (b"/GoToR", "pdf_action"),
        (b"/EmbeddedFiles", "pdf_attachment"),
        (b"/FileAttachment", "pdf_attachment"),
        (b"/XFA", "pdf_xfa"),
    ],
)
def test_a_refused_name_in_an_object_no_reader_reaches_is_still_refused(name, code):
    content = pdfs.assembled([pdfs.CATALOG, pdfs.PAGES, pdfs.PAGE, b"<< %s (x) >>" % name])
    assert _refusal("surat.pdf", content).code == code


@pytest.mark.parametrize(
    "build",
    [pdfs.scanned_pdf, pdfs.pdf_with_links, pdfs.pdf_with_looping_actions],
    ids=["scan", "links", "looping-open-action"],
)
def test_ordinary_pdfs_with_links_bookmarks_and_cycles_are_accepted_as_uploaded(build):
    content = build()
    upload = SimpleUploadedFile("surat.pdf", content)
    assert check_upload(upload).size == len(content)
    assert upload.read() == content


def test_a_photo_loses_its_exif_gps_and_comment_and_is_turned_upright():
    upload = SimpleUploadedFile("rumah.jpg", images.jpeg_with_gps(width=40, height=20))
    checked = check_upload(upload)
    stored = upload.read()
    with Image.open(io.BytesIO(stored)) as photo:
        assert photo.format == "JPEG"
        assert photo.size == (20, 40)  # orientation 6 applied, then dropped with the rest
        assert dict(photo.getexif()) == {}
        assert photo.getexif().get_ifd(images.GPS_IFD) == {}
        assert "exif" not in photo.info and "comment" not in photo.info
    assert b"Melati" not in stored and b"Kamera Ponsel" not in stored
    assert checked.size == len(stored)


def test_a_png_loses_its_text_chunks_and_keeps_its_transparency():
    original = Image.new("P", (4, 4), 1)
    original.putpalette([0, 0, 0, 255, 0, 0] + [0] * 762)
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", "Alamat: Jl. Melati 3")
    out = io.BytesIO()
    original.save(out, format="PNG", pnginfo=info, transparency=0)
    upload = SimpleUploadedFile("cap.png", out.getvalue())
    check_upload(upload)
    stored = upload.read()
    assert b"Melati" not in stored
    with Image.open(io.BytesIO(stored)) as image:
        assert (image.mode, image.info.get("transparency")) == ("P", 0)
        assert "Comment" not in image.info


def test_a_photo_on_disk_is_rewritten_where_the_storage_moves_it_from():
    # Django keeps a large upload in a temporary file and moves that file into the storage.
    upload = TemporaryUploadedFile("besar.jpg", "image/jpeg", 0, None)
    upload.write(images.jpeg_with_gps())
    upload.flush()
    upload.size = upload.tell()
    checked = check_upload(upload)
    with open(upload.temporary_file_path(), "rb") as on_disk:
        stored = on_disk.read()
    upload.close()
    assert len(stored) == checked.size == upload.size
    with Image.open(io.BytesIO(stored)) as photo:
        assert dict(photo.getexif()) == {}


def test_a_file_checked_twice_is_re_encoded_once():
    upload = SimpleUploadedFile("foto.jpg", images.jpeg_with_gps())
    first = check_upload(upload)
    stored = upload.read()
    assert check_upload(upload) is first
    assert upload.read() == stored  # the caller reads it from the start


@pytest.mark.parametrize(
    "width, height",
    [
        (20000, 20000),  # 400 million pixels: Pillow's own bomb error, caught
        (10000, 6000),  # 60 million: above the portal's limit, refused from the header
    ],
)
def test_a_pixel_bomb_is_refused_before_it_is_decoded(width, height):
    error = _refusal("bom.png", images.png_header_only(width, height))
    assert error.code == "image_pixels"
    assert error.messages[0] == (
        "Berkas “bom.png” ditolak: ukuran gambar melebihi batas 50 juta piksel. Perkecil "
        "gambarnya lalu unggah lagi."
    )


def test_an_image_that_does_not_decode_is_refused():
    error = _refusal("foto.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 64)
    assert error.code == "image_unreadable"
    assert error.messages[0].startswith("Berkas “foto.jpg” ditolak: gambar ini tidak dapat")


def test_the_refusal_is_english_in_english():
    with translation.override("en"):
        error = _refusal("surat.pdf", pdfs.pdf_with_launch())
    assert error.messages[0] == (
        "File “surat.pdf” refused: this PDF contains a command to run a program or another "
        "file (Launch)."
    )


def _encrypted(user_password: str) -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(PDF)))
    writer.encrypt(user_password=user_password, owner_password="pemilik", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_pdf_that_opens_without_a_password_is_checked_and_accepted():
    # Restrictions by an owner password only (as on many bank statements): it opens, is read.
    assert check_upload(SimpleUploadedFile("rekening.pdf", _encrypted(""))).extension == "pdf"


def test_a_pdf_that_needs_a_password_is_refused():
    error = _refusal("rahasia.pdf", _encrypted("rahasia"))
    assert (error.code, error.messages[0]) == (
        "pdf_encrypted",
        "Berkas “rahasia.pdf” ditolak: PDF ini dilindungi kata sandi. Unggah salinan yang dapat "
        "dibuka tanpa kata sandi.",
    )


@pytest.mark.parametrize(
    "language, sizes",
    [("id", ["5", "7,5", "92,6", "0,1"]), ("en", ["5", "7.5", "92.6", "0.1"])],
)
def test_sizes_in_megabytes_are_written_as_the_active_language_writes_them(language, sizes):
    mb = 1_048_576
    with translation.override(language):
        assert [megabytes(n) for n in (5 * mb, mb * 15 // 2, int(92.56 * mb), mb // 10)] == sizes


def test_the_too_large_refusal_writes_its_sizes_in_english_on_english_pages(settings):
    settings.PORTAL_UPLOAD_MAX_BYTES = 5 * 1024 * 1024 // 2
    big = SimpleUploadedFile("besar.pdf", PDF + b"0" * (6 * 1024 * 1024))
    with translation.override("en"), pytest.raises(ValidationError) as error:
        check_upload(big)
    assert error.value.messages[0] == "The file besar.pdf is 6.0 MB; the limit is 2.5 MB."


def test_an_attachment_refusal_is_english_in_english():
    with translation.override("en"):
        error = _refusal("surat.pdf", pdfs.pdf_with_embedded_file())
    assert error.messages[0] == (
        "File “surat.pdf” refused: this PDF carries other files attached inside it. Upload each "
        "file on its own, or save it again as a plain PDF (for instance with “Print to PDF”)."
    )
