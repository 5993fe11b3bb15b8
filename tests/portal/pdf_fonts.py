"""What the vendored PDF fonts cover, and which fonts a rendered PDF embeds (for the PDF tests).

A font in a PDF is identified by its embedded program, not by its name (a system Noto Sans of
another version has the same name): WeasyPrint keeps the glyph ids, the `name` table and the
`head` dates when it subsets a font, so an embedded font is a vendored one when its PostScript
name, version and dates are those of a vendored file and every glyph it carries has that file's
outline at the same glyph id.
"""

from __future__ import annotations

import io
import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

import pypdf
from fontTools.ttLib import TTFont

import portal.pdf

ROOT = Path(__file__).resolve().parents[2]
FONTS_DIR = portal.pdf.FONTS_DIR

# The PDF faces in the order pdf.css falls back for a character: Noto Sans, then Noto Sans Math.
MATH = "NotoSansMath-Regular"
FACES = {
    "regular": ["NotoSans-Regular", MATH],
    "italic": ["NotoSans-Italic", MATH],
    "semibold": ["NotoSans-SemiBold", MATH],
    "bold": ["NotoSans-Bold", MATH],
    "bold italic": ["NotoSans-BoldItalic", MATH],
}


def assigned(first: int, last: int) -> set[str]:
    return {chr(c) for c in range(first, last + 1) if unicodedata.category(chr(c)) != "Cn"}


# What an official may type into a decree besides what the fixtures hold today.
REQUIRED_RANGES = {
    "Basic Latin": assigned(0x20, 0x7E),
    "Latin-1 Supplement": assigned(0xA0, 0xFF),
    "Latin Extended-A": assigned(0x100, 0x17F),
    "General Punctuation": assigned(0x2000, 0x206F),  # includes U+2010, the hyphenation mark
}


def text_sources() -> list[Path]:
    """Every file whose text can end up in a PDF: fixtures, templates, translations."""
    files = [
        *sorted(ROOT.glob("fixtures/*.yaml")),
        *sorted(p for p in ROOT.glob("templates/**/*") if p.is_file()),
        *sorted(ROOT.glob("locale/**/*.po")),
    ]
    assert files
    return files


def source_characters() -> dict[str, set[Path]]:
    """Each printable character of the text sources, with the files it occurs in."""
    found: dict[str, set[Path]] = {}
    for path in text_sources():
        for ch in set(path.read_text(encoding="utf-8")):
            if unicodedata.category(ch) != "Cc":  # newlines and tabs are not drawn
                found.setdefault(ch, set()).add(path)
    return found


@cache
def vendored() -> dict[str, TTFont]:
    """The vendored fonts by PostScript name."""
    fonts = {}
    for path in sorted(FONTS_DIR.glob("*.ttf")):
        font = TTFont(path)
        fonts[font["name"].getDebugName(6)] = font
    return fonts


@cache
def cmap(postscript_name: str) -> frozenset[int]:
    return frozenset(vendored()[postscript_name].getBestCmap())


def missing(face: str, chars) -> list[str]:
    """The characters that no font of `face` has, as "U+XXXX NAME"."""
    covered = set().union(*(cmap(name) for name in FACES[face]))
    return [
        f"U+{ord(ch):04X} {unicodedata.name(ch, '?')}"
        for ch in sorted(chars)
        if ord(ch) not in covered
    ]


@dataclass(frozen=True)
class EmbeddedFont:
    base_font: str  # "/ABCDEF+Noto-Sans-Bold"
    subtype: str
    program: bytes | None  # the FontFile2 stream; None when the font is not embedded as TrueType


def embedded_fonts(data: bytes) -> list[EmbeddedFont]:
    """Every font the PDF's pages use, directly or in their forms, patterns and annotations."""
    reader = pypdf.PdfReader(io.BytesIO(data))
    fonts: dict[int, EmbeddedFont] = {}
    seen: set[int] = set()

    def visit_resources(resources) -> None:
        if resources is None or id(resources := resources.get_object()) in seen:
            return
        seen.add(id(resources))
        for font in (resources.get("/Font") or {}).values():
            add_font(font.get_object())
        for kind in ("/XObject", "/Pattern"):
            for item in (resources.get(kind) or {}).values():
                visit_resources(item.get_object().get("/Resources"))

    def add_font(font) -> None:
        if font.get("/Subtype") == "/Type0":
            (font,) = font["/DescendantFonts"]
            font = font.get_object()
        descriptor = font.get("/FontDescriptor")
        stream = descriptor.get_object().get("/FontFile2") if descriptor is not None else None
        fonts[id(font)] = EmbeddedFont(
            base_font=str(font.get("/BaseFont")),
            subtype=str(font.get("/Subtype")),
            program=stream.get_object().get_data() if stream is not None else None,
        )

    for page in reader.pages:
        visit_resources(page.get("/Resources"))
        for annotation in page.get("/Annots") or []:
            for appearance in (annotation.get_object().get("/AP") or {}).values():
                visit_resources(appearance.get_object().get("/Resources"))
    return list(fonts.values())


def identify(font: EmbeddedFont) -> str:
    """The vendored font `font` is a subset of (its PostScript name); AssertionError if none."""
    assert font.subtype == "/CIDFontType2" and font.program, f"{font} is not an embedded TrueType"
    assert re.fullmatch(r"/[A-Z]{6}\+Noto-Sans(-[A-Za-z-]+)?", font.base_font), font.base_font
    subset = TTFont(io.BytesIO(font.program))
    name = subset["name"].getDebugName(6)
    assert name in vendored(), f"{font.base_font}: {name} is not a vendored font"
    original = vendored()[name]
    for table, field in [("head", "fontRevision"), ("head", "created"), ("head", "modified")]:
        assert getattr(subset[table], field) == getattr(original[table], field), (name, field)
    glyf, original_glyf = subset["glyf"], original["glyf"]
    original_order = original.getGlyphOrder()
    drawn = 0
    for gid, glyph_name in enumerate(subset.getGlyphOrder()):
        glyph = glyf[glyph_name]
        if glyph.numberOfContours == 0:
            continue  # dropped by the subsetter, or a space
        theirs = original_glyf[original_order[gid]]
        assert list(glyph.getCoordinates(glyf)[0]) == list(
            theirs.getCoordinates(original_glyf)[0]
        ), f"{font.base_font}: glyph {gid} differs from {name}"
        drawn += 1
    assert drawn, f"{font.base_font} draws nothing"
    return name


@lru_cache(maxsize=16)  # a decree takes pypdf about half a second to read
def vendored_fonts_in(data: bytes) -> frozenset[str]:
    """The vendored fonts a PDF embeds; AssertionError if it embeds any other font."""
    fonts = embedded_fonts(data)
    assert fonts, "no font in the PDF"
    return frozenset(identify(font) for font in fonts)
