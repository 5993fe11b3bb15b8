"""The benchmark's minimal view exists only when scripts/bench asks for it."""

from django.conf import settings


def test_bench_view_is_off_by_default(client, db):
    assert settings.PORTAL_BENCH_VIEW is False
    assert client.get("/bench/minimal/").status_code == 404
