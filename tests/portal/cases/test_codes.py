"""portal.cases.codes: codes people can type; one case's code never opens another."""

import hashlib
import re
import uuid

import pytest

from portal.cases.codes import (
    code_for,
    code_matches,
    code_of,
    grouped,
    hash_code,
    key_digest,
    new_access_code,
    normalise,
)

KEY = uuid.UUID("6f1c2a3b-4d5e-4f60-8a9b-0c1d2e3f4a5b")


def test_a_code_is_80_bits_in_four_groups_without_look_alikes():
    code, stored, _digest = new_access_code(uuid.uuid4())
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}", code), code
    assert len(normalise(code)) * 5 == 80
    assert stored == hash_code(code) and normalise(code) not in stored


@pytest.mark.parametrize(
    "typed",
    [
        lambda c: c,  # as printed
        lambda c: c.lower(),  # in lower case
        lambda c: c.replace("-", " ").lower(),  # with spaces
        lambda c: c.replace("-", ""),  # run together
        lambda c: f"  {c}\n",  # pasted with blanks around it
    ],
)
def test_the_code_opens_its_case_however_it_is_typed(typed):
    code, stored, digest = new_access_code(KEY)
    assert code_matches(stored, typed(code))


@pytest.mark.parametrize(
    ("typed", "read"),
    [
        ("k7qw-2xpm-9zhc-4rta", "K7QW2XPM9ZHC4RTA"),  # any case, dashes dropped
        ("O0O0 IiLl", "00001111"),  # O reads as 0; I and L read as 1
        ("", ""),
    ],
)
def test_normalise(typed, read):
    assert normalise(typed) == read


def test_grouped():
    assert grouped("K7QW2XPM9ZHC4RTA") == "K7QW-2XPM-9ZHC-4RTA"


def test_the_same_form_gets_the_same_code_and_another_form_another():
    assert code_for(key_digest(KEY)) == code_for(key_digest(str(KEY)))
    assert code_for(key_digest(KEY)) != code_for(key_digest(uuid.uuid4()))


def test_only_a_keyed_digest_of_the_submission_key_is_kept():
    digest = key_digest(KEY)
    assert re.fullmatch(r"[0-9a-f]{64}", digest)
    assert str(KEY) not in digest and KEY.hex not in digest
    assert digest != hashlib.sha256(str(KEY).encode()).hexdigest()  # keyed, not a plain hash


def test_the_code_and_digest_depend_on_the_sites_secret(settings):
    before, digest = code_for(key_digest(KEY)), key_digest(KEY)
    settings.SECRET_KEY = "another-secret-for-this-test-only-0123456789"
    assert key_digest(KEY) != digest
    assert code_for(digest) != before


@pytest.mark.parametrize("attempt", ["", "x", "0000-0000-0000-0000"])
def test_a_wrong_code_never_matches(attempt):
    _code, stored, _digest = new_access_code(KEY)
    assert not code_matches(stored, attempt)


def test_a_code_of_an_older_case_keeps_working_as_it_was_given():
    old = "Zf7-h-bpLdfI1GBC"  # 16 URL-safe characters, case-sensitive
    stored = hashlib.sha256(old.encode()).hexdigest()
    assert code_matches(stored, old) and code_matches(stored, f" {old} ")
    assert not code_matches(stored, old.lower())


class Case:
    def __init__(self, submission_digest, access_hash):
        self.submission_digest, self.access_hash = submission_digest, access_hash


def test_code_of_a_case_derives_it_again_or_says_it_cannot():
    code, stored, digest = new_access_code(KEY)
    assert code_of(Case(digest, stored)) == code
    assert code_of(Case(None, stored)) is None  # no key: an older, random code
    assert code_of(Case(digest, hash_code("an-older-random-code"))) is None
