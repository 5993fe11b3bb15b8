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
