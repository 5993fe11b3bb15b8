"""Rendering HTML to tagged PDF (WeasyPrint) and keeping rendered PDFs in a small file cache.

`render_pdf` turns a complete HTML document into a PDF/UA-1 file. Only `data:` URLs and files
under `base_url` (the static folder) may be loaded: the documents never reach the network.

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
PDF_LAYOUT_VERSION = "1"

PDF_VARIANT = "pdf/ua-1"

PDF_CACHE_MAX_AGE = 30 * 24 * 3600  # seconds

# WeasyPrint logs every layout step of every page at INFO level; keep the server log readable.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

# The vendored Noto Sans has the Latin subset only; "→" (used in some decrees' wording) is not
# in it and would pull a system font into the PDF. It is drawn as a small vector image whose
# alternative text keeps the arrow for screen readers.
ARROW_IMG = (
    '<img class="glyph-arrow" alt="→" src="data:image/svg+xml,'
    "%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 10'%3E"
    "%3Cpath d='M0 5h13M9 1l5 4-5 4' fill='none' stroke='black' stroke-width='1.4'/%3E"
    '%3C/svg%3E">'
)


def replace_missing_glyphs(html: str) -> str:
    """Replace characters the embedded font lacks (in the body's text) by drawn equivalents."""
    head, sep, body = html.partition("<body")
    if not sep:
        return html.replace("→", ARROW_IMG)
    return head + sep + body.replace("→", ARROW_IMG)


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
    from weasyprint import HTML  # slow to import: only when a PDF is actually rendered

    document = HTML(
        string=replace_missing_glyphs(html),
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
