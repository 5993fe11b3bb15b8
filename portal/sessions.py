"""Sessions in the database, as Django's own, without a query before each new one.

Django checks that a new random key is unused before it inserts the session; the insert of a
new session fails on a used key anyway (and Django then draws another one), so the check only
costs a round trip on every first visit that stores something (a submission's access grant,
a staff sign-in). Keys are 32 characters of 36: a clash is not expected in practice.
"""

from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import VALID_KEY_CHARS
from django.utils.crypto import get_random_string


class SessionStore(db.SessionStore):
    def _get_new_session_key(self):
        return get_random_string(32, VALID_KEY_CHARS)
