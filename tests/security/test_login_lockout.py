"""Admin login throttling: 5 wrong passwords per username and address lock out (django-axes);
guesses spread over addresses, over usernames, or one password sprayed over many usernames are
slowed down (portal.login.throttle)."""

import hashlib

import pytest
import time_machine
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "rahasia-uji-123"


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _login(client, username, password, address="203.0.113.10"):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": reverse("admin:index")},
        REMOTE_ADDR=address,
    )


def _logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_five_wrong_passwords_then_the_right_one_is_refused(client):
    UserFactory(username="petugas-kunci")
    with time_machine.travel("2025-03-03T09:00:00+07:00", tick=False) as clock:
        statuses = [_login(client, "petugas-kunci", "salah").status_code for _ in range(5)]
        assert statuses == [200, 200, 200, 200, 429]
        refused = _login(client, "petugas-kunci", PASSWORD)
        assert refused.status_code == 429 and not _logged_in(client)
        html = refused.content.decode()
        assert "Akun dikunci sementara" in html and "Coba lagi setelah 15 menit" in html
        assert refused["Retry-After"] == "900"
        assert refused.has_header("Content-Security-Policy")

        # The lock is per username and address: the same user from elsewhere, and another user
        # from here, can still sign in.
        elsewhere = client.__class__()
        assert _login(elsewhere, "petugas-kunci", PASSWORD, "198.51.100.4").status_code == 302
        UserFactory(username="petugas-lain")
        neighbour = client.__class__()
        assert _login(neighbour, "petugas-lain", PASSWORD).status_code == 302

        # 15 minutes after the last try, the right password works again.
        clock.shift(15 * 60 + 1)
        assert _login(client, "petugas-kunci", PASSWORD).status_code == 302
        assert _logged_in(client)


