"""The PDFs' fonts: the vendored Noto files cover every character the documents can hold, and
fontconfig knows no other font (the decrees, sheets and receipts:
tests/services/catalogue/test_pdf_views.py)."""

import os
import re
import shutil
import subprocess
from html import escape
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

import portal.pdf
from tests.portal.pdf_fonts import (
    FACES,
    FONTS_DIR,
    REQUIRED_RANGES,
    ROOT,
    missing,
    source_characters,
    vendored,
    vendored_fonts_in,
)

STATIC = ROOT / "static"
PDF_CSS = STATIC / "css" / "pdf.css"


def font_faces() -> list[dict[str, str]]:
    faces = []
    for block in re.findall(r"@font-face\s*\{(.*?)\}", PDF_CSS.read_text(), re.S):
        rule = dict(re.findall(r"([\w-]+)\s*:\s*([^;]+);", block))
        faces.append(rule)
    return faces


def test_css_loads_each_vendored_file_with_its_own_family_style_and_weight():
    seen = set()
    for rule in font_faces():
        (url,) = re.findall(r'url\("([^"]+)"\)', rule["src"])
        path = (PDF_CSS.parent / url).resolve()
        assert path.parent == FONTS_DIR.resolve(), url
        font = TTFont(path)
        family = font["name"].getDebugName(16) or font["name"].getDebugName(1)
        assert rule["font-family"].strip('"') == family.removesuffix(" SemiBold"), url
        assert int(rule["font-weight"]) == font["OS/2"].usWeightClass, url
        italic = bool(font["OS/2"].fsSelection & 1)
        assert (rule["font-style"] == "italic") == italic, url
        seen.add(path.name)
    assert seen == {p.name for p in FONTS_DIR.glob("*.ttf")}
    assert (FONTS_DIR / "OFL.txt").is_file() and (FONTS_DIR / "README.md").is_file()


def test_every_text_source_is_read():
    sources = set(source_characters())
    assert {"→", "–", "±", "“", "”"} <= sources  # fixtures
    assert {"⤺", "·", "—", "›"} <= sources  # templates


@pytest.mark.parametrize("face", FACES)
def test_every_character_of_fixtures_templates_and_translations_is_covered(face):
    found = source_characters()
    absent = missing(face, found)
    where = {
        line: sorted(str(p.relative_to(ROOT)) for p in found[chr(int(line[2:6], 16))])[:3]
        for line in absent
    }
    assert not absent, where


@pytest.mark.parametrize("block", REQUIRED_RANGES)
@pytest.mark.parametrize("face", FACES)
def test_latin_and_punctuation_blocks_are_covered(face, block):
    assert not missing(face, REQUIRED_RANGES[block])


def test_fontconfig_knows_only_the_vendored_fonts():
    assert os.environ["FONTCONFIG_FILE"] == str(portal.pdf.FONTS_CONF)
    if shutil.which("fc-list") is None:
        pytest.skip("fc-list (fontconfig) is not installed")
    listed = subprocess.run(
        ["fc-list", "--format", "%{file}\n"], capture_output=True, text=True, check=True
    ).stdout.split()
    assert sorted(Path(p).name for p in listed) == sorted(p.name for p in FONTS_DIR.glob("*.ttf"))
    assert all(Path(p).resolve().parent == FONTS_DIR.resolve() for p in listed)


def test_a_document_with_every_character_in_every_style_embeds_only_the_vendored_fonts():
    """Every required character in every style, plus "✓", which no vendored font has and
    DejaVu Sans (installed on many servers) has: it must be drawn as a missing glyph of Noto
    Sans, never by a system font."""
    chars = set().union(*REQUIRED_RANGES.values(), source_characters())
    text = escape("".join(sorted(chars)) + "✓")
    html = f"""<!doctype html><html lang="id"><head><meta charset="utf-8"><title>Uji</title>
    <link rel="stylesheet" href="css/pdf.css"></head><body>
    <p>{text}</p><p><em>{text}</em></p><p style="font-weight: 600">{text}</p>
    <p><strong>{text}</strong></p><p><strong><em>{text}</em></strong></p></body></html>"""
    data = portal.pdf.render_pdf(html, base_url=STATIC.as_uri() + "/")
    assert vendored_fonts_in(data) == set(vendored())
