import fcntl
import hashlib
import os
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

import pytest
import time_machine
from django.core.management import call_command

# No test reads the real date (tests/real_clock.py).
from tests.real_clock import _machine_date, _no_real_clock, fixed_clock  # noqa: F401

# When the decrees were loaded: before every moment a test travels to, so a row a test saves
# is always newer than the loaded ones, whatever the machine's clock says.
DECREES_LOADED = "2025-01-02T08:00:00+07:00"


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database starts with the four decrees loaded, as a real portal would."""
    with django_db_blocker.unblock(), time_machine.travel(DECREES_LOADED, tick=True):
        call_command("load_standards", verbosity=0)


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    """Agency calendars are cached per process; no test sees another test's calendar."""
    from django.conf import settings

    if not settings.configured:  # the pure tests also run with `-p no:django`
        yield
        return
    from django.core.cache import caches

    from portal.caching import forget_version
    from services.catalogue.calendars import clear_cache

    def clear():
        clear_cache()
        for alias in settings.CACHES:  # public pages, form fragments, rate-limit counters
            caches[alias].clear()
        forget_version()

    clear()
    yield
    clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Test accounts are hashed with a fast hasher: PBKDF2's cost is for real passwords."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def run_directory(tmp_path_factory) -> Path:
    """A directory every pytest-xdist worker of the run sees (the run's, above each worker's
    own), for what one worker makes and the others read."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


@contextmanager
def renders_shared(directory: Path):
    """WeasyPrint renders each distinct document (its HTML and base URL) once for the run:
    whichever worker asks first renders it and writes the PDF to `directory`, the others (and
    later tests) read that file. The views around the render (their caches, keys, headers)
    run as always; only the identical rendering is not repeated."""
    import portal.pdf

    render = portal.pdf.render_pdf

    def shared(html: str, *, base_url: str) -> bytes:
        key = f"{portal.pdf.PDF_LAYOUT_VERSION}|{base_url}|{html}".encode()
        file = directory / f"render-{hashlib.sha256(key).hexdigest()[:32]}.pdf"
        with open(file.with_suffix(".lock"), "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)  # another worker may be rendering it
            if not file.exists():
                part = file.with_suffix(".part")
                part.write_bytes(render(html, base_url=base_url))
                part.rename(file)
        return file.read_bytes()

    with mock.patch.object(portal.pdf, "render_pdf", shared):
        yield


@pytest.fixture
def shared_renders(tmp_path_factory):
    """For a test that reads real PDFs: identical documents are rendered once for the run
    (`renders_shared`)."""
    with renders_shared(run_directory(tmp_path_factory)):
        yield
