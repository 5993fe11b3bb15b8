"""Rendering HTML to tagged PDF (WeasyPrint) and keeping rendered PDFs in a small file cache.

`render_pdf` turns a complete HTML document into a PDF/UA-1 file. Only `data:` URLs and files
under `base_url` (the static folder) may be loaded: the documents never reach the network.

Fonts: static/css/pdf.css loads the vendored Noto fonts (static/vendor/noto-fonts-20201225/)
with @font-face, and this module points fontconfig at portal/fonts.conf, which knows that
folder only. WeasyPrint asks fontconfig for a fallback whenever a character is missing from the
CSS fonts; with the system's configuration that is whatever is installed (DejaVu Sans on a
Debian server), so the same document would embed different fonts on different machines. With
fonts.conf the fallback can only be a vendored font. FONTCONFIG_FILE must be set before
WeasyPrint is imported (it loads a configuration at import) and stays set: WeasyPrint loads the
configuration again for every document.

`cached_pdf` keeps each rendered document under MEDIA_ROOT/pdf-cache/, named by the SHA-256 of
a key that the caller builds from everything the document shows (primary keys, versions,
`updated_at` stamps). A changed key is a new file; the stale one is never read again and is
removed once it is older than PDF_CACHE_MAX_AGE (checked whenever a new file is written).
The ETag is derived from the key, so a conditional request can be answered without rendering
or reading the file.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings

# Bump when the PDF templates or styles change, so that cached files are rendered again.
# 2: whole Noto Sans files and Noto Sans Math (arrows) embedded; 3: sheets signed by the decree
# that set their version, amending decrees and consolidated texts.
PDF_LAYOUT_VERSION = "3"

PDF_VARIANT = "pdf/ua-1"

PDF_CACHE_MAX_AGE = 30 * 24 * 3600  # seconds

FONTS_CONF = Path(__file__).resolve().with_name("fonts.conf")
FONTS_DIR = Path(__file__).resolve().parent.parent / "static" / "vendor" / "noto-fonts-20201225"


def use_portal_fonts() -> None:
    """Make fontconfig (in this process and its children) know the vendored fonts only."""
    if os.environ.get("FONTCONFIG_FILE") != str(FONTS_CONF):
        os.environ["FONTCONFIG_FILE"] = str(FONTS_CONF)


use_portal_fonts()  # before anything imports WeasyPrint

# WeasyPrint logs every layout step of every page at INFO level; keep the server log readable.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def _url_fetcher_for(base_url: str):
    """A WeasyPrint URL fetcher that loads `data:` URLs and files under `base_url` only."""
    from weasyprint.urls import URLFetcher

    root = Path(unquote(urlsplit(base_url).path) if "://" in base_url else base_url).resolve()

    class LocalFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            if parts.scheme == "file":
                if not Path(unquote(parts.path)).resolve().is_relative_to(root):
                    raise ValueError(f"File outside {root} not allowed in PDF documents: {url}")
            elif parts.scheme != "data":
                raise ValueError(f"URL not allowed in PDF documents: {url}")
            return super().fetch(url, headers)

    return LocalFetcher(allowed_protocols=("file", "data"))


def render_pdf(html: str, *, base_url: str) -> bytes:
    """Render a complete HTML document to a tagged PDF (PDF/UA-1)."""
    use_portal_fonts()  # in case something changed the environment since this module was loaded
    from weasyprint import HTML  # slow to import: only when a PDF is actually rendered

    document = HTML(
        string=html,
        base_url=base_url,
        url_fetcher=_url_fetcher_for(base_url),
    )
    return document.write_pdf(pdf_variant=PDF_VARIANT)


def cache_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / "pdf-cache"


def cache_digest(key: str) -> str:
    return hashlib.sha256(f"{PDF_LAYOUT_VERSION}|{key}".encode()).hexdigest()


def etag_for(key: str) -> str:
    return f'"{cache_digest(key)[:40]}"'


def cached_pdf(key: str, build: Callable[[], bytes]) -> tuple[bytes, str]:
    """The PDF for `key`, built with `build()` only when it is not cached yet; and its ETag."""
    digest = cache_digest(key)
    path = cache_dir() / f"{digest}.pdf"
    etag = etag_for(key)
    try:
        return path.read_bytes(), etag
    except FileNotFoundError:
        pass
    data = build()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-", suffix=".pdf")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    _prune(path.parent)
    return data, etag


def _prune(directory: Path) -> None:
    """Remove cached files (and leftover temporary files) older than PDF_CACHE_MAX_AGE."""
    limit = time.time() - PDF_CACHE_MAX_AGE
    for entry in directory.glob("*.pdf"):
        try:
            if entry.stat().st_mtime < limit:
                entry.unlink()
        except FileNotFoundError:  # removed by a concurrent request
            pass