def test_a_successful_login_clears_the_failures(client):
    UserFactory(username="petugas-lupa")
    for _ in range(4):
        _login(client, "petugas-lupa", "salah")
    assert _login(client, "petugas-lupa", PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        assert _login(client, "petugas-lupa", "salah").status_code == 200
    assert _login(client, "petugas-lupa", PASSWORD).status_code == 302


def test_wrong_password_page_stays_the_admin_form(client):
    UserFactory(username="petugas-salah")
    html = _login(client, "petugas-salah", "salah").content.decode()
    assert 'name="password"' in html and not _logged_in(client)


# ---------------------------------------------------------------- one username, many addresses


def _address(n: int) -> str:
    return f"198.18.{n // 250}.{n % 250 + 1}"


def _wrong(n: int) -> str:
    """A different wrong password for each guess, as a guesser tries them (the same one
    over and over would also meet the count of that password)."""
    return f"salah-{n}"


def _throttled(response) -> bool:
    return "Terlalu banyak percobaan masuk untuk nama pengguna ini" in response.content.decode()


def test_one_username_guessed_from_many_addresses_is_slowed_down(client, settings):
    settings.PORTAL_LOGIN_USERNAME_FREE_TRIES = 10
    settings.PORTAL_LOGIN_USERNAME_DELAY_SECONDS = 15
    settings.PORTAL_LOGIN_USERNAME_MAX_DELAY_SECONDS = 300
    UserFactory(username="petugas-sebar")
    with time_machine.travel("2025-03-03T09:00:00+07:00", tick=False) as clock:
        # Ten wrong passwords, each from a new address: no address reaches the axes limit,
        # and these cost nothing.
        for n in range(10):
            response = _login(client.__class__(), "petugas-sebar", _wrong(n), _address(n))
            assert response.status_code == 200 and not _throttled(response)
        # The eleventh, from yet another address, must wait 15 s: the password is not even
        # checked, so the right one is refused too.
        refused = _login(client.__class__(), "petugas-sebar", PASSWORD, _address(10))
        assert _throttled(refused) and "15 detik" in refused.content.decode()
        assert "_auth_user_id" not in refused.wsgi_request.session

        # After the wait, one try is checked; it fails, and the next wait doubles.
        clock.shift(15)
        assert not _throttled(_login(client.__class__(), "petugas-sebar", _wrong(11), _address(11)))
        clock.shift(29)
        assert _throttled(_login(client.__class__(), "petugas-sebar", _wrong(12), _address(12)))
        clock.shift(1)
        assert not _throttled(_login(client.__class__(), "petugas-sebar", _wrong(13), _address(13)))

        # The wait grows with every failure, never past five minutes.
        for n in range(14, 30):
            clock.shift(300)
            assert not _throttled(
                _login(client.__class__(), "petugas-sebar", _wrong(n), _address(n))
            )
        clock.shift(1)
        blocked = _login(client.__class__(), "petugas-sebar", PASSWORD, _address(30))
        assert _throttled(blocked) and "5 menit" in blocked.content.decode()

        # So the owner waits at most five minutes, and then the right password works and
        # clears the count.
        clock.shift(299)
        owner = client.__class__()
        assert _login(owner, "petugas-sebar", PASSWORD, _address(31)).status_code == 302
        owner.logout()
        for n in range(40, 50):
            assert not _throttled(
                _login(client.__class__(), "petugas-sebar", _wrong(n), _address(n))
            )


def test_a_burst_when_the_wait_ends_gets_one_try(client, settings):
    settings.PORTAL_LOGIN_USERNAME_FREE_TRIES = 3
    UserFactory(username="petugas-serbu")
    with time_machine.travel("2025-03-03T09:00:00+07:00", tick=False) as clock:
        for n in range(3):
            _login(client.__class__(), "petugas-serbu", _wrong(n), _address(n))
        clock.shift(settings.PORTAL_LOGIN_USERNAME_DELAY_SECONDS)
        checked = [
            not _throttled(_login(client.__class__(), "petugas-serbu", _wrong(n), _address(n)))
            for n in range(10, 30)
        ]
        assert checked.count(True) == 1


def test_a_stranger_guessing_does_not_slow_the_office_address(client, settings):
    settings.PORTAL_LOGIN_USERNAME_FREE_TRIES = 3
    UserFactory(username="petugas-kantor")
    office = "203.0.113.77"
    with time_machine.travel("2025-03-03T09:00:00+07:00", tick=False) as clock:
        assert _login(client, "petugas-kantor", PASSWORD, office).status_code == 302
        client.logout()
        clock.shift(3600)
        for n in range(20):
            _login(client.__class__(), "petugas-kantor", _wrong(n), _address(n))
        assert _throttled(_login(client.__class__(), "petugas-kantor", PASSWORD, _address(99)))
        # From the address the user signed in from before, no wait.
        assert _login(client.__class__(), "petugas-kantor", PASSWORD, office).status_code == 302


def test_an_overlong_username_is_refused_before_any_lookup(client, settings):
    """A 5,000-character username used to reach django-axes' 255-character column: a 500 on
    PostgreSQL. It is refused by the form, and the throttle's keys stay bounded."""
    settings.PORTAL_LOGIN_USERNAME_FREE_TRIES = 1
    long_name = "x" * 5000 + "\x01"
    for n in range(3):
        response = _login(client.__class__(), long_name, "salah", _address(n))
        assert response.status_code == 200 and 'name="password"' in response.content.decode()
    assert not _throttled(_login(client.__class__(), long_name, "salah", _address(9)))


# ---------------------------------------------------------------- one password, many usernames


SPRAYED = "Jakarta-2025!"


def _sprayed(response) -> bool:
    return "Kata sandi ini baru saja dicoba tanpa hasil pada banyak akun" in (
        response.content.decode()
    )


def _from_network(response) -> bool:
    return "Terlalu banyak percobaan masuk yang gagal dari jaringan Anda" in (
        response.content.decode()
    )


def test_one_password_sprayed_over_many_usernames_from_many_addresses_is_slowed(client, settings):
    settings.PORTAL_LOGIN_PASSWORD_FREE_TRIES = 10
    owner = UserFactory(username="staf-25")
    owner.set_password(SPRAYED)
    owner.save()
    with time_machine.travel("2025-03-03T09:00:00+07:00", tick=False) as clock:
        # Thirty usernames, one try each, each from a new address: neither the lock of one
        # username and address nor the count of a username or an address is reached.
        responses = [
            _login(client.__class__(), f"staf-{n:02d}", SPRAYED, _address(n)) for n in range(30)
        ]
        assert [_sprayed(r) for r in responses] == [False] * 10 + [True] * 20
        assert "15 detik" in responses[10].content.decode()
        assert all(r.status_code == 200 for r in responses)
        # The account whose password it is was not reached: the password was not checked.
        assert "_auth_user_id" not in responses[25].wsgi_request.session

        # An unrelated member of staff, with their own password, from another address.
        UserFactory(username="petugas-lain")
        unrelated = client.__class__()
        assert _login(unrelated, "petugas-lain", PASSWORD, "192.0.2.55").status_code == 302
        assert _logged_in(unrelated)

        # The wait is time-limited: when it ends, one try with that password is checked.
        clock.shift(15)
        assert _login(client.__class__(), "staf-25", SPRAYED, _address(40)).status_code == 302
        assert _sprayed(_login(client.__class__(), "staf-03", SPRAYED, _address(41)))


def test_the_sprayed_password_is_not_kept_in_the_cache(client, settings):
    from django.core.cache import cache

    settings.PORTAL_LOGIN_PASSWORD_FREE_TRIES = 10
    for n in range(3):
        _login(client.__class__(), f"staf-{n:02d}", SPRAYED, _address(n))
    keys = " ".join(cache._cache).lower()  # the test cache is locmem
    assert "login:failures:p" in keys and SPRAYED.lower() not in keys
    # Nor its plain digest, which anyone could test passwords against.
    assert hashlib.sha256(SPRAYED.encode()).hexdigest()[:32] not in keys


# ---------------------------------------------------------------- many usernames, one address


def test_many_usernames_guessed_from_one_address_are_slowed(client, settings):
    settings.PORTAL_LOGIN_ADDRESS_FREE_TRIES = 30
    here = "203.0.113.66"
    UserFactory(username="petugas-jaringan")
    colleague = UserFactory(username="petugas-rekan")
    with time_machine.travel("2025-03-03T09:00:00+07:00", tick=False) as clock:
        # A colleague signed in from this address before.
        assert _login(client.__class__(), colleague.username, PASSWORD, here).status_code == 302
        clock.shift(3600)
        # Thirty usernames, a different password each, all from here: each pair stays far
        # below the lock of one username and address, and these are checked.
        for n in range(30):
            response = _login(client.__class__(), f"staf-{n:02d}", _wrong(n), here)
            assert response.status_code == 200 and not _from_network(response)
        # The next one from here waits, even with a right password.
        refused = _login(client.__class__(), "petugas-jaringan", PASSWORD, here)
        assert _from_network(refused) and "15 detik" in refused.content.decode()
        assert "_auth_user_id" not in refused.wsgi_request.session

        # The same user from another address is not slowed, nor the colleague who signed in
        # from here before.
        assert (
            _login(client.__class__(), "petugas-jaringan", PASSWORD, "192.0.2.8").status_code == 302
        )
        assert _login(client.__class__(), colleague.username, PASSWORD, here).status_code == 302

        # When the wait ends one try from here is checked; it fails and the next wait doubles.
        clock.shift(15)
        assert not _from_network(_login(client.__class__(), "staf-31", _wrong(31), here))
        clock.shift(29)
        assert _from_network(_login(client.__class__(), "staf-32", _wrong(32), here))
        clock.shift(1)
        assert _login(client.__class__(), "petugas-jaringan", PASSWORD, here).status_code == 302
