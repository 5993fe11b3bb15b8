"""portal.cases.codes: one case's code never opens another, and a form's code comes back."""

import uuid

import pytest

from portal.cases.codes import code_for, code_matches, code_of, hash_code, new_access_code


def test_a_code_is_96_bits_and_stored_only_as_a_hash():
    code, stored = new_access_code(uuid.uuid4())
    assert len(code) == 16 and stored == hash_code(code) and code not in stored


def test_the_same_form_gets_the_same_code_and_another_form_another():
    key = uuid.uuid4()
    assert code_for(key) == code_for(str(key))
    assert code_for(key) != code_for(uuid.uuid4())


def test_the_code_depends_on_the_sites_secret(settings):
    key = uuid.uuid4()
    before = code_for(key)
    settings.SECRET_KEY = "another-secret-for-this-test-only-0123456789"
    assert code_for(key) != before


@pytest.mark.parametrize("attempt", ["", "x", "A" * 16])
def test_a_wrong_code_never_matches(attempt):
    _code, stored = new_access_code(uuid.uuid4())
    assert not code_matches(stored, attempt)


class Case:
    def __init__(self, submission_key, access_hash):
        self.submission_key, self.access_hash = submission_key, access_hash


def test_code_of_a_case_derives_it_again_or_says_it_cannot():
    key = uuid.uuid4()
    code, stored = new_access_code(key)
    assert code_of(Case(key, stored)) == code
    assert code_of(Case(None, stored)) is None  # no key: an older, random code
    assert code_of(Case(key, hash_code("an-older-random-code"))) is None
