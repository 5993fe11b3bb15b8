"""Real PDFs for tests, written byte by byte (standard library only, so the load client can use
them too): uploads are parsed, so a few bytes that only start with `%PDF` are refused like any
damaged file. Each is a one-page blank A4 document that opens in a PDF reader."""

from __future__ import annotations

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
