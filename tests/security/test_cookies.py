"""Cookie flags: the language cookie gets Secure, SameSite and HttpOnly like the others."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


def _production_settings(tmp_path, *names: str) -> list[str]:
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("PORTAL_CACHE",)},
        "DJANGO_PRODUCTION": "1",
        "DJANGO_SECRET_KEY": "x" * 60,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
    }
    script = "from django.conf import settings; " + "; ".join(
        f"print(repr(settings.{name}))" for name in names
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip().splitlines()[-len(names) :]


def test_production_settings_secure_the_language_cookie(tmp_path):
    values = _production_settings(
        tmp_path, "LANGUAGE_COOKIE_SECURE", "LANGUAGE_COOKIE_SAMESITE", "LANGUAGE_COOKIE_HTTPONLY"
    )
    assert values == ["True", "'Lax'", "True"]


@pytest.mark.django_db
def test_choosing_a_language_sets_a_flagged_cookie(client, settings):
    settings.LANGUAGE_COOKIE_SECURE = True  # as in production
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "en"
    assert cookie["secure"] and cookie["httponly"] and cookie["samesite"] == "Lax"


@pytest.mark.django_db
def test_the_language_cookie_is_not_secure_outside_production(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    cookie = response.cookies["django_language"]
    assert not cookie["secure"] and cookie["samesite"] == "Lax"
