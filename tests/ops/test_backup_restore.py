"""A backup made with scripts/backup restores with scripts/restore (PostgreSQL only)."""

import os
import subprocess
from pathlib import Path

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]

pytestmark = [pytest.mark.slow]


def _url(name: str) -> str:
    s = connection.settings_dict
    auth = s["USER"] + (f":{s['PASSWORD']}" if s.get("PASSWORD") else "")
    return f"postgres://{auth}@{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}/{name}"


@pytest.mark.django_db(transaction=True)
def test_backup_then_restore_into_an_empty_database(tmp_path, settings):
    if connection.vendor != "postgresql":
        pytest.skip("backups are pg_dump archives: PostgreSQL only")
    call_command("load_standards", verbosity=0)
    media = tmp_path / "media"
    (media / "private" / "dokumen").mkdir(parents=True)
    (media / "private" / "dokumen" / "contoh.pdf").write_bytes(b"%PDF-1.4\n%%EOF\n")
    env = {
        **os.environ,
        "DATABASE_URL": _url(connection.settings_dict["NAME"]),
        "DJANGO_MEDIA_ROOT": str(media),
    }
    out = subprocess.run(
        [str(ROOT / "scripts/backup"), str(tmp_path / "backups")],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()

    restored_db = connection.settings_dict["NAME"] + "_restored"
    admin_url = _url("postgres")
    with psycopg.connect(admin_url, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{restored_db}"')
        admin.execute(f'CREATE DATABASE "{restored_db}"')
    try:
        restored_media = tmp_path / "restored-media"
        env.update(DATABASE_URL=_url(restored_db), DJANGO_MEDIA_ROOT=str(restored_media))
        subprocess.run(
            [str(ROOT / "scripts/restore"), out],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        with psycopg.connect(_url(restored_db)) as restored:
            count = restored.execute("SELECT count(*) FROM services_servicestandard").fetchone()
            agencies = restored.execute("SELECT count(*) FROM services_agency").fetchone()
        assert count == (29,) and agencies == (4,)
        assert (restored_media / "private/dokumen/contoh.pdf").read_bytes().startswith(b"%PDF")
    finally:
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{restored_db}"')
