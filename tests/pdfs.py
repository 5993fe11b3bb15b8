"""Real PDFs for tests: uploads are parsed, so a few bytes that only start with `%PDF` are
refused like any damaged file. Each opens in a PDF reader. The first ones are written byte by
byte (standard library only, so the load client can use them too), each a one-page blank A4
document; the later ones (attachments, XFA forms, actions, a scan) are built with pypdf."""

from __future__ import annotations

import io
import struct
import zlib


def assembled(objects: list[bytes], *, after_header: bytes = b"", tail: bytes = b"") -> bytes:
    """A PDF of `objects` (object 1 is the catalog) with a correct cross-reference table;
    `after_header` goes right after the `%PDF-1.4` line, `tail` after `%%EOF`."""
    out = bytearray(b"%PDF-1.4\n" + after_header)
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out + tail)


def in_object_stream(objects: list[bytes]) -> bytes:
    """A PDF (1.5) whose `objects` are all packed into one FlateDecode object stream, found
    through a cross-reference stream: nothing of them is readable in the file's bytes."""
    count = len(objects)
    offsets, packed = [], b""
    for body in objects:
        offsets.append(len(packed))
        packed += body + b"\n"
    index = b" ".join(b"%d %d" % (n, off) for n, off in enumerate(offsets, start=1)) + b"\n"
    data = zlib.compress(index + packed)
    stream_number, xref_number = count + 1, count + 2
    out = bytearray(b"%PDF-1.5\n")
    stream_offset = len(out)
    out += b"%d 0 obj\n<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\n" % (
        stream_number,
        count,
        len(index),
        len(data),
    )
    out += b"stream\n" + data + b"\nendstream\nendobj\n"
    xref_offset = len(out)
    rows = [struct.pack(">BIH", 0, 0, 65535)]
    rows += [struct.pack(">BIH", 2, stream_number, i) for i in range(count)]
    rows += [struct.pack(">BIH", 1, stream_offset, 0), struct.pack(">BIH", 1, xref_offset, 0)]
    table = b"".join(rows)
    out += b"%d 0 obj\n<< /Type /XRef /Size %d /W [1 4 2] /Root 1 0 R /Length %d >>\nstream\n" % (
        xref_number,
        xref_number + 1,
        len(table),
    )
    out += table + b"\nendstream\nendobj\nstartxref\n%d\n%%%%EOF\n" % xref_offset
    return bytes(out)


CATALOG = b"<< /Type /Catalog /Pages 2 0 R >>"
PAGES = b"<< /Type /Pages /Count 1 /Kids [3 0 R] >>"
PAGE = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << >> >>"

PDF = assembled([CATALOG, PAGES, PAGE])


def pdf_with_javascript() -> bytes:
    """Document-level JavaScript in the names tree (/Names /JavaScript)."""
    return assembled(
        [
            b"<< /Type /Catalog /Pages 2 0 R /Names << /JavaScript 4 0 R >> >>",
            PAGES,
            PAGE,
            b"<< /Names [(sapa) 5 0 R] >>",
            b"<< /Type /Action /S /JavaScript /JS (app.alert\\('halo'\\);) >>",
        ]
    )


