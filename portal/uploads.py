"""Checking and storing citizens' uploads (requests' documents, complaints' evidence, staff's
product files).

A file is accepted only when its *content* is one of the allowed types (PDF, JPEG, PNG: the
first bytes pick the type, the name and the browser's claimed type are not trusted), it is not
empty, not larger than the configured limit, and it is *parsed* as that type, not only sniffed:
- a PDF must open with pypdf and have at least one page; one that carries JavaScript (a /JS or
  /JavaScript entry anywhere, an action of type JavaScript), automatic actions (/AA), a /Launch
  action or an XFA form with scripts is refused, and so is one that is also a web page (an HTML
  tag in its first 2 KB, or anywhere outside its streams). A password-protected PDF that does
  not open without the password is refused: it cannot be checked, nor read by staff. A PDF is
  stored as uploaded.
- an image (JPEG, PNG) must decode with Pillow within MAX_IMAGE_PIXELS (a decompression bomb is
  refused before it is decoded) and is stored re-encoded: orientation applied, nothing kept
  of its metadata (EXIF with GPS positions, XMP, comments, text chunks) but its colour profile
  and transparency, and none of the bytes that came after the picture.
`check_upload` rewrites the upload it was given in place (the same object, then saved by the
caller, holds the re-encoded bytes) and remembers its result on it, so a form that checked a
file and the action that stores it re-encode it once. Every refusal is a ValidationError in
Indonesian naming the file, which the forms show on the file's field.

Accepted files are stored outside `static/` under a random name, so a name chosen by the
uploader never becomes a path; the original name is kept, cleaned, for display only.

The largest legal submission is the form with the most upload fields (each app registers how
many its largest form has: `register_upload_count`) with every file at the limit, plus
Django's limit on the rest of the form (DATA_UPLOAD_MAX_MEMORY_SIZE) and the multipart headers
of each file. A body above it is refused before it is read (portal.middleware); while a body is
read, a file that grows past the limit stops being stored (`LimitedUploadHandler`), so a 50 MB
file is never written to disk to be refused afterwards.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import secrets
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.utils.deconstruct import deconstructible
from django.utils.formats import get_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageOps
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

from portal.caching import catalogue_version

logger = logging.getLogger(__name__)

SIGNATURES: dict[str, tuple[bytes, str]] = {
    "pdf": (b"%PDF-", "application/pdf"),
    "jpg": (b"\xff\xd8\xff", "image/jpeg"),
    "png": (b"\x89PNG\r\n\x1a\n", "image/png"),
}
TYPE_NAMES = "PDF, JPEG atau PNG"


@dataclass(frozen=True)
class CheckedFile:
    extension: str
    content_type: str
    size: int
    sha256: str
    original_name: str


def max_upload_bytes() -> int:
    return settings.PORTAL_UPLOAD_MAX_BYTES


ACCEPT = ".pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png"


def upload_attrs() -> dict:
    """A file input's attributes for static/js/upload-check.js, which refuses a file over the
    limit or of another type in the browser before it is sent (the server still checks)."""
    limit = max_upload_bytes()
    return {
        "accept": ACCEPT,
        "data-max-bytes": str(limit),
        "data-too-large": _("Berkas {name} berukuran {size} MB; batasnya %(limit)s MB.")
        % {"limit": decimal(f"{limit / 1_048_576:g}")},
        "data-bad-type": _("Berkas {name} bukan %(types)s.") % {"types": _("PDF, JPEG atau PNG")},
    }


# A file part's own headers (boundary, Content-Disposition with field and file name of up to a
# few hundred characters, Content-Type): generously above what a browser sends.
PART_OVERHEAD = 1024

_upload_counts: list[Callable[[], int]] = []
_count_seen: tuple[int, int] | None = None  # (catalogue version, count)


def register_upload_count(count: Callable[[], int]) -> None:
    """Register how many files the largest form of an app takes (read per catalogue version)."""
    global _count_seen
    _upload_counts.append(count)
    _count_seen = None


def most_files_per_submission() -> int:
    """The most files one legal submission carries (at least 1: the staff's product upload)."""
    global _count_seen
    version = catalogue_version()
    if _count_seen is None or _count_seen[0] != version:
        _count_seen = (version, max([1, *(count() for count in _upload_counts)]))
    return _count_seen[1]


def max_submission_bytes() -> int:
    """The size of the largest legal request body: every upload field at the limit."""
    files = most_files_per_submission()
    return files * (max_upload_bytes() + PART_OVERHEAD) + settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def smallest_limit() -> int:
    """max_submission_bytes() is never below this (every form may carry one file)."""
    return max_upload_bytes() + PART_OVERHEAD + settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def megabytes(size: int) -> str:
    """A size in MB, to a tenth, as the active language writes it: "5", "92,6" in Indonesian,
    "92.6" in English."""
    return decimal(f"{size / 1_048_576:.1f}".removesuffix(".0"))


def decimal(number: str) -> str:
    """A number written with a point ("7.5") as the active language writes it ("7,5")."""
    return number.replace(".", get_format("DECIMAL_SEPARATOR"))


class OversizedUpload(UploadedFile):
    """A file that grew past the limit while it was read: its size, none of its bytes."""

    def __init__(self, name, content_type, size, charset=None):
        super().__init__(io.BytesIO(b""), name, content_type, size, charset)


class LimitedUploadHandler(FileUploadHandler):
    """First of FILE_UPLOAD_HANDLERS: counts each file's bytes; past the limit the rest of the
    file is read from the client but no longer stored, and the form gets an OversizedUpload
    that check_upload refuses by its size."""

    def new_file(self, *args, **kwargs):
        super().new_file(*args, **kwargs)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > max_upload_bytes():
            return None  # the next handlers (memory, temporary file) get nothing more
        return raw_data

    def file_complete(self, file_size):
        if self.received > max_upload_bytes():
            return OversizedUpload(self.file_name, self.content_type, self.received, self.charset)
        return None


def clean_name(name: str) -> str:
    """A display name with no path, no control characters, at most 120 characters."""
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = unicodedata.normalize("NFKC", name)
    name = re.sub(r"[\x00-\x1f\x7f]", "", name).strip(" .")
    return (name or "berkas")[:120]


def sniff(head: bytes) -> str | None:
    for extension, (magic, _type) in SIGNATURES.items():
        if head.startswith(magic):
            return extension
    return None


CHECKED_ATTRIBUTE = "_portal_checked"  # the CheckedFile of an upload already checked


def check_upload(upload) -> CheckedFile:
    """Validate an UploadedFile by parsing it; raise ValidationError with a message in
    Indonesian. An image is re-encoded without its metadata and the upload rewritten in place;
    the result is remembered on the upload, so checking it again costs nothing."""
    remembered = getattr(upload, CHECKED_ATTRIBUTE, None)
    if remembered is not None and remembered.size == upload.size:
        upload.seek(0)
        return remembered
    limit = max_upload_bytes()
    name = clean_name(upload.name or "")
    if upload.size == 0:
        raise ValidationError(_("Berkas %(name)s kosong."), params={"name": name}, code="empty")
    if upload.size > limit:
        raise _too_large(name, upload.size, limit)
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    extension = sniff(head)
    if extension is None:
        raise ValidationError(
            _("Berkas %(name)s bukan %(types)s (isi berkas diperiksa, bukan namanya)."),
            params={"name": name, "types": _("PDF, JPEG atau PNG")},
            code="bad_type",
        )
    data = b"".join(upload.chunks())
    upload.seek(0)
    if extension == "pdf":
        check_pdf(data, name)
    else:
        data = reencode_image(data, extension, name)
        if len(data) > limit:
            raise _too_large(name, len(data), limit)
        _replace_content(upload, data)
    checked = CheckedFile(
        extension=extension,
        content_type=SIGNATURES[extension][1],
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        original_name=name,
    )
    setattr(upload, CHECKED_ATTRIBUTE, checked)
    return checked


def _too_large(name: str, size: int, limit: int) -> ValidationError:
    return ValidationError(
        _("Berkas %(name)s berukuran %(size)s MB; batasnya %(limit)s MB."),
        params={
            "name": name,
            "size": decimal(f"{size / 1_048_576:.1f}"),
            "limit": megabytes(limit),
        },
        code="too_large",
    )


def _refused(name: str, reason: str, code: str) -> ValidationError:
    return ValidationError(
        _("Berkas “%(name)s” ditolak: %(reason)s"),
        params={"name": name, "reason": reason},
        code=code,
    )


def _replace_content(upload, data: bytes) -> None:
    """Make `upload` hold `data`: a file Django keeps on disk (moved, not copied, into the
    storage) is overwritten; any other gets the bytes in memory."""
    if hasattr(upload, "temporary_file_path"):
        upload.file.seek(0)
        upload.file.write(data)
        upload.file.truncate()
        upload.file.flush()
    else:
        old = upload.file
        upload.file = io.BytesIO(data)
        if old is not None and old is not upload.file:
            old.close()
    upload.size = len(data)
    upload.seek(0)


# --- PDF -------------------------------------------------------------------------------------

# What makes a browser take bytes for a web page; looked for, case-insensitively, in the first
# bytes of a PDF (where a browser sniffs) and anywhere outside its streams.
HTML_MARKERS = re.compile(
    rb"<(?:!doctype|html|head|body|script|iframe|frame|svg|object|embed|meta|style|img|form)"
    rb"(?![a-z0-9])",
    re.IGNORECASE,
)
HTML_HEAD_BYTES = 2048
_STREAM = re.compile(rb"(?<!end)stream(?:\r\n|\n|\r).*?endstream", re.DOTALL)
# Active names spelled plainly outside the streams: a second look, for objects pypdf might not
# reach (an older revision, a damaged cross-reference table another reader would repair).
_ACTIVE_NAMES = re.compile(
    rb"/(?:JavaScript|JS|Launch|AA|EmbeddedFiles?|FileAttachment|XFA|SubmitForm|ImportData"
    rb"|GoToR|GoToE)(?![A-Za-z0-9#.\-_])"
)
MAX_PDF_OBJECTS = 200_000

JAVASCRIPT = "javascript"
LAUNCH = "launch"
ATTACHMENT = "attachment"
XFA = "xfa"
ACTION = "action"

# What each name found by the second look stands for (any other is JavaScript or /AA).
_NAME_KINDS = {
    b"/Launch": LAUNCH,
    b"/EmbeddedFiles": ATTACHMENT,
    b"/EmbeddedFile": ATTACHMENT,
    b"/FileAttachment": ATTACHMENT,
    b"/XFA": XFA,
    b"/SubmitForm": ACTION,
    b"/ImportData": ACTION,
    b"/GoToR": ACTION,
    b"/GoToE": ACTION,
}
# Actions that send the form's data away (/SubmitForm), read data from another file
# (/ImportData) or open another document (/GoToR, a file or a network share, whose address
# alone can give away the reader's Windows credentials; /GoToE, an attached one): wherever
# they are (the catalog's /OpenAction, an annotation's /A, a form field, a bookmark, another
# action's /Next), none is needed by a scanned or printed document.
REFUSED_ACTIONS = {"/SubmitForm", "/ImportData", "/GoToR", "/GoToE"}
# A link (/URI) is kept when it is a web or mail address the reader clicks (an annotation,
# a bookmark): citizens' letters cite addresses. One that opens by itself (/OpenAction; /AA
# is refused anyway) tells a stranger when and where staff read the file, and any other
# scheme (file:, smb:, javascript:, data:, an address without one) reaches past the browser.
LINK_SCHEMES = {"http", "https", "mailto"}


def check_pdf(data: bytes, name: str) -> None:
    """Refuse a PDF that does not parse, runs anything, carries other files, is an XFA form,
    sends or opens anything but a web link clicked by the reader, or is also HTML
    (ValidationError)."""
    outside_streams = _STREAM.sub(b" ", data)
    if HTML_MARKERS.search(data, 0, HTML_HEAD_BYTES) or HTML_MARKERS.search(outside_streams):
        raise _refused(
            name,
            _("isinya juga berupa halaman web (HTML), bukan PDF biasa."),
            "pdf_html",
        )
    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not _opens_without_password(reader):
            raise _refused(
                name,
                _(
                    "PDF ini dilindungi kata sandi. Unggah salinan yang dapat dibuka tanpa kata "
                    "sandi."
                ),
                "pdf_encrypted",
            )
        if len(reader.pages) == 0:
            raise ValueError("no pages")
        found = _active_content(reader)
    except ValidationError:
        raise
    except Exception as exc:  # any failure of the parser on untrusted bytes is a refusal
        logger.info("upload %r: PDF does not parse: %s: %s", name, type(exc).__name__, exc)
        raise _refused(
            name,
            _("isinya tidak dapat dibuka sebagai PDF (rusak atau bukan PDF yang utuh)."),
            "pdf_unreadable",
        ) from exc
    if found is None:
        match = _ACTIVE_NAMES.search(outside_streams)
        if match:
            found = _NAME_KINDS.get(match.group(), JAVASCRIPT)
    if found is not None:
        raise _refused(name, _refusal_reason(found), f"pdf_{found}")


def _refusal_reason(found: str) -> str:
    """Why a PDF carrying `found` (JAVASCRIPT, LAUNCH, ...) is refused, and what to do."""
    if found == LAUNCH:
        return _("PDF ini berisi perintah untuk menjalankan program atau berkas lain (Launch).")
    if found == ATTACHMENT:
        return _(
            "PDF ini berisi berkas lain yang dilampirkan di dalamnya. Unggah setiap berkas "
            "sendiri, atau simpan ulang sebagai PDF biasa (misalnya dengan “Cetak ke PDF”)."
        )
    if found == XFA:
        return _(
            "PDF ini berupa formulir XFA, yang tidak dapat diperiksa. Simpan ulang sebagai PDF "
            "biasa (misalnya dengan “Cetak ke PDF”) lalu unggah lagi."
        )
    if found == ACTION:
        return _(
            "PDF ini berisi tindakan yang mengirim isinya atau membuka berkas atau alamat lain "
            "(hanya tautan web biasa yang diterima). Simpan ulang sebagai PDF biasa (misalnya "
            "dengan “Cetak ke PDF”) lalu unggah lagi."
        )
    return _(
        "PDF ini berisi JavaScript atau tindakan otomatis. Simpan ulang sebagai PDF "
        "biasa (misalnya dengan “Cetak ke PDF”) lalu unggah lagi."
    )


def _opens_without_password(reader: PdfReader) -> bool:
    try:
        return bool(reader.decrypt(""))
    except Exception:  # an unsupported scheme (AES without a crypto library): not checkable
        return False


def _active_content(reader: PdfReader) -> str | None:
    """JAVASCRIPT, LAUNCH, ATTACHMENT, XFA, ACTION or None: every dictionary reachable from
    the trailer is looked at once (names as pypdf decodes them, so `/J#53` is `/JS`; an
    object met again through a cycle is skipped); a file with more than MAX_PDF_OBJECTS of
    them is not read to the end but refused."""
    seen: set[tuple[int, int]] = set()
    stack: list = [reader.trailer]
    visited = 0
    while stack:
        item = stack.pop()
        if isinstance(item, IndirectObject):
            key = (item.idnum, item.generation)
            if key in seen:
                continue
            seen.add(key)
            item = item.get_object()
        visited += 1
        if visited > MAX_PDF_OBJECTS:
            raise ValueError("too many objects")
        if isinstance(item, DictionaryObject):  # a StreamObject is one too (its dictionary)
            found = _active_dictionary(item)
            if found:
                return found
            stack.extend(v for v in item.values() if isinstance(v, CONTAINERS))
        elif isinstance(item, ArrayObject):
            stack.extend(v for v in item if isinstance(v, CONTAINERS))
    root = reader.trailer.get("/Root")
    opening = root.get_object().get("/OpenAction") if root is not None else None
    if opening is not None and _opens_a_link(opening):
        return ACTION
    return None


CONTAINERS = (IndirectObject, DictionaryObject, ArrayObject)


def _active_dictionary(item: DictionaryObject) -> str | None:
    """What one dictionary carries that refuses the file, if anything."""
    action = item.get("/S")
    if isinstance(action, IndirectObject):
        action = action.get_object()
    if action == "/Launch" or "/Launch" in item:
        return LAUNCH
    if action in ("/JavaScript", "/JS") or "/JS" in item or "/JavaScript" in item:
        return JAVASCRIPT
    if "/AA" in item:
        return JAVASCRIPT
    if "/XFA" in item:
        return XFA
    if (
        "/EmbeddedFiles" in item  # the names tree of the document's attachments
        or "/EF" in item  # a file specification holding the file itself
        or item.get("/Type") == "/EmbeddedFile"
        or item.get("/Subtype") == "/FileAttachment"
    ):
        return ATTACHMENT
    if action in REFUSED_ACTIONS:
        return ACTION
    if action == "/URI" and not _is_web_link(item.get("/URI")):
        return ACTION
    return None


def _is_web_link(address) -> bool:
    """Whether a /URI action's address is an absolute http(s) or mailto address."""
    if address is None:
        return False
    address = address.get_object()
    if isinstance(address, bytes):
        address = address.decode("latin-1")
    scheme, colon, rest = str(address).strip().partition(":")
    return bool(colon and rest) and scheme.lower() in LINK_SCHEMES


def _opens_a_link(opening) -> bool:
    """Whether the document's /OpenAction, or an action chained to it by /Next, opens an
    address (/URI) by itself; each action is looked at once, however the chain loops."""
    pending, seen = [opening], set()
    while pending:
        action = pending.pop().get_object()
        if id(action) in seen:
            continue
        seen.add(id(action))
        if isinstance(action, ArrayObject):  # a /Next array, or a destination (no action)
            pending.extend(action)
        elif isinstance(action, DictionaryObject):
            if action.get("/S") == "/URI":
                return True
            if "/Next" in action:
                pending.append(action["/Next"])
    return False


# --- Images ----------------------------------------------------------------------------------

# More than a 48-megapixel phone camera takes, and about 150 MB when decoded: an image above it
# is refused from its header, before any pixel is decoded.
MAX_IMAGE_PIXELS = 50_000_000
PILLOW_FORMATS = {"jpg": "JPEG", "png": "PNG"}
JPEG_QUALITY = 90
JPEG_SMALLER_QUALITY = 80
# Decoded modes each format can store as they are; anything else is converted first.
STORABLE_MODES = {
    "jpg": {"L", "RGB", "CMYK"},
    "png": {"1", "L", "LA", "I", "I;16", "P", "RGB", "RGBA"},
}


def reencode_image(data: bytes, extension: str, name: str) -> bytes:
    """The picture of a JPEG or PNG, upright, in the same format, with no metadata."""
    try:
        with Image.open(io.BytesIO(data), formats=[PILLOW_FORMATS[extension]]) as image:
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise _too_many_pixels(name)
            image.load()
            icc_profile = image.info.get("icc_profile")
            transparency = image.info.get("transparency")
            try:
                picture = ImageOps.exif_transpose(image)
            except Exception:  # a damaged EXIF block: the picture as it is, still without it
                picture = None
            if picture is None or picture is image:
                picture = image.copy()
        picture.info = {}  # Pillow writes a JPEG's comment from `info` unless told otherwise
        return _encode(
            picture,
            extension,
            icc_profile=icc_profile,
            transparency=transparency,
            budget=len(data),
        )
    except ValidationError:
        raise
    except Image.DecompressionBombError as exc:
        raise _too_many_pixels(name) from exc
    except Exception as exc:  # any failure of the decoder on untrusted bytes is a refusal
        logger.info("upload %r: image does not decode: %s: %s", name, type(exc).__name__, exc)
        raise _refused(
            name,
            _("gambar ini tidak dapat dibaca (rusak atau bukan JPEG/PNG yang utuh)."),
            "image_unreadable",
        ) from exc


def _too_many_pixels(name: str) -> ValidationError:
    return _refused(
        name,
        _(
            "ukuran gambar melebihi batas %(limit)s juta piksel. Perkecil gambarnya lalu "
            "unggah lagi."
        )
        % {"limit": decimal(f"{MAX_IMAGE_PIXELS / 1_000_000:g}")},
        "image_pixels",
    )


def _encode(picture: Image.Image, extension: str, *, icc_profile, transparency, budget) -> bytes:
    """The picture saved once, and once more, smaller, when the first is above `budget` (the
    uploaded file's size): a photo the citizen kept under the limit stays under it."""
    options: dict = {}
    if extension == "jpg":
        if picture.mode not in STORABLE_MODES["jpg"]:
            picture = picture.convert("RGB")
        options["optimize"] = True
        attempts = [{"quality": JPEG_QUALITY}, {"quality": JPEG_SMALLER_QUALITY}]
    else:
        if picture.mode not in STORABLE_MODES["png"]:
            picture = picture.convert("RGBA")
            transparency = None
        if transparency is not None:
            options["transparency"] = transparency
        attempts = [{}, {"optimize": True}]
    if icc_profile:
        options["icc_profile"] = icc_profile
    for attempt in attempts:
        out = io.BytesIO()
        picture.save(out, format=PILLOW_FORMATS[extension], **options, **attempt)
        if out.tell() <= budget:
            break
    return out.getvalue()


def random_name(prefix: str, extension: str) -> str:
    return f"{prefix}/{secrets.token_hex(16)}.{extension}"


STORAGE_MESSAGE = gettext_lazy(
    "Formulir belum dapat disimpan karena tempat penyimpanan berkas portal sedang terganggu; "
    "belum ada yang tersimpan. Silakan kirim lagi beberapa saat lagi. Isian Anda tetap ada di "
    "formulir ini, tetapi berkas perlu dipilih lagi."
)


class StorageUnavailable(ValidationError):
    """The private storage refused a file (a full disk, a folder that can't be written).

    A ValidationError, so the forms that submit a case show it like any refusal (with what
    the citizen typed) and the action's transaction, which it leaves, writes nothing."""

    def __init__(self):
        super().__init__(STORAGE_MESSAGE, code="storage")


@deconstructible
class PrivateStorage(FileSystemStorage):
    """Files under MEDIA_ROOT/private, never given a public URL; a failure to write one is a
    StorageUnavailable (logged with its cause), not a 500."""

    def _save(self, name, content):
        try:
            return super()._save(name, content)
        except OSError as exc:
            logger.exception("private storage: could not write %s", name)
            raise StorageUnavailable() from exc

    def __init__(self):
        super().__init__(location=None, base_url=None)

    @property
    def base_location(self):
        return str(settings.MEDIA_ROOT / "private")

    @property
    def location(self):
        return self.base_location

    def url(self, name):
        raise ValueError("Private files are served only through views that check access.")


private_storage = PrivateStorage()


def discard_stored(rows) -> None:
    """Delete the files of rows whose transaction failed (rows with a FileField `file`)."""
    for row in rows:
        row.file.storage.delete(row.file.name)
