"""Sessions in the database, as Django's own, with fewer round trips for a new one.

Django checks that a new random key is unused before it inserts the session; the insert of a
new session fails on a used key anyway (and Django then draws another one), so the check only
costs a round trip on every first visit that stores something (a submission's access grant,
a staff sign-in). Keys are 32 characters of 36: a clash is not expected in practice.

Django also wraps that insert in a transaction of its own, so that a used key can be caught
inside whatever transaction is open. Outside any transaction (where the session middleware
saves), the single INSERT commits on its own and a used key fails only that statement: the
BEGIN and COMMIT around it are left out.
"""

from django.contrib.sessions.backends import db
from django.contrib.sessions.backends.base import VALID_KEY_CHARS, CreateError
from django.db import IntegrityError, connections, router
from django.utils.crypto import get_random_string


class SessionStore(db.SessionStore):
    def _get_new_session_key(self):
        return get_random_string(32, VALID_KEY_CHARS)

    def save(self, must_create=False):
        if self.session_key is None or not must_create:
            return super().save(must_create)
        using = router.db_for_write(self.model)
        if connections[using].in_atomic_block:
            return super().save(must_create)
        row = self.create_model_instance(self._get_session(no_load=True))
        try:
            row.save(force_insert=True, using=using)
        except IntegrityError as error:
            raise CreateError from error