def pdf_with_open_action_javascript(*, escaped: bool = False) -> bytes:
    """JavaScript run when the document opens (/OpenAction); `escaped` spells the names with
    `#xx` escapes (`/J#61vaScript`, `/J#53`), which a plain search for "/JS" misses."""
    action = (
        b"<< /Type /Action /S /J#61vaScript /J#53 (app.alert\\(1\\);) >>"
        if escaped
        else b"<< /Type /Action /S /JavaScript /JS (app.alert\\(1\\);) >>"
    )
    return assembled([b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>", PAGES, PAGE, action])


def pdf_with_launch() -> bytes:
    """A /Launch action that starts a program when the document opens."""
    return assembled(
        [
            b"<< /Type /Catalog /Pages 2 0 R /OpenAction 4 0 R >>",
            PAGES,
            PAGE,
            b"<< /Type /Action /S /Launch /Win << /F (cmd.exe) /P (/c calc) >> >>",
        ]
    )


def pdf_with_annotation_actions() -> bytes:
    """A link annotation whose additional actions (/AA) run JavaScript when the mouse enters."""
    return assembled(
        [
            CATALOG,
            PAGES,
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << >> "
            b"/Annots [4 0 R] >>",
            b"<< /Type /Annot /Subtype /Link /Rect [0 0 595 842] /AA << /E 5 0 R >> >>",
            b"<< /S /JavaScript /JS (app.alert\\(2\\);) >>",
        ]
    )


def pdf_with_link() -> bytes:
    """An ordinary link to a web address (a /URI action): nothing runs, it is accepted."""
    return assembled(
        [
            CATALOG,
            PAGES,
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << >> "
            b"/Annots [4 0 R] >>",
            b"<< /Type /Annot /Subtype /Link /Rect [0 0 100 20] "
            b"/A << /S /URI /URI (https://www.lapor.go.id/) >> >>",
        ]
    )


def html_polyglot() -> bytes:
    """A PDF that opens in a PDF reader and is a web page too: a comment line after the header
    holds a script, where a browser sniffing the first bytes finds it."""
    return assembled(
        [CATALOG, PAGES, PAGE],
        after_header=b"%<html><script>alert(document.domain)</script></html>\n",
    )


def pdf_with_html_after_eof() -> bytes:
    """A PDF followed, past its end and past the first 2 KB, by a web page."""
    return assembled(
        [CATALOG, PAGES, PAGE],
        tail=b"%" * 4000 + b"\n<!DOCTYPE html><BODY onload=alert(1)>\n",
    )


NOT_A_PDF = b"%PDF-1.7\nthis only starts like a PDF\n%%EOF\n"


def pdf_of_size(size: int) -> bytes:
    """The blank page padded (with a comment line after the header) to exactly `size` bytes."""
    bare = len(PDF) + 2  # the padding's own "%" and newline
    if size < bare:
        raise ValueError(f"a PDF is at least {bare} bytes")
    return assembled([CATALOG, PAGES, PAGE], after_header=b"%" + b"0" * (size - bare) + b"\n")


# --- Built with pypdf: attachments, XFA forms, actions --------------------------------------
# (pypdf is imported inside the functions: the load client imports this module without it.)


def written(build=None, *, pages: int = 1) -> bytes:
    """A PDF of `pages` blank A4 pages written by pypdf, after `build(writer)` added to it
    (objects made with `pdf_object`)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    if build is not None:
        build(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_object(value):
    """`value` as a pypdf object: a dict's keys and a str starting with "/" are names, other
    strings are text, lists are arrays, bytes are a stream's data (a dict with `"stream"`)."""
    from pypdf import generic

    if isinstance(value, generic.PdfObject):
        return value
    if isinstance(value, dict):
        if "stream" in value:
            stream = generic.StreamObject()
            stream.set_data(value["stream"])
            stream.update(
                {generic.NameObject(k): pdf_object(v) for k, v in value.items() if k != "stream"}
            )
            return stream
        return generic.DictionaryObject(
            {generic.NameObject(k): pdf_object(v) for k, v in value.items()}
        )
    if isinstance(value, list):
        return generic.ArrayObject(pdf_object(v) for v in value)
    if isinstance(value, bool):
        return generic.BooleanObject(value)
    if isinstance(value, int):
        return generic.NumberObject(value)
    if isinstance(value, str):
        return (
            generic.NameObject(value) if value.startswith("/") else generic.TextStringObject(value)
        )
    raise TypeError(value)


def pdf_with_embedded_file() -> bytes:
    """A document carrying another file in its /EmbeddedFiles names tree (an attachment)."""
    return written(lambda writer: writer.add_attachment("daftar.exe", b"MZ\x90\x00 program"))


def pdf_with_file_attachment_annotation() -> bytes:
    """A page with a /FileAttachment annotation (a paper-clip icon holding a file), and no
    /EmbeddedFiles names tree."""

    def build(writer):
        filespec = {
            "/Type": "/Filespec",
            "/F": "bukti.docm",
            "/EF": {
                "/F": _indirect(
                    writer, pdf_object({"stream": b"PK macro", "/Type": "/EmbeddedFile"})
                )
            },
        }
        annotation = {
            "/Type": "/Annot",
            "/Subtype": "/FileAttachment",
            "/Rect": [50, 700, 70, 720],
            "/FS": _indirect(writer, pdf_object(filespec)),
        }
        writer.pages[0][_name("/Annots")] = pdf_object([_indirect(writer, pdf_object(annotation))])

    return written(build)


XDP_WITHOUT_SCRIPT = (
    b'<?xml version="1.0"?><xdp:xdp xmlns:xdp="http://ns.adobe.com/xdp/">'
    b'<template xmlns="http://www.xfa.org/schema/xfa-template/3.3/"><subform name="f">'
    b'<field name="nama"/></subform></template></xdp:xdp>'
)


def pdf_with_xfa_form() -> bytes:
    """An XFA form (/AcroForm /XFA) with a field and no script."""

    def build(writer):
        xfa = _indirect(writer, pdf_object({"stream": XDP_WITHOUT_SCRIPT}))
        form = {"/Fields": [], "/XFA": xfa}
        writer.root_object[_name("/AcroForm")] = _indirect(writer, pdf_object(form))
        writer.root_object[_name("/NeedsRendering")] = pdf_object(True)

    return written(build)


# One of each action that sends or opens something, as a dictionary (its /S and what it needs).
ACTIONS = {
    "/SubmitForm": {"/F": {"/FS": "/URL", "/F": "https://pengumpul.contoh.id/terima"}},
    "/ImportData": {"/F": "data.fdf"},
    "/GoToR": {"/F": "\\\\10.0.0.9\\berbagi\\surat.pdf", "/D": [0, "/Fit"]},
    "/GoToE": {"/T": {"/R": "/C", "/N": "lampiran.pdf"}, "/D": [0, "/Fit"]},
    "/Launch": {"/F": "cmd.exe"},
}
# Where an action can sit: the catalog's /OpenAction and /AA, a page's /AA, a link's /A and
# /AA, and chained (/Next) after a harmless first action that opens the document.
PLACES = ("open", "document_aa", "page_aa", "link", "link_aa", "next")


def pdf_with_action(action: dict, place: str) -> bytes:
    """A document with `action` (a dictionary such as `{"/S": "/URI", "/URI": ...}`) at
    `place` (one of PLACES)."""

    def build(writer):
        made = _indirect(writer, pdf_object(action))
        root, page = writer.root_object, writer.pages[0]
        if place == "open":
            root[_name("/OpenAction")] = made
        elif place == "document_aa":
            root[_name("/AA")] = pdf_object({"/WC": made})  # before the document closes
        elif place == "page_aa":
            page[_name("/AA")] = pdf_object({"/O": made})  # when the page opens
        elif place in ("link", "link_aa"):
            key = "/A" if place == "link" else "/AA"
            value = made if place == "link" else pdf_object({"/E": made})
            link = pdf_object({"/Type": "/Annot", "/Subtype": "/Link", "/Rect": [0, 0, 100, 20]})
            link[_name(key)] = value
            link[_name("/P")] = page.indirect_reference  # annotations point back at their page
            page[_name("/Annots")] = pdf_object([_indirect(writer, link)])
        elif place == "next":
            first = pdf_object({"/S": "/GoTo", "/D": [page.indirect_reference, "/Fit"]})
            first[_name("/Next")] = made
            root[_name("/OpenAction")] = _indirect(writer, first)
        else:
            raise ValueError(place)

    return written(build)


def refused_action(kind: str) -> dict:
    """The action dictionary of ACTIONS[kind], /S included."""
    return {"/S": kind, **ACTIONS[kind]}


def link_to(address: str) -> dict:
    return {"/S": "/URI", "/URI": address}


def pdf_with_links() -> bytes:
    """Links as a letter has them: a web address and a mail address the reader clicks, a
    link and a bookmark to the second page, a bookmark to a web address; the document opens
    on its first page (/OpenAction to a destination); each annotation points back at its page
    (a cycle)."""

    def build(writer):
        first, second = writer.pages
        annotations = []
        for n, action in enumerate(
            [
                link_to("https://www.lapor.go.id/"),
                link_to("mailto:pengaduan@contoh.go.id"),
                {"/S": "/GoTo", "/D": [second.indirect_reference, "/Fit"]},
            ]
        ):
            link = pdf_object(
                {"/Type": "/Annot", "/Subtype": "/Link", "/Rect": [0, 20 * n, 100, 20 * n + 20]}
            )
            link[_name("/A")] = pdf_object(action)
            link[_name("/P")] = first.indirect_reference
            annotations.append(_indirect(writer, link))
        first[_name("/Annots")] = pdf_object(annotations)
        writer.add_outline_item(title="Lampiran", page_number=1)
        site = writer.add_outline_item(title="Situs LAPOR!", page_number=None).get_object()
        site[_name("/A")] = pdf_object(link_to("https://www.lapor.go.id/"))
        writer.root_object[_name("/OpenAction")] = pdf_object([first.indirect_reference, "/Fit"])

    return written(build, pages=2)


def pdf_with_looping_actions() -> bytes:
    """A document whose opening action (go to page 1) names itself as its /Next: a cycle in
    the object graph, which a reader following the chain would never leave."""

    def build(writer):
        page = writer.pages[0]
        action = pdf_object({"/S": "/GoTo", "/D": [page.indirect_reference, "/Fit"]})
        reference = _indirect(writer, action)
        action[_name("/Next")] = reference
        writer.root_object[_name("/OpenAction")] = reference

    return written(build)


def scanned_pdf(pages: int = 2) -> bytes:
    """What a scanner or a phone's scanning app writes: each page one JPEG picture, with the
    scanner's metadata and a bookmark per page (made by Pillow, tidied by pypdf)."""
    from PIL import Image
    from pypdf import PdfReader, PdfWriter

    pictures = [Image.new("RGB", (248, 351), (250, 250, 245 - 20 * n)) for n in range(pages)]
    scan = io.BytesIO()
    pictures[0].save(scan, format="PDF", save_all=True, append_images=pictures[1:], resolution=30)
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(scan.getvalue())))
    writer.add_metadata({"/Producer": "Pemindai Kantor 2.1", "/Title": "Scan KTP"})
    for n in range(pages):
        writer.add_outline_item(title=f"Halaman {n + 1}", page_number=n)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _name(key: str):
    from pypdf.generic import NameObject

    return NameObject(key)


def _indirect(writer, value):
    """`value` added to the writer's objects; its reference (a stream must be one)."""
    return writer._add_object(pdf_object(value))
